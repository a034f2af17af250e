"""The layered layout: no overlaps, edges from box to box, few crossings, deterministic, at any size."""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path
from unittest import mock

import pytest
from dockerfile_docs.pipeline import analyze_file, analyze_text
from dockerfile_docs.render import layout, ordering, segments
from dockerfile_docs.render import layout as layout_module
from dockerfile_docs.render.layout import Box, LayoutEdge, LayoutNode, layout_graph
from dockerfile_docs.render.svg import layout_input, render_diagram
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "diagrams"))
from many_stages import many_stage_dockerfile
from svg_reading import assert_readable_geometry, crossings, path_points, read_diagram

CASES = Path(__file__).parent / "diagrams"


# --------------------------------------------------------------------------- whole diagrams


@pytest.mark.parametrize("stages", [1, 3, 5, 10, 30, 50])
def test_many_stage_files_are_laid_out_without_overlap(stages: int) -> None:
    text = "FROM busybox:1.36\n" if stages == 1 else many_stage_dockerfile(stages)
    analysis = analyze_text(text)
    assert len(analysis.stages) == stages
    diagram = read_diagram(render_diagram(analysis))
    assert len([n for n in diagram.nodes.values() if n.kind == "stage"]) == len(analysis.stages)
    assert_readable_geometry(diagram)


@pytest.mark.parametrize("stages", [30, 50])
def test_every_edge_of_a_large_acyclic_file_runs_left_to_right(stages: int) -> None:
    diagram = read_diagram(render_diagram(analyze_text(many_stage_dockerfile(stages))))
    for edge in diagram.edges:
        source, target = diagram.nodes[edge.source].box, diagram.nodes[edge.target].box
        assert source.right < target.x, edge
        xs = [x for x, _ in path_points(edge.path)]
        assert xs == sorted(xs), "edges never turn back"


@pytest.mark.parametrize(
    "case", ["two-stage-go", "dev-test-prod", "global-arg-base", "mounts-and-image-copies", "unnamed-stages", "single-stage"]
)
def test_graphs_that_can_be_drawn_without_crossings_are(case: str) -> None:
    diagram = read_diagram(render_diagram(analyze_file(str(CASES / case / "Dockerfile"))))
    assert crossings(diagram) == 0


def test_a_thirty_stage_file_has_few_crossings_for_its_edges() -> None:
    diagram = read_diagram(render_diagram(analyze_text(many_stage_dockerfile(30))))
    assert crossings(diagram) <= len(diagram.edges) // 2


def test_cycle_among_skipped_stages_is_drawn_with_both_arrows_between_the_boxes() -> None:
    diagram = read_diagram(render_diagram(analyze_file(str(CASES / "cycle-in-skipped-stages" / "Dockerfile"))))
    between = [e for e in diagram.edges if {e.source, e.target} == {"s0", "s1"}]
    assert len(between) == 2
    for edge in between:
        first, last = path_points(edge.path)[0], path_points(edge.path)[-1]
        source, target = diagram.nodes[edge.source].box, diagram.nodes[edge.target].box
        assert source.y <= first[1] <= source.bottom and target.y <= last[1] <= target.bottom


def test_image_and_arg_nodes_sit_just_before_their_first_consumer() -> None:
    diagram = read_diagram(render_diagram(analyze_text(many_stage_dockerfile(10))))
    base_image = next(n for n in diagram.nodes.values() if n.name == "image debian:bookworm-slim")
    base = next(n for n in diagram.nodes.values() if n.name == "base")
    toolchain = next(n for n in diagram.nodes.values() if n.name == "toolchain")
    assert base_image.box.right < base.box.x
    assert base.box.x < toolchain.box.x, "a stage waits for nothing, an image waits for its user"


