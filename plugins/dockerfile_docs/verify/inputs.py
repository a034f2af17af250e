"""Everything that decides a build's outcome, reduced to a content hash.

This is the middle of the package's one direction: what an example is
(:mod:`.example`) → what it is built from (here) → what the build showed
(:mod:`.results`); nothing here knows of results or of the engine.

The *input hash* covers what the example folder and ``stand-ins.yml`` say:
the Dockerfile, the context files after ``.dockerignore``, each target's
build args, target and expectations, the platform and the stand-ins the
Dockerfile really uses. It needs no engine, so a docs host without Docker can
still tell whether a stored result belongs to the example as it is now.

The *build key* adds what only the engine knows: its version and the image
IDs of the stand-ins. Results are cached under both, so a new engine or a
rebuilt stand-in image means a new build.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import yaml

from ..analyze import analyze
from ..errors import DockerfileError
from ..model import BuildOptions, Dockerfile, Stage
from ..parse import read_dockerfile, read_dockerfile_bytes
from ..records import record
from .context import context_files
from .example import YAML_LOADER, Example, ExampleConfigError, TargetSpec
from .frontend import BUILTIN, syntax_directive

HASH_VERSION = "2"

METADATA_FILES = frozenset({"example.yml", "verified.json"})
"""Files the handbook keeps in every example folder, left out of the context digest.

``verified.json`` holds the hash itself, so digesting it would make every
written result stale at once; what in ``example.yml`` decides a build (build
args, targets, platform, expectations) is digested on its own, so a new
title does not invalidate a result. An example that copies its whole folder
should list both in its ``.dockerignore``.
"""


@record(frozen=True)
class StandIn:
    """A base image reference replaced, through a BuildKit named context, by a local image."""

    reference: str
    local: str
    image_id: str | None = None

    @property
    def is_frontend(self) -> bool:
        """A ``# syntax=`` frontend served by the engine's built-in one (see :mod:`.frontend`)."""
        return self.local == BUILTIN

    def describe(self) -> str:
        if self.is_frontend:
            return (f"built with the engine's built-in Dockerfile frontend in place of {self.reference}, which cannot "
                    "be pulled here: the # syntax= line was left out of the build, every instruction on its own line")
        return f"built with local stand-in {self.local} for {self.reference}"

    def to_json(self) -> dict[str, str | None]:
        return {"reference": self.reference, "local": self.local, "image_id": self.image_id}

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> StandIn:
        return cls(reference=str(data["reference"]), local=str(data["local"]), image_id=data.get("image_id"))


@record(frozen=True)
class TargetPlan:
    """One target to build: its stage label, the named stages it needs (in build order) and its image references."""

    spec: TargetSpec
    label: str
    target_name: str | None
    stages: tuple[str, ...]
    references: tuple[str, ...]
    build_args: dict[str, str]
    command_line: int | None = None

    @property
    def name(self) -> str:
        """The stage label and the build args this target entry sets itself: ``runtime MESSAGE=hi``."""
        return " ".join([self.label, *(f"{key}={value}" for key, value in sorted(self.spec.build_args.items()))])


@record(frozen=True)
class ExampleInputs:
    """The example's inputs, their digests and the resulting input hash."""

    example: Example
    parts: dict[str, str]
    input_hash: str
    plans: tuple[TargetPlan, ...]
    stand_ins: tuple[StandIn, ...]

    def build_key(self, engine_identity: dict[str, str | None], stand_in_ids: dict[str, str | None]) -> str:
        """The input hash with what only the engine knows: its identity (``EngineInfo.identity()``) and the stand-ins' image IDs."""
        payload = {"input": self.input_hash, "engine": engine_identity, "stand_ins": dict(sorted(stand_in_ids.items()))}
        return _sha256(json.dumps(payload, sort_keys=True))

    def stand_ins_for(self, plan: TargetPlan) -> dict[str, str]:
        """The named contexts of a target's build: its base images' stand-ins (a frontend is none)."""
        by_reference = {stand_in.reference: stand_in.local for stand_in in self.stand_ins if not stand_in.is_frontend}
        return {reference: by_reference[reference] for reference in plan.references if reference in by_reference}

    @property
    def frontend(self) -> StandIn | None:
        """The built-in frontend standing in for the file's ``# syntax=`` image, if ``stand-ins.yml`` says so."""
        return next((stand_in for stand_in in self.stand_ins if stand_in.is_frontend), None)


