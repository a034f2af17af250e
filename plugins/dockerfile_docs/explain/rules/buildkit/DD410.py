from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from ....model import Analysis, Finding
from ...base import Rule

ONCE = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


class MultipleInstructionsDisallowed(Rule):
    """More than one CMD, ENTRYPOINT or HEALTHCHECK in one stage.

    Each of these sets one field of the image config; a later one replaces
    the earlier, so only the last in a stage counts. BuildKit's check:
    *Multiple instructions of the same type should not be used in the same
    stage*. The finding is on the instruction that is ignored.

    Why it matters:
    Reading top to bottom suggests both run. Only the last does.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        CMD ["echo", "migrate"]
        CMD ["echo", "serve"]

    Best practice:

        FROM busybox:1.36
        CMD ["sh", "-c", "echo migrate && echo serve"]
    """

    code = "DD410"
    name = "multiple-instructions-disallowed"
    groups = ("buildkit", "runtime")
    severity = "warning"
    buildkit = "MultipleInstructionsDisallowed"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            for keyword in ONCE:
                found = [i for i in stage.instructions if i.keyword == keyword]
                for ignored, replacing in pairwise(found):
                    yield self.finding(
                        ignored.start_line,
                        f"This {keyword} is ignored: the {keyword} on line {replacing.start_line} replaces it, "
                        f"and only the last {keyword} in a stage counts.",
                    )
