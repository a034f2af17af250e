"""Reading BuildKit's plain progress output: which step failed, on which Dockerfile line, and why.

With ``--progress=plain`` every step is ``#N [stage i/n] INSTRUCTION``; a
failing one is followed by ``#N ERROR: ...``, then BuildKit prints a summary
naming the step (`` > [stage i/n] INSTRUCTION:``), the Dockerfile excerpt
headed ``<Dockerfile name>:<line>`` and a final ``ERROR: failed to solve:
...`` line (buildx 0.29 puts ``failed to build: `` before it).

Some failures are the engine's, not the example's: the network of a RUN
step could not be set up, the storage or containerd failed, the daemon went
away mid-build. :data:`ENGINE_FAULTS` recognises them, so they are reported
as engine failures and never stored as the example's result.
"""

from __future__ import annotations

import re

from ..records import record

_STEP_ERROR = re.compile(r"^#(\d+) ERROR:", re.MULTILINE)
_FINAL_ERROR = re.compile(r"^ERROR: (?:failed to build: )?(?:failed to solve: |failed to run Build function: )?(.*)$", re.MULTILINE)
"""The last error line, without the wrappers: buildx 0.29's client prefix and the solver's, which under load
is sometimes ``failed to run Build function: `` for the error that is otherwise ``failed to solve: ``."""
_SUMMARY_STEP = re.compile(r"^ > (\[.+?\] .*):$", re.MULTILINE)
ENGINE_FAULTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"to bridge \S+ failed|failed to (?:add|create) (?:interface|endpoint)|failed to set up container networking"
                r"|network \S+ not found|failed to create network", re.IGNORECASE), "the engine could not set up the step's network"),
    (re.compile(r"error creating overlay mount|failed to mount .*overlay|snapshotter|failed to prepare extraction snapshot"
                r"|failed to create lease|input/output error|no space left on device", re.IGNORECASE), "the engine's storage failed"),
    (re.compile(r"containerd|failed to create shim task|ttrpc|connection refused|transport is closing|error reading from server: EOF"
                r"|rpc error: code = Unavailable|Error response from daemon: .*(?:restart|shutdown)", re.IGNORECASE),
     "the engine (dockerd, containerd or BuildKit) failed or restarted during the build"),
)
"""Log patterns of failures that come from the engine, with what to call them."""
_PULL_PATTERNS = (
    re.compile(r"failed to resolve source metadata for (?P<ref>\S+): "),
    re.compile(r"pull access denied for (?P<ref>[^,\s]+)"),
)


@record(frozen=True)
class BuildError:
    """What the log says about a failed build."""

    message: str
    line: int | None
    step: str | None
    unpullable: str | None
    tail: tuple[str, ...]
    engine_fault: str | None = None
    """What the engine failed at, when the failure is the engine's (see :data:`ENGINE_FAULTS`)."""


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
        engine_fault=engine_fault(message),
    )


def engine_fault(message: str) -> str | None:
    """Why the failure with this message is the engine's, or ``None`` when it may be the example's."""
    for pattern, meaning in ENGINE_FAULTS:
        if pattern.search(message):
            return meaning
    return None


def failing_line(log: str, dockerfile_name: str) -> int | None:
    """The line BuildKit points at in its excerpt (``Dockerfile:3``), else the one a parse error names."""
    excerpt = re.findall(rf"^(?:\S*/)?{re.escape(dockerfile_name)}:(\d+)$", log, re.MULTILINE)
    if excerpt:
        return int(excerpt[-1])
    parse_error = re.findall(r"parse error on line (\d+)", log)
    return int(parse_error[-1]) if parse_error else None


def failing_step(log: str) -> str | None:
    """``[build 2/3] RUN exit 3``: the step BuildKit's error summary names, else the one whose ``#N ERROR`` line appears.

    The summary is the authority: a step that BuildKit cancels, or one whose
    cache key fails to compute (a COPY of a missing file), can print its
    ``#N ERROR`` line after another step's.
    """
    summary = _SUMMARY_STEP.findall(log)
    if summary:
        return summary[-1].strip()
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
