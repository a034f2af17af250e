"""``dockerfile-docs rules [RULE]``: list the explanation rules, print one rule's page, or write the reference."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import DockerfileDocsError
from .reference import parse_rule_doc, rule_markdown
from .registry import all_rules, find_rule


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", metavar="RULE", help="a rule code, name or BuildKit check name: print its page")
    parser.add_argument("--format", choices=("text", "markdown"), default="text", help="the list as aligned text (default) or a Markdown table")
    parser.add_argument(
        "--write-pages",
        type=Path,
        metavar="DIR",
        help="write the rules reference (index.md and a page per rule) into DIR, for sites that run no MkDocs plugin",
    )


def run(args: argparse.Namespace) -> int:
    if args.write_pages is not None:
        if args.rule:
            raise DockerfileDocsError("--write-pages writes every rule's page: give no RULE with it")
        return write_pages(args.write_pages)
    if args.rule:
        rule = find_rule(args.rule)
        if rule is None:
            from .facts import suggestion

            known = [r.code for r in all_rules()] + [r.name for r in all_rules()] + [r.buildkit for r in all_rules() if r.buildkit]
            close = suggestion(args.rule, known)
            hint = f" (did you mean {close}?)" if close else "; `dockerfile-docs rules` lists them"
            raise DockerfileDocsError(f"no rule is called {args.rule!r}{hint}")
        sys.stdout.write(rule_markdown(rule))
        return 0
    if args.format == "markdown":
        from .reference import rules_index_markdown

        sys.stdout.write(rules_index_markdown())
        return 0
    rows = [(r.code, r.name, r.severity, r.group(), r.buildkit or "", parse_rule_doc(r).summary) for r in all_rules()]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        sys.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:5])) + "  " + row[5] + "\n")
    return 0


def write_pages(directory: Path) -> int:
    """Write the reference pages, replacing only files this command wrote before (they carry its mark).

    Nothing is written when any page would replace a file of someone else's:
    the error names them all.
    """
    from .reference import GENERATED_MARK, reference_files

    pages = {directory / name: f"{GENERATED_MARK}\n{markdown}" for name, markdown in reference_files().items()}
    foreign = [path for path in pages if path.exists() and not _written_by_us(path, GENERATED_MARK)]
    if foreign:
        names = ", ".join(str(path) for path in foreign)
        raise DockerfileDocsError(f"not overwriting files that dockerfile-docs did not write: {names}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        changed = 0
        for path, markdown in pages.items():
            if path.exists() and path.read_text(encoding="utf-8") == markdown:
                continue
            path.write_text(markdown, encoding="utf-8")
            changed += 1
    except OSError as error:
        raise DockerfileDocsError(f"{error.filename or directory}: cannot write the rules reference: {error.strerror or error}") from None
    stale = sorted(
        path.name for path in directory.glob("*.md") if path not in pages and _written_by_us(path, GENERATED_MARK)
    )
    sys.stdout.write(f"{directory}: the rules index and {len(pages) - 1} rule pages, {changed} written, {len(pages) - changed} unchanged\n")
    if stale:
        sys.stdout.write(f"{directory}: no rule has these pages any more (left in place): {', '.join(stale)}\n")
    return 0


def _written_by_us(path: Path, mark: str) -> bool:
    try:
        with path.open(encoding="utf-8") as handle:
            return handle.readline().rstrip("\n") == mark
    except (OSError, UnicodeDecodeError):
        return False
