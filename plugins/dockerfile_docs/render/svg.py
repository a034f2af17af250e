"""The stage diagram as an inline ``<svg>``: stages, base images, global ARGs and how they connect.

What is drawn comes from the :class:`~dockerfile_docs.model.Analysis`, so it
is what BuildKit builds for the given options: the target is marked, stages
the target does not reach are dimmed and say "skipped by BuildKit".

The output is static and self-contained: no script, no external font or file,
every string from the Dockerfile escaped, ids prefixed with ``id_prefix``.
Colours are CSS custom properties with fallbacks, switched for dark pages
(mkdocs-material's ``slate`` scheme, or ``prefers-color-scheme: dark`` where
no scheme is set); a page may override any of them:

``--dd-bg`` ``--dd-text`` ``--dd-muted`` ``--dd-node-fill`` ``--dd-node-stroke``
``--dd-image-fill`` ``--dd-args-fill`` ``--dd-target`` ``--dd-badge-text``
``--dd-skipped-fill`` ``--dd-skipped-stroke`` ``--dd-label-fill``
``--dd-edge-from`` ``--dd-edge-copy`` ``--dd-edge-mount`` ``--dd-edge-arg``.

Text widths are estimated from DejaVu Sans advance widths, the widest of the
common system sans-serif fonts, so estimated boxes hold the text in any of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..model import Analysis, Edge, Stage
from ..records import record
from .layout import Box, Layout, LayoutEdge, LayoutNode, Route, layout_graph
from .paint import PORTABLE_PAINT, STYLESHEET_PAINT, Paint
from .text import reveal_invisible

TYPE_CHECKING = False
if TYPE_CHECKING:  # the type checker's names only: importing typing costs the command line's start-up
    from typing import Literal

    NodeKind = Literal["stage", "image", "args"]
    DiagramEdgeKind = Literal["from", "copy", "mount", "arg"]
    TextStyle = Literal["heading", "code", "body", "note", "fail", "caption", "label", "badge", "legend"]

# --------------------------------------------------------------------------- the graph drawn


@record(frozen=True)
class TextLine:
    """One line of text in a node; ``style`` picks font, size and colour."""

    text: str
    style: TextStyle


@record(frozen=True)
class DiagramNode:
    """A box of the diagram. ``key`` is generated (``s0``, ``i0``, ``args``), never Dockerfile text."""

    key: str
    kind: NodeKind
    lines: tuple[TextLine, ...]
    title: str
    target: bool = False
    skipped: bool = False
    line: int | None = None
    failing: str | None = None
    """Where this stage's build fails, for a target whose build BuildKit rejects: "line N: message"."""


@record(frozen=True)
class DiagramEdge:
    """An arrow from ``source`` to ``target`` (node keys); ``label`` is shown, ``title`` is the full story."""

    source: str
    target: str
    kind: DiagramEdgeKind
    label: str
    title: str
    skipped: bool
    lines: tuple[int, ...]
    failing: str | None = None
    """The build error this edge causes ("line N: message"), drawn as failing."""


@record(frozen=True)
class StageGraph:
    """What the diagram shows, independent of how it is drawn (SVG or Mermaid)."""

    title: str
    summary: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    target_label: str


EDGE_KIND_ORDER: tuple[DiagramEdgeKind, ...] = ("from", "copy", "mount", "arg")
MAX_LABEL_PATHS = 2
MAX_PATH_CHARS = (30, 38, 12)
"""Characters a label gives one path; two paths together; at least the shorter of two."""
MAX_ARG_LINES = 6


RECENT_GRAPHS = 8
"""Graphs kept by the analysis they were built from: a site page, its search text, its embed and its diagram file
each ask for the graph of one analysis."""
_recent_graphs: dict[int, tuple[Analysis, int, StageGraph]] = {}
"""By ``id`` of the analysis, which each entry holds so that no other object can take that ``id`` while it is kept."""


def build_stage_graph(analysis: Analysis) -> StageGraph:
    """Nodes and edges of ``analysis``: stages, external images, the global ARG block.

    The graph of one of the last few analyses is built once. The rules may add
    a build error to an analysis after it is made, which marks boxes failing,
    so the kept graph is only used while the count of build errors is the same.
    """
    kept = _recent_graphs.pop(id(analysis), None)
    if kept is not None and kept[1] == len(analysis.build_errors):
        graph = kept[2]
    else:
        graph = _new_stage_graph(analysis)
        if len(_recent_graphs) >= RECENT_GRAPHS:
            del _recent_graphs[next(iter(_recent_graphs))]
    _recent_graphs[id(analysis)] = (analysis, len(analysis.build_errors), graph)
    return graph


def _new_stage_graph(analysis: Analysis) -> StageGraph:
    stages = analysis.stages
    nodes: list[DiagramNode] = []
    node_of_stage = {s.index: f"s{s.index}" for s in stages}
    image_keys: dict[str, str] = {}
    image_users: dict[str, list[Stage]] = {}

    def image_key(reference: str, user: Stage) -> str:
        if reference not in image_keys:
            image_keys[reference] = f"i{len(image_keys)}"
            image_users[reference] = []
        image_users[reference].append(user)
        return image_keys[reference]

    raw_edges: list[tuple[str, str, DiagramEdgeKind, Edge | None, tuple[str, ...]]] = []
    for edge in sorted(analysis.edges, key=lambda e: (e.target, e.line, EDGE_KIND_ORDER.index(e.kind))):
        if edge.source == edge.target:
            continue  # a stage that copies or mounts from itself: BuildKit's circular dependency, explained by DD001
        target_stage = stages[edge.target]
        if isinstance(edge.source, int):
            source_key = node_of_stage[edge.source]
        elif edge.kind == "from" and target_stage.is_scratch:
            continue
        else:
            source_key = image_key(edge.source, target_stage)
        raw_edges.append((source_key, node_of_stage[edge.target], edge.kind, edge, edge.paths))

    arg_uses = _global_args_in_from_lines(analysis)
    for stage_index, names in arg_uses.items():
        stage = stages[stage_index]
        in_base = [n for n in names if _mentions(stage.base, n)]
        elsewhere = [n for n in names if n not in in_base]
        if in_base and stage.base_stage is None and not stage.is_scratch and all(
            all(_mentions(other.base, n) for n in in_base)
            for other in stages
            if other.base_stage is None and other.base_resolved == stage.base_resolved
        ):
            raw_edges.append(("args", image_key(stage.base_resolved, stage), "arg", None, tuple(in_base)))
            if elsewhere:
                raw_edges.append(("args", node_of_stage[stage_index], "arg", None, tuple(elsewhere)))
        else:
            raw_edges.append(("args", node_of_stage[stage_index], "arg", None, tuple(names)))

    instruction_at = {ins.start_line: ins for ins in analysis.dockerfile.instructions}
    edges = _merge_edges(raw_edges, analysis, node_of_stage, image_keys, instruction_at)

    if arg_uses:
        nodes.append(_args_node(analysis, arg_uses, edges))
    for reference, key in image_keys.items():
        users = image_users[reference]
        nodes.append(_image_node(key, reference, skipped=not any(u.needed for u in users)))
    for stage in stages:
        nodes.append(_stage_node(stage, node_of_stage[stage.index], target=stage.index == analysis.target))
    nodes.sort(key=_node_order)

    nodes, edges = _marked_failing(analysis, nodes, edges, node_of_stage)
    target = analysis.target_stage
    path = analysis.dockerfile.path
    title = f"Build stages of {path}" if path and path != "-" else "Build stages"
    return StageGraph(
        title=title,
        summary=_summary(analysis, nodes, edges),
        nodes=tuple(nodes),
        edges=tuple(edges),
        target_label=target.label,
    )


