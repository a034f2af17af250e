from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule


class FromStageNameCase(Rule):
    """`FROM Name` written with capitals to mean an earlier stage.

    BuildKit keeps stage names in lower case and looks FROM names up exactly
    as written, so `FROM Builder` does not find the stage `builder` (nor
    `AS Builder`). It is then an image reference, and image names must be
    lower case. (`COPY --from` and `--target`, by contrast, ignore case.)

    Why it matters:
    The build fails with `failed to parse stage name "Builder": invalid
    reference format: repository name must be lowercase`.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS Builder
        RUN echo built > /out
        FROM Builder
        RUN cat /out

    Best practice:

        FROM busybox:1.36 AS builder
        RUN echo built > /out
        FROM builder
        RUN cat /out
    """

    code = "DD206"
    name = "from-stage-name-case"
    groups = ("stages",)
    severity = "error"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            written = stage.base_resolved
            for earlier in analysis.stages[: stage.index]:
                if earlier.name and written.lower() == earlier.name.lower() and written != earlier.name.lower():
                    yield self.finding(
                        stage.from_line,
                        f"`FROM {written}` does not refer to stage `{earlier.name}` (line {earlier.from_line}): BuildKit "
                        f"looks FROM names up case-sensitively against lower-cased stage names, so it tries to pull an "
                        f"image `{written}` and fails (repository names must be lower case). Write `FROM {earlier.name.lower()}`.",
                    )
                    break
