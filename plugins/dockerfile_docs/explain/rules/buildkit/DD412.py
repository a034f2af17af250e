from __future__ import annotations

from collections.abc import Iterator

from ....analyze import platform_values
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import expand_quietly


class RedundantTargetPlatform(Rule):
    """`FROM --platform=$TARGETPLATFORM`, which is what FROM does anyway.

    Without `--platform`, FROM pulls the base image for the target platform.
    Saying so explicitly changes nothing. BuildKit's check: *Setting platform
    to predefined $TARGETPLATFORM in FROM is redundant as this is the default
    behavior*.

    Why it matters:
    It suggests a cross-compilation set-up where there is none; the useful
    form is `--platform=$BUILDPLATFORM` for a builder stage.

    Example:
    Anti-pattern:

        FROM --platform=$TARGETPLATFORM busybox:1.36
        RUN true

    Best practice:

        FROM busybox:1.36
        RUN true
    """

    code = "DD412"
    name = "redundant-target-platform"
    groups = ("buildkit", "images")
    severity = "info"
    buildkit = "RedundantTargetPlatform"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        platform = platform_values(analysis.options)
        env = {**platform, **{n: v.value for n, v in analysis.global_args.items() if v.value is not None}}
        for stage in analysis.stages:
            if stage.platform is None:
                continue
            result, names = expand_quietly(stage.platform, env, analysis.dockerfile.escape)
            if set(names) == {"TARGETPLATFORM"} and result == env["TARGETPLATFORM"]:
                yield self.finding(
                    stage.from_line,
                    f"`--platform={stage.platform}` is redundant: FROM already uses the target platform "
                    f"(`{result}` here). Drop the flag, or use `--platform=$BUILDPLATFORM` for a stage that cross-compiles.",
                )
