"""Records what a real BuildKit build does with each case of the corpus.

Usage: ``.venv/bin/python tests/semantics/record.py [--check] [CASE...]``
(all cases when none is named; ``--check`` compares instead of writing).

For one case it observes, always with ``--no-cache`` so nothing is skipped
because a previous build left it in the cache:

1. the case's own Dockerfile, built as the case says: success, or the error
   BuildKit printed (message and the ``Dockerfile:N`` line it points at);
2. the stages BuildKit declares (``--print=targets``): names and FROM lines;
3. an instrumented copy, built for the case's target, to see which stages
   ran. One observation step is added at the end of every stage, just
   before the next stage's FROM line as BuildKit reported it, so every
   instruction keeps its stage. The step runs a static busybox bind-mounted
   from a local directory context (``dd-observer-tools``): that adds no
   stage dependency, works in scratch stages and, having no platform, in
   stages built for a foreign ``--platform``. It names its stage's index so
   no two steps are merged into one vertex;
4. the same copy plus a last ``FROM scratch`` stage collecting every
   stage's environment file, to read what a RUN at the end of each stage
   sees, including stages the target skips. When one stage cannot be built
   (a case may prove a skipped stage would fail) each stage is collected
   alone and the failing ones are recorded as unobservable.

Nothing is filtered here; the comparison drops runtime-provided variables,
and an error message loses only the wrappers put before what BuildKit said:
buildx 0.29's ``failed to build: `` and the solver's ``failed to solve: ``,
which under load is sometimes ``failed to run Build function: `` for the
same error (seen with Docker 28.5 while the CPU was saturated).

The observation goes to the file for the engine at hand
(``Case.recording_path``): ``observed.json`` for the newest engine; for an
older one ``observed-docker-<major>.json``, kept only where it differs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.semantics.corpus import NEWEST_ENGINE, Case, all_cases, load_case
else:
    from .corpus import NEWEST_ENGINE, Case, all_cases, load_case

STAND_INS = {"busybox:1.36": "dockerfile-docs/busybox:local"}
OBSERVER_TOOLS = "dd-observer-tools"
OBSERVER_STAGE = "dd-observer"
BUILD_TIMEOUT_SECONDS = 180
CASE_FILES_NOT_IN_CONTEXT = {"case.yml", "observed.json"}

_VERTEX = re.compile(r"^#\d+ \[(?P<label>[^\]\s]+) \d+/\d+\] (?P<step>.*)$")
_ERROR_LINE = re.compile(r"^(?P<file>Dockerfile):(?P<line>\d+)$")
_MARKER_INDEX = re.compile(rf"^#\d+ \[[^\]]+\] RUN --mount=type=bind,from={OBSERVER_TOOLS},.*/\.dd-observed-env-(\d+)", re.MULTILINE)
_WRAPPERS = ("failed to build: ", "failed to solve: ", "failed to run Build function: ")
_FETCH = re.compile(r"failed to resolve source metadata for (?P<ref>\S+?):? ")


@dataclass(frozen=True)
class BuildOutput:
    succeeded: bool
    log: str
    stdout: str


def _marker(index: int) -> str:
    return (
        f"RUN --mount=type=bind,from={OBSERVER_TOOLS},target=/.dd-observer "
        f'["/.dd-observer/busybox", "sh", "-c", '
        f'"/.dd-observer/busybox env -0 > /.dd-observed-env-{index}"]'
    )


def _observer_tools(directory: Path) -> Path:
    """A directory holding the stand-in image's static busybox, for the observation steps."""
    directory.mkdir()
    container = subprocess.run(
        ["docker", "create", STAND_INS["busybox:1.36"]], capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        subprocess.run(["docker", "cp", "-L", f"{container}:/bin/busybox", str(directory / "busybox")], check=True,
                       capture_output=True)
    finally:
        subprocess.run(["docker", "rm", container], capture_output=True, check=True)
    return directory


def _buildx(context: Path, case: Case, *extra: str, env: dict[str, str] | None = None) -> BuildOutput:
    command = ["docker", "buildx", "build", "--no-cache", "--progress=plain"]
    for ref, local in STAND_INS.items():
        command += ["--build-context", f"{ref}=docker-image://{local}"]
    command += ["--build-context", f"{OBSERVER_TOOLS}={context.parent / OBSERVER_TOOLS}"]
    for name, value in case.build_args.items():
        command += ["--build-arg", f"{name}={value}"]
    if case.platform:
        command += ["--platform", case.platform]
    command += [*extra, str(context)]
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=BUILD_TIMEOUT_SECONDS,
        env={**os.environ, **(env or {})},
    )
    return BuildOutput(completed.returncode == 0, completed.stdout + completed.stderr, completed.stdout)


