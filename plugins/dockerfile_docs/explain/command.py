"""``dockerfile-docs rules [RULE]``: list the explanation rules, or print one rule's page."""

from __future__ import annotations

import argparse
import sys

from ..errors import DockerfileDocsError
from .reference import parse_rule_doc, rule_markdown
from .registry import all_rules, find_rule


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", metavar="RULE", help="a rule code, name or BuildKit check name: print its page")
    parser.add_argument("--format", choices=("text", "markdown"), default="text", help="the list as aligned text (default) or a Markdown table")


def run(args: argparse.Namespace) -> int:
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
