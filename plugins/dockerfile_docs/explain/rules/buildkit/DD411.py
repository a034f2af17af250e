from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import is_legacy_key_value


class LegacyKeyValueFormat(Rule):
    """`ENV key value` or `LABEL key value`: the legacy form without `=`.

    In the legacy form the first word is the key and *everything* after the
    first space is the value, quotes and spaces included, and only one pair
    fits on a line. BuildKit's check: *Legacy key/value format with
    whitespace separator should not be used*.

    Why it matters:
    `ENV A 1 B 2` sets `A` to `1 B 2`, not two variables.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ENV APP_HOME /app

    Best practice:

        FROM busybox:1.36
        ENV APP_HOME=/app
    """

    code = "DD411"
    name = "legacy-key-value-format"
    groups = ("buildkit",)
    severity = "info"
    buildkit = "LegacyKeyValueFormat"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for instruction in analysis.dockerfile.instructions:
            if not is_legacy_key_value(instruction, escape):
                continue
            key, _, value = instruction.arguments.partition(" ")
            value = value.strip()
            quoted = value if value.startswith(("'", '"')) or " " not in value else f"\"{value}\""
            yield self.finding(
                instruction.start_line,
                f"`{instruction.keyword} {key} {value}` is the legacy form: it sets `{key}` to everything after the first "
                f"space (`{value}`); write `{instruction.keyword} {key}={quoted}`.",
            )
