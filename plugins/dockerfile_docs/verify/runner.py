"""Verify examples: build each declared target with BuildKit, measure it and check its expectations.

Examples run in parallel (``jobs``, default the number of cores); the
targets of one example run in order so they share BuildKit's cache. An
example whose inputs and engine are unchanged since a stored result is not
built at all. An interrupt kills this run's child processes and containers
and stores nothing from the examples in progress.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from ..errors import DockerfileDocsError
from ..records import record
from .buildlog import read_build_error
from .engine import BuildOutcome, BuildRequest, Cancelled, DockerCLI, EngineUnavailable
from .example import Example
from ..parse import is_labs_frontend
from .frontend import BUILTIN, write_built_in_copy
from .inputs import ExampleInputs, StandIn, TargetPlan, example_inputs
from .results import (
    LOG_TAIL_LINES,
    MAX_RUN_OUTPUT,
    Check,
    ExampleResult,
    Failure,
    FailureKind,
    RunOutcome,
    StageMeasure,
    TargetResult,
    EngineInfo,
    cached_result,
    format_size,
    store_result,
)

DEFAULT_TIMEOUT = 600.0

ProgressKind = Literal["cached", "start", "step", "finish"]


@record(frozen=True)
class ProgressEvent:
    """One step of a run, for a progress display or log lines.

    ``done``/``total`` count targets over all examples; ``elapsed`` is the
    seconds since the example's (or, for ``step``, the build step's) start.
    """

    kind: ProgressKind
    example: str
    target: str | None
    message: str
    elapsed: float
    done: int
    total: int
    passed: bool | None = None

    def describe(self) -> str:
        """One plain line, e.g. ``[3/7] hello [runtime] passed (1.2 s)``, for logs and non-terminal output."""
        where = self.example + (f" [{self.target}]" if self.target else "")
        timing = f" ({self.elapsed:.1f} s)" if self.kind == "finish" and self.elapsed else ""
        return f"[{self.done}/{self.total}] {where} {self.message}{timing}"


ProgressCallback = Callable[[ProgressEvent], None]


def builds_performed(results: Iterable[ExampleResult]) -> int:
    """How many ``docker build`` runs produced ``results`` in this run (cached ones count zero)."""
    return sum(result.builds for result in results if not result.from_cache)


def verify_examples(
    examples: Iterable[Example],
    *,
    cache_dir: Path,
    jobs: int | None = None,
    rebuild: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    stand_ins: Path | None = None,
    progress: ProgressCallback | None = None,
    docker: DockerCLI | None = None,
    builders: Iterable[str] = (),
) -> list[ExampleResult]:
    """Build and check every example, reusing stored results whose build key still matches.

    Raises :class:`~dockerfile_docs.verify.engine.EngineUnavailable` when no
    engine answers, ``KeyboardInterrupt`` after cleaning up when interrupted.
    Results come back in the order of ``examples``; ``stand_ins`` is the
    stand-ins file (``None``: ``stand-ins.yml`` beside the examples).
    ``builders`` names buildx builders or docker contexts to build on (none:
    the current engine); examples are dealt to them in turn, each built
    wholly on one, and a builder that fails is an engine failure for its own
    examples only.
    """
    examples = list(examples)
    cli = docker or DockerCLI()
    engine = cli.probe()
    named = list(dict.fromkeys(builders))
    on = [Builder(cli, engine)] if not named else [_builder(name, cli) for name in named]
    run = _Run(cli=cli, engine=engine, cache_dir=Path(cache_dir), timeout=timeout, progress=progress)
    prepared = [run.prepare(example, stand_ins) for example in examples]
    assigned = {example.name: on[index % len(on)] for index, example in enumerate(examples)}
    run.total = sum(len(example.targets) for example in examples)

    results: list[ExampleResult | None] = [None] * len(examples)
    pending: list[tuple[int, ExampleInputs]] = []
    for index, (example, item) in enumerate(zip(examples, prepared)):
        if isinstance(item, ExampleResult):
            results[index] = item
            run.advance(example.name, len(example.targets), "cannot be built", passed=False, kind="finish")
            continue
        if not rebuild:
            stored = cached_result(run.cache_dir, item.input_hash, item.build_key(assigned[example.name].engine.identity(), run.stand_in_ids(item)))
            # A failure is built again: it may have been the engine's, and CI reruns are how people retry.
            if stored is not None and stored.passed:
                results[index] = stored
                run.advance(example.name, len(example.targets), "unchanged, result from cache", passed=stored.passed, kind="cached")
                continue
        pending.append((index, item))

    if pending:
        workers = max(1, min(jobs or os.cpu_count() or 1, len(pending)))
        executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verify")
        futures: dict[Future[ExampleResult | None], int] = {
            executor.submit(run.verify, item, assigned[item.example.name]): index for index, item in pending
        }
        try:
            waiting = set(futures)
            while waiting:
                finished, waiting = wait(waiting, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in finished:
                    results[futures[future]] = future.result()
        except BaseException:
            for builder in on:
                builder.cli.processes.cancel()
            cli.processes.cancel()
            executor.shutdown(wait=True, cancel_futures=True)
            raise
        executor.shutdown(wait=True)
    finished = [result for result in results if result is not None]
    if run.unstored:
        raise ResultsNotStored(cache_dir, run.unstored, finished)
    return finished


@record(frozen=True)
class Builder:
    """Where an example is built: the CLI bound to a builder, and the identity of that builder's engine."""

    cli: DockerCLI
    engine: EngineInfo


