"""The stage-diagram layout beside Graphviz ``dot`` on the same graphs: time, crossings, drawing size.

Used by ``run.py`` (section ``layout``). The graphs are the layout input of
public multi-stage Dockerfiles (``graphs/public/*.json``, written by
``graphs/collect.py``) and generated files of 50 stages with a growing number
of ``COPY --from`` edges. ``dot`` gets the same boxes (fixed sizes), the same
label boxes (fixed-size HTML cells), left to right, with the same gaps.

    .venv/bin/python benchmarks/layouts.py --record-dot

writes what ``dot`` finds on each public graph (crossings, drawing size) to
``graphs/dot-observed.json``, which the layout tests hold the layout to
where Graphviz is not installed.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
GRAPHS = HERE / "graphs" / "public"
sys.path.insert(0, str(HERE.parent / "plugins"))

from dockerfile_docs.render.layout import LayoutEdge, LayoutNode, layout_graph

POINTS = 72.0


@dataclass(frozen=True)
class Graph:
    name: str
    nodes: list[LayoutNode]
    edges: list[LayoutEdge]
    source: str = ""


@dataclass(frozen=True)
class Measured:
    seconds: float
    crossings: int
    width: float
    height: float

    @property
    def area(self) -> float:
        return self.width * self.height


def public_graphs() -> list[Graph]:
    graphs = []
    for file in sorted(GRAPHS.glob("*.json")):
        record = json.loads(file.read_text(encoding="utf-8"))
        source = record["source"]
        graphs.append(Graph(
            name=file.stem,
            nodes=[LayoutNode(**n) for n in record["nodes"]],
            edges=[LayoutEdge(**e) for e in record["edges"]],
            source=f"{source['repository']}@{source['commit'][:12]}:{source['path']}",
        ))
    graphs.sort(key=lambda g: (-len(g.nodes), -len(g.edges), g.name))
    return graphs


def dense_dockerfile(stages: int, edges: int, *, lines: int = 0, seed: int = 7) -> str:
    """``stages`` stages where ``edges`` distinct ``COPY --from`` pairs (plus each FROM) link later stages to earlier ones.

    With ``lines``, each stage gets ``RUN`` steps until the file has about that many lines.
    """
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    limit = stages * (stages - 1) // 2
    while len(pairs) < min(edges, limit):
        target = rng.randrange(1, stages)
        pairs.add((rng.randrange(0, target), target))
    padding = max(0, (lines - 3 - len(pairs) - 2 * (stages - 1)) // stages)
    out = ["ARG BASE=busybox:1.36", "FROM ${BASE} AS s0", "RUN echo 0 > /f0"]
    for index in range(1, stages):
        out.append(f"FROM ${{BASE}} AS s{index}" if index % 4 else f"FROM s{index - 1} AS s{index}")
        for source in sorted(s for s, t in pairs if t == index):
            out.append(f"COPY --from=s{source} /f{source} /from/s{source}/")
        out.append(f"RUN echo {index} > /f{index}")
        out += [f"RUN echo step {step} >> /log" for step in range(padding)]
    return "\n".join(out) + "\n"


def graph_of_dockerfile(name: str, text: str) -> Graph:
    from dockerfile_docs.pipeline import analyze_text
    from dockerfile_docs.render.svg import layout_input

    nodes, edges = layout_input(analyze_text(text, path=name))
    return Graph(name, nodes, edges)


def ours(graph: Graph, repeat: int = 1) -> Measured:
    best = float("inf")
    layout = None
    for _ in range(repeat):
        start = time.perf_counter()
        layout = layout_graph(graph.nodes, graph.edges)
        best = min(best, time.perf_counter() - start)
    assert layout is not None
    return Measured(best, layout.crossings, layout.width, layout.height)


def dot_available() -> bool:
    return shutil.which("dot") is not None


def dot_source(graph: Graph) -> str:
    # dot halves ``ranksep`` in a graph with edge labels (the labels get ranks of their own): doubled, the gaps equal ours
    ranksep = 28 * (2 if any(edge.label_width for edge in graph.edges) else 1)
    out = [
        "digraph G {",
        f"rankdir=LR; nodesep={22 / POINTS:.4f}; ranksep={ranksep / POINTS:.4f}; pad={12 / POINTS:.4f};",
        'node [shape=box fixedsize=true label="" margin=0];',
    ]
    for node in graph.nodes:
        out.append(f'"{node.key}" [width={node.width / POINTS:.4f} height={node.height / POINTS:.4f}];')
    for edge in graph.edges:
        label = ""
        if edge.label_width:
            label = (
                ' [label=<<table border="0" cellborder="0" cellpadding="0" cellspacing="0"><tr>'
                f'<td fixedsize="true" width="{edge.label_width:.0f}" height="{edge.label_height:.0f}"> </td></tr></table>>]'
            )
        out.append(f'"{edge.source}" -> "{edge.target}"{label};')
    out.append("}")
    return "\n".join(out) + "\n"


def dot(graph: Graph, repeat: int = 1) -> Measured:
    """``dot -v -Tsvg`` as a whole process: its time, the crossings it reports and the drawing's size."""
    source = dot_source(graph)
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = subprocess.run(["dot", "-v", "-Tsvg"], input=source, capture_output=True, text=True, check=True)
        best = min(best, time.perf_counter() - start)
    assert result is not None
    crossings = sum(int(n) for n in re.findall(r"mincross[^:\n]*: (\d+) crossings", result.stderr))
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', result.stdout)
    assert size is not None, "dot wrote no svg size"
    return Measured(best, crossings, float(size.group(1)), float(size.group(2)))


DOT_OBSERVED = HERE / "graphs" / "dot-observed.json"


def record_dot() -> None:
    """Write ``dot``'s crossings and drawing size for every public graph, with the Graphviz version that found them."""
    version = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=True).stderr.strip()
    observed = {}
    for graph in public_graphs():
        measured = dot(graph)
        observed[graph.name] = {"crossings": measured.crossings, "width": measured.width, "height": measured.height}
    DOT_OBSERVED.write_text(json.dumps({"graphviz": version, "graphs": observed}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{DOT_OBSERVED}: {len(observed)} graphs, {version}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record-dot"]:
        raise SystemExit("usage: layouts.py --record-dot")
    record_dot()
