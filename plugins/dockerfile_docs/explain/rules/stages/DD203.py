from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import suggestion

KIND_WORDS = {"copy": "`--from`", "mount": "the mount's `from=`"}


class CopyFromImage(Rule):
    """`COPY --from` or `RUN --mount=from=` naming an image instead of a stage.

    A `--from` value that is neither a stage name nor a stage index is an
    image reference: BuildKit pulls that image and copies from (or mounts)
    its file system, as if it were a stage built `FROM` it.

    Why it matters:
    It is a handy way to take one binary out of an official image, but the
    image is pulled at build time, so it needs a registry (or a named build
    context) and, unless pinned, changes over time.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        COPY --from=busybox /bin/busybox /bin/busybox

    Best practice:

        FROM busybox:1.36
        COPY --from=busybox:1.36 /bin/busybox /bin/busybox
    """

    code = "DD203"
    name = "copy-from-image"
    groups = ("stages", "images")
    severity = "info"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        names = [s.name for s in analysis.stages if s.name]
        for edge in analysis.edges:
            if edge.kind == "from" or not isinstance(edge.source, str):
                continue
            if suggestion(edge.source, names):
                continue
            yield self.finding(
                edge.line,
                f"{KIND_WORDS[edge.kind]} `{edge.source}` names no stage of this Dockerfile, so BuildKit treats it as an "
                f"image reference and pulls `{edge.source}` to take files from it.",
            )