def test_an_image_stays_by_its_first_consumer_where_a_balanced_layering_would_lower_the_drawing() -> None:
    """global-arg-base: the debian image shares a column with the build stage; before the golang image it would lower it."""
    analysis = analyze_file(str(CASES / "global-arg-base" / "Dockerfile"))
    nodes, edges = layout_input(analysis)
    drawn = layout_graph(nodes, edges)
    final = analysis.stages[-1]
    key = {stage.index: f"s{stage.index}" for stage in analysis.stages}[final.index]
    image = next(edge.source for edge in edges if edge.target == key and edge.source.startswith("i"))
    assert drawn.columns[image] == drawn.columns[key] - 1
    assert drawn.columns[image] > drawn.columns[next(edge.source for edge in edges if edge.target == "s0")], "after the golang image"


# --------------------------------------------------------------------------- the layout alone


def test_ordering_finds_the_crossing_free_order_of_a_two_column_graph() -> None:
    nodes = [LayoutNode(k, 60, 30) for k in ("a", "b", "c", "d", "e", "f", "g")]
    edges = [LayoutEdge(s, t) for s, t in (("a", "f"), ("b", "e"), ("c", "d"), ("a", "e"), ("c", "g"), ("b", "d"))]
    layout = layout_graph(nodes, edges)
    ys = {k: b.center_y for k, b in layout.nodes.items()}
    for i, first in enumerate(edges):
        for second in edges[i + 1:]:
            if first.source != second.source and first.target != second.target:
                same_order = (ys[first.source] < ys[second.source]) == (ys[first.target] < ys[second.target])
                assert same_order, f"{first} crosses {second}"


def test_a_chain_is_drawn_on_one_straight_line_of_one_run_an_edge() -> None:
    nodes = [LayoutNode(str(i), 80, 40) for i in range(6)]
    layout = layout_graph(nodes, [LayoutEdge(str(i), str(i + 1), 30, 18) for i in range(5)])
    assert len({b.center_y for b in layout.nodes.values()}) == 1
    for route in layout.routes:
        assert len({y for _, y in route.points}) == 1
        assert len(route.points) == 2, "a level edge has no flat curves through the label's column"


def test_a_long_edges_label_moves_off_its_target_only_where_that_saves_more_width_than_its_height() -> None:
    # "a" feeds "b" and "d"; "d" also waits for "c", so the edge a -> d passes two gap columns
    nodes = [LayoutNode(k, 80, 40) for k in "abcd"]

    def label_column(edges: list[LayoutEdge], **options: object) -> int:
        layout = layout_graph(nodes, edges, **options)  # type: ignore[arg-type]
        label = layout.routes[1].label
        assert label is not None
        source, target = layout.nodes["a"], layout.nodes["d"]
        if options.get("direction") == "TB":
            return 0 if label.y - source.bottom < target.y - label.bottom else 1
        return 0 if label.x - source.right < target.x - label.right else 1

    wide = [LayoutEdge("a", "b", 60, 19), LayoutEdge("a", "d", 200, 19), LayoutEdge("b", "c", 30, 19), LayoutEdge("c", "d", 30, 19)]
    assert label_column(wide) == 0, "the wide label goes by its source, in the gap column the wider label there already sets"
    narrow = [LayoutEdge("a", "b", 60, 19), LayoutEdge("a", "d", 45, 19), LayoutEdge("b", "c", 30, 19), LayoutEdge("c", "d", 30, 19)]
    assert label_column(narrow) == 1, "saving 15 px of width is not worth 19 px of height: the label stays by its target"
    alone = [LayoutEdge("a", "b", 60, 19), LayoutEdge("a", "d", 200, 19), LayoutEdge("b", "c", 30, 19), LayoutEdge("c", "d")]
    assert label_column(alone, direction="TB") == 1, "drawn top to bottom every label is 19 px 'wide': it stays by its target"


def test_unknown_nodes_and_self_loops_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown node"):
        layout_graph([LayoutNode("a", 10, 10)], [LayoutEdge("a", "b")])
    with pytest.raises(ValueError, match="self-loop"):
        layout_graph([LayoutNode("a", 10, 10)], [LayoutEdge("a", "a")])
    assert layout_graph([], []).nodes == {}


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[LayoutNode], list[LayoutEdge]]:
    count = draw(st.integers(1, 14))
    nodes = [
        LayoutNode(f"n{i}", draw(st.integers(20, 200)), draw(st.integers(16, 90)), pull_right=draw(st.booleans()))
        for i in range(count)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=30))
    edges = [
        LayoutEdge(f"n{a}", f"n{b}", *draw(st.sampled_from([(0.0, 0.0), (40.0, 19.0), (180.0, 19.0)])))
        for a, b in pairs
        if a != b
    ]
    return nodes, edges


