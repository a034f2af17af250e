from __future__ import annotations

from collections.abc import Iterator

from ....analyze import PLATFORM_ARGS
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import image_defines, later_declaration, undeclared_kind


class ArgUsedBeforeDeclared(Rule):
    """A variable used on a line above the ARG or ENV that declares it in the same stage.

    Instructions run top to bottom, and an ARG or ENV is in scope only from
    its own line on. A `$NAME` above the declaration does not see it.

    Why it matters:
    BuildKit does not fail: the name expands to an empty string on that line
    (a shell sees it unset), while lines below the declaration get the value,
    so the image is half configured.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        RUN echo "release $RELEASE" > /release
        ARG RELEASE=2024.1

    Best practice:

        FROM busybox:1.36
        ARG RELEASE=2024.1
        RUN echo "release $RELEASE" > /release
    """

    code = "DD103"
    name = "arg-used-before-declared"
    groups = ("args", "scope")
    severity = "warning"
    buildkit = "UndefinedVar"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for reference in analysis.references:
            if undeclared_kind(analysis, reference) != "later" or image_defines(analysis, reference):
                continue
            stage = analysis.stages[reference.stage]
            declaration = later_declaration(stage, reference.name, reference.instruction_line, escape)
            assert declaration is not None
            seen_as = "the shell sees it unset" if reference.by_shell else "BuildKit expands it to an empty string"
            message = (
                f"`{reference.name}` is used here, but `{declaration.keyword} {reference.name}` only declares it "
                f"on line {declaration.start_line}, further down: on this line {seen_as}"
            )
            global_arg = analysis.global_args.get(reference.name)
            if global_arg is not None:
                message += f" (the global `ARG {reference.name}` on line {global_arg.line} is only in scope for FROM lines)"
            elif reference.name in PLATFORM_ARGS:
                message += " (automatic platform ARGs, too, are set in a stage only from their `ARG` line on)"
            message += f". Move the {declaration.keyword} above line {reference.instruction_line}."
            yield self.finding(reference.line, message, buildkit=None if reference.by_shell else self.buildkit)
