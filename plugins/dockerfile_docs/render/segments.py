"""Ordering and placement of a huge part with each long edge kept straight: one segment, not a vertex per column.

A long edge of the layered layout (:mod:`.layout`) passes through a bend
point in every column it spans, and a dense graph's bend points outnumber
its nodes and edges many times over: at 856 edges, 50 nodes spend 19,886
of them, and every sweep of :mod:`.ordering` and every pass of the
placement visits each one. Past ``SEGMENT_LAYOUT_VERTICES`` the part is
laid out as Eiglsperger, Siebenhaller and Kaufmann's segments instead
("An Efficient Implementation of Sugiyama's Algorithm for Layered Graph
Drawing", 2005): the inner run of an edge, its label included, is one item
with one height, so two segments never cross each other and a column's
order changes only where a node or a segment begins or ends.

- **Ordering.** A sweep derives each column from the one before it: the
  segments that go on keep their order, and what begins there is inserted
  by the position of its neighbours in that column (a segment by its
  source or target node, a node by the median of its segments). A column's
  list is rebuilt by slices, so a sweep costs the nodes and segment ends
  it inserts, each looked up once, and a copy of each column made by the
  interpreter's list operations. Crossings are counted from the same ends:
  an edge into a column crosses the segments that go on between its ends,
  as many as differ in the count above each end.
- **Placement.** The ordering keeps a segment whole; the placement cuts
  it into pieces of a node column and the gap column after it, so a long
  edge may bend where it leaves a crowded column. A piece is constrained
  by the two columns it lies in alone: each node and piece gets one ``y``,
  midway between the highest and the lowest place its neighbours in those
  columns allow (the two compactions of Brandes and Köpf, averaged), found
  in one pass down and one up the two columns' merged order.

The ordering's interpreted work grows with the nodes and the segments'
ends, not with the columns the segments span (the interpreter's list
operations copy the columns); the placement's with the pieces, half as
many as the bend points. Every tie is broken by input order, as in the
rest of the layout: the same graph is always drawn the same.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from math import ceil

from .ordering import FULL_ORDERING_VERTICES

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the layout imports this module
    from .layout import LayoutNode, _Bundle, _Part, _Spacing

SEGMENT_LAYOUT_VERTICES = FULL_ORDERING_VERTICES
"""A part of more vertices than this (nodes, labels and bend points) is laid out by segments: where the bend-point
ordering's budget begins to shrink.

Up to it, the ordering by bend points gets its whole budget of sweeps,
transpositions, starts and rethreading (:data:`.ordering.FULL_ORDERING_VERTICES`):
what leaves no more crossings than Graphviz dot on any of the 28 public
graphs the benchmark draws (the largest has 446 vertices), in a time that
budget bounds, about 0.1 s at most. Past it, the time grows with the
graph, by the same amount an edge. On the generated 50-stage graphs,
against the bend-point ordering with its shrunk budget, the segments take
a quarter to a half of its time and leave fewer crossings at 151 edges
(623 against 638), 1.6% more at 251 (2,683 against 2,642), 0.2 to 1.1%
more at 451 and 856 (50,029 against 49,468), fewer from 1,051 (77,426
against 78,745), and draw lower from 451 edges (5,114 px against 6,850
at 856). What the bound costs is a graph just past it, which the whole
budget would order better: the 151-edge graph (1,095 vertices) took
126 ms for 495 crossings with it (dot leaves 520), and takes 8 ms for 623.
"""
SEGMENT_SWEEPS = 8
"""Sweeps at most, alternating left to right and back; each costs the items that begin and end in the columns."""
STALE_SEGMENT_SWEEPS = 2
"""Sweeps without fewer crossings after which the ordering stops."""
PIECE_COLUMNS = 2
"""Columns of the grid a piece of a segment spans at most in the placement: a node column and the gap column after it.

