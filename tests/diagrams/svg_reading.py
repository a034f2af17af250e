"""Reading a rendered stage diagram back as data: nodes, edges, labels and their boxes.

Tests look at the SVG the way a browser would get it: parsed as XML, boxes
from the ``rect`` attributes, names from the visible text and ``<title>``.
"""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from dockerfile_docs.render.layout import Box

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class ShownNode:
    key: str
    kind: str
    classes: frozenset[str]
    texts: tuple[str, ...]
    title: str
    box: Box
    href: str | None

    @property
    def name(self) -> str:
        """How expected.yml names a node: a stage by its heading, an image by its full reference."""
        if self.kind == "stage":
            return self.texts[0]
        if self.kind == "image":
            return "image " + self.title.removeprefix("Image ").split("; only skipped", 1)[0]
        return "ARGs"


@dataclass(frozen=True)
class ShownEdge:
    source: str
    target: str
    kind: str
    classes: frozenset[str]
    title: str
    label: str | None
    label_box: Box | None
    path: str


@dataclass(frozen=True)
class ShownDiagram:
    root: ET.Element
    nodes: dict[str, ShownNode]
    edges: list[ShownEdge]

    def named(self, key: str) -> str:
        return self.nodes[key].name

    def edge_set(self) -> set[tuple[str, str, str, str | None]]:
        return {(self.named(e.source), self.named(e.target), e.kind, e.label) for e in self.edges}


def _box(rect: ET.Element) -> Box:
    return Box(*(float(rect.attrib[a]) for a in ("x", "y", "width", "height")))


def _offset(root: ET.Element) -> float:
    graph = root.find(f".//{SVG}g[@class='dd-graph']")
    assert graph is not None
    match = re.match(r"translate\(([-\d.]+),0\)", graph.attrib.get("transform", "translate(0,0)"))
    assert match is not None
    return float(match.group(1))


def read_diagram(svg: str) -> ShownDiagram:
    """Parse ``svg`` (it must be well-formed XML) into the nodes and edges it shows."""
    root = ET.fromstring(svg)
    shift = _offset(root)
    parents = {child: parent for parent in root.iter() for child in parent}
    nodes: dict[str, ShownNode] = {}
    for group in root.iter(f"{SVG}g"):
        key = group.attrib.get("data-node")
        if key is None:
            continue
        classes = frozenset(group.attrib["class"].split())
        rect = group.find(f"{SVG}rect[@class='dd-box']")
        assert rect is not None
        box = _box(rect)
        texts = tuple("".join(t.itertext()) for t in group.findall(f"{SVG}text") if "dd-text" in t.attrib.get("class", ""))
        title = group.findtext(f"{SVG}title") or ""
        parent = parents.get(group)
        href = parent.attrib.get("{http://www.w3.org/1999/xlink}href") if parent is not None and parent.tag == f"{SVG}a" else None
        kind = next(c.removeprefix("dd-node-") for c in classes if c.startswith("dd-node-"))
        nodes[key] = ShownNode(key, kind, classes, texts, title, Box(box.x + shift, box.y, box.width, box.height), href)
    edges: list[ShownEdge] = []
    for group in root.iter(f"{SVG}g"):
        if "data-kind" not in group.attrib:
            continue
        label_group = group.find(f"{SVG}g[@class='dd-edge-label']")
        label = label_box = None
        if label_group is not None:
            label = "".join(label_group.find(f"{SVG}text").itertext())  # type: ignore[union-attr]
            raw = _box(label_group.find(f"{SVG}rect"))  # type: ignore[arg-type]
            label_box = Box(raw.x + shift, raw.y, raw.width, raw.height)
        path = group.find(f"{SVG}path")
        assert path is not None
        edges.append(
            ShownEdge(
                group.attrib["data-source"], group.attrib["data-target"], group.attrib["data-kind"],
                frozenset(group.attrib["class"].split()), group.findtext(f"{SVG}title") or "", label, label_box,
                path.attrib["d"],
            )
        )
    return ShownDiagram(root, nodes, edges)


