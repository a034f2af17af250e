"""The rules' claims checked against what real BuildKit builds saw (``tests/semantics/cases``).

Where a rule states a value (``VERSION`` is ``1.22`` here), an outcome (the
build fails on this line) or a skipped stage, the recorded observation of
the same Dockerfile under the same build options must agree.
"""

from __future__ import annotations

import re

import pytest
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.expand import Expander
from dockerfile_docs.explain.facts import declared_names, scope_at, values_of
from dockerfile_docs.model import Analysis, BuildOptions, Finding
from dockerfile_docs.pipeline import analyze_text

from tests.semantics.corpus import all_cases

CASES = [case for case in all_cases() if case.observed_path.is_file()]
BUILD_FAILURE_RULES = {"DD001", "DD106", "DD205", "DD206", "DD207"}
"""Rules whose finding says BuildKit stops the build at that line."""


_VALUE_CLAIM = re.compile(r"^`(?P<name>[A-Za-z_][A-Za-z0-9_]*)` is (?:`(?P<value>[^`]*)`|(?P<empty>empty) \(`''`\)) here")
_UNSET_CLAIM = re.compile(r"^`(?P<name>[A-Za-z_][A-Za-z0-9_]*)` is unset in this stage")
_ARG_OVER_ENV_CLAIM = re.compile(r"^`ARG (?P<name>\w+)` replaces `ENV \w+` .* the lines below see (?:`(?P<value>[^`]*)`|empty)")


def _analysis(case) -> Analysis | None:
    options = BuildOptions(build_args=dict(case.build_args), target=case.target, platform=case.platform)
    try:
        return analyze_text(case.dockerfile_text(), case.name, options)
    except DockerfileError:
        return None


ANALYZED = [(case, _analysis(case)) for case in CASES]
ANALYZED = [(case, analysis) for case, analysis in ANALYZED if analysis is not None]
IDS = [case.name for case, _ in ANALYZED]


def _redeclared_after(analysis: Analysis, stage_index: int, name: str, line: int) -> bool:
    stage = analysis.stages[stage_index]
    escape = analysis.dockerfile.escape
    return any(i.start_line > line and name in dict(declared_names(i, escape)) for i in stage.instructions)


def _observed_env(observed: dict, stage_index: int) -> dict[str, str] | None:
    for stage in observed.get("stages") or []:
        if stage["index"] == stage_index:
            return stage.get("env")
    return None


def _findings(analysis: Analysis, code: str) -> list[Finding]:
    return [f for f in analysis.findings if f.rule == code]


def test_the_corpus_is_there_to_check_against():
    assert len(ANALYZED) >= 20


@pytest.mark.parametrize("case,analysis", ANALYZED, ids=IDS)
def test_stated_arg_values_are_what_the_build_saw(case, analysis):
    observed = case.load_observed()
    if observed["outcome"] != "success":
        pytest.skip("the build did not run")
    for finding in _findings(analysis, "DD102") + _findings(analysis, "DD104"):
        stage = analysis.stage_of_line(finding.line)
        env = _observed_env(observed, stage.index)
        match = _VALUE_CLAIM.match(finding.message) or _ARG_OVER_ENV_CLAIM.match(finding.message)
        unset = _UNSET_CLAIM.match(finding.message)
        name = (match or unset).group("name") if (match or unset) else None
        if env is None or name is None or _redeclared_after(analysis, stage.index, name, finding.line):
            continue
        if match:
            claimed = match.group("value") if match.group("value") is not None else ""
            assert env.get(name) == claimed, f"{finding.message} / observed {name}={env.get(name)!r}"
        else:
            assert name not in env, f"{finding.message} / observed {name}={env[name]!r}"