def _marked_failing(
    analysis: Analysis, nodes: list[DiagramNode], edges: list[DiagramEdge], node_of_stage: dict[int, str]
) -> tuple[list[DiagramNode], list[DiagramEdge]]:
    """The edges and stages the build fails on, marked: an edge whose instruction is the error's line, else its stage."""
    if not analysis.build_errors:
        return nodes, edges
    marked_edges = list(edges)
    failing_stages: dict[str, str] = {}
    for error in analysis.build_errors:
        where = f"line {error.line}: {error.message}"
        target = node_of_stage.get(error.stage)
        hits = [i for i, edge in enumerate(marked_edges) if edge.target == target and error.line in edge.lines]
        for i in hits:
            edge = marked_edges[i]
            marked_edges[i] = DiagramEdge(
                edge.source, edge.target, edge.kind, f"{edge.label} \u2715 line {error.line}",
                f"{edge.title}; the build fails here ({where})", edge.skipped, edge.lines, failing=where,
            )
        if target is not None:
            failing_stages.setdefault(target, where)
    marked_nodes = []
    for node in nodes:
        where = failing_stages.get(node.key)
        if where is not None:
            line = where.split(":", 1)[0]
            node = DiagramNode(
                node.key, node.kind, (*node.lines, TextLine(f"\u2715 its build fails at {line}", "fail")),
                f"{node.title}; its build fails at {where}", node.target, node.skipped, node.line, failing=where,
            )
        marked_nodes.append(node)
    return marked_nodes, marked_edges


def _node_order(node: DiagramNode) -> tuple[int, int]:
    kind_rank = {"args": 0, "image": 1, "stage": 2}[node.kind]
    number = int(node.key[1:]) if node.key[1:].isdigit() else 0
    return (kind_rank, number)


def _global_args_in_from_lines(analysis: Analysis) -> dict[int, list[str]]:
    """Stage index to the declared global ARGs its FROM line uses, in first-use order."""
    uses: dict[int, list[str]] = {}
    for reference in analysis.references:
        if reference.keyword != "FROM" or reference.stage < 0 or reference.name not in analysis.global_args:
            continue
        names = uses.setdefault(reference.stage, [])
        if reference.name not in names:
            names.append(reference.name)
    return dict(sorted(uses.items()))


def _mentions(text: str, name: str) -> bool:
    return re.search(r"\$(?:\{" + re.escape(name) + r"\b|" + re.escape(name) + r"(?![A-Za-z0-9_]))", text) is not None


def _stage_heading(stage: Stage) -> str:
    return stage.name if stage.name is not None else f"stage {stage.index}"


def _stage_node(stage: Stage, key: str, *, target: bool) -> DiagramNode:
    if stage.base_stage is not None:
        base = f"FROM {stage.base_resolved}"
    elif stage.is_scratch:
        base = "FROM scratch (empty)"
    else:
        base = f"FROM {stage.base_resolved}"
    count = len(stage.instructions)
    span = f"line {stage.from_line}" if stage.end_line == stage.from_line else f"lines {stage.from_line}\u2013{stage.end_line}"
    lines = [
        TextLine(_stage_heading(stage), "heading"),
        TextLine(base, "code"),
        TextLine(f"{count} instruction{'s' if count != 1 else ''} \u00b7 {span}", "body"),
    ]
    if stage.platform_resolved:
        lines.append(TextLine(f"--platform={stage.platform_resolved}", "code"))
    if not stage.needed:
        lines.append(TextLine("skipped by BuildKit", "note"))
    title = f"Stage {stage.label} ({span}): {base}"
    if stage.platform_resolved:
        title += f" for {stage.platform_resolved}"
    title += f", {count} instruction{'s' if count != 1 else ''}"
    if target:
        title += "; the target: the build produces this stage"
    if not stage.needed:
        title += "; skipped by BuildKit: the target does not need it"
    return DiagramNode(key, "stage", tuple(lines), title, target=target, skipped=not stage.needed, line=stage.from_line)


def _image_node(key: str, reference: str, *, skipped: bool) -> DiagramNode:
    lines = [TextLine("image", "caption"), TextLine(reference, "code")]
    if skipped:
        lines.append(TextLine("used by skipped stages only", "note"))
    title = f"Image {reference}" + ("; only skipped stages use it" if skipped else "")
    return DiagramNode(key, "image", tuple(lines), title, skipped=skipped)


def _args_node(analysis: Analysis, uses: dict[int, list[str]], edges: list[DiagramEdge]) -> DiagramNode:
    names: list[str] = []
    for used in uses.values():
        names.extend(n for n in used if n not in names)
    shown = [_arg_text(analysis, n) for n in names]
    lines = [TextLine("global ARG" + ("s" if len(names) > 1 else ""), "caption")]
    if len(shown) > MAX_ARG_LINES:
        lines += [TextLine(t, "code") for t in shown[: MAX_ARG_LINES - 1]]
        lines.append(TextLine(f"+{len(shown) - MAX_ARG_LINES + 1} more", "body"))
    else:
        lines += [TextLine(t, "code") for t in shown]
    first = min(analysis.global_args[n].line or 0 for n in names)
    title = "Global ARGs used in FROM lines: " + ", ".join(shown)
    skipped = all(e.skipped for e in edges if e.source == "args")
    return DiagramNode("args", "args", tuple(lines), title, skipped=skipped, line=first or None)


