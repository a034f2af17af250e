from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import CommandSetting, effective_command, shell_join, stage_title
from ...facts import EffectiveCommand as RunCommand


def _origin(setting: CommandSetting, target_index: int) -> str:
    where = f"line {setting.instruction.start_line}"
    if setting.stage.index != target_index:
        where += f", inherited from stage {stage_title(setting.stage)}"
    return where


def _written(setting: CommandSetting) -> str:
    return f"{setting.instruction.keyword} {setting.written}"


class EffectiveCommand(Rule):
    """What `docker run IMAGE` starts: ENTRYPOINT and CMD combined.

    The image config holds an ENTRYPOINT and a CMD, each a list of strings.
    The container runs ENTRYPOINT followed by CMD; `docker run IMAGE ARGS`
    replaces the CMD part. Shell form (`CMD make run`) becomes
    `["/bin/sh", "-c", "make run"]`, so a shell-form ENTRYPOINT ignores CMD
    and any `docker run` arguments. An ENTRYPOINT resets a CMD inherited from
    the base (unless CMD is set again in the same stage), and both are
    inherited from a stage's base otherwise.

    Why it matters:
    The command a container runs is the sum of up to four lines in up to two
    stages (and the base image); this note spells out the result.

    What the base image adds cannot be read from the Dockerfile. For a
    verified example it is read from the built image's config (whatever the
    Dockerfile leaves unset is the base image's), so the note says what runs;
    without a verified build, the note names the base image whose ENTRYPOINT
    or CMD takes part.

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

    code = "DD304"
    name = "effective-command"
    groups = ("runtime",)
    severity = "explain"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        target = analysis.target_stage
        command = effective_command(analysis, target)
        entrypoint, cmd = command.entrypoint, command.cmd
        settings = [s for s in (entrypoint, cmd) if s is not None]
        line = max((s.instruction.start_line for s in settings if s.stage.index == target.index), default=target.from_line)
        if command.argv == () or (not settings and not command.base_image):
            yield self.finding(line, "The image has neither ENTRYPOINT nor CMD" + _measured_note(command) + ": `docker run IMAGE` "
                                     "fails with `no command specified` unless a command is given after the image name.")
            return
        if command.entrypoint_unknown and command.cmd_unknown:
            return
        if entrypoint and entrypoint.shell_form:
            message = f"`docker run IMAGE` runs `{shell_join(entrypoint.argv)}` ({_written(entrypoint)}, {_origin(entrypoint, target.index)})"
            if cmd:
                message += f"; the CMD `{cmd.written}` ({_origin(cmd, target.index)}) is ignored: a shell-form ENTRYPOINT takes no arguments"
            yield self.finding(line, message + ", and so are arguments given to `docker run`.")
            return
        if entrypoint is None and command.entrypoint_unknown:
            assert cmd is not None
            yield self.finding(line, f"The CMD `{shell_join(cmd.argv)}` ({_origin(cmd, target.index)}) is passed to the "
                                     f"ENTRYPOINT of the base image `{command.base_image}`, if it has one; "
                                     f"`docker run IMAGE ARGS` replaces it.")
            return
        if entrypoint is not None and command.cmd_unknown:
            yield self.finding(line, f"`docker run IMAGE` runs `{shell_join(entrypoint.argv)}` ({_origin(entrypoint, target.index)}) "
                                     f"followed by the CMD of the base image `{command.base_image}`, if any.")
            return
        argv = command.argv or ()
        entrypoint_part = _entrypoint_part(command, target.index)
        cmd_part = _cmd_part(command, target.index)
        if entrypoint_part and cmd_part:
            message = (f"`docker run IMAGE` runs `{shell_join(argv)}`: {entrypoint_part} with {cmd_part} "
                       f"as its default arguments; `docker run IMAGE ARGS` replaces the CMD part.")
        elif entrypoint_part:
            message = (f"`docker run IMAGE` runs `{shell_join(argv)}` ({entrypoint_part}); "
                       f"arguments after the image name in `docker run` are appended to it.")
        else:
            message = (f"`docker run IMAGE` runs `{shell_join(argv)}` ({cmd_part}); "
                       f"`docker run IMAGE COMMAND` replaces it entirely.")
        yield self.finding(line, message)


def _entrypoint_part(command: RunCommand, target_index: int) -> str | None:
    if command.entrypoint is not None:
        setting = command.entrypoint
        written = f"ENTRYPOINT `{setting.written}` ({_origin(setting, target_index)})"
        return written if command.cmd is not None or command.base_cmd is not None else f"ENTRYPOINT, {_origin(setting, target_index)}"
    if command.base_entrypoint is not None:
        return f"the ENTRYPOINT `{shell_join(command.base_entrypoint)}` of the base image `{command.base_image}`{_measured_note(command)}"
    return None


def _cmd_part(command: RunCommand, target_index: int) -> str | None:
    if command.cmd is not None:
        setting = command.cmd
        if command.entrypoint is not None or command.base_entrypoint is not None:
            return f"CMD `{setting.written}` ({_origin(setting, target_index)})"
        return f"CMD, {_origin(setting, target_index)}"
    if command.base_cmd is not None:
        return f"the CMD `{shell_join(command.base_cmd)}` of the base image `{command.base_image}`{_measured_note(command)}"
    return None


def _measured_note(command: RunCommand) -> str:
    return ", as measured in the verified image" if command.measured else ""
