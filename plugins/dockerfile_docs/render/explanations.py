"""The explanations under a listing: one numbered item a finding, linked to its line and back.

The numbers are the listing's markers (:func:`numbered_findings` is the one
place that assigns them), so marker ``k`` in the code and item ``k`` here
are the same finding. Messages are plain text with `code` spans; everything
is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from ..model import SEVERITY_ORDER, Analysis, Finding
from .text import reveal_invisible


def numbered_findings(analysis: Analysis) -> list[tuple[int, Finding]]:
    """The findings in reading order (line, then severity, then rule), numbered from 1."""
    ordered = sorted(analysis.findings, key=lambda f: (f.line, SEVERITY_ORDER.get(f.severity, 9), f.rule))
    return list(enumerate(ordered, start=1))


def message_html(message: str) -> str:
    """A finding message as HTML: escaped, invisible characters shown, `backtick` spans as ``<code>``."""
    message = reveal_invisible(message)
    pieces = message.split("`")
    if len(pieces) % 2 == 0:
        return html.escape(message)
    return "".join(
        f"<code>{html.escape(piece)}</code>" if index % 2 else html.escape(piece)
        for index, piece in enumerate(pieces)
    )


def default_rule_url(base: str) -> Callable[[str], str]:
    """``{base}{code-lower}/``: the rule pages' addresses in the handbook layout."""
    return lambda code: f"{base}{code.lower()}/"


def render_explanations(
    analysis: Analysis,
    *,
    id_prefix: str = "dd",
    rules_base_url: str | None = "rules/",
    rule_url: Callable[[str], str] | None = None,
) -> str:
    """An ordered list of the findings, each with its marker number, severity, line link, message and rule link.

    ``rule_url`` (rule code to URL) wins over ``rules_base_url``; with both
    ``None`` the rule is named without a link.
    """
    link = rule_url or (default_rule_url(rules_base_url) if rules_base_url is not None else None)
    numbered = numbered_findings(analysis)
    if not numbered:
        return '<p class="dd-no-findings">Nothing to explain in this Dockerfile: no rule has a finding.</p>'
    items = [_item(number, finding, id_prefix, link) for number, finding in numbered]
    return f'<ol class="dd-explanations">\n{"".join(items)}</ol>'


def _item(number: int, finding: Finding, id_prefix: str, link: Callable[[str], str] | None) -> str:
    severity = html.escape(finding.severity)
    rule_label = f"{html.escape(finding.rule)} {html.escape(finding.name)}"
    rule = f'<a class="dd-rule" href="{html.escape(link(finding.rule), quote=True)}">{rule_label}</a>' if link else f'<span class="dd-rule">{rule_label}</span>'
    buildkit = f' <span class="dd-buildkit">BuildKit: <code>{html.escape(finding.buildkit)}</code></span>' if finding.buildkit else ""
    lines = f"line {finding.line}" if not finding.end_line or finding.end_line == finding.line else f"lines {finding.line}–{finding.end_line}"
    return (
        f'<li class="dd-finding dd-severity-{severity}" id="{id_prefix}-F{number}" value="{number}">'
        f'<a class="dd-backref" href="#{id_prefix}-M{number}" title="back to the code">{number}</a> '
        f'<span class="dd-badge dd-badge-{severity}">{severity}</span> '
        f'<a class="dd-line-link" href="#{id_prefix}-L{finding.line}">{lines}</a> '
        f'<span class="dd-message">{message_html(finding.message)}</span> '
        f"{rule}{buildkit}</li>\n"
    )
