"""A Dockerfile's diagram, listing and explanations as Markdown, for wikis and READMEs.

The diagram is a ``mermaid`` fence by default (GitHub, GitLab, Azure DevOps
and most wikis draw those themselves, in their own colour scheme), or an
image link to the SVG file written beside the Markdown, or the portable
inline SVG for renderers that keep raw SVG. GitHub's sanitizer removes
inline ``<svg>`` and shows ``<style>`` as text, so neither is the default.
The listing is a ``dockerfile`` fence long enough that no backtick run
inside the file can close it. Explanations are a list whose text is escaped
for both Markdown and HTML, since it quotes the file; their `code` spans
stay code spans.
"""

from __future__ import annotations

import re
from typing import Literal

from ..model import SEVERITY_ORDER, Analysis, Finding

DiagramFormat = Literal["mermaid", "image", "svg", "none"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape_markdown(text: str) -> str:
    """Text that renders literally in CommonMark/GFM: Markdown punctuation backslashed, HTML neutralised."""
    text = "".join(_HTML_SPECIAL.get(char, char) for char in text)
    return " ".join(_MARKDOWN_SPECIAL.sub(r"\\\1", text).split())


def code_fence(body: str, info: str = "") -> str:
    """A backtick fence around ``body`` that the body itself cannot close."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    if not body.endswith("\n"):
        body += "\n"
    return f"{fence}{info}\n{body}{fence}\n"


def render_markdown(
    analysis: Analysis,
    *,
    diagram: DiagramFormat = "mermaid",
    title: str | None = None,
    rule_url: str | None = None,
    image: str | None = None,
) -> str:
    """Markdown with a heading, the diagram, the Dockerfile and one list item per finding.

    ``rule_url`` is a base URL; when given, each rule code links to its
    reference page ``{rule_url}{slug}/`` (the slug is the lower-case code).
    With ``diagram="image"``, ``image`` is the diagram file's URL (relative
    to the Markdown file).
    """
    sections: list[str] = []
    heading = title or analysis.dockerfile.path or "Dockerfile"
    sections.append(f"## {escape_markdown(heading)}\n")
    summary = _summary(analysis)
    if summary:
        sections.append(summary + "\n")
    if diagram == "image":
        if image is None:
            raise ValueError("diagram='image' needs the image's URL")
        alt = escape_markdown(f"Build stages of {heading}")
        sections.append(f"![{alt}](<{image.replace('>', '%3E')}>)\n")
    elif diagram == "svg":
        from .svg import render_diagram

        svg = render_diagram(analysis, id_prefix="dd", link_lines=False, portable=True).strip()
        # Inside a block-level <div> the SVG is raw HTML to Markdown; alone, its text would be read as Markdown.
        body = "\n".join(line for line in svg.splitlines() if line.strip())
        sections.append(f'<div class="dd-diagram-block">\n{body}\n</div>\n')
    elif diagram == "mermaid":
        from .mermaid import render_mermaid

        sections.append(code_fence(render_mermaid(analysis).rstrip("\n"), "mermaid"))
    sections.append(code_fence(analysis.dockerfile.text, "dockerfile"))
    findings = sorted(analysis.findings, key=lambda f: (f.line, SEVERITY_ORDER.get(f.severity, 9), f.rule))
    if findings:
        sections.append("### Explanations\n\n" + "".join(_finding_item(f, rule_url) for f in findings))
    return "\n".join(sections)


def _summary(analysis: Analysis) -> str:
    target = analysis.target_stage
    stages = len(analysis.stages)
    noun = "stage" if stages == 1 else "stages"
    return f"{stages} {noun}; target: **{escape_markdown(target.label)}**."


def _finding_item(finding: Finding, rule_url: str | None) -> str:
    lines = f"{finding.line}" if not finding.end_line or finding.end_line == finding.line else f"{finding.line}–{finding.end_line}"
    code = escape_markdown(finding.rule)
    if rule_url:
        code = f"[{code}]({rule_url}{finding.rule.lower()}/)"
    label = f"{code} {escape_markdown(finding.name)}"
    return f"- **Line {lines}** ({finding.severity}, {label}): {markdown_message(finding.message)}\n"


def markdown_message(message: str) -> str:
    """A finding message as Markdown: its `code` spans kept as code spans, the rest escaped to read literally."""
    pieces = message.split("`")
    if len(pieces) % 2 == 0:
        return escape_markdown(message)
    return "".join(_code_span(piece) if index % 2 else _escaped_keeping_edges(piece) for index, piece in enumerate(pieces))


def _escaped_keeping_edges(text: str) -> str:
    """:func:`escape_markdown`, keeping one space where the text began or ended with one (a code span sits there)."""
    escaped = escape_markdown(text)
    if not escaped:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + escaped + (" " if text[-1:].isspace() else "")


def _code_span(text: str) -> str:
    text = " ".join(text.replace("\r", " ").split("\n"))
    if not text.strip():
        return escape_markdown(text) or "` `"
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else text
    return f"`{padded}`"
