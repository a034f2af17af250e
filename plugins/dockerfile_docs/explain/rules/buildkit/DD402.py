from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class FromAsCasing(Rule):
    """`FROM ... as name` or `from ... AS name`: the `AS` keyword cased unlike `FROM`.

    BuildKit accepts any case, but its check *The 'as' keyword should match
    the case of the 'from' keyword* flags the mix.

    Why it matters:
    Only readability: a consistent keyword case makes the stage names stand
    out.

    Example:
    Anti-pattern:

        FROM busybox:1.36 as build
        RUN true

    Best practice:

        FROM busybox:1.36 AS build
        RUN true
    """

    code = "DD402"
    name = "from-as-casing"
    groups = ("buildkit", "stages")
    severity = "info"
    buildkit = "FromAsCasing"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for instruction in analysis.dockerfile.instructions:
            if instruction.keyword != "FROM":
                continue
            words = instruction.arguments.split()
            if len(words) < 3:
                continue
            keyword, as_word = instruction.written_keyword, words[1]
            if keyword == keyword.lower() and as_word != as_word.lower():
                wanted = "as"
            elif keyword == keyword.upper() and as_word != as_word.upper():
                wanted = "AS"
            else:
                continue
            yield self.finding(
                instruction.start_line,
                f"`{as_word}` and `{keyword}` are cased differently: write `{keyword} ... {wanted} {words[2]}`.",
            )
