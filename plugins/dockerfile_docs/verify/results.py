"""Verification results: what each build showed, stored as JSON.

Results live in two places: the cache (``<cache_dir>/verify/<input hash>.<build
key>.json``) and, committed beside an example, ``verified.json``, so a docs
host without Docker still shows them. Every file is written to a temporary
file in the same directory and moved into place with :func:`os.replace`, so a
reader never sees half a result, whatever runs concurrently or gets killed.

Only results that say something lasting about the example are stored: a
build that timed out, could not pull a base image or lost its engine is
reported but never cached (see :attr:`ExampleResult.storable`).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Literal

from ..errors import DockerfileDocsError
from ..model import ImageCommand
from ..records import field, record
from .example import Example
from .inputs import StandIn, describe_changes, example_inputs

RESULT_FORMAT = 1
COMMITTED_NAME = "verified.json"
LOG_TAIL_LINES = 30
MAX_RUN_OUTPUT = 16_000

FailureKind = Literal["build", "expectation", "run", "timeout", "pull", "parse", "engine"]
TRANSIENT_KINDS: frozenset[str] = frozenset({"timeout", "pull", "engine"})


@record(frozen=True)
class EngineInfo:
    """Which engine built a result: shown on the page and part of the cache key."""

    server_version: str
    api_version: str
    os: str
    arch: str
    buildx_version: str | None
    builder: str | None
    driver: str | None
    buildkit_version: str | None = None

    def describe(self) -> str:
        text = f"Docker Engine {self.server_version} ({self.os}/{self.arch})"
        if self.buildx_version:
            text += f", buildx {self.buildx_version}"
        if self.builder:
            text += f", builder {self.builder}" + (f" ({self.driver})" if self.driver else "")
        if self.buildkit_version and self.buildkit_version != "v0.0.0+unknown":
            text += f", BuildKit {self.buildkit_version}"
        return text

    def identity(self) -> dict[str, str | None]:
        """What of the engine and builder the cache key covers: a result is reused only from the same builder."""
        return {
            "server": self.server_version, "platform": f"{self.os}/{self.arch}", "buildx": self.buildx_version,
            "builder": self.builder, "driver": self.driver, "buildkit": self.buildkit_version,
        }

    def to_json(self) -> dict[str, str | None]:
        return {
            "server_version": self.server_version,
            "api_version": self.api_version,
            "os": self.os,
            "arch": self.arch,
            "buildx_version": self.buildx_version,
            "builder": self.builder,
            "driver": self.driver,
            "buildkit_version": self.buildkit_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> EngineInfo:
        return cls(
            server_version=str(data.get("server_version") or "unknown"),
            api_version=str(data.get("api_version") or ""),
            os=str(data.get("os") or ""),
            arch=str(data.get("arch") or ""),
            buildx_version=data.get("buildx_version"),
            builder=data.get("builder"),
            driver=data.get("driver"),
            buildkit_version=data.get("buildkit_version"),
        )


def format_size(size: int) -> str:
    """SI units, as ``docker images`` shows them."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} B" if unit == "B" else f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
        value /= 1000
    return f"{size} B"


@record(frozen=True)
class Failure:
    """Why a target did not verify: names the example, the target and, when known, the Dockerfile line."""

    example: str
    target: str
    kind: FailureKind
    message: str
    line: int | None = None
    step: str | None = None
    log_tail: tuple[str, ...] = ()
    dockerfile: str = "Dockerfile"

    def one_line(self) -> str:
        where = f"{self.dockerfile}:{self.line}: " if self.line else ""
        return f"{self.example} [{self.target}]: {where}{self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "example": self.example,
            "target": self.target,
            "kind": self.kind,
            "message": self.message,
            "line": self.line,
            "step": self.step,
            "log_tail": list(self.log_tail),
            "dockerfile": self.dockerfile,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Failure:
        return cls(
            example=data["example"],
            target=data["target"],
            kind=data["kind"],
            message=data["message"],
            line=data.get("line"),
            step=data.get("step"),
            log_tail=tuple(data.get("log_tail") or ()),
            dockerfile=data.get("dockerfile") or "Dockerfile",
        )


