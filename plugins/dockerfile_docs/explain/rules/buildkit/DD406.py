from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class MaintainerDeprecated(Rule):
    """The deprecated MAINTAINER instruction.

    MAINTAINER sets the image's `author` field, a field nothing reads any
    more. BuildKit's check: *The MAINTAINER instruction is deprecated, use a
    label instead to define an image author*.

    Why it matters:
    Tools look for the OCI label `org.opencontainers.image.authors` instead.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        MAINTAINER Jane Doe <jane@example.com>

    Best practice:

        FROM busybox:1.36
        LABEL org.opencontainers.image.authors="jane@example.com"
    """

    code = "DD406"
    name = "maintainer-deprecated"
    groups = ("buildkit",)
    severity = "info"
    buildkit = "MaintainerDeprecated"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for instruction in analysis.dockerfile.instructions:
            if instruction.keyword == "MAINTAINER":
                yield self.finding(
                    instruction.start_line,
                    f"MAINTAINER is deprecated: write `LABEL org.opencontainers.image.authors=\"{instruction.arguments}\"` instead.",
                )
