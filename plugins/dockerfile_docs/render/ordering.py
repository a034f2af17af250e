"""Crossing reduction for the layered layout (:mod:`.layout`): the order of the vertices in each column.

The layout hands over its columns of vertices (nodes, edge labels and the
bend points of long edges) and their links to the next and previous
column; :func:`order_columns` sorts each column and returns the crossings
left. Median and barycenter sweeps with adjacent swaps run from built and
from shuffled starting orders; the best ordering's long edges are then
moved whole. Every step is bounded by a budget of work, so a huge graph
costs a few passes over its vertices.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the layout imports this module
    from .layout import _Links, _Vertex

MAX_SWEEPS = 24
"""Sweeps per starting order."""
STALE_SWEEPS = 6
"""Sweeps without a better ordering after which a start is given up."""
TRANSPOSE_PASSES = 20
WORK_BUDGET = 150_000
"""Vertex visits the ordering of a graph of up to ``FULL_ORDERING_VERTICES`` may spend (a sweep visits each vertex once,
its transposition a few times): every run of every start, for any real-world file seen."""
RANDOM_STARTS = 12
"""Seeded shuffles of the columns, each swept by medians (no transposition) after the built starts, while crossings and budget are left.

Sweeps and transpositions from the built starts can settle where no single
move or swap removes a crossing while an ordering with fewer exists; a start
far from them finds another: on buildx's Dockerfile 3 crossings instead of
5 (dot leaves 4), on moby's 28 instead of 30 (dot 51). Six shuffles found
the first, twelve both; without transposition six added 8 ms to moby's
layout instead of 38."""
FULL_ORDERING_VERTICES = 500
"""Past this many vertices (about a hundred edges spanning many columns) the budget shrinks, down to four visits a
vertex: the first start's first sweeps. Such a graph is neither transposed nor rethreaded: on the generated graphs of
400 to 2,000 edges, sweeps alone, two more of them for the same visits, leave fewer crossings (49,468 instead of
51,433 at 856 edges) in the same time or less. Up to it, the whole budget costs at most about 0.1 s (97 ms for
buildkit's Dockerfile, the largest public graph the benchmark draws, 446 vertices); the layout lays out a larger part
by segments (:mod:`.segments`, whose ``SEGMENT_LAYOUT_VERTICES`` is this bound), and this budget keeps the ordering's
own cost in check for any other caller."""


def order_columns(columns: list[list[int]], links: _Links, vertices: list[_Vertex]) -> int:
    """Order each column to reduce crossings; writes ``vertex.order``, sorts ``columns`` and returns the crossings.

    From each of six starting orders (depth-first along the edges, along
    them backwards, the input order, depth-first from the last vertices of
    each column, and the first two again with each vertex's neighbours taken
    in reverse), sweeps alternate left to right and back, each followed
    by transposition up to ``FULL_ORDERING_VERTICES``; they sort by the
    weighted median of the neighbours' positions starting from the left,
    then again from the same start by their barycenter starting from the
    right (no one of these is best on every graph); ``RANDOM_STARTS``
    shuffled orders follow, and the best ordering seen is kept, its long
    edges then rethreaded (:func:`_rethread_long_edges`). A graph one of
    whose starts has no crossings takes that start as it is. The work
    is bounded: at most ``MAX_SWEEPS`` sweeps a run, each O(E log E), and no
    more than ``WORK_BUDGET`` vertex visits in all, fewer for a huge graph
    (see ``FULL_ORDERING_VERTICES``); a graph that spends its budget stops
    after its first runs.
    """
    count = len(vertices)
    before, after = links.before, links.after
    position = [0] * count
    budget = max(4 * count, int(WORK_BUDGET * min(1.0, FULL_ORDERING_VERTICES / max(count, 1))))
    best: list[list[int]] | None = None
    best_crossings = -1
    orders: list[Callable[[], list[list[int]]]] = [
        lambda: _initial_order(columns, vertices, after, before),
        lambda: _initial_order(columns[::-1], vertices, before, after)[::-1],
        lambda: [list(c) for c in columns],
        lambda: _initial_order([c[::-1] for c in columns], vertices, after, before),
        lambda: _initial_order(columns, vertices, [following[::-1] for following in after], before),
        lambda: _initial_order(columns[::-1], vertices, [preceding[::-1] for preceding in before], after)[::-1],
    ]
    built = len(orders)
    orders += [lambda seed=seed: _shuffled(columns, seed) for seed in range(RANDOM_STARTS)]
    runs = [*itertools.product(range(built), (_sort_by_median, _sort_by_barycenter)), *((built + seed, _sort_by_median) for seed in range(RANDOM_STARTS))]
    made: dict[int, list[list[int]]] = {}

    def start(index: int) -> list[list[int]]:
        """Starting order ``index``, made once: a built one is checked for crossings first, then run twice (median, then barycenter)."""
        if index not in made:
            made[index] = orders[index]()
        return [list(c) for c in made[index]]

    if count <= FULL_ORDERING_VERTICES:
        for index in range(built):
            crossing_free = start(index)
            _positions(crossing_free, position)
            if _total_crossings(crossing_free, after, position) == 0:
                columns[:] = crossing_free
                _write_order(columns, vertices)
                return 0
    for index, sort in runs:
        if best is not None and (best_crossings == 0 or budget <= 0):
            break
        current = start(index)
        backward_first = sort is _sort_by_barycenter
        _positions(current, position)
        crossings = _total_crossings(current, after, position)
        if best is None or crossings < best_crossings:
            best, best_crossings = [list(c) for c in current], crossings
        stale = 0
        for sweep in range(MAX_SWEEPS):
            if best_crossings == 0 or stale >= STALE_SWEEPS or budget <= 0:
                break
            if (sweep + backward_first) % 2 == 0:
                for c in range(1, len(current)):
                    sort(current[c], before, links.before_weights, position)
            else:
                for c in range(len(current) - 2, -1, -1):
                    sort(current[c], after, links.after_weights, position)
            budget -= count
            if count <= FULL_ORDERING_VERTICES and index < built:
                budget -= _transpose(current, before, after, position, allow_equal=sweep % 4 >= 2, allowance=budget // 2)
            crossings = _total_crossings(current, after, position)
            if crossings < best_crossings:
                best, best_crossings, stale = [list(c) for c in current], crossings, 0
            else:
                stale += 1
    assert best is not None
    if best_crossings and count <= FULL_ORDERING_VERTICES:
        best_crossings = _rethread_long_edges(best, links, vertices, position)
    columns[:] = best
    _write_order(columns, vertices)
    return best_crossings


def _shuffled(columns: list[list[int]], seed: int) -> list[list[int]]:
    """Each column shuffled by a linear congruential generator seeded with ``seed``: the same graph is always drawn the same."""
    state = seed + 1
    shuffled: list[list[int]] = []
    for members in columns:
        members = list(members)
        for i in range(len(members) - 1, 0, -1):
            state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
            j = (state >> 33) % (i + 1)
            members[i], members[j] = members[j], members[i]
        shuffled.append(members)
    return shuffled


def _positions(columns: list[list[int]], position: list[int]) -> None:
    for members in columns:
        for place, vertex in enumerate(members):
            position[vertex] = place


def _initial_order(
    columns: list[list[int]], vertices: list[_Vertex], forward: list[list[int]], backward: list[list[int]],
) -> list[list[int]]:
    """Depth-first along ``forward`` from the vertices without ``backward`` links, in input order: related vertices start together.

    ``columns`` may come in either direction; the result's columns are in
    the same order as the ones given.
    """
    seen = [False] * len(forward)
    ordered: list[list[int]] = [[] for _ in columns]
    column_slot = {vertices[members[0]].column: c for c, members in enumerate(columns) if members}

    def visit(vertex: int) -> None:
        stack = [vertex]
        while stack:
            current = stack.pop()
            if seen[current]:
                continue
            seen[current] = True
            ordered[column_slot[vertices[current].column]].append(current)
            stack.extend(reversed(forward[current]))

    for members in columns:
        for vertex in members:
            if not seen[vertex] and not backward[vertex]:
                visit(vertex)
    for members in columns:
        for vertex in members:
            if not seen[vertex]:
                visit(vertex)
    return ordered


def _write_order(columns: list[list[int]], vertices: list[_Vertex]) -> None:
    for members in columns:
        for place, vertex in enumerate(members):
            vertices[vertex].order = place


def _sort_by_median(members: list[int], neighbours: list[list[int]], weights: list[list[float]], position: list[int]) -> None:
    """Sort a column by the weighted median of its neighbours' positions (Gansner et al.'s, as Graphviz dot uses).

    The median follows the side where the neighbours crowd together, which
    the mean does not; an even count interpolates between the two middle
    positions, weighted by how spread out each half is. A vertex without
    neighbours on that side stays in its place and the others move around
    it. Edge weights are not used.
    """
    keyed = []
    staying: set[int] = set()
    for place, vertex in enumerate(members):
        linked = neighbours[vertex]
        count = len(linked)
        if count == 1:
            key = float(position[linked[0]])
        elif count == 0:
            staying.add(place)
            continue
        else:
            ends = sorted([position[n] for n in linked])
            middle = count // 2
            if count % 2:
                key = float(ends[middle])
            elif count == 2:
                key = (ends[0] + ends[1]) / 2
            else:
                upper, lower = ends[middle - 1] - ends[0], ends[-1] - ends[middle]
                spread = upper + lower
                key = (ends[middle - 1] * lower + ends[middle] * upper) / spread if spread else float(ends[middle])
        keyed.append((key, place, vertex))
    keyed.sort()
    moving = iter(keyed)
    for place in range(len(members)):
        vertex = members[place] if place in staying else next(moving)[2]
        members[place] = vertex
        position[vertex] = place


def _sort_by_barycenter(members: list[int], neighbours: list[list[int]], weights: list[list[float]], position: list[int]) -> None:
    """Sort a column by the weighted mean of its neighbours' positions (a vertex without neighbours keeps its place)."""
    keyed = []
    for place, vertex in enumerate(members):
        linked = neighbours[vertex]
        if len(linked) == 1:
            key = float(position[linked[0]])
        elif linked:
            linked_weights = weights[vertex]
            key = sum([position[n] * w for n, w in zip(linked, linked_weights)]) / sum(linked_weights)
        else:
            key = float(place)
        keyed.append((key, place, vertex))
    keyed.sort()
    for place, (_, _, vertex) in enumerate(keyed):
        members[place] = vertex
        position[vertex] = place