def _arg_text(analysis: Analysis, name: str) -> str:
    value = analysis.global_args[name].value
    return f"{name} (unset)" if value is None else f"{name}={value}"


def _merge_edges(
    raw: list[tuple[str, str, DiagramEdgeKind, Edge | None, tuple[str, ...]]],
    analysis: Analysis,
    node_of_stage: dict[int, str],
    image_keys: dict[str, str],
    instruction_at: dict[int, object],
) -> list[DiagramEdge]:
    """One arrow per (source, target, kind): two COPYs from the same stage make one labelled arrow."""
    grouped: dict[tuple[str, str, str], list[tuple[Edge | None, tuple[str, ...]]]] = {}
    for source, target, kind, edge, paths in raw:
        grouped.setdefault((source, target, kind), []).append((edge, paths))
    stage_of_key = {key: analysis.stages[index] for index, key in node_of_stage.items()}
    name_of_key = {key: _stage_heading(stage) for key, stage in stage_of_key.items()}
    name_of_key.update({key: reference for reference, key in image_keys.items()})
    name_of_key["args"] = "global ARGs"
    merged: list[DiagramEdge] = []
    for (source, target, kind), members in grouped.items():
        paths = tuple(dict.fromkeys(p for _, ps in members for p in ps))  # each name once, in first-use order
        lines = tuple(e.line for e, _ in members if e is not None)
        target_stage = stage_of_key.get(target)
        skipped = target_stage is not None and not target_stage.needed
        keyword = "COPY"
        if kind == "copy" and lines:
            ins = instruction_at.get(lines[0])
            keyword = getattr(ins, "keyword", "COPY") or "COPY"
        label = _edge_label(kind, paths, keyword)
        where = ", ".join(str(n) for n in lines)
        line_text = f" (line{'s' if len(lines) > 1 else ''} {where})" if lines else ""
        source_name, target_name = name_of_key[source], name_of_key[target]
        if kind == "from":
            title = f"{target_name} starts FROM {source_name}{line_text}"
        elif kind == "copy":
            title = f"{keyword} --from={source_name} {' '.join(paths)} into {target_name}{line_text}"
        elif kind == "mount":
            mounted = " \u2192 ".join(paths)
            title = f"RUN --mount from={source_name} ({mounted}) in {target_name}{line_text}"
        else:
            title = f"Global ARG {', '.join(paths)} sets the FROM of {target_name}"
        merged.append(DiagramEdge(source, target, kind, label, title, skipped, lines))
    # arg edges into an image node are dimmed when every stage using the image is skipped
    result: list[DiagramEdge] = []
    for edge in merged:
        if edge.kind == "arg" and edge.target.startswith("i"):
            consumers = [stage_of_key[e.target] for e in merged if e.source == edge.target and e.target in stage_of_key]
            skipped = not any(s.needed for s in consumers)
            edge = DiagramEdge(edge.source, edge.target, edge.kind, edge.label, edge.title, skipped, edge.lines)
        result.append(edge)
    return result


def _edge_label(kind: DiagramEdgeKind, paths: tuple[str, ...], keyword: str) -> str:
    if kind == "from":
        return "FROM"
    if kind == "arg":
        return "ARG " + ", ".join(paths)
    if kind == "mount":
        return "RUN --mount" + (" " + shorten_path(paths[0], MAX_PATH_CHARS[0]) if paths else "")
    shown = _shorten_paths(paths[:MAX_LABEL_PATHS])
    text = keyword + (" " + ", ".join(shown) if shown else "")
    if len(paths) > MAX_LABEL_PATHS:
        text += f" +{len(paths) - MAX_LABEL_PATHS}"
    return text


def _shorten_paths(paths: tuple[str, ...]) -> list[str]:
    """Paths for a label: one keeps up to 30 characters; two share 38, the shorter keeping what it needs."""
    single, pair, least = MAX_PATH_CHARS
    if len(paths) == 1:
        return [shorten_path(paths[0], single)]
    if sum(len(p) for p in paths) + 2 <= pair:
        return list(paths)
    shorter = min(range(len(paths)), key=lambda i: len(paths[i]))
    shorter_limit = max(least, min(len(paths[shorter]), pair // 2))
    limits = [pair - shorter_limit if i != shorter else shorter_limit for i in range(len(paths))]
    return [shorten_path(p, limit) for p, limit in zip(paths, limits)]


def _summary(analysis: Analysis, nodes: list[DiagramNode], edges: list[DiagramEdge]) -> str:
    """The graph in words, for screen readers and for the ``<desc>``."""
    count = len(analysis.stages)
    sentences = [f"{count} stage{'s' if count != 1 else ''}", f"target {analysis.target_stage.label}"]
    name_of = {n.key: n.lines[0].text if n.kind == "stage" else n.lines[1].text if n.kind == "image" else "global ARGs" for n in nodes}
    for edge in edges:
        source, target = name_of[edge.source], name_of[edge.target]
        if edge.kind == "from":
            what = "image " + source if edge.source.startswith("i") else source
            sentences.append(f"{target} starts from {what}")
        elif edge.kind == "copy":
            paths = edge.label.split(" ", 1)[1] if " " in edge.label else "files"
            sentences.append(f"{target} copies {paths} from {source}")
        elif edge.kind == "mount":
            sentences.append(f"{target} mounts {source} during a RUN")
        else:
            sentences.append(f"global ARG {edge.label[4:]} sets the FROM of {target}")
    for stage in analysis.stages:
        if stage.is_scratch and not any(e.target == f"s{stage.index}" and e.kind == "from" for e in edges):
            sentences.append(f"{_stage_heading(stage)} starts from scratch")
    skipped = [_stage_heading(s) for s in analysis.stages if not s.needed]
    if skipped:
        verb = "is" if len(skipped) == 1 else "are"
        sentences.append(f"{_join_words(skipped)} {verb} skipped by BuildKit")
    return "; ".join(sentences) + "."


def _join_words(words: list[str]) -> str:
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


# --------------------------------------------------------------------------- text measuring

_SANS_WIDTHS = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 636 "
    "337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 695 635 "
    "611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 579 278 974 "
    "634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838"
)
_BOLD_WIDTHS = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 696 "
    "400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 770 720 "
    "682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 665 343 1042 "
    "712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838"
)
SANS_EM = {chr(32 + i): int(w) / 1000 for i, w in enumerate(_SANS_WIDTHS.split())}
"""Advance width in em of printable ASCII in DejaVu Sans (per-character table, no font file read)."""
BOLD_EM = {chr(32 + i): int(w) / 1000 for i, w in enumerate(_BOLD_WIDTHS.split())}
_EXTRA_EM = {"\u2026": 1.0, "\u2192": 0.838, "\u00b7": 0.318, "\u2013": 0.5, "\u00d7": 0.838}
MONO_EM = 0.602
"""Every glyph of DejaVu Sans Mono, Menlo and Liberation Mono is this wide (Consolas is narrower)."""


