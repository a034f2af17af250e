from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import is_valid_image_reference


class InvalidBaseImageReference(Rule):
    """A FROM line that, for this build's args, names no valid image.

    After the global ARGs are expanded, the FROM image must be a valid image
    reference: lower-case repository path, optional `:tag` and `@digest`.
    An ARG without a value leaves pieces out (`alpine:` or `/app:1`).

    Why it matters:
    BuildKit stops before building anything, with `failed to parse stage
    name ... invalid reference format`.

    Example:
    Anti-pattern:

        ARG TAG
        FROM busybox:${TAG}
        RUN true

    Best practice:

        ARG TAG=1.36
        FROM busybox:${TAG}
        RUN true
    """

    code = "DD106"
    name = "invalid-base-image-reference"
    groups = ("args", "images")
    severity = "error"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        stage_names = {s.name.lower() for s in analysis.stages if s.name}
        for stage in analysis.stages:
            if stage.base_stage is not None or stage.is_scratch or stage.base_resolved.lower() in stage_names:
                continue
            if is_valid_image_reference(stage.base_resolved):
                continue
            unset = [r.name for r in analysis.references if r.instruction_line == stage.from_line and not r.value]
            why = f": {', '.join(f'`{n}`' for n in dict.fromkeys(unset))} has no value in this build" if unset else ""
            if not stage.base_resolved:
                yield self.finding(
                    stage.from_line,
                    f"`FROM {stage.base}` becomes empty{why}; BuildKit fails with `base name ({stage.base}) should not be blank`.",
                )
                continue
            yield self.finding(
                stage.from_line,
                f"`FROM {stage.base}` becomes `{stage.base_resolved}`, which is not a valid image reference{why}; "
                f"BuildKit fails with `invalid reference format`.",
            )