def _all_boxes(layout: object) -> list[Box]:
    boxes = list(layout.nodes.values())  # type: ignore[attr-defined]
    boxes += [r.label for r in layout.routes if r.label is not None]  # type: ignore[attr-defined]
    return boxes


@pytest.mark.parametrize("by_segments", [False, True], ids=["by bend points", "by segments"])
@settings(max_examples=150, deadline=None)
@given(graph=graphs())
def test_any_graph_gets_disjoint_boxes_and_routes_from_box_to_box(graph: tuple[list[LayoutNode], list[LayoutEdge]], by_segments: bool) -> None:
    """Every part of a graph past ``SEGMENT_LAYOUT_VERTICES`` is laid out by segments: here every part is, or none."""
    nodes, edges = graph
    with mock.patch.object(layout_module, "SEGMENT_LAYOUT_VERTICES", -1 if by_segments else 10**9):
        layout = layout_graph(nodes, edges)
        again = layout_graph(nodes, edges)
    boxes = _all_boxes(layout)
    for i, a in enumerate(boxes):
        assert 0 <= a.x and a.right <= layout.width and 0 <= a.y and a.bottom <= layout.height
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    for node in nodes:
        box = layout.nodes[node.key]
        assert (box.width, box.height) == (node.width, node.height)
    assert [r.edge for r in layout.routes] == list(range(len(edges)))
    for edge, route in zip(edges, layout.routes):
        source, target = layout.nodes[edge.source], layout.nodes[edge.target]
        (x0, y0), (x1, y1) = route.points[0], route.points[-1]
        assert x0 in (pytest.approx(source.right, abs=0.01), pytest.approx(source.x, abs=0.01))
        assert source.y <= y0 <= source.bottom and target.y <= y1 <= target.bottom
        assert x1 in (pytest.approx(target.x, abs=0.01), pytest.approx(target.right, abs=0.01))
        assert len(route.points) % 2 == 0
        assert (route.label is not None) == (edge.label_width > 0)
    assert again == layout


def test_parallel_edges_share_one_route_with_their_labels_stacked() -> None:
    nodes = [LayoutNode("a", 80, 40), LayoutNode("b", 80, 40)]
    edges = [LayoutEdge("a", "b", 40, 19), LayoutEdge("a", "b", 0, 0), LayoutEdge("a", "b", 70, 19)]
    layout = layout_graph(nodes, edges)
    assert len({route.points for route in layout.routes}) == 1
    first, second = layout.routes[0].label, layout.routes[2].label
    assert layout.routes[1].label is None and first is not None and second is not None
    assert not first.overlaps(second) and first.bottom <= second.y
    assert abs((first.x + first.width / 2) - (second.x + second.width / 2)) < 0.01


def test_a_part_not_connected_to_the_rest_is_packed_into_the_room_beside_it() -> None:
    chain = [LayoutNode(f"c{i}", 120, 60) for i in range(6)]
    fan = [LayoutNode(f"f{i}", 120, 60) for i in range(5)]
    lone = LayoutNode("lone", 120, 60)
    edges = [LayoutEdge(f"c{i}", f"c{i + 1}") for i in range(5)] + [LayoutEdge("c5", f"f{i}") for i in range(5)]
    connected = layout_graph(chain + fan, edges)
    packed = layout_graph(chain + fan + [lone], edges)
    assert packed.height == connected.height and packed.width == connected.width
    box = packed.nodes["lone"]
    assert all(not box.overlaps(other, 10) for key, other in packed.nodes.items() if key != "lone")


