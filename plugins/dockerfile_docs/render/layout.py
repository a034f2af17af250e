"""A layered left-to-right layout for small directed graphs, in pure Python.

The stage diagram needs boxes that never overlap, labels that never sit on a
box or on each other, and few crossings, for anything from one stage to
several dozen. This is the classic Sugiyama scheme, kept deterministic
(every tie is broken by input order, no hashing, no randomness):

1. cycles are broken by reversing the DFS back edges (BuildKit rejects
   cycles among the stages it builds, but skipped stages are not checked);
2. nodes are layered by longest path; nodes marked ``pull_right`` (image and
   ARG nodes) then move next to their first consumer, so they do not drag
   long edges across the whole drawing;
3. each real layer becomes an even column; the odd column between two real
   ones holds the edge labels and the dummy nodes of edges that pass by, so
   a label is a box the layout places like any other and cannot overlap;
4. barycenter sweeps with adjacent swaps, then sifting (each vertex moved
   to its best place in its column), order the columns to reduce crossings;
   the best ordering seen is kept;
5. vertical positions minimise the weighted squared distance of each vertex
   to its neighbours under the column's ordering and spacing constraints,
   solved exactly per column with the pool-adjacent-violators algorithm;
   dummy chains weigh more, so long edges run straight.

Edges are returned as routes whose segments alternate between a straight
run inside a column and a curve through the gap between two columns, so a
curve only ever crosses empty space.
"""

from __future__ import annotations

from bisect import bisect_left

import itertools
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class LayoutNode:
    """A box to place. ``pull_right`` asks for the column just before its first successor."""

    key: str
    width: float
    height: float
    pull_right: bool = False


@dataclass(frozen=True, slots=True)
class LayoutEdge:
    """An edge from ``source`` to ``target`` (node keys), with the size of its label box (0 for none)."""

    source: str
    target: str
    label_width: float = 0.0
    label_height: float = 0.0


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Route:
    """Where one edge runs, from its source box to its target box.

    Segment ``i`` (from ``points[i]`` to ``points[i + 1]``) is a straight line
    when ``i`` is even and a curve with horizontal tangents when ``i`` is odd;
    the first point lies on the source box, the last on the target box.
    """

    edge: int
    points: tuple[Point, ...]
    label: Box | None


@dataclass(slots=True)
class Layout:
    """The placed graph: node boxes by key, one route per input edge (same order), total size."""

    width: float
    height: float
    nodes: dict[str, Box]
    routes: list[Route]
    columns: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class _Vertex:
    """A node of the layered graph: a real node, an edge label or a bend point of a long edge."""

    kind: str  # "node" | "label" | "dummy"
    column: int
    width: float
    height: float
    order: int = 0
    y: float = 0.0
    node_key: str | None = None


@dataclass(slots=True)
class _Spacing:
    node_gap: float
    lane_gap: float
    column_gap: float
    margin: float
    empty_column: float = 18.0