def resolve_stand_ins_file(example: Example, stand_ins_file: Path | None) -> Path | None:
    """``stand_ins_file`` when given, else ``stand-ins.yml`` beside the example folders when it exists."""
    if stand_ins_file is not None:
        return stand_ins_file
    default = example.default_stand_ins_file
    return default if default.is_file() else None


def load_stand_ins(path: Path | None) -> dict[str, str]:
    """Image reference (as written, after ARG expansion) to local image, from ``stand-ins.yml``.

    Every example of a site reads the same file: it is parsed again only when
    its size or modification time changed.
    """
    if path is None:
        return {}
    try:
        status = path.stat()
        return dict(_stand_ins_as_of(path, status.st_mtime_ns, status.st_size))
    except FileNotFoundError:
        raise ExampleConfigError(path, None, "the stand-ins file does not exist") from None


@lru_cache(maxsize=8)
def _stand_ins_as_of(path: Path, mtime_ns: int, size: int) -> dict[str, str]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except yaml.YAMLError as error:
        raise ExampleConfigError(path, None, f"not valid YAML: {getattr(error, 'problem', None) or error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ExampleConfigError(path, None, "expected a mapping of image references to local images")
    mapping: dict[str, str] = {}
    for reference, local in data.items():
        if not isinstance(reference, str) or not isinstance(local, str) or not local.strip():
            raise ExampleConfigError(path, str(reference), f"expected a local image reference (a string), e.g. dockerfile-docs/busybox:local, or {BUILTIN} for a # syntax= frontend")
        mapping[reference] = local.strip()
    return mapping


def example_inputs(example: Example, stand_ins_file: Path | None = None) -> ExampleInputs:
    """Digest the example as it is on disk now; a Dockerfile that does not parse raises ``DockerfileError``."""
    dockerfile_path = example.dockerfile_path
    stand_in_map = load_stand_ins(resolve_stand_ins_file(example, stand_ins_file))
    dockerfile_bytes = read_dockerfile_bytes(str(dockerfile_path), limit=None)
    parsed = _parsed(dockerfile_bytes, str(dockerfile_path))
    plans = tuple(_plan(example, spec, parsed) for spec in example.targets)
    used = sorted({reference for plan in plans for reference in plan.references if reference in stand_in_map})
    stand_ins = tuple(StandIn(reference=reference, local=stand_in_map[reference]) for reference in used)
    frontend = _frontend_stand_in(parsed, stand_in_map) if isinstance(parsed, Dockerfile) else None
    if frontend is not None:
        stand_ins = (frontend, *stand_ins)

    parts: dict[str, str] = {"hash-version": HASH_VERSION, "example": example.name}
    parts["dockerfile"] = _sha256(dockerfile_bytes)
    parts["dockerfile-path"] = example.dockerfile
    if example.context_dir is not None:
        parts["context-path"] = os.path.relpath(example.context_dir, example.directory)
    in_example_folder = example.context.resolve() == example.directory.resolve()
    for item in context_files(example.context, dockerfile_path):
        if not (in_example_folder and item.path in METADATA_FILES):
            parts[f"context/{item.path}"] = item.digest
    parts["platform"] = example.platform or ""
    for index, plan in enumerate(plans):
        parts[f"target[{index}]"] = _sha256(json.dumps(_target_identity(plan), sort_keys=True))
    for stand_in in stand_ins:
        parts[f"stand-in/{stand_in.reference}"] = stand_in.local
    input_hash = _sha256(json.dumps(parts, sort_keys=True))
    return ExampleInputs(example=example, parts=parts, input_hash=input_hash, plans=plans, stand_ins=stand_ins)


def _parsed(dockerfile_bytes: bytes, path: str) -> Dockerfile | DockerfileError:
    """The Dockerfile, parsed once for every target's plan and the ``# syntax=`` check, or why it does not parse."""
    try:
        return read_dockerfile(path, dockerfile_bytes)
    except DockerfileError as error:
        return error


def _frontend_stand_in(dockerfile: Dockerfile, stand_in_map: dict[str, str]) -> StandIn | None:
    directive = syntax_directive(dockerfile)
    if directive is None:
        return None
    for spelling in (directive.reference, directive.reference.removeprefix("docker.io/")):
        if stand_in_map.get(spelling) == BUILTIN:
            return StandIn(reference=directive.reference, local=BUILTIN)
    return None


def describe_changes(old: dict[str, str], new: dict[str, str]) -> str:
    """What differs between two input digests, in words: ``Dockerfile changed; context file app.go added``."""
    changes: list[str] = []
    dockerfile_in_context = f"context/{new.get('dockerfile-path', old.get('dockerfile-path'))}"
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            continue
        if key == dockerfile_in_context and old.get("dockerfile") != new.get("dockerfile"):
            continue  # the Dockerfile is also a file of its context: say it once
        state = "added" if key not in old else "removed" if key not in new else "changed"
        changes.append(f"{_part_name(key)} {state}")
    if not changes:
        return "the example changed"
    shown = changes[:4] + ([f"{len(changes) - 4} more"] if len(changes) > 4 else [])
    return "; ".join(shown)


def _part_name(key: str) -> str:
    if key.startswith("context/"):
        return f"context file {key.removeprefix('context/')}"
    if key.startswith("stand-in/"):
        return f"stand-in for {key.removeprefix('stand-in/')}"
    if key.startswith("target["):
        return f"{key} (build args or expectations)"
    return {"dockerfile": "Dockerfile", "hash-version": "result format", "context-path": "context folder"}.get(key, key)


def _plan(example: Example, spec: TargetSpec, parsed: Dockerfile | DockerfileError) -> TargetPlan:
    """What to build for ``spec``, from the core's analysis.

    A target expected to fail may fail because the Dockerfile is invalid;
    then BuildKit, not the analysis, has the last word: it is built as
    written, with no stand-ins (BuildKit rejects it before resolving images).
    """
    build_args = example.build_args_for(spec)
    options = BuildOptions(build_args=build_args, target=spec.target, platform=example.platform)
    try:
        if isinstance(parsed, DockerfileError):
            raise parsed
        analysis = analyze(parsed, options)
    except DockerfileError:
        if spec.expect.build != "failure":
            raise
        return TargetPlan(spec=spec, label=spec.target or "last stage", target_name=spec.target, stages=(), references=(), build_args=build_args)
    target_stage = analysis.target_stage
    needed = {stage.index for stage in analysis.stages if stage.needed}
    references = sorted(
        {
            edge.source
            for edge in analysis.edges
            if isinstance(edge.source, str) and edge.target in needed and edge.source.lower() != "scratch"
        }
    )
    stages = tuple(
        stage.name
        for stage in analysis.stages
        if stage.index in needed and stage.name is not None and stage.index != target_stage.index
    )
    return TargetPlan(
        spec=spec,
        label=target_stage.name or f"stage {target_stage.index}",
        target_name=target_stage.name,
        stages=stages,
        references=tuple(references),
        build_args=build_args,
        command_line=_command_line(analysis.stages, target_stage.index),
    )


def _command_line(stages: list[Stage], index: int) -> int | None:
    """The line of the CMD or ENTRYPOINT a ``docker run`` of the stage executes, when the Dockerfile sets it."""
    current: int | None = index
    while current is not None:
        stage = stages[current]
        lines = [ins.start_line for ins in stage.instructions if ins.keyword in ("CMD", "ENTRYPOINT")]
        if lines:
            return lines[-1]
        current = stage.base_stage
    return None


def _target_identity(plan: TargetPlan) -> dict[str, object]:
    expect = plan.spec.expect
    run = expect.run
    return {
        "target": plan.spec.target,
        "build_args": dict(sorted(plan.build_args.items())),
        "expect": {
            "build": expect.build,
            "error": expect.error,
            "run": None
            if run is None
            else {
                "args": list(run.args),
                "exit_code": run.exit_code,
                "output": None if run.output is None else [run.output.mode, run.output.value],
            },
            "max_size": expect.max_size,
            "files_present": list(expect.files_present),
            "files_absent": list(expect.files_absent),
            "layers": expect.layers,
        },
    }


def _sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()