@record(frozen=True)
class Font:
    size: float
    family: Literal["sans", "bold", "mono"]
    line_height: float


FONTS: dict[TextStyle, Font] = {
    "heading": Font(14.0, "bold", 19.0),
    "code": Font(12.0, "mono", 17.0),
    "body": Font(12.0, "sans", 17.0),
    "note": Font(12.0, "sans", 17.0),
    "fail": Font(12.0, "bold", 17.0),
    "caption": Font(11.0, "sans", 15.0),
    "label": Font(11.5, "sans", 15.0),
    "badge": Font(10.5, "bold", 14.0),
    "legend": Font(12.0, "sans", 16.0),
}


def char_em(char: str, family: str) -> float:
    """Estimated advance of ``char`` in em for a font family, wide East Asian glyphs included."""
    if unicodedata.combining(char):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1.0 if family != "mono" else 2 * MONO_EM
    if family == "mono":
        return MONO_EM
    table = BOLD_EM if family == "bold" else SANS_EM
    return table.get(char) or _EXTRA_EM.get(char, 1.0 if family == "bold" else 0.9)


@lru_cache(maxsize=4096)
def text_width(text: str, style: TextStyle) -> float:
    """Estimated width in pixels of ``text`` set in ``style`` (kept: a site measures the same labels again and again)."""
    font = FONTS[style]
    return sum(char_em(c, font.family) for c in text) * font.size


def shorten_chars(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters with an ellipsis in the middle."""
    if len(text) <= limit:
        return text
    keep = limit - 1
    head = (keep + 1) // 2
    return text[:head] + "\u2026" + text[len(text) - (keep - head):]


def shorten_path(path: str, limit: int) -> str:
    """A long path cut to its last components (``…/certs/ca.crt``): the end says what is copied."""
    if len(path) <= limit:
        return path
    parts = path.rstrip("/").split("/")
    tail = parts[-1] + ("/" if path.endswith("/") else "")
    for part in reversed(parts[:-1]):
        if len(part) + 1 + len(tail) + 2 > limit:
            break
        tail = part + "/" + tail
    if len(tail) + 2 > limit:
        return shorten_chars(tail, limit)
    return "\u2026/" + tail


def fit_text(text: str, style: TextStyle, max_width: float, *, middle: bool) -> str:
    """``text`` shortened with an ellipsis (in the middle for references and paths) to fit ``max_width``."""
    if text_width(text, style) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:
        keep = (low + high + 1) // 2
        if text_width(_cut(text, keep, middle), style) <= max_width:
            low = keep
        else:
            high = keep - 1
    return _cut(text, low, middle)


def _cut(text: str, keep: int, middle: bool) -> str:
    if not middle:
        return text[:keep].rstrip() + "\u2026"
    head = (keep + 1) // 2
    tail = keep - head
    return text[:head] + "\u2026" + (text[len(text) - tail:] if tail else "")


# --------------------------------------------------------------------------- escaping

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` safe as XML character data or a quoted attribute value, whatever it holds."""
    text = _XML_INVALID.sub("\ufffd", reveal_invisible(text).replace("\t", " ").replace("\r", " ").replace("\n", " "))
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    )


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return text.removesuffix(".0")


# --------------------------------------------------------------------------- geometry of boxes

PAD_X = 10.0
PAD_Y = 7.0
MIN_NODE_WIDTH = 112.0
MAX_NODE_WIDTH = 248.0
MAX_LABEL_WIDTH = 300.0
LABEL_PAD_X = 6.0
LABEL_HEIGHT = 19.0
BADGE_GAP = 8.0
BADGE_PAD_X = 6.0
BADGE_HEIGHT = 16.0
LEGEND_SAMPLE = 34.0
MIN_SCALE = 0.75
"""The smallest scale a page may shrink the diagram to before scrolling it: keeps 12 px text above 9 px."""


@record(frozen=True)
class _Sized:
    """A node with its text fitted and its box size known."""

    node: DiagramNode
    lines: tuple[TextLine, ...]
    width: float
    height: float


_MIDDLE_STYLES = frozenset({"code"})


@lru_cache(maxsize=1024)
def _size_node(node: DiagramNode) -> _Sized:
    badge = _badge_width() + BADGE_GAP if node.target else 0.0
    inner_max = MAX_NODE_WIDTH - 2 * PAD_X
    fitted: list[TextLine] = []
    widest = 0.0
    for position, line in enumerate(node.lines):
        room = inner_max - (badge if position == 0 else 0.0)
        text = fit_text(line.text, line.style, room, middle=line.style in _MIDDLE_STYLES)
        fitted.append(TextLine(text, line.style))
        widest = max(widest, text_width(text, line.style) + (badge if position == 0 else 0.0))
    width = min(max(MIN_NODE_WIDTH, widest + 2 * PAD_X), MAX_NODE_WIDTH)
    height = 2 * PAD_Y + sum(FONTS[line.style].line_height for line in fitted)
    return _Sized(node, tuple(fitted), round(width), round(height))


def _badge_width() -> float:
    return text_width("target", "badge") + 2 * BADGE_PAD_X


def _fit_label(label: str) -> tuple[str, float]:
    text = fit_text(label, "label", MAX_LABEL_WIDTH - 2 * LABEL_PAD_X, middle=True)
    return text, round(text_width(text, "label") + 2 * LABEL_PAD_X)


# --------------------------------------------------------------------------- drawing


def render_diagram(analysis: Analysis, *, id_prefix: str = "dd", link_lines: bool = True, portable: bool = False) -> str:
    """The stage diagram of ``analysis`` as one inline ``<svg>`` element (a string).

    Each stage box links to ``#{id_prefix}-L{from_line}`` when ``link_lines``;
    ids inside the SVG start with ``{id_prefix}-diagram-``. ``portable``
    leaves the stylesheet out and carries colours and fonts as attributes,
    for hosts whose sanitizer removes ``<style>`` (see :mod:`.paint`). The
    same input gives byte-identical output.
    """
    if len(analysis.stages) > MAX_DIAGRAM_STAGES:
        return _too_many_stages(analysis, id_prefix)
    graph = build_stage_graph(analysis)
    return draw_stage_graph(graph, id_prefix=id_prefix, link_lines=link_lines, portable=portable)


