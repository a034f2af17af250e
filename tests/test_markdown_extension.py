"""The ``dockerfile_docs`` Python-Markdown extension on its own (no MkDocs): both fences, options, escaping, errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import markdown
import pytest

import dockerfile_docs.pipeline as pipeline
from dockerfile_docs.markdown import DockerfileDocsExtension, FragmentCache, Problem
from dockerfile_docs.model import BuildOptions

FIXTURE_EXAMPLES = Path(__file__).parent / "fixtures" / "mkdocs" / "site" / "examples"

TWO_STAGES = """\
FROM busybox:1.36 AS base
ARG NAME=world
RUN echo "hello $NAME" > /hello.txt

FROM base AS final
CMD ["cat", "/hello.txt"]
"""


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(FIXTURE_EXAMPLES, target)
    return target


def fence(kind: str, body: str, header: str = "") -> str:
    return f"```{kind}{' ' + header if header else ''}\n{body.rstrip()}\n```\n"


def convert(
    page: str,
    examples: Path,
    *,
    extensions: tuple[str, ...] = ("pymdownx.superfences", "dockerfile_docs"),
    problems: list[Problem] | None = None,
    cache: FragmentCache | None = None,
    **config: object,
) -> str:
    settings: dict[str, object] = {
        "examples_dir": str(examples),
        "verification": "off",
        "cache": cache if cache is not None else FragmentCache(),
    }
    if problems is not None:
        settings["on_problem"] = problems.append
    settings.update(config)
    md = markdown.Markdown(extensions=list(extensions), extension_configs={"dockerfile_docs": settings})
    return md.convert(page)


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


# --------------------------------------------------------------------------- the two fences


def test_example_fence_renders_listing_diagram_and_title(examples: Path) -> None:
    html = convert(fence("dockerfile-example", "example: greeting"), examples)
    assert 'id="dd-greeting"' in html
    assert "A greeting on scratch" in html
    assert 'class="dd-part dd-part-listing"' in html and 'class="dd-part dd-part-diagram"' in html
    assert "<svg" in html
    assert "greeting.txt" in visible_text(html)
    assert "```" not in html


def test_inline_fence_renders_its_body_with_the_header_title(examples: Path) -> None:
    html = convert(fence("dockerfile-docs", TWO_STAGES, 'title="Two stages"'), examples)
    assert '<p class="dd-title">Two stages</p>' in html
    assert "<svg" in html
    assert 'id="dd-inline-1"' in html
    assert "/hello.txt" in visible_text(html)


@pytest.mark.parametrize(
    ("extensions", "description"),
    [
        (("dockerfile_docs",), "alone: SuperFences is loaded for it"),
        (("dockerfile_docs", "pymdownx.superfences"), "listed before SuperFences"),
        (("pymdownx.superfences", "dockerfile_docs"), "listed after SuperFences"),
    ],
)
def test_fences_work_whatever_the_extension_order(examples: Path, extensions: tuple[str, ...], description: str) -> None:
    html = convert(fence("dockerfile-example", "example: greeting") + "\n" + fence("dockerfile-docs", TWO_STAGES), examples, extensions=extensions)
    assert html.count('class="dd-fragment ') == 2, description
    assert "dockerfile-example" not in html


def test_superfences_with_other_custom_fences_keeps_both() -> None:
    md = markdown.Markdown(
        extensions=["dockerfile_docs", "pymdownx.superfences"],
        extension_configs={
            "dockerfile_docs": {"verification": "off", "cache": FragmentCache()},
            "pymdownx.superfences": {
                "custom_fences": [{"name": "shout", "class": "shout", "format": lambda src, *a, **k: f"<b>{src.upper()}</b>"}]
            },
        },
    )
    html = md.convert(fence("shout", "hi") + "\n" + fence("dockerfile-docs", TWO_STAGES))
    assert "<b>HI</b>" in html
    assert 'class="dd-fragment ' in html


def test_fences_nested_in_a_list_render(examples: Path) -> None:
    page = "1. First step:\n\n    ```dockerfile-docs\n    FROM busybox:1.36\n    RUN true\n    ```\n"
    html = convert(page, examples)
    assert 'class="dd-fragment ' in html
    assert "<li>" in html


# --------------------------------------------------------------------------- options


def test_show_limits_the_parts_of_an_example(examples: Path) -> None:
    html = convert(fence("dockerfile-example", "example: greeting\nshow: [diagram]"), examples)
    assert "dd-part-diagram" in html
    assert "dd-part-listing" not in html and "dd-part-explanations" not in html


def test_show_in_an_inline_header_keeps_the_given_order(examples: Path) -> None:
    html = convert(fence("dockerfile-docs", TWO_STAGES, 'show="diagram listing"'), examples, layout="stacked")
    assert html.index("dd-part-diagram") < html.index("dd-part-listing")
    assert "dd-part-explanations" not in html


def test_site_wide_show_is_the_default_and_a_block_overrides_it(examples: Path) -> None:
    page = fence("dockerfile-example", "example: greeting") + "\n" + fence("dockerfile-docs", TWO_STAGES, 'show="diagram"')
    html = convert(page, examples, show="listing")
    first, second = html.split('class="dd-fragment ')[1:]
    assert "dd-part-listing" in first and "dd-part-diagram" not in first
    assert "dd-part-diagram" in second and "dd-part-listing" not in second


def test_target_and_build_args_reach_the_analysis(examples: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[BuildOptions] = []
    real = pipeline.analyze_text

    def spy(text: str, path: str = "Dockerfile", options: BuildOptions | None = None):
        seen.append(options)
        return real(text, path, options)

    monkeypatch.setattr(pipeline, "analyze_text", spy)
    (examples / "greeting" / "example.yml").write_text(
        "title: A greeting\nbuild_args: {GREETING: hi, EXTRA: x}\ntargets:\n  - target: final\n    build_args: {EXTRA: y}\n"
    )
    convert(fence("dockerfile-example", "example: greeting"), examples)
    convert(fence("dockerfile-example", "example: greeting\ntarget: build\nbuild_args: {GREETING: hey, NUMBER: 3}"), examples)
    convert(fence("dockerfile-docs", TWO_STAGES, 'target="base" build_args="NAME=inline OTHER=\'a b\'"'), examples)
    assert seen[0] == BuildOptions(build_args={"GREETING": "hi", "EXTRA": "y"}, target="final")
    assert seen[1] == BuildOptions(build_args={"GREETING": "hey", "EXTRA": "x", "NUMBER": "3"}, target="build")
    assert seen[2] == BuildOptions(build_args={"NAME": "inline", "OTHER": "a b"}, target="base")


def test_an_unknown_target_is_an_error_in_place(examples: Path) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-example", "example: greeting\ntarget: nope"), examples, problems=problems)
    assert "dd-error" in html and "nope" in html
    assert [p.kind for p in problems] == ["dockerfile"]
    assert problems[0].example == "greeting"


def test_tabs_layout_is_pymdownx_tabbed_markup_with_unique_ids(examples: Path) -> None:
    page = fence("dockerfile-example", "example: greeting") + "\n" + fence("dockerfile-example", "example: greeting")
    html = convert(page, examples, layout="tabs")
    assert html.count('class="tabbed-set tabbed-alternate dd-tabs"') == 2
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids repeat on the page"
    assert 'id="dd-greeting"' in html and 'id="dd-greeting-2"' in html
    first_set = html.split('class="tabbed-set')[1]
    radios = re.findall(r'<input[^>]*type="radio"', first_set.split("tabbed-labels")[0])
    assert len(radios) == 2 and 'checked="checked"' in radios[0]
    labels = re.findall(r'<label for="([^"]+)">', first_set)
    assert labels[:2] == ["dd-greeting-tabs-1", "dd-greeting-tabs-2"]


def test_stacked_layout_has_no_radio_inputs(examples: Path) -> None:
    html = convert(fence("dockerfile-example", "example: greeting"), examples, layout="stacked")
    assert "<input" not in html
    assert '<section class="dd-panel dd-panel-listing">' in html


# --------------------------------------------------------------------------- escaping

HOSTILE_DOCKERFILE = """\
FROM busybox:1.36 AS build
LABEL note="<script>alert(1)</script>"
ARG X="\\"><svg onload=alert(2)>"
RUN echo ']]><script>alert(3)</script>' > /x

