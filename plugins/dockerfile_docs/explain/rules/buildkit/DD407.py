from __future__ import annotations

from collections.abc import Iterator

from ....analyze import PLATFORM_ARGS
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import declared_names, suggestion


class UndefinedArgInFrom(Rule):
    """A FROM line using a variable that no global ARG declares.

    FROM lines see only the ARGs declared before the first FROM (and the
    automatic platform ARGs). An ARG inside a stage is too late for any FROM.
    BuildKit's check: *FROM command must use declared ARGs*.

    Why it matters:
    The variable expands to an empty string: the base image name loses a
    piece (`busybox:` or `:1.36`) and the build fails, or worse, a different
    image is pulled.

    Example:
    Anti-pattern:

        FROM busybox:${BUSYBOX_VERSION:-1.36}
        RUN true

    Best practice:

        ARG BUSYBOX_VERSION=1.36
        FROM busybox:${BUSYBOX_VERSION}
        RUN true
    """

    code = "DD407"
    name = "undefined-arg-in-from"
    groups = ("buildkit", "args")
    severity = "warning"
    buildkit = "UndefinedArgInFrom"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        stage_args = {
            name: instruction.start_line
            for instruction in analysis.dockerfile.instructions if instruction.keyword == "ARG" and instruction.stage >= 0
            for name, _ in declared_names(instruction, escape)
        }
        candidates = sorted(set(analysis.global_args) | set(PLATFORM_ARGS))
        for reference in analysis.references:
            if reference.keyword != "FROM" or reference.name in analysis.global_args or reference.name in PLATFORM_ARGS:
                continue
            message = f"FROM uses `${reference.name}`, but no ARG before the first FROM declares it, so it expands to an empty string"
            if reference.has_fallback:
                message += " (the fallback written here applies)"
            if reference.name in stage_args:
                message += f"; the `ARG {reference.name}` on line {stage_args[reference.name]} is inside a stage, too late for FROM lines"
            close = suggestion(reference.name, candidates)
            message += f" (did you mean `{close}`?)." if close else f". Declare `ARG {reference.name}=...` above the first FROM."
            yield self.finding(reference.line, message)
