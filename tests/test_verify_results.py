"""Stored results: JSON round trip, atomic writes, what is cached, and lookups without an engine."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from dockerfile_docs.verify import results as results_module
from dockerfile_docs.verify.engine import EngineInfo
from dockerfile_docs.verify.example import load_example
from dockerfile_docs.verify.inputs import StandIn, example_inputs
from dockerfile_docs.verify.results import (
    Check,
    ExampleResult,
    Failure,
    RunOutcome,
    StageMeasure,
    TargetResult,
    cache_path,
    committed_path,
    lookup_result,
    read_result,
    store_result,
    write_committed,
    write_json_atomically,
)

FIXTURES = Path(__file__).parent / "fixtures" / "verify"
ENGINE = EngineInfo("26.1.5", "1.45", "linux", "amd64", "0.13.1", "default", "docker")


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(FIXTURES, root)
    return root


def make_result(name: str = "hello", *, input_hash: str = "0" * 64, failures: list[Failure] | None = None, inputs: dict[str, str] | None = None) -> ExampleResult:
    target = TargetResult(
        target="runtime",
        requested="runtime",
        build_args={"MESSAGE": "hi"},
        expected_build="success",
        build_succeeded=True,
        variant_args={"MESSAGE": "hi"},
        build_seconds=3.25,
        stages=[
            StageMeasure("build", False, 812_000_000, 9, 2.5, "sha256:aa"),
            StageMeasure("runtime", True, 4_200_000, 2, 0.75, "sha256:bb"),
        ],
        run=RunOutcome(("--help",), 0, "usage: app\n", 0.2),
        checks=[Check("max_size", "at most 12 MB", "4.2 MB", True)],
        failures=list(failures or []),
    )
    return ExampleResult(
        example=name,
        title="Hello",
        input_hash=input_hash,
        build_key="1" * 64,
        verified_at="2025-01-31T12:00:00+00:00",
        engine=ENGINE,
        dockerfile="Dockerfile",
        platform=None,
        stand_ins=[StandIn("busybox:1.36", "dockerfile-docs/busybox:local", "sha256:cc")],
        targets=[target],
        inputs=dict(inputs or {}),
        builds=2,
    )


def test_json_round_trip_keeps_every_field() -> None:
    failure = Failure("hello", "runtime", "expectation", "expected exit code 0, got 1", line=3, step="[2/3] RUN x", log_tail=("a", "b"))
    original = make_result(failures=[failure])
    text = json.dumps(original.to_json())
    copy = ExampleResult.from_json(text)
    assert copy.to_json() == original.to_json()
    assert copy.failures == [failure]
    assert copy.passed is False
    assert copy.targets[0].name == "runtime MESSAGE=hi"
    assert copy.build_seconds == pytest.approx(3.25)


def test_failures_name_example_target_and_line() -> None:
    failure = Failure("hello", "runtime", "build", "the build of stage runtime failed", line=7, dockerfile="Dockerfile")
    assert failure.one_line() == "hello [runtime]: Dockerfile:7: the build of stage runtime failed"


def test_an_interrupted_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "verify" / "result.json"
    write_json_atomically(path, {"version": "old"})

    def dump_then_die(data: object, handle, **kwargs: object) -> None:  # noqa: ANN001
        handle.write('{"version": "new", "trunc')
        raise KeyboardInterrupt

    monkeypatch.setattr(results_module.json, "dump", dump_then_die)
    with pytest.raises(KeyboardInterrupt):
        write_json_atomically(path, {"version": "new"})
    monkeypatch.undo()
    assert json.loads(path.read_text()) == {"version": "old"}
    assert [entry.name for entry in path.parent.iterdir()] == ["result.json"]


def test_concurrent_writers_never_expose_a_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.json"
    write_json_atomically(path, {"writer": -1, "payload": []})
    stop = threading.Event()
    bad_reads: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            text = path.read_text()
            reads += 1
            try:
                data = json.loads(text)
                assert len(data["payload"]) == 2000 or data["writer"] == -1
            except (ValueError, AssertionError):
                bad_reads.append(text[:80])

    def writer(number: int) -> None:
        for _ in range(20):
            write_json_atomically(path, {"writer": number, "payload": list(range(2000))})

    reading = threading.Thread(target=reader)
    reading.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reading.join()
    assert reads > 0
    assert bad_reads == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shared.json"]


def test_transient_failures_are_not_cached_but_expectation_failures_are(tmp_path: Path) -> None:
    timeout = Failure("hello", "runtime", "timeout", "timed out after 5 s")
    assert store_result(make_result(failures=[timeout]), tmp_path) is None
    assert not (tmp_path / "verify").exists()
    wrong = Failure("hello", "runtime", "expectation", "expected layers 1, got 2")
    stored = store_result(make_result(failures=[wrong]), tmp_path)
    assert stored is not None and read_result(stored) is not None
    pull = Failure("hello", "runtime", "pull", "cannot be pulled")
    assert write_committed(make_result(failures=[pull]), load_example(FIXTURES / "hello")) is None


def test_a_damaged_cache_file_counts_as_no_result(tmp_path: Path) -> None:
    path = cache_path(tmp_path, "a" * 64, "b" * 64)
    path.parent.mkdir(parents=True)
    path.write_text('{"format": 1, "example": "hel')
    assert read_result(path) is None


def test_lookup_without_any_result_says_not_verified_yet(examples: Path, tmp_path: Path) -> None:
    found = lookup_result(load_example(examples / "hello"), tmp_path / "cache", stand_ins_file=None)
    assert found.result is None
    assert found.stale is True
    assert found.stale_reason is not None and "not verified yet" in found.stale_reason


def test_lookup_prefers_a_cached_result_for_the_current_inputs(examples: Path, tmp_path: Path) -> None:
    example = load_example(examples / "hello")
    current = example_inputs(example)
    store_result(make_result(input_hash=current.input_hash, inputs=current.parts), tmp_path / "cache")
    found = lookup_result(example, tmp_path / "cache", stand_ins_file=None)
    assert found.source == "cache"
    assert found.stale is False
    assert found.result is not None and found.result.input_hash == current.input_hash


def test_lookup_falls_back_to_the_committed_result(examples: Path, tmp_path: Path) -> None:
    example = load_example(examples / "hello")
    current = example_inputs(example)
    write_committed(make_result(input_hash=current.input_hash, inputs=current.parts), example)
    assert committed_path(example).is_file()
    found = lookup_result(example, tmp_path / "empty-cache", stand_ins_file=None)
    assert (found.source, found.stale) == ("committed", False)


def test_lookup_marks_a_committed_result_stale_and_names_what_changed(examples: Path, tmp_path: Path) -> None:
    example = load_example(examples / "hello")
    current = example_inputs(example)
    write_committed(make_result(input_hash=current.input_hash, inputs=current.parts), example)
    (examples / "hello" / "greeting.txt").write_text("a new greeting\n")
    found = lookup_result(example, tmp_path / "cache", stand_ins_file=None)
    assert found.stale is True
    assert found.result is not None
    assert found.stale_reason == "changed since it was verified: context file greeting.txt changed"


def test_lookup_of_an_example_that_no_longer_parses_is_stale_with_the_error(examples: Path, tmp_path: Path) -> None:
    example = load_example(examples / "hello")
    (examples / "hello" / "Dockerfile").write_text("FROM busybox:1.36\nFROOM x\n")
    found = lookup_result(example, tmp_path / "cache", stand_ins_file=None)
    assert found.stale is True
    assert found.stale_reason is not None and "Dockerfile:2" in found.stale_reason
