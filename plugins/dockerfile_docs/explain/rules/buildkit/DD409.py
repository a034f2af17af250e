from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import root_environment, root_image, scope_at, suggestion, undeclared_kind

ALWAYS_SET = frozenset({"PATH"})
"""BuildKit gives every stage a PATH, even on scratch."""


class UndefinedVar(Rule):
    """A variable used in an instruction BuildKit expands, with no ARG or ENV declaring it.

    BuildKit expands `$NAME` itself in ADD, COPY, ENV, EXPOSE, LABEL,
    STOPSIGNAL, USER, VOLUME, WORKDIR and flag values, from the ARGs and ENVs
    in scope and the base image's environment. BuildKit's check: *Variables
    should be defined before their use*. (Global ARGs and ARGs declared
    further down have their own, more specific rules.) The base image may
    define the variable; where dockerfile-docs does not know that image's
    environment, the finding says so and does not claim BuildKit's warning.

    Why it matters:
    An undeclared name expands to an empty string without any error: often a
    typo (`$PAHT`) that leaves a path or a label empty.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ENV APP_HOME=/app
        WORKDIR $APP_HOEM

    Best practice:

        FROM busybox:1.36
        ENV APP_HOME=/app
        WORKDIR $APP_HOME
    """

    code = "DD409"
    name = "undefined-var"
    groups = ("buildkit", "args")
    severity = "warning"
    buildkit = "UndefinedVar"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for reference in analysis.references:
            if reference.by_shell or reference.name in ALWAYS_SET:
                continue
            if undeclared_kind(analysis, reference) != "undeclared":
                continue
            stage = analysis.stages[reference.stage]
            image_env = root_environment(analysis, stage)
            if image_env is not None and reference.name in image_env:
                continue
            message = f"`${reference.name}` is used here, but no ARG or ENV declares it"
            if image_env is not None:
                message += ", so BuildKit expands it to an empty string"
            else:
                message += f": unless the base image `{root_image(analysis, stage)}` sets it in its environment, it expands to an empty string"
            close = suggestion(reference.name, sorted(scope_at(analysis, reference.instruction_line)))
            message += f" (did you mean `${close}`?)." if close else "."
            yield self.finding(reference.line, message, buildkit=self.buildkit if image_env is not None else None)
