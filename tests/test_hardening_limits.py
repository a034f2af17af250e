"""Very large or deeply nested inputs are refused with a DockerfileError or rendered within a bound.

Each case runs in a child process with an address-space limit and a
timeout, so a blow-up (RecursionError, memory exhaustion, a hang) is seen
as a failed outcome instead of taking the test run down. The child analyzes
the text and renders the full fragment (listing, diagram, explanations),
as a page would.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import textwrap
from dataclasses import dataclass

import pytest

SECONDS_ALLOWED = 20.0
"""The bound a case must finish in (analysis and rendering); the child is killed at three times this."""
MEMORY_LIMIT = 3 * 1024**3


@dataclass(frozen=True)
class Outcome:
    kind: str
    seconds: float
    message: str


CHILD = textwrap.dedent(
    """
    import json, sys, time, traceback
    from dockerfile_docs.errors import DockerfileError
    from dockerfile_docs.parse import decode_dockerfile
    from dockerfile_docs.pipeline import analyze_text
    from dockerfile_docs.render.fragment import render_fragment

    started = time.perf_counter()
    data = sys.stdin.buffer.read()
    try:
        text = decode_dockerfile(data, "Dockerfile")
        html = render_fragment(analyze_text(text, "Dockerfile"))
        kind, message = "rendered", f"{len(html)} characters of HTML"
    except DockerfileError as error:
        kind, message = "DockerfileError", str(error)[:300]
    except BaseException as error:
        kind, message = type(error).__name__, "".join(traceback.format_exception(error)[-3:])[-400:]
    print(json.dumps({"kind": kind, "seconds": time.perf_counter() - started, "message": message}))
    """
)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_case(data: bytes) -> Outcome:
    try:
        child = subprocess.run(
            [sys.executable, "-c", CHILD], input=data, capture_output=True, timeout=SECONDS_ALLOWED * 3, preexec_fn=_limit_memory
        )
    except subprocess.TimeoutExpired:
        return Outcome("timeout", SECONDS_ALLOWED * 3, f"still running after {SECONDS_ALLOWED * 3:.0f} s")
    if child.returncode != 0 or not child.stdout.strip():
        return Outcome(f"exit {child.returncode}", 0.0, child.stderr.decode(errors="replace")[-1500:])
    report = json.loads(child.stdout.decode().strip().splitlines()[-1])
    return Outcome(report["kind"], report["seconds"], report["message"])


def nested_default(depth: int) -> str:
    return "${a:-" * depth + "x" + "}" * depth


def chain_by_copy(stages: int) -> str:
    lines = ["FROM busybox:1.36 AS s0", "RUN echo 0 > /f"]
    for index in range(1, stages):
        lines += [f"FROM busybox:1.36 AS s{index}", f"COPY --from=s{index - 1} /f /f"]
    return "\n".join(lines) + "\n"


def chain_by_from(stages: int) -> str:
    return "\n".join(["FROM busybox:1.36 AS s0"] + [f"FROM s{index - 1} AS s{index}" for index in range(1, stages)]) + "\n"


CASES: dict[str, tuple[bytes, set[str]]] = {
    "10 MB + 1 byte of comment": (b"FROM scratch\n#" + b"x" * (10 * 1024 * 1024 - 13), {"DockerfileError"}),
    "just under 10 MB of comment": (b"FROM scratch\n#" + b"x" * (10 * 1024 * 1024 - 100) + b"\n", {"rendered"}),
    "100000 continuation lines": (("FROM busybox:1.36\nRUN echo \\\n" + "a \\\n" * 100_000 + "b\n").encode(), {"rendered"}),
    "100000 instructions": (("FROM busybox:1.36\n" + "RUN true\n" * 100_000).encode(), {"rendered"}),
    "one 5 MB line": (("FROM busybox:1.36\nRUN echo " + "a" * 5_000_000 + "\n").encode(), {"rendered"}),
    "default expansion nested 10000 deep in RUN": (f"FROM busybox:1.36\nARG a\nRUN echo {nested_default(10_000)}\n".encode(), {"rendered", "DockerfileError"}),
    "default expansion nested 10000 deep in FROM": (f"ARG a\nFROM busybox:{nested_default(10_000)}\n".encode(), {"rendered", "DockerfileError"}),
    "default expansion nested 10000 deep in ENV": (f"FROM busybox:1.36\nENV b={nested_default(10_000)}\nRUN echo $b\n".encode(), {"rendered", "DockerfileError"}),
    "default expansion nested 10000 deep in COPY": (f"FROM busybox:1.36\nARG a\nCOPY {nested_default(10_000)} /x\n".encode(), {"rendered", "DockerfileError"}),
    "JSON array nested 100000 deep": (("FROM busybox:1.36\nCMD " + "[" * 100_000 + "]" * 100_000 + "\n").encode(), {"rendered", "DockerfileError"}),
    "10000 heredocs": (("FROM busybox:1.36\n" + "RUN <<EOF\necho hi\nEOF\n" * 10_000).encode(), {"rendered"}),
    "10000 ARGs on one line": (("FROM busybox:1.36\nARG " + " ".join(f"A{i}=${{A{i - 1}:-x}}" for i in range(10_000)) + "\n").encode(), {"rendered"}),
    "500 stages chained by COPY --from": (chain_by_copy(500).encode(), {"rendered"}),
    "5000 stages chained by COPY --from": (chain_by_copy(5_000).encode(), {"rendered", "DockerfileError"}),
    "5000 stages chained by FROM": (chain_by_from(5_000).encode(), {"rendered", "DockerfileError"}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_large_or_deep_input_is_refused_or_rendered_within_bounds(case: str) -> None:
    data, accepted = CASES[case]
    outcome = run_case(data)
    assert outcome.kind in accepted, f"{case}: {outcome.kind} after {outcome.seconds:.1f} s\n{outcome.message}"
    assert outcome.seconds < SECONDS_ALLOWED, f"{case}: took {outcome.seconds:.1f} s (bound {SECONDS_ALLOWED:.0f} s)"
    if outcome.kind == "DockerfileError":
        assert outcome.message.startswith("Dockerfile"), "the error names the file"
