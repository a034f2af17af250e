from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import stage_title


class StageNotNeeded(Rule):
    """A stage the build target does not need, which BuildKit skips.

    BuildKit builds only the stages the target reaches: its own chain of
    FROM stages and every stage it copies from or mounts, recursively. Other
    stages are not built at all (the classic builder used to build them).

    Why it matters:
    A RUN in a skipped stage never runs, so its tests do not guard the image
    and its side effects do not happen. Build such a stage with `--target`.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS test
        RUN echo "running the tests"
        FROM busybox:1.36 AS runtime
        CMD ["true"]

    Best practice:

        FROM busybox:1.36 AS test
        RUN echo "running the tests" > /tests-passed
        FROM busybox:1.36 AS runtime
        COPY --from=test /tests-passed /tests-passed
        CMD ["true"]
    """

    code = "DD202"
    name = "stage-not-needed"
    aliases = ("unused-stage",)
    groups = ("stages",)
    severity = "info"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        target = analysis.target_stage
        for stage in analysis.stages:
            if stage.needed:
                continue
            how = f"`--target {stage.name}`" if stage.name else "a `--target` (give it a name with `AS`)"
            yield self.finding(
                stage.from_line,
                f"BuildKit skips stage {stage_title(stage)} when building stage {stage_title(target)}: nothing the target "
                f"needs comes from it, so its instructions do not run. Build it with {how}.",
            )
