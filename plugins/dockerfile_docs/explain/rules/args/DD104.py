from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import declared_names, quote_value, scope_at, stage_arg_value


class ArgShadowedByEnv(Rule):
    """An ARG and an ENV of the same name in one stage, and which value each line sees.

    When a stage has both, the later of the two wins for the lines below it.
    An `ENV NAME=...` that does not use `$NAME` itself cuts the build arg off:
    `--build-arg NAME=...` no longer reaches the lines below. An `ARG NAME`
    with a value after an `ENV NAME` replaces the value the build's RUN,
    COPY and ENV lines see, while the image's environment (what
    `docker run` sees) keeps the ENV value.

    Why it matters:
    `docker build --build-arg NAME=...` seems to work (no error) but changes
    nothing in the lines that use `$NAME`, or the build and the running
    container see two different values. Writing `ENV NAME=$NAME` after the
    ARG passes the build arg on into the image's environment.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ARG MODE=debug
        ENV MODE=release
        RUN echo "$MODE" > /mode

    Best practice:

        FROM busybox:1.36
        ARG MODE=release
        ENV MODE=$MODE
        RUN echo "$MODE" > /mode
    """

    code = "DD104"
    name = "arg-shadowed-by-env"
    groups = ("args", "scope")
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        used_at: dict[int, set[str]] = {}
        for reference in analysis.references:
            used_at.setdefault(reference.instruction_line, set()).add(reference.name)
        for stage in analysis.stages:
            for instruction in stage.instructions[1:]:
                before = scope_at(analysis, instruction.start_line)
                if instruction.keyword == "ENV":
                    used = used_at.get(instruction.start_line, set())
                    for name, _ in declared_names(instruction, escape):
                        variable = before.get(name)
                        if variable is None or variable.kind != "arg" or name in used:
                            continue
                        where = f"line {variable.line}" if variable.line else "an earlier stage"
                        yield self.finding(
                            instruction.start_line,
                            f"`ENV {name}` replaces the value of `ARG {name}` ({where}) from here on, so "
                            f"`--build-arg {name}=...` no longer reaches the lines below. To pass the build arg "
                            f"into the environment, write `ENV {name}=${name}`.",
                        )
                elif instruction.keyword == "ARG":
                    for name, _ in declared_names(instruction, escape):
                        variable = before.get(name)
                        if variable is None or variable.kind != "env":
                            continue
                        where = f"line {variable.line}" if variable.line and variable.source != "inherited" else "a stage this one is built FROM"
                        value, _ = stage_arg_value(analysis, instruction, name)
                        if value is None:
                            message = (f"`ARG {name}` has no value here, so it changes nothing: `${name}` keeps the value "
                                       f"{quote_value(variable.value)} of `ENV {name}` ({where}).")
                        else:
                            message = (f"`ARG {name}` replaces `ENV {name}` ({where}) for the build: the lines below see "
                                       f"{quote_value(value)}, while the image's environment, what `docker run` sees, keeps "
                                       f"{quote_value(variable.value)}. Use one name for one purpose.")
                        yield self.finding(instruction.start_line, message)
