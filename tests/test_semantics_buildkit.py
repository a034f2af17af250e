"""The ground-truth corpus stays true: the engine still does what was recorded.

Each case is observed again exactly as ``tests/semantics/record.py`` records
it and compared with the recording for this engine's major version
(``observed.json`` for the newest, ``observed-docker-<major>.json`` where an
older engine behaved otherwise). A difference means the engine's behaviour
changed (or a case was edited without re-recording): re-record with
``.venv/bin/python tests/semantics/record.py CASE`` and review the diff.
"""

from __future__ import annotations

import subprocess

import pytest

from tests.semantics.corpus import Case, all_cases
from tests.semantics.record import (
    STAND_INS,
    _instrumented,
    _marker,
    _unwrapped,
    engine_major,
    engine_versions,
    observe,
)


@pytest.fixture(scope="module")
def stand_in_images(docker_engine: None) -> None:
    for local in set(STAND_INS.values()):
        found = subprocess.run(["docker", "image", "inspect", local], capture_output=True, text=True, check=False)
        if found.returncode != 0:
            pytest.fail(f"the stand-in image {local} is missing: run .ci/make-base-images")


@pytest.fixture(scope="module")
def engine_generation(docker_engine: None) -> int:
    return engine_major(engine_versions())


@pytest.mark.docker
@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in all_cases()])
def test_engine_still_does_what_was_recorded(case: Case, stand_in_images: None, engine_generation: int) -> None:
    assert observe(case) == case.observation_for(engine_generation)


def test_observation_steps_end_every_stage_without_moving_instructions() -> None:
    text = "ARG G=1\nFROM busybox:1.36 AS a\nRUN a \\\n  b\n\nFROM a\nENV X=1"
    stages = [{"index": 0, "from_line": 2}, {"index": 1, "from_line": 6}]
    assert _instrumented(text, stages).splitlines() == [
        "ARG G=1",
        "FROM busybox:1.36 AS a",
        "RUN a \\",
        "  b",
        "",
        _marker(0),
        "FROM a",
        "ENV X=1",
        _marker(1),
    ]


def test_error_messages_lose_the_wrappers_that_vary_with_load() -> None:
    """The same circular dependency came as 'failed to solve: ...' and, with the CPU saturated, 'failed to run Build function: ...'."""
    said = "circular dependency detected on stage: one"
    for wrapped in (f"failed to build: failed to solve: {said}", f"failed to build: failed to run Build function: {said}", said):
        assert _unwrapped(wrapped) == said