MAX_DIAGRAM_STAGES = 150
"""Past this the layout costs seconds and the picture no longer reads: a note stands in for it."""


def _too_many_stages(analysis: Analysis, id_prefix: str) -> str:
    """A small SVG saying why there is no diagram, in the diagram's place and style."""
    prefix = xml_text(id_prefix) + "-diagram"
    needed = sum(1 for stage in analysis.stages if stage.needed)
    title = f"Build stages of {analysis.dockerfile.path}"
    message = (
        f"{len(analysis.stages)} stages: too many to draw (the diagram shows at most {MAX_DIAGRAM_STAGES}). "
        f"The target {analysis.target_stage.label} needs {needed} of them; the listing and explanations cover every stage."
    )
    width, height = 760.0, 64.0
    first, _, second = message.partition(". ")
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" class="dd-diagram" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" aria-labelledby="{prefix}-title {prefix}-desc">',
        f'<title id="{prefix}-title">{xml_text(title)}</title>',
        f'<desc id="{prefix}-desc">{xml_text(message)}</desc>',
        f"<style>{STYLE_SHEET}</style>",
        f'<rect class="dd-background" x="0" y="0" width="{_num(width)}" height="{_num(height)}"/>',
        f'<text class="dd-text" x="16" y="26">{xml_text(first + ".")}</text>',
        f'<text class="dd-text" x="16" y="46">{xml_text(shorten_chars(second, 110))}</text>',
        "</svg>",
    ])


@record(frozen=True)
class _Arranged:
    """Where everything of a graph goes: what costs time in a drawing, and what no id or link changes."""

    sized: list[_Sized]
    labels: list[tuple[str, float]]
    layout: Layout
    legend_rows: list[list[_LegendItem]]
    legend_width: float
    width: float
    height: float
    graph_offset: float


TB_MAX_WIDTH = 400.0
"""The top-to-bottom drawing's width goal: at the smallest readable scale it fits a 375 px phone's column."""


@lru_cache(maxsize=128)
def _arrange(graph: StageGraph, direction: str = "LR") -> _Arranged:
    """Sizes, layout and legend of ``graph``, kept for the next drawing of an equal graph.

    A site draws each example's graph more than once (its page, its embed,
    its diagram file) with other ids and links; the arrangement is shared.
    """
    sized = [_size_node(node) for node in graph.nodes]
    labels = [_fit_label(edge.label) for edge in graph.edges]
    nodes, edges = _layout_input(sized, labels, graph)
    layout = _laid_out(tuple(nodes), tuple(edges), direction)
    kinds = [k for k in EDGE_KIND_ORDER if any(e.kind == k for e in graph.edges)]
    has_skipped = any(n.skipped and n.kind == "stage" for n in graph.nodes)
    legend_items = _legend_items(kinds, has_skipped, failing=any(e.failing for e in graph.edges) or any(n.failing for n in graph.nodes))
    legend_width, legend_height, legend_rows = _legend_rows(legend_items, max(layout.width - 24, 360.0 if direction == "LR" else 200.0))
    width = max(layout.width, legend_width + 24)
    height = layout.height + legend_height + 8
    return _Arranged(sized, labels, layout, legend_rows, legend_width, width, height, (width - layout.width) / 2)


@lru_cache(maxsize=1024)
def _laid_out(nodes: tuple[LayoutNode, ...], edges: tuple[LayoutEdge, ...], direction: str) -> Layout:
    """The layout of these boxes and edges, kept: it depends on their sizes and links, not on the text they show.

    Two examples with the same stages under other names, or a Dockerfile
    edited without changing what its boxes hold, are laid out once. The
    plugin draws every embed before the first page, so this cache holds both
    drawings of each example of a large site, where ``_arrange``'s may not:
    a page's drawing is not laid out again.
    """
    return layout_graph(list(nodes), list(edges), direction=direction, max_column=TB_MAX_WIDTH - 24 if direction == "TB" else None)


def _layout_input(sized: list[_Sized], labels: list[tuple[str, float]], graph: StageGraph) -> tuple[list[LayoutNode], list[LayoutEdge]]:
    nodes = [LayoutNode(s.node.key, s.width, s.height, pull_right=s.node.kind != "stage") for s in sized]
    edges = [
        LayoutEdge(edge.source, edge.target, label_width=width, label_height=LABEL_HEIGHT)
        for edge, (_, width) in zip(graph.edges, labels)
    ]
    return nodes, edges


def layout_input(analysis: Analysis) -> tuple[list[LayoutNode], list[LayoutEdge]]:
    """What the layout receives for ``analysis``'s diagram: boxes and edges with label sizes, no Dockerfile text."""
    graph = build_stage_graph(analysis)
    return _layout_input([_size_node(node) for node in graph.nodes], [_fit_label(edge.label) for edge in graph.edges], graph)


def drawing_size(graph: StageGraph, direction: str = "LR") -> tuple[float, float]:
    """The natural width and height of ``graph``'s drawing (laid out once, then kept)."""
    arranged = _arrange(graph, direction)
    return arranged.width, arranged.height


def clear_layout_cache() -> None:
    """Forget the kept graphs, arrangements and layouts, so the next drawing of any graph lays it out anew (benchmarks measure that)."""
    _arrange.cache_clear()
    _laid_out.cache_clear()
    _recent_graphs.clear()


