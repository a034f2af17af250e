from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import scope_at, stage_chain, words_of


class WorkdirRelativePath(Rule):
    """The first WORKDIR of a stage chain is a relative path.

    A relative WORKDIR is joined to the current working directory, which at
    the first WORKDIR comes from the base image. BuildKit's check: *Relative
    workdir without an absolute workdir declared within the build can have
    unexpected results if the base image changes*.

    Why it matters:
    `WORKDIR app` is `/app` on one base image and `/usr/src/app` on another;
    COPY and RUN then work in a directory the Dockerfile never names.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        WORKDIR app

    Best practice:

        FROM busybox:1.36
        WORKDIR /app
    """

    code = "DD408"
    name = "workdir-relative-path"
    groups = ("buildkit",)
    severity = "warning"
    buildkit = "WorkdirRelativePath"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for stage in analysis.stages:
            chain = stage_chain(analysis, stage)
            earlier = [i for link in chain[:-1] for i in link.instructions if i.keyword == "WORKDIR"]
            if earlier:
                continue
            first = next((i for i in stage.instructions if i.keyword == "WORKDIR"), None)
            if first is None:
                continue
            words = words_of(first, scope_at(analysis, first.start_line), escape)
            path = " ".join(words)
            if not path or path.startswith("/"):
                continue
            base = "`/` (scratch)" if chain[0].is_scratch else f"the working directory of `{chain[0].base_resolved}`"
            yield self.finding(
                first.start_line,
                f"`WORKDIR {path}` is relative, so it resolves against {base}, which can change with the base image; "
                f"write an absolute path such as `WORKDIR /{path.lstrip('./')}`.",
            )
