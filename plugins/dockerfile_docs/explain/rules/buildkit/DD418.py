from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class NoEmptyContinuation(Rule):
    r"""An empty line inside a multi-line instruction.

    A line ending with `\` continues on the next line; BuildKit drops empty
    lines in between, but warns: *Empty continuation lines will become errors
    in a future release*.

    Why it matters:
    An empty line usually means a `\` was left behind by an edit: the next
    instruction may have been meant to stand on its own.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        RUN echo one && \

            echo two

    Best practice:

        FROM busybox:1.36
        RUN echo one && \
            echo two
    """

    code = "DD418"
    name = "no-empty-continuation"
    groups = ("buildkit",)
    severity = "warning"
    buildkit = "NoEmptyContinuation"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for instruction in analysis.dockerfile.instructions:
            for line in instruction.empty_continuation_lines:
                yield self.finding(
                    line,
                    f"Empty line inside the {instruction.keyword} that starts on line {instruction.start_line}: BuildKit "
                    f"joins over it for now, but this will become an error. Remove the line (or the `\\` before it).",
                )
