"""A layered left-to-right layout for directed graphs, in pure Python, in time that grows with the graph.

The stage diagram needs boxes that never overlap, labels that never sit on a
box or on each other, and few crossings, for anything from one stage to
hundreds of ``COPY --from`` edges. This is the classic Sugiyama scheme, kept
deterministic (every tie is broken by input order, no hashing; the shuffled
starting orders come from a generator with fixed seeds):

1. cycles are broken by reversing the DFS back edges (BuildKit rejects
   cycles among the stages it builds, but skipped stages are not checked);
   parallel edges (the same two nodes, the same direction) share one route,
   their labels stacked in one label box;
2. nodes are layered by longest path; nodes marked ``pull_right`` (image and
   ARG nodes) then move next to their first consumer, and a node with more
   edges out than in moves right as far as its successors allow, so edges
   stay short; a part whose tallest column a balanced layering lowers is
   laid out both ways, and the drawing with fewer crossings, then the
   smaller one, is kept;
3. each real layer becomes an even column; the odd column between two real
   ones holds the edge labels and the dummy nodes of edges that pass by, so
   a label is a box the layout places like any other and cannot overlap;
4. each connected part is ordered on its own (:mod:`.ordering`): median
   and barycenter sweeps, each followed by adjacent swaps (transposition),
   from six starting orders, then median sweeps from shuffled ones, a
   bounded number of times; the ordering with the fewest crossings is
   kept, and its long edges are moved whole to where they cross least. A
   sweep costs O(E log E) (crossings are counted as inversions), and
   budgets of vertex visits bound the work on a huge graph, so its cost
   grows with its vertices, never faster;
5. vertical positions minimise the weighted squared distance of each vertex
   to its neighbours under the column's ordering and spacing constraints,
   solved exactly per column with the pool-adjacent-violators algorithm;
   dummy chains weigh more, so long edges run straight; a column that then
   reaches below the tallest one moves up, so the columns do not climb or
   sink like a staircase into a drawing taller than it must be;
6. the parts are packed: the largest first, each further one where it grows
   the drawing least, often in the empty room below short columns.

Steps 4 and 5 visit every bend point, and a dense graph's bend points
outnumber its nodes and edges many times over. A part of more than
``SEGMENT_LAYOUT_VERTICES`` vertices is ordered and placed by segments
instead (:mod:`.segments`): the ordering takes the inner run of each edge
as one item, and the placement gives it one height every two columns.

Edges are returned as routes whose segments alternate between a straight
run inside a column and a curve through the gap between two columns, so a
curve only ever crosses empty space.
"""

from __future__ import annotations

import gc
import itertools
from bisect import insort
from collections.abc import Callable

from ..records import field, record
from .ordering import order_columns
from .segments import SEGMENT_LAYOUT_VERTICES, lay_out_by_segments


@record(frozen=True)
class LayoutNode:
    """A box to place. ``pull_right`` asks for the column just before its first successor."""

    key: str
    width: float
    height: float
    pull_right: bool = False


@record(frozen=True)
class LayoutEdge:
    """An edge from ``source`` to ``target`` (node keys), with the size of its label box (0 for none)."""

    source: str
    target: str
    label_width: float = 0.0
    label_height: float = 0.0


@record(frozen=True)
class Box:
    """An axis-aligned rectangle; ``x``/``y`` is the top-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True when the two boxes share area (touching edges do not count)."""
        return (
            self.x < other.right + margin
            and other.x < self.right + margin
            and self.y < other.bottom + margin
            and other.y < self.bottom + margin
        )


Point = tuple[float, float]


@record(frozen=True)
class Route:
    """Where one edge runs, from its source box to its target box.

    Segment ``i`` (from ``points[i]`` to ``points[i + 1]``) is a straight line
    when ``i`` is even and a curve with horizontal tangents when ``i`` is odd;
    the first point lies on the source box, the last on the target box.
    """

    edge: int
    points: tuple[Point, ...]
    label: Box | None


@record
class Layout:
    """The placed graph: node boxes by key, one route per input edge (same order), total size."""

    width: float
    height: float
    nodes: dict[str, Box]
    routes: list[Route]
    columns: dict[str, int] = field(default_factory=dict)
    crossings: int = 0


@record
class _Vertex:
    """A node of the layered graph: a real node, an edge label or a bend point of a long edge."""

    kind: str  # "node" | "label" | "dummy"
    column: int
    width: float
    height: float
    order: int = 0
    y: float = 0.0
    node_key: str | None = None


@record
class _Spacing:
    node_gap: float
    lane_gap: float
    column_gap: float
    margin: float
    empty_column: float = 18.0
    max_extent: float | None = None
    """With ``max_column``: how far down a column may reach; a column placed further is moved up, whole."""


