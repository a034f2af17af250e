"""A Dockerfile's diagram, listing and explanations as HTML that keeps its layout through a wiki's sanitizer.

HTML wikis and Backstage pass pasted HTML through a sanitizer (DOMPurify's
defaults, or a GitHub-like allowlist). Those drop ``<style>`` blocks, or keep
their text as visible CSS, and strip classes, so a fragment that depends on
its stylesheet falls apart. This one depends on nothing that is removed:
inline ``style`` attributes only (kept by DOMPurify; where they are stripped
too, what is left still reads in order), the portable diagram (colours as
attributes, text in the host's own colour), a listing that is a table (line
number, code and finding markers in cells of their own, so no marker is
glued to code) and explanations whose `code` spans are ``<code>``.
"""

from __future__ import annotations

import html

from ..model import Analysis
from .explanations import message_html, numbered_findings
from .paint import MONO, PORTABLE_COLOURS, SANS
from .text import reveal_invisible

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .fragment import Part

_MUTED = PORTABLE_COLOURS["stroke"]
_CELL = "padding:0 .6em;vertical-align:top;border:0"


def render_portable_html(analysis: Analysis, *, show: tuple[Part, ...] = ("listing", "diagram", "explanations"), title: str | None = None) -> str:
    """The parts in ``show`` as one ``<div>``, in the order diagram, listing, explanations."""
    heading = title or analysis.dockerfile.path or "Dockerfile"
    stages = len(analysis.stages)
    pieces = [
        f'<div class="dd-portable" style="font-family:{SANS};line-height:1.45;max-width:100%">',
        f'<h2 style="margin:0 0 .3em">{html.escape(heading)}</h2>',
        (
            f'<p style="margin:0 0 .8em">{stages} stage{"s" if stages != 1 else ""}; target: '
            f"<strong>{html.escape(analysis.target_stage.label)}</strong>.</p>"
        ),
    ]
    if "diagram" in show:
        from .svg import render_diagram

        pieces.append(
            '<div style="overflow-x:auto;max-width:100%;margin:0 0 1em">'
            + render_diagram(analysis, id_prefix="dd", link_lines=False, portable=True)
            + "</div>"
        )
    if "listing" in show:
        pieces.append(_listing(analysis, "dd"))
    if "explanations" in show:
        pieces.append(_explanations(analysis, "dd"))
    pieces.append("</div>")
    return "\n".join(pieces) + "\n"


def portable_part(analysis: Analysis, part: str, *, id_prefix: str = "dd") -> str:
    """One part (``listing``, ``diagram`` or ``explanations``) in this form, for a page of a sanitizing host."""
    if part == "diagram":
        from .svg import render_diagram

        return render_diagram(analysis, id_prefix=id_prefix, link_lines=False, portable=True)
    if part == "listing":
        return _listing(analysis, id_prefix)
    return _explanations(analysis, id_prefix)


def portable_document(fragment: str, *, title: str) -> str:
    """The fragment as a page of its own; nothing in its ``<head>`` is needed, so a sanitizer may drop it."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{html.escape(title)}</title>\n"
        "</head>\n"
        f"<body>\n{fragment}</body>\n</html>\n"
    )


def _listing(analysis: Analysis, id_prefix: str) -> str:
    markers: dict[int, list[int]] = {}
    for number, finding in numbered_findings(analysis):
        markers.setdefault(finding.line, []).append(number)
    rows = []
    for line_number, line in enumerate(analysis.dockerfile.text.splitlines(), start=1):
        marks = " ".join(f'<a href="#{id_prefix}-F{n}" style="color:inherit">[{n}]</a>' for n in markers.get(line_number, ()))
        rows.append(
            f'<tr><td style="{_CELL};text-align:right;color:{_MUTED};user-select:none">{line_number}</td>'
            f'<td style="{_CELL};white-space:pre-wrap;overflow-wrap:anywhere"><code style="font-family:{MONO}">'
            f"{html.escape(reveal_invisible(line)) or ' '}</code></td>"
            f'<td style="{_CELL};white-space:nowrap">{marks}</td></tr>'
        )
    return (
        f'<table style="border-collapse:collapse;font-size:.9em;margin:0 0 1em;max-width:100%">'
        f"<caption style=\"text-align:left;font-weight:700\">Dockerfile</caption><tbody>{''.join(rows)}</tbody></table>"
    )


def _explanations(analysis: Analysis, id_prefix: str) -> str:
    numbered = numbered_findings(analysis)
    if not numbered:
        return "<p>Nothing to explain in this Dockerfile: no rule has a finding.</p>"
    items = []
    for number, finding in numbered:
        lines = f"line {finding.line}" if not finding.end_line or finding.end_line == finding.line else f"lines {finding.line}–{finding.end_line}"
        buildkit = f" (BuildKit: <code>{html.escape(finding.buildkit)}</code>)" if finding.buildkit else ""
        items.append(
            f'<li id="{id_prefix}-F{number}" value="{number}" style="margin:0 0 .4em"><strong>{lines}</strong>, '
            f"{html.escape(finding.severity)}: {message_html(finding.message)} "
            f"<em>{html.escape(finding.rule)} {html.escape(finding.name)}</em>{buildkit}</li>"
        )
    return f'<h3 style="margin:.6em 0 .3em">Explanations</h3>\n<ol style="padding-left:1.6em">\n{"".join(items)}\n</ol>'