@record(frozen=True)
class Check:
    """One expectation and what the build showed: ``expected`` and ``actual`` are for people."""

    name: str
    expected: str
    actual: str
    passed: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "expected": self.expected, "actual": self.actual, "passed": self.passed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Check:
        return cls(name=data["name"], expected=data["expected"], actual=data["actual"], passed=bool(data["passed"]))


@record(frozen=True)
class StageMeasure:
    """A built stage's image: size in bytes, layers and the time its own build step took.

    Stages are built in dependency order, each with ``--target``, so a
    stage's time is the work it adds over the stages before it.
    """

    stage: str
    final: bool
    size: int
    layers: int
    build_seconds: float
    image_id: str | None = None
    command: ImageCommand | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "stage": self.stage,
            "final": self.final,
            "size": self.size,
            "layers": self.layers,
            "build_seconds": round(self.build_seconds, 3),
            "image_id": self.image_id,
        }
        if self.command is not None:
            data["config"] = {
                "entrypoint": list(self.command.entrypoint) if self.command.entrypoint is not None else None,
                "cmd": list(self.command.cmd) if self.command.cmd is not None else None,
            }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StageMeasure:
        config = data.get("config")
        command = None
        if isinstance(config, dict):
            command = image_command(config.get("entrypoint"), config.get("cmd"))
        return cls(
            stage=data["stage"],
            final=bool(data["final"]),
            size=int(data["size"]),
            layers=int(data["layers"]),
            build_seconds=float(data["build_seconds"]),
            image_id=data.get("image_id"),
            command=command,
        )


def image_command(entrypoint: object, cmd: object) -> ImageCommand:
    """ENTRYPOINT and CMD as an image config (or a stored result) holds them: lists of strings, or null where unset."""
    return ImageCommand(_words(entrypoint), _words(cmd))


def _words(value: object) -> tuple[str, ...] | None:
    return tuple(str(word) for word in value) if isinstance(value, list) else None


@record(frozen=True)
class RunOutcome:
    args: tuple[str, ...]
    exit_code: int
    output: str
    seconds: float
    truncated: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "args": list(self.args),
            "exit_code": self.exit_code,
            "output": self.output,
            "seconds": round(self.seconds, 3),
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunOutcome:
        return cls(
            args=tuple(data.get("args") or ()),
            exit_code=int(data["exit_code"]),
            output=data.get("output") or "",
            seconds=float(data.get("seconds") or 0),
            truncated=bool(data.get("truncated")),
        )