def _crossings_between(left: list[int], after: list[list[int]], position: list[int]) -> int:
    """Crossings of the edges leaving column ``left``, whose members are in position order: an inversion count.

    The far ends seen so far are kept sorted; each edge crosses those that
    end below it. Bisection and insertion run in C, so a column of n edges
    costs n log n comparisons and n short memory moves.
    """
    seen: list[int] = []
    count = 0
    for vertex in left:
        targets = after[vertex]
        if len(targets) == 1:
            end = position[targets[0]]
            place = bisect_right(seen, end)
            count += len(seen) - place
            seen.insert(place, end)
        elif targets:
            ends = [position[t] for t in targets]
            total = len(seen)
            for end in ends:
                count += total - bisect_right(seen, end)
            for end in ends:
                insort(seen, end)
    return count


def _total_crossings(columns: list[list[int]], after: list[list[int]], position: list[int]) -> int:
    return sum(_crossings_between(members, after, position) for members in columns[:-1])


def _transpose(
    columns: list[list[int]], before: list[list[int]], after: list[list[int]], position: list[int], *, allow_equal: bool,
    allowance: int,
) -> int:
    """Swap neighbours in a column while that lowers the crossings around them (or keeps them, when ``allow_equal``).

    The swaps of one column leave its neighbours' positions alone, so each
    vertex's sorted neighbour positions are read once per column and pass;
    a pair is compared by bisection, O((d₁ + d₂) log d). A column is looked
    at again only when it or a column beside it changed: otherwise it would
    make the same choices. No pass starts once ``allowance`` vertex visits
    are spent; returns the visits spent.
    """
    spent = 0
    dirty = [True] * (len(columns) + 1)
    for _ in range(TRANSPOSE_PASSES):
        if spent >= allowance:
            break
        improved = False
        again = [False] * (len(columns) + 1)
        for c, members in enumerate(columns):
            if len(members) < 2 or not dirty[c]:
                continue
            spent += len(members)
            swaps = 0
            ends = [_sorted_ends(before[v], after[v], position) for v in members]
            for i in range(len(members) - 1):
                upper, lower = ends[i], ends[i + 1]
                (ub, ua), (lb, la) = upper, lower
                if len(ub) == len(ua) == len(lb) == len(la) == 1:
                    kept = (ub[0] > lb[0]) + (ua[0] > la[0])
                    swapped = (lb[0] > ub[0]) + (la[0] > ua[0])
                else:
                    kept = _crossings_of_ends(upper, lower)
                    swapped = _crossings_of_ends(lower, upper)
                if swapped < kept or (allow_equal and swapped == kept and kept > 0):
                    u, v = members[i], members[i + 1]
                    members[i], members[i + 1] = v, u
                    ends[i], ends[i + 1] = lower, upper
                    position[u], position[v] = i + 1, i
                    improved = improved or swapped < kept
                    swaps += 1
            if swaps:
                dirty[c + 1] = again[c - 1] = again[c] = again[c + 1] = True
        if not improved:
            break
        dirty = again
    return spent


