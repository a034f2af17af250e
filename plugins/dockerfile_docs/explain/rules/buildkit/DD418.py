from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class NoEmptyContinuation(Rule):
    r"""An empty line inside a multi-line instruction.

    A line ending with `\` continues on the next line; BuildKit drops empty
    lines in between, but warns: *Empty continuation lines will become errors
    in a future release*. BuildKit reports it once per instruction, at the
    instruction's last line.

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
            empty = instruction.empty_continuation_lines
            if not empty:
                continue
            last_line = instruction.heredocs[0].start_line - 1 if instruction.heredocs else instruction.end_line
            lines = ", ".join(str(line) for line in empty)
            yield self.finding(
                last_line,
                f"Empty line{'s' if len(empty) > 1 else ''} ({lines}) inside the {instruction.keyword} that starts on line "
                f"{instruction.start_line}: BuildKit joins over {'them' if len(empty) > 1 else 'it'} for now, but this "
                f"will become an error. Remove {'them' if len(empty) > 1 else 'the line'} (or the `\\` before).",
            )