# --------------------------------------------------------------------------- path geometry


def path_points(d: str, samples: int = 12) -> list[tuple[float, float]]:
    """Points along an SVG path made of M, L and C commands (curves sampled)."""
    tokens = re.findall(r"[MLC]|-?[\d.]+", d)
    points: list[tuple[float, float]] = []
    i = 0
    command = ""
    while i < len(tokens):
        if tokens[i] in "MLC":
            command = tokens[i]
            i += 1
            continue
        if command in "ML":
            points.append((float(tokens[i]), float(tokens[i + 1])))
            i += 2
        else:
            (x0, y0) = points[-1]
            x1, y1, x2, y2, x3, y3 = (float(t) for t in tokens[i:i + 6])
            for step in range(1, samples + 1):
                t = step / samples
                u = 1 - t
                points.append((
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                ))
            i += 6
    return points


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def segments_cross(p1: tuple[float, float], p2: tuple[float, float], q1: tuple[float, float], q2: tuple[float, float]) -> bool:
    """Proper crossing of two segments (touching or collinear overlap does not count)."""
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    return d1 * d2 < -1e-9 and d3 * d4 < -1e-9


def crossings(diagram: ShownDiagram) -> int:
    """How many pairs of edges cross each other, edges sharing an end node not counted as crossing there."""
    polylines = [(e, path_points(e.path)) for e in diagram.edges]
    count = 0
    for i, (a, pa) in enumerate(polylines):
        for b, pb in polylines[i + 1:]:
            shared = {a.source, a.target} & {b.source, b.target}
            if _polylines_cross(pa, pb, trim=8.0 if shared else 0.0):
                count += 1
    return count


def _polylines_cross(pa: list[tuple[float, float]], pb: list[tuple[float, float]], trim: float) -> bool:
    def trimmed(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
        if not trim:
            return points
        start, end = points[0], points[-1]
        return [p for p in points if math.dist(p, start) > trim and math.dist(p, end) > trim]

    a, b = trimmed(pa), trimmed(pb)
    for p1, p2 in itertools.pairwise(a):
        for q1, q2 in itertools.pairwise(b):
            if max(p1[0], p2[0]) < min(q1[0], q2[0]) or max(q1[0], q2[0]) < min(p1[0], p2[0]):
                continue
            if segments_cross(p1, p2, q1, q2):
                return True
    return False


def on_box_side(point: tuple[float, float], box: Box, side: str, tolerance: float = 0.6) -> bool:
    x = box.right if side == "right" else box.x
    return abs(point[0] - x) <= tolerance and box.y - tolerance <= point[1] <= box.bottom + tolerance


def _overlapping_pairs(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    pairs = []
    for i, (name_a, a) in enumerate(boxes):
        for name_b, b in boxes[i + 1:]:
            if a.overlaps(b):
                pairs.append((name_a, name_b))
    return pairs


def assert_readable_geometry(diagram: ShownDiagram) -> None:
    """No two boxes overlap (nodes and labels alike), every edge runs from its source box to its target box."""
    boxes: list[tuple[str, Box]] = [(f"node {n.name}", n.box) for n in diagram.nodes.values()]
    boxes += [(f"label {e.label!r} of {e.source}->{e.target}", e.label_box) for e in diagram.edges if e.label_box]
    assert _overlapping_pairs(boxes) == []
    width, height = (float(v) for v in diagram.root.attrib["viewBox"].split()[2:])
    for _, box in boxes:
        assert 0 <= box.x and box.right <= width and 0 <= box.y and box.bottom <= height
    for edge in diagram.edges:
        points = path_points(edge.path)
        source, target = diagram.nodes[edge.source].box, diagram.nodes[edge.target].box
        assert on_box_side(points[0], source, "right") or on_box_side(points[0], source, "left"), edge
        assert on_box_side(points[-1], target, "left") or on_box_side(points[-1], target, "right"), edge
