"""Measure dockerfile-docs side by side with its peers, in one run, and print figures next to the targets.

    .venv/bin/python benchmarks/run.py [--quick] [--only SECTION ...] [--profile]

Sections (all by default):

* ``core``: analyze, and analyze + render (listing, diagram, explanations:
  ``render_fragment``), per Dockerfile: the handbook's examples, generated
  files of 10 to 10,000 lines and files of 2 to 50 stages; medians of
  repeated in-process runs (``time.perf_counter``), time per line and the
  ratio between sizes; each rule alone at 1,000 and 10,000 lines, so a rule
  whose cost grows faster than the file is named;
* ``peers``: dockerfile-parse (parsing only) and hadolint (a process per
  file, start-up included, measured alone on an empty file) on the same files;
* ``startup``: ``dockerfile-docs analyze --format json`` of small files as a
  whole process (byte-compiled, as a wheel install has it) against
  ``python -c pass`` and hadolint on the same files, runs interleaved;
* ``layout``: the stage-diagram layout beside Graphviz ``dot`` (a benchmark-only
  dependency, Debian's ``graphviz``) on the graphs of public multi-stage
  Dockerfiles (``graphs/public``): crossings, drawing size, time; then 50
  stages with 100 to 2,000 edges: layout time per edge (the curve), and
  ``dockerfile-docs render --format svg`` as a whole process (the median of
  five runs) against ``dot``;
* ``site``: ``mkdocs build`` of the handbook with the plugin against the same
  pages with plain ``dockerfile`` code blocks (the rules reference written as
  files, as ``rules --write-pages`` does, in the same nav), and of a generated
  site of 200 example pages beside the same pages without the plugin, built
  in turn (the median time of three builds each and the highest peak memory
  of their processes); the package is byte-compiled first, as a wheel
  install does;
* ``verify``: ``dockerfile-docs verify`` on a copy of the examples: cold,
  warm with nothing changed, after editing one example's context file, and
  ``--jobs 1`` against ``--jobs 2`` (skipped when no Docker engine answers);
* ``serve``: ``mkdocs serve`` on a copy of the handbook, from saving a
  Dockerfile to the served page showing the change (no Docker build involved).

Nothing here passes or fails: the figures are printed with the targets, and
a missed target is said so, by how much, with a profile of the case.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
EXAMPLES = REPO / "examples"
SECTIONS = ("core", "peers", "startup", "layout", "site", "verify", "serve")

TARGET_100_LINES_MS = 5.0
TARGET_10000_LINES_S = 1.0
TARGET_PLUGIN_OVERHEAD = 0.15
TARGET_WARM_VERIFY_S = 1.0
TARGET_STARTUP_MS = 50.0
TARGET_STARTUP_PYTHON_MS = 18.0
"""``python -c pass`` on the machine the start-up target was set on: the target is also read as 50/18 of this machine's."""
TARGET_805_EDGES_S = 0.5
TARGET_CURVE_SPREAD = 2.0
"""Time per edge is flat along the curve when its highest is within this multiple of its lowest."""
TARGET_SITE_200_S = 5.0
TARGET_SITE_200_MB = 150.0


# --------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Timing:
    """The median of repeated runs and how many runs it is made of."""

    median: float
    runs: int

    def ms(self) -> str:
        return f"{self.median * 1000:9.3f} ms"


def median_time(action: Callable[[], object], *, min_runs: int, budget: float) -> Timing:
    """Run ``action`` at least ``min_runs`` times and until ``budget`` seconds are used (at most 1000 runs)."""
    action()  # warm-up: imports, caches of compiled regexes
    samples: list[float] = []
    spent = 0.0
    while len(samples) < min_runs or (spent < budget and len(samples) < 1000):
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
        samples.append(elapsed)
        spent += elapsed
    return Timing(statistics.median(samples), len(samples))


def verdict(measured: float, target: float, unit: str) -> str:
    if measured <= target:
        return f"met (target < {target:g} {unit})"
    return f"MISSED by {measured - target:.3g} {unit} ({measured / target:.1f}x the target of {target:g} {unit})"


def heading(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 74 - len(title)), flush=True)


def top_functions(action: Callable[[], object], limit: int = 8) -> str:
    """A cProfile of one run of ``action``: the functions that take the most time of their own."""
    profile = cProfile.Profile()
    profile.enable()
    action()
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if re.match(r"\s+\d", line)]
    return "\n".join("      " + line.strip() for line in lines)


# --------------------------------------------------------------------------- inputs


def generated_dockerfile(lines: int, *, heredocs: bool = True) -> str:
    """A realistic Dockerfile of about ``lines`` lines in three stages: ARGs, ENV, RUN with continuations, COPY --from, a heredoc.

    The stage count stays at three so the size series measures growth in
    lines; :func:`many_stages` measures growth in stages. Without
    ``heredocs`` the file suits parsers that do not know them (hadolint).
    """
    head = ["# syntax=docker/dockerfile:1", "ARG BASE=busybox:1.36", "FROM ${BASE} AS build", "ARG VERSION=1.0", "ENV APP_HOME=/app"]
    middle = ["FROM build AS test", "RUN --mount=type=cache,target=/cache echo testing ${VERSION}"]
    tail = ["FROM scratch AS runtime", "COPY --from=build /app /app", 'ENTRYPOINT ["/app/run"]']
    body_room = max(0, lines - len(head) - len(middle) - len(tail))
    pattern = [
        "RUN echo step $APP_HOME \\",
        "    && mkdir -p /app/${VERSION} \\",
        "    && true",
        "COPY file.txt /app/",
        "ENV STEP_VALUE=${VERSION}-x",
        "# a comment between steps",
        "RUN <<EOF",
        "echo heredoc line",
        "EOF",
        "LABEL org.example.step=yes",
    ]
    if not heredocs:
        pattern[6:9] = ["RUN echo no heredoc", "WORKDIR /app", "USER 1000"]
    body = [pattern[index % len(pattern)] for index in range(body_room)]
    while body and body[-1].endswith("\\"):
        body.pop()
    if body and body[-1] in ("RUN <<EOF", "echo heredoc line"):
        body += ["echo heredoc line", "EOF"][-(2 if body[-1] == "RUN <<EOF" else 1):]
    split = len(body) * 2 // 3
    split -= split % len(pattern)  # between two steps, never inside a RUN's continuation or heredoc
    return "\n".join(head + body[:split] + middle + body[split:] + tail) + "\n"