Two by construction: the placement merges the two columns of a block
(:func:`_merged`). Straight from end to end, the segments would stack: a
segment below another in one column and above a third in a later one
makes the drawing as tall as the longest such chain, 22,592 px at 856
edges. Pieces of two columns draw that graph 5,114 px high (pieces of
four, tried before the merge, 5,755)."""


class _Segments:
    """The items of a part and where they begin and end: node ``v`` is item ``v``, the segment of bundle ``i`` is ``nodes + i``."""

    def __init__(
        self, node_columns: list[int], heights: list[float], ends: list[tuple[int, int]], spans: list[tuple[int, int]],
        labels: list[tuple[int, float]], columns: int,
    ) -> None:
        self.node_count = nodes = len(node_columns)
        self.segment_count = len(ends)
        count = nodes + len(ends)
        self.heights = heights
        self.first = list(node_columns) + [first + 1 for first, _ in spans]
        """The first column of each item: a segment begins in the column after its source's."""
        self.last = list(node_columns) + [last - 1 for _, last in spans]
        self.source = [source for source, _ in ends]
        self.target = [target for _, target in ends]
        self.incoming: list[list[int]] = [[] for _ in range(nodes)]
        self.outgoing: list[list[int]] = [[] for _ in range(nodes)]
        self.starts: list[list[int]] = [[] for _ in range(columns)]
        """The segments whose first column this is: with the nodes in it, what a left-to-right sweep inserts."""
        self.ends: list[list[int]] = [[] for _ in range(columns)]
        self.nodes_at: list[list[int]] = [[] for _ in range(columns)]
        self.labels_at: list[list[int]] = [[] for _ in range(columns)]
        self.label_column = [-1] * count
        self.label_height = [0.0] * count
        for v, column in enumerate(node_columns):
            self.nodes_at[column].append(v)
        for i, (source, target) in enumerate(ends):
            item = nodes + i
            self.outgoing[source].append(item)
            self.incoming[target].append(item)
            self.starts[self.first[item]].append(item)
            self.ends[self.last[item]].append(item)
            column, height = labels[i]
            if column >= 0:
                self.label_column[item], self.label_height[item] = column, height
                self.labels_at[column].append(item)


