"""The annotated listing: the Dockerfile as highlighted code, a line anchor each, markers for findings.

Highlighting comes from the project's own small tokenizer over the parsed
instructions (so it knows which lines are comments, directives, heredoc
bodies, flags), emitting Pygments' short class names (``k``, ``s2``, ``nv``,
...) inside ``<div class="highlight"><pre><code>``: mkdocs-material and any
Pygments stylesheet colour it, and the plain ``mkdocs`` theme still shows
readable monospace. Each line is ``<span id="{prefix}-L{n}">`` with a line
number link; a line a finding explains ends with numbered markers linking to
``#{prefix}-F{k}`` (and the explanation links back to ``#{prefix}-M{k}``).
No JavaScript; every character from the Dockerfile is escaped.
"""

from __future__ import annotations

import html
import re

from ..model import Analysis, Finding, Instruction
from ..records import field, record
from .explanations import numbered_findings
from .text import reveal_invisible

LISTING_CSS = """
.dd-listing code { counter-reset: none; }
.dd-listing code { white-space: pre-wrap; overflow-wrap: anywhere; }
.dd-listing .dd-line { display: inline-block; min-width: 100%; padding-left: 4ch; text-indent: -4ch; box-sizing: border-box; }
.dd-listing .dd-line:target { background: var(--md-code-hl-color, rgba(255, 213, 0, .25)); }
.dd-listing .dd-ln { display: inline-block; width: 3ch; margin-right: 1ch; text-align: right;
  color: var(--md-default-fg-color--light, #6e7781); text-decoration: none; user-select: none; }
.dd-listing .dd-marker { display: inline-block; min-width: 1.4em; margin-left: .6em; padding: 0 .3em;
  border-radius: .7em; font-size: .75em; text-align: center; text-decoration: none; user-select: none;
  color: #fff; background: #6e7781; }
.dd-listing .dd-marker.dd-severity-error { background: #cf222e; }
.dd-listing .dd-marker.dd-severity-warning { background: #9a6700; }
.dd-listing .dd-marker.dd-severity-info { background: #0969da; }
.dd-listing .dd-marker.dd-severity-explain { background: #6e7781; }
ol.dd-explanations, .md-typeset ol.dd-explanations { list-style: none; padding-left: 0; margin-left: 0; }
.md-typeset ol.dd-explanations > li { margin-left: 0; }
.dd-explanations .dd-finding:target { outline: 2px solid var(--md-accent-fg-color, #0969da); }
.dd-explanations .dd-backref { font-weight: bold; text-decoration: none; }
.dd-explanations .dd-badge { display: inline-block; padding: 0 .4em; border-radius: .3em; font-size: .75em;
  text-transform: uppercase; color: #fff; background: #6e7781; }
.dd-explanations .dd-badge-error { background: #cf222e; }
.dd-explanations .dd-badge-warning { background: #9a6700; }
.dd-explanations .dd-badge-info { background: #0969da; }
.dd-explanations .dd-rule, .dd-explanations .dd-buildkit { font-size: .85em; }
"""
"""Styles for the listing and the explanations; pages include it once (no external resource)."""

HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
EXEC_FORM_PUNCTUATION = "[],"
_VARIABLE = re.compile(r"\$(?:\{[^}\s]*\}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")

Token = tuple[str | None, str]


@record
class _ScanState:
    """What carries over from one physical line of an instruction to the next."""

    keyword: str
    escape: str
    exec_form: bool
    quote: str | None = None
    in_flags: bool = True
    words_seen: int = 0
    pending: list[Token] = field(default_factory=list)


def _line_roles(analysis: Analysis) -> dict[int, tuple[str, Instruction | None]]:
    """Each line number's role: directive, comment, instruction, heredoc body or heredoc end."""
    dockerfile = analysis.dockerfile
    roles: dict[int, tuple[str, Instruction | None]] = {}
    for directive in dockerfile.directives:
        roles[directive.line] = ("directive", None)
    for comment in dockerfile.comments:
        roles[comment.line] = ("comment", None)
    for instruction in dockerfile.instructions:
        body_lines: set[int] = set()
        for heredoc in instruction.heredocs:
            for line in range(heredoc.start_line, heredoc.end_line):
                roles[line] = ("heredoc", instruction)
                body_lines.add(line)
            roles[heredoc.end_line] = ("heredoc-end", instruction)
            body_lines.add(heredoc.end_line)
        for line in range(instruction.start_line, instruction.end_line + 1):
            if line not in body_lines and line not in roles:
                roles[line] = ("instruction", instruction)
    return roles