def many_stages(stages: int) -> str:
    """``stages`` stages, each built on the previous one or copying from two earlier ones."""
    lines = ["ARG BASE=busybox:1.36", "FROM ${BASE} AS s0", "RUN echo 0 > /f0"]
    for index in range(1, stages):
        if index % 3 == 0:
            lines += [f"FROM s{index - 1} AS s{index}", f"RUN echo {index} > /f{index}"]
        else:
            lines += [f"FROM ${{BASE}} AS s{index}", f"COPY --from=s{index - 1} /f{index - 1} /f{index - 1}"]
            if index >= 2:
                lines.append(f"COPY --from=s{index - 2} /f{index - 2} /g{index}")
    return "\n".join(lines) + "\n"


def handbook_dockerfiles() -> dict[str, str]:
    return {folder.name: (folder / "Dockerfile").read_text(encoding="utf-8") for folder in sorted(EXAMPLES.iterdir()) if (folder / "Dockerfile").is_file()}


# --------------------------------------------------------------------------- core


def _findings_of(rule: type, analysis: object) -> list[object]:
    return list(rule().check(analysis))


def bench_core(quick: bool, profile: bool) -> dict[str, str]:
    from dockerfile_docs.pipeline import analyze_text
    from dockerfile_docs.render.fragment import render_fragment as render_with_kept_layouts
    from dockerfile_docs.render.svg import clear_layout_cache

    def render_fragment(analysis: object, **options: object) -> str:
        """Every run lays the diagram out anew, as the first render of a Dockerfile does."""
        clear_layout_cache()
        return render_with_kept_layouts(analysis, **options)  # type: ignore[arg-type]

    budget = 0.2 if quick else 1.0
    min_runs = 3 if quick else 7

    def measure(text: str) -> tuple[Timing, Timing]:
        analyzed = median_time(lambda: analyze_text(text), min_runs=min_runs, budget=budget)
        rendered = median_time(lambda: render_fragment(analyze_text(text), show="listing diagram explanations"), min_runs=min_runs, budget=budget)
        return analyzed, rendered

    heading("core: handbook examples (median, in process)")
    print(f"  {'example':<28}{'lines':>6}{'stages':>7}  {'analyze':>12}  {'analyze+render':>14}")
    render_times = []
    for name, text in handbook_dockerfiles().items():
        analyzed, rendered = measure(text)
        render_times.append(rendered.median)
        stages = len(analyze_text(text).stages)
        print(f"  {name:<28}{len(text.splitlines()):>6}{stages:>7}  {analyzed.ms()}  {rendered.ms()}")
    print(f"  median over the handbook: analyze+render {statistics.median(render_times) * 1000:.3f} ms")

    heading("core: generated Dockerfiles by size (3 stages; median, in process)")
    sizes = (10, 100, 1000) if quick else (10, 100, 1000, 10000)
    print(f"  {'lines':>6}  {'analyze':>12}  {'analyze+render':>14}  {'per line':>10}  {'x lines':>8}  {'x time':>8}")
    figures: dict[str, str] = {}
    previous: tuple[int, float] | None = None
    measured: dict[int, float] = {}
    for size in sizes:
        text = generated_dockerfile(size)
        real_lines = len(text.splitlines())
        analyzed, rendered = measure(text) if size < 10000 else (
            median_time(lambda: analyze_text(text), min_runs=3, budget=0),
            median_time(lambda: render_fragment(analyze_text(text), show="listing diagram explanations"), min_runs=3, budget=0),
        )
        measured[size] = rendered.median
        per_line = rendered.median / real_lines * 1e6
        growth = f"{real_lines / previous[0]:8.1f}  {rendered.median / previous[1]:8.1f}" if previous else f"{'':>8}  {'':>8}"
        print(f"  {real_lines:>6}  {analyzed.ms()}  {rendered.ms()}  {per_line:7.1f} us  {growth}")
        previous = (real_lines, rendered.median)
    print("  linear growth: 'x time' close to 'x lines' (10x more lines, about 10x the time).")
    figures["100 lines analyze+render"] = f"{measured[100] * 1000:.2f} ms: " + verdict(measured[100] * 1000, TARGET_100_LINES_MS, "ms")
    if 10000 in measured:
        figures["10,000 lines analyze+render"] = f"{measured[10000]:.3f} s: " + verdict(measured[10000], TARGET_10000_LINES_S, "s")

    heading("core: each rule's growth, 1,000 to 10,000 lines (median, in process)")
    print(f"  {'rule':<8}{'1,000 lines':>14}{'10,000 lines':>15}{'x time':>9}")
    from dockerfile_docs.analyze import analyze
    from dockerfile_docs.explain.registry import all_rules
    from dockerfile_docs.parse import parse_dockerfile

    small, large = (analyze(parse_dockerfile(generated_dockerfile(size))) for size in (1000, 10000))
    growth_rows = []
    for rule in all_rules():
        at_small = median_time(functools.partial(_findings_of, rule, small), min_runs=3, budget=0).median
        at_large = median_time(functools.partial(_findings_of, rule, large), min_runs=3, budget=0).median
        growth_rows.append((at_large, at_small, rule.code))
    for at_large, at_small, code in sorted(growth_rows, reverse=True)[:6]:
        print(f"  {code:<8}{at_small * 1000:11.2f} ms{at_large * 1000:12.2f} ms{at_large / max(at_small, 1e-9):9.1f}")
    faster = [code for at_large, at_small, code in growth_rows if at_large > 20 * at_small and at_large > 0.002]
    print("  the six slowest at 10,000 lines; 10x the lines should take about 10x the time"
          + (f"; growing faster: {', '.join(faster)}" if faster else "; none grows faster than twice that"))
    figures["rules growing faster than the input"] = ", ".join(faster) if faster else "none: met"

    heading("core: many stages (median, in process)")
    print(f"  {'stages':>6}{'lines':>7}  {'analyze':>12}  {'analyze+render':>14}  {'per stage':>11}  {'x stages':>8}  {'x time':>8}")
    previous = None
    for count in (2, 5, 10, 20, 50):
        text = many_stages(count)
        analyzed, rendered = measure(text)
        growth = f"{count / previous[0]:8.1f}  {rendered.median / previous[1]:8.1f}" if previous else f"{'':>8}  {'':>8}"
        print(f"  {count:>6}{len(text.splitlines()):>7}  {analyzed.ms()}  {rendered.ms()}  {rendered.median / count * 1000:8.3f} ms  {growth}")
        previous = (count, rendered.median)

    missed_100 = measured[100] * 1000 > TARGET_100_LINES_MS
    missed_10000 = 10000 in measured and measured[10000] > TARGET_10000_LINES_S
    if profile or missed_100 or missed_10000:
        for size in (100, 10000) if 10000 in measured else (100,):
            text = generated_dockerfile(size)
            print(f"\n  profile of analyze+render, {size} lines (functions by own time):")
            print(top_functions(lambda: render_fragment(analyze_text(text), show="listing diagram explanations")))
        text = many_stages(50)
        print("\n  profile of analyze+render, 50 stages (functions by own time):")
        print(top_functions(lambda: render_fragment(analyze_text(text), show="listing diagram explanations")))
    return figures