def lay_out_by_segments(
    members: list[int], bundles: list[_Bundle], nodes: list[LayoutNode], node_columns: list[int],
    spans: list[tuple[int, int]], label_columns: list[int], spacing: _Spacing, vertices: int,
) -> _Part:
    """Lay out one connected part of ``vertices`` vertices by segments; what :func:`.layout._lay_out_part` does by bend points."""
    from .layout import Box, _column_x, _outline, _Part, _straightened

    local = {node: position for position, node in enumerate(members)}
    column_count = max(node_columns) + 1
    member_nodes = [nodes[node] for node in members]
    labels = [(column, b.label_height) if b.label_width > 0 else (-1, 0.0) for b, column in zip(bundles, label_columns)]
    segments = _Segments(
        node_columns, [n.height for n in member_nodes], [(local[b.source], local[b.target]) for b in bundles], spans, labels,
        column_count,
    )
    orders, crossings = _order(segments, column_count)
    ys, base = _place(orders, segments, spacing)
    piece = PIECE_COLUMNS

    widths = [spacing.empty_column] * column_count
    for node, column in zip(member_nodes, node_columns):
        widths[column] = max(widths[column], node.width)
    for bundle, (column, _) in zip(bundles, labels):
        if column >= 0:
            widths[column] = max(widths[column], bundle.label_width)
    column_x = _column_x(widths, spacing.column_gap)

    ports = _ports(segments, ys, base)
    node_count = segments.node_count
    routes = []
    for i, bundle in enumerate(bundles):
        item = node_count + i
        source, target = member_nodes[segments.source[i]], member_nodes[segments.target[i]]
        source_column, target_column = segments.first[item] - 1, segments.last[item] + 1
        centre = column_x[source_column] + widths[source_column] / 2
        y = ports[(i, "out")]
        points = [(centre + source.width / 2, y), (column_x[source_column] + widths[source_column], y)]
        first, last = segments.first[item], segments.last[item]
        for grid in range(first // piece, last // piece + 1):
            start, end = max(first, grid * piece), min(last, grid * piece + piece - 1)
            y = ys[base[i] + grid]
            points += [(column_x[start], y), (column_x[end] + widths[end], y)]
        y = ports[(i, "in")]
        centre = column_x[target_column] + widths[target_column] / 2
        points += [(column_x[target_column], y), (centre - target.width / 2, y)]
        points = _straightened(points)
        if bundle.drawn_reversed:
            points.reverse()
        label = None
        column = labels[i][0]
        if column >= 0:
            centre = column_x[column] + widths[column] / 2
            y = ys[base[i] + column // piece]
            label = Box(centre - bundle.label_width / 2, y - bundle.label_height / 2, bundle.label_width, bundle.label_height)
        routes.append((bundle, tuple(points), label))

    boxes: dict[str, Box] = {}
    for v, (node, column) in enumerate(zip(member_nodes, node_columns)):
        centre = column_x[column] + widths[column] / 2
        boxes[node.key] = Box(centre - node.width / 2, ys[v] - node.height / 2, node.width, node.height)
    bottoms = []
    for c, order in enumerate(orders):
        if not order:
            bottoms.append(0.0)
            continue
        lowest = order[-1]  # the constraints keep a column's last item its lowest reach
        y = ys[lowest] if lowest < node_count else ys[base[lowest - node_count] + c // piece]
        bottoms.append(y + _half(lowest, c, segments))
    return _Part(
        width=column_x[-1] + widths[-1],
        height=max(bottoms),
        boxes=boxes,
        columns={node.key: column // 2 for node, column in zip(member_nodes, node_columns)},
        routes=routes,
        crossings=crossings,
        outline=_outline(bottoms, column_x, widths, spacing.column_gap),
        vertices=vertices,
    )


def _ports(segments: _Segments, ys: list[float], base: list[int]) -> dict[tuple[int, str], float]:
    """Where each segment leaves its source box and enters its target box: spread over the box side in the order of
    the pieces they lead to, as the bend-point layout spreads them (:func:`.layout._ports`)."""
    from .layout import _spread_ports

    nodes = segments.node_count
    sides: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for i, (source, target) in enumerate(zip(segments.source, segments.target)):
        item = nodes + i
        sides.setdefault((source, "out"), []).append((ys[base[i] + segments.first[item] // PIECE_COLUMNS], i))
        sides.setdefault((target, "in"), []).append((ys[base[i] + segments.last[item] // PIECE_COLUMNS], i))
    return _spread_ports(sides, lambda v: (segments.heights[v], ys[v]))


def _order(segments: _Segments, column_count: int) -> tuple[list[list[int]], int]:
    """The columns' orders of items with the fewest crossings the sweeps found, and those crossings.

    The first ordering is a sweep to the right from nothing but the first
    column's nodes, in input order."""
    orders: list[list[int]] = [[] for _ in range(column_count)]
    orders[0] = list(segments.nodes_at[0])
    best_crossings = _sweep(orders, segments, rightwards=True)
    best = [list(o) for o in orders]
    stale = 0
    for sweep in range(SEGMENT_SWEEPS):
        if best_crossings == 0 or stale >= STALE_SEGMENT_SWEEPS:
            break
        crossings = _sweep(orders, segments, rightwards=sweep % 2 == 1)
        if crossings < best_crossings:
            best, best_crossings, stale = [list(o) for o in orders], crossings, 0
        else:
            stale += 1
    return best, best_crossings


def _sweep(orders: list[list[int]], segments: _Segments, *, rightwards: bool) -> int:
    """Rebuild each column from its neighbour on the side the sweep comes from (the first column stays); the crossings
    of the new ordering, counted between each column and the one it was built from."""
    count = len(orders)
    steps = range(1, count) if rightwards else range(count - 2, -1, -1)
    nodes = segments.node_count
    source, target = segments.source, segments.target
    total = 0
    for c in steps:
        previous = orders[c - 1] if rightwards else orders[c + 1]
        if rightwards:
            leaving = segments.nodes_at[c - 1] + segments.ends[c - 1]
            entering = segments.starts[c] + segments.nodes_at[c]
        else:
            leaving = segments.nodes_at[c + 1] + segments.starts[c + 1]
            entering = segments.ends[c] + segments.nodes_at[c]
        where = dict(zip(previous, range(len(previous))))
        at = {item: where[item] for item in leaving}
        gone = sorted(at.values())
        going_on: list[int] = []
        start = 0
        for index in gone:
            going_on += previous[start:index]
            start = index + 1
        going_on += previous[start:]
        old = orders[c]
        old_at = dict(zip(old, range(len(old))))
        anchored: list[tuple[int, float, int, int]] = []
        unanchored: list[tuple[int, int]] = []
        for item in entering:
            before = old_at.get(item, len(old))
            if item >= nodes:
                key = float(at[source[item - nodes] if rightwards else target[item - nodes]])
            else:
                linked = segments.incoming[item] if rightwards else segments.outgoing[item]
                if not linked:
                    unanchored.append((before, item))
                    continue
                ends = sorted([at[s] for s in linked])
                middle = len(ends) // 2
                key = float(ends[middle]) if len(ends) % 2 else (ends[middle - 1] + ends[middle]) / 2
            rank = ceil(key) - bisect_left(gone, key)
            anchored.append((rank, key, before, item))
        anchored.sort()
        merged: list[int] = []
        placed: dict[int, int] = {}
        start = 0
        for rank, _, _, item in anchored:
            merged += going_on[start:rank]
            placed[item] = len(merged)
            merged.append(item)
            start = rank
        merged += going_on[start:]
        if unanchored:
            for before, item in sorted(unanchored):
                merged.insert(min(before, len(merged)), item)
            placed = {item: merged.index(item) for item in entering}
        orders[c] = merged
        new = sorted(placed.values())
        if rightwards:  # from column c - 1 to c: the segments that begin in c, and those that end in c - 1
            ends = [(at[source[s - nodes]], placed[s]) for s in segments.starts[c]]
            ends += [(at[s], placed[target[s - nodes]]) for s in segments.ends[c - 1]]
            total += _pair_crossings(ends, gone, new)
        else:  # from column c to c + 1, the same edges
            ends = [(placed[source[s - nodes]], at[s]) for s in segments.starts[c + 1]]
            ends += [(placed[s], at[target[s - nodes]]) for s in segments.ends[c]]
            total += _pair_crossings(ends, new, gone)
    return total


def _crossings(orders: list[list[int]], segments: _Segments) -> int:
    """The crossings of any ordering, as the bend-point graph would count them: see the module's docstring."""
    total = 0
    nodes = segments.node_count
    right_where = dict(zip(orders[0], range(len(orders[0]))))
    for c in range(len(orders) - 1):
        right = orders[c + 1]
        left_where = right_where
        right_where = dict(zip(right, range(len(right))))
        left_at = {item: left_where[item] for item in segments.nodes_at[c] + segments.ends[c]}
        right_at = {item: right_where[item] for item in segments.starts[c + 1] + segments.nodes_at[c + 1]}
        ends = [(left_at[segments.source[s - nodes]], right_at[s]) for s in segments.starts[c + 1]]
        ends += [(left_at[s], right_at[segments.target[s - nodes]]) for s in segments.ends[c]]
        total += _pair_crossings(ends, sorted(left_at.values()), sorted(right_at.values()))
    return total


def _pair_crossings(ends: list[tuple[int, int]], left_ends: list[int], right_ends: list[int]) -> int:
    """Crossings between two columns of ``ends``, the edges that begin or end there (their positions on the left and
    on the right), with each other and with the segments that go on through both columns and take every other
    position (``left_ends`` and ``right_ends``: the sorted positions of the edges' own items)."""
    ends.sort()
    total = 0
    seen: list[int] = []
    group: list[int] = []
    group_source = -1
    for a, b in ends:
        if a != group_source:  # the edges of a group share their source: they never cross each other
            for end in group:
                insort(seen, end)
            group, group_source = [], a
        total += len(seen) - bisect_right(seen, b)
        group.append(b)
        total += abs((a - bisect_left(left_ends, a)) - (b - bisect_left(right_ends, b)))
    return total


def _place(orders: list[list[int]], segments: _Segments, spacing: _Spacing) -> tuple[list[float], list[int]]:
    """One centre ``y`` per node and per piece of a segment: the highest and the lowest place each can take, averaged.

    A piece lies in the two columns of one block of the grid, so the pieces
    and nodes of a block are constrained by that block's two columns alone:
    the block's pieces in both columns' order (a merge: the columns agree on
    the segments they share) give each piece after every piece above it.
    Returns the ``y`` of each, and where each segment's pieces begin."""
    nodes = segments.node_count
    first, last = segments.first, segments.last
    base: list[int] = []
    count = nodes
    for item in range(nodes, nodes + segments.segment_count):
        base.append(count - first[item] // PIECE_COLUMNS)
        count += last[item] // PIECE_COLUMNS - first[item] // PIECE_COLUMNS + 1
    extent = [0.0] * count
    for v in range(nodes):
        extent[v] = segments.heights[v] / 2
    for i, item in enumerate(range(nodes, nodes + segments.segment_count)):
        if segments.label_column[item] >= 0:
            extent[base[i] + segments.label_column[item] // PIECE_COLUMNS] = segments.label_height[item] / 2
    top = [0.0] * count
    bottom = [0.0] * count
    for block in range(0, len(orders), PIECE_COLUMNS):
        grid = block // PIECE_COLUMNS
        pieces, gaps, places = [], [], []
        for c in range(block, min(block + PIECE_COLUMNS, len(orders))):
            order = orders[c]
            ids = [item if item < nodes else base[item - nodes] + grid for item in order]
            pieces.append(ids)
            gaps.append(_gaps(order, c, segments, spacing))
            places.append(dict(zip(ids, range(len(ids)))))
        sequence = _merged(pieces, places)
        for piece in sequence:
            reach = 0.0
            for ids, gap, place in zip(pieces, gaps, places):
                at = place.get(piece)
                if at:
                    reach = max(reach, top[ids[at - 1]] + gap[at - 1])
            top[piece] = reach
        for piece in reversed(sequence):
            reach = 0.0
            for ids, gap, place in zip(pieces, gaps, places):
                at = place.get(piece)
                if at is not None and at + 1 < len(ids):
                    reach = min(reach, bottom[ids[at + 1]] - gap[at])
            bottom[piece] = reach
    lowest = max(top) if top else 0.0
    ys = [(t + b + lowest) / 2 for t, b in zip(top, bottom)]
    top_edge = min([y - e for y, e in zip(ys, extent)], default=0.0)
    return [y - top_edge for y in ys], base


def _gaps(order: list[int], column: int, segments: _Segments, spacing: _Spacing) -> list[float]:
    """How far apart each two neighbours of a column's order must be centred: a lane's gap, and more next to a box."""
    nodes = segments.node_count
    gaps = [spacing.lane_gap] * (len(order) - 1)
    tall = segments.nodes_at[column] + segments.labels_at[column]
    if tall:
        where = dict(zip(order, range(len(order))))
        for i in sorted({where[item] for item in tall}):
            for a in (i - 1, i):
                if 0 <= a < len(gaps):
                    u, v = order[a], order[a + 1]
                    gap = spacing.node_gap if u < nodes and v < nodes else spacing.lane_gap
                    gaps[a] = gap + _half(u, column, segments) + _half(v, column, segments)
    return gaps


def _merged(pieces: list[list[int]], places: list[dict[int, int]]) -> list[int]:
    """The pieces of a block's columns in one order that keeps each column's: the columns agree on what they share."""
    if len(pieces) == 1:
        return pieces[0]
    (left, right), (in_left, in_right) = pieces, places
    merged: list[int] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if i < len(left) and left[i] not in in_right:
            merged.append(left[i])
            i += 1
        elif j < len(right) and right[j] not in in_left:
            merged.append(right[j])
            j += 1
        else:
            merged.append(left[i])
            i += 1
            j += 1
    return merged


def _half(item: int, column: int, segments: _Segments) -> float:
    """Half the height an item takes in ``column``: a node's box, a segment's label where it is, else nothing."""
    if item < segments.node_count:
        return segments.heights[item] / 2
    return segments.label_height[item] / 2 if segments.label_column[item] == column else 0.0