def _builder(name: str, current: DockerCLI) -> Builder:
    cli = DockerCLI(processes=current.processes, docker=current.docker, builder=name)
    return Builder(cli, cli.probe())


class ResultsNotStored(DockerfileDocsError):
    """The builds finished but their results could not be written to the cache (read-only, full).

    ``results`` holds them all, so the caller still reports what was
    measured; nothing partial is left in the cache (writes are atomic).
    """

    def __init__(self, cache_dir: Path, problems: list[str], results: list[ExampleResult]) -> None:
        self.results = results
        first = problems[0].split(": ", 1)[-1]
        super().__init__(
            f"cannot write the results cache {cache_dir} ({first}; {len(problems)} result(s) not cached): "
            "make it writable or free space, or pass --cache-dir"
        )


class _Run:
    """State shared by the workers of one :func:`verify_examples` call."""

    def __init__(self, *, cli: DockerCLI, engine: EngineInfo, cache_dir: Path, timeout: float, progress: ProgressCallback | None) -> None:
        self.cli = cli
        self.engine = engine
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.progress = progress
        self.total = 0
        self.done = 0
        self.unstored: list[str] = []
        self._lock = threading.Lock()
        self._stand_in_ids: dict[str, str | None] = {}
        self._copies: dict[tuple[str | None, str], threading.Lock] = {}

    # ------------------------------------------------------------- bookkeeping

    def emit(self, kind: ProgressKind, example: str, target: str | None, message: str, elapsed: float, passed: bool | None = None) -> None:
        if self.progress is None:
            return
        with self._lock:
            self.progress(ProgressEvent(kind, example, target, message, elapsed, self.done, self.total, passed))

    def advance(self, example: str, targets: int, message: str, *, passed: bool, kind: ProgressKind, target: str | None = None, elapsed: float = 0.0) -> None:
        with self._lock:
            self.done += targets
        self.emit(kind, example, target, message, elapsed, passed)

    def stand_in_ids(self, inputs: ExampleInputs) -> dict[str, str | None]:
        ids: dict[str, str | None] = {}
        for stand_in in inputs.stand_ins:
            if stand_in.is_frontend:
                ids[stand_in.reference] = BUILTIN  # the engine's version, in the build key already, says which one
                continue
            with self._lock:
                known = stand_in.local in self._stand_in_ids
            if not known:
                image_id = self.cli.image_id(stand_in.local)
                with self._lock:
                    self._stand_in_ids[stand_in.local] = image_id
            ids[stand_in.reference] = self._stand_in_ids[stand_in.local]
        return ids

    def copy_stand_ins(self, builder: Builder, stand_ins: list[StandIn]) -> dict[str, str]:
        """How each stand-in (by local image) reaches ``builder``: the named context to build with.

        The current engine's builder sees its images (``docker-image://``).
        Any other builder that takes OCI layouts gets one, exported once per
        image ID (:mod:`.oci`); an engine of a docker context that does not
        (the classic image store) gets the image loaded, once per image ID.
        """
        local_images = [s for s in stand_ins if not s.is_frontend and s.image_id is not None]
        sources = {s.local: f"docker-image://{s.local}" for s in local_images}
        if builder.cli.is_current_engine and builder.engine.driver in (None, "docker"):
            return sources
        oci = builder.cli.takes_oci_layouts
        if not oci and builder.engine.driver not in (None, "docker") and local_images:
            raise DockerfileDocsError(
                f"the {builder.engine.driver} builder {builder.cli.builder} cannot see the engine's images and takes no OCI layout; "
                "use a docker context of that engine, or a registry the builder can pull from"
            )
        for stand_in in local_images:
            assert stand_in.image_id is not None
            key = (builder.cli.builder, stand_in.image_id)
            with self._lock:
                lock = self._copies.setdefault(key, threading.Lock())
            with lock:
                if oci:
                    sources[stand_in.local] = self.cli.save_oci_layout(stand_in.local, stand_in.image_id, self.cache_dir, timeout=self.timeout)
                else:
                    builder.cli.ensure_image(stand_in.local, stand_in.image_id, self.cli, timeout=self.timeout)
        return sources

    def prepare(self, example: Example, stand_ins_file: Path | None) -> ExampleInputs | ExampleResult:
        """The example's inputs, or a failed result saying in one line why it cannot be built."""
        try:
            return example_inputs(example, stand_ins_file)
        except DockerfileDocsError as error:
            return self._problem_result(example, "parse", str(error), input_hash="")

    def _problem_result(self, example: Example, kind: FailureKind, message: str, *, input_hash: str, inputs: ExampleInputs | None = None) -> ExampleResult:
        failure = Failure(example=example.name, target="*", kind=kind, message=message, dockerfile=example.dockerfile)
        return ExampleResult(
            example=example.name,
            title=example.title,
            input_hash=input_hash,
            build_key=None,
            verified_at=_now(),
            engine=self.engine,
            dockerfile=example.dockerfile,
            platform=example.platform,
            stand_ins=list(inputs.stand_ins) if inputs else [],
            problems=[failure],
            inputs=dict(inputs.parts) if inputs else {},
        )

    # ------------------------------------------------------------- one example

    def verify(self, inputs: ExampleInputs, builder: Builder | None = None) -> ExampleResult | None:
        """Build every target of one example on ``builder`` (the current engine by default); ``None`` when interrupted."""
        builder = builder or Builder(self.cli, self.engine)
        example = inputs.example
        targets: list[TargetResult] = []
        try:
            stand_in_ids = self.stand_in_ids(inputs)
            stand_ins = [StandIn(s.reference, s.local, stand_in_ids.get(s.reference)) for s in inputs.stand_ins]
            missing = [s for s in stand_ins if s.image_id is None]
            if missing:
                names = ", ".join(f"{s.local} (for {s.reference})" for s in missing)
                self.advance(example.name, len(inputs.plans), "stand-in image missing", passed=False, kind="finish")
                return self._problem_result(
                    example,
                    "engine",
                    f"the stand-in image {names} is not in the engine; make it (see .ci/make-base-images) or fix stand-ins.yml",
                    input_hash=inputs.input_hash,
                    inputs=inputs,
                )
            sources = self.copy_stand_ins(builder, stand_ins)
            builds = 0
            with tempfile.TemporaryDirectory(prefix="dockerfile-docs-verify-") as scratch:
                for plan in inputs.plans:
                    self.emit("start", example.name, plan.name, "building", 0.0)
                    target_build = _TargetBuild(self, builder, inputs, plan, Path(scratch), sources)
                    target_result = target_build.verify()
                    builds += target_build.builds
                    targets.append(target_result)
                    verdict = "passed" if target_result.passed else "failed: " + target_result.failures[0].message
                    self.advance(example.name, 1, verdict, passed=target_result.passed, kind="finish", target=plan.name, elapsed=target_result.build_seconds)
            result = ExampleResult(
                example=example.name,
                title=example.title,
                input_hash=inputs.input_hash,
                build_key=inputs.build_key(builder.engine.identity(), stand_in_ids),
                verified_at=_now(),
                engine=builder.engine,
                dockerfile=example.dockerfile,
                platform=example.platform,
                stand_ins=stand_ins,
                targets=targets,
                inputs=dict(inputs.parts),
                builds=builds,
            )
        except Cancelled:
            return None
        except DockerfileDocsError as error:
            self.advance(example.name, len(inputs.plans) - len(targets), f"cannot be verified: {error}", passed=False, kind="finish")
            return self._problem_result(example, "engine", str(error), input_hash=inputs.input_hash, inputs=inputs)
        if self.cli.processes.cancelled.is_set():
            return None
        try:
            store_result(result, self.cache_dir)
        except OSError as error:
            with self._lock:
                self.unstored.append(f"{example.name}: {error.strerror or error}")
        return result


