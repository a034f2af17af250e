from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import effective_command, shell_join


class ExecEntrypointShellCmd(Rule):
    """An exec-form ENTRYPOINT combined with a shell-form CMD.

    A shell-form CMD is stored as `["/bin/sh", "-c", "..."]`, and CMD is
    appended to ENTRYPOINT. With `ENTRYPOINT ["/app"]` and `CMD --verbose`
    the container runs `/app /bin/sh -c --verbose`.

    Why it matters:
    The program receives `/bin/sh` and `-c` as its first arguments; it
    usually rejects them or misreads them. Write CMD in exec form too.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ENTRYPOINT ["echo"]
        CMD hello

    Best practice:

        FROM busybox:1.36
        ENTRYPOINT ["echo"]
        CMD ["hello"]
    """

    code = "DD305"
    name = "exec-entrypoint-shell-cmd"
    groups = ("runtime",)
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        command = effective_command(analysis, analysis.target_stage)
        entrypoint, cmd = command.entrypoint, command.cmd
        if entrypoint is None or cmd is None or entrypoint.shell_form or not cmd.shell_form:
            return
        yield self.finding(
            cmd.instruction.start_line,
            f"This shell-form CMD is appended to the exec-form ENTRYPOINT (line {entrypoint.instruction.start_line}), so the "
            f"container runs `{shell_join(entrypoint.argv + cmd.argv)}`: the program gets `{cmd.argv[0]}` and "
            f"`{cmd.argv[1]}` as arguments. Write `CMD {shell_join(cmd.argv[2:])}` in exec form, e.g. `CMD [\"...\"]`.",
        )
