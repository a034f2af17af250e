"""The stage diagram SVG, tested as data: what it shows, where, and that nothing from a Dockerfile escapes."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from dockerfile_docs.model import BuildOptions
from dockerfile_docs.pipeline import analyze_file, analyze_text
from dockerfile_docs.render.svg import (
    DARK_PALETTE,
    LIGHT_PALETTE,
    STYLE_SHEET,
    TEXT_ON_FILL,
    fit_text,
    render_diagram,
    shorten_path,
    text_width,
    xml_text,
)

sys.path.insert(0, str(Path(__file__).parent / "diagrams"))
from svg_reading import SVG, ShownDiagram, assert_readable_geometry, read_diagram

CASES = Path(__file__).parent / "diagrams"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.yml").is_file())


def _expected(case: str) -> dict:
    return yaml.safe_load((CASES / case / "expected.yml").read_text(encoding="utf-8"))


def _render_case(case: str, **kwargs: object) -> str:
    options = _expected(case).get("options")
    analysis = analyze_file(str(CASES / case / "Dockerfile"), BuildOptions(**options) if options else None)
    return render_diagram(analysis, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- data-driven cases


@pytest.mark.parametrize("case", CASE_NAMES)
def test_diagram_shows_the_expected_nodes_edges_target_and_skipped_stages(case: str) -> None:
    expected = _expected(case)
    diagram = read_diagram(_render_case(case))
    stages = [n for n in diagram.nodes.values() if n.kind == "stage"]
    assert [n.name for n in stages] == expected["stages"]
    assert sorted(n.name for n in diagram.nodes.values() if n.kind == "image") == sorted(
        "image " + i for i in expected.get("images", [])
    )
    args = [n for n in diagram.nodes.values() if n.kind == "args"]
    if "args" in expected:
        assert len(args) == 1 and list(args[0].texts[1:]) == expected["args"]
    else:
        assert args == []
    expected_edges = {(e["from"], e["to"], e["kind"], e["label"]) for e in expected["edges"]}
    assert diagram.edge_set() == expected_edges

    targets = [n for n in stages if "dd-target" in n.classes]
    assert [n.name for n in targets] == [expected["target"]]
    badge = targets[0].box
    badges = [r for r in diagram.root.iter(f"{SVG}rect") if r.attrib.get("class") == "dd-badge"
              and badge.x <= float(r.attrib["x"]) <= badge.right]
    assert badges, "the target stage carries a 'target' badge"

    skipped = [n for n in stages if "dd-skipped" in n.classes]
    assert sorted(n.name for n in skipped) == sorted(expected["skipped"])
    for node in stages:
        assert ("skipped by BuildKit" in node.texts) == (node in skipped)
    for edge in diagram.edges:
        target_skipped = diagram.nodes[edge.target].kind == "stage" and "dd-skipped" in diagram.nodes[edge.target].classes
        if diagram.nodes[edge.target].kind == "stage":
            assert ("dd-skipped" in edge.classes) == target_skipped, edge

    for name, wanted in expected.get("node_text", {}).items():
        node = next(n for n in diagram.nodes.values() if n.name == name)
        for text in wanted:
            assert text in node.texts
    desc = diagram.root.findtext(f"{SVG}desc") or ""
    for phrase in expected.get("summary_has", []):
        assert phrase in desc
    assert_readable_geometry(diagram)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_stage_boxes_link_to_their_from_line_in_the_listing(case: str) -> None:
    options = _expected(case).get("options")
    analysis = analyze_file(str(CASES / case / "Dockerfile"), BuildOptions(**options) if options else None)
    diagram = read_diagram(render_diagram(analysis, id_prefix="ex1"))
    for stage in analysis.stages:
        assert diagram.nodes[f"s{stage.index}"].href == f"#ex1-L{stage.from_line}"
    assert all(n.href is None for n in diagram.nodes.values() if n.kind != "stage")
    unlinked = ET.fromstring(render_diagram(analysis, link_lines=False))
    assert list(unlinked.iter(f"{SVG}a")) == []


@pytest.mark.parametrize("case", CASE_NAMES)
def test_rendering_is_byte_identical_for_the_same_input(case: str) -> None:
    first = _render_case(case)
    assert _render_case(case) == first
    assert _render_case(case, id_prefix="other") != first


# --------------------------------------------------------------------------- escaping

HOSTILE_STRINGS = [
    '<script>alert(1)</script>',
    '"><svg onload=alert(1)>',
    "]]><!--",
    "-->",
    "' onmouseover='alert(1)",
    "&amp;&lt;",
    "\x01\x1f control",
]


def _assert_inert(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        assert local not in {"script", "foreignobject", "iframe", "image", "use", "animate", "set"}, local
        for name, value in element.attrib.items():
            assert not name.rsplit("}", 1)[-1].lower().startswith("on"), (local, name)
            if name.endswith("href"):
                assert value.startswith("#"), value
    style = "".join(root.find(f"{SVG}style").itertext())  # type: ignore[union-attr]
    assert style == STYLE_SHEET
    return root


def test_hostile_case_parses_and_shows_the_strings_as_text() -> None:
    svg = _render_case("hostile-names")
    root = _assert_inert(svg)
    assert "<svg/onload" not in svg and "<img" not in svg and "<!--" not in svg and "<b>" not in svg
    text = "".join(root.itertext())
    for shown in ('TAG="><svg/onload=alert(0)>', "]]><!--/--><b>bold</b>", "/a&b<c>", "--><img/src/onerror=alert(3)>"):
        assert shown in text


@pytest.mark.parametrize("hostile", HOSTILE_STRINGS)
def test_hostile_strings_in_arg_values_paths_and_file_names_stay_text(hostile: str) -> None:
    escaped_for_dockerfile = hostile.replace("\\", "\\\\").replace('"', '\\"')
    dockerfile = (
        f'ARG V="{escaped_for_dockerfile}"\n'
        "FROM busybox:1.36 AS b\n"
        "FROM busybox:${V:+1.36} AS a\n"
        "ARG V\n"
        "COPY --from=b ${V} /dst/\n"
    )
    analysis = analyze_text(dockerfile, path=f"docs/{hostile}/Dockerfile")
    root = _assert_inert(render_diagram(analysis))
    clean = re.sub("[\x00-\x1f]", "\ufffd", hostile)
    args_block = next(g for g in root.iter(f"{SVG}g") if g.attrib.get("data-node") == "args")
    assert clean in "".join(args_block.itertext())
    titles = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}title"))
    assert f"Build stages of docs/{clean}/Dockerfile" in titles
    assert f"COPY --from=b {' '.join(clean.split())} into a" in titles


def test_xml_text_escapes_markup_quotes_and_invalid_characters() -> None:
    assert xml_text('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
    assert xml_text("a\x00b\x1bc\ud800") == "a\ufffdb\ufffdc\ufffd"
    assert xml_text("]]>") == "]]&gt;"


def test_ids_carry_the_prefix_so_two_diagrams_on_a_page_do_not_clash() -> None:
    analysis = analyze_file(str(CASES / "dev-test-prod" / "Dockerfile"))
    ids: dict[str, set[str]] = {}
    for prefix in ("first", "second"):
        root = ET.fromstring(render_diagram(analysis, id_prefix=prefix))
        declared = {e.attrib["id"] for e in root.iter() if "id" in e.attrib}
        assert declared and all(i.startswith(f"{prefix}-") for i in declared)
        referenced = set(re.findall(r"url\(#([^)]+)\)", ET.tostring(root, encoding="unicode")))
        referenced |= set(root.attrib["aria-labelledby"].split())
        assert referenced <= declared
        ids[prefix] = declared
    assert not ids["first"] & ids["second"]


# --------------------------------------------------------------------------- accessibility and theming


def test_svg_is_an_image_labelled_by_its_title_and_a_summary_in_words() -> None:
    root = ET.fromstring(_render_case("dev-test-prod"))
    assert root.attrib["role"] == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.attrib["id"] == title_id and "dev-test-prod" in (title.text or "")
    assert desc is not None and desc.attrib["id"] == desc_id
    assert desc.text == (
        "5 stages; target prod; base starts from image debian:bookworm-slim; deps starts from base; "
        "dev starts from deps; test starts from deps; test mounts dev during a RUN; prod starts from base; "
        "prod copies …/lib/python3.11/site-packages from deps; dev and test are skipped by BuildKit."
    )


def test_svg_scales_with_a_viewbox_matching_its_width_and_height() -> None:
    root = ET.fromstring(_render_case("two-stage-go"))
    _, _, width, height = root.attrib["viewBox"].split()
    assert (root.attrib["width"], root.attrib["height"]) == (width, height)


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("palette", [LIGHT_PALETTE, DARK_PALETTE], ids=["light", "dark"])
@pytest.mark.parametrize("text, background", TEXT_ON_FILL)
def test_text_colours_meet_wcag_aa_on_their_backgrounds(palette: dict[str, str], text: str, background: str) -> None:
    assert _contrast(palette[text], palette[background]) >= 4.5


def test_stylesheet_switches_for_slate_and_dark_preference_with_overridable_fallbacks() -> None:
    assert '[data-md-color-scheme="slate"] .dd-diagram{' in STYLE_SHEET
    assert "@media (prefers-color-scheme:dark){.dd-diagram{" in STYLE_SHEET
    assert "fill:var(--dd-node-fill,var(--ddp-node-fill,#ffffff))" in STYLE_SHEET
    for name, value in DARK_PALETTE.items():
        assert f"--ddp-{name}:{value}" in STYLE_SHEET
    assert "@import" not in STYLE_SHEET and "url(" not in STYLE_SHEET and "@font-face" not in STYLE_SHEET
    classes_drawn = set(re.findall(r'class="([^"]+)"', _render_case("dev-test-prod")))
    for css_class in ("dd-box", "dd-edge-line", "dd-label-box", "dd-badge", "dd-text-heading"):
        assert any(css_class in c.split() for c in classes_drawn)
        assert f".{css_class}" in STYLE_SHEET


# --------------------------------------------------------------------------- text


def test_long_names_are_shortened_with_the_full_text_in_the_title() -> None:
    long_image = "registry.example.com:5000/team/platform/" + "very-long-image-name-" * 4 + "x:1.0"
    dockerfile = f"FROM {long_image} AS build\nRUN true\nFROM scratch\nCOPY --from=build /x /x\n"
    diagram = read_diagram(render_diagram(analyze_text(dockerfile)))
    image = next(n for n in diagram.nodes.values() if n.kind == "image")
    shown = image.texts[1]
    assert "\u2026" in shown and len(shown) < len(long_image)
    assert long_image in image.title
    assert shown.startswith("registry.") and shown.endswith(":1.0")
    for node in diagram.nodes.values():
        elements = [t for t in _node_group(diagram, node.key).iter(f"{SVG}text") if "dd-text" in t.attrib["class"].split()]
        for text, element in zip(node.texts, elements):
            style = re.search(r"dd-text-(\w+)", element.attrib["class"]).group(1)  # type: ignore[union-attr]
            assert float(element.attrib["x"]) + text_width(text, style) <= node.box.right + 0.5  # type: ignore[arg-type]


def _node_group(diagram: ShownDiagram, key: str) -> ET.Element:
    return next(g for g in diagram.root.iter(f"{SVG}g") if g.attrib.get("data-node") == key)


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        ("/app", 30, "/app"),
        ("/etc/ssl/certs/ca-certificates.crt", 28, "\u2026/certs/ca-certificates.crt"),
        ("/usr/local/lib/python3.11/site-packages/", 30, "\u2026/python3.11/site-packages/"),
        ("x" * 40, 11, "xxxxx\u2026xxxxx"),
    ],
)
def test_paths_keep_their_last_components_when_shortened(text: str, limit: int, expected: str) -> None:
    assert shorten_path(text, limit) == expected
    assert len(shorten_path(text, limit)) <= limit


def test_fitted_text_fits_and_keeps_both_ends_in_the_middle_mode() -> None:
    text = "golang:1.22-bookworm@sha256:" + "ab" * 32
    fitted = fit_text(text, "code", 150, middle=True)
    assert text_width(fitted, "code") <= 150 < text_width(fitted + "x", "code")
    assert fitted.startswith("golang") and fitted.endswith("ab") and "\u2026" in fitted
    assert fit_text("short", "code", 150, middle=True) == "short"


def test_a_stage_that_mounts_from_itself_is_drawn_without_a_loop_and_explained() -> None:
    """Found by the fuzzer: the stage is not needed by the target, so BuildKit never objects to it."""
    analysis = analyze_text("FROM busybox:1.36 AS build\nRUN --mount=from=build,source=/a,target=/b true\nFROM busybox:1.36\n")
    assert [(e.source, e.target, e.kind) for e in analysis.edges if e.kind == "mount"] == [(0, 0, "mount")]
    svg = render_diagram(analysis)
    assert "build" in svg


def test_a_label_names_each_arg_and_path_once_and_parallel_arrows_share_a_route() -> None:
    text = (
        "ARG PYTHON_VERSION=3.12\n"
        "FROM python:${PYTHON_VERSION}-slim AS base\n"
        "FROM python:${PYTHON_VERSION}-slim AS lint\n"
        "FROM base AS test\n"
        "COPY --from=base /app /app\n"
        "COPY --from=base /app /app2\n"
    )
    diagram = read_diagram(render_diagram(analyze_text(text)))
    labels = sorted(edge.label for edge in diagram.edges if edge.label)
    assert labels == ["ARG PYTHON_VERSION", "COPY /app", "FROM", "FROM", "FROM"]
    base_to_test = [edge for edge in diagram.edges if (diagram.named(edge.source), diagram.named(edge.target)) == ("base", "test")]
    assert {edge.kind for edge in base_to_test} == {"from", "copy"}
    assert len({edge.path for edge in base_to_test}) == 1, "one arrow between two boxes"
    first, second = (edge.label_box for edge in base_to_test)
    assert first is not None and second is not None and not first.overlaps(second)


def test_a_wide_diagram_has_a_narrow_drawing_beside_it_and_links_to_its_full_size() -> None:
    from dockerfile_docs.render.fit import MIN_SCALE, full_size_link, render_fitted_diagram
    from dockerfile_docs.render.svg import TB_MAX_WIDTH

    analysis = analyze_file(str(Path(__file__).parent.parent / "examples" / "dev-test-prod-targets" / "Dockerfile"))
    fitted = render_fitted_diagram(analysis, id_prefix="x")
    drawings = re.findall(r'<svg [^>]*class="(dd-diagram[^"]*)"[^>]*viewBox="0 0 ([\d.]+) ', fitted)
    assert [kind for kind, _ in drawings] == ["dd-diagram", "dd-diagram dd-tb"]
    across, down = (float(width) for _, width in drawings)
    assert TB_MAX_WIDTH < across and down * MIN_SCALE <= 358, "top to bottom, it fits a 390 px phone's column (358 px) at 9 px text"
    needed = int(re.search(r'class="dd-fit dd-fit-(\d+)"', fitted).group(1))  # type: ignore[union-attr]
    assert needed >= across * MIN_SCALE > needed - 40
    assert len(set(re.findall(r'id="(x-diagram[^"]*-title)"', fitted))) == 2, "the two drawings' ids differ"
    wide = analyze_file(str(Path(__file__).parent.parent / "examples" / "multi-stage-go" / "Dockerfile"))
    assert 'href="stages.svg"' in full_size_link(wide, "stages.svg")
    small = analyze_text("FROM scratch\n")
    assert full_size_link(small, "stages.svg") == "" and "dd-tb" not in render_fitted_diagram(small)


def test_the_edge_a_build_fails_on_is_drawn_failing_with_the_errors_line() -> None:
    broken = Path(__file__).parent.parent / "examples" / "broken-missing-stage" / "Dockerfile"
    analysis = analyze_file(str(broken), BuildOptions(target="runtime"))
    assert analysis.build_errors, "the example's build fails"
    line = analysis.build_errors[0].line
    diagram = read_diagram(render_diagram(analysis))
    failing = [edge for edge in diagram.edges if "dd-failing" in edge.classes]
    assert [(diagram.named(e.source), diagram.named(e.target)) for e in failing] == [("build", "runtime")]
    assert failing[0].label is not None and failing[0].label.endswith(f"\u2715 line {line}")
    assert "the build fails here" in failing[0].title
    svg = render_diagram(analysis)
    assert f"its build fails at line {line}" in svg and 'marker-end="url(#dd-diagram-arrow-fail)"' in svg
    fine = read_diagram(render_diagram(analyze_file(str(broken), BuildOptions(target="build"))))
    assert not [edge for edge in fine.edges if "dd-failing" in edge.classes]


def test_graphs_that_differ_only_in_text_the_boxes_do_not_show_are_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfile_docs.render import svg

    laid_out: list[int] = []
    original = svg.layout_graph

    def counted(nodes, edges, **options):  # type: ignore[no-untyped-def]
        laid_out.append(len(nodes))
        return original(nodes, edges, **options)

    monkeypatch.setattr(svg, "layout_graph", counted)
    svg.clear_layout_cache()
    first = "FROM busybox:1.36 AS build\nRUN echo one > /out\nFROM busybox:1.36\nCOPY --from=build /out /out\n"
    edited = first.replace("busybox:1.36", "busybox:1.37")
    drawings = [svg.render_diagram(analyze_text(text)) for text in (first, edited)]
    assert "busybox:1.37" in drawings[1] and "busybox:1.37" not in drawings[0]
    assert len(laid_out) == 1, "the second graph's boxes and edges are the first one's: its layout is kept"
    svg.render_diagram(analyze_text(first.replace("AS build", "AS a-much-longer-stage-name").replace("=build", "=a-much-longer-stage-name")))
    assert len(laid_out) == 2, "a wider box is laid out anew"


def test_the_graph_of_one_analysis_is_built_once_and_again_when_the_rules_add_a_build_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfile_docs.model import BuildError
    from dockerfile_docs.render import svg

    built: list[object] = []
    original = svg._new_stage_graph

    def counted(analysis):  # type: ignore[no-untyped-def]
        built.append(analysis)
        return original(analysis)

    monkeypatch.setattr(svg, "_new_stage_graph", counted)
    svg.clear_layout_cache()
    analysis = analyze_text("FROM busybox:1.36 AS build\nRUN echo one > /out\nFROM busybox:1.36\nCOPY --from=build /out /out\n")
    first = svg.build_stage_graph(analysis)
    assert svg.build_stage_graph(analysis) is first and len(built) == 1, "a page, its embed and its diagram file share one graph"
    assert svg.build_stage_graph(analyze_text("FROM busybox:1.36\n")) is not first and len(built) == 2
    analysis.build_errors = [BuildError(line=2, message="process did not complete successfully", stage=0)]
    again = svg.build_stage_graph(analysis)
    assert len(built) == 3 and again != first, "an error added after the graph was built is drawn"
    assert any(node.failing for node in again.nodes) and not any(node.failing for node in first.nodes)
