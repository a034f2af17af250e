"""What a site's search should index for a fragment: its words, without the markup that draws them.

A fragment's HTML is made for eyes: line numbers and markers beside the
code, an SVG whose boxes, labels and legend are separate text runs, a size
chart, embed code. A search index built from it holds ``1ARG``, ``imagebusybox``
and the legend of every diagram; it is also several times larger than the
text, and a site's search parses every tag of it on every build.

:func:`searchable_html` is the same fragment as a reader would search it:
the title and description, the Dockerfile as plain code, the diagram's
one-sentence summary, each explanation with its line and rule, and the
verdict of the build. A site generator that can hand its search other
content than the page's (the MkDocs plugin does) indexes this instead.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model import Analysis
from .explanations import message_html, numbered_findings
from .text import reveal_invisible


def searchable_html(
    analysis: Analysis,
    *,
    parts: Sequence[str],
    title: str | None = None,
    description_html: str | None = None,
    result_status_html: str | None = None,
) -> str:
    """The searchable words of a fragment showing ``parts`` of ``analysis``, as simple HTML.

    ``title`` is plain text; ``description_html`` and ``result_status_html``
    are already-safe HTML, included as they are.
    """
    pieces: list[str] = []
    if title:
        pieces.append(f"<p>{html.escape(title)}</p>\n")
    if description_html:
        pieces.append(description_html + "\n")
    if "listing" in parts:
        pieces.append(f"<pre><code>{html.escape(reveal_invisible(analysis.dockerfile.text))}</code></pre>\n")
    if "diagram" in parts:
        from .svg import build_stage_graph, xml_text

        pieces.append(f"<p>{xml_text(build_stage_graph(analysis).summary)}</p>\n")
    if "explanations" in parts:
        items = "".join(
            f"<li>{_lines(finding.line, finding.end_line)}: {message_html(finding.message)} "
            f"{html.escape(finding.rule)} {html.escape(finding.name)}"
            + (f" (BuildKit: <code>{html.escape(finding.buildkit)}</code>)" if finding.buildkit else "")
            + "</li>"
            for _, finding in numbered_findings(analysis)
        )
        if items:
            pieces.append(f"<ol>{items}</ol>\n")
    if "results" in parts and result_status_html:
        pieces.append(result_status_html)
    return "".join(pieces)


def _lines(line: int, end_line: int | None) -> str:
    return f"line {line}" if not end_line or end_line == line else f"lines {line}–{end_line}"