@record
class TargetResult:
    """One declared target's build: the measured stages, the run, each check and the failures."""

    target: str
    requested: str | None
    build_args: dict[str, str]
    expected_build: str
    build_succeeded: bool
    variant_args: dict[str, str] = field(default_factory=dict)
    build_seconds: float = 0.0
    stages: list[StageMeasure] = field(default_factory=list)
    run: RunOutcome | None = None
    checks: list[Check] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    failed_line: int | None = None
    failed_step: str | None = None
    log_tail: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def name(self) -> str:
        """The target and the build args this entry sets itself: ``runtime MESSAGE=hi``."""
        return " ".join([self.target, *(f"{key}={value}" for key, value in sorted(self.variant_args.items()))])

    @property
    def final_stage(self) -> StageMeasure | None:
        return next((stage for stage in self.stages if stage.final), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "requested": self.requested,
            "build_args": self.build_args,
            "variant_args": self.variant_args,
            "expected_build": self.expected_build,
            "build_succeeded": self.build_succeeded,
            "build_seconds": round(self.build_seconds, 3),
            "passed": self.passed,
            "stages": [stage.to_json() for stage in self.stages],
            "run": None if self.run is None else self.run.to_json(),
            "checks": [check.to_json() for check in self.checks],
            "failures": [failure.to_json() for failure in self.failures],
            "failed_line": self.failed_line,
            "failed_step": self.failed_step,
            "log_tail": list(self.log_tail),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TargetResult:
        return cls(
            target=data["target"],
            requested=data.get("requested"),
            build_args=dict(data.get("build_args") or {}),
            expected_build=data.get("expected_build") or "success",
            build_succeeded=bool(data["build_succeeded"]),
            variant_args=dict(data.get("variant_args") or {}),
            build_seconds=float(data.get("build_seconds") or 0),
            stages=[StageMeasure.from_json(item) for item in data.get("stages") or ()],
            run=None if data.get("run") is None else RunOutcome.from_json(data["run"]),
            checks=[Check.from_json(item) for item in data.get("checks") or ()],
            failures=[Failure.from_json(item) for item in data.get("failures") or ()],
            failed_line=data.get("failed_line"),
            failed_step=data.get("failed_step"),
            log_tail=tuple(data.get("log_tail") or ()),
        )


@record
class ExampleResult:
    """Everything one verification of an example showed, with what identifies its inputs.

    ``builds`` counts the ``docker build`` invocations that produced it;
    ``from_cache`` (never stored) says it was read rather than built now.
    ``problems`` holds failures that concern the example as a whole (its
    Dockerfile does not parse, a stand-in image is missing).
    """

    example: str
    title: str
    input_hash: str
    build_key: str | None
    verified_at: str
    engine: EngineInfo | None
    dockerfile: str
    platform: str | None
    stand_ins: list[StandIn] = field(default_factory=list)
    targets: list[TargetResult] = field(default_factory=list)
    problems: list[Failure] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)
    builds: int = 0
    from_cache: bool = False

    @property
    def passed(self) -> bool:
        return not self.failures and bool(self.targets)

    @property
    def failures(self) -> list[Failure]:
        return [*self.problems, *(failure for target in self.targets for failure in target.failures)]

    @property
    def storable(self) -> bool:
        """Whether the result says something lasting: no timeout, pull or engine failure in it."""
        return all(failure.kind not in TRANSIENT_KINDS for failure in self.failures) and not self.problems

    @property
    def build_seconds(self) -> float:
        return sum(target.build_seconds for target in self.targets)

    def built_command(self, target: str | None, build_args: dict[str, str]) -> ImageCommand | None:
        """The ENTRYPOINT and CMD measured in the image of the build of ``target`` with exactly ``build_args``, if it was built."""
        wanted = (target or "").lower()
        for entry in self.targets:
            if (entry.requested or "").lower() == wanted and entry.build_args == build_args and entry.build_succeeded:
                final = entry.final_stage
                if final is not None and final.command is not None:
                    return final.command
        return None

    def to_json(self) -> dict[str, Any]:
        """A JSON-compatible dict (``json.dumps`` it); :meth:`from_json` reads it back."""
        return {
            "format": RESULT_FORMAT,
            "example": self.example,
            "title": self.title,
            "passed": self.passed,
            "input_hash": self.input_hash,
            "build_key": self.build_key,
            "verified_at": self.verified_at,
            "engine": None if self.engine is None else self.engine.to_json(),
            "dockerfile": self.dockerfile,
            "platform": self.platform,
            "stand_ins": [stand_in.to_json() for stand_in in self.stand_ins],
            "targets": [target.to_json() for target in self.targets],
            "problems": [failure.to_json() for failure in self.problems],
            "inputs": dict(sorted(self.inputs.items())),
            "builds": self.builds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> ExampleResult:
        if isinstance(data, str):
            data = json.loads(data)
        assert isinstance(data, dict)
        if data.get("format") != RESULT_FORMAT:
            raise ValueError(f"unsupported result format {data.get('format')!r}")
        return cls(
            example=data["example"],
            title=data.get("title") or data["example"],
            input_hash=data["input_hash"],
            build_key=data.get("build_key"),
            verified_at=data["verified_at"],
            engine=None if data.get("engine") is None else EngineInfo.from_json(data["engine"]),
            dockerfile=data.get("dockerfile") or "Dockerfile",
            platform=data.get("platform"),
            stand_ins=[StandIn.from_json(item) for item in data.get("stand_ins") or ()],
            targets=[TargetResult.from_json(item) for item in data.get("targets") or ()],
            problems=[Failure.from_json(item) for item in data.get("problems") or ()],
            inputs=dict(data.get("inputs") or {}),
            builds=int(data.get("builds") or 0),
        )


@record(frozen=True)
class LookupResult:
    """A stored result for an example and whether it still describes the example as it is.

    ``source`` is ``cache`` or ``committed``; ``stale_reason`` says in words why
    a stale result no longer matches (or why there is none).
    """

    result: ExampleResult | None
    stale: bool
    stale_reason: str | None = None
    source: Literal["cache", "committed"] | None = None
    input_hash: str | None = None


# --------------------------------------------------------------------------- storage


def write_json_atomically(path: Path, data: object) -> None:
    """Write ``data`` as JSON through a temporary file and ``os.replace``: readers see the old or the new file, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_result(path: Path) -> ExampleResult | None:
    """A stored result, or ``None`` when missing or unreadable (a damaged file is treated as no result)."""
    try:
        return ExampleResult.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AssertionError):
        return None


def cache_path(cache_dir: Path, input_hash: str, build_key: str) -> Path:
    return Path(cache_dir) / "verify" / f"{input_hash}.{build_key}.json"


def committed_path(example: Example) -> Path:
    return example.directory / COMMITTED_NAME


def store_result(result: ExampleResult, cache_dir: Path) -> Path | None:
    """Cache a result under its input hash and build key; transient failures are never stored."""
    if not result.storable or result.build_key is None:
        return None
    path = cache_path(cache_dir, result.input_hash, result.build_key)
    write_json_atomically(path, result.to_json())
    return path


def cached_result(cache_dir: Path, input_hash: str, build_key: str) -> ExampleResult | None:
    result = read_result(cache_path(cache_dir, input_hash, build_key))
    if result is not None:
        result.from_cache = True
    return result


def write_committed(result: ExampleResult, example: Example) -> Path | None:
    """Write ``verified.json`` beside the example (what a docs host without Docker shows)."""
    if not result.storable:
        return None
    path = committed_path(example)
    write_json_atomically(path, result.to_json())
    return path


def lookup_result(example: Example, cache_dir: Path, *, stand_ins_file: Path | None = None) -> LookupResult:
    """The stored result for ``example`` as it is now: the cache first, then ``verified.json``.

    Needs no engine. A result whose input hash differs from the example's
    current one is returned with ``stale=True`` and the reason (e.g. which
    context file changed), so a page can show it with a warning.
    ``stand_ins_file`` ``None`` means ``stand-ins.yml`` beside the examples.
    """
    try:
        current = example_inputs(example, stand_ins_file)
    except DockerfileDocsError as error:
        fallback = read_result(committed_path(example))
        return LookupResult(result=fallback, stale=True, stale_reason=f"the example cannot be verified as it is: {error}", source="committed" if fallback else None)
    newest = _newest_cached(Path(cache_dir), current.input_hash)
    if newest is not None:
        return LookupResult(result=newest, stale=False, source="cache", input_hash=current.input_hash)
    committed = read_result(committed_path(example))
    if committed is None:
        return LookupResult(result=None, stale=True, stale_reason="not verified yet: run 'dockerfile-docs verify'", input_hash=current.input_hash)
    if committed.input_hash == current.input_hash:
        return LookupResult(result=committed, stale=False, source="committed", input_hash=current.input_hash)
    reason = "changed since it was verified: " + describe_changes(committed.inputs, current.parts)
    return LookupResult(result=committed, stale=True, stale_reason=reason, source="committed", input_hash=current.input_hash)


def _newest_cached(cache_dir: Path, input_hash: str) -> ExampleResult | None:
    candidates = sorted((cache_dir / "verify").glob(f"{input_hash}.*.json")) if (cache_dir / "verify").is_dir() else []
    results = [result for result in (read_result(path) for path in candidates) if result is not None and result.input_hash == input_hash]
    if not results:
        return None
    newest = max(results, key=lambda result: result.verified_at)
    newest.from_cache = True
    return newest
