"""Turn a folder of Dockerfiles into the layout graphs the benchmark compares with Graphviz.

    .venv/bin/python benchmarks/graphs/collect.py FOLDER [--min-stages 3]

``FOLDER`` holds Dockerfiles and an ``index.txt`` whose lines read
``owner+name COMMIT PATH``; a file is named ``owner+name__PATH`` with ``/``
written as ``_``. Each graph is written to ``benchmarks/graphs/public/`` as
JSON: where the Dockerfile came from (repository, path, commit) and what the
layout receives, node boxes (generated keys and sizes) and edges (keys and
label sizes). No Dockerfile text is kept; graphs equal to one already written
(the same file vendored twice) are written once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "plugins"))

from dockerfile_docs.errors import DockerfileDocsError
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.render.svg import layout_input

OUTPUT = Path(__file__).resolve().parent / "public"


def provenance(folder: Path) -> dict[str, dict[str, str]]:
    """File name in ``folder`` to its repository, commit and path."""
    found: dict[str, dict[str, str]] = {}
    for line in (folder / "index.txt").read_text(encoding="utf-8").splitlines():
        repo, commit, path = line.split(" ", 2)
        found[repo + "__" + path.replace("/", "_")] = {"repository": repo.replace("+", "/"), "path": path, "commit": commit}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min-stages", type=int, default=3)
    args = parser.parse_args(argv)
    sources = provenance(args.folder)
    OUTPUT.mkdir(exist_ok=True)
    seen: set[str] = set()
    written = 0
    for name in sorted(sources):
        file = args.folder / name
        if not file.is_file():
            continue
        try:
            analysis = analyze_text(file.read_text(encoding="utf-8", errors="replace"), path=name)
        except DockerfileDocsError:
            continue
        if len(analysis.stages) < args.min_stages:
            continue
        nodes, edges = layout_input(analysis)
        graph = {
            "nodes": [{"key": n.key, "width": n.width, "height": n.height, "pull_right": n.pull_right} for n in nodes],
            "edges": [{"source": e.source, "target": e.target, "label_width": e.label_width, "label_height": e.label_height} for e in edges],
        }
        identity = json.dumps(graph, sort_keys=True)
        if identity in seen:
            continue
        seen.add(identity)
        record = {"source": sources[name], "stages": len(analysis.stages), **graph}
        (OUTPUT / (name.replace("+", "_") + ".json")).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        written += 1
    print(f"{written} graphs written to {OUTPUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
