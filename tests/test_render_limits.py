"""Bounds that keep hostile or enormous Dockerfiles from costing a page seconds or a process its memory."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from dockerfile_docs.analyze import MAX_STAGES
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.render.svg import MAX_DIAGRAM_STAGES, render_diagram


def chained(stages: int) -> str:
    lines = ["FROM busybox:1.36 AS s0"]
    lines += [f"FROM busybox:1.36 AS s{i}\nCOPY --from=s{i - 1} /f /f" for i in range(1, stages)]
    return "\n".join(lines) + "\n"


def test_more_stages_than_a_diagram_can_show_give_a_note_in_its_place() -> None:
    analysis = analyze_text(chained(MAX_DIAGRAM_STAGES + 1))
    svg = render_diagram(analysis, id_prefix="big")
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    text = " ".join(element.text or "" for element in root.iter() if element.tag.endswith("text"))
    assert f"{MAX_DIAGRAM_STAGES + 1} stages: too many to draw" in text
    assert f"The target s{MAX_DIAGRAM_STAGES} needs {MAX_DIAGRAM_STAGES + 1} of them" in root.find("{http://www.w3.org/2000/svg}desc").text


def test_a_diagram_at_the_bound_is_still_drawn() -> None:
    svg = render_diagram(analyze_text(chained(12)))
    assert "too many to draw" not in svg
    assert svg.count('class="dd-node') >= 12


def test_more_stages_than_the_analyzer_takes_is_a_clear_error() -> None:
    with pytest.raises(DockerfileError) as error:
        analyze_text(chained(MAX_STAGES + 1))
    assert error.value.line == 2 * MAX_STAGES
    assert f"more than {MAX_STAGES} stages" in error.value.message


def test_nested_substitution_is_bounded() -> None:
    word = "${a:-" * 200 + "x" + "}" * 200
    with pytest.raises(DockerfileError) as error:
        analyze_text(f"ARG a\nFROM busybox:{word}\n")
    assert "nested deeper than 64 levels" in error.value.message