def test_ordering_reports_the_crossings_it_leaves() -> None:
    nodes = [LayoutNode(k, 60, 30) for k in "abcd"]
    crossing_free = layout_graph(nodes, [LayoutEdge("a", "c"), LayoutEdge("b", "d")])
    forced = layout_graph(nodes, [LayoutEdge(s, t) for s in "ab" for t in "cd"])
    assert crossing_free.crossings == 0
    assert forced.crossings == 1


# --------------------------------------------------------------------------- against Graphviz

PUBLIC_GRAPHS = Path(__file__).parents[1] / "benchmarks" / "graphs"
DOT_OBSERVED = json.loads((PUBLIC_GRAPHS / "dot-observed.json").read_text(encoding="utf-8"))["graphs"]


@pytest.mark.parametrize("name", sorted(DOT_OBSERVED))
def test_no_public_graph_is_drawn_with_more_crossings_than_graphviz_dot_leaves(name: str) -> None:
    """The graphs of public multi-stage Dockerfiles, with the crossings ``dot`` left on them (``benchmarks/layouts.py --record-dot``)."""
    record = json.loads((PUBLIC_GRAPHS / "public" / f"{name}.json").read_text(encoding="utf-8"))
    nodes = [LayoutNode(**node) for node in record["nodes"]]
    edges = [LayoutEdge(**edge) for edge in record["edges"]]
    assert layout_graph(nodes, edges).crossings <= DOT_OBSERVED[name]["crossings"]


# --------------------------------------------------------------------------- long edges moved whole


def _layered(seed: int, columns: int, width: int) -> tuple[list[list[int]], layout._Links, list[layout._Vertex]]:
    """A random layered graph, in a random order: one or two nodes a column, long edges through dummies, one edge between each two neighbouring columns."""
    rng = random.Random(seed)
    vertices: list[layout._Vertex] = []
    chains: list[list[int]] = []

    def vertex(kind: str, column: int) -> int:
        vertices.append(layout._Vertex(kind, column, 0.0, 0.0, node_key=f"n{len(vertices)}" if kind == "node" else None))
        return len(vertices) - 1

    nodes = {c: [vertex("node", c) for _ in range(rng.randint(1, 2))] for c in range(columns)}
    for _ in range(width):
        first = rng.randrange(0, columns - 3)
        last = rng.randrange(first + 3, columns)
        chains.append([rng.choice(nodes[first]), *(vertex("dummy", c) for c in range(first + 1, last)), rng.choice(nodes[last])])
    for c in range(columns - 1):
        chains.append([rng.choice(nodes[c]), rng.choice(nodes[c + 1])])
    ordered = layout._columns(vertices)
    for members in ordered:
        rng.shuffle(members)
    return ordered, layout._links(chains, len(vertices)), vertices


def _crossings(columns: list[list[int]], links: layout._Links) -> int:
    position = [0] * len(links.after)
    ordering._positions(columns, position)
    return ordering._total_crossings(columns, links.after, position)


@pytest.mark.parametrize("seed", range(12))
def test_a_long_edge_is_threaded_where_it_crosses_least_and_saves_what_a_recount_finds(seed: int) -> None:
    columns, links, vertices = _layered(seed, columns=5, width=5)
    position = [0] * len(vertices)
    ordering._positions(columns, position)
    for chain in ordering._long_edges(columns, links, vertices):
        slots, saved, _ = ordering._best_threading(columns, links, vertices, position, chain)
        others = [[v for v in columns[vertices[vertex].column] if v != vertex] for vertex in chain]

        every = {
            placing: _threaded_crossings(columns, links, vertices, chain, others, placing)
            for placing in itertools.product(*(range(len(rest) + 1) for rest in others))
        }
        chosen = every[tuple(slots)]
        assert chosen == min(every.values()), "the threading is the best there is"
        assert _crossings(columns, links) - chosen == saved


def _threaded_crossings(
    columns: list[list[int]], links: layout._Links, vertices: list[layout._Vertex], chain: list[int], others: list[list[int]],
    placing: tuple[int, ...],
) -> int:
    trial = [list(members) for members in columns]
    for vertex, rest, slot in zip(chain, others, placing):
        trial[vertices[vertex].column] = rest[:slot] + [vertex] + rest[slot:]
    return _crossings(trial, links)


