"""Reading BuildKit's plain progress output: which step failed, on which Dockerfile line, and why.

With ``--progress=plain`` every step is ``#N [stage i/n] INSTRUCTION``; a
failing one is followed by ``#N ERROR: ...``, then BuildKit prints the
Dockerfile excerpt headed ``<Dockerfile name>:<line>`` and a final
``ERROR: failed to solve: ...`` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STEP_ERROR = re.compile(r"^#(\d+) ERROR:", re.MULTILINE)
_FINAL_ERROR = re.compile(r"^ERROR: (?:failed to solve: )?(.*)$", re.MULTILINE)
_PULL_PATTERNS = (
    re.compile(r"failed to resolve source metadata for (?P<ref>\S+): "),
    re.compile(r"pull access denied for (?P<ref>[^,\s]+)"),
)


@dataclass(frozen=True, slots=True)
class BuildError:
    """What the log says about a failed build."""

    message: str
    line: int | None
    step: str | None
    unpullable: str | None
    tail: tuple[str, ...]


def read_build_error(log: str, dockerfile_name: str, tail_lines: int = 30) -> BuildError:
    lines = [line for line in log.splitlines() if line.strip()]
    final = _FINAL_ERROR.findall(log)
    message = final[-1].strip() if final else (lines[-1].strip() if lines else "the build failed with no output")
    return BuildError(
        message=message,
        line=failing_line(log, dockerfile_name),
        step=failing_step(log),
        unpullable=unpullable_reference(log) if final else None,
        tail=tuple(lines[-tail_lines:]),
    )


def failing_line(log: str, dockerfile_name: str) -> int | None:
    """The line BuildKit points at in its excerpt (``Dockerfile:3``), else the one a parse error names."""
    excerpt = re.findall(rf"^(?:\S*/)?{re.escape(dockerfile_name)}:(\d+)$", log, re.MULTILINE)
    if excerpt:
        return int(excerpt[-1])
    parse_error = re.findall(r"parse error on line (\d+)", log)
    return int(parse_error[-1]) if parse_error else None


def failing_step(log: str) -> str | None:
    """``[build 2/3] RUN exit 3``: the header of the step whose ``#N ERROR`` line appears."""
    errors = _STEP_ERROR.findall(log)
    if not errors:
        return None
    number = errors[-1]
    header = re.search(rf"^#{number} (\[.+?\] .*)$", log, re.MULTILINE)
    return header.group(1).strip() if header else None


def unpullable_reference(log: str) -> str | None:
    """The image reference BuildKit could not pull or resolve, when that is why the build failed."""
    final = _FINAL_ERROR.findall(log)
    text = final[-1] if final else log
    for pattern in _PULL_PATTERNS:
        match = pattern.search(text)
        if match:
            return _short_reference(match.group("ref"))
    return None


def _short_reference(reference: str) -> str:
    """``docker.io/library/alpine:3.19`` as people write it: ``alpine:3.19``."""
    for prefix in ("docker.io/library/", "docker.io/"):
        if reference.startswith(prefix):
            return reference.removeprefix(prefix)
    return reference
