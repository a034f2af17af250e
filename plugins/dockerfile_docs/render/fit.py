"""A stage diagram that fits its column at any width, with text never smaller than 9 px on screen.

A page column is 320 px on a small phone and 1,400 px on a wide screen; a
diagram is as wide as its stages. Scaled to the column, the left-to-right
drawing is kept while its smallest text (10.5 px) stays at 9 px or more,
i.e. while the column is at least ``MIN_SCALE`` of its width. Below that the
page shows the same graph drawn top to bottom, which is as wide as its
widest rank rather than as its longest chain, scaled the same way, and
scrolled sideways only if even that cannot fit. The switch is a container
query on the diagram's own column (``.dd-part-diagram``), so it holds in a
narrow sidebar layout as much as on a phone; no JavaScript. Each diagram
names the column width it needs by a class (``dd-fit-640``: rounded up to
``FIT_STEP`` px), and the stylesheet has a rule for each such width.

A diagram that has to be scaled on common screens also links to the
diagram's own file, where the site publishes one, to be seen at full size.
"""

from __future__ import annotations

import html
import math

from ..model import Analysis

MIN_SCALE = 9 / 10.5
"""The smallest scale at which the diagram's smallest text (the 10.5 px badge) is 9 px on screen."""
FIT_STEP = 40
FIT_WIDTHS = range(320, 2401, FIT_STEP)
"""Column widths the stylesheet has a rule for; a diagram needing more always shows top to bottom."""
MAX_TB_NODES = 40
"""Past this a top-to-bottom drawing is no narrower in practice, and a second layout is not worth its cost."""
FULL_SIZE_FROM = 700.0
"""Natural width from which a diagram is scaled on most screens, and so gets the full-size view."""


def fit_class(width: float) -> int:
    """The column width (a multiple of ``FIT_STEP``) from which a drawing ``width`` wide fits at ``MIN_SCALE``."""
    needed = math.ceil(width * MIN_SCALE / FIT_STEP) * FIT_STEP
    return min(max(needed, FIT_WIDTHS.start), FIT_WIDTHS.stop + FIT_STEP)


def render_fitted_diagram(analysis: Analysis, *, id_prefix: str = "dd", link_lines: bool = True) -> str:
    """Both drawings of ``analysis``'s diagram, for the stylesheet to show the one that fits."""
    from .svg import (
        MAX_DIAGRAM_STAGES,
        build_stage_graph,
        draw_stage_graph,
        drawing_size,
        render_diagram,
    )

    if len(analysis.stages) > MAX_DIAGRAM_STAGES:
        return render_diagram(analysis, id_prefix=id_prefix, link_lines=link_lines)
    graph = build_stage_graph(analysis)
    width, _ = drawing_size(graph)
    needed = fit_class(width)
    across = draw_stage_graph(graph, id_prefix=id_prefix, link_lines=link_lines, fit=True)
    tb_width = drawing_size(graph, "TB")[0] if needed > FIT_WIDTHS.start and len(graph.nodes) <= MAX_TB_NODES else width
    if tb_width < width:
        down = draw_stage_graph(graph, id_prefix=id_prefix, link_lines=link_lines, direction="TB", fit=True, min_width=tb_width * MIN_SCALE)
        parts = [f'<div class="dd-fit dd-fit-{needed}">', across, down, "</div>"]
    else:  # drawn top to bottom it would be no narrower: the one drawing, scaled to the column
        parts = ['<div class="dd-fit">', across, "</div>"]
    return "\n".join(parts)


def full_size_link(analysis: Analysis, url: str) -> str:
    """A link to the diagram's own file at ``url``, for a diagram that is scaled on common screens ("" for the others)."""
    from .svg import MAX_DIAGRAM_STAGES, build_stage_graph, drawing_size

    if len(analysis.stages) > MAX_DIAGRAM_STAGES or drawing_size(build_stage_graph(analysis))[0] < FULL_SIZE_FROM:
        return ""
    href = html.escape(url, quote=True)
    return f'<p class="dd-full-size"><a href="{href}">The diagram at full size</a></p>'


def fit_css() -> str:
    """The container queries that pick a drawing: one rule per width a diagram can need."""
    rules = [
        ".dd-fragment .dd-part-diagram { container-type: inline-size; }",
        ".dd-fragment .dd-part-diagram .dd-fit > .dd-tb { display: none; }",
        ".dd-full-size { margin: .2em 0 0; font-size: .8em; }",
    ]
    for width in [*FIT_WIDTHS, FIT_WIDTHS.stop + FIT_STEP]:
        rules.append(
            f"@container (max-width: {width - 0.02:.2f}px) {{ .dd-part-diagram .dd-fit-{width} > .dd-diagram:not(.dd-tb) {{ display: none; }} "
            f".dd-fragment .dd-part-diagram .dd-fit-{width} > .dd-tb {{ display: block; }} }}"
        )
    return "\n".join(rules) + "\n"
