from __future__ import annotations

from collections.abc import Iterator

from ....analyze import normalize_platform
from ....model import Analysis, Finding
from ...base import Rule
from ...facts import image_facts


class InvalidBaseImagePlatform(Rule):
    """A base image whose platform is not the one the stage is built for.

    BuildKit resolves each base image for the stage's platform (`FROM
    --platform=...`, else the target platform). When the image it gets is for
    another operating system or architecture (a single-platform image, or a
    local one), it builds on it anyway and warns: *Base image IMAGE was pulled
    with platform "ACTUAL", expected "EXPECTED" for current build*. The
    analyzer knows an image's platform only when it is told (the stand-in
    images `verify` builds with are inspected); otherwise this rule is
    silent rather than guess.

    Why it matters:
    The stage's RUN steps then execute binaries of another architecture: they
    fail with `exec format error`, or run slowly under emulation, and the
    image is labelled with a platform its files do not match.

    Example:
    Anti-pattern:

        FROM --platform=linux/arm64 busybox:1.36
        RUN uname -m

    Best practice:

        FROM busybox:1.36
        RUN uname -m
    """

    code = "DD420"
    name = "invalid-base-image-platform"
    groups = ("buildkit", "images")
    severity = "warning"
    buildkit = "InvalidBaseImagePlatform"
    example_images = (("busybox:1.36", "linux/amd64"),)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            if stage.base_stage is not None or stage.is_scratch or not stage.base_resolved:
                continue
            facts = image_facts(analysis, stage.base_resolved)
            if facts is None or facts.platform is None:
                continue
            expected = stage.platform_resolved or analysis.options.target_platform
            wanted_os, wanted_arch, _ = normalize_platform(expected)
            actual_os, actual_arch, _ = normalize_platform(facts.platform)
            if (wanted_os, wanted_arch) == (actual_os, actual_arch):
                continue
            expected_text = "/".join(p for p in normalize_platform(expected) if p)
            actual_text = "/".join(p for p in normalize_platform(facts.platform) if p)
            yield self.finding(
                stage.from_line,
                f'Base image {stage.base_resolved} was pulled with platform "{actual_text}", expected "{expected_text}" for '
                f"current build: its binaries are for another platform, so RUN steps fail with `exec format error` or run "
                f"under emulation. Use an image (or a multi-platform index) that has `{expected_text}`.",
            )