class _TargetBuild:
    """Builds one target's needed stages and final image, then checks each expectation."""

    def __init__(self, run: _Run, builder: Builder, inputs: ExampleInputs, plan: TargetPlan, scratch: Path, sources: dict[str, str]) -> None:
        self.run = run
        self.sources = sources
        """Stand-in (local image) to the named context that hands it to this builder."""
        self.cli = builder.cli
        self.inputs = inputs
        self.example = inputs.example
        self.plan = plan
        self.scratch = scratch
        self.builds = 0
        self.result = TargetResult(
            target=plan.label,
            requested=plan.spec.target,
            build_args=dict(plan.build_args),
            expected_build=plan.spec.expect.build,
            build_succeeded=False,
            variant_args=dict(plan.spec.build_args),
        )

    def fail(self, kind: FailureKind, message: str, *, line: int | None = None, step: str | None = None, tail: tuple[str, ...] = ()) -> None:
        self.result.failures.append(
            Failure(
                example=self.example.name,
                target=self.result.name,
                kind=kind,
                message=message,
                line=line,
                step=step,
                log_tail=tail,
                dockerfile=self.example.dockerfile,
            )
        )

    def check(self, name: str, expected: str, actual: str, passed: bool, *, line: int | None = None) -> None:
        self.result.checks.append(Check(name=name, expected=expected, actual=actual, passed=passed))
        if not passed:
            self.fail("expectation", f"expected {name} {expected}, got {actual}", line=line)

    def _dockerfile_to_build(self) -> Path:
        """The Dockerfile as written, or its copy without the ``# syntax=`` line when the built-in frontend stands in."""
        if self.inputs.frontend is None:
            return self.example.dockerfile_path
        copy = self.scratch / "built-in-frontend" / self.example.dockerfile_path.name
        if not copy.is_file():
            text = self.example.dockerfile_path.read_bytes().decode("utf-8", "surrogateescape")
            write_built_in_copy(self.example.dockerfile_path, text, copy.parent)
        return copy

    def build(self, target: str | None, label: str) -> BuildOutcome:
        self.run.emit("step", self.example.name, self.plan.name, f"building stage {label}", 0.0)
        request = BuildRequest(
            context_dir=self.example.context,
            dockerfile=self._dockerfile_to_build(),
            target=target,
            build_args=self.plan.build_args,
            platform=self.example.platform,
            named_contexts={reference: self.sources.get(local, local) for reference, local in self.inputs.stand_ins_for(self.plan).items()},
            tag=_tag(self.example.name, label),
        )
        self.builds += 1
        outcome = self.cli.build(request, timeout=self.run.timeout, iidfile=self.scratch / f"iid-{self.plan.label}-{self.builds}")
        self.result.build_seconds += outcome.seconds
        return outcome

    def verify(self) -> TargetResult:
        if self.plan.spec.expect.build == "failure":
            self._verify_expected_failure()
        else:
            self._verify_success()
        return self.result

    def _record_build_failure(self, outcome: BuildOutcome, stage: str, *, expected: bool) -> None:
        error = read_build_error(outcome.log, Path(self.example.dockerfile).name, LOG_TAIL_LINES)
        self.result.failed_line = error.line
        self.result.failed_step = error.step
        self.result.log_tail = error.tail
        lost_engine = None if outcome.timed_out else self._engine_gone()

        def failed(kind: FailureKind, message: str) -> None:
            self.fail(kind, message, line=error.line, step=error.step, tail=error.tail)

        if outcome.timed_out:
            failed("timeout", f"the build of stage {stage} timed out after {self.run.timeout:g} s")
        elif lost_engine is not None:
            failed("engine", f"the engine went away during the build of stage {stage}: {lost_engine}")
        elif error.engine_fault is not None:
            failed("engine", f"{error.engine_fault} (stage {stage}): {error.message}")
        elif error.unpullable is not None and self._is_syntax_frontend(error.unpullable):
            failed("pull", f"the # syntax= frontend {error.unpullable} cannot be pulled ({error.message}); to build with the "
                           f"engine's built-in frontend instead, add '{error.unpullable}: {BUILTIN}' to stand-ins.yml")
        elif error.unpullable is not None and error.unpullable not in {s.reference for s in self.inputs.stand_ins}:
            failed("pull", f"the base image {error.unpullable} cannot be pulled ({error.message}); "
                           f"add a stand-in for it to stand-ins.yml, e.g. '{error.unpullable}: <local image>'")
        elif not expected:
            where = f" at {error.step}" if error.step else ""
            failed("build", f"the build of stage {stage} failed{where}: {error.message}{self._labs_note(error.message)}")

    def _is_syntax_frontend(self, reference: str) -> bool:
        from ..parse import parse_dockerfile
        from .frontend import syntax_directive

        try:
            text = self.example.dockerfile_path.read_bytes().decode("utf-8", "replace")
            directive = syntax_directive(parse_dockerfile(text))
        except (OSError, DockerfileDocsError):
            return False
        return directive is not None and reference in {directive.reference, directive.reference.removeprefix("docker.io/")}

    def _labs_note(self, message: str) -> str:
        """Where the built-in frontend stood in for a labs one and refused labs syntax, say so."""
        frontend = self.inputs.frontend
        if frontend is None or not is_labs_frontend(frontend.reference) or "unknown flag" not in message:
            return ""
        return (f" (the file names the labs frontend {frontend.reference}, whose syntax the engine's built-in "
                "frontend does not have; build it where that image can be pulled)")

    def _engine_gone(self) -> str | None:
        """Why the engine no longer answers, or ``None``: a failed build is the example's only if the engine is still there."""
        try:
            self.cli.probe()
        except EngineUnavailable as error:
            return str(error)
        return None

    def _verify_expected_failure(self) -> None:
        expect = self.plan.spec.expect
        outcome = self.build(self.plan.spec.target, self.plan.label)
        if outcome.succeeded:
            self.result.build_succeeded = True
            self.check("build", "failure", "success", False)
            return
        self._record_build_failure(outcome, self.plan.label, expected=True)
        if self.result.failures:
            return
        self.result.checks.append(Check(name="build", expected="failure", actual="failure", passed=True))
        if expect.error is not None:
            matched = re.search(expect.error, outcome.log, re.MULTILINE) is not None
            actual = "a match" if matched else f"no match in the build output (last error: {self.result.log_tail[-1] if self.result.log_tail else 'none'})"
            self.check("error", f"matching /{expect.error}/", actual, matched, line=self.result.failed_line)

    def _verify_success(self) -> None:
        for stage in self.plan.stages:
            if not self._build_and_measure(stage, stage, final=False):
                return
        if not self._build_and_measure(self.plan.spec.target, self.plan.label, final=True):
            return
        self.result.build_succeeded = True
        self.result.checks.insert(0, Check(name="build", expected="success", actual="success", passed=True))
        self._check_image()

    def _build_and_measure(self, target: str | None, label: str, *, final: bool) -> bool:
        outcome = self.build(target, label)
        if not outcome.succeeded:
            self._record_build_failure(outcome, label, expected=False)
            return False
        assert outcome.image_id is not None
        facts = self.cli.image_facts(outcome.image_id)
        self.result.stages.append(
            StageMeasure(
                stage=label, final=final, size=facts.size, layers=facts.layers, build_seconds=outcome.seconds,
                image_id=facts.image_id, command=facts.command,
            )
        )
        return True

    def _check_image(self) -> None:
        expect = self.plan.spec.expect
        final = self.result.final_stage
        assert final is not None and final.image_id is not None
        if expect.max_size is not None:
            self.check("max_size", f"at most {format_size(expect.max_size)}", format_size(final.size), final.size <= expect.max_size)
        if expect.layers is not None:
            self.check("layers", str(expect.layers), str(final.layers), final.layers == expect.layers)
        if expect.files_present or expect.files_absent:
            paths = self.cli.list_files(final.image_id, timeout=self.run.timeout)
            for path in expect.files_present:
                present = _in_image(path, paths)
                self.check(f"file {path}", "present", "present" if present else "absent", present)
            for path in expect.files_absent:
                present = _in_image(path, paths)
                self.check(f"file {path}", "absent", "present" if present else "absent", not present)
        if expect.run is not None:
            self._check_run(final.image_id)

    def _check_run(self, image_id: str) -> None:
        expectation = self.plan.spec.expect.run
        assert expectation is not None
        self.run.emit("step", self.example.name, self.plan.name, "running the image", 0.0)
        outcome = self.cli.run_image(image_id, expectation.args, timeout=self.run.timeout)
        output = outcome.output
        truncated = len(output) > MAX_RUN_OUTPUT
        self.result.run = RunOutcome(
            args=expectation.args,
            exit_code=outcome.returncode,
            output=output[-MAX_RUN_OUTPUT:] if truncated else output,
            seconds=outcome.seconds,
            truncated=truncated,
        )
        if outcome.timed_out:
            self.fail("timeout", f"running the image timed out after {self.run.timeout:g} s", tail=tuple(output.splitlines()[-LOG_TAIL_LINES:]))
            return
        line = self.plan.command_line
        self.check("exit code", str(expectation.exit_code), str(outcome.returncode), outcome.returncode == expectation.exit_code, line=line)
        if expectation.output is not None:
            holds = expectation.output.holds_for(output)
            shown = output.strip().splitlines()
            actual = repr(shown[-1][:200]) if len(shown) == 1 else f"{len(shown)} lines ending {shown[-1][:200]!r}" if shown else "no output"
            self.check(f"output ({expectation.output.mode})", repr(expectation.output.value), actual, holds, line=line)


def _in_image(path: str, paths: set[str]) -> bool:
    """A path is present when listed, or when anything below it is."""
    normal = "/" + path.strip("/")
    if normal == "/":
        return True
    return normal in paths or any(candidate.startswith(normal + "/") for candidate in paths)


def _tag(example: str, stage: str) -> str:
    """``dockerfile-docs-verify/<example>:<stage>``: lets people find what a verification built."""
    def clean(text: str) -> str:
        return re.sub(r"[^a-z0-9_.-]+", "-", text.lower()).strip("-.") or "x"

    return f"dockerfile-docs-verify/{clean(example)}:{clean(stage)[:128]}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