def _error_of(log: str) -> dict[str, Any]:
    """The message of the last ``ERROR:`` line and the Dockerfile line shown above it."""
    lines = log.splitlines()
    message = next((ln[len("ERROR: "):] for ln in reversed(lines) if ln.startswith("ERROR: ")), log.strip()[-500:])
    message = _unwrapped(message)
    line = None
    for ln in lines:
        found = _ERROR_LINE.match(ln.strip())
        if found:
            line = int(found["line"])
    fetch = _FETCH.search(message + " ")
    if fetch:
        message = f"failed to resolve source metadata for {fetch['ref']}"
        return {"outcome": "fetch-failed", "fetch": fetch["ref"], "error": {"line": line, "message": message}}
    return {"outcome": "rejected", "error": {"line": line, "message": message}}


def _unwrapped(message: str) -> str:
    """BuildKit's message without the client's and the solver's wrappers, whichever of them came."""
    stripped = True
    while stripped:
        stripped = False
        for wrapper in _WRAPPERS:
            if message.startswith(wrapper):
                message, stripped = message[len(wrapper):], True
    return message


def _stages(context: Path, case: Case) -> list[dict[str, Any]]:
    printed = _buildx(
        context, case, "--print=targets,format=json", "--output", "type=cacheonly", env={"BUILDX_EXPERIMENTAL": "1"}
    )
    if not printed.succeeded:
        raise RuntimeError(f"{case.name}: --print=targets failed:\n{printed.log}")
    targets = json.loads(printed.stdout)["targets"]
    return [
        {
            "index": index,
            "name": target.get("name"),
            "base": target.get("base"),
            "from_line": target["location"]["ranges"][0]["start"]["line"],
        }
        for index, target in enumerate(targets)
    ]


def _instrumented(text: str, stages: list[dict[str, Any]]) -> str:
    lines = text.splitlines()
    for stage in reversed(stages[1:]):
        lines.insert(stage["from_line"] - 1, _marker(stage["index"] - 1))
    lines.append(_marker(stages[-1]["index"]))
    return "\n".join(lines) + "\n"


def _observer(instrumented: str, indices: list[int]) -> str:
    collect = [f"COPY --from={i} /.dd-observed-env-{i} /env-{i}" for i in indices]
    return instrumented + "\n".join([f"FROM scratch AS {OBSERVER_STAGE}", *collect]) + "\n"


def _vertex_labels(log: str) -> set[str]:
    """The stage labels (``name`` or ``stage-N``) of the steps BuildKit printed."""
    return {vertex["label"] for vertex in map(_VERTEX.match, log.splitlines()) if vertex}


def _marked_stages(log: str) -> set[int]:
    """The indices of the stages whose observation step ran (read from the step, not the label)."""
    return {int(found) for found in _MARKER_INDEX.findall(log)}


def _indices_of_label(label: str, stages: list[dict[str, Any]]) -> set[int]:
    """Every stage a printed label can stand for: names are case-insensitive and may repeat."""
    named = {s["index"] for s in stages if s["name"] is not None and s["name"].lower() == label.lower()}
    if named:
        return named
    if label.startswith("stage-") and label[len("stage-"):].isdigit():
        return {int(label[len("stage-"):])}
    raise RuntimeError(f"BuildKit printed a step for an unknown stage {label!r}")


