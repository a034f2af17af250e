from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import (
    may_have_shell,
    root_is_scratch,
    shell_join,
    stage_chain,
    stage_title,
)


class ShellFormWithoutShell(Rule):
    """A shell-form RUN, CMD or ENTRYPOINT in a stage built from `scratch` with no shell copied in.

    Shell form (`RUN make`, `CMD ./app`) runs `/bin/sh -c "..."`. A stage
    whose root is `scratch` has no `/bin/sh` unless a COPY put one there.

    Why it matters:
    A shell-form RUN fails the build (`/bin/sh: no such file or directory`);
    a shell-form CMD or ENTRYPOINT builds fine but the container fails to
    start. Use the exec form, `CMD ["/app"]`.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        CMD /busybox true

    Best practice:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        CMD ["/busybox", "true"]
    """

    code = "DD302"
    name = "shell-form-without-shell"
    groups = ("runtime",)
    severity = "error"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            if not root_is_scratch(analysis, stage):
                continue
            if any(i.keyword == "SHELL" for s in stage_chain(analysis, stage) for i in s.instructions):
                continue
            for instruction in stage.instructions[1:]:
                if instruction.keyword not in ("RUN", "CMD", "ENTRYPOINT") or instruction.json_args is not None:
                    continue
                if may_have_shell(analysis, stage, instruction.start_line):
                    continue
                when = ("the build fails here" if instruction.keyword == "RUN"
                        else "the image builds, but the container fails to start")
                yield self.finding(
                    instruction.start_line,
                    f"Shell-form {instruction.keyword} runs `{shell_join(('/bin/sh', '-c', instruction.arguments))}`, but stage "
                    f"{stage_title(stage)} is built from `scratch` and has no `/bin/sh`: {when}. "
                    f"Use the exec form, e.g. `{instruction.keyword} [\"...\"]`.",
                )