FROM scratch AS final
COPY --from=build "<img src=x onerror=alert(4)>" /y
"""


@pytest.mark.parametrize("layout", ["tabs", "stacked"])
def test_hostile_dockerfile_content_is_escaped_everywhere(examples: Path, layout: str) -> None:
    header = 'title="<script>alert(5)</script>" show="listing diagram explanations"'
    html = convert(fence("dockerfile-docs", HOSTILE_DOCKERFILE, header), examples, layout=layout)
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<svg onload" not in lowered and "<img" not in lowered
    assert "]]>" not in html
    assert "alert(1)" in html and "&lt;script&gt;" in html, "the content is shown, escaped"


def test_hostile_example_content_is_escaped(examples: Path) -> None:
    (examples / "greeting" / "Dockerfile").write_text(HOSTILE_DOCKERFILE)
    (examples / "greeting" / "example.yml").write_text('title: "<script>alert(6)</script>"\ndescription: "<img src=x onerror=alert(7)>"\n')
    html = convert(fence("dockerfile-example", "example: greeting"), examples)
    lowered = html.lower()
    assert "<script" not in lowered and "<img" not in lowered and "]]>" not in html


def test_a_hostile_error_message_is_escaped(examples: Path) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-docs", "FROM busybox:1.36\n<script>alert(1)</script>\n"), examples, problems=problems)
    assert "<script" not in html.lower()
    assert "dd-error" in html


# --------------------------------------------------------------------------- errors in place


def test_a_dockerfile_that_does_not_parse_shows_an_error_naming_file_and_line(examples: Path) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-docs", "FROM busybox:1.36\nBOGUS instruction\n"), examples, problems=problems)
    assert 'role="alert"' in html
    assert "<code>Dockerfile:2</code>" in html
    assert "BOGUS" in visible_text(html)
    assert [(p.kind, p.line) for p in problems] == [("dockerfile", 2)]


def test_a_broken_example_dockerfile_names_the_example_file_and_line(examples: Path) -> None:
    (examples / "greeting" / "Dockerfile").write_text("FROM busybox:1.36\nRUN true\nNOPE\n")
    problems: list[Problem] = []
    html = convert(fence("dockerfile-example", "example: greeting"), examples, problems=problems)
    assert "dd-error" in html and ":3</code>" in html
    (problem,) = problems
    assert problem.example == "greeting" and problem.line == 3 and problem.path.endswith("greeting/Dockerfile")
    assert "example 'greeting'" in problem.describe() and "Dockerfile:3" in problem.describe()


def test_a_missing_example_is_an_error_in_place(examples: Path) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-example", "example: no-such-example"), examples, problems=problems)
    assert "dd-error" in html and "no-such-example" in html
    assert [p.kind for p in problems] == ["missing-example"]
    assert problems[0].example == "no-such-example"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("example: greeting\ncolour: red", "unknown key 'colour'"),
        ("show: [diagram]", "one of 'example' (a folder in the examples directory) or 'dockerfile'"),
        ("example: ../../etc", "expected a folder name"),
        ("example: greeting\nshow: [pictures]", "unknown part 'pictures'"),
        ("example: greeting\nbuild_args: [A, B]", "build_args: expected a mapping"),
        ("example: [unclosed", "not valid YAML"),
    ],
)
def test_an_invalid_example_block_says_what_is_wrong(examples: Path, body: str, expected: str) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-example", body), examples, problems=problems)
    assert "dd-error" in html
    assert expected in visible_text(html).replace("&#x27;", "'")
    assert [p.kind for p in problems] == ["invalid-block"]


def test_an_unknown_inline_option_is_reported(examples: Path) -> None:
    problems: list[Problem] = []
    html = convert(fence("dockerfile-docs", TWO_STAGES, 'colour="red"'), examples, problems=problems)
    assert "dd-error" in html and "colour" in html
    assert [p.kind for p in problems] == ["invalid-block"]


def test_an_invalid_example_yml_names_the_key(examples: Path) -> None:
    (examples / "greeting" / "example.yml").write_text("title: x\nplatfrom: linux/amd64\n")
    problems: list[Problem] = []
    html = convert(fence("dockerfile-example", "example: greeting"), examples, problems=problems)
    assert "dd-error" in html and "platfrom" in html
    assert [p.kind for p in problems] == ["invalid-example"]


# --------------------------------------------------------------------------- cache


def test_unchanged_dockerfiles_are_not_rendered_again(examples: Path) -> None:
    cache = FragmentCache()
    page = fence("dockerfile-example", "example: greeting") + "\n" + fence("dockerfile-docs", TWO_STAGES)
    first = convert(page, examples, cache=cache)
    assert cache.renders == 2
    second = convert(page, examples, cache=cache)
    assert cache.renders == 2 and second == first
    dockerfile = examples / "greeting" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "LABEL changed=yes\n")
    cache.mark()
    third = convert(page, examples, cache=cache)
    assert cache.renders == 3 and cache.rendered == ["greeting"]
    assert "changed=yes" in visible_text(third)


def test_cached_blocks_still_report_their_problems(examples: Path) -> None:
    cache = FragmentCache()
    page = fence("dockerfile-docs", "FROM busybox:1.36\nBOGUS\n")
    for _ in range(2):
        problems: list[Problem] = []
        convert(page, examples, cache=cache, problems=problems)
        assert [p.line for p in problems] == [2]
    assert cache.renders == 1


def test_extension_instances_can_be_passed_directly(examples: Path) -> None:
    problems: list[Problem] = []
    extension = DockerfileDocsExtension(examples_dir=str(examples), verification="off", on_problem=problems.append, cache=FragmentCache())
    html = markdown.markdown(fence("dockerfile-example", "example: missing-one"), extensions=["pymdownx.superfences", extension])
    assert "dd-error" in html
    assert problems and problems[0].kind == "missing-example"


GLOBAL_ARG_IN_RUN = "ARG VERSION=1.36\nFROM busybox:${VERSION}\nRUN echo $VERSION\n"


def test_rules_link_to_their_pages_only_when_base_url_is_given(examples: Path) -> None:
    page = fence("dockerfile-docs", GLOBAL_ARG_IN_RUN)
    unlinked = convert(page, examples)
    assert 'class="dd-explanations"' in unlinked
    assert not re.search(r'<a [^>]*class="dd-rule"', unlinked)
    linked = convert(page, examples, base_url="/handbook/rules/")
    hrefs = re.findall(r'<a class="dd-rule" href="([^"]+)"', linked)
    assert hrefs and all(href.startswith("/handbook/rules/dd") for href in hrefs)


def test_markers_in_the_listing_point_at_explanations_on_the_same_tab(examples: Path) -> None:
    html = convert(fence("dockerfile-docs", GLOBAL_ARG_IN_RUN), examples, layout="tabs")
    listing_tab = html.split('<div class="tabbed-block dd-panel-listing">')[1].split('<div class="tabbed-block')[0]
    targets = re.findall(r'href="#(dd-inline-1-F\d+)"', listing_tab)
    assert targets, "the listing has markers"
    for target in targets:
        assert f'id="{target}"' in listing_tab
