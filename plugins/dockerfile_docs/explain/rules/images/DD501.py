from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import image_tag, is_valid_image_reference


class UnpinnedBaseImage(Rule):
    """A base image with no tag, or the tag `latest`.

    `FROM debian` means `FROM debian:latest`, and `latest` is just the tag a
    publisher last moved: it points at a different image over time.

    Why it matters:
    The same Dockerfile builds a different image next month (a new major
    version, a new libc), and a cached build differs from a fresh one. Pin a
    version tag, or a digest (`@sha256:...`) for full reproducibility.

    Example:
    Anti-pattern:

        FROM busybox
        RUN true

    Best practice:

        FROM busybox:1.36
        RUN true
    """

    code = "DD501"
    name = "unpinned-base-image"
    aliases = ("latest-tag",)
    groups = ("images",)
    severity = "warning"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        stage_names = {s.name.lower() for s in analysis.stages if s.name}
        for stage in analysis.stages:
            reference = stage.base_resolved
            if stage.base_stage is not None or stage.is_scratch or reference.lower() in stage_names:
                continue
            if not is_valid_image_reference(reference):
                continue
            tag, digest = image_tag(reference)
            if digest:
                continue
            if tag is None:
                yield self.finding(
                    stage.from_line,
                    f"`FROM {reference}` has no tag, so BuildKit pulls `{reference}:latest`, whatever that points to on "
                    f"the day of the build; pin a version tag (e.g. `{reference}:<version>`) or a digest.",
                )
            elif tag == "latest":
                yield self.finding(
                    stage.from_line,
                    f"`FROM {reference}` uses the `latest` tag, which moves to new releases over time; pin a version tag or a digest.",
                )
