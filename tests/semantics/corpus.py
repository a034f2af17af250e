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

CASE_KEYS = {"why", "note", "build_args", "target", "platform", "newer_buildkit"}


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
    newer_buildkit: dict[str, Any] | None = None
    """Where BuildKit changed after the engine that recorded the case, what the newer one does.

    ``since`` names the version, ``reason`` says what changed, ``observed``
    replaces the recording for the analyzer, which follows current BuildKit.
    The engine test still checks the recording against the engine at hand.
    """

    @property
    def dockerfile(self) -> Path:
        return self.directory / "Dockerfile"

    @property
    def observed_path(self) -> Path:
        return self.directory / "observed.json"

    def dockerfile_text(self) -> str:
        return self.dockerfile.read_text(encoding="utf-8")

    def load_observed(self) -> dict[str, Any]:
        return json.loads(self.observed_path.read_text(encoding="utf-8"))

    def analyzer_expectation(self) -> dict[str, Any]:
        """What the analyzer must reproduce: the recording, or the newer BuildKit's behaviour."""
        if self.newer_buildkit is not None:
            return self.newer_buildkit["observed"]
        return self.load_observed()


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
    newer = config.get("newer_buildkit")
    if newer is not None and (not isinstance(newer, dict) or set(newer) != {"since", "reason", "observed"}):
        raise CaseError(f"{config_path}: newer_buildkit: expected since, reason and observed")
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
        newer_buildkit=newer,
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