# --------------------------------------------------------------------------- peers


def bench_peers(quick: bool) -> None:
    from dockerfile_parse import DockerfileParser

    from dockerfile_docs.pipeline import analyze_text

    hadolint = shutil.which("hadolint", path=str(VENV_BIN)) or shutil.which("hadolint")
    heading("peers: the same files, in the same run (median)")
    files = {"handbook: multi-stage-go": (EXAMPLES / "multi-stage-go" / "Dockerfile").read_text(encoding="utf-8")}
    files.update({f"generated {size} lines": generated_dockerfile(size, heredocs=False) for size in ((10, 100, 1000) if quick else (10, 100, 1000, 10000))})
    files["generated 50 stages"] = many_stages(50)
    print("  generated files without heredocs here: hadolint cannot parse them")
    try:
        import dockerfile as buildkit_parser  # BuildKit's Go parser, bound for Python (PyPI `dockerfile`)
    except ImportError:
        buildkit_parser = None
    print(f"  {'file':<26}  {'dockerfile-docs analyze':>23}  {'dockerfile-parse':>16}  {'BuildKit parser':>15}  {'hadolint (process)':>18}")
    with tempfile.TemporaryDirectory(prefix="dd-bench-peers-") as scratch:
        empty = Path(scratch) / "empty.Dockerfile"
        empty.write_text("", encoding="utf-8")
        for label, text in files.items():
            data = text.encode("utf-8")
            ours = median_time(lambda: analyze_text(text), min_runs=3, budget=0.1 if quick else 0.5)
            parsed = median_time(lambda: DockerfileParser(fileobj=io.BytesIO(data)).structure, min_runs=3, budget=0.1 if quick else 0.5)
            hadolint_figure = "not installed"
            if hadolint:
                path = Path(scratch) / "Dockerfile"
                path.write_text(text, encoding="utf-8")
                run = median_time(lambda: subprocess.run([hadolint, "--no-fail", str(path)], capture_output=True), min_runs=3, budget=0 if quick else 1.0)
                report = subprocess.run([hadolint, "--no-fail", str(path)], capture_output=True, text=True).stdout
                hadolint_figure = run.ms() + (" (parse error)" if "unexpected" in report else "")
            go_figure = "not installed"
            if buildkit_parser is not None:
                go_figure = median_time(lambda: buildkit_parser.parse_string(text), min_runs=3, budget=0.1 if quick else 0.5).ms()
            print(f"  {label:<26}  {ours.ms():>23}  {parsed.ms():>16}  {go_figure:>15}  {hadolint_figure:>18}")
        if hadolint:
            start = median_time(lambda: subprocess.run([hadolint, "--no-fail", str(empty)], capture_output=True), min_runs=5, budget=0.5)
            print(f"  {'hadolint on an empty file':<26}  {'':>23}  {'':>16}  {start.ms():>18}")
            print("  hadolint runs as a process per file: its figures include process start (the empty-file row).")
    print("  dockerfile-parse and BuildKit's parser only parse; dockerfile-docs analyze also expands variables, resolves stages and runs the rules.")


