"""Hostile text in every slot of a Dockerfile or an example.yml renders as inert text in every output.

Each payload of ``tests/hostile/payloads.yml`` goes into each slot a
Dockerfile or an example can carry text in (stage names, image references,
ARG names and values, ENV, LABEL, COPY paths, mounts, comments, heredoc
bodies, commands, build args, an example's title and description). Whether
the file is analyzed or refused, what comes out (SVG, listing,
explanations, fragment, standalone page, Mermaid, Markdown, the extension's
fences, the MkDocs plugin's built pages and embeds) holds no live markup
made from the payload, stays well-formed, and a Markdown listing cannot be
broken out of.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
import yaml

from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.markdown.blocks import BlockRenderer, ExampleBlock, FragmentCache, Settings
from dockerfile_docs.model import Analysis, BuildOptions
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.render.explanations import render_explanations
from dockerfile_docs.render.fragment import render_error, render_fragment
from dockerfile_docs.render.listing import render_listing
from dockerfile_docs.render.markdown_out import render_markdown
from dockerfile_docs.render.portable import render_portable_html
from dockerfile_docs.render.mermaid import render_mermaid
from dockerfile_docs.render.search import searchable_html
from dockerfile_docs.render.svg import render_diagram
from tests.hostile.checks import assert_balanced_html, assert_inert, assert_well_formed_svg, live_markup, read_html

HOSTILE = Path(__file__).parent / "hostile"
PAYLOADS: dict[str, str] = {item["name"]: item["value"] for item in yaml.safe_load((HOSTILE / "payloads.yml").read_text(encoding="utf-8"))}
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Characters that reorder what follows them on screen: the Trojan Source trick (CVE-2021-42574)."""


@dataclass(frozen=True)
class Slot:
    """Where a payload goes: a Dockerfile template (``{p}`` one-line payload, ``{j}`` as a JSON string) and build args."""

    dockerfile: str
    build_args: tuple[str, ...] = ()
    target: bool = False


SLOTS: dict[str, Slot] = {
    "stage-name": Slot("FROM busybox:1.36 AS {p}\nRUN true\nFROM scratch\nCOPY --from={p} /a /a\n"),
    "image-reference": Slot("FROM {p}\nRUN true\n"),
    "image-from-build-arg": Slot("ARG IMAGE=busybox:1.36\nFROM ${{IMAGE}} AS base\nFROM scratch\nCOPY --from=${{IMAGE}} /a /a\n", build_args=("IMAGE",)),
    "arg-name": Slot("FROM busybox:1.36\nARG {p}=1\nRUN echo ${p}\n"),
    "arg-value": Slot("ARG GLOBAL='{p}'\nFROM busybox:1.36\nARG VALUE={j}\nRUN echo $VALUE $GLOBAL\n", build_args=("VALUE", "UNUSED")),
    "env": Slot("FROM busybox:1.36\nENV GREETING {p}\nENV OTHER={j}\nRUN echo $GREETING\n"),
    "label": Slot("FROM busybox:1.36\nLABEL description={j} {j}=x\n"),
    "copy-paths": Slot("FROM busybox:1.36 AS build\nFROM scratch\nCOPY --from=build [{j}, \"/dest/\"]\nCOPY --from=build {p} /{p}/\nADD {p} /x\n"),
    "mount": Slot("FROM busybox:1.36 AS build\nFROM busybox:1.36\nRUN --mount=from=build,source={p},target=/m true\n"),
    "comments": Slot("# syntax={p}\nFROM busybox:1.36\n{comment}\nRUN true # {p}\n"),
    "heredoc-bodies": Slot("FROM busybox:1.36\nRUN <<EOF\n{raw}\nEOF\nCOPY <<'EOT' /note.txt\n{raw}\nEOT\n"),
    "commands": Slot("FROM busybox:1.36\nWORKDIR /{p}\nUSER {p}\nCMD [{j}]\nENTRYPOINT {p}\nHEALTHCHECK CMD {p}\nEXPOSE {p}\n"),
    "target": Slot("FROM busybox:1.36 AS build\nRUN true\n", target=True),
}


def dockerfile_for(slot: Slot, payload: str) -> str:
    one_line = payload.replace("\n", " ")
    comment = "\n".join("# " + line for line in payload.split("\n"))
    return slot.dockerfile.format(p=one_line, j=json.dumps(one_line, ensure_ascii=False), comment=comment, raw=payload)


def options_for(slot: Slot, payload: str) -> BuildOptions:
    return BuildOptions(build_args={name: payload for name in slot.build_args}, target=payload if slot.target else None)