def _sorted_ends(before: list[int], after: list[int], position: list[int]) -> tuple[list[int], list[int]]:
    """A vertex's neighbour positions on each side, sorted (most vertices are dummies, with one neighbour a side)."""
    return (
        [position[before[0]]] if len(before) == 1 else sorted([position[n] for n in before]),
        [position[after[0]]] if len(after) == 1 else sorted([position[n] for n in after]),
    )


def _crossings_of_ends(upper: tuple[list[int], list[int]], lower: tuple[list[int], list[int]]) -> int:
    """Crossings between two vertices' edges when ``upper`` is placed right above ``lower``: pairs where upper's end lies below lower's."""
    count = 0
    for upper_side, lower_side in zip(upper, lower):
        if not upper_side or not lower_side:
            continue
        if len(lower_side) == 1:
            first = lower_side[0]
            count += sum(1 for a in upper_side if a > first)
        else:
            count += sum(bisect_left(lower_side, a) for a in upper_side)
    return count


# --------------------------------------------------------------------------- long edges moved whole

RETHREAD_BUDGET = 200_000
"""Cells of the per-column tables that re-threading long edges may fill (a column pair of n and m vertices fills about n·m)."""
RETHREAD_PASSES = 4
MIN_RETHREAD_LENGTH = 2
"""Inner vertices a long edge needs to be moved whole: one alone is a single vertex, which sweeps and swaps move."""


