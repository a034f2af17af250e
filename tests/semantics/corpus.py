"""The cases of the ground-truth corpus and what the engine observed for each.

A case is a folder under ``cases/`` with a ``Dockerfile`` (plus any files its
COPY instructions need), a ``case.yml`` with the build options and the
semantic point it pins, and an ``observed.json`` written by ``record.py``
from a real BuildKit build. Both the engine test and the analyzer test read
the cases through this module, so they always agree on what a case is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"

# Variables the image or the runtime gives every RUN; the analyzer cannot know
# them, so they are compared only when the case's Dockerfile names them.
RUNTIME_VARIABLES = frozenset({"PATH", "HOME", "HOSTNAME", "PWD", "SHLVL", "TERM"})

CASE_KEYS = {"why", "note", "build_args", "target", "platform"}

NEWEST_ENGINE = 28
"""The Docker Engine major version whose BuildKit the analyzer follows (28.5: BuildKit 0.25).

Its recording is ``observed.json``. An older engine that behaved otherwise
keeps its own recording beside it, ``observed-docker-<major>.json`` (Docker
26.1 vendors BuildKit 0.13); where there is none, the older engine did the
same as the newest one.
"""
ENGINE_BUILDKIT = {26: "0.13", 27: "0.17", 28: "0.25", 29: "0.26"}
"""The BuildKit each engine major version vendors (Debian's builds report ``v0.0.0+unknown``)."""


class CaseError(Exception):
    """A case folder that is not a valid case; the message names the file."""


@dataclass(frozen=True)
class Case:
    """One Dockerfile with the build options it is observed under."""

    name: str
    directory: Path
    why: str
    note: str | None = None
    build_args: dict[str, str] = field(default_factory=dict)
    target: str | None = None
    platform: str | None = None

    @property
    def dockerfile(self) -> Path:
        return self.directory / "Dockerfile"

    @property
    def observed_path(self) -> Path:
        return self.directory / "observed.json"

    def dockerfile_text(self) -> str:
        """The text byte for byte: bytes that are not UTF-8 kept as surrogate escapes, to build the same file."""
        return self.dockerfile.read_bytes().decode("utf-8", "surrogateescape")

    def recording_path(self, engine_major: int) -> Path:
        """Where the observation of a Docker ``engine_major`` engine is kept (see :data:`NEWEST_ENGINE`)."""
        if engine_major >= NEWEST_ENGINE:
            return self.observed_path
        return self.directory / f"observed-docker-{engine_major}.json"

    def older_recordings(self) -> dict[int, Path]:
        """The engines that behaved otherwise than the newest one, with their recordings."""
        found = {}
        for path in self.directory.glob("observed-docker-*.json"):
            major = path.stem.rsplit("-", 1)[-1]
            if major.isdigit():
                found[int(major)] = path
        return dict(sorted(found.items()))

    def load_observed(self) -> dict[str, Any]:
        """The newest engine's observation, provenance included."""
        return json.loads(self.observed_path.read_text(encoding="utf-8"))

    def observation_for(self, engine_major: int) -> dict[str, Any]:
        """What an engine of that major version was seen to do, without provenance."""
        path = self.recording_path(engine_major)
        if not path.is_file():
            path = self.observed_path
        stored = json.loads(path.read_text(encoding="utf-8"))
        stored.pop("recorded_with", None)
        return stored

    def analyzer_expectation(self) -> dict[str, Any]:
        """What the analyzer must reproduce: what the newest engine did."""
        return self.observation_for(NEWEST_ENGINE)


def load_case(directory: Path) -> Case:
    """Reads and checks ``case.yml``: unknown keys and wrong types are errors."""
    config_path = directory / "case.yml"
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CaseError(f"{config_path}: not valid YAML: {error}") from None
    if not isinstance(config, dict):
        raise CaseError(f"{config_path}: expected a mapping")
    unknown = set(config) - CASE_KEYS
    if unknown:
        raise CaseError(f"{config_path}: unknown keys {sorted(unknown)}")
    why = config.get("why")
    if not isinstance(why, str) or not why.strip():
        raise CaseError(f"{config_path}: why: a one-line reason is required")
    build_args = config.get("build_args") or {}
    if not isinstance(build_args, dict) or not all(isinstance(k, str) for k in build_args):
        raise CaseError(f"{config_path}: build_args: expected a mapping of names to values")
    for key in ("note", "target", "platform"):
        if config.get(key) is not None and not isinstance(config[key], str):
            raise CaseError(f"{config_path}: {key}: expected a string")
    if not (directory / "Dockerfile").is_file():
        raise CaseError(f"{directory}: no Dockerfile")
    return Case(
        name=directory.name,
        directory=directory,
        why=why.strip(),
        note=config.get("note"),
        build_args={k: str(v) for k, v in build_args.items()},
        target=config.get("target"),
        platform=config.get("platform"),
    )


def all_cases() -> list[Case]:
    return [load_case(d) for d in sorted(CASES_DIR.iterdir()) if (d / "case.yml").is_file()]


def comparable_env(env: dict[str, str], dockerfile_text: str) -> dict[str, str]:
    """``env`` without the runtime-provided variables the Dockerfile does not name."""
    named = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", dockerfile_text))
    return {k: v for k, v in env.items() if k not in RUNTIME_VARIABLES or k in named}


def normalise_reference(reference: str) -> str:
    """An image reference as BuildKit resolves it: registry, namespace and tag made explicit."""
    name, digest = (reference.split("@", 1) + [""])[:2]
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not digest:
        name += ":latest"
    first = name.split("/", 1)[0]
    if "/" not in name or not ("." in first or ":" in first or first == "localhost"):
        name = ("docker.io/" if "/" in name else "docker.io/library/") + name
    return name + (f"@{digest}" if digest else "")
