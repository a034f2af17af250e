from __future__ import annotations

from collections.abc import Iterator

from ....analyze import platform_values
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import image_defines, quote_value, undeclared_kind


class GlobalArgNotRedeclared(Rule):
    """A global ARG, or an automatic platform ARG, used inside a stage that does not declare it.

    An ARG written before the first FROM is *global*: it is in scope for the
    FROM lines only. Inside a stage, `$NAME` finds it only after an `ARG NAME`
    line in that stage (without a default, that line takes the global value).
    The automatic platform ARGs (`TARGETARCH`, `BUILDPLATFORM`, ...) follow the
    same rule.

    Why it matters:
    The build does not fail: BuildKit expands the name to an empty string, and
    a shell in RUN sees it unset. The image silently gets an empty version
    label, an empty download URL or a binary for the wrong architecture.

    Example:
    Anti-pattern:

        ARG VERSION=1.2.3
        FROM busybox:1.36
        LABEL version="$VERSION"

    Best practice:

        ARG VERSION=1.2.3
        FROM busybox:1.36
        ARG VERSION
        LABEL version="$VERSION"
    """

    code = "DD101"
    name = "global-arg-not-redeclared"
    aliases = ("global-arg-scope",)
    groups = ("args", "scope")
    severity = "warning"
    buildkit = "UndefinedVar"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        platform = platform_values(analysis.options)
        for reference in analysis.references:
            kind = undeclared_kind(analysis, reference)
            if kind not in ("global", "platform") or image_defines(analysis, reference):
                continue
            seen_as = "the shell sees it unset" if reference.by_shell else "BuildKit expands it to an empty string"
            if kind == "platform":
                value = platform[reference.name]
                message = (
                    f"`{reference.name}` is empty here: it is an automatic platform ARG, which inside a stage is only set "
                    f"after `ARG {reference.name}`; {seen_as}. Add `ARG {reference.name}` in this stage to get `{value}`."
                )
            else:
                variable = analysis.global_args[reference.name]
                if variable.value is None:
                    hint = f"Add `ARG {reference.name}` in this stage (the global one has no default: pass `--build-arg {reference.name}=...`)"
                else:
                    hint = f"Add `ARG {reference.name}` in this stage to use its value ({quote_value(variable.value)})"
                message = (
                    f"`{reference.name}` is empty here: it was declared before the first FROM (line {variable.line}), "
                    f"so it is only in scope for FROM lines; {seen_as}. {hint}."
                )
            yield self.finding(reference.line, message, buildkit=None if reference.by_shell else self.buildkit)