def draw_stage_graph(
    graph: StageGraph, *, id_prefix: str = "dd", link_lines: bool = True, portable: bool = False, direction: str = "LR",
    fit: bool = False,
    min_width: float | None = None,
) -> str:
    """Lay out and draw ``graph``; see :func:`render_diagram`.

    ``direction="TB"`` draws it top to bottom (its ids end in ``-tb``, so both
    drawings can share a page); ``fit`` leaves the sizing to the page's
    stylesheet (:mod:`.fit`) instead of a minimum width of its own;
    ``min_width`` (pixels) is then the width it never shrinks below.
    """
    paint = PORTABLE_PAINT if portable else STYLESHEET_PAINT
    prefix = xml_text(id_prefix) + "-diagram" + ("-tb" if direction == "TB" else "")
    arranged = _arrange(graph, direction)
    sized, labels, layout, legend_rows = arranged.sized, arranged.labels, arranged.layout, arranged.legend_rows
    legend_width, width, height, graph_offset = arranged.legend_width, arranged.width, arranged.height, arranged.graph_offset

    out: list[str] = []
    style = f"min-width:{_num(min(width, width * MIN_SCALE))}px" if width > 640 and not fit else ""
    if fit and min_width is not None:
        style = f"min-width:{min_width:.0f}px"
    if portable:
        style = "max-width:100%;height:auto"
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="dd-diagram{" dd-tb" if direction == "TB" else ""}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" width="{_num(width)}" height="{_num(height)}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc"' + (f' style="{style}"' if style else "") + paint.root() + ">"
    )
    out.append(f'<title id="{prefix}-title">{xml_text(graph.title)}</title>')
    out.append(f'<desc id="{prefix}-desc">{xml_text(graph.summary)}</desc>')
    if not portable:
        out.append(f"<style>{STYLE_SHEET}</style>")
    out.append("<defs>")
    for kind in (*EDGE_KIND_ORDER, "fail"):
        out.append(
            f'<marker id="{prefix}-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" '
            f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path class="dd-arrow dd-arrow-{kind}" d="M0,1 L10,5 L0,9 z"{paint.arrow(kind)}/></marker>'
        )
    out.append("</defs>")
    if not portable:  # the portable diagram lets the host's background show
        out.append(f'<rect class="dd-background" x="0" y="0" width="{_num(width)}" height="{_num(height)}"/>')
    out.append(f'<g class="dd-graph" transform="translate({_num(graph_offset)},0)">' if graph_offset else '<g class="dd-graph">')
    out.append('<g class="dd-edges">')
    gaps = _label_gaps(layout.routes) if portable else {}
    for edge, route, (label_text, _) in zip(graph.edges, layout.routes, labels):
        out.append(_draw_edge(edge, route, label_text, prefix, paint, gaps.get(route.points, ()) if portable else (), vertical=direction == "TB"))
    out.append("</g>")
    out.append('<g class="dd-nodes">')
    for item in sized:
        out.append(_draw_node(item, layout.nodes[item.node.key], id_prefix=xml_text(id_prefix), link_lines=link_lines, paint=paint))
    out.append("</g>")
    out.append("</g>")
    out.append(_draw_legend(legend_rows, (width - legend_width) / 2, layout.height + 4, prefix, paint))
    out.append("</svg>")
    return "\n".join(out)


def _draw_edge(
    edge: DiagramEdge, route: Route, label: str, prefix: str, paint: Paint, gap: tuple[float, float] | tuple[()] = (),
    *, vertical: bool = False,
) -> str:
    classes = f"dd-edge dd-edge-{edge.kind}" + (" dd-skipped" if edge.skipped else "") + (" dd-failing" if edge.failing else "")
    arrow = "fail" if edge.failing else edge.kind
    parts = [
        f'<g class="{classes}" data-source="{edge.source}" data-target="{edge.target}" data-kind="{edge.kind}">',
        f"<title>{xml_text(edge.title)}</title>",
        (
            f'<path class="dd-edge-line" d="{_path_data(route.points, gap, vertical=vertical)}" marker-end="url(#{prefix}-arrow-{arrow})"'
            f"{paint.edge_line(edge.kind, skipped=edge.skipped, failing=bool(edge.failing))}/>"
        ),
    ]
    if route.label is not None:
        box = route.label
        parts.append(
            f'<g class="dd-edge-label"><rect class="dd-label-box" x="{_num(box.x)}" y="{_num(box.y)}" '
            f'width="{_num(box.width)}" height="{_num(box.height)}" rx="4"{paint.label_box("fail" if edge.failing else edge.kind)}/>'
            f'<text class="dd-label-text" x="{_num(box.x + box.width / 2)}" y="{_num(box.y + box.height / 2)}" '
            f'text-anchor="middle" dominant-baseline="central"{paint.label_text()}>{xml_text(label)}</text></g>'
        )
    parts.append("</g>")
    return "".join(parts)


def _label_gaps(routes: list[Route]) -> dict[tuple[tuple[float, float], ...], tuple[float, float]]:
    """For each drawn path, the stretch its labels stand on: a portable label has no fill to hide the line behind it."""
    gaps: dict[tuple[tuple[float, float], ...], tuple[float, float]] = {}
    for route in routes:
        if route.label is not None:
            known = gaps.get(route.points)
            left, right = route.label.x - 2, route.label.right + 2
            gaps[route.points] = (min(left, known[0]), max(right, known[1])) if known else (left, right)
    return gaps


def _path_data(points: tuple[tuple[float, float], ...], gap: tuple[float, float] | tuple[()] = (), *, vertical: bool = False) -> str:
    """The route as path data; ``gap`` (x from, x to) leaves out the stretch of straight run a label stands on.

    Curves leave and reach their ends horizontally, or vertically in a top-to-bottom drawing.
    """
    xs = [f"{x:.1f}".removesuffix(".0") for x, _ in points]  # _num inline: a huge graph draws tens of thousands
    ys = [f"{y:.1f}".removesuffix(".0") for _, y in points]
    data = [f"M{xs[0]},{ys[0]}"]
    for i in range(len(points) - 1):
        (ax, ay), (bx, by) = points[i], points[i + 1]
        if i % 2 == 0:
            if gap and abs(ay - by) < 0.05 and min(ax, bx) <= gap[0] < gap[1] <= max(ax, bx):
                first, second = (gap[0], gap[1]) if ax <= bx else (gap[1], gap[0])
                data.append(f"L{_num(first)},{ys[i]} M{_num(second)},{ys[i]} L{xs[i + 1]},{ys[i + 1]}")
            elif abs(bx - ax) > 0.05 or abs(by - ay) > 0.05:
                data.append(f"L{xs[i + 1]},{ys[i + 1]}")
        elif vertical:
            mid = _num((ay + by) / 2)
            data.append(f"C{xs[i]},{mid} {xs[i + 1]},{mid} {xs[i + 1]},{ys[i + 1]}")
        else:
            mid = _num((ax + bx) / 2)
            data.append(f"C{mid},{ys[i]} {mid},{ys[i + 1]} {xs[i + 1]},{ys[i + 1]}")
    return " ".join(data)