@pytest.mark.parametrize("case,analysis", ANALYZED, ids=IDS)
def test_names_said_to_be_empty_expand_to_nothing_in_the_build(case, analysis):
    observed = case.load_observed()
    if observed["outcome"] != "success":
        pytest.skip("the build did not run")
    escape = analysis.dockerfile.escape
    for finding in _findings(analysis, "DD101") + _findings(analysis, "DD103"):
        name = re.match(r"^`(\w+)`", finding.message).group(1)
        instruction = next(i for i in analysis.dockerfile.instructions if i.start_line <= finding.line <= i.end_line)
        stage = analysis.stage_of_line(finding.line)
        env = _observed_env(observed, stage.index)
        if env is None:
            continue
        if instruction.keyword == "RUN":
            continue
        assert instruction.keyword == "ENV", "the corpus checks these claims on ENV lines"
        scope = values_of(scope_at(analysis, instruction.start_line))
        scope.pop(name, None)
        for key, raw in declared_names(instruction, escape):
            if f"{name}" not in (raw or "") or _redeclared_after(analysis, stage.index, key, instruction.start_line):
                continue
            assert env.get(key) == Expander(scope, escape).word(raw or ""), f"{finding.message} / observed {key}={env.get(key)!r}"


@pytest.mark.parametrize("case,analysis", ANALYZED, ids=IDS)
def test_skipped_stages_are_the_ones_the_build_did_not_run(case, analysis):
    observed = case.load_observed()
    if observed["outcome"] != "success":
        pytest.skip("the build did not run")
    skipped = {analysis.stage_of_line(f.line).index for f in _findings(analysis, "DD202")}
    assert skipped == {s.index for s in analysis.stages} - set(observed["ran"])


def _in_the_build(analysis, line):
    """Whether the line is read by this build: a line of a needed stage, or of the global scope before the first FROM."""
    stage = analysis.stage_of_line(line)
    return stage is None or stage.needed


@pytest.mark.parametrize("case,analysis", ANALYZED, ids=IDS)
def test_build_failures_are_claimed_exactly_where_the_build_failed(case, analysis):
    observed = case.load_observed()
    claimed = [f for f in analysis.findings if f.rule in BUILD_FAILURE_RULES and _in_the_build(analysis, f.line)]
    if observed["outcome"] == "success":
        assert claimed == [], [f.message for f in claimed]
    elif claimed and observed["error"]["line"] is not None:
        assert observed["error"]["line"] in {f.line for f in claimed}


@pytest.mark.parametrize("case,analysis", ANALYZED, ids=IDS)
def test_ignored_build_args_changed_nothing(case, analysis):
    observed = case.load_observed()
    if observed["outcome"] != "success":
        pytest.skip("the build did not run")
    for finding in _findings(analysis, "DD105"):
        name = re.search(r"`--build-arg (\w+)=", finding.message).group(1)
        value = case.build_args[name]
        for stage in observed["stages"]:
            assert (stage.get("env") or {}).get(name) != value, f"{finding.message} / stage {stage['index']} saw it"


@pytest.mark.parametrize("name,code,line", [
    ("copy-from-later-stage", "DD205", 2),
    ("stage-name-uppercase-in-from", "DD206", 3),
    ("stage-name-used-before-its-stage-is-an-image", "DD207", 1),
    ("global-arg-invisible-in-stage-until-redeclared", "DD103", 3),
    ("variable-visible-from-declaration-on", "DD103", 2),
    ("env-beats-arg-of-same-name", "DD104", 3),
    ("env-before-arg-of-same-name", "DD104", 3),
    ("arg-precedence-build-arg-default-global", "DD102", 7),
    ("platform-args-need-declaration-in-stage", "DD103", 2),
    ("undeclared-build-arg-changes-nothing", "DD105", 1),
    ("stage-skipped-when-target-does-not-reach-it", "DD202", 5),
])
def test_the_corpus_cases_that_pin_a_rule_make_it_speak(name, code, line):
    matches = [(case, analysis) for case, analysis in ANALYZED if case.name == name]
    assert matches, f"corpus case {name} is missing or the analyzer rejects it"
    _, analysis = matches[0]
    assert line in {f.line for f in _findings(analysis, code)}, [(f.rule, f.line) for f in analysis.findings]


def test_a_global_arg_used_in_run_without_redeclaration_is_unset_there_as_the_build_saw():
    case = next(c for c in CASES if c.name == "global-arg-not-redeclared-is-absent")
    observed = case.load_observed()
    text = case.dockerfile_text() + 'RUN echo "$GLOBAL"\n'
    analysis = analyze_text(text, case.name)
    [finding] = _findings(analysis, "DD101")
    assert "`GLOBAL` is empty here" in finding.message and "the shell sees it unset" in finding.message
    assert "GLOBAL" not in _observed_env(observed, 0)
