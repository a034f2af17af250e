"""Running a Dockerfile through the real BuildKit engine, for tests that pin semantics to it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

BUSYBOX_STAND_IN = ("busybox:1.36", "dockerfile-docs/busybox:local")


def build(dockerfile: str, *, build_args: dict[str, str] | None = None, target: str | None = None,
          stand_ins: tuple[tuple[str, str], ...] = (BUSYBOX_STAND_IN,), timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Build ``dockerfile`` with no cache and plain progress; the log is in ``stderr``."""
    with tempfile.TemporaryDirectory(prefix="dd-buildkit-") as context:
        Path(context, "Dockerfile").write_text(dockerfile)
        command = ["docker", "buildx", "build", "--no-cache", "--progress=plain"]
        for reference, local in stand_ins:
            command += ["--build-context", f"{reference}=docker-image://{local}"]
        for name, value in (build_args or {}).items():
            command += ["--build-arg", f"{name}={value}"]
        if target:
            command += ["--target", target]
        return subprocess.run(command + [context], capture_output=True, text=True, timeout=timeout)