def assert_html_inert(markup: str) -> None:
    assert_balanced_html(markup)
    assert_inert(markup)
    assert "<script" not in markup.lower(), "a <script> tag from input"


def assert_no_bidi_controls(markup: str, where: str) -> None:
    """A bidi override shown raw reorders the listing a reader checks; it must be neutralised or made visible."""
    found = BIDI_CONTROLS.findall(markup)
    assert not found, f"{where} shows raw bidi control characters {[hex(ord(c)) for c in found]}: the text can read differently from what it is"


def analyzed_or_none(text: str, options: BuildOptions) -> Analysis | None:
    try:
        return analyze_text(text, "Dockerfile", options)
    except DockerfileError as error:
        box = render_error(error)
        assert_html_inert(box)
        assert_html_inert(render_error(error, standalone=True))
        return None


@pytest.mark.parametrize("payload_name", list(PAYLOADS))
@pytest.mark.parametrize("slot_name", list(SLOTS))
def test_payload_renders_inert_in_svg_html_and_mermaid(slot_name: str, payload_name: str) -> None:
    slot, payload = SLOTS[slot_name], PAYLOADS[payload_name]
    analysis = analyzed_or_none(dockerfile_for(slot, payload), options_for(slot, payload))
    if analysis is None:
        return
    for svg in (render_diagram(analysis, id_prefix="h"), render_diagram(analysis, id_prefix="h", portable=True)):
        assert_well_formed_svg(svg)
        assert not live_markup(svg), live_markup(svg)
    for markup in (
        render_portable_html(analysis, title=payload),
        render_listing(analysis, id_prefix="h"),
        render_explanations(analysis, id_prefix="h"),
        render_fragment(analysis, layout="tabs", id_prefix="h", title=payload),
        render_fragment(analysis, layout="stacked", id_prefix="h", title=payload),
        render_fragment(analysis, standalone=True, title=payload),
        searchable_html(analysis, parts=("listing", "diagram", "explanations"), title=payload),
    ):
        assert_html_inert(markup)
    mermaid = render_mermaid(analysis)
    assert not re.search(r"<(?!/?(?:b|i)>|br/>)", mermaid), "markup from input in Mermaid labels"
    assert '"' not in "".join(re.findall(r'\["(.*)"\]', mermaid)), "a quote in a Mermaid label would end it"


@pytest.mark.parametrize("slot_name", ["arg-value", "comments", "heredoc-bodies", "copy-paths", "commands"])
def test_listing_and_diagram_show_no_raw_bidi_controls(slot_name: str) -> None:
    slot, payload = SLOTS[slot_name], PAYLOADS["bidi-override"]
    analysis = analyzed_or_none(dockerfile_for(slot, payload), options_for(slot, payload))
    assert analysis is not None
    assert_no_bidi_controls(render_listing(analysis), "the listing")
    assert_no_bidi_controls(render_diagram(analysis), "the diagram")
    assert_no_bidi_controls(searchable_html(analysis, parts=("listing", "diagram", "explanations")), "the search text")


@pytest.mark.parametrize("payload_name", list(PAYLOADS))
@pytest.mark.parametrize("slot_name", list(SLOTS))
def test_markdown_listing_cannot_be_broken_out_of(slot_name: str, payload_name: str) -> None:
    """Rendered as Markdown and read back, the whole Dockerfile is one code block and nothing else runs."""
    slot, payload = SLOTS[slot_name], PAYLOADS[payload_name]
    text = dockerfile_for(slot, payload)
    analysis = analyzed_or_none(text, options_for(slot, payload))
    if analysis is None:
        return
    for diagram in ("mermaid", "none", "svg", "image"):
        md = render_markdown(analysis, diagram=diagram, title=payload, image="stages.svg")
        page = markdown.markdown(md, extensions=["fenced_code"])
        assert_inert(page)
        assert "<script" not in page.lower()
        blocks = re.findall(r'<pre><code class="language-dockerfile">(.*?)</code></pre>', page, re.DOTALL)
        assert len(blocks) == 1, "the Dockerfile is not exactly one code block"
        assert html.unescape(blocks[0]) == analysis.dockerfile.text + ("" if analysis.dockerfile.text.endswith("\n") else "\n")


@pytest.mark.parametrize("payload_name", list(PAYLOADS))
def test_inline_fence_with_hostile_body_and_title_is_inert(payload_name: str) -> None:
    payload = PAYLOADS[payload_name]
    title = payload.replace('"', "'").replace("\n", " ")
    body = dockerfile_for(SLOTS["arg-value"], payload) + dockerfile_for(SLOTS["comments"], payload).split("\n", 1)[1]
    page = f'```````dockerfile-docs title="{title}" build_args="VALUE=x"\n{body}\n```````\n'
    output = markdown.markdown(page, extensions=["dockerfile_docs"])
    assert 'class="dd-fragment' in output
    assert_html_inert(output)


