from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import copy_targets, may_have_shell, root_is_scratch, stage_title

CA_PATHS = ("/etc/ssl/certs", "ca-certificates")
PASSWD_PATHS = ("/etc/passwd",)


class ScratchFinalImage(Rule):
    """The image the build produces starts from `scratch`: what that leaves out.

    `scratch` is the empty image. The final image holds only the files COPY
    and ADD put there: no shell, no CA certificates, no `/etc/passwd` with
    users, no time zone data, no libc unless copied in.

    Why it matters:
    Shell-form `RUN`, `CMD` and `ENTRYPOINT` need `/bin/sh` and fail; a
    program making HTTPS requests fails to verify certificates without
    `/etc/ssl/certs/ca-certificates.crt`; `USER name` needs an `/etc/passwd`
    (a numeric `USER 65532` does not); a dynamically linked binary needs its
    libraries.

    Example:
    Anti-pattern:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        USER nobody
        CMD /busybox wget https://example.com

    Best practice:

        FROM busybox:1.36 AS build
        RUN cp /bin/busybox /busybox
        FROM scratch
        COPY --from=build /busybox /busybox
        USER 65532
        ENTRYPOINT ["/busybox", "true"]
    """

    code = "DD301"
    name = "scratch-final-image"
    groups = ("runtime", "images")
    severity = "info"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        target = analysis.target_stage
        if not root_is_scratch(analysis, target):
            return
        copied = copy_targets(analysis, target)
        everything = " ".join(" ".join(sources) + " " + dest for _, sources, dest in copied)
        lacks = []
        if not may_have_shell(analysis, target, target.end_line + 1):
            lacks.append("no shell (shell-form RUN, CMD and ENTRYPOINT cannot run)")
        if not any(p in everything for p in CA_PATHS):
            lacks.append("no CA certificates (HTTPS clients cannot verify servers; copy `/etc/ssl/certs/ca-certificates.crt` from a builder)")
        if not any(p in everything for p in PASSWD_PATHS):
            lacks.append("no `/etc/passwd` (only numeric `USER` ids work)")
        if not lacks:
            return
        yield self.finding(
            target.from_line,
            f"The final image (stage {stage_title(target)}) starts from `scratch` and holds only what is copied in: "
            + "; ".join(lacks) + ".",
        )