def _scan(text: str, state: _ScanState, *, first_line: bool) -> list[Token]:
    """Tokens of one physical line of an instruction."""
    tokens: list[Token] = []
    index = 0
    length = len(text)
    if first_line:
        stripped = text.lstrip()
        lead = text[: length - len(stripped)]
        keyword = stripped.split(None, 1)[0] if stripped else ""
        tokens += [(None, lead), ("k", keyword)]
        index = len(lead) + len(keyword)
    escape = state.escape
    while index < length:
        char = text[index]
        if state.quote == "'":
            end = text.find("'", index)
            stop = length if end < 0 else end + 1
            tokens.append(("s1", text[index:stop]))
            if end >= 0:
                state.quote = None
            index = stop
            continue
        if char == escape:
            if not text[index + 1:].strip():
                tokens.append(("se", text[index:]))
                break
            tokens.append(("se" if state.quote is None else "s2", text[index:index + 2]))
            index += 2
            continue
        if char == "$":
            match = _VARIABLE.match(text, index)
            if match:
                tokens.append(("nv", match.group(0)))
                index = match.end()
                continue
        if state.quote == '"':
            if char == '"':
                state.quote = None
                tokens.append(("s2", char))
                index += 1
                continue
            stop = index + 1
            while stop < length and text[stop] not in ('"', "$", escape):
                stop += 1
            tokens.append(("s2", text[index:stop]))
            index = stop
            continue
        if char in " \t":
            stop = index
            while stop < length and text[stop] in " \t":
                stop += 1
            tokens.append((None, text[index:stop]))
            index = stop
            continue
        if char in "\"'":
            state.quote = char
            tokens.append(("s2" if char == '"' else "s1", char))
            index += 1
            continue
        if state.exec_form and char in EXEC_FORM_PUNCTUATION:
            tokens.append(("p", char))
            index += 1
            continue
        stop = index + 1
        while stop < length and text[stop] not in " \t\"'$" and text[stop] != escape and not (state.exec_form and text[stop] in EXEC_FORM_PUNCTUATION):
            stop += 1
        tokens += _word(text[index:stop], state)
        index = stop
    return tokens


def _word(word: str, state: _ScanState) -> list[Token]:
    if state.in_flags and word.startswith("--"):
        name, sep, value = word.partition("=")
        return [("na", name)] + ([("o", sep), (None, value)] if sep else [])
    state.in_flags = False
    state.words_seen += 1
    if state.keyword in HEREDOC_KEYWORDS and re.match(r"^\d*<<-?", word):
        return [("sh", word)]
    if state.keyword == "FROM" and state.words_seen == 2 and word.lower() == "as":
        return [("k", word)]
    if state.keyword == "FROM" and state.words_seen == 3:
        return [("nl", word)]
    return [(None, word)]


def _merged(tokens: list[Token]) -> list[Token]:
    merged: list[Token] = []
    for cls, text in tokens:
        if not text:
            continue
        if merged and merged[-1][0] == cls and cls not in ("k", "nv"):
            merged[-1] = (cls, merged[-1][1] + text)
        else:
            merged.append((cls, text))
    return merged


def _shown(text: str) -> str:
    """Listing text escaped for HTML, with invisible and bidi control characters made visible."""
    return html.escape(reveal_invisible(text))


def _html(tokens: list[Token]) -> str:
    tokens = _merged(tokens)
    return "".join(_shown(text) if cls is None else f'<span class="{cls}">{_shown(text)}</span>' for cls, text in tokens if text)


def highlight_lines(analysis: Analysis) -> list[str]:
    """The Dockerfile's lines as highlighted HTML, one string a line (escaped)."""
    lines = analysis.dockerfile.text.splitlines()
    roles = _line_roles(analysis)
    states: dict[int, _ScanState] = {}
    out: list[str] = []
    for number, text in enumerate(lines, start=1):
        role, instruction = roles.get(number, ("blank", None))
        if role == "directive":
            out.append(f'<span class="cp">{_shown(text)}</span>')
        elif role == "comment":
            out.append(f'<span class="c1">{_shown(text)}</span>' if text.strip() else _shown(text))
        elif role == "heredoc":
            out.append(f'<span class="sh">{_shown(text)}</span>' if text else "")
        elif role == "heredoc-end":
            out.append(f'<span class="sh">{_shown(text)}</span>')
        elif role == "instruction" and instruction is not None and text.strip():
            state = states.get(instruction.start_line)
            first = state is None
            if state is None:
                state = _ScanState(instruction.keyword, analysis.dockerfile.escape, instruction.json_args is not None)
                states[instruction.start_line] = state
            out.append(_html(_scan(text, state, first_line=first)))
        else:
            out.append(_shown(text))
    return out


def _marker(number: int, finding: Finding, id_prefix: str, *, linked: bool) -> str:
    title = html.escape(reveal_invisible(f"{finding.severity}: {finding.message.replace('`', '')}"), quote=True)
    severity = html.escape(finding.severity)
    if not linked:
        return f'<span class="dd-marker dd-severity-{severity}" title="{title}">{number}</span>'
    return (
        f'<a class="dd-marker dd-severity-{severity}" id="{id_prefix}-M{number}" '
        f'href="#{id_prefix}-F{number}" title="{title}">{number}</a>'
    )


def render_listing(analysis: Analysis, *, id_prefix: str = "dd", link_findings: bool = True) -> str:
    """The Dockerfile as highlighted HTML with line anchors and finding markers (see the module docstring).

    With ``link_findings`` false (no explanations beside the listing) the
    markers carry the message as a tooltip and link nowhere.
    """
    lines = highlight_lines(analysis) or [""]
    markers: dict[int, list[str]] = {}
    for number, finding in numbered_findings(analysis):
        line = min(max(finding.line, 1), len(lines))
        markers.setdefault(line, []).append(_marker(number, finding, id_prefix, linked=link_findings))
    rows = []
    for number, code in enumerate(lines, start=1):
        anchor = f"{id_prefix}-L{number}"
        marks = f'<span class="dd-markers">{"".join(markers[number])}</span>' if number in markers else ""
        rows.append(
            f'<span class="dd-line" id="{anchor}"><a class="dd-ln" href="#{anchor}">{number}</a>'
            f'<span class="dd-code">{code}</span>{marks}</span>'
        )
    return '<div class="highlight dd-listing"><pre><span></span><code class="nohighlight">' + "\n".join(rows) + "</code></pre></div>"