def _draw_node(item: _Sized, box: Box, *, id_prefix: str, link_lines: bool, paint: Paint) -> str:
    node = item.node
    classes = f"dd-node dd-node-{node.kind}"
    if node.target:
        classes += " dd-target"
    if node.skipped:
        classes += " dd-skipped"
    if node.failing:
        classes += " dd-failing"
    radius = 12 if node.kind == "image" else 6
    parts = [
        f'<g class="{classes}" data-node="{node.key}">',
        f"<title>{xml_text(node.title)}</title>",
        (
            f'<rect class="dd-box" x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.width)}" height="{_num(box.height)}" rx="{radius}"'
            f"{paint.box(node.kind, target=node.target, skipped=node.skipped, failing=bool(node.failing))}/>"
        ),
    ]
    y = box.y + PAD_Y
    for position, line in enumerate(item.lines):
        font = FONTS[line.style]
        baseline = y + font.line_height / 2
        parts.append(
            f'<text class="dd-text dd-text-{line.style}" x="{_num(box.x + PAD_X)}" y="{_num(baseline)}" '
            f'dominant-baseline="central"{paint.text(line.style)}>{xml_text(line.text)}</text>'
        )
        if position == 0 and node.target:
            badge_w = _badge_width()
            bx = box.right - PAD_X - badge_w
            by = baseline - BADGE_HEIGHT / 2
            parts.append(
                f'<rect class="dd-badge" x="{_num(bx)}" y="{_num(by)}" width="{_num(badge_w)}" height="{_num(BADGE_HEIGHT)}" rx="8"'
                f"{paint.badge()}/>"
                f'<text class="dd-badge-text" x="{_num(bx + badge_w / 2)}" y="{_num(baseline)}" text-anchor="middle" '
                f'dominant-baseline="central"{paint.badge_text()}>target</text>'
            )
        y += font.line_height
    parts.append("</g>")
    body = "".join(parts)
    if link_lines and node.kind == "stage" and node.line is not None:
        # xlink:href, not href: Material's instant navigation rewrites every [href] element's
        # .href, which an SVG <a> only has as a read-only getter (a console error on each page).
        return f'<a xlink:href="#{id_prefix}-L{node.line}" class="dd-link">{body}</a>'
    return body


# --------------------------------------------------------------------------- legend

_LEGEND_TEXT: dict[str, str] = {
    "from": "FROM: starts from the image or stage",
    "copy": "COPY --from: copies files out of it",
    "mount": "RUN --mount from=: mounts it during a RUN",
    "arg": "global ARG: used in a FROM line",
    "target": "the stage the build produces",
    "skipped": "skipped by BuildKit: the target does not need it",
    "fail": "the build fails here",
}


@record(frozen=True)
class _LegendItem:
    key: str
    text: str
    width: float


def _legend_items(kinds: list[DiagramEdgeKind], has_skipped: bool, *, failing: bool = False) -> list[_LegendItem]:
    keys: list[str] = [*kinds, "target"] + (["skipped"] if has_skipped else []) + (["fail"] if failing else [])
    items = []
    for key in keys:
        sample = _badge_width() if key == "target" else LEGEND_SAMPLE
        items.append(_LegendItem(key, _LEGEND_TEXT[key], sample + 6 + text_width(_LEGEND_TEXT[key], "legend")))
    return items


def _legend_rows(items: list[_LegendItem], max_width: float) -> tuple[float, float, list[list[_LegendItem]]]:
    gap = 18.0
    rows: list[list[_LegendItem]] = [[]]
    row_width = 0.0
    widths: list[float] = []
    for item in items:
        needed = item.width + (gap if rows[-1] else 0.0)
        if rows[-1] and row_width + needed > max_width:
            widths.append(row_width)
            rows.append([])
            row_width = 0.0
            needed = item.width
        rows[-1].append(item)
        row_width += needed
    widths.append(row_width)
    return max(widths), len(rows) * 20.0 + 4, rows


def _draw_legend(rows: list[list[_LegendItem]], x0: float, y0: float, prefix: str, paint: Paint) -> str:
    parts = ['<g class="dd-legend">']
    for r, row in enumerate(rows):
        x = x0
        cy = y0 + 10 + r * 20
        for item in row:
            if item.key in (*EDGE_KIND_ORDER, "fail"):
                classes = f"dd-edge-{item.key}" if item.key != "fail" else "dd-edge-from dd-failing"
                parts.append(
                    f'<g class="dd-edge {classes} dd-legend-sample"><path class="dd-edge-line" '
                    f'd="M{_num(x)},{_num(cy)} L{_num(x + LEGEND_SAMPLE - 2)},{_num(cy)}" '
                    f'marker-end="url(#{prefix}-arrow-{item.key})"{paint.edge_line("from" if item.key == "fail" else item.key, skipped=False, failing=item.key == "fail")}/></g>'
                )
                x += LEGEND_SAMPLE
            elif item.key == "target":
                w = _badge_width()
                parts.append(
                    f'<rect class="dd-badge" x="{_num(x)}" y="{_num(cy - BADGE_HEIGHT / 2)}" width="{_num(w)}" '
                    f'height="{_num(BADGE_HEIGHT)}" rx="8"{paint.badge()}/><text class="dd-badge-text" x="{_num(x + w / 2)}" '
                    f'y="{_num(cy)}" text-anchor="middle" dominant-baseline="central"{paint.badge_text()}>target</text>'
                )
                x += w
            else:
                parts.append(
                    f'<g class="dd-node dd-skipped dd-legend-sample"><rect class="dd-box" x="{_num(x + 2)}" '
                    f'y="{_num(cy - 8)}" width="{_num(LEGEND_SAMPLE - 4)}" height="16" rx="4"'
                    f"{paint.box('stage', target=False, skipped=True)}/></g>"
                )
                x += LEGEND_SAMPLE
            x += 6
            parts.append(
                f'<text class="dd-text dd-text-legend" x="{_num(x)}" y="{_num(cy)}" dominant-baseline="central"'
                f'{paint.text("legend")}>{xml_text(item.text)}</text>'
            )
            x += text_width(item.text, "legend") + 18
    parts.append("</g>")
    return "".join(parts)


# --------------------------------------------------------------------------- colours