def layout_graph(
    nodes: list[LayoutNode],
    edges: list[LayoutEdge],
    *,
    node_gap: float = 22.0,
    lane_gap: float = 10.0,
    column_gap: float = 28.0,
    margin: float = 12.0,
    direction: str = "LR",
    max_column: float | None = None,
) -> Layout:
    """Place ``nodes`` in columns from left to right and route ``edges`` between them.

    ``node_gap`` separates two boxes in a column, ``lane_gap`` anything next
    to a label or an edge lane, ``column_gap`` two columns. Edges whose
    source or target is unknown, and self-loops, raise ``ValueError``.
    ``direction="TB"`` lays the graph out from top to bottom instead (rows
    for columns; a route's curves then have vertical tangents), for a
    column too narrow for the graph's width. ``max_column`` bounds the
    boxes of one column (one row, top to bottom) and their gaps: nodes that
    would pass it move to a later column, so the drawing stays that narrow.

    The cyclic garbage collector is paused meanwhile. The layout makes no
    reference cycles, but tens of thousands of short-lived lists and tuples:
    at 856 edges they set off about 150 collections of the young objects and
    one or two of everything the process holds (in a site build, every
    page), 10 to 15% of the layout's time; their reference counts free them.
    """
    if direction == "TB":
        turned = layout_graph(
            [LayoutNode(n.key, n.height, n.width, n.pull_right) for n in nodes],
            [LayoutEdge(e.source, e.target, e.label_height, e.label_width) for e in edges],
            node_gap=node_gap, lane_gap=lane_gap, column_gap=column_gap, margin=margin, max_column=max_column,
        )
        return _transposed(turned)
    if direction != "LR":
        raise ValueError(f"direction {direction!r}: expected 'LR' or 'TB'")
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _layout_lr(nodes, edges, node_gap=node_gap, lane_gap=lane_gap, column_gap=column_gap, margin=margin, max_column=max_column)
    finally:
        if collecting:
            gc.enable()


def _layout_lr(
    nodes: list[LayoutNode], edges: list[LayoutEdge], *, node_gap: float, lane_gap: float, column_gap: float, margin: float,
    max_column: float | None,
) -> Layout:
    spacing = _Spacing(node_gap=node_gap, lane_gap=lane_gap, column_gap=column_gap, margin=margin, max_extent=max_column)
    keys = [n.key for n in nodes]
    index = {key: i for i, key in enumerate(keys)}
    if len(index) != len(keys):
        raise ValueError("node keys must be unique")
    for edge in edges:
        if edge.source not in index or edge.target not in index:
            raise ValueError(f"edge {edge.source!r} -> {edge.target!r} names an unknown node")
        if edge.source == edge.target:
            raise ValueError(f"self-loop on {edge.source!r} cannot be laid out")
    if not nodes:
        return Layout(width=2 * margin, height=2 * margin, nodes={}, routes=[])

    pairs = [(index[e.source], index[e.target]) for e in edges]
    reversed_edges = _back_edges(len(nodes), pairs)
    directed = [(t, s) if i in reversed_edges else (s, t) for i, (s, t) in enumerate(pairs)]
    footprints = None
    if max_column is not None:
        # a node's share of its column: its box, or the labels of its incoming edges side by side in the gap before it
        incoming_labels = [0.0] * len(nodes)
        for edge, (_, target) in zip(edges, directed):
            if edge.label_width:
                incoming_labels[target] += edge.label_height + (lane_gap if incoming_labels[target] else 0.0)
        footprints = [max(node.height, labels) for node, labels in zip(nodes, incoming_labels)]
    ranks = _ranks(nodes, directed, max_column=max_column, node_gap=node_gap, footprints=footprints)
    balanced = _ranks(nodes, directed, max_column=max_column, node_gap=node_gap, footprints=footprints, balance=True)
    bundles = _bundles(edges, directed, reversed_edges)

    parts = []
    for members, part_bundles in _parts(len(nodes), bundles):
        part = _lay_out_part(members, part_bundles, nodes, edges, ranks, spacing)
        if part.vertices <= BALANCED_LAYERING_VERTICES and _columns_differ(members, ranks, balanced):
            other = _lay_out_part(members, part_bundles, nodes, edges, balanced, spacing)
            if (other.crossings, other.width * other.height) < (part.crossings, part.width * part.height):
                part = other
        parts.append(part)
    offsets = _pack(parts, spacing)

    boxes: dict[str, Box] = {}
    node_columns: dict[str, int] = {}
    routes: list[Route | None] = [None] * len(edges)
    for part, (dx, dy) in zip(parts, offsets):
        for key, box in part.boxes.items():
            boxes[key] = Box(box.x + dx, box.y + dy, box.width, box.height)
        node_columns.update(part.columns)
        for bundle, points, label in part.routes:
            _bundle_routes(bundle, points, label, edges, dx, dy, routes)
    width = max(dx + part.width for part, (dx, _) in zip(parts, offsets)) + margin
    height = max(dy + part.height for part, (_, dy) in zip(parts, offsets)) + margin
    return Layout(
        width=width,
        height=height,
        nodes={key: boxes[key] for key in keys},
        routes=[route for route in routes if route is not None],
        columns={key: node_columns[key] for key in keys},
        crossings=sum(part.crossings for part in parts),
    )