def _rethread_long_edges(columns: list[list[int]], links: _Links, vertices: list[_Vertex], position: list[int]) -> int:
    """Move whole long edges to where they cross least, all their columns at once; returns the crossings left.

    Sweeps and transposition move one vertex at a time, so a long edge
    that should pass a run of vertices in every column it crosses stays
    where it is: each single step alone adds a crossing. Here each long
    edge's inner vertices (the dummies and the label between its ends) are
    taken out, and the place in each column that minimises the crossings of
    the whole edge, with everything else fixed, is found by dynamic
    programming over its columns: O(n·m) for two neighbouring columns of n
    and m vertices. Only edges that cross something are tried, the most
    crossed first; passes repeat while an edge moves, within
    ``RETHREAD_BUDGET``.
    """
    _positions(columns, position)
    budget = RETHREAD_BUDGET
    chains = _long_edges(columns, links, vertices)
    owner = {vertex: index for index, chain in enumerate(chains) for vertex in chain}
    for _ in range(RETHREAD_PASSES):
        moved = False
        crossed = _crossings_by_chain(columns, links.after, position, owner, len(chains))
        for index in sorted((i for i, count in enumerate(crossed) if count), key=lambda i: -crossed[i]):
            if budget <= 0:
                break
            chain = chains[index]
            slots, saved, spent = _best_threading(columns, links, vertices, position, chain)
            budget -= spent
            if saved > 0:
                for vertex, slot in zip(chain, slots):
                    members = columns[vertices[vertex].column]
                    members.remove(vertex)
                    members.insert(slot, vertex)
                    for place, member in enumerate(members):
                        position[member] = place
                moved = True
        if not moved or budget <= 0:
            break
    return _total_crossings(columns, links.after, position)


def _crossings_by_chain(
    columns: list[list[int]], after: list[list[int]], position: list[int], owner: dict[int, int], chains: int,
) -> list[int]:
    """How many crossings each chain's segments take part in (a crossing of two chains counts for both); ``owner`` maps an inner vertex to its chain.

    Per pair of columns, the segments in order of their start: one pass from
    the top counts for each segment those above it that end below it, one
    from the bottom those below it that end above it (bisection on the ends
    seen so far); segments from one vertex never cross.
    """
    crossed = [0] * chains
    for members in columns[:-1]:
        groups = []
        for vertex in members:
            if after[vertex]:
                ends = [position[end] for end in after[vertex]]
                chain = owner.get(vertex)
                owners = [chain if chain is not None else owner.get(end, -1) for end in after[vertex]]
                groups.append((ends, owners))
        for ordered, below in ((groups, False), (groups[::-1], True)):
            seen: list[int] = []
            for ends, owners in ordered:
                for end, chain in zip(ends, owners):
                    if chain >= 0:
                        crossed[chain] += bisect_left(seen, end) if below else len(seen) - bisect_right(seen, end)
                for end in ends:
                    insort(seen, end)
    return crossed