@pytest.mark.parametrize("seed", range(6))
def test_each_long_edges_crossings_are_counted_as_a_pairwise_check_counts_them(seed: int) -> None:
    columns, links, vertices = _layered(seed, columns=6, width=7)
    position = [0] * len(vertices)
    ordering._positions(columns, position)
    chains = ordering._long_edges(columns, links, vertices)
    segments = [(a, b) for a in range(len(vertices)) for b in links.after[a]]

    def cross(first: tuple[int, int], second: tuple[int, int]) -> bool:
        (a, b), (c, d) = first, second
        if vertices[a].column != vertices[c].column or a == c or b == d:
            return False
        return (position[a] - position[c]) * (position[b] - position[d]) < 0

    expected = []
    for chain in chains:
        own = [(a, b) for a, b in segments if a in chain or b in chain]
        expected.append(sum(cross(mine, other) for mine in own for other in segments if other not in own))
    owner = {vertex: index for index, chain in enumerate(chains) for vertex in chain}
    assert ordering._crossings_by_chain(columns, links.after, position, owner, len(chains)) == expected
    assert any(expected), "some long edge crosses something"


def test_rethreading_leaves_the_crossings_it_reports_and_never_more_than_it_found() -> None:
    for seed in range(30):
        columns, links, vertices = _layered(seed, columns=7, width=6)
        before = _crossings(columns, links)
        after = ordering._rethread_long_edges(columns, links, vertices, [0] * len(vertices))
        assert after == _crossings(columns, links) < before, seed


def test_a_long_edge_that_must_pass_a_run_of_vertices_in_every_column_is_moved_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """buildx's lint Dockerfile: sweeps and swaps stop at 3 crossings, where one long edge would have to pass two
    vertices in each of six columns, each single step adding a crossing; moved whole, it leaves dot's 2."""
    name = "docker_buildx__hack_dockerfiles_lint.Dockerfile"
    record = json.loads((PUBLIC_GRAPHS / "public" / f"{name}.json").read_text(encoding="utf-8"))
    nodes = [LayoutNode(**node) for node in record["nodes"]]
    edges = [LayoutEdge(**edge) for edge in record["edges"]]
    assert layout_graph(nodes, edges).crossings == DOT_OBSERVED[name]["crossings"] == 2
    monkeypatch.setattr(ordering, "_rethread_long_edges", lambda columns, links, vertices, position: _crossings(columns, links))
    assert layout_graph(nodes, edges).crossings == 3


def test_columns_that_climb_like_a_staircase_are_pulled_up_to_the_tallest_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """buildx's vendor Dockerfile: each column aligned with its neighbours sank below the one before; dot draws it 251 px high."""
    name = "docker_buildx__hack_dockerfiles_vendor.Dockerfile"
    record = json.loads((PUBLIC_GRAPHS / "public" / f"{name}.json").read_text(encoding="utf-8"))
    nodes = [LayoutNode(**node) for node in record["nodes"]]
    edges = [LayoutEdge(**edge) for edge in record["edges"]]
    pulled = layout_graph(nodes, edges)
    tallest_column = max(
        max(box.bottom for key, box in pulled.nodes.items() if pulled.columns[key] == column)
        - min(box.y for key, box in pulled.nodes.items() if pulled.columns[key] == column)
        for column in set(pulled.columns.values())
    )
    assert pulled.height <= DOT_OBSERVED[name]["height"]
    assert pulled.height - 2 * 12 == pytest.approx(tallest_column, abs=0.01)
    monkeypatch.setattr(layout, "_pull_columns_up", lambda columns, vertices, limit: None)
    assert layout_graph(nodes, edges).height > DOT_OBSERVED[name]["height"]