# --------------------------------------------------------------------------- start-up


def process_times(commands: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median and minimum wall time of each command as a whole process, the runs interleaved so load hits all alike."""
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for command in commands.values():
        subprocess.run(command, capture_output=True)  # warm the page cache
    for _ in range(runs):
        for label, command in commands.items():
            started = time.perf_counter()
            subprocess.run(command, capture_output=True)
            samples[label].append(time.perf_counter() - started)
    return {label: (statistics.median(values), min(values)) for label, values in samples.items()}


def bench_startup(quick: bool) -> dict[str, str]:
    heading("startup: analyze a small file, whole process (byte-compiled; median and fastest of interleaved runs)")
    compile_package()
    cli = str(VENV_BIN / "dockerfile-docs")
    hadolint = shutil.which("hadolint", path=str(VENV_BIN)) or shutil.which("hadolint")
    figures: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="dd-bench-start-") as scratch:
        files = {
            "one line": "FROM scratch\n",
            "handbook: multi-stage-go": (EXAMPLES / "multi-stage-go" / "Dockerfile").read_text(encoding="utf-8"),
        }
        for label, text in files.items():
            path = Path(scratch) / f"{len(label)}.Dockerfile"
            path.write_text(text, encoding="utf-8")
            commands = {
                "python -c pass": [sys.executable, "-c", "pass"],
                "dockerfile-docs analyze --format json": [cli, "analyze", "--format", "json", "--fail-on", "never", str(path)],
            }
            if hadolint:
                commands["hadolint"] = [hadolint, "--no-fail", str(path)]
            times = process_times(commands, 11 if quick else 41)
            print(f"  {label} ({len(text.splitlines())} lines)")
            python_median = times["python -c pass"][0]
            hadolint_median = times["hadolint"][0] if hadolint else None
            for name, (median, fastest) in times.items():
                ratios = f"  {median / python_median:5.1f}x python"
                if hadolint_median:
                    ratios += f"  {median / hadolint_median:5.1f}x hadolint"
                print(f"    {name:<40} {median * 1000:7.1f} ms  (fastest {fastest * 1000:6.1f} ms){ratios}")
            ours = times["dockerfile-docs analyze --format json"][0] * 1000
            scaled = round(TARGET_STARTUP_MS * python_median * 1000 / TARGET_STARTUP_PYTHON_MS, 1)
            print(f"    the target scaled to this machine's python start ({python_median * 1000:.1f} ms against the "
                  f"{TARGET_STARTUP_PYTHON_MS:.0f} ms it was set beside): {scaled:.1f} ms")
            figures[f"start-up, analyze of {label}"] = (
                f"{ours:.0f} ms: " + verdict(ours, TARGET_STARTUP_MS, "ms")
                + f"; {ours / (python_median * 1000):.1f}x python: " + verdict(ours, scaled, "ms, scaled")
            )
    if not hadolint:
        print("  hadolint is not installed: no hadolint column")
    return figures


# --------------------------------------------------------------------------- layout


def bench_layout(quick: bool) -> dict[str, str]:
    import layouts

    figures: dict[str, str] = {}
    have_dot = layouts.dot_available()
    graphs = layouts.public_graphs()
    heading(f"layout: {len(graphs)} public multi-stage Dockerfiles beside Graphviz dot (same boxes and gaps)")
    if not have_dot:
        print("  Graphviz dot is not installed (apt-get install graphviz): our figures only")
    print(f"  {'graph':<44}{'nodes':>6}{'edges':>6}  {'crossings':>13}  {'drawing (px)':>25}  {'time':>17}")
    print(f"  {'':<44}{'':>6}{'':>6}  {'ours':>6} {'dot':>6}  {'ours':>12} {'dot':>12}  {'ours':>8} {'dot':>8}")
    more_crossings = larger = 0
    total_ours = total_dot = 0
    slowest_public = 0.0
    for graph in graphs:
        ours = layouts.ours(graph, repeat=3)
        slowest_public = max(slowest_public, ours.seconds)
        theirs = layouts.dot(graph, repeat=3) if have_dot else None
        total_ours += ours.crossings
        line = f"  {graph.name[:43]:<44}{len(graph.nodes):>6}{len(graph.edges):>6}  {ours.crossings:>6} "
        if theirs is not None:
            total_dot += theirs.crossings
            more_crossings += ours.crossings > theirs.crossings
            larger += ours.area > theirs.area
            line += f"{theirs.crossings:>6}  {ours.width:5.0f}x{ours.height:<6.0f} {theirs.width:5.0f}x{theirs.height:<6.0f}  {ours.seconds * 1000:6.1f}ms {theirs.seconds * 1000:6.1f}ms"
        else:
            line += f"{'':>6}  {ours.width:5.0f}x{ours.height:<6.0f} {'':>12}  {ours.seconds * 1000:6.1f}ms"
        print(line)
    print("  ours: the layout in process; dot: `dot -Tsvg` as a process (its start-up is about 15 ms of that)")
    if have_dot:
        print(f"  crossings in all: ours {total_ours}, dot {total_dot} ({total_ours / max(total_dot, 1):.2f}x)")
        figures["graphs with more crossings than dot"] = f"{more_crossings} of {len(graphs)}" + ("" if more_crossings else ": met")
        figures["graphs drawn larger than dot (area)"] = f"{larger} of {len(graphs)}" + ("" if larger else ": met")

    heading("layout: 50 stages, more and more COPY --from edges (the curve)")
    cli = str(VENV_BIN / "dockerfile-docs")
    sizes = (100, 200, 400, 805) if quick else (100, 200, 400, 805, 1000, 2000)
    print(f"  {'edges asked':>11}{'edges drawn':>12}{'lines':>7}  {'layout':>10}  {'per edge':>9}  {'crossings':>9}  {'drawing (px)':>13}  {'render (process)':>16}  {'dot (process)':>13}")
    per_edge_ms: list[float] = []
    with tempfile.TemporaryDirectory(prefix="dd-bench-layout-") as scratch:
        for size in sizes:
            text = layouts.dense_dockerfile(50, size)
            graph = layouts.graph_of_dockerfile("dense", text)
            ours = layouts.ours(graph, repeat=1 if quick else 3)
            path = Path(scratch) / f"dense-{size}.Dockerfile"
            path.write_text(text, encoding="utf-8")
            whole = median_time(functools.partial(subprocess.run, [cli, "render", "--format", "svg", str(path)], capture_output=True, check=True), min_runs=1 if quick else 5, budget=0).median
            dot_figure = ""
            if have_dot and size <= 805:  # dot takes minutes past that (229 s at 856 edges here)
                dot_figure = f"{layouts.dot(graph).seconds:11.2f} s"
            drawing = f"{ours.width:.0f}x{ours.height:.0f}"
            per_edge_ms.append(ours.seconds / len(graph.edges) * 1000)
            print(f"  {size:>11}{len(graph.edges):>12}{len(text.splitlines()):>7}  {ours.seconds:8.3f} s  {per_edge_ms[-1]:6.2f} ms  {ours.crossings:>9}  {drawing:>13}  {whole:14.2f} s  {dot_figure:>13}")
            if size == 805:
                figures["805-edge file, render --format svg (process)"] = f"{whole:.2f} s: " + verdict(whole, TARGET_805_EDGES_S, "s")
        spread = max(per_edge_ms) / min(per_edge_ms)
        print(f"  time per edge: {min(per_edge_ms):.3f} to {max(per_edge_ms):.3f} ms, the highest {spread:.2f}x the lowest")
        figures["layout time per edge along the curve"] = f"{min(per_edge_ms):.3f} to {max(per_edge_ms):.3f} ms, {spread:.2f}x: " + (
            f"flat, met (target: the highest within {TARGET_CURVE_SPREAD:g}x the lowest)" if spread <= TARGET_CURVE_SPREAD else
            f"NOT FLAT ({spread / TARGET_CURVE_SPREAD:.1f}x the target of {TARGET_CURVE_SPREAD:g}x between the highest and the lowest)"
        )
        text = layouts.dense_dockerfile(50, 1050, lines=10000)
        path = Path(scratch) / "dense-10000-lines.Dockerfile"
        path.write_text(text, encoding="utf-8")
        whole = median_time(functools.partial(subprocess.run, [cli, "render", "--format", "svg", str(path)], capture_output=True, check=True), min_runs=1 if quick else 5, budget=0).median
        print(f"  a {len(text.splitlines()):,}-line file of 50 stages and ~1,050 edges: render --format svg (process) {whole:.2f} s")
        figures["10,000-line, 1,050-edge file, render (process)"] = f"{whole:.2f} s: " + verdict(whole, TARGET_10000_LINES_S, "s")
        from dockerfile_docs.render.segments import SEGMENT_LAYOUT_VERTICES

        print(f"  a part of more than {SEGMENT_LAYOUT_VERTICES:,} vertices (nodes, labels, bend points) is laid out by segments (render/segments.py);"
              f" a smaller one gets the whole search of render/ordering.py, bounded by its budget (the public graphs above: {slowest_public * 1000:.0f} ms at most)")
        print("  layout: one run in process; render: the second of two whole-process runs; dot: one run" if quick else
              "  layout: the fastest of 3 runs in process; render: the median of 5 whole-process runs after one more; dot: one run")
    return figures


# --------------------------------------------------------------------------- sites


@dataclass(frozen=True)
class BuildFigures:
    seconds: float
    peak_rss_mb: float
    returncode: int
    output: str


MEASURE_CHILD = """
import resource, subprocess, sys, time
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(result.stdout + result.stderr)
print(f"{elapsed} {peak} {result.returncode}")
"""


def measured_build(config: Path, site_dir: Path, env: dict[str, str] | None = None) -> BuildFigures:
    """``mkdocs build`` in a fresh wrapper process, so ``RUSAGE_CHILDREN`` is that one build's peak memory."""
    command = [sys.executable, "-c", MEASURE_CHILD, str(VENV_BIN / "mkdocs"), "build", "-f", str(config), "-d", str(site_dir)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=config.parent, env=env, timeout=1800)
    seconds, peak_kb, code = run.stdout.split()
    return BuildFigures(float(seconds), int(peak_kb) / 1024, int(code), run.stderr)


def copy_handbook(destination: Path) -> Path:
    for name in ("docs", "examples"):
        shutil.copytree(REPO / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # Not strict: the plain variant lacks the generated rules pages the nav names, and must still build.
    (destination / "mkdocs.yml").write_text(re.sub(r"^strict:.*\n", "", config, flags=re.MULTILINE), encoding="utf-8")
    if (REPO / ".cache" / "dockerfile-docs").is_dir():
        shutil.copytree(REPO / ".cache" / "dockerfile-docs", destination / ".cache" / "dockerfile-docs")
    return destination / "mkdocs.yml"


_EXAMPLE_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})dockerfile-example[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
_INLINE_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})dockerfile-docs[^\n]*$", re.MULTILINE)


