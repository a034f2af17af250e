"""Verification on another builder: a second engine reached through a docker context, the handbook's examples on it.

The second engine (``tests/engines.py``) runs in its own network namespace
with its own data-root, exec-root and socket; it has none of the stand-in
images, which verification loads into it. Its results must equal the
current engine's: every example passes with the same checks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.engines import throwaway_engine, unavailable_reason

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("dockerfile-docs")
SOME_EXAMPLES = ("arg-before-from", "multi-stage-go", "scratch-no-shell", "dockerignore")

pytestmark = pytest.mark.docker


@pytest.fixture(params=["classic", "containerd"], ids=["classic-image-store", "containerd-image-store"])
def second_engine(request: pytest.FixtureRequest, docker_engine: None):
    reason = unavailable_reason()
    if reason:
        pytest.fail(f"a second engine cannot be started: {reason}")
    with throwaway_engine(Path("/tmp/dockerfile-docs-engines"), containerd_store=request.param == "containerd") as engine:
        context = f"dockerfile-docs-{uuid.uuid4().hex[:8]}"
        subprocess.run(["docker", "context", "create", context, "--docker", f"host={engine.host}"], check=True, capture_output=True)
        try:
            yield context
        finally:
            subprocess.run(["docker", "context", "rm", "--force", context], capture_output=True, check=False)


def _verify(examples: Path, cache: Path, report: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DOCKERFILE_DOCS_")}
    completed = subprocess.run(
        [str(CLI), "verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "--report", "json", str(report), *extra],
        capture_output=True, text=True, timeout=1800, env=env,
    )
    return completed, time.monotonic() - started


def _checks(report: Path) -> dict[str, list[tuple[str, str, bool]]]:
    results = json.loads(report.read_text())["results"]
    return {
        result["example"]: [(check["name"], check["expected"], check["passed"]) for target in result["targets"] for check in target["checks"]]
        for result in results
    }


def test_the_examples_verify_on_a_second_engine_as_on_this_one(tmp_path: Path, second_engine: str) -> None:
    examples = tmp_path / "examples"
    examples.mkdir()
    for name in SOME_EXAMPLES:
        shutil.copytree(ROOT / "examples" / name, examples / name)
    shutil.copy(ROOT / "examples" / "stand-ins.yml", examples / "stand-ins.yml")
    for stale in examples.glob("*/verified.json"):
        stale.unlink()

    here, _ = _verify(examples, tmp_path / "cache-here", tmp_path / "here.json")
    assert here.returncode == 0, here.stdout + here.stderr
    there, _ = _verify(examples, tmp_path / "cache-there", tmp_path / "there.json", "--builder", second_engine)
    assert there.returncode == 0, there.stdout + there.stderr
    assert _checks(tmp_path / "there.json") == _checks(tmp_path / "here.json")

    results = json.loads((tmp_path / "there.json").read_text())["results"]
    assert {result["engine"]["builder"] for result in results} == {second_engine}
    assert {result["engine"]["driver"] for result in results} == {"docker"}
    assert all(result["engine"]["buildkit_version"] for result in results)
    loaded = subprocess.run(["docker", "--context", second_engine, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True, text=True, check=True)
    store = subprocess.run(["docker", "--context", second_engine, "info", "--format", "{{json .DriverStatus}}"], capture_output=True, text=True, check=True)
    layouts = sorted((tmp_path / "cache-there" / "oci-layouts").glob("sha256-*/index.json"))
    if "io.containerd.snapshotter" in store.stdout:
        # an engine with the containerd image store takes the stand-ins as OCI layouts: none is loaded into it
        assert "dockerfile-docs/busybox:local" not in loaded.stdout.split()
        assert layouts, "the stand-ins were handed over as OCI layouts"
    else:
        # the classic store refuses oci-layout:// (unknown scheme oci-layout): the stand-ins are loaded into it
        assert "dockerfile-docs/busybox:local" in loaded.stdout.split()
        assert not layouts


def test_a_builder_that_is_not_there_is_one_clear_error(tmp_path: Path, docker_engine: None) -> None:
    completed, _ = _verify(ROOT / "examples", tmp_path / "cache", tmp_path / "report.json", "--builder", "no-such-builder", "arg-before-from")
    assert completed.returncode == 1
    assert "no buildx builder or docker context named 'no-such-builder'" in completed.stderr
    assert "Traceback" not in completed.stderr
