"""The rules' examples built and run with the real engine: what a rule says fails, fails; the fix works.

Each rule docstring carries an anti-pattern and a best-practice Dockerfile.
For the rules that claim an outcome (the build stops, the container cannot
start, the container prints this), both are built with BuildKit, with the
local busybox image standing in for ``busybox:1.36``.
"""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from dockerfile_docs.explain.reference import parse_rule_doc
from dockerfile_docs.explain.registry import find_rule
from dockerfile_docs.model import BuildOptions
from dockerfile_docs.pipeline import analyze_text

from tests.buildkit import BUSYBOX_STAND_IN

pytestmark = pytest.mark.docker


@dataclass(frozen=True)
class Outcome:
    built: bool
    log: str
    exit_code: int | None = None
    output: str = ""


def build_and_run(dockerfile: str, *, target: str | None = None, build_args: dict[str, str] | None = None, run: bool = False) -> Outcome:
    tag = f"dockerfile-docs-rule-test:{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="dd-rule-") as context:
        Path(context, "Dockerfile").write_text(dockerfile)
        command = ["docker", "buildx", "build", "--progress=plain", "--load", "-t", tag,
                   "--build-context", f"{BUSYBOX_STAND_IN[0]}=docker-image://{BUSYBOX_STAND_IN[1]}"]
        for name, value in (build_args or {}).items():
            command += ["--build-arg", f"{name}={value}"]
        if target:
            command += ["--target", target]
        built = subprocess.run([*command, context], capture_output=True, text=True, timeout=180, check=False)
    if built.returncode != 0:
        return Outcome(False, built.stderr)
    try:
        if not run:
            return Outcome(True, built.stderr)
        ran = subprocess.run(["docker", "run", "--rm", tag], capture_output=True, text=True, timeout=60, check=False)
        return Outcome(True, built.stderr, ran.returncode, ran.stdout + ran.stderr)
    finally:
        subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True, timeout=60, check=False)


def _examples(code: str) -> tuple[str, str]:
    doc = parse_rule_doc(find_rule(code))
    return doc.anti_pattern, doc.best_practice


def _target_of_finding(code: str, dockerfile: str) -> str | None:
    """The stage the rule's finding is in, so the build is the one the finding is about."""
    analysis = analyze_text(dockerfile, code, BuildOptions())
    finding = next(f for f in analysis.findings if f.rule == code)
    stage = analysis.stage_of_line(finding.line)
    return stage.name if stage is not None and stage.index != analysis.target else None


@pytest.mark.parametrize("code,log_fragment", [
    ("DD106", "invalid reference format"),
    ("DD205", "needs to be defined before current stage"),
    ("DD206", "must be lowercase"),
    ("DD207", "base"),
])
def test_a_build_the_rule_says_fails_does_fail_and_the_best_practice_builds(code, log_fragment):
    anti_pattern, best_practice = _examples(code)
    failed = build_and_run(anti_pattern, target=_target_of_finding(code, anti_pattern))
    assert not failed.built and log_fragment in failed.log
    assert build_and_run(best_practice).built


def test_a_from_with_no_default_fails_without_build_args_and_builds_with_them():
    anti_pattern, best_practice = _examples("DD414")
    assert not build_and_run(anti_pattern).built
    assert build_and_run(anti_pattern, build_args=dict(find_rule("DD414").example_build_args)).built
    assert build_and_run(best_practice).built


@pytest.mark.parametrize("code,failure", [
    ("DD302", '"/bin/sh"'),
    ("DD303", "unable to find user app"),
])
def test_a_container_the_rule_says_cannot_start_does_not_and_the_best_practice_runs(code, failure):
    anti_pattern, best_practice = _examples(code)
    broken = build_and_run(anti_pattern, run=True)
    assert broken.built and broken.exit_code != 0 and failure in broken.output
    fixed = build_and_run(best_practice, run=True)
    assert fixed.built and fixed.exit_code == 0, fixed.output


@pytest.mark.parametrize("code", ["DD304", "DD305", "DD306"])
def test_the_stated_effective_command_is_what_the_container_runs(code):
    anti_pattern, best_practice = _examples(code)
    for dockerfile in (anti_pattern, best_practice):
        analysis = analyze_text(dockerfile)
        explained = next(f for f in analysis.findings if f.rule == "DD304")
        outcome = build_and_run(dockerfile, run=True)
        assert outcome.built and outcome.exit_code == 0
        # the examples run `echo`: what it printed is the command line after `echo`
        if "CMD `[\"hello\"]` (line 3) is ignored" in explained.message:
            assert outcome.output == "\n"
        elif "runs `echo hello`" in explained.message:
            assert outcome.output == "hello\n"
        elif "runs `echo /bin/sh -c hello`" in explained.message:
            assert outcome.output == "/bin/sh -c hello\n"
        else:
            raise AssertionError(f"unexpected explanation: {explained.message}")


def test_a_global_arg_not_redeclared_is_empty_in_the_built_image():
    anti_pattern, best_practice = _examples("DD101")
    labels = []
    for dockerfile in (anti_pattern, best_practice):
        tag = f"dockerfile-docs-rule-test:{uuid.uuid4().hex[:12]}"
        with tempfile.TemporaryDirectory(prefix="dd-rule-") as context:
            Path(context, "Dockerfile").write_text(dockerfile)
            subprocess.run(["docker", "buildx", "build", "--load", "-t", tag, "--build-context",
                            f"{BUSYBOX_STAND_IN[0]}=docker-image://{BUSYBOX_STAND_IN[1]}", context],
                           capture_output=True, text=True, timeout=180, check=True)
        try:
            inspected = subprocess.run(["docker", "image", "inspect", "-f", "{{index .Config.Labels \"version\"}}", tag],
                                       capture_output=True, text=True, timeout=60, check=True)
            labels.append(inspected.stdout.strip())
        finally:
            subprocess.run(["docker", "image", "rm", "-f", tag], capture_output=True, timeout=60, check=False)
    assert labels == ["", "1.2.3"]
