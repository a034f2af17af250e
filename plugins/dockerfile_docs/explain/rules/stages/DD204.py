from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import suggestion

KIND_WORDS = {"copy": "`--from`", "mount": "the mount's `from=`"}


class CopyFromUnknownStage(Rule):
    """`--from` naming something close to a stage name, but no stage: most likely a typo.

    A `--from` value that matches no stage is taken as an image reference.
    When it is one or two letters away from a stage name, it was almost
    certainly meant to be that stage.

    Why it matters:
    BuildKit tries to pull an image of that name and the build fails (or,
    worse, an image of that name exists and its files are copied instead).

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS builder
        RUN echo built > /out
        FROM busybox:1.36
        COPY --from=biulder /out /out

    Best practice:

        FROM busybox:1.36 AS builder
        RUN echo built > /out
        FROM busybox:1.36
        COPY --from=builder /out /out
    """

    code = "DD204"
    name = "copy-from-unknown-stage"
    groups = ("stages",)
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        names = [s.name for s in analysis.stages if s.name]
        for edge in analysis.edges:
            if edge.kind == "from" or not isinstance(edge.source, str):
                continue
            close = suggestion(edge.source, names)
            if close:
                yield self.finding(
                    edge.line,
                    f"{KIND_WORDS[edge.kind]} `{edge.source}` names no stage, so BuildKit will pull it as an image; "
                    f"did you mean stage `{close}`?",
                )