def _long_edges(columns: list[list[int]], links: _Links, vertices: list[_Vertex]) -> list[list[int]]:
    """The inner vertices of each edge that spans columns, from its source's side: each has one neighbour a side."""
    chains: list[list[int]] = []
    for members in columns:
        for vertex in members:
            if vertices[vertex].kind != "node" and vertices[links.before[vertex][0]].kind == "node":
                chain = [vertex]
                while vertices[links.after[chain[-1]][0]].kind != "node":
                    chain.append(links.after[chain[-1]][0])
                if len(chain) >= MIN_RETHREAD_LENGTH:
                    chains.append(chain)
    return chains


def _best_threading(
    columns: list[list[int]], links: _Links, vertices: list[_Vertex], position: list[int], chain: list[int],
) -> tuple[list[int], int, int]:
    """Where ``chain``'s vertices cross least, as slots among the other vertices of their columns; the crossings saved and cells spent.

    A slot ``i`` puts the vertex above the others from the ``i``-th on. Two
    segments between the same columns cross when one starts above the
    other and ends below it: with a table of the other edges counted by
    (start slot, end slot), prefix sums give any segment's crossings in
    O(1), and the cheapest path through the columns follows by dynamic
    programming. Edges that share an end with the chain's source or target
    never cross it there.
    """
    after = links.after
    source, target = links.before[chain[0]][0], after[chain[-1]][0]
    others = [[member for member in columns[vertices[vertex].column] if member != vertex] for vertex in chain]
    slot_of = [{member: slot for slot, member in enumerate(rest)} for rest in others]
    current = [position[vertex] for vertex in chain]
    spent = 0

    # segment source -> slot j of the first column
    first = slot_of[0]
    left = [0] * (len(others[0]) + 2)
    for member in columns[vertices[source].column]:
        if member == source:
            continue
        above = position[member] < position[source]
        for end in after[member]:
            if end != chain[0]:
                slot = first[end]
                if above:  # crosses where the chain enters at or above it
                    left[0] += 1
                    left[slot + 1] -= 1
                else:
                    left[slot + 1] += 1
    cost = list(itertools.accumulate(left[: len(others[0]) + 1]))
    current_cost = cost[current[0]]
    choices: list[list[int]] = []
    for k in range(len(chain) - 1):
        upper, lower = others[k], others[k + 1]
        n, m = len(upper), len(lower)
        spent += (n + 1) * (m + 1)
        table = [[0] * (m + 1) for _ in range(n + 1)]
        lower_slot = slot_of[k + 1]
        for slot, member in enumerate(upper):
            row = table[slot + 1]
            for end in after[member]:
                if end != chain[k + 1]:
                    row[lower_slot[end] + 1] += 1
        for i in range(1, n + 1):  # table[i][j]: other edges that start above slot i and end above slot j
            table[i] = list(map(int.__add__, table[i - 1], itertools.accumulate(table[i])))
        starts_above = [table[i][m] for i in range(n + 1)]
        ends_above = table[n]
        base = [c + a for c, a in zip(cost, starts_above)]
        current_cost += starts_above[current[k]] + ends_above[current[k + 1]] - 2 * table[current[k]][current[k + 1]]
        next_cost, choice = [], []
        for j in range(m + 1):
            values = [b - 2 * row[j] for b, row in zip(base, table)]
            lowest = min(values)
            next_cost.append(lowest + ends_above[j])
            choice.append(values.index(lowest))
        cost = next_cost
        choices.append(choice)

    # segment slot i of the last column -> target
    last = others[-1]
    right = [0] * (len(last) + 2)
    for slot, member in enumerate(last):
        for end in after[member]:
            if end == target:
                continue
            if position[end] > position[target]:  # crosses where the chain leaves below it
                right[slot + 1] += 1
            else:
                right[0] += 1
                right[slot + 1] -= 1
    leaving = list(itertools.accumulate(right[: len(last) + 1]))
    current_cost += leaving[current[-1]]
    cost = [c + r for c, r in zip(cost, leaving)]
    best_slot = cost.index(min(cost))
    slots = [best_slot]
    for choice in reversed(choices):
        slots.append(choice[slots[-1]])
    slots.reverse()
    return slots, current_cost - cost[best_slot], spent