def layout_graph(
    nodes: list[LayoutNode],
    edges: list[LayoutEdge],
    *,
    node_gap: float = 22.0,
    lane_gap: float = 10.0,
    column_gap: float = 28.0,
    margin: float = 12.0,
) -> Layout:
    """Place ``nodes`` in columns from left to right and route ``edges`` between them.

    ``node_gap`` separates two boxes in a column, ``lane_gap`` anything next
    to a label or an edge lane, ``column_gap`` two columns. Edges whose
    source or target is unknown, and self-loops, raise ``ValueError``.
    """
    spacing = _Spacing(node_gap=node_gap, lane_gap=lane_gap, column_gap=column_gap, margin=margin)
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
    ranks = _ranks(nodes, directed)

    vertices, chains = _layered_graph(nodes, edges, directed, ranks)
    columns = _columns(vertices)
    links = _links(chains)
    _order(columns, links, vertices)
    _place_vertically(columns, links, vertices, spacing)
    column_x, column_w = _place_horizontally(columns, vertices, spacing)

    boxes: dict[str, Box] = {}
    for vertex in vertices:
        if vertex.kind == "node" and vertex.node_key is not None:
            cx = column_x[vertex.column] + column_w[vertex.column] / 2
            boxes[vertex.node_key] = Box(cx - vertex.width / 2, vertex.y - vertex.height / 2, vertex.width, vertex.height)

    routes = _routes(chains, vertices, column_x, column_w, reversed_edges)
    width = column_x[-1] + column_w[-1] + margin
    height = max((v.y + v.height / 2 for v in vertices), default=0.0) + margin
    node_columns = {v.node_key: v.column // 2 for v in vertices if v.node_key is not None}
    return Layout(width=width, height=height, nodes=boxes, routes=routes, columns=node_columns)


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


def _ranks(nodes: list[LayoutNode], directed: list[tuple[int, int]]) -> list[int]:
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
    for node in reversed(order):
        if nodes[node].pull_right and outgoing[node]:
            rank[node] = min(rank[s] for s in outgoing[node]) - 1
    lowest = min(rank)
    used = sorted({r - lowest for r in rank})
    compact = {r: i for i, r in enumerate(used)}
    return [compact[r - lowest] for r in rank]


def _layered_graph(
    nodes: list[LayoutNode],
    edges: list[LayoutEdge],
    directed: list[tuple[int, int]],
    ranks: list[int],
) -> tuple[list[_Vertex], list[list[int]]]:
    """Real vertices first (same indices as ``nodes``), then one chain of vertices per edge.

    A chain runs from the layout source to the layout target (which is the
    drawn target unless the edge was reversed) through every column between;
    the label sits in the column just before the target end as drawn.
    """
    vertices = [
        _Vertex("node", 2 * ranks[i], n.width, n.height, node_key=n.key) for i, n in enumerate(nodes)
    ]
    chains: list[list[int]] = []
    for i, (s, t) in enumerate(directed):
        edge = edges[i]
        first, last = vertices[s].column, vertices[t].column
        drawn_reversed = nodes[s].key != edge.source
        label_column = first + 1 if drawn_reversed else last - 1
        chain = [s]
        for column in range(first + 1, last):
            if column == label_column and edge.label_width > 0:
                vertices.append(_Vertex("label", column, edge.label_width, edge.label_height))
            else:
                vertices.append(_Vertex("dummy", column, 0.0, 0.0))
            chain.append(len(vertices) - 1)
        chain.append(t)
        chains.append(chain)
    return vertices, chains


def _columns(vertices: list[_Vertex]) -> list[list[int]]:
    count = max(v.column for v in vertices) + 1
    columns: list[list[int]] = [[] for _ in range(count)]
    for i, vertex in enumerate(vertices):
        columns[vertex.column].append(i)
    return columns


@dataclass(slots=True)
class _Links:
    """Neighbours of each vertex in the previous and next column, with edge weights."""

    previous: dict[int, list[tuple[int, float]]]
    following: dict[int, list[tuple[int, float]]]


def _links(chains: list[list[int]]) -> _Links:
    previous: dict[int, list[tuple[int, float]]] = {}
    following: dict[int, list[tuple[int, float]]] = {}
    for chain in chains:
        for position, (a, b) in enumerate(itertools.pairwise(chain)):
            inner = (position > 0) + (position + 2 < len(chain))
            weight = (1.0, 2.0, 8.0)[inner]
            following.setdefault(a, []).append((b, weight))
            previous.setdefault(b, []).append((a, weight))
    return _Links(previous, following)


# --------------------------------------------------------------------------- ordering


def _order(columns: list[list[int]], links: _Links, vertices: list[_Vertex]) -> None:
    """Order each column to reduce crossings; writes ``vertex.order`` and sorts ``columns``.

    Barycenter sweeps (alternately left to right and back) give a good
    ordering quickly; sifting then moves single vertices to their best
    place, which escapes the local optima sweeps get stuck in.
    """
    _initial_order(columns, links)
    _write_order(columns, vertices)
    best = [list(c) for c in columns]
    best_crossings = _total_crossings(columns, links, vertices)
    stale = 0
    for sweep in range(24):
        if best_crossings == 0 or stale >= 4:
            break
        if sweep % 2 == 0:
            for c in range(1, len(columns)):
                _sort_by_barycenter(columns[c], links.previous, vertices)
                _write_order([columns[c]], vertices)
        else:
            for c in range(len(columns) - 2, -1, -1):
                _sort_by_barycenter(columns[c], links.following, vertices)
                _write_order([columns[c]], vertices)
        _transpose(columns, links, vertices)
        crossings = _total_crossings(columns, links, vertices)
        if crossings < best_crossings:
            best_crossings, stale = crossings, 0
            best = [list(c) for c in columns]
        else:
            stale += 1
    columns[:] = best
    _write_order(columns, vertices)
    for _ in range(3):
        if best_crossings == 0:
            break
        for members in columns:
            _sift(members, links, vertices)
        crossings = _total_crossings(columns, links, vertices)
        if crossings >= best_crossings:
            break
        best_crossings = crossings
        best = [list(c) for c in columns]
    columns[:] = best
    _write_order(columns, vertices)


def _initial_order(columns: list[list[int]], links: _Links) -> None:
    """Depth-first from the first column in input order, so related vertices start together."""
    seen: set[int] = set()
    ordered: list[list[int]] = [[] for _ in columns]
    column_of = {v: c for c, members in enumerate(columns) for v in members}

    def visit(vertex: int) -> None:
        stack = [vertex]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            ordered[column_of[current]].append(current)
            following = [b for b, _ in links.following.get(current, [])]
            stack.extend(reversed(following))

    for members in columns:
        for vertex in members:
            if vertex not in seen and not links.previous.get(vertex):
                visit(vertex)
    for members in columns:
        for vertex in members:
            if vertex not in seen:
                visit(vertex)
    columns[:] = ordered


def _write_order(columns: list[list[int]], vertices: list[_Vertex]) -> None:
    for members in columns:
        for position, vertex in enumerate(members):
            vertices[vertex].order = position


def _sort_by_barycenter(members: list[int], neighbours: dict[int, list[tuple[int, float]]], vertices: list[_Vertex]) -> None:
    keyed = []
    for position, vertex in enumerate(members):
        linked = neighbours.get(vertex, [])
        if linked:
            total = sum(w for _, w in linked)
            key = sum(vertices[n].order * w for n, w in linked) / total
        else:
            key = float(position)
        keyed.append((key, position, vertex))
    keyed.sort()
    members[:] = [v for _, _, v in keyed]


def _crossings_between(left: list[int], links: _Links, vertices: list[_Vertex]) -> int:
    """Crossings of the edges leaving column ``left`` (an inversion count, O(E log E))."""
    ends = sorted(
        (vertices[a].order, vertices[b].order) for a in left for b, _ in links.following.get(a, [])
    )
    targets = [b for _, b in ends]
    return _inversions(targets)


def _inversions(values: list[int]) -> int:
    if len(values) < 2:
        return 0
    size = max(values) + 2
    tree = [0] * (size + 1)
    count = 0
    for seen, value in enumerate(values):
        i = value + 1
        not_greater = 0
        while i > 0:
            not_greater += tree[i]
            i -= i & -i
        count += seen - not_greater
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


def _total_crossings(columns: list[list[int]], links: _Links, vertices: list[_Vertex]) -> int:
    return sum(_crossings_between(members, links, vertices) for members in columns[:-1])


def _pair_crossings(upper: int, lower: int, links: _Links, vertices: list[_Vertex]) -> int:
    """Crossings between the edges of two vertices of a column when ``upper`` is placed above ``lower``."""
    count = 0
    for side in (links.previous, links.following):
        upper_ends = [vertices[n].order for n, _ in side.get(upper, ())]
        lower_ends = [vertices[n].order for n, _ in side.get(lower, ())]
        for a in upper_ends:
            for b in lower_ends:
                if a > b:
                    count += 1
    return count


def _transpose(columns: list[list[int]], links: _Links, vertices: list[_Vertex]) -> None:
    """Swap neighbours in a column while that lowers the crossings around them."""
    for _ in range(4):
        improved = False
        for members in columns:
            for i in range(len(members) - 1):
                u, v = members[i], members[i + 1]
                if _pair_crossings(v, u, links, vertices) < _pair_crossings(u, v, links, vertices):
                    members[i], members[i + 1] = v, u
                    vertices[u].order, vertices[v].order = i + 1, i
                    improved = True
        if not improved:
            return


def _sift(members: list[int], links: _Links, vertices: list[_Vertex]) -> None:
    """Move each vertex of a column, in turn, to the position with the fewest crossings.

    Only this column's order changes while it is sifted, so each vertex's
    neighbour positions are read once and crossings are counted by bisection.
    """
    ends = {vertex: _end_orders(vertex, links, vertices) for vertex in members}

    def pair(upper: int, lower: int) -> int:
        return _crossings_of_ends(ends[upper], ends[lower])

    for vertex in list(members):
        others = [m for m in members if m != vertex]
        cost = sum(pair(vertex, w) for w in others)
        current = members.index(vertex)
        best_cost, best_position = None, current
        for position in range(len(others) + 1):
            if position:
                w = others[position - 1]
                cost += pair(w, vertex) - pair(vertex, w)
            if best_cost is None or cost < best_cost or (cost == best_cost and position == current):
                best_cost, best_position = cost, position
        others.insert(best_position, vertex)
        members[:] = others
        _write_order([members], vertices)


def _end_orders(vertex: int, links: _Links, vertices: list[_Vertex]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sorted positions of a vertex's neighbours in the previous and the following column."""
    return tuple(
        tuple(sorted(vertices[n].order for n, _ in side.get(vertex, ()))) for side in (links.previous, links.following)
    )  # type: ignore[return-value]


def _crossings_of_ends(upper: tuple[tuple[int, ...], ...], lower: tuple[tuple[int, ...], ...]) -> int:
    """What :func:`_pair_crossings` counts, from sorted neighbour positions: pairs where upper's end lies below lower's."""
    return sum(bisect_left(lower_side, a) for upper_side, lower_side in zip(upper, lower) for a in upper_side)


# --------------------------------------------------------------------------- coordinates


def _gap(a: _Vertex, b: _Vertex, spacing: _Spacing) -> float:
    if a.kind == "node" and b.kind == "node":
        return spacing.node_gap
    return spacing.lane_gap


def _place_vertically(columns: list[list[int]], links: _Links, vertices: list[_Vertex], spacing: _Spacing) -> None:
    for members in columns:
        y = 0.0
        for position, vertex in enumerate(members):
            v = vertices[vertex]
            if position:
                y += _gap(vertices[members[position - 1]], v, spacing) + vertices[members[position - 1]].height / 2
            y += v.height / 2
            v.y = y
    passes: list[tuple[range, str]] = []
    forward = range(1, len(columns))
    backward = range(len(columns) - 2, -1, -1)
    for _ in range(12):
        passes.append((forward, "previous"))
        passes.append((backward, "following"))
    passes.append((range(len(columns)), "both"))
    for column_range, side in passes:
        for c in column_range:
            _align_column(columns[c], links, vertices, spacing, side)
    top = min(v.y - v.height / 2 for v in vertices)
    for v in vertices:
        v.y = v.y - top + spacing.margin


def _align_column(members: list[int], links: _Links, vertices: list[_Vertex], spacing: _Spacing, side: str) -> None:
    """Move a column's vertices as close as the order allows to the mean of their neighbours."""
    targets: list[float] = []
    weights: list[float] = []
    for vertex in members:
        linked: list[tuple[int, float]] = []
        if side in ("previous", "both"):
            linked += links.previous.get(vertex, [])
        if side in ("following", "both"):
            linked += links.following.get(vertex, [])
        if linked:
            total = sum(w for _, w in linked)
            targets.append(sum(vertices[n].y * w for n, w in linked) / total)
            weights.append(total)
        else:
            targets.append(vertices[vertex].y)
            weights.append(0.25)
    offsets = [0.0]
    for a, b in itertools.pairwise(members):
        va, vb = vertices[a], vertices[b]
        offsets.append(offsets[-1] + va.height / 2 + _gap(va, vb, spacing) + vb.height / 2)
    shifted = [t - o for t, o in zip(targets, offsets)]
    solved = _isotonic(shifted, weights)
    for vertex, value, offset in zip(members, solved, offsets):
        vertices[vertex].y = value + offset


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [mean, weight, count]
    for value, weight in zip(values, weights):
        blocks.append([value, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean_b, weight_b, count_b = blocks.pop()
            mean_a, weight_a, count_a = blocks.pop()
            total = weight_a + weight_b
            blocks.append([(mean_a * weight_a + mean_b * weight_b) / total, total, count_a + count_b])
    result: list[float] = []
    for mean, _, count in blocks:
        result.extend([mean] * int(count))
    return result


def _place_horizontally(columns: list[list[int]], vertices: list[_Vertex], spacing: _Spacing) -> tuple[list[float], list[float]]:
    widths = [max([vertices[v].width for v in members] + [spacing.empty_column]) for members in columns]
    xs: list[float] = []
    x = spacing.margin
    for width in widths:
        xs.append(x)
        x += width + spacing.column_gap
    return xs, widths


def _routes(
    chains: list[list[int]],
    vertices: list[_Vertex],
    column_x: list[float],
    column_w: list[float],
    reversed_edges: set[int],
) -> list[Route]:
    ports = _ports(chains, vertices)
    routes: list[Route] = []
    for i, chain in enumerate(chains):
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
        if i in reversed_edges:
            points.reverse()
        routes.append(Route(edge=i, points=tuple((round(x, 2), round(y, 2)) for x, y in points), label=label))
    return routes


def _ports(chains: list[list[int]], vertices: list[_Vertex]) -> dict[tuple[int, str], float]:
    """Where each edge leaves and enters a box: spread over the box side in the order of the far ends."""
    sides: dict[tuple[int, str], list[tuple[float, int]]] = {}
    for i, chain in enumerate(chains):
        sides.setdefault((chain[0], "out"), []).append((vertices[chain[1]].y, i))
        sides.setdefault((chain[-1], "in"), []).append((vertices[chain[-2]].y, i))
    ports: dict[tuple[int, str], float] = {}
    for (vertex, side), ends in sides.items():
        v = vertices[vertex]
        ends.sort()
        usable = max(v.height - 16.0, 0.0)
        step = min(10.0, usable / (len(ends) - 1)) if len(ends) > 1 else 0.0
        first = v.y - step * (len(ends) - 1) / 2
        for position, (_, edge) in enumerate(ends):
            ports[(edge, side)] = first + step * position
    return ports
