"""What a wiki shows of ``render --format md`` and ``--format html`` after its sanitizer.

Each output goes through the sanitizers of the places it is pasted into, run
under Node from ``tests/sanitizers`` (installed there with ``npm ci``):
DOMPurify's defaults (Backstage TechDocs, many HTML wikis) and
rehype-sanitize's default schema, which follows GitHub's. The checks read
what a reader would see: the diagram's labels, every line of the Dockerfile
on its own, the explanations with their code as code, and no stylesheet
shown as text.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dockerfile_docs.pipeline import analyze_file
from dockerfile_docs.render.markdown_out import render_markdown
from dockerfile_docs.render.portable import portable_document, render_portable_html
from dockerfile_docs.render.svg import build_stage_graph

ROOT = Path(__file__).resolve().parent.parent
SANITIZERS = Path(__file__).resolve().parent / "sanitizers"
EXAMPLES = ["multi-stage-go", "arg-before-from", "dev-test-prod-targets", "copy-from-index-and-image", "broken-missing-stage"]
CSS_TEXT = re.compile(r"--dd[a-z-]*:|\{[^}]*\b(?:fill|stroke|font-family|display)\s*:")


@pytest.fixture(scope="session")
def sanitize() -> object:
    """``sanitize(mode, text) -> (html, text)``; installs the npm packages on first use."""
    problem = None
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        problem = "node and npm are not installed"
    elif not (SANITIZERS / "node_modules" / "dompurify").is_dir():
        installed = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--silent"], cwd=SANITIZERS, capture_output=True, text=True, check=False)
        if installed.returncode != 0:
            problem = f"npm ci in {SANITIZERS} failed: {installed.stderr.strip()[-400:]}"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the sanitizers: {problem}")
        pytest.skip(f"needs the wiki sanitizers: {problem}")

    def run(mode: str, text: str) -> tuple[str, str]:
        completed = subprocess.run([node, "sanitize.mjs", mode], cwd=SANITIZERS, input=text, capture_output=True, text=True, timeout=120, check=False)
        assert completed.returncode == 0, completed.stderr
        result = json.loads(completed.stdout)
        return result["html"], result["text"]

    return run


class _Cells(HTMLParser):
    """The text of each ``<code>`` inside a table cell, in order: the listing's lines as a reader sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = {"td": 0, "code": 0, "svg": 0}
        self.lines: list[str] = []
        self.svg_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.depth:
            self.depth[tag] += 1
            if tag == "code" and self.depth["td"]:
                self.lines.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.depth:
            self.depth[tag] -= 1

    def handle_data(self, data: str) -> None:
        if self.depth["td"] and self.depth["code"]:
            self.lines[-1] += data
        if self.depth["svg"]:
            self.svg_text.append(data)


def _stage_names(name: str) -> tuple[object, list[str]]:
    analysis = analyze_file(str(ROOT / "examples" / name / "Dockerfile"))
    graph = build_stage_graph(analysis)
    return analysis, [node.lines[0].text for node in graph.nodes if node.kind == "stage"]


@pytest.mark.parametrize("mode", ["dompurify", "github-html"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_html_keeps_its_listing_explanations_and_diagram_through_the_sanitizer(sanitize: object, name: str, mode: str) -> None:
    analysis, stages = _stage_names(name)
    page = portable_document(render_portable_html(analysis), title=name)
    shown_html, shown_text = sanitize(mode, page)  # type: ignore[operator]
    assert not CSS_TEXT.search(shown_text), "a stylesheet is shown as text"
    cells = _Cells()
    cells.feed(shown_html)
    expected = [line or " " for line in analysis.dockerfile.text.splitlines()]
    assert [line.replace("\u00a0", " ") for line in cells.lines] == expected, "each line of the Dockerfile in a cell of its own"
    for finding in analysis.findings:
        assert finding.rule in shown_text
    if analysis.findings and "`" in "".join(f.message for f in analysis.findings):
        assert "<code>" in shown_html.split("Explanations", 1)[1] and "`" not in shown_text.split("Explanations", 1)[1]
    if mode == "dompurify":
        svg = "".join(cells.svg_text)
        for stage in stages:
            assert stage in svg, f"the diagram lost the stage {stage}"
        assert re.search(r'<path[^>]*stroke="#', shown_html), "the diagram's lines keep their colour"
        assert "<style" not in shown_html


@pytest.mark.parametrize("mode", ["github-md", "dompurify-md"])
@pytest.mark.parametrize("name", EXAMPLES)
def test_markdown_keeps_its_mermaid_diagram_listing_and_code_spans_through_the_sanitizer(sanitize: object, name: str, mode: str) -> None:
    analysis, stages = _stage_names(name)
    shown_html, shown_text = sanitize(mode, render_markdown(analysis))  # type: ignore[operator]
    assert not CSS_TEXT.search(shown_text), "a stylesheet is shown as text"
    assert "<svg" not in render_markdown(analysis)
    mermaid = re.search(r'<code class="language-mermaid">(.*?)</code>', shown_html, re.DOTALL)
    assert mermaid is not None, "the mermaid fence a wiki draws"
    for stage in stages:
        assert stage in mermaid.group(1)
    listing = re.search(r'<code class="language-dockerfile">(.*?)</code>', shown_html, re.DOTALL)
    assert listing is not None
    assert analysis.dockerfile.text.splitlines()[0].replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")[:20] in listing.group(1)
    explanations = shown_text.split("Explanations", 1)[1] if analysis.findings else ""
    assert "`" not in explanations, "inline code shows as code, not as backticks"
    for finding in analysis.findings:
        assert finding.rule in explanations
