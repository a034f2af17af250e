from __future__ import annotations

from collections.abc import Iterator

from ....analyze import platform_values
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import expand_quietly


class FromPlatformFlagConstDisallowed(Rule):
    """`FROM --platform=linux/amd64`: a platform written as a constant.

    A constant platform pins the stage to one architecture, whatever
    `--platform` the build asks for. BuildKit's check: *FROM --platform flag
    should not use a constant value*; it is not raised when the stage name
    mentions that OS or architecture (e.g. `AS build-amd64`).

    Why it matters:
    A multi-platform build then ships an amd64 binary in the arm64 image.
    Use `$BUILDPLATFORM` for builder stages and leave the runtime stage
    without `--platform`.

    Example:
    Anti-pattern:

        FROM --platform=linux/amd64 busybox:1.36 AS build
        RUN true

    Best practice:

        FROM --platform=$BUILDPLATFORM busybox:1.36 AS build
        RUN true
    """

    code = "DD415"
    name = "from-platform-flag-const-disallowed"
    groups = ("buildkit", "images")
    severity = "warning"
    buildkit = "FromPlatformFlagConstDisallowed"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        env = platform_values(analysis.options)
        for stage in analysis.stages:
            if stage.platform is None:
                continue
            result, names = expand_quietly(stage.platform, env, analysis.dockerfile.escape)
            if names or "/" not in result:
                continue
            os_name, arch = result.split("/")[:2]
            if stage.name and (os_name in stage.name or arch in stage.name):
                continue
            yield self.finding(
                stage.from_line,
                f"`--platform={result}` is a constant: this stage is always built for `{result}`, whatever platform the "
                f"build targets. Use `--platform=$BUILDPLATFORM` for a builder stage, or drop the flag.",
            )
