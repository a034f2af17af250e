"""The analyzer against the BuildKit ground truth in ``tests/semantics/cases``.

Every case was built by a real engine (``tests/semantics/record.py``); here
the same Dockerfile and options go through the project's parser and
analyzer, which must agree with what the engine did: the stages it
declared, the stages it ran for the target, the variables a RUN at the end
of each stage saw, and the line of the error when it refused the file.
No Docker is needed.
"""

from __future__ import annotations

from typing import Any

import pytest
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.model import Analysis, BuildOptions
from dockerfile_docs.parse import decode_dockerfile
from dockerfile_docs.pipeline import analyze_text

from tests.semantics.corpus import Case, all_cases, comparable_env, normalise_reference

MINIMUM_CASES = 40
CASES = all_cases()


def _with_outcome(outcome: str) -> list[Any]:
    return [pytest.param(case, id=case.name) for case in CASES if case.analyzer_expectation()["outcome"] == outcome]


def _stages_with_env() -> list[Any]:
    params = []
    for case in _with_outcome("success"):
        for stage in case.values[0].analyzer_expectation()["stages"]:
            if stage["env"] is not None:
                params.append(pytest.param(case.values[0], stage, id=f"{case.id}[{stage['index']}]"))
    return params


def _analyze(case: Case) -> Analysis:
    """The analysis with its rules run: a ``# check=error=true`` violation is a build error only then."""
    options = BuildOptions(build_args=dict(case.build_args), target=case.target, platform=case.platform)
    return analyze_text(decode_dockerfile(case.dockerfile.read_bytes()), str(case.dockerfile), options)


def test_corpus_is_large_and_fully_recorded() -> None:
    assert len(CASES) >= MINIMUM_CASES
    unrecorded = [case.name for case in CASES if not case.observed_path.is_file()]
    assert unrecorded == []


@pytest.mark.parametrize("case", _with_outcome("success"))
def test_stages_are_the_ones_buildkit_declared(case: Case) -> None:
    observed = case.analyzer_expectation()
    analysis = _analyze(case)
    assert [(s.index, s.name.lower() if s.name else None, s.from_line) for s in analysis.stages] == [
        (s["index"], s["name"], s["from_line"]) for s in observed["stages"]
    ]
    assert analysis.target == observed["target"]


@pytest.mark.parametrize("case", _with_outcome("success"))
def test_a_file_buildkit_built_has_no_build_error(case: Case) -> None:
    assert [error.message for error in _analyze(case).build_errors] == []


@pytest.mark.parametrize("case", _with_outcome("success"))
def test_needed_stages_are_the_ones_buildkit_ran(case: Case) -> None:
    analysis = _analyze(case)
    assert [s.index for s in analysis.stages if s.needed] == case.analyzer_expectation()["ran"]


@pytest.mark.parametrize(("case", "observed_stage"), _stages_with_env())
def test_stage_variables_are_what_a_run_saw(case: Case, observed_stage: dict[str, Any]) -> None:
    stage = _analyze(case).stages[observed_stage["index"]]
    assert stage.set_vars() == comparable_env(observed_stage["env"], case.dockerfile_text())


@pytest.mark.parametrize("case", _with_outcome("rejected"))
def test_rejected_files_fail_at_buildkits_line(case: Case) -> None:
    """A file BuildKit cannot parse raises; one it parses but cannot build has a build error there.

    Where BuildKit names no line (a lint violation under ``check=error=true``,
    ``--from`` with a variable), the analyzer may name the line it knows.
    """
    error = case.analyzer_expectation()["error"]
    try:
        analysis = _analyze(case)
    except DockerfileError as raised:
        if error["line"] is not None:
            assert raised.line == error["line"], f"BuildKit said: {error['message']}"
    else:
        assert analysis.build_errors, f"the analyzer accepts a file BuildKit rejected: {error['message']}"
        if error["line"] is not None:
            assert analysis.build_errors[0].line == error["line"], f"BuildKit said: {error['message']}"


@pytest.mark.parametrize("case", _with_outcome("fetch-failed"))
def test_image_buildkit_fetched_is_what_the_analysis_needs(case: Case) -> None:
    """Offline, BuildKit stops at the first image it cannot fetch: the file itself was accepted,
    and the reference it fetched is the frontend of a ``syntax`` directive or the base of a
    needed stage, at the line BuildKit pointed at."""
    observed = case.analyzer_expectation()
    analysis = _analyze(case)
    fetchable = {
        (normalise_reference(s.base_resolved), s.from_line)
        for s in analysis.stages
        if s.needed and s.base_stage is None and not s.is_scratch
    }
    syntax = analysis.dockerfile.directive("syntax")
    if syntax is not None:
        line = next(d.line for d in analysis.dockerfile.directives if d.name == "syntax")
        fetchable.add((normalise_reference(syntax), line))
    assert (observed["fetch"], observed["error"]["line"]) in fetchable
