"""Failures that are the engine's are engine failures: reported as such, never cached, never the example's result.

Each fault is injected into a throw-away engine in its own network namespace
(``tests/engines.py``), so the suite's engine is never touched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_docs.verify.buildlog import read_build_error

from tests.engines import throwaway_engine, unavailable_reason

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
CLI = Path(sys.executable).with_name("dockerfile-docs")
BUSYBOX = "dockerfile-docs/busybox:local"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(FIXTURES, root)
    folder = root / "runs-a-step"
    folder.mkdir()
    (folder / "Dockerfile").write_text("FROM busybox:1.36\nRUN echo networked > /out\nCMD [\"cat\", \"/out\"]\n")
    (folder / "example.yml").write_text("title: Runs a step\ntargets:\n  - expect:\n      run:\n        output: {equals: \"networked\\n\"}\n")
    return root


@pytest.fixture
def engine(tmp_path: Path, docker_engine: None):
    reason = unavailable_reason()
    if reason:
        pytest.fail(f"a throw-away engine cannot be started: {reason}")
    with throwaway_engine(Path("/tmp/dockerfile-docs-engines")) as started:
        started.load_image(BUSYBOX)
        yield started


def _verify(examples: Path, cache: Path, env: dict[str, str] | None = None, *names: str) -> subprocess.CompletedProcess[str]:
    command = [str(CLI), "verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "--report", "json", str(cache.parent / "report.json"), *names]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)


@pytest.mark.docker
def test_a_step_whose_network_cannot_be_set_up_is_an_engine_failure_and_not_cached(examples: Path, tmp_path: Path, engine) -> None:
    engine.in_namespace("ip", "link", "delete", "docker0")
    cache = tmp_path / "cache"
    broken = _verify(examples, cache, engine.environment(), "runs-a-step")
    assert broken.returncode == 1
    assert "the engine could not set up the step's network" in broken.stdout, broken.stdout
    assert "to bridge docker0 failed" in broken.stdout
    report = json.loads((tmp_path / "report.json").read_text())
    failure = report["results"][0]["targets"][0]["failures"][0]
    assert failure["kind"] == "engine"
    assert not list((cache / "verify").glob("*.json")) if (cache / "verify").is_dir() else True

    healthy = _verify(examples, cache, None, "runs-a-step")
    assert healthy.returncode == 0, healthy.stdout
    assert "PASS runs-a-step" in healthy.stdout and "cached" not in healthy.stdout


def test_the_failed_step_named_is_the_one_that_failed_in_a_multi_stage_build() -> None:
    """Seen with BuildKit 0.25: a COPY of a missing file in one stage while another stage runs."""
    log = "\n".join([
        "#7 [deps 2/3] COPY pom.xml .",
        "#7 ERROR: failed to calculate checksum of ref 1a2b::3c4d: \"/pom.xml\": not found",
        "#8 [tools 2/2] RUN sleep 1",
        "#8 CANCELED",
        "#9 [app 2/2] RUN true",
        "#9 ERROR: process did not complete successfully: context canceled",
        "------",
        " > [deps 2/3] COPY pom.xml .:",
        "------",
        "Dockerfile:4",
        "ERROR: failed to build: failed to solve: failed to compute cache key: failed to calculate checksum of ref 1a2b::3c4d: \"/pom.xml\": not found",
    ])
    error = read_build_error(log, "Dockerfile")
    assert error.step == "[deps 2/3] COPY pom.xml ."
    assert error.line == 4
    assert error.message.startswith("failed to compute cache key")
    assert error.engine_fault is None