def _transposed(layout: Layout) -> Layout:
    """``layout`` mirrored on its diagonal: x for y, width for height."""

    def box(b: Box) -> Box:
        return Box(b.y, b.x, b.height, b.width)

    return Layout(
        width=layout.height,
        height=layout.width,
        nodes={key: box(b) for key, b in layout.nodes.items()},
        routes=[
            Route(r.edge, tuple((y, x) for x, y in r.points), box(r.label) if r.label is not None else None) for r in layout.routes
        ],
        columns=layout.columns,
        crossings=layout.crossings,
    )


@record(frozen=True)
class _Bundle:
    """Edges with the same two ends in the same direction, laid out as one: ``source``/``target`` in layout direction."""

    source: int
    target: int
    drawn_reversed: bool
    edges: tuple[int, ...]
    label_width: float
    label_height: float


LABEL_STACK_GAP = 3.0
"""Between two labels of one bundle, stacked in its label box."""


def _bundles(edges: list[LayoutEdge], directed: list[tuple[int, int]], reversed_edges: set[int]) -> list[_Bundle]:
    grouped: dict[tuple[int, int, bool], list[int]] = {}
    for i, (s, t) in enumerate(directed):
        grouped.setdefault((s, t, i in reversed_edges), []).append(i)
    bundles = []
    for (s, t, drawn_reversed), members in grouped.items():
        labelled = [edges[i] for i in members if edges[i].label_width > 0]
        width = max((e.label_width for e in labelled), default=0.0)
        height = sum(e.label_height for e in labelled) + LABEL_STACK_GAP * max(len(labelled) - 1, 0)
        bundles.append(_Bundle(s, t, drawn_reversed, tuple(members), width, height))
    return bundles


def _bundle_routes(
    bundle: _Bundle, points: tuple[Point, ...], label: Box | None, edges: list[LayoutEdge], dx: float, dy: float,
    routes: list[Route | None],
) -> None:
    """One route per edge of ``bundle``, all on the bundle's path; each label gets its row of the bundle's label box.

    The points are moved by the part's offset, not rounded: the drawing rounds
    each coordinate once, as it writes it, and a huge graph's tens of
    thousands of points were a tenth of its layout's time.
    """
    moved = tuple([(x + dx, y + dy) for x, y in points]) if dx or dy else points
    y = label.y + dy if label is not None else 0.0
    for i in bundle.edges:
        edge = edges[i]
        own: Box | None = None
        if label is not None and edge.label_width > 0:
            center = label.x + dx + label.width / 2
            own = Box(round(center - edge.label_width / 2, 2), round(y, 2), edge.label_width, edge.label_height)
            y += edge.label_height + LABEL_STACK_GAP
        routes[i] = Route(edge=i, points=moved, label=own)


def _parts(count: int, bundles: list[_Bundle]) -> list[tuple[list[int], list[_Bundle]]]:
    """The connected parts of the graph: node indices in input order and their bundles, in order of first node."""
    parent = list(range(count))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for bundle in bundles:
        a, b = find(bundle.source), find(bundle.target)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = {}
    for node in range(count):
        members.setdefault(find(node), []).append(node)
    owned: dict[int, list[_Bundle]] = {root: [] for root in members}
    for bundle in bundles:
        owned[find(bundle.source)].append(bundle)
    return [(members[root], owned[root]) for root in sorted(members)]


@record
class _Part:
    """A connected part laid out on its own, with its top-left corner at (0, 0)."""

    width: float
    height: float
    boxes: dict[str, Box]
    columns: dict[str, int]
    routes: list[tuple[_Bundle, tuple[Point, ...], Box | None]]
    crossings: int
    outline: list[Box]
    """Rectangles that cover everything drawn: one per column, as deep as the column and its curves reach."""
    vertices: int = 0
    """Nodes, labels and bend points laid out: what the ordering's work grows with."""


