from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class ConsistentInstructionCasing(Rule):
    """An instruction keyword cased unlike most of the file (`run` among `RUN`s, or `Run`).

    BuildKit accepts keywords in any case. Its check *All commands within
    the Dockerfile should use the same casing (either upper or lower)* counts
    the upper- and lower-case keywords and flags the ones that differ from
    the majority, and every mixed-case one.

    Why it matters:
    Only readability, but a consistent case makes instructions easy to scan.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        run echo hello
        COPY . /src

    Best practice:

        FROM busybox:1.36
        RUN echo hello
        COPY . /src
    """

    code = "DD419"
    name = "consistent-instruction-casing"
    groups = ("buildkit",)
    severity = "info"
    buildkit = "ConsistentInstructionCasing"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        instructions = [i for i in analysis.dockerfile.instructions if i.stage >= 0]
        lower = sum(1 for i in instructions if i.written_keyword == i.written_keyword.lower())
        upper = sum(1 for i in instructions if i.written_keyword == i.written_keyword.upper())
        majority_lower = lower > upper
        for instruction in instructions:
            written = instruction.written_keyword
            wanted = written.lower() if majority_lower else written.upper()
            if written != wanted:
                yield self.finding(
                    instruction.start_line,
                    f"`{written}` should be `{wanted}`, like {max(lower, upper)} of the {len(instructions)} instructions in this file.",
                )
