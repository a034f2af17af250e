from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import declared_names, suggestion


class UnusedBuildArg(Rule):
    """A `--build-arg` that no ARG in the Dockerfile declares.

    BuildKit hands a build arg only to the ARG lines that declare its name
    (the proxy variables such as `HTTP_PROXY` excepted, and the ones BuildKit
    reads itself, such as `BUILDKIT_DOCKERFILE_CHECK` and `SOURCE_DATE_EPOCH`).
    A build arg nothing declares is ignored, and BuildKit says nothing of it
    (Docker's legacy builder printed `One or more build-args [...] were not
    consumed`; BuildKit in Docker 28.5 prints no such warning).

    Why it matters:
    Usually a typo or a renamed ARG: the build uses the Dockerfile's default
    instead of the value you passed, and nothing fails.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ARG VERSION=dev
        RUN echo "$VERSION" > /version

    Best practice:

        FROM busybox:1.36
        ARG APP_VERSION=dev
        RUN echo "$APP_VERSION" > /version
    """

    code = "DD105"
    name = "unused-build-arg"
    groups = ("args",)
    severity = "warning"
    example_build_args = (("APP_VERSION", "1.0"),)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        if not analysis.unused_build_args:
            return
        declared = sorted({name for ins in analysis.dockerfile.instructions for name, _ in declared_names(ins, analysis.dockerfile.escape) if ins.keyword == "ARG"})
        line = analysis.dockerfile.instructions[0].start_line
        for name in analysis.unused_build_args:
            message = f"`--build-arg {name}={analysis.options.build_args[name]}` is ignored: no ARG in this Dockerfile declares `{name}`"
            close = suggestion(name, declared)
            message += f" (did you mean `{close}`?)." if close else "."
            yield self.finding(line, message)