def _lay_out_part(
    members: list[int], bundles: list[_Bundle], nodes: list[LayoutNode], edges: list[LayoutEdge], ranks: list[int],
    spacing: _Spacing,
) -> _Part:
    local = {node: position for position, node in enumerate(members)}
    used = sorted({ranks[node] for node in members})
    compact = {rank: i for i, rank in enumerate(used)}
    node_columns = [2 * compact[ranks[node]] for node in members]
    spans = [(node_columns[local[b.source]], node_columns[local[b.target]]) for b in bundles]
    label_columns = _label_columns(bundles, spans, spacing.empty_column)
    count = len(members) + sum(last - first - 1 for first, last in spans)
    if count > SEGMENT_LAYOUT_VERTICES:
        return lay_out_by_segments(members, bundles, nodes, node_columns, spans, label_columns, spacing, count)
    vertices = [
        _Vertex("node", column, nodes[node].width, nodes[node].height, node_key=nodes[node].key)
        for node, column in zip(members, node_columns)
    ]
    chains: list[list[int]] = []
    for bundle, (first, last), label_column in zip(bundles, spans, label_columns):
        s, t = local[bundle.source], local[bundle.target]
        chain = [s]
        for column in range(first + 1, last):
            if column == label_column and bundle.label_width > 0:
                vertices.append(_Vertex("label", column, bundle.label_width, bundle.label_height))
            else:
                vertices.append(_Vertex("dummy", column, 0.0, 0.0))
            chain.append(len(vertices) - 1)
        chain.append(t)
        chains.append(chain)
    columns = _columns(vertices)
    links = _links(chains, len(vertices))
    crossings = order_columns(columns, links, vertices)
    _place_vertically(columns, links, vertices, spacing)
    tallest = max(bottom - top for top, bottom in (_reach(members, vertices) for members in columns if members))
    _pull_columns_up(columns, vertices, tallest if spacing.max_extent is None else min(tallest, spacing.max_extent))
    column_x, column_w = _place_horizontally(columns, vertices, spacing)

    boxes: dict[str, Box] = {}
    for vertex in vertices:
        if vertex.kind == "node" and vertex.node_key is not None:
            cx = column_x[vertex.column] + column_w[vertex.column] / 2
            boxes[vertex.node_key] = Box(cx - vertex.width / 2, vertex.y - vertex.height / 2, vertex.width, vertex.height)
    routes = []
    ports = _ports(chains, vertices)
    for i, (bundle, chain) in enumerate(zip(bundles, chains)):
        points, label = _route(i, chain, vertices, column_x, column_w, ports)
        points = _straightened(points)
        if bundle.drawn_reversed:
            points.reverse()
        routes.append((bundle, tuple(points), label))
    bottoms = [max((vertices[v].y + vertices[v].height / 2 for v in column), default=0.0) for column in columns]
    return _Part(
        width=column_x[-1] + column_w[-1],
        height=max(bottoms),
        boxes=boxes,
        columns={v.node_key: v.column // 2 for v in vertices if v.node_key is not None},
        routes=routes,
        crossings=crossings,
        outline=_outline(bottoms, column_x, column_w, spacing.column_gap),
        vertices=len(vertices),
    )


def _outline(bottoms: list[float], column_x: list[float], column_w: list[float], column_gap: float) -> list[Box]:
    """A part's :attr:`_Part.outline`: a rectangle per column, from the gap before it, as deep as it or a neighbour reaches
    (the curves into and out of a column run through the gaps on both sides)."""
    outline = []
    for c in range(len(bottoms)):
        left = column_x[c] - (column_gap if c else 0.0)
        outline.append(Box(left, 0.0, column_x[c] + column_w[c] - left, max(bottoms[max(c - 1, 0): c + 2])))
    return outline


def _columns_differ(members: list[int], ranks: list[int], other: list[int]) -> bool:
    """Whether two rankings put a part's nodes in different columns (the numbering of the columns aside)."""
    def compact(rank: list[int]) -> list[int]:
        used = sorted({rank[node] for node in members})
        index = {r: i for i, r in enumerate(used)}
        return [index[rank[node]] for node in members]

    return compact(ranks) != compact(other)


def _label_columns(bundles: list[_Bundle], spans: list[tuple[int, int]], empty_column: float) -> list[int]:
    """The gap column each bundle's label goes in: next to its target (its source when drawn reversed), unless that widens the drawing.

    A column is as wide as its widest label, so a long edge whose label is
    the widest in the column before its target moves the label to the gap
    column along its way that it widens least, often one it fits in as it
    is, but only when that saves more width than the label's height, which
    it adds to the column it joins: a label keeps its place by the arrow for
    a pixel or two, and a top-to-bottom drawing, whose labels are all as
    "wide" as they are high, keeps its labels by their targets side by side
    no wider. The widest labels choose first; a tie keeps the label by its
    target.
    """
    chosen = [first + 1 if bundle.drawn_reversed else last - 1 for bundle, (first, last) in zip(bundles, spans)]
    in_column: dict[int, list[float]] = {}
    for bundle, column in zip(bundles, chosen):
        if bundle.label_width > 0:
            insort(in_column.setdefault(column, []), bundle.label_width)
    movable = [i for i, (first, last) in enumerate(spans) if bundles[i].label_width > 0 and last - first >= 4]

    def widening(width: float, column: int) -> float:
        widths = in_column.get(column)
        return max(0.0, width - max(widths[-1] if widths else 0.0, empty_column))

    for i in sorted(movable, key=lambda i: (-bundles[i].label_width, i)):
        width = bundles[i].label_width
        in_column[chosen[i]].remove(width)
        best, best_cost = chosen[i], widening(width, chosen[i])
        worth_moving = best_cost - bundles[i].label_height
        first, last = spans[i]
        for column in range(first + 1, last, 2):
            cost = widening(width, column)
            if cost < worth_moving and cost < best_cost:
                best, best_cost = column, cost
        chosen[i] = best
        insort(in_column.setdefault(best, []), width)
    return chosen


def _pack(parts: list[_Part], spacing: _Spacing) -> list[tuple[float, float]]:
    """Where each part's top-left corner goes: the largest part first, each further one where it grows the drawing least.

    A part may sit in the room below the columns of the parts already placed
    (their outlines), to the right of them or below them. A place that keeps
    the drawing's width wins (a page is narrower than it is long), then the
    one that grows its area least, then the highest and the leftmost.
    """
    gap = spacing.node_gap
    order = sorted(range(len(parts)), key=lambda i: (-len(parts[i].boxes), i))
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(parts)
    occupied: list[Box] = []
    width = height = 0.0
    for position, i in enumerate(order):
        part = parts[i]
        x, y = spacing.margin, spacing.margin
        if position:
            candidates = {spacing.margin} | {box.x for box in occupied} | {box.right + gap for box in occupied}
            best: tuple[float, float, float, float] | None = None
            for cx in sorted(candidates):
                cy = spacing.margin
                for box in occupied:
                    if box.x < cx + part.width + gap and cx < box.right + gap:
                        cy = max(cy, box.bottom + gap)
                wider = max(width, cx + part.width)
                key = (float(wider > width), wider * max(height, cy + part.height), cy, cx)
                if best is None or key < best:
                    best = key
            assert best is not None
            _, _, y, x = best
        offsets[i] = (x, y)
        occupied += [Box(box.x + x, box.y + y, box.width, box.height) for box in part.outline]
        width, height = max(width, x + part.width), max(height, y + part.height)
    return offsets


# --------------------------------------------------------------------------- layering


def _back_edges(count: int, pairs: list[tuple[int, int]]) -> set[int]:
    """Indices of edges closing a cycle in a depth-first search taken in node order."""
    outgoing: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for i, (s, t) in enumerate(pairs):
        outgoing[s].append((t, i))
    state = [0] * count
    back: set[int] = set()
    for root in range(count):
        if state[root]:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, position = stack[-1]
            if position < len(outgoing[node]):
                stack[-1] = (node, position + 1)
                target, edge = outgoing[node][position]
                if state[target] == 1:
                    back.add(edge)
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[node] = 2
                stack.pop()
    return back


def _topological(count: int, directed: list[tuple[int, int]]) -> list[int]:
    indegree = [0] * count
    outgoing: list[list[int]] = [[] for _ in range(count)]
    for s, t in directed:
        outgoing[s].append(t)
        indegree[t] += 1
    ready = [i for i in range(count) if indegree[i] == 0]
    result: list[int] = []
    while ready:
        ready.sort()
        node = ready.pop(0)
        result.append(node)
        for t in outgoing[node]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    return result


def _ranks(
    nodes: list[LayoutNode], directed: list[tuple[int, int]], *, max_column: float | None = None, node_gap: float = 0.0,
    footprints: list[float] | None = None, balance: bool = False,
) -> list[int]:
    """Longest-path layers, then shorter edges: ``pull_right`` nodes go next to their first consumer, and a
    node with more edges out than in moves right as far as its successors allow (each move shortens the
    edges' total length; a few passes, O(E) each); with ``balance``, see :func:`_balance`."""
    count = len(nodes)
    order = _topological(count, directed)
    rank = [0] * count
    incoming: list[list[int]] = [[] for _ in range(count)]
    outgoing: list[list[int]] = [[] for _ in range(count)]
    for s, t in directed:
        incoming[t].append(s)
        outgoing[s].append(t)
    for node in order:
        if incoming[node]:
            rank[node] = max(rank[p] + 1 for p in incoming[node])
    for _ in range(RANK_PASSES):
        moved = False
        for node in reversed(order):
            if not outgoing[node] or not (nodes[node].pull_right or len(outgoing[node]) > len(incoming[node])):
                continue
            latest = min(rank[s] for s in outgoing[node]) - 1
            if latest > rank[node]:
                rank[node], moved = latest, True
        if not moved:
            break
    footprints = footprints or [n.height for n in nodes]
    if balance:
        _balance(rank, order, incoming, outgoing, footprints, node_gap, [n.pull_right for n in nodes])
    if max_column is not None:
        _bound_columns(rank, footprints, outgoing, max_column, node_gap)
    lowest = min(rank)
    used = sorted({r - lowest for r in rank})
    compact = {r: i for i, r in enumerate(used)}
    return [compact[r - lowest] for r in rank]


RANK_PASSES = 4
BALANCED_LAYERING_VERTICES = 200
"""A part of up to this many vertices whose balanced layering differs is laid out both ways (see :func:`_balance`).

A second layout doubles the cost; on the 28 public graphs the balanced
one was kept on containerd's test Dockerfile (33 vertices, 20% less area,
where the plain one was 1.4% larger than dot's) and on buildkit's (446
vertices, 7% less; without it 0.63 of dot's area), and lost on buildx's
(287) and moby's (362) with more crossings: past this size it made the
largest layouts twice as slow for little."""


def _balance(
    rank: list[int], order: list[int], incoming: list[list[int]], outgoing: list[list[int]], footprints: list[float], gap: float,
    pinned: list[bool],
) -> None:
    """Move a node of the tallest column with as many edges in as out to the nearest column its edges allow where it lowers that height.

    Gansner et al.'s balancing, kept to what lowers the tallest column:
    such a node's edges are as long in any column between its last
    predecessor and its first successor, and the drawing is as high as its
    tallest column. Nodes go in topological order; ``pinned`` ones (image
    and ARG nodes, which sit by their first consumer) stay.
    """
    filled: dict[int, float] = {}
    for node, r in enumerate(rank):
        filled[r] = filled.get(r, -gap) + footprints[node] + gap
    for node in order:
        if pinned[node] or not incoming[node] or len(incoming[node]) != len(outgoing[node]):
            continue
        earliest = max(rank[p] for p in incoming[node]) + 1
        latest = min(rank[s] for s in outgoing[node]) - 1
        if earliest >= latest:
            continue
        current = rank[node]
        if filled[current] < max(filled.values()):
            continue
        size = footprints[node] + gap
        lower = [r for r in range(earliest, latest + 1) if r != current and filled.get(r, -gap) + size < filled[current]]
        if lower:
            best = min(lower, key=lambda r: (abs(r - current), r))
            filled[current] -= size
            filled[best] = filled.get(best, -gap) + size
            rank[node] = best


def _bound_columns(rank: list[int], footprints: list[float], outgoing: list[list[int]], limit: float, gap: float) -> None:
    """Move nodes to later columns until no column's footprints and gaps pass ``limit`` (a node alone may).

    Columns are filled in input order; a node moved on pushes its successors
    on too, so every edge still runs forward.
    """
    column = min(rank)
    while column <= max(rank):
        used = 0.0
        for node in sorted(n for n in range(len(footprints)) if rank[n] == column):
            size = footprints[node] + (gap if used else 0.0)
            if used and used + size > limit:
                rank[node] = column + 1
                stack = [node]
                while stack:
                    current = stack.pop()
                    for successor in outgoing[current]:
                        if rank[successor] <= rank[current]:
                            rank[successor] = rank[current] + 1
                            stack.append(successor)
            else:
                used += size
        column += 1


def _columns(vertices: list[_Vertex]) -> list[list[int]]:
    count = max(v.column for v in vertices) + 1
    columns: list[list[int]] = [[] for _ in range(count)]
    for i, vertex in enumerate(vertices):
        columns[vertex.column].append(i)
    return columns


@record
class _Links:
    """Each vertex's neighbours in the previous and the next column, with the weights of those edges, indexed by vertex.

    Built once per part: the ordering reads them in every sweep and the
    vertical placement in every pass, so they are plain lists, not looked up.
    """

    before: list[list[int]]
    before_weights: list[list[float]]
    after: list[list[int]]
    after_weights: list[list[float]]


def _links(chains: list[list[int]], count: int) -> _Links:
    before: list[list[int]] = [[] for _ in range(count)]
    after: list[list[int]] = [[] for _ in range(count)]
    before_weights: list[list[float]] = [[] for _ in range(count)]
    after_weights: list[list[float]] = [[] for _ in range(count)]
    for chain in chains:
        last = len(chain) - 2
        for position, (a, b) in enumerate(itertools.pairwise(chain)):
            weight = (1.0, 2.0, 8.0)[(position > 0) + (position < last)]
            after[a].append(b)
            after_weights[a].append(weight)
            before[b].append(a)
            before_weights[b].append(weight)
    return _Links(before, before_weights, after, after_weights)


# --------------------------------------------------------------------------- coordinates


def _gap(a: _Vertex, b: _Vertex, spacing: _Spacing) -> float:
    if a.kind == "node" and b.kind == "node":
        return spacing.node_gap
    return spacing.lane_gap


SETTLED = 0.05
"""Pixels: a pair of placement passes that moves no two vertices more than this apart has converged."""
PLACEMENT_BUDGET = 80_000
"""Vertex visits the vertical placement may spend: twelve pairs of passes for a small graph, fewer for a huge one."""
UNLINKED_WEIGHT = 0.25
"""How strongly a vertex with no neighbour on the side weighed keeps its place."""


def _place_vertically(columns: list[list[int]], links: _Links, vertices: list[_Vertex], spacing: _Spacing) -> None:
    """Each vertex's ``y``: alternating passes pull each column towards its neighbours, within the column's order and gaps.

    A column's order and gaps do not change here, so each vertex's offset
    from the column's top vertex is worked out once; the passes then work on
    a flat list of centres.
    """
    offsets_of: list[list[float]] = []
    ys = [0.0] * len(vertices)
    for members in columns:
        offsets = [0.0]
        for a, b in itertools.pairwise(members):
            va, vb = vertices[a], vertices[b]
            offsets.append(offsets[-1] + va.height / 2 + _gap(va, vb, spacing) + vb.height / 2)
        offsets_of.append(offsets)
        top = vertices[members[0]].height / 2 if members else 0.0
        for vertex, offset in zip(members, offsets):
            ys[vertex] = top + offset
    both = [b + a for b, a in zip(links.before, links.after)]
    both_weights = [b + a for b, a in zip(links.before_weights, links.after_weights)]
    sides = {
        "previous": (links.before, links.before_weights),
        "following": (links.after, links.after_weights),
        "both": (both, both_weights),
    }
    passes: list[tuple[range, str]] = []
    forward = range(1, len(columns))
    backward = range(len(columns) - 2, -1, -1)
    for _ in range(max(1, min(12, PLACEMENT_BUDGET // (2 * len(vertices))))):
        passes.append((forward, "previous"))
        passes.append((backward, "following"))
    passes.append((range(len(columns)), "both"))
    before: list[float] = []
    for index, (column_range, side) in enumerate(passes):
        if index % 2 == 0:
            before = list(ys)
        neighbours, weights = sides[side]
        for c in column_range:
            _align_column(columns[c], offsets_of[c], neighbours, weights, ys)
        if index % 2 == 1 and _spread(list(map(float.__sub__, ys, before))) < SETTLED:
            neighbours, weights = sides["both"]
            for c in passes[-1][0]:  # settled: the last pass, which weighs both sides, and no more
                _align_column(columns[c], offsets_of[c], neighbours, weights, ys)
            break
    top = min(y - v.height / 2 for v, y in zip(vertices, ys))
    for v, y in zip(vertices, ys):
        v.y = y - top


def _spread(moves: list[float]) -> float:
    """How far a pair of passes moved vertices relative to each other: the passes can also shift the whole drawing, which changes nothing."""
    return max(moves) - min(moves)


def _align_column(
    members: list[int], offsets: list[float], neighbours: list[list[int]], weights: list[list[float]], ys: list[float],
) -> None:
    """Move a column's vertices as close as the order and gaps allow to the weighted mean of their neighbours.

    With each vertex's offset from the top taken off, the order and gaps
    become "non-decreasing": the weighted least-squares fit under that is
    found by pooling adjacent violators, in the same pass that reads the
    targets.
    """
    means: list[float] = []
    totals: list[float] = []
    counts: list[int] = []
    for vertex, offset in zip(members, offsets):
        linked = neighbours[vertex]
        linked_count = len(linked)
        if linked_count == 1:
            value = ys[linked[0]] - offset
            weight = weights[vertex][0]
        elif linked_count == 2:  # a bend point weighed on both sides, the most common vertex of a large graph
            first, second = linked
            first_weight, second_weight = weights[vertex]
            weight = first_weight + second_weight
            value = (ys[first] * first_weight + ys[second] * second_weight) / weight - offset
        elif linked:
            linked_weights = weights[vertex]
            weight = sum(linked_weights)
            value = sum([ys[n] * w for n, w in zip(linked, linked_weights)]) / weight - offset
        else:
            value = ys[vertex] - offset
            weight = UNLINKED_WEIGHT
        count = 1
        while means and means[-1] > value:
            pooled = totals.pop()
            total = pooled + weight
            value = (means.pop() * pooled + value * weight) / total
            weight = total
            count += counts.pop()
        means.append(value)
        totals.append(weight)
        counts.append(count)
    place = 0
    for mean, count in zip(means, counts):
        for _ in range(count):
            ys[members[place]] = mean + offsets[place]
            place += 1


def _reach(members: list[int], vertices: list[_Vertex]) -> tuple[float, float]:
    """The top of a placed column's highest box and the bottom of its lowest."""
    return min(vertices[v].y - vertices[v].height / 2 for v in members), max(vertices[v].y + vertices[v].height / 2 for v in members)


def _pull_columns_up(columns: list[list[int]], vertices: list[_Vertex], limit: float) -> None:
    """Move each column that reaches past ``limit`` up as a whole (never above 0).

    Aligning each column with its neighbours lets a chain of columns climb
    or sink like a staircase, and the drawing grows taller than its tallest
    column (or than the bound of a drawing for a narrow screen). Each column
    that reaches below that is pulled up, at the cost of a bend where it
    moved: the drawing is no taller than it must be.
    """
    for members in columns:
        if not members:
            continue
        top, bottom = _reach(members, vertices)
        shift = min(bottom - limit, top)
        if shift > 0:
            for v in members:
                vertices[v].y -= shift


def _place_horizontally(columns: list[list[int]], vertices: list[_Vertex], spacing: _Spacing) -> tuple[list[float], list[float]]:
    widths = [max([vertices[v].width for v in members] + [spacing.empty_column]) for members in columns]
    return _column_x(widths, spacing.column_gap), widths


def _column_x(widths: list[float], column_gap: float) -> list[float]:
    """Where each column begins, the columns side by side with ``column_gap`` between them."""
    xs: list[float] = []
    x = 0.0
    for width in widths:
        xs.append(x)
        x += width + column_gap
    return xs


def _route(
    i: int, chain: list[int], vertices: list[_Vertex], column_x: list[float], column_w: list[float],
    ports: dict[tuple[int, str], float],
) -> tuple[list[Point], Box | None]:
    """The points of chain ``i`` in layout direction, and its label box."""
    points: list[Point] = []
    label: Box | None = None
    for position, vertex in enumerate(chain):
        v = vertices[vertex]
        left = column_x[v.column]
        right = left + column_w[v.column]
        center = left + column_w[v.column] / 2
        if position == 0:
            y = ports[(i, "out")]
            points += [(center + v.width / 2, y), (right, y)]
        elif position == len(chain) - 1:
            y = ports[(i, "in")]
            points += [(left, y), (center - v.width / 2, y)]
        else:
            points += [(left, v.y), (right, v.y)]
            if v.kind == "label":
                label = Box(center - v.width / 2, v.y - v.height / 2, v.width, v.height)
    return points, label


STRAIGHT = 0.005
"""Pixels: two straight runs of a route whose heights differ by less than this are one run (the curve between them would be flat)."""


def _straightened(points: list[Point]) -> list[Point]:
    """``points`` with each flat curve taken out: a long edge that runs level through many columns is one straight run.

    Straight runs are horizontal, so the run before a flat curve and the run
    after it join into one; the points still alternate runs and curves.
    """
    merged = points[:2]
    for i in range(2, len(points), 2):
        start, end = points[i], points[i + 1]
        if abs(start[1] - merged[-1][1]) < STRAIGHT:
            merged[-1] = (end[0], merged[-1][1])
        else:
            merged += (start, end)
    return merged


def _ports(chains: list[list[int]], vertices: list[_Vertex]) -> dict[tuple[int, str], float]:
    """Where each edge leaves and enters a box: spread over the box side in the order of the far ends."""
    sides: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for i, chain in enumerate(chains):
        sides.setdefault((chain[0], "out"), []).append((vertices[chain[1]].y, i))
        sides.setdefault((chain[-1], "in"), []).append((vertices[chain[-2]].y, i))
    return _spread_ports(sides, lambda vertex: (vertices[vertex].height, vertices[vertex].y))


def _spread_ports(
    sides: dict[tuple[int, str], list[tuple[float, int]]], box: Callable[[int], tuple[float, float]],
) -> dict[tuple[int, str], float]:
    """Each edge's port, by (edge, side): the edges at one side of a box (the far end's ``y`` and the edge, by box and
    side) spread over it in the order of their far ends, 10 px apart at most and 8 px from its corners; ``box`` gives
    a box's height and centre ``y``."""
    ports: dict[tuple[int, str], float] = {}
    for (vertex, side), ends in sides.items():
        height, centre = box(vertex)
        ends.sort()
        usable = max(height - 16.0, 0.0)
        step = min(10.0, usable / (len(ends) - 1)) if len(ends) > 1 else 0.0
        first = centre - step * (len(ends) - 1) / 2
        for position, (_, edge) in enumerate(ends):
            ports[(edge, side)] = first + step * position
    return ports