# --------------------------------------------------------------------------- examples and embeds


def write_example(root: Path, name: str, payload: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text(
        "FROM busybox:1.36 AS build\nARG VALUE\nRUN echo \"$VALUE\" > /value\nFROM scratch\nCOPY --from=build /value /value\n",
        encoding="utf-8",
    )
    spec = {
        "title": payload,
        "description": f"Says {payload} and links [here]({payload}) and ![img]({payload}).",
        "build_args": {"VALUE": payload},
        "targets": [{"target": None, "build_args": {"VALUE": payload}, "expect": {"run": {"output": {"contains": payload}}}}],
    }
    (folder / "example.yml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-examples")
    for index, payload in enumerate(PAYLOADS.values()):
        write_example(root, f"hostile-{index}", payload)
    (root / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("verification", ["off", "cached"])
def test_example_with_hostile_title_description_and_build_args_is_inert(hostile_examples: Path, tmp_path: Path, verification: str) -> None:
    renderer = BlockRenderer(
        Settings(examples_dir=hostile_examples, cache_dir=tmp_path / "cache", stand_ins=hostile_examples / "stand-ins.yml", verification=verification),
        FragmentCache(),
    )
    names = renderer.example_names()
    assert len(names) == len(PAYLOADS)
    for name in names:
        for standalone in (False, True):
            block = renderer.render_example(ExampleBlock(example=name), id_prefix="dd-h", layout="tabs", standalone=standalone)
            assert not block.failed, block.problems
            assert_html_inert(block.html)
        diagram = renderer.render_example_diagram(name)
        assert not diagram.failed
        assert_well_formed_svg(diagram.html)
        assert not live_markup(diagram.html)
        fenced = renderer.render_example_block(f"example: {name}\nbuild_args: {{VALUE: {json.dumps(PAYLOADS['script-tag'])}}}\n", id_prefix="dd-b")
        assert_html_inert(fenced.html)


SITE_CONFIG = """\
site_name: hostile
theme:
  name: material
markdown_extensions:
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - dockerfile-docs:
      verification: cached
      rules_reference: ""
"""


def build_site(root: Path, titles: dict[str, str]) -> Path:
    """A small site with one page showing each example; returns the built site folder."""
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(SITE_CONFIG, encoding="utf-8")
    page = ["# Examples\n"]
    for name, payload in titles.items():
        write_example(root / "examples", name, payload)
        page.append(f"```dockerfile-example\nexample: {name}\n```\n")
    (root / "examples" / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("\n".join(page), encoding="utf-8")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")],
        capture_output=True, text=True, timeout=300, cwd=root,
    )
    assert built.returncode == 0, built.stderr
    return root / "site"


def live_markup_counts(site: Path) -> Counter[str]:
    """The scripts, handlers and script URLs of every HTML file in the site, by file and kind."""
    counts: Counter[str] = Counter()
    for page in sorted(site.rglob("*.html")):
        for item in live_markup(page.read_text(encoding="utf-8")):
            counts[f"{page.relative_to(site)}: {re.sub(r'=.*', '=', item)}"] += 1
    return counts


def test_mkdocs_plugin_page_and_embeds_with_hostile_titles_hold_no_live_markup_from_them(tmp_path: Path) -> None:
    """The same site with benign titles is the baseline: the theme's own scripts are in both, nothing more in the hostile one."""
    hostile = {f"hostile-{index}": payload for index, payload in enumerate(PAYLOADS.values())}
    benign = {name: f"Benign title {index}" for index, name in enumerate(hostile)}
    hostile_site = build_site(tmp_path / "hostile", hostile)
    benign_site = build_site(tmp_path / "benign", benign)
    extra = live_markup_counts(hostile_site) - live_markup_counts(benign_site)
    assert not extra, f"live markup that only the hostile titles produce: {dict(extra)}"
    index = (hostile_site / "index.html").read_text(encoding="utf-8")
    assert_balanced_html(index[index.index('<div class="dd-fragment'):index.rindex("</article>")])
    for name in hostile:
        embed = (hostile_site / "embed" / name / "index.html").read_text(encoding="utf-8")
        assert_html_inert(embed)
        assert_well_formed_svg((hostile_site / "embed" / name / "diagram.svg").read_text(encoding="utf-8"))
    shown = " ".join(read_html(index).tags)
    assert "dd-fragment" in index and "svg" in shown
