"""Verification against the real engine: builds, expectations, the cache, stand-ins, errors and reports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockerfile_docs.cli import main
from dockerfile_docs.verify.engine import DockerCLI, EngineUnavailable
from dockerfile_docs.verify.example import discover_examples, load_example
from dockerfile_docs.verify.results import ExampleResult, lookup_result
from dockerfile_docs.verify.runner import ProgressEvent, builds_performed, verify_examples

pytestmark = pytest.mark.docker

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
BUSYBOX = "dockerfile-docs/busybox:local"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(FIXTURES, root)
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def add_example(root: Path, name: str, dockerfile: str, config: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "Dockerfile").write_text(dockerfile)
    (folder / "example.yml").write_text(config)
    return folder


def by_name(results: list[ExampleResult]) -> dict[str, ExampleResult]:
    return {result.example: result for result in results}


def cached_files(cache: Path) -> list[Path]:
    return sorted((cache / "verify").glob("*.json")) if (cache / "verify").is_dir() else []


def test_fixture_examples_verify_and_measure_each_stage(examples: Path, cache: Path) -> None:
    events: list[ProgressEvent] = []
    results = by_name(verify_examples(discover_examples(examples), cache_dir=cache, jobs=2, progress=events.append))

    hello = results["hello"]
    assert hello.passed, [f.one_line() for f in hello.failures]
    assert hello.engine is not None and hello.engine.server_version
    (target,) = hello.targets
    assert target.run is not None and "hello from the fixture" in target.run.output
    assert [check.name for check in target.checks] == ["build", "max_size", "file /greeting.txt", "file /bin", "file /nothing/here", "exit code", "output (contains)"]
    assert all(check.passed for check in target.checks)

    multi = results["multi-stage"]
    assert multi.passed, [f.one_line() for f in multi.failures]
    first, second = multi.targets
    assert [(stage.stage, stage.final) for stage in first.stages] == [("build", False), ("runtime", True)]
    build_stage, runtime = first.stages
    assert build_stage.size > runtime.size > 0
    assert build_stage.size - runtime.size > 400_000, "the build stage carries 512 KiB of padding the runtime image leaves behind"
    assert runtime.layers == 2
    assert first.run is not None and first.run.output.strip() == "from the build stage"
    assert second.name == "runtime MESSAGE=overridden"
    assert second.run is not None and second.run.output.strip() == "overridden"

    assert results["ignored-files"].passed
    assert results["must-fail"].passed
    finished = [event for event in events if event.kind == "finish"]
    assert len(finished) == 6
    assert max(event.done for event in events) == 6 == events[-1].total


def test_a_failing_expectation_is_reported_with_the_dockerfile_line(examples: Path, cache: Path) -> None:
    (result,) = verify_examples([load_example(examples / "wrong-expectation")], cache_dir=cache)
    assert not result.passed
    (failure,) = result.failures
    assert failure.kind == "expectation"
    assert failure.line == 2
    assert failure.one_line() == "wrong-expectation [stage 0]: Dockerfile:2: expected output (equals) 'expected output', got 'actual output'"
    assert result.targets[0].run is not None and result.targets[0].run.output == "actual output\n"


def test_an_expected_build_failure_records_the_failing_step(examples: Path, cache: Path) -> None:
    (result,) = verify_examples([load_example(examples / "must-fail")], cache_dir=cache)
    assert result.passed
    target = result.targets[0]
    assert target.build_succeeded is False
    assert target.failed_line == 3
    assert target.failed_step is not None and "RUN test -f /does-not-exist" in target.failed_step
    assert [(check.name, check.passed) for check in target.checks] == [("build", True), ("error", True)]


def test_an_unexpected_build_failure_names_the_step_line_and_log(examples: Path, cache: Path) -> None:
    add_example(examples, "breaks", "FROM busybox:1.36\nRUN echo fine\nRUN echo broken >&2 && exit 7\n", "title: Breaks\n")
    add_example(examples, "succeeds", "FROM busybox:1.36\nRUN true\n", "title: t\ntargets: [{expect: {build: failure}}]\n")
    results = by_name(verify_examples([load_example(examples / "breaks"), load_example(examples / "succeeds")], cache_dir=cache))
    (failure,) = results["breaks"].failures
    assert failure.kind == "build"
    assert failure.line == 3
    assert failure.step is not None and "RUN echo broken" in failure.step
    assert "exit code: 7" in failure.message
    assert any("broken" in line for line in failure.log_tail)
    (unexpected,) = results["succeeds"].failures
    assert unexpected.message == "expected build failure, got success"


def test_second_run_builds_nothing_and_a_touched_context_file_rebuilds_only_its_example(examples: Path, cache: Path) -> None:
    first = verify_examples(discover_examples(examples), cache_dir=cache)
    assert builds_performed(first) == 8
    failing = [result for result in first if not result.passed]
    assert [result.example for result in failing] == ["wrong-expectation"]
    retried = builds_performed(failing)

    second = verify_examples(discover_examples(examples), cache_dir=cache)
    assert builds_performed(second) == retried, "only the failing example is built again"
    assert all(result.from_cache for result in second if result.passed)
    assert [r.to_json() for r in second if r.passed] == [r.to_json() for r in first if r.passed]

    (examples / "ignored-files" / "debug.log").write_text("ignored by .dockerignore\n")
    assert builds_performed(verify_examples(discover_examples(examples), cache_dir=cache)) == retried

    (examples / "hello" / "greeting.txt").write_text("hello from the fixture, edited\n")
    third = by_name(verify_examples(discover_examples(examples), cache_dir=cache))
    assert builds_performed(third.values()) == 1 + retried
    assert not third["hello"].from_cache
    assert all(result.from_cache for name, result in third.items() if name not in {"hello", "wrong-expectation"})
    assert "edited" in (third["hello"].targets[0].run.output if third["hello"].targets[0].run else "")


def test_rebuild_ignores_the_cache(examples: Path, cache: Path) -> None:
    hello = load_example(examples / "hello")
    verify_examples([hello], cache_dir=cache)
    assert builds_performed(verify_examples([hello], cache_dir=cache, rebuild=True)) == 1


def test_stand_ins_are_applied_through_named_contexts_and_recorded(examples: Path, cache: Path) -> None:
    unreachable = "dockerfile-docs.invalid/base:1"
    add_example(examples, "renamed-base", f"FROM {unreachable}\nCMD [\"echo\", \"on the stand-in\"]\n", "title: t\ntargets: [{expect: {run: {output: {equals: on the stand-in}}}}]\n")
    (examples / "stand-ins.yml").write_text(f"busybox:1.36: {BUSYBOX}\n{unreachable}: {BUSYBOX}\n")
    (result,) = verify_examples([load_example(examples / "renamed-base")], cache_dir=cache)
    assert result.passed, [f.one_line() for f in result.failures]
    (stand_in,) = result.stand_ins
    assert (stand_in.reference, stand_in.local) == (unreachable, BUSYBOX)
    assert stand_in.image_id == DockerCLI().image_id(BUSYBOX)
    assert (examples / "renamed-base" / "Dockerfile").read_text().startswith(f"FROM {unreachable}\n"), "the Dockerfile is never edited"


def test_an_unpullable_base_image_suggests_a_stand_in_and_is_not_cached(examples: Path, cache: Path) -> None:
    add_example(examples, "no-base", "FROM dockerfile-docs.invalid/base:1\nRUN true\n", "title: t\n")
    (result,) = verify_examples([load_example(examples / "no-base")], cache_dir=cache)
    (failure,) = result.failures
    assert failure.kind == "pull"
    assert failure.line == 1
    assert "dockerfile-docs.invalid/base:1 cannot be pulled" in failure.message
    assert "stand-ins.yml" in failure.message
    assert cached_files(cache) == []


def test_a_build_timeout_is_reported_killed_and_not_cached(examples: Path, cache: Path) -> None:
    add_example(examples, "slow", "FROM busybox:1.36\nRUN sleep 60\n", "title: t\n")
    started = time.monotonic()
    (result,) = verify_examples([load_example(examples / "slow")], cache_dir=cache, timeout=4)
    assert time.monotonic() - started < 30
    (failure,) = result.failures
    assert failure.kind == "timeout"
    assert "timed out after 4 s" in failure.message
    assert cached_files(cache) == []


def test_a_dockerfile_that_does_not_parse_is_one_line_naming_the_example(examples: Path, cache: Path) -> None:
    add_example(examples, "unparsable", "FROM busybox:1.36\nFROOM x\n", "title: t\n")
    (result,) = verify_examples([load_example(examples / "unparsable")], cache_dir=cache)
    (failure,) = result.failures
    assert failure.kind == "parse"
    assert result.builds == 0
    assert "unparsable" in failure.one_line() and "Dockerfile:2" in failure.one_line()
    assert cached_files(cache) == []


def test_engine_down_is_one_clear_error_naming_where_it_looked(examples: Path, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    dead = f"unix://{tmp_path}/dead.sock"
    monkeypatch.setenv("DOCKER_HOST", dead)
    with pytest.raises(EngineUnavailable) as caught:
        verify_examples([load_example(examples / "hello")], cache_dir=cache)
    message = str(caught.value)
    assert f"DOCKER_HOST={dead}" in message
    assert "cached" in message
    assert main(["verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "hello"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("dockerfile-docs:")] == [f"dockerfile-docs: {message}"]
    assert cached_files(cache) == []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dockerfile_docs.cli", *args], capture_output=True, text=True, timeout=300)


def test_cli_exit_status_junit_and_json_reports(examples: Path, cache: Path, tmp_path: Path) -> None:
    junit = tmp_path / "report.xml"
    failing = run_cli("verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "--report", "junit", str(junit))
    assert failing.returncode == 1, failing.stderr
    assert "FAIL wrong-expectation [stage 0]" in failing.stdout
    assert "wrong-expectation [stage 0]: Dockerfile:2:" in failing.stdout
    assert "[6/6]" in failing.stderr
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert len(cases) == 6 == int(suite.get("tests", "0"))
    assert int(suite.get("failures", "0")) == 1 and int(suite.get("errors", "0")) == 0
    failed = [case for case in cases if case.find("failure") is not None]
    assert [case.get("classname") for case in failed] == ["examples.wrong-expectation"]
    failure = failed[0].find("failure")
    assert failure is not None and "Dockerfile:2" in failure.get("message", "")
    names = {case.get("name") for case in cases}
    assert "multi-stage [runtime MESSAGE=overridden]" in names

    report = tmp_path / "report.json"
    passing = run_cli("verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "--report", "json", str(report), "hello", "multi-stage")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    data = json.loads(report.read_text())
    assert data["passed"] is True and data["builds_performed"] == 0
    assert [item["example"] for item in data["results"]] == ["hello", "multi-stage"]


def test_write_results_then_check_committed_detects_a_change(examples: Path, cache: Path, tmp_path: Path) -> None:
    common = ["--examples-dir", str(examples), "--cache-dir", str(cache)]
    assert run_cli("verify", *common, "--write-results", "hello").returncode == 0
    committed = json.loads((examples / "hello" / "verified.json").read_text())
    assert committed["passed"] is True and committed["engine"]["server_version"] and committed["input_hash"]

    env_check = subprocess.run(
        [sys.executable, "-m", "dockerfile_docs.cli", "verify", *common, "--check-committed", "hello"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "DOCKER_HOST": f"unix://{tmp_path}/dead.sock"},
    )
    assert env_check.returncode == 0, env_check.stdout + env_check.stderr
    assert lookup_result(load_example(examples / "hello"), tmp_path / "other-cache", stand_ins_file=None).source == "committed"

    (examples / "hello" / "greeting.txt").write_text("changed\n")
    stale = run_cli("verify", *common, "--check-committed", "hello")
    assert stale.returncode == 1
    assert "out of date (context file greeting.txt changed)" in stale.stdout
    missing = run_cli("verify", *common, "--check-committed", "multi-stage")
    assert missing.returncode == 1 and "no committed result" in missing.stdout


def test_interrupt_kills_the_build_and_records_nothing(examples: Path, cache: Path) -> None:
    add_example(examples, "slow", "FROM busybox:1.36\nRUN echo start-of-slow-step && sleep 120\n", "title: t\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "dockerfile_docs.cli", "verify", "--examples-dir", str(examples), "--cache-dir", str(cache), "slow"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "building stage" in line:
            break
    time.sleep(3)
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("verify did not stop within 30 s of an interrupt")
    assert process.returncode == 130
    assert "interrupted" in process.stderr.read()
    assert cached_files(cache) == []
    leftover = subprocess.run(["pgrep", "-f", str(examples / "slow")], capture_output=True, text=True)
    assert leftover.stdout.strip() == "", "a docker build child survived the interrupt"


def test_without_buildx_plain_docker_build_with_buildkit_is_used(examples: Path, cache: Path) -> None:
    folder = add_example(examples, "scratch-only", "FROM scratch\nCOPY payload.txt /payload.txt\n", "title: t\ntargets: [{expect: {files_present: [/payload.txt], layers: 1}}]\n")
    (folder / "payload.txt").write_text("payload\n")

    class NoBuildx(DockerCLI):
        def _buildx_facts(self) -> tuple[str | None, str | None, str | None]:
            self._buildx = False
            return None, None, None

    docker = NoBuildx()
    results = by_name(verify_examples([load_example(folder), load_example(examples / "hello")], cache_dir=cache, docker=docker))
    assert results["scratch-only"].passed, [f.one_line() for f in results["scratch-only"].failures]
    assert results["scratch-only"].engine is not None and results["scratch-only"].engine.buildx_version is None
    (problem,) = results["hello"].failures
    assert "need docker buildx" in problem.message
    assert docker.builds_performed == 1