LIGHT_PALETTE: dict[str, str] = {
    "bg": "#ffffff",
    "text": "#1f2328",
    "muted": "#59636e",
    "node-fill": "#ffffff",
    "node-stroke": "#818b98",
    "image-fill": "#f6f8fa",
    "args-fill": "#fff8c5",
    "target": "#0969da",
    "badge-text": "#ffffff",
    "skipped-fill": "#f6f8fa",
    "skipped-stroke": "#818b98",
    "label-fill": "#ffffff",
    "edge-from": "#3d444d",
    "edge-copy": "#bc4c00",
    "edge-mount": "#8250df",
    "edge-arg": "#1a7f37",
    "fail": "#cf222e",
}
DARK_PALETTE: dict[str, str] = {
    "bg": "#1e2129",
    "text": "#e6edf3",
    "muted": "#a3adb8",
    "node-fill": "#272c36",
    "node-stroke": "#8b949e",
    "image-fill": "#222730",
    "args-fill": "#2f2a1c",
    "target": "#4493f8",
    "badge-text": "#0d1117",
    "skipped-fill": "#1b1e25",
    "skipped-stroke": "#6e7681",
    "label-fill": "#1e2129",
    "edge-from": "#c9d1d9",
    "edge-copy": "#f0883e",
    "edge-mount": "#bc8cff",
    "edge-arg": "#56d364",
    "fail": "#ff7b72",
}
TEXT_ON_FILL: tuple[tuple[str, str], ...] = (
    ("text", "node-fill"), ("muted", "node-fill"), ("text", "image-fill"), ("muted", "image-fill"),
    ("text", "args-fill"), ("muted", "args-fill"), ("muted", "skipped-fill"), ("badge-text", "target"),
    ("text", "bg"), ("muted", "bg"), ("edge-from", "label-fill"), ("edge-copy", "label-fill"),
    ("edge-mount", "label-fill"), ("edge-arg", "label-fill"), ("muted", "label-fill"), ("fail", "label-fill"),
    ("fail", "node-fill"),
)
"""Every (text colour, background) pair the diagram draws; each must meet WCAG AA (4.5:1)."""

SANS_STACK = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans","DejaVu Sans",sans-serif'
MONO_STACK = 'ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","DejaVu Sans Mono",monospace'


def _colour(name: str) -> str:
    return f"var(--dd-{name},var(--ddp-{name},{LIGHT_PALETTE[name]}))"


def _palette_block(palette: dict[str, str]) -> str:
    return ";".join(f"--ddp-{name}:{value}" for name, value in palette.items())


def _style_sheet() -> str:
    c = _colour
    light, dark = _palette_block(LIGHT_PALETTE), _palette_block(DARK_PALETTE)
    rules = [
        f".dd-diagram{{{light};font-family:{SANS_STACK}}}",
        f"@media (prefers-color-scheme:dark){{.dd-diagram{{{dark}}}}}",
        f'[data-md-color-scheme="default"] .dd-diagram{{{light}}}',
        f'[data-md-color-scheme="slate"] .dd-diagram{{{dark}}}',
        f".dd-diagram .dd-background{{fill:{c('bg')}}}",
        f".dd-diagram .dd-box{{fill:{c('node-fill')};stroke:{c('node-stroke')};stroke-width:1.2}}",
        f".dd-diagram .dd-node-image .dd-box{{fill:{c('image-fill')}}}",
        f".dd-diagram .dd-node-args .dd-box{{fill:{c('args-fill')}}}",
        f".dd-diagram .dd-target .dd-box{{stroke:{c('target')};stroke-width:2.5}}",
        f".dd-diagram .dd-skipped .dd-box{{fill:{c('skipped-fill')};stroke:{c('skipped-stroke')};stroke-dasharray:5 3}}",
        f".dd-diagram .dd-text{{fill:{c('text')};font-size:12px}}",
        ".dd-diagram .dd-text-heading{font-weight:700;font-size:14px}",
        f".dd-diagram .dd-text-code{{font-family:{MONO_STACK}}}",
        f".dd-diagram .dd-text-body,.dd-diagram .dd-text-caption{{fill:{c('muted')}}}",
        ".dd-diagram .dd-text-caption{font-size:11px;letter-spacing:.02em}",
        f".dd-diagram .dd-text-note{{fill:{c('muted')};font-style:italic}}",
        f".dd-diagram .dd-skipped .dd-text{{fill:{c('muted')}}}",
        f".dd-diagram .dd-badge{{fill:{c('target')}}}",
        f".dd-diagram .dd-badge-text{{fill:{c('badge-text')};font-size:10.5px;font-weight:700}}",
        ".dd-diagram .dd-edge-line{fill:none;stroke-width:1.6}",
        f".dd-diagram .dd-label-box{{fill:{c('label-fill')};stroke:currentColor;stroke-width:.8}}",
        ".dd-diagram .dd-label-text{font-size:11.5px;fill:currentColor}",
        ".dd-diagram .dd-arrow{stroke:none}",
    ]
    dashes = {"from": "none", "copy": "6 4", "mount": "1.5 3.5", "arg": "8 3 2 3"}
    for kind in EDGE_KIND_ORDER:
        colour = c(f"edge-{kind}")
        rules.append(f".dd-diagram .dd-edge-{kind}{{color:{colour}}}")
        rules.append(f".dd-diagram .dd-edge-{kind} .dd-edge-line{{stroke:{colour};stroke-dasharray:{dashes[kind]}}}")
        rules.append(f".dd-diagram .dd-arrow-{kind}{{fill:{colour}}}")
    rules += [
        ".dd-diagram .dd-edge-mount .dd-edge-line{stroke-linecap:round;stroke-width:2.2}",
        ".dd-diagram .dd-edge-arg .dd-edge-line{stroke-width:1.3}",
        ".dd-diagram .dd-edge.dd-skipped .dd-edge-line{opacity:.5}",
        f".dd-diagram .dd-edge.dd-skipped{{color:{c('muted')}}}",
        f".dd-diagram a.dd-link:hover .dd-box,.dd-diagram a.dd-link:focus .dd-box{{stroke:{c('target')};stroke-width:3}}",
        f".dd-diagram .dd-edge.dd-failing{{color:{c('fail')}}}",
        f".dd-diagram .dd-edge.dd-failing .dd-edge-line{{stroke:{c('fail')};stroke-width:2.4;stroke-dasharray:none}}",
        f".dd-diagram .dd-arrow-fail{{fill:{c('fail')}}}",
        f".dd-diagram .dd-node.dd-failing .dd-box{{stroke:{c('fail')};stroke-width:2.5}}",
        f".dd-diagram .dd-text-fail{{fill:{c('fail')};font-weight:700}}",
        ".dd-diagram a.dd-link{cursor:pointer}",
        ".dd-diagram a.dd-link:focus{outline:none}",
    ]
    return "".join(rules)


STYLE_SHEET = _style_sheet()
"""The embedded stylesheet; identical in every diagram, so several on one page agree."""
