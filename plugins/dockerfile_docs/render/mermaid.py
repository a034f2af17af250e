"""The stage diagram as a Mermaid ``flowchart LR``, for places that render Mermaid themselves.

It shows the same graph as the SVG (:func:`~dockerfile_docs.render.svg.build_stage_graph`).
Node ids are generated (``s0``, ``i0``, ``args``), never taken from the
Dockerfile, and every label character that Mermaid could read as syntax or
markup is written as a numeric entity (``#34;``), which Mermaid shows as text.
"""

from __future__ import annotations

import re

from ..model import Analysis
from .paint import PORTABLE_COLOURS
from .svg import DiagramEdge, DiagramNode, StageGraph, build_stage_graph, shorten_chars

_SAFE = re.compile(r"[A-Za-z0-9 ._:/@+=,\-\u00b7\u2013\u2192\u2026]")
MAX_LINE_CHARS = 40

_ARROWS = {"from": "-->", "copy": "-.->", "mount": "-.->", "arg": "-.->"}
_EDGE_STYLES = {
    "from": f"stroke:{PORTABLE_COLOURS['edge-from']},stroke-width:1.6px",
    "copy": f"stroke:{PORTABLE_COLOURS['edge-copy']},stroke-width:1.6px,stroke-dasharray:6 4",
    "mount": f"stroke:{PORTABLE_COLOURS['edge-mount']},stroke-width:2px,stroke-dasharray:1.5 3.5",
    "arg": f"stroke:{PORTABLE_COLOURS['edge-arg']},stroke-width:1.3px,stroke-dasharray:8 3 2 3",
}
"""The portable diagram's mid-tones (:mod:`.paint`): they read on a light page and on a dark one."""
_CLASS_STYLES = {
    "stage": f"stroke:{PORTABLE_COLOURS['stroke']}",
    "image": f"stroke:{PORTABLE_COLOURS['stroke']}",
    "args": f"stroke:{PORTABLE_COLOURS['args-stroke']}",
    "target": f"stroke:{PORTABLE_COLOURS['target']},stroke-width:3px",
    "skipped": f"stroke:{PORTABLE_COLOURS['stroke']},stroke-dasharray:5 3",
    "failing": f"stroke:{PORTABLE_COLOURS['edge-fail']},stroke-width:3px",
}
"""Strokes only: fills and text colours stay the host's theme's, light or dark."""


def mermaid_text(text: str) -> str:
    """``text`` as a Mermaid label fragment: anything but plain characters becomes ``#NNN;``."""
    return "".join(c if _SAFE.fullmatch(c) else f"#{ord(c)};" for c in text)


def render_mermaid(analysis: Analysis) -> str:
    """The stage graph of ``analysis`` as Mermaid flowchart source (ends with a newline)."""
    return draw_mermaid(build_stage_graph(analysis))


def draw_mermaid(graph: StageGraph) -> str:
    """Mermaid source for an already built :class:`StageGraph`."""
    out = ["flowchart LR"]
    for node in graph.nodes:
        out.append(f"  {node.key}{_shape(node)}")
    for edge in graph.edges:
        out.append(f"  {edge.source} {_ARROWS[edge.kind]}|\"{mermaid_text(_edge_label(edge))}\"| {edge.target}")
    for position, edge in enumerate(graph.edges):
        style = _EDGE_STYLES[edge.kind] + (",opacity:0.5" if edge.skipped else "")
        if edge.failing:
            style = f"stroke:{PORTABLE_COLOURS['edge-fail']},stroke-width:2.4px"
        out.append(f"  linkStyle {position} {style}")
    out += [f"  classDef {name} {style}" for name, style in _CLASS_STYLES.items()]
    for css_class in _CLASS_STYLES:
        members = [n.key for n in graph.nodes if _node_class(n) == css_class]
        if members:
            out.append(f"  class {','.join(members)} {css_class}")
    return "\n".join(out) + "\n"


def _node_class(node: DiagramNode) -> str:
    if node.failing:
        return "failing"
    if node.target:
        return "target"
    if node.skipped:
        return "skipped"
    return node.kind


def _shape(node: DiagramNode) -> str:
    lines = []
    for line in node.lines:
        text = mermaid_text(shorten_chars(line.text, MAX_LINE_CHARS))
        if line.style == "heading":
            text = f"<b>{text}</b>"
        elif line.style in ("note", "caption"):
            text = f"<i>{text}</i>"
        lines.append(text)
    if node.target:
        lines[0] += " #40;target#41;"
    label = "<br/>".join(lines)
    if node.kind == "image":
        return f'(["{label}"])'
    if node.kind == "args":
        return f'[/"{label}"/]'
    return f'["{label}"]'


def _edge_label(edge: DiagramEdge) -> str:
    return edge.label
