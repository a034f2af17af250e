from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class DuplicateStageName(Rule):
    """Two stages with the same name (names compare without regard to case).

    BuildKit builds such a file, but the name then means the *last* stage
    that has it: `COPY --from=name`, `FROM name` after it and `--target name`
    all pick that one; the earlier stage is reachable only by its index.
    BuildKit's check: *Stage names should be unique*.

    Why it matters:
    Copy-pasting a stage and forgetting to rename it makes later `--from`
    silently take files from the wrong stage.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS build
        RUN echo one > /out
        FROM busybox:1.36 AS build
        RUN echo two > /out

    Best practice:

        FROM busybox:1.36 AS build-one
        RUN echo one > /out
        FROM busybox:1.36 AS build-two
        RUN echo two > /out
    """

    code = "DD403"
    name = "duplicate-stage-name"
    groups = ("buildkit", "stages")
    severity = "warning"
    buildkit = "DuplicateStageName"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        first: dict[str, int] = {}
        for stage in analysis.stages:
            if not stage.name:
                continue
            key = stage.name.lower()
            if key in first:
                earlier = analysis.stages[first[key]]
                yield self.finding(
                    stage.from_line,
                    f"Stage name `{stage.name}` is already used by the stage on line {earlier.from_line}: from here on "
                    f"`--from={stage.name}`, `FROM {key}` and `--target {stage.name}` mean this stage; the earlier one is "
                    f"reachable only as `--from={earlier.index}`.",
                )
            first[key] = stage.index
