from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import effective_command, shell_join


class ShellEntrypointIgnoresCmd(Rule):
    """A CMD that is never used because the ENTRYPOINT is in shell form.

    A shell-form ENTRYPOINT runs `/bin/sh -c "..."`; CMD and `docker run`
    arguments are appended after the script, where `sh -c` takes them as
    `$0`, `$1`... of a script that does not read them.

    Why it matters:
    The defaults in CMD, and anything given to `docker run IMAGE ...`, have no
    effect. Use an exec-form ENTRYPOINT (`ENTRYPOINT ["/app"]`) to pass them on.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ENTRYPOINT echo
        CMD ["hello"]

    Best practice:

        FROM busybox:1.36
        ENTRYPOINT ["echo"]
        CMD ["hello"]
    """

    code = "DD306"
    name = "shell-entrypoint-ignores-cmd"
    groups = ("runtime",)
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        command = effective_command(analysis, analysis.target_stage)
        entrypoint, cmd = command.entrypoint, command.cmd
        if entrypoint is None or cmd is None or not entrypoint.shell_form:
            return
        yield self.finding(
            cmd.instruction.start_line,
            f"This CMD is ignored: the ENTRYPOINT on line {entrypoint.instruction.start_line} is in shell form "
            f"(`{shell_join(entrypoint.argv)}`), which takes no arguments. Write the ENTRYPOINT in exec form "
            f"to pass CMD on.",
        )
