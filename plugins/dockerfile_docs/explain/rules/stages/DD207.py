from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class FromLaterStage(Rule):
    """A stage built FROM an image with the same name as a later stage.

    FROM names resolve to stages defined *above*; a FROM naming a stage
    defined further down is an image reference, not that stage.

    Why it matters:
    BuildKit pulls an image of that name instead of building the stage, which
    fails without a registry image of that name, or silently uses the wrong
    image when one exists.

    Example:
    Anti-pattern:

        FROM base AS app
        RUN true
        FROM busybox:1.36 AS base
        RUN true

    Best practice:

        FROM busybox:1.36 AS base
        RUN true
        FROM base AS app
        RUN true
    """

    code = "DD207"
    name = "from-later-stage"
    groups = ("stages",)
    severity = "error"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            if stage.base_stage is not None:
                continue
            for later in analysis.stages[stage.index + 1:]:
                if later.name and later.name.lower() == stage.base_resolved.lower():
                    yield self.finding(
                        stage.from_line,
                        f"`FROM {stage.base_resolved}` cannot use stage `{later.name}`: that stage is defined later "
                        f"(line {later.from_line}), so BuildKit pulls an image called `{stage.base_resolved}` instead. "
                        f"Move stage `{later.name}` above line {stage.from_line}.",
                    )
                    break