@pytest.mark.parametrize("name", sorted(DOT_OBSERVED))
def test_no_public_graph_is_drawn_larger_than_graphviz_dot_draws_it(name: str) -> None:
    """The same boxes and gaps as dot gets (``benchmarks/layouts.py``): no larger area."""
    record = json.loads((PUBLIC_GRAPHS / "public" / f"{name}.json").read_text(encoding="utf-8"))
    drawn = layout_graph([LayoutNode(**node) for node in record["nodes"]], [LayoutEdge(**edge) for edge in record["edges"]])
    assert drawn.width * drawn.height <= DOT_OBSERVED[name]["width"] * DOT_OBSERVED[name]["height"]


def test_a_node_of_the_tallest_column_moves_to_the_nearest_column_where_it_lowers_that_column() -> None:
    """s0 feeds three stages that each feed s4; s1 and s2 may sit in the column before s4 as well as in s3's."""
    heights = {"s0": 40, "s1": 60, "s2": 60, "s3": 60, "s4": 40, "s5": 40, "image": 30}
    edges = [("image", "s0"), ("s0", "s1"), ("s0", "s2"), ("s0", "s3"), ("s3", "s5"), ("s5", "s4"), ("s1", "s4"), ("s2", "s4")]
    nodes = [LayoutNode(key, 100, height, pull_right=key == "image") for key, height in heights.items()]
    index = {key: i for i, key in enumerate(heights)}
    directed = [(index[s], index[t]) for s, t in edges]
    plain = dict(zip(heights, layout._ranks(nodes, directed, node_gap=20)))
    balanced = dict(zip(heights, layout._ranks(nodes, directed, node_gap=20, balance=True)))
    assert plain == {"image": 0, "s0": 1, "s1": 2, "s2": 2, "s3": 2, "s5": 3, "s4": 4}
    assert balanced == {**plain, "s1": 3}, "s1 joins s5: the tallest column loses a box, s2 stays where it would only move the height"


# --------------------------------------------------------------------------- huge parts, by segments


def _dense_graph(seed: int, stages: int, edges: int) -> tuple[list[LayoutNode], list[LayoutEdge]]:
    """Stages that copy from earlier ones, as a monorepo's Dockerfile does, each edge labelled with its path."""
    rng = random.Random(seed)
    nodes = [LayoutNode(f"s{i}", 60 + 20 * rng.randrange(3), 90) for i in range(stages)]
    pairs = [(rng.randrange(0, t), t) for t in (rng.randrange(1, stages) for _ in range(edges))]
    return nodes, [LayoutEdge(f"s{a}", f"s{b}", 19.0, rng.choice((40.0, 90.0, 150.0))) for a, b in pairs]


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_a_part_past_the_bend_point_budget_is_laid_out_by_segments_with_nothing_overlapping(direction: str) -> None:
    nodes, edges = _dense_graph(3, stages=40, edges=300)
    with mock.patch.object(layout, "lay_out_by_segments", wraps=layout.lay_out_by_segments) as by_segments:
        drawn = layout_graph(nodes, edges, direction=direction, max_column=376.0 if direction == "TB" else None)
    (call,) = by_segments.call_args_list
    assert call.args[-1] > segments.SEGMENT_LAYOUT_VERTICES
    boxes = _all_boxes(drawn)
    assert len(boxes) == len(nodes) + len(edges)
    for i, a in enumerate(boxes):
        assert 0 <= a.x and a.right <= drawn.width and 0 <= a.y and a.bottom <= drawn.height
        assert not any(a.overlaps(b) for b in boxes[i + 1:])
    for edge, route in zip(edges, drawn.routes):
        source, target = drawn.nodes[edge.source], drawn.nodes[edge.target]
        if direction == "TB":
            ys = [y for _, y in route.points]
            assert ys == sorted(ys), "edges never turn back"
            assert (ys[0], ys[-1]) == (pytest.approx(source.bottom), pytest.approx(target.y))
        else:
            xs = [x for x, _ in route.points]
            assert xs == sorted(xs), "edges never turn back"
            assert (xs[0], xs[-1]) == (pytest.approx(source.right), pytest.approx(target.x))


