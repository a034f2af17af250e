from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class StageNameCasing(Rule):
    """A stage name with capital letters.

    BuildKit keeps stage names in lower case: `COPY --from` and `--target`
    match them in any case, but `FROM name` matches only the lower-case
    spelling. BuildKit's check: *Stage names should be lowercase*.

    Why it matters:
    `FROM Builder` then fails to find stage `Builder`, and one name spelled
    two ways reads as two stages.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS Builder
        RUN true

    Best practice:

        FROM busybox:1.36 AS builder
        RUN true
    """

    code = "DD401"
    name = "stage-name-casing"
    groups = ("buildkit", "stages")
    severity = "info"
    buildkit = "StageNameCasing"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            if stage.name and stage.name != stage.name.lower():
                yield self.finding(
                    stage.from_line,
                    f"Stage name `{stage.name}` should be lower case (`{stage.name.lower()}`): BuildKit stores it that "
                    f"way, and only `FROM {stage.name.lower()}` finds the stage.",
                )
