"""BuildKit's own build checks as the oracle for the findings that carry a BuildKit check name.

Every corpus case and every build of every handbook example goes through
``docker buildx build --call=check,format=json`` with the engine at hand;
the findings of the analysis that carry a BuildKit name must be exactly
BuildKit's warnings, as (check name, line) pairs. The analysis is told what
BuildKit can see and it cannot: the environment and platform of the local
stand-in base images (``docker image inspect``) and the context's
``.dockerignore``.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from dockerfile_docs.dockerignore import read_ignore_file
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.model import Analysis, BuildOptions, ImageFacts
from dockerfile_docs.parse import decode_dockerfile
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.verify.context import ignore_file_for
from dockerfile_docs.verify.example import discover_examples
from dockerfile_docs.verify.inputs import load_stand_ins

from tests.semantics.corpus import all_cases
from tests.semantics.record import STAND_INS as CORPUS_STAND_INS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class CheckedBuild:
    """One Dockerfile with the options of one build."""

    name: str
    context: Path
    dockerfile: Path
    stand_ins: tuple[tuple[str, str], ...]
    build_args: tuple[tuple[str, str], ...] = ()
    target: str | None = None
    platform: str | None = None


def _builds() -> list[CheckedBuild]:
    builds = [
        CheckedBuild(
            f"case/{case.name}", case.directory, case.dockerfile, tuple(CORPUS_STAND_INS.items()),
            tuple(case.build_args.items()), case.target, case.platform,
        )
        for case in all_cases()
    ]
    stand_ins = tuple(load_stand_ins(EXAMPLES / "stand-ins.yml").items())
    for example in discover_examples(EXAMPLES):
        for spec in example.targets:
            builds.append(CheckedBuild(
                f"example/{example.name}/{spec.target or 'last'}", example.directory, example.dockerfile_path, stand_ins,
                tuple(example.build_args_for(spec).items()), spec.target, example.platform,
            ))
    return builds


BUILDS = _builds()


@cache
def _image_facts(local: str) -> ImageFacts:
    inspected = subprocess.run(
        ["docker", "image", "inspect", "--format", "{{json .Config.Env}} {{.Os}}/{{.Architecture}}", local],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    env_json, _, platform = inspected.rpartition(" ")
    env = dict(item.partition("=")[::2] for item in json.loads(env_json) or [])
    return ImageFacts(env=env, platform=platform)


class BuildKitRefused(Exception):
    """BuildKit ran no checks: it could not read the file, or fetch its frontend (the message is its last line)."""


@dataclass(frozen=True)
class CheckReport:
    """What ``--call=check`` printed: the warnings, and the error that stops the build, if any."""

    warnings: Counter[tuple[str, int]]
    build_error: str | None


def buildkit_checks(build: CheckedBuild) -> CheckReport:
    command = ["docker", "buildx", "build", "--call=check,format=json", "-f", str(build.dockerfile)]
    for reference, local in build.stand_ins:
        command += ["--build-context", f"{reference}=docker-image://{local}"]
    for name, value in build.build_args:
        command += ["--build-arg", f"{name}={value}"]
    if build.target:
        command += ["--target", build.target]
    if build.platform:
        command += ["--platform", build.platform]
    completed = subprocess.run([*command, str(build.context)], capture_output=True, text=True, timeout=120)
    if "unknown flag: --call" in completed.stderr:
        pytest.skip("this buildx has no --call=check (buildx 0.15 and later have it; CI runs 0.29)")
    if not completed.stdout.strip().startswith("{"):
        raise BuildKitRefused(completed.stderr.strip().splitlines()[-1] if completed.stderr.strip() else "no output")
    report = json.loads(completed.stdout)
    warnings = Counter(
        (warning["ruleName"], warning["location"]["ranges"][0]["start"]["line"] if warning.get("location") else 0)
        for warning in report.get("warnings") or []
    )
    error = report.get("buildError")
    return CheckReport(warnings, error["message"] if error else None)


def analyzed(build: CheckedBuild) -> Analysis:
    ignore_file = ignore_file_for(build.context, build.dockerfile)
    options = BuildOptions(
        build_args=dict(build.build_args),
        target=build.target,
        platform=build.platform,
        images={reference: _image_facts(local) for reference, local in build.stand_ins},
        ignore_patterns=tuple(read_ignore_file(ignore_file.read_text(encoding="utf-8"))) if ignore_file else (),
    )
    text = decode_dockerfile(build.dockerfile.read_bytes(), str(build.dockerfile))
    return analyze_text(text, str(build.dockerfile), options)


@pytest.mark.docker
@pytest.mark.parametrize("build", [pytest.param(b, id=b.name) for b in BUILDS])
def test_findings_named_after_buildkit_checks_are_buildkits_warnings(build: CheckedBuild, docker_engine: None) -> None:
    """Where BuildKit stops with an error, the analyzer refuses the file or claims at least the warnings made before it.

    ``--call=check`` converts every stage, so it can stop on an error that a
    build of the target never meets (``copy-from-later-stage``) or on a base
    image it cannot fetch offline; its warnings are then only those made
    before the error.
    """
    try:
        report = buildkit_checks(build)
    except BuildKitRefused as refused:
        if "failed to resolve source metadata for docker.io/docker/dockerfile" in str(refused):
            pytest.skip(f"offline, BuildKit cannot fetch the file's # syntax= frontend: {refused}")
        configuration = str(refused).partition("failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK")
        if not configuration[1]:
            raise
        # the check configuration itself: BuildKit stops before it reads the file, and the analysis says why
        messages = [error.message for error in analyzed(build).build_errors]
        assert configuration[1] + configuration[2] in messages, (str(refused), messages)
        return
    try:
        analysis = analyzed(build)
    except DockerfileError as refused:
        assert report.build_error is not None, f"the analyzer refuses a file whose checks BuildKit ran: {refused}"
        return
    claimed = Counter((f.buildkit, f.line) for f in analysis.findings if f.buildkit)
    if report.build_error is not None:
        assert not report.warnings - claimed, f"BuildKit stopped with {report.build_error!r}"
        return
    assert sorted(claimed.elements()) == sorted(report.warnings.elements())
