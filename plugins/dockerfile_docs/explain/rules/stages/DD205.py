from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import stage_title


class CopyFromLaterStage(Rule):
    """`COPY --from` naming a stage defined further down the Dockerfile.

    A stage can copy only from stages defined above it. A build that needs
    the copying stage fails with `cannot copy from stage "x", it needs to be
    defined before current stage`: then this finding is an error and stands
    for that build failure (DD001 does not repeat it). A build whose target
    does not need it succeeds, which hides the problem until someone builds
    that stage.

    Why it matters:
    `docker build --target` of that stage, or a later change that makes the
    target need it, stops the build at this line. Move the source stage
    above, so that each stage comes after everything it copies from.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS runtime
        COPY --from=build /out /out
        FROM busybox:1.36 AS build
        RUN echo built > /out

    Best practice:

        FROM busybox:1.36 AS build
        RUN echo built > /out
        FROM busybox:1.36 AS runtime
        COPY --from=build /out /out
    """

    code = "DD205"
    name = "copy-from-later-stage"
    groups = ("stages",)
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for edge in analysis.edges:
            if edge.kind != "copy" or not isinstance(edge.source, int) or edge.source < edge.target:
                continue
            source, target = analysis.stages[edge.source], analysis.stages[edge.target]
            build = f"`--target {target.name}`" if target.name else "a target that needs it"
            skipped = "this build skips it, but " if not target.needed else ""
            yield self.finding(
                edge.line,
                f"Stage {stage_title(target)} copies from stage {stage_title(source)}, which is defined later "
                f"(line {source.from_line}): {skipped}building it ({build}) fails with `cannot copy from stage "
                f"\"{source.label}\", it needs to be defined before current stage`. Move stage {stage_title(source)} "
                f"above line {target.from_line}.",
                severity="error" if target.needed else None,
            )
