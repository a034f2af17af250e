from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule

RESERVED = {
    "scratch": "the empty base image: a later `FROM scratch` would build on this stage instead",
    "context": "the build context, which `--from=context` and named contexts refer to",
}


class ReservedStageName(Rule):
    """A stage named `scratch` or `context`, words BuildKit already gives a meaning.

    `scratch` is the empty image and `context` the build context. A stage
    with one of these names shadows that meaning for the rest of the file.
    BuildKit's check: *Reserved words should not be used as stage names*.

    Why it matters:
    `FROM scratch` below such a stage no longer starts from an empty image,
    which quietly makes a minimal image large.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS scratch
        RUN true

    Best practice:

        FROM busybox:1.36 AS workspace
        RUN true
    """

    code = "DD404"
    name = "reserved-stage-name"
    groups = ("buildkit", "stages")
    severity = "warning"
    buildkit = "ReservedStageName"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            if stage.name and stage.name.lower() in RESERVED:
                yield self.finding(
                    stage.from_line,
                    f"Stage name `{stage.name}` is reserved: it names {RESERVED[stage.name.lower()]}. Pick another name.",
                )