def plain_pages(root: Path) -> None:
    """Turn the copy into the same site without the plugin: fences become ``dockerfile`` code blocks of the same files."""
    import yaml

    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^  - dockerfile-docs:\n(?:      .*\n)*", "", config, flags=re.MULTILINE)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")

    def example_block(match: re.Match[str]) -> str:
        indent, fence = match["indent"], match["fence"]
        try:
            name = (yaml.safe_load(match["body"]) or {}).get("example")
            text = (root / "examples" / str(name) / "Dockerfile").read_text(encoding="utf-8")
        except (OSError, AttributeError, yaml.YAMLError):
            text = match["body"]
        body = "".join(indent + line + "\n" for line in text.splitlines())
        return f"{indent}{fence}dockerfile\n{body}{indent}{fence}"

    for page in (root / "docs").rglob("*.md"):
        source = page.read_text(encoding="utf-8")
        changed = _INLINE_FENCE.sub(lambda m: f"{m['indent']}{m['fence']}dockerfile", _EXAMPLE_FENCE.sub(example_block, source))
        if changed != source:
            page.write_text(changed, encoding="utf-8")


def profile_build(config: Path, env: dict[str, str]) -> str:
    """``mkdocs build`` under cProfile: the whole build's time and the share of the plugin's own functions."""
    output = config.parent / "build.prof"
    subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(output), str(VENV_BIN / "mkdocs"), "build", "-q", "-f", str(config), "-d", str(config.parent / "site-profiled")],
        capture_output=True, cwd=config.parent, env=env, timeout=1800,
    )
    stream = io.StringIO()
    stats = pstats.Stats(str(output), stream=stream)
    stats.sort_stats("cumulative").print_stats(r"dockerfile_docs|mkdocs/commands/build|material", 14)
    lines = [line for line in stream.getvalue().splitlines() if re.match(r"\s+\d", line)]
    total = f"      total {stats.total_tt:.2f} s under the profiler"  # type: ignore[attr-defined]
    return "\n".join([total] + ["      " + re.sub(r"/\S*/(plugins|site-packages)/", "", line.strip()) for line in lines])


