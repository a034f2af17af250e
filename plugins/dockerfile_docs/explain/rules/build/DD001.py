from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class BuildFails(Rule):
    """A line at which BuildKit stops this build with an error.

    BuildKit accepted the file's syntax, but building the target fails here:
    `${NAME:?message}` on an unset variable, an image reference that is not
    valid (`busybox:` from an ARG with no value, upper-case letters), `COPY
    --from` a stage defined further down or the stage itself, or a stage
    index that does not exist. The message is BuildKit's own. It is reported only
    for stages the target needs: BuildKit never looks at the others.
    Where a more specific rule already explains the line as an error, that
    explanation stands alone.

    Why it matters:
    The build fails at this line for everyone who builds this target, so the
    example cannot be what the page says it is.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ARG VERSION
        ENV APP_VERSION="${VERSION:?pass --build-arg VERSION}"

    Best practice:

        FROM busybox:1.36
        ARG VERSION=1.0
        ENV APP_VERSION="${VERSION:?pass --build-arg VERSION}"
    """

    code = "DD001"
    name = "build-fails"
    aliases = ("buildkit-error",)
    groups = ("build",)
    severity = "error"
    fallback = True

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for error in analysis.build_errors:
            stage = analysis.stages[error.stage]
            yield self.finding(error.line, f"Building stage `{stage.label}` fails here: {error.message}.")