def _read_env(path: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for entry in path.read_bytes().decode("utf-8", "surrogateescape").split("\0"):
        if entry:
            name, _, value = entry.partition("=")
            env[name] = value
    return dict(sorted(env.items()))


def _collect_envs(work: Path, case: Case, instrumented: str, indices: list[int]) -> dict[int, dict[str, Any]]:
    """Each stage's environment; stages that cannot be built get an ``env_error``."""

    def attempt(wanted: list[int]) -> tuple[BuildOutput, Path]:
        out = Path(tempfile.mkdtemp(dir=work))
        (work / "context" / "Dockerfile").write_bytes(_observer(instrumented, wanted).encode("utf-8", "surrogateescape"))
        result = _buildx(work / "context", case, "--target", OBSERVER_STAGE, "--output", f"type=local,dest={out}")
        return result, out

    result, out = attempt(indices)
    if result.succeeded:
        return {i: {"env": _read_env(out / f"env-{i}")} for i in indices}
    observed: dict[int, dict[str, Any]] = {}
    for i in indices:
        result, out = attempt([i])
        if result.succeeded:
            observed[i] = {"env": _read_env(out / f"env-{i}")}
        else:
            observed[i] = {"env": None, "env_error": _error_of(result.log)["error"]["message"]}
    return observed


def observe(case: Case) -> dict[str, Any]:
    """What BuildKit does with ``case``; the content of its ``observed.json``."""
    with tempfile.TemporaryDirectory(prefix=f"dd-semantics-{case.name}-") as tmp:
        work = Path(tmp)
        context = work / "context"
        shutil.copytree(case.directory, context, ignore=lambda _d, names: CASE_FILES_NOT_IN_CONTEXT & set(names))
        _observer_tools(work / OBSERVER_TOOLS)
        target = ["--target", case.target] if case.target else []

        plain = _buildx(context, case, *target, "--output", "type=cacheonly")
        if not plain.succeeded:
            return _error_of(plain.log)

        stages = _stages(context, case)
        instrumented = _instrumented(case.dockerfile_text(), stages)
        (context / "Dockerfile").write_bytes(instrumented.encode("utf-8", "surrogateescape"))
        marked = _buildx(context, case, *target, "--output", "type=cacheonly")
        if not marked.succeeded:
            raise RuntimeError(f"{case.name}: the instrumented copy failed where the case built:\n{marked.log}")
        ran = sorted(_marked_stages(marked.log))
        for label in _vertex_labels(plain.log):
            if not _indices_of_label(label, stages) & set(ran):
                raise RuntimeError(f"{case.name}: stage {label!r} ran without its observation step")

        envs = _collect_envs(work, case, instrumented, [s["index"] for s in stages])
        target_index = len(stages) - 1 if case.target is None else min(_indices_of_label(case.target, stages))
        return {
            "outcome": "success",
            "target": target_index,
            "ran": ran,
            "stages": [{**stage, **envs[stage["index"]]} for stage in stages],
        }


def engine_versions() -> dict[str, str]:
    server = subprocess.run(
        ["docker", "version", "--format", "{{.Server.Version}}"], capture_output=True, text=True, check=True
    )
    buildx = subprocess.run(["docker", "buildx", "version"], capture_output=True, text=True, check=True)
    return {"engine": server.stdout.strip(), "buildx": buildx.stdout.split()[1]}


def engine_major(versions: dict[str, str]) -> int:
    return int(versions["engine"].split(".", 1)[0])


def write_observed(case: Case, observation: dict[str, Any], versions: dict[str, str]) -> Path:
    """Write the recording for this engine; an older engine's only where it differs from the newest."""
    major = engine_major(versions)
    path = case.recording_path(major)
    if path != case.observed_path and case.observed_path.is_file() and case.observation_for(NEWEST_ENGINE) == observation:
        path.unlink(missing_ok=True)
        return case.observed_path
    document = {"recorded_with": versions, **observation}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8: kept as JSON escapes of their surrogates
        data = json.dumps(document, indent=2).encode("ascii")
    path.write_bytes(data + b"\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare with the recording for this engine instead of writing it")
    args = parser.parse_args(argv)
    cases = [load_case(Path(__file__).parent / "cases" / n) for n in args.cases] if args.cases else all_cases()
    versions = engine_versions()
    major = engine_major(versions)
    differing = 0
    for case in cases:
        started = time.monotonic()
        observation = observe(case)
        verdict = observation["outcome"]
        if args.check:
            same = case.observed_path.exists() and case.observation_for(major) == observation
            differing += not same
            verdict += "" if same else "  DIFFERS from the recording"
        else:
            verdict += f"  -> {write_observed(case, observation, versions).name}"
        print(f"{case.name:48} {verdict:14} {time.monotonic() - started:5.1f}s", flush=True)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