def generated_site(root: Path, pages: int) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "examples").mkdir()
    (root / "examples" / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\n", encoding="utf-8")
    nav = []
    for index in range(pages):
        name = f"example-{index:03d}"
        folder = root / "examples" / name
        folder.mkdir()
        text = many_stages(2 + index % 6) if index % 2 else generated_dockerfile(20 + index % 60)
        (folder / "Dockerfile").write_text(text, encoding="utf-8")
        (folder / "file.txt").write_text(f"{index}\n", encoding="utf-8")
        (folder / "example.yml").write_text(f"title: Generated example {index}\ndescription: Page {index} of the generated site.\n", encoding="utf-8")
        (root / "docs" / f"{name}.md").write_text(f"# Example {index}\n\nSome text.\n\n```dockerfile-example\nexample: {name}\n```\n", encoding="utf-8")
        nav.append(f"  - {name}.md")
    (root / "docs" / "index.md").write_text("# Generated\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: generated\ntheme:\n  name: material\nmarkdown_extensions:\n  - pymdownx.superfences\n"
        "  - pymdownx.tabbed:\n      alternate_style: true\nplugins:\n  - search\n  - dockerfile-docs:\n      verification: cached\n",
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def with_rules_reference_pages(root: Path) -> None:
    """Give the plain copy the rules reference the plugin generates, as Markdown files, in the same place in the nav.

    The handbook has a page per rule whichever way it is built; without the
    plugin a site writes them once with ``dockerfile-docs rules --write-pages``.
    """
    pages = write_rule_pages(root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    section = "  - Rules reference:\n      - rules/index.md\n" + "".join(f"      - rules/{name}\n" for name in pages)
    entry = "  - Rules reference: rules/index.md\n"
    if entry not in config:
        raise SystemExit(f"benchmark: mkdocs.yml has no {entry.strip()!r} nav entry to extend")
    (root / "mkdocs.yml").write_text(config.replace(entry, section), encoding="utf-8")


def write_rule_pages(root: Path) -> list[str]:
    """Write the rules reference as Markdown files into ``docs/rules``, as ``rules --write-pages`` does; the rule pages' names."""
    subprocess.run([str(VENV_BIN / "dockerfile-docs"), "rules", "--write-pages", str(root / "docs" / "rules")], check=True, capture_output=True)
    return sorted(path.name for path in (root / "docs" / "rules").glob("dd*.md"))


def compile_package() -> None:
    """Byte-compile the package, as installing it from a wheel does, so no build pays for compiling it."""
    import compileall

    compileall.compile_dir(str(REPO / "plugins" / "dockerfile_docs"), quiet=1)


def bench_site(quick: bool) -> dict[str, str]:
    figures: dict[str, str] = {}
    runs = 3 if quick else 7
    heading("site: the handbook with the plugin vs plain code blocks (mkdocs build, median)")
    compile_package()
    env = dict(os.environ, DOCKERFILE_DOCS_VERIFY="cached", NO_MKDOCS_2_WARNING="1")
    with tempfile.TemporaryDirectory(prefix="dd-bench-site-") as scratch:
        with_plugin = copy_handbook(Path(scratch) / "plugin")
        plain = copy_handbook(Path(scratch) / "plain")
        plain_pages(plain.parent)
        with_rules_reference_pages(plain.parent)
        hand_written = copy_handbook(Path(scratch) / "hand-written")
        plain_pages(hand_written.parent)
        builds = {
            "with the plugin": with_plugin,
            "plain code blocks": plain,
            "plain, hand-written pages only": hand_written,
        }
        results: dict[str, list[BuildFigures]] = {label: [] for label in builds}
        for _ in range(runs):
            for label, config in builds.items():  # interleaved, so drift in machine load hits all alike
                results[label].append(measured_build(config, config.parent / "site", env))
        seconds = {label: statistics.median(r.seconds for r in runs_) for label, runs_ in results.items()}
        for label, runs_ in results.items():
            warnings = sum(1 for line in runs_[-1].output.splitlines() if line.startswith("WARNING"))
            pages = sum(1 for _ in (builds[label].parent / "site").rglob("*.html"))
            print(f"  {label:<31} {seconds[label]:7.2f} s  peak {runs_[-1].peak_rss_mb:6.1f} MB  {pages} HTML files  exit {runs_[-1].returncode}  {warnings} warnings")
        overhead = seconds["with the plugin"] / seconds["plain code blocks"] - 1
        print(f"  the plugin adds {overhead * 100:+.0f}% ({seconds['with the plugin'] - seconds['plain code blocks']:+.2f} s) to the same pages "
              f"(the rules reference as files); the plain build has no embed files ({runs} runs each, interleaved)")
        figures["plugin overhead on the handbook build"] = f"{overhead * 100:+.0f}%: " + verdict(overhead * 100, TARGET_PLUGIN_OVERHEAD * 100, "%")
        generated_too = seconds["with the plugin"] / seconds["plain, hand-written pages only"] - 1
        print(f"  against the hand-written pages alone (no rules reference at all) it adds {generated_too * 100:+.0f}%")
        figures["plugin + its rules pages vs hand-written pages alone"] = f"{generated_too * 100:+.0f}% (for information; no target)"
        if overhead > TARGET_PLUGIN_OVERHEAD:
            print("\n  profile of the build with the plugin (dockerfile_docs functions by cumulative time):")
            print(profile_build(with_plugin, env))

    count = 40 if quick else 200
    heading(f"site: a generated site of {count} example pages (mkdocs build), beside the same pages without the plugin")
    with tempfile.TemporaryDirectory(prefix="dd-bench-gen-") as scratch:
        config = generated_site(Path(scratch) / "plugin", count)
        plain = generated_site(Path(scratch) / "plain", count)
        plain_pages(plain.parent)
        write_rule_pages(plain.parent)
        builds: list[BuildFigures] = []
        plain_builds: list[BuildFigures] = []
        for _ in range(1 if quick else 3):  # interleaved, so drift in machine load hits both alike
            builds.append(measured_build(config, config.parent / "site", env))
            plain_builds.append(measured_build(plain, plain.parent / "site", env))
        seconds = statistics.median(b.seconds for b in builds)
        plain_seconds = statistics.median(b.seconds for b in plain_builds)
        peak = max(b.peak_rss_mb for b in builds)
        plain_peak = max(b.peak_rss_mb for b in plain_builds)
        pages = sum(1 for _ in (plain.parent / "docs").rglob("*.md"))
        runs = f"median of {len(builds)} builds" if len(builds) > 1 else "one build"
        print(f"  with the plugin        {seconds:6.2f} s ({seconds / count * 1000:.0f} ms an example; {runs}), peak memory {peak:.0f} MB, exit {builds[-1].returncode}")
        print(f"  plain code blocks      {plain_seconds:6.2f} s, peak memory {plain_peak:.0f} MB, exit {plain_builds[-1].returncode}: the same pages, "
              "the rules reference as files (rules --write-pages)")
        print(f"  the plugin adds {seconds / plain_seconds - 1:+.0%} ({seconds - plain_seconds:+.2f} s, "
              f"{(seconds - plain_seconds) / count * 1000:.1f} ms an example); {pages} pages in the navigation, which the theme "
              "writes out on every page, so the plain build alone grows with the square of the pages")
        figures[f"generated site, {count} pages"] = (
            f"{seconds:.1f} s: " + verdict(seconds, TARGET_SITE_200_S, "s") + f"; peak {peak:.0f} MB: " + verdict(peak, TARGET_SITE_200_MB, "MB")
        )
        figures[f"the same {count} pages without the plugin"] = f"{plain_seconds:.1f} s, peak {plain_peak:.0f} MB (for information: the floor of the theme on this machine)"
    return figures


# --------------------------------------------------------------------------- verify


def engine_problem() -> str | None:
    if shutil.which("docker") is None:
        return "the docker CLI is not installed"
    try:
        probe = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "the Docker engine did not answer within 20 s"
    return None if probe.returncode == 0 else "no Docker engine answers: " + probe.stderr.strip()[-200:]


@dataclass(frozen=True)
class VerifyRun:
    seconds: float
    builds: int
    passed: str
    returncode: int


def run_verify(examples_dir: Path, cache_dir: Path, *arguments: str) -> VerifyRun:
    command = [str(VENV_BIN / "dockerfile-docs"), "verify", "--examples-dir", str(examples_dir), "--cache-dir", str(cache_dir), *arguments]
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - started
    summary = re.search(r"(\d+)/(\d+) examples verified, (\d+) builds performed", run.stdout)
    if summary is None:
        raise RuntimeError(f"verify printed no summary (exit {run.returncode}):\n{run.stdout[-800:]}\n{run.stderr[-800:]}")
    return VerifyRun(elapsed, int(summary[3]), f"{summary[1]}/{summary[2]}", run.returncode)


def bench_verify(quick: bool) -> dict[str, str]:
    heading("verify: dockerfile-docs verify on a copy of the examples")
    problem = engine_problem()
    if problem:
        print(f"  skipped: {problem}")
        return {"warm verify": f"not measured ({problem})"}
    chosen = ["entrypoint-cmd", "arg-vs-env", "dockerignore"] if quick else None
    with tempfile.TemporaryDirectory(prefix="dd-bench-verify-") as scratch:
        examples = Path(scratch) / "examples"
        shutil.copytree(EXAMPLES, examples)
        for committed in examples.rglob("verified.json"):
            committed.unlink()
        names = chosen or []
        cache = Path(scratch) / "cache"
        print("  BuildKit's layer cache is shared with earlier builds on this engine and may be warm: 'cold' means an empty results cache.")
        cold = run_verify(examples, cache, *names, "--jobs", "2")
        print(f"  cold (empty results cache):   {cold.seconds:7.2f} s  {cold.builds:3d} builds  {cold.passed} passed")
        warm = run_verify(examples, cache, *names, "--jobs", "2")
        print(f"  warm (nothing changed):       {warm.seconds:7.2f} s  {warm.builds:3d} builds  {warm.passed} passed")
        context_file = examples / "dockerignore" / "app.sh"
        context_file.write_text(context_file.read_text(encoding="utf-8") + "# edited by the benchmark\n", encoding="utf-8")
        touched = run_verify(examples, cache, *names, "--jobs", "2")
        print(f"  one context file edited:      {touched.seconds:7.2f} s  {touched.builds:3d} builds  {touched.passed} passed (dockerignore/app.sh)")
        serial = run_verify(examples, cache, *names, "--rebuild", "--jobs", "1")
        parallel = run_verify(examples, cache, *names, "--rebuild", "--jobs", "2")
        print(f"  --rebuild --jobs 1:           {serial.seconds:7.2f} s  {serial.builds:3d} builds")
        print(f"  --rebuild --jobs 2:           {parallel.seconds:7.2f} s  {parallel.builds:3d} builds  speed-up {serial.seconds / parallel.seconds:.2f}x")
    warm_verdict = verdict(warm.seconds, TARGET_WARM_VERIFY_S, "s")
    builds_verdict = "no build" if warm.builds == 0 else f"MISSED: {warm.builds} builds"
    return {"warm verify, nothing changed": f"{warm.seconds:.2f} s, {warm.builds} builds: {builds_verdict}; time {warm_verdict}"}


# --------------------------------------------------------------------------- serve


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


@contextmanager
def served(config: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ, DOCKERFILE_DOCS_VERIFY="cached")
    process = subprocess.Popen(
        [str(VENV_BIN / "mkdocs"), "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bench_serve(quick: bool) -> dict[str, str]:
    heading("serve: saving a Dockerfile to the rebuilt page (mkdocs serve, verification: cached)")
    samples: list[float] = []
    with tempfile.TemporaryDirectory(prefix="dd-bench-serve-") as scratch:
        config = copy_handbook(Path(scratch))
        port = free_port()
        url = f"http://127.0.0.1:{port}/multi-stage/"
        dockerfile = Path(scratch) / "examples" / "multi-stage-go" / "Dockerfile"
        original = dockerfile.read_text(encoding="utf-8")
        with served(config, port) as process:
            deadline = time.monotonic() + 120
            while fetch(url) is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    print("  skipped: mkdocs serve did not come up within 120 s")
                    return {"serve rebuild": "not measured"}
                time.sleep(0.2)
            for attempt in range(2 if quick else 5):
                marker = f"benchmark-edit-{attempt}-{time.time_ns()}"
                time.sleep(1.0)  # let the watcher settle after the previous rebuild
                started = time.perf_counter()
                dockerfile.write_text(original + f"# {marker}\n", encoding="utf-8")
                deadline = time.monotonic() + 60
                while True:
                    page = fetch(url)
                    if page is not None and marker in page:
                        samples.append(time.perf_counter() - started)
                        break
                    if time.monotonic() > deadline:
                        print(f"  edit {attempt}: the page did not change within 60 s")
                        break
                    time.sleep(0.05)
    if not samples:
        return {"serve rebuild": "not measured (no rebuild seen)"}
    print(f"  save to rebuilt page: median {statistics.median(samples):.2f} s over {len(samples)} edits "
          f"(min {min(samples):.2f} s, max {max(samples):.2f} s; includes the watcher's debounce and polling every 50 ms)")
    return {"serve: save to rebuilt page": f"{statistics.median(samples):.2f} s (median of {len(samples)})"}


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: fewer repeats, smaller inputs")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS), metavar="SECTION", help=f"run only these sections: {', '.join(SECTIONS)}")
    parser.add_argument("--profile", action="store_true", help="print cProfile summaries of the core cases even when targets are met")
    args = parser.parse_args(argv)
    os.chdir(REPO)
    print(f"dockerfile-docs benchmarks: Python {sys.version.split()[0]}, {os.cpu_count()} cores, {'quick' if args.quick else 'full'} run")
    figures: dict[str, str] = {}
    if "core" in args.only:
        figures.update(bench_core(args.quick, args.profile))
    if "peers" in args.only:
        bench_peers(args.quick)
    if "startup" in args.only:
        figures.update(bench_startup(args.quick))
    if "layout" in args.only:
        figures.update(bench_layout(args.quick))
    if "site" in args.only:
        figures.update(bench_site(args.quick))
    if "verify" in args.only:
        figures.update(bench_verify(args.quick))
    if "serve" in args.only:
        figures.update(bench_serve(args.quick))
    heading("targets")
    for name, figure in figures.items():
        print(f"  {name:<40} {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
