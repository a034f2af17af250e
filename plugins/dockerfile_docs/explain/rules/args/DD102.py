from __future__ import annotations

from collections.abc import Iterator

from ....analyze import PLATFORM_ARGS
from ....model import Analysis, Finding, Variable
from ...base import Rule
from ...facts import declared_names, quote_value


class ArgValueSource(Rule):
    """Where the value of an ARG inside a stage comes from.

    An `ARG NAME` line inside a stage takes its value, in this order, from a
    `--build-arg NAME=...`, from its own default (`ARG NAME=default`), from a
    global ARG of the same name declared before the first FROM, or, for the
    automatic platform ARGs, from the platform. With none of these the ARG is
    *unset*: `$NAME` expands to an empty string. This note says which source
    won, for the build options the page is rendered with.

    Why it matters:
    The same Dockerfile gives different images for different build args, and a
    re-declared global ARG silently drops the global default once a stage
    default is written. Knowing which value a line sees avoids surprises.

    Example:
    Anti-pattern:

        ARG GO_VERSION=1.22
        FROM busybox:1.36
        ARG GO_VERSION=1.21
        RUN echo "building with $GO_VERSION"

    Best practice:

        ARG GO_VERSION=1.22
        FROM busybox:1.36
        ARG GO_VERSION
        RUN echo "building with $GO_VERSION"
    """

    code = "DD102"
    name = "arg-value-source"
    groups = ("args", "scope")
    severity = "explain"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for stage in analysis.stages:
            for position, instruction in enumerate(stage.instructions):
                if instruction.keyword != "ARG":
                    continue
                after = (
                    analysis.scopes.get(stage.instructions[position + 1].start_line, {})
                    if position + 1 < len(stage.instructions) else stage.vars
                )
                for name, default in declared_names(instruction, escape):
                    variable = after.get(name)
                    if variable is None or variable.kind != "arg" or variable.line != instruction.start_line:
                        continue
                    message = self._message(analysis, name, default, variable)
                    if message:
                        yield self.finding(instruction.start_line, message)

    @staticmethod
    def _message(analysis: Analysis, name: str, default: str | None, variable: Variable) -> str | None:
        global_arg = analysis.global_args.get(name)
        if variable.source == "build-arg":
            message = f"`{name}` is {quote_value(variable.value)} here, from `--build-arg {name}={variable.value}`"
            if default is not None:
                message += f", which wins over the default `{default}` written on this line"
            elif global_arg is not None and global_arg.value is not None and global_arg.source != "build-arg":
                message += f", which wins over the global default {quote_value(global_arg.value)} (line {global_arg.line})"
            return message + "."
        if variable.source == "default":
            if global_arg is None:
                return None
            if global_arg.value is None:
                return (f"`{name}` is {quote_value(variable.value)} here, this line's own default; "
                        f"the global `ARG {name}` (line {global_arg.line}) has no value to give.")
            return (f"`{name}` is {quote_value(variable.value)} here, this line's own default: it wins over the global "
                    f"value {quote_value(global_arg.value)} (line {global_arg.line}). Write `ARG {name}` without a default "
                    f"to use the global value.")
        if variable.source == "global" and global_arg is not None:
            return (f"`{name}` is {quote_value(variable.value)} here: `ARG {name}` without a default brings the global "
                    f"value from line {global_arg.line} into this stage.")
        if variable.source == "platform" and name in PLATFORM_ARGS:
            platform = analysis.options.target_platform if name.startswith("TARGET") else analysis.options.build_platform
            return (f"`{name}` is {quote_value(variable.value)} here: an automatic platform ARG, set from the "
                    f"{'target' if name.startswith('TARGET') else 'build'} platform `{platform}`.")
        if variable.value is None:
            why = "no `--build-arg`, no default on this line"
            if global_arg is not None:
                why += f" and the global `ARG {name}` (line {global_arg.line}) has no value either"
            else:
                why += " and no global ARG of that name"
            return f"`{name}` is unset in this stage: {why}; `${name}` expands to an empty string."
        return None
