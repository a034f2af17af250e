from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import copy_targets, root_is_scratch, scope_at, stage_title, words_of


class NamedUserWithoutPasswd(Rule):
    """`USER name` in a stage built from `scratch` with no `/etc/passwd` copied in.

    A user *name* is looked up in the image's `/etc/passwd` (and a group name
    in `/etc/group`) when a container starts or a RUN runs. `scratch` has no
    such files; numeric ids (`USER 65532:65532`) need no lookup.

    Why it matters:
    The container fails to start with `unable to find user app: no matching
    entries in passwd file`.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        USER app
        ENTRYPOINT ["/busybox", "true"]

    Best practice:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        USER 65532:65532
        ENTRYPOINT ["/busybox", "true"]
    """

    code = "DD303"
    name = "named-user-without-passwd"
    groups = ("runtime",)
    severity = "error"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for stage in analysis.stages:
            if not root_is_scratch(analysis, stage):
                continue
            for instruction in stage.instructions[1:]:
                if instruction.keyword != "USER":
                    continue
                words = words_of(instruction, scope_at(analysis, instruction.start_line), escape)
                if not words:
                    continue
                user, _, group = words[0].partition(":")
                named = [part for part in (user, group) if part and not part.isdigit()]
                if not named:
                    continue
                copied = " ".join(
                    " ".join(sources) + " " + dest for ins, sources, dest in copy_targets(analysis, stage)
                    if ins.start_line < instruction.start_line
                )
                if "/etc/passwd" in copied or "/etc/" in copied or copied.split().count("/") > 0:
                    continue
                yield self.finding(
                    instruction.start_line,
                    f"`USER {words[0]}` names a user, but stage {stage_title(stage)} is built from `scratch` and has no "
                    f"`/etc/passwd`: the container fails to start (`unable to find user {named[0]}`). Use numeric ids, "
                    f"e.g. `USER 65532:65532`, or copy `/etc/passwd` in.",
                )
