"""The Mermaid flowchart: the same graph as the SVG, with generated ids and entity-escaped labels."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_docs.model import BuildOptions
from dockerfile_docs.pipeline import analyze_file, analyze_text
from dockerfile_docs.render.mermaid import mermaid_text, render_mermaid
from dockerfile_docs.render.svg import render_diagram

sys.path.insert(0, str(Path(__file__).parent / "diagrams"))
from svg_reading import read_diagram

CASES = Path(__file__).parent / "diagrams"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.yml").is_file())

NODE = re.compile(r'^  (\w+)(\["|\(\["|\[/")(.*)("\]|"\]\)|"/\])$')
EDGE = re.compile(r'^  (\w+) (-->|-\.->)\|"(.*)"\| (\w+)$')
ARROW_OF_KIND = {"from": "-->", "copy": "-.->", "mount": "-.->", "arg": "-.->"}


def _decode(label: str) -> str:
    """What Mermaid shows for a label: ``#NNN;`` entities decoded."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)


def _analysis(case: str):  # type: ignore[no-untyped-def]
    expected = yaml.safe_load((CASES / case / "expected.yml").read_text(encoding="utf-8"))
    options = expected.get("options")
    return analyze_file(str(CASES / case / "Dockerfile"), BuildOptions(**options) if options else None)


def _parse(source: str) -> tuple[dict[str, list[str]], list[tuple[str, str, str, str]], list[str]]:
    lines = source.splitlines()
    assert lines[0] == "flowchart LR"
    nodes: dict[str, list[str]] = {}
    edges: list[tuple[str, str, str, str]] = []
    rest: list[str] = []
    for line in lines[1:]:
        if match := NODE.match(line):
            nodes[match.group(1)] = [_decode(re.sub(r"</?[bi]>", "", part)) for part in match.group(3).split("<br/>")]
        elif match := EDGE.match(line):
            edges.append((match.group(1), match.group(4), match.group(2), _decode(match.group(3))))
        else:
            rest.append(line)
    return nodes, edges, rest


@pytest.mark.parametrize("case", CASE_NAMES)
def test_mermaid_has_the_same_nodes_and_edges_as_the_svg(case: str) -> None:
    analysis = _analysis(case)
    svg = read_diagram(render_diagram(analysis))
    nodes, edges, rest = _parse(render_mermaid(analysis))
    assert set(nodes) == set(svg.nodes)
    for key, node in svg.nodes.items():
        if node.kind == "stage":
            assert nodes[key][0].removesuffix(" (target)") == node.texts[0]
            assert nodes[key][0].endswith(" (target)") == ("dd-target" in node.classes)
            assert ("skipped by BuildKit" in nodes[key]) == ("dd-skipped" in node.classes)
    svg_edges = sorted((e.source, e.target, ARROW_OF_KIND[e.kind]) for e in svg.edges)
    assert sorted((s, t, arrow) for s, t, arrow, _ in edges) == svg_edges
    for line in rest:
        assert line.startswith(("  linkStyle ", "  classDef ", "  class ")), line
    assert len([r for r in rest if r.startswith("  linkStyle ")]) == len(edges)


def test_mermaid_labels_and_ids_never_carry_dockerfile_syntax() -> None:
    analysis = _analysis("hostile-names")
    source = render_mermaid(analysis)
    for forbidden in ("<script", "<svg", "<img", '"><', "]]>", "-->|\"--", "%%"):
        assert forbidden not in source.replace("<br/>", "").replace("<b>", "").replace("</b>", "").replace(
            "<i>", ""
        ).replace("</i>", "")
    nodes, edges, _ = _parse(source)
    assert all(re.fullmatch(r"s\d+|i\d+|args", key) for key in nodes)
    labels = {label for *_, label in edges}
    assert "RUN --mount --><img/src/onerror=alert(3)>" in labels
    assert nodes["args"][1] == 'TAG="><svg/onload=alert(0)>'


@pytest.mark.parametrize("text", ['"quoted"', "a|b", "x#35;y", "[brackets]", "{braces}", "<b>", "é ü 日本", "end"])
def test_mermaid_text_round_trips_through_entities(text: str) -> None:
    escaped = mermaid_text(text)
    assert _decode(escaped) == text
    assert not set(escaped) & set('"|[]{}<>()`\\')
    assert html.unescape(escaped) == escaped


def test_mermaid_marks_the_target_and_dims_skipped_stages() -> None:
    analysis = analyze_text("FROM busybox:1.36 AS a\nFROM busybox:1.36 AS unused\nFROM scratch\nCOPY --from=a /x /x\n")
    source = render_mermaid(analysis)
    assert "  class s2 target" in source
    assert "  class s1 skipped" in source
    assert source.endswith("\n") and render_mermaid(analysis) == source