def test_a_segment_bends_only_between_its_pieces() -> None:
    nodes, edges = _dense_graph(5, stages=40, edges=300)
    drawn = layout_graph(nodes, edges)
    for edge, route in zip(edges, drawn.routes):
        span = drawn.columns[edge.target] - drawn.columns[edge.source]
        runs = len(route.points) // 2
        assert runs <= 2 + (2 * span - 1 + segments.PIECE_COLUMNS - 1) // segments.PIECE_COLUMNS + 1, edge


def _ordered_segments(seed: int) -> tuple[segments._Segments, list[list[int]], int]:
    """A random layered graph as the segments see it, ordered: a few nodes a column, edges spanning one to six ranks."""
    rng = random.Random(seed)
    ranks = rng.randint(3, 7)
    node_columns = [2 * r for r in range(ranks) for _ in range(rng.randint(1, 3))]
    ends, spans, labels = [], [], []
    for _ in range(rng.randint(4, 16)):
        source, target = rng.sample(range(len(node_columns)), 2)
        if node_columns[source] == node_columns[target]:
            continue
        if node_columns[source] > node_columns[target]:
            source, target = target, source
        ends.append((source, target))
        spans.append((node_columns[source], node_columns[target]))
        labels.append((rng.randrange(node_columns[source] + 1, node_columns[target], 2), 19.0) if rng.random() < 0.7 else (-1, 0.0))
    built = segments._Segments(node_columns, [40.0] * len(node_columns), ends, spans, labels, 2 * ranks - 1)
    orders, crossings = segments._order(built, 2 * ranks - 1)
    return built, orders, crossings


@pytest.mark.parametrize("seed", range(40))
def test_segments_are_ordered_alike_in_every_column_they_share_and_their_crossings_counted_pairwise(seed: int) -> None:
    built, orders, crossings = _ordered_segments(seed)
    nodes = built.node_count
    for c, order in enumerate(orders):
        expected = {v for v in range(nodes) if built.first[v] == c}
        expected |= {item for item in range(nodes, nodes + built.segment_count) if built.first[item] <= c <= built.last[item]}
        assert sorted(order) == sorted(expected), "each column holds its nodes and the segments passing it, once"
    for a, b in itertools.combinations(range(nodes, nodes + built.segment_count), 2):
        shared = [c for c in range(len(orders)) if a in orders[c] and b in orders[c]]
        assert len({orders[c].index(a) < orders[c].index(b) for c in shared}) <= 1, "two segments never cross"

    def links(c: int) -> list[tuple[int, int]]:
        """Every edge between column ``c`` and the next, as (position there, position in the next)."""
        left, right = orders[c], orders[c + 1]
        pairs = []
        for item in left:
            if item < nodes:
                pairs += [(left.index(item), right.index(s)) for s in built.outgoing[item] if built.first[s] == c + 1]
            elif built.last[item] == c:
                pairs.append((left.index(item), right.index(built.target[item - nodes])))
            else:
                pairs.append((left.index(item), right.index(item)))
        return pairs

    pairwise = sum(
        (a - c) * (b - d) < 0
        for column in range(len(orders) - 1)
        for (a, b), (c, d) in itertools.combinations(links(column), 2)
    )
    assert crossings == pairwise == segments._crossings(orders, built)


@pytest.mark.parametrize("seed", range(40))
def test_each_column_of_a_segment_placement_keeps_its_order_and_gaps(seed: int) -> None:
    built, orders, _ = _ordered_segments(seed)
    spacing = layout._Spacing(node_gap=22.0, lane_gap=10.0, column_gap=28.0, margin=12.0)
    ys, base = segments._place(orders, built, spacing)
    nodes = built.node_count

    def centre(item: int, column: int) -> float:
        return ys[item] if item < nodes else ys[base[item - nodes] + column // segments.PIECE_COLUMNS]

    for c, order in enumerate(orders):
        for u, v in itertools.pairwise(order):
            gap = spacing.node_gap if u < nodes and v < nodes else spacing.lane_gap
            need = gap + segments._half(u, c, built) + segments._half(v, c, built)
            assert centre(v, c) - centre(u, c) >= need - 1e-9, (c, u, v)
    assert min(centre(i, c) - segments._half(i, c, built) for c, order in enumerate(orders) for i in order) == pytest.approx(0.0)
