"""Shared fixtures: the Docker engine gate and paths of the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


def _engine_problem() -> str | None:
    """Why no Docker engine with BuildKit can be used here, or ``None`` when one can."""
    if shutil.which("docker") is None:
        return "the docker CLI is not installed"
    try:
        probe = subprocess.run(["docker", "buildx", "version"], capture_output=True, text=True, timeout=20)
        if probe.returncode != 0:
            return "docker buildx is missing: " + (probe.stderr.strip() or probe.stdout.strip())
        probe = subprocess.run(["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "the Docker engine did not answer within 20 s"
    if probe.returncode != 0:
        return "no Docker engine answers: " + (probe.stderr.strip().splitlines() or ["unknown error"])[-1]
    return None


@pytest.fixture(scope="session")
def docker_engine() -> None:
    """Gate for tests that build with the real engine.

    Outside CI a missing engine skips them with the reason; in CI (``CI`` set)
    it fails them, so a broken engine never passes silently.
    """
    problem = _engine_problem()
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs a Docker engine with BuildKit: {problem}")
    pytest.skip(f"needs a Docker engine with BuildKit: {problem}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("docker") and "docker_engine" not in getattr(item, "fixturenames", ()):
            item.fixturenames.insert(0, "docker_engine")
