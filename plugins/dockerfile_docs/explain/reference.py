"""The rules reference: one Markdown page a rule, made from the rule's docstring, and an index.

A rule docstring has three parts (see :mod:`.base`): what the rule means
(its first paragraph is the summary), ``Why it matters:`` and ``Example:``
with an ``Anti-pattern:`` and a ``Best practice:`` block. The examples become
````dockerfile`` fences, so the handbook shows them highlighted.
"""

from __future__ import annotations

import inspect
from functools import cache

from ..records import record
from .base import Rule
from .registry import all_rules

GROUP_TITLES: dict[str, str] = {
    "args": "ARG and FROM scoping",
    "stages": "Stages",
    "runtime": "The runtime image",
    "buildkit": "BuildKit build checks",
    "images": "Base images",
}
SECTION_WHY = "Why it matters:"
SECTION_EXAMPLE = "Example:"
LABEL_BAD = "Anti-pattern:"
LABEL_GOOD = "Best practice:"


class RuleDocError(ValueError):
    """A rule docstring without its three parts."""


@record(frozen=True)
class RuleDoc:
    """The parts of a rule docstring."""

    summary: str
    meaning: str
    why: str
    anti_pattern: str
    best_practice: str


@record(frozen=True)
class RulePage:
    """A rule's page in the reference."""

    code: str
    slug: str
    title: str
    name: str
    group: str
    severity: str
    buildkit: str | None
    markdown: str

    @property
    def filename(self) -> str:
        """The page's file in a folder of reference pages (and its path under the plugin's ``rules_reference``)."""
        return f"{self.slug}.md"


def _dedent_block(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return inspect.cleandoc("\n".join(lines)) + "\n" if lines else ""


@cache
def parse_rule_doc(rule: type[Rule]) -> RuleDoc:
    """Split a rule's docstring into its parts; raise :class:`RuleDocError` naming the rule when one is missing."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    lines = doc.splitlines()
    try:
        why_at = lines.index(SECTION_WHY)
        example_at = lines.index(SECTION_EXAMPLE)
        bad_at = lines.index(LABEL_BAD)
        good_at = lines.index(LABEL_GOOD)
    except ValueError as missing:
        raise RuleDocError(f"{rule.code}: the docstring lacks a part ({missing})") from None
    if not why_at < example_at < bad_at < good_at:
        raise RuleDocError(f"{rule.code}: the docstring parts are out of order")
    meaning_text = "\n".join(lines[:why_at]).strip()
    summary, _, meaning = meaning_text.partition("\n\n")
    return RuleDoc(
        summary=" ".join(summary.split()),
        meaning=meaning.strip(),
        why="\n".join(lines[why_at + 1 : example_at]).strip(),
        anti_pattern=_dedent_block(lines[bad_at + 1 : good_at]),
        best_practice=_dedent_block(lines[good_at + 1 :]),
    )


def rule_slug(rule: type[Rule]) -> str:
    return rule.code.lower()


def rule_markdown(rule: type[Rule]) -> str:
    doc = parse_rule_doc(rule)
    facts = [f"**Severity:** {rule.severity}", f"**Group:** {GROUP_TITLES.get(rule.group(), rule.group())}"]
    if rule.buildkit:
        facts.append(f"**BuildKit check:** `{rule.buildkit}`")
    if rule.aliases:
        facts.append("**Also named:** " + ", ".join(f"`{a}`" for a in rule.aliases))
    parts = [
        f"# {rule.code} {rule.name}",
        "",
        doc.summary,
        "",
        " · ".join(facts),
        "",
    ]
    if doc.meaning:
        parts += [doc.meaning, ""]
    parts += [
        "## Why it matters",
        "",
        doc.why,
        "",
        "## Example",
        "",
        "Anti-pattern:",
        "",
        "```dockerfile",
        doc.anti_pattern.rstrip("\n"),
        "```",
        "",
        "Best practice:",
        "",
        "```dockerfile",
        doc.best_practice.rstrip("\n"),
        "```",
        "",
        "## Silencing",
        "",
        (
            f"Above one instruction: `# dockerfile-docs: ignore={rule.code}`; for the whole file: "
            f"`# dockerfile-docs: ignore-file={rule.code}`."
            + _check_skip_sentence(rule)
        ),
        "",
    ]
    return "\n".join(parts)


def _check_skip_sentence(rule: type[Rule]) -> str:
    if not rule.buildkit:
        return ""
    if rule.group() == "buildkit":
        return f" BuildKit's `# check=skip={rule.buildkit}` directive silences it too."
    return (f" BuildKit's `# check=skip={rule.buildkit}` directive silences the findings that BuildKit's own "
            f"`{rule.buildkit}` check would also report.")


def rule_pages() -> list[RulePage]:
    """Every rule's reference page, by code."""
    return [
        RulePage(
            code=rule.code,
            slug=rule_slug(rule),
            title=f"{rule.code} {rule.name}",
            name=rule.name,
            group=rule.group(),
            severity=rule.severity,
            buildkit=rule.buildkit,
            markdown=rule_markdown(rule),
        )
        for rule in all_rules()
    ]


def rules_index_markdown(link_prefix: str = "", *, link_suffix: str = "/") -> str:
    """A Markdown table of all rules, one section a group; links are ``{link_prefix}{slug}{link_suffix}``.

    A site generator wants ``link_suffix=".md"``: it checks links to pages
    and turns them into URLs of whatever style the site uses.
    """
    intro = (
        "Every finding in the handbook comes from one of these rules. "
        "A rule can be silenced per instruction or per file; see each rule's page."
    )
    parts = ["# Rules", "", intro, ""]
    rules = all_rules()
    groups = [g for g in GROUP_TITLES if any(r.group() == g for r in rules)]
    groups += sorted({r.group() for r in rules} - set(groups))
    for group in groups:
        parts += [f"## {GROUP_TITLES.get(group, group)}", "", "| Rule | Name | Severity | BuildKit check | What it says |",
                  "| --- | --- | --- | --- | --- |"]
        for rule in rules:
            if rule.group() != group:
                continue
            summary = parse_rule_doc(rule).summary.replace("|", "\\|")
            buildkit = f"`{rule.buildkit}`" if rule.buildkit else ""
            parts.append(f"| [{rule.code}]({link_prefix}{rule_slug(rule)}{link_suffix}) | `{rule.name}` | {rule.severity} | {buildkit} | {summary} |")
        parts.append("")
    return "\n".join(parts)


REFERENCE_INDEX = "index.md"
GENERATED_MARK = "<!-- Generated by dockerfile-docs from the rule docstrings: edits here are overwritten. -->"
"""The first line of a written reference page: what ``rules --write-pages`` may replace."""


def reference_files(pages: list[RulePage] | None = None) -> dict[str, str]:
    """The rules reference as Markdown files of one folder: ``index.md`` and ``<slug>.md`` per rule.

    The same files the MkDocs plugin generates, for sites that run no MkDocs
    plugins (Zensical, Python-Markdown alone) and write them with
    ``dockerfile-docs rules --write-pages``. ``pages`` are the rule pages when
    the caller has them already (:func:`rule_pages`).
    """
    files = {REFERENCE_INDEX: rules_index_markdown(link_suffix=".md")}
    for page in rule_pages() if pages is None else pages:
        files[page.filename] = page.markdown
    return files
