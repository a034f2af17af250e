"""``dockerfile-docs verify`` when things go wrong: each failure is reported clearly and the results cache stays sound.

The cases: the engine socket accepts and hangs up (a fake server, no Docker
needed), a build runs past its time limit, the cache directory is
read-only or full (tmpfs mounts, root only), and two verify runs share one
cache directory at once. In every case: one clear message, no traceback,
every JSON file in the cache parses, and nothing is recorded as passed
that did not pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "hostile" / "failures"
VERIFY = [sys.executable, "-m", "dockerfile_docs.cli", "verify"]


@dataclass(frozen=True)
class VerifyRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def verify(examples: Path, cache: Path, *arguments: str, env: dict[str, str] | None = None, timeout: float = 300) -> VerifyRun:
    run = subprocess.run(
        [*VERIFY, "--examples-dir", str(examples), "--cache-dir", str(cache), *arguments],
        capture_output=True, text=True, timeout=timeout, env=env,
    )
    return VerifyRun(run.returncode, run.stdout, run.stderr)


def copy_examples(destination: Path, *names: str) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copytree(FIXTURES / name, destination / name)
    shutil.copy2(FIXTURES / "stand-ins.yml", destination / "stand-ins.yml")
    return destination


def cached_results(cache: Path) -> list[dict]:
    """Every JSON file in the cache, parsed: a file that does not parse fails the test."""
    results = []
    for path in sorted(cache.rglob("*.json")) if cache.exists() else []:
        try:
            results.append(json.loads(path.read_text(encoding="utf-8")))
        except ValueError as error:
            raise AssertionError(f"{path} in the cache does not parse: {error}") from None
    leftovers = [path.name for path in cache.rglob("*.tmp")] if cache.exists() else []
    assert not leftovers, f"temporary files left in the cache: {leftovers}"
    return results


def assert_clear_failure(run: VerifyRun, *words: str) -> None:
    assert run.returncode != 0, "the failure was not reflected in the exit status"
    assert "Traceback" not in run.output, f"a traceback instead of a message:\n{run.output[-2000:]}"
    lowered = run.output.lower()
    assert any(word in lowered for word in words), f"none of {words} in the report:\n{run.output[-2000:]}"


# --------------------------------------------------------------------------- the engine hangs up


@pytest.fixture
def hanging_up_engine(tmp_path: Path) -> Iterator[str]:
    """A Unix socket where something accepts every connection and closes it at once, as a dying engine does."""
    path = tmp_path / "engine.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    server.settimeout(0.2)
    stop = threading.Event()
    accepted = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(1)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"unix://{path}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
    assert accepted, "the CLI never connected to the fake engine"


def test_engine_that_hangs_up_is_reported_and_nothing_is_cached(tmp_path: Path, hanging_up_engine: str) -> None:
    if shutil.which("docker") is None:
        pytest.skip("needs the docker CLI (no engine needed)")
    examples = copy_examples(tmp_path / "examples", "quick")
    cache = tmp_path / "cache"
    env = dict(os.environ, DOCKER_HOST=hanging_up_engine, DOCKER_CONTEXT="")
    env.pop("DOCKER_CONTEXT")
    run = verify(examples, cache, env=env, timeout=120)
    assert_clear_failure(run, "engine", "docker")
    assert hanging_up_engine in run.output, "the message does not say where the engine was looked for"
    assert cached_results(cache) == []


# --------------------------------------------------------------------------- the engine dies during a build


class DyingEngine:
    """A Unix socket that relays to the real engine until :meth:`die`, then drops every connection.

    To the CLI this is an engine that goes away in the middle of a build: the
    build had started (the relay saw it through) and the connection breaks.
    """

    def __init__(self, path: Path, engine_socket: str) -> None:
        self.path = path
        self.engine_socket = engine_socket
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(64)
        self.server.settimeout(0.2)
        self.dead = threading.Event()
        self.relayed = 0
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.dead.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.engine_socket)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while not self.dead.is_set():
                data = source.recv(65536)
                if not data:
                    break
                self.relayed += len(data)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def die_during_a_build(self, process: subprocess.Popen[str], *, wait: float, finish: float) -> tuple[str, str]:
        """Let a build get going through the relay (20 kB relayed), die 2 s later, and collect ``process``'s output."""
        deadline = time.monotonic() + wait
        while self.relayed < 20_000 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert self.relayed >= 20_000, "no build got going through the relay"
        time.sleep(2)
        self.die()
        return process.communicate(timeout=finish)

    def die(self) -> None:
        self.dead.set()
        self.server.close()
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            except OSError:
                pass


@pytest.mark.docker
def test_engine_that_dies_during_a_build_is_reported_and_nothing_is_cached(tmp_path: Path) -> None:
    engine_socket = "/var/run/docker.sock"
    if not Path(engine_socket).exists():
        pytest.skip("the relay needs the engine on /var/run/docker.sock")
    examples = copy_examples(tmp_path / "examples", "slow")
    cache = tmp_path / "cache"
    engine = DyingEngine(tmp_path / "engine.sock", engine_socket)
    env = {key: value for key, value in os.environ.items() if key != "DOCKER_CONTEXT"}
    env["DOCKER_HOST"] = f"unix://{engine.path}"
    process = subprocess.Popen(
        [*VERIFY, "--examples-dir", str(examples), "--cache-dir", str(cache), "--rebuild"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    stdout, stderr = engine.die_during_a_build(process, wait=60, finish=120)
    run = VerifyRun(process.returncode, stdout, stderr)
    assert_clear_failure(run, "engine", "docker", "connection", "build")
    assert "PASS" not in run.stdout
    assert cached_results(cache) == [], "a build the engine never finished left a result"


# --------------------------------------------------------------------------- a build over its time limit


@pytest.mark.docker
def test_build_over_its_time_limit_is_reported_as_a_timeout_and_never_cached(tmp_path: Path) -> None:
    examples = copy_examples(tmp_path / "examples", "slow")
    cache = tmp_path / "cache"
    run = verify(examples, cache, "--timeout", "2", timeout=120)
    assert_clear_failure(run, "timed out", "timeout", "time limit")
    assert "FAIL" in run.stdout and "0/1 examples verified" in run.stdout
    assert not [result for result in cached_results(cache) if result.get("passed")], "a timed-out build was recorded as passed"
    assert cached_results(cache) == [], "a transient failure (timeout) was cached"
    containers = subprocess.run(["docker", "ps", "-q", "--filter", "name=slow"], capture_output=True, text=True, timeout=30).stdout.split()
    assert not containers, f"containers left running after the timeout: {containers}"


# --------------------------------------------------------------------------- the cache directory refuses writes


def mount_tmpfs(target: Path, options: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True)
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'no mount rights'})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A folder to mount a tmpfs on; unmounted afterwards whatever happens."""
    target = tmp_path / "cache"
    yield target
    subprocess.run(["umount", str(target)], capture_output=True)


@pytest.mark.docker
def test_read_only_cache_is_reported_and_the_result_still_printed(tmp_path: Path, small_mount: Path) -> None:
    mount_tmpfs(small_mount, "ro,size=64k")
    examples = copy_examples(tmp_path / "examples", "quick")
    run = verify(examples, small_mount, "--rebuild")
    assert_clear_failure(run, "read-only", "cannot write", "cache")
    assert str(small_mount) in run.output, "the message does not name the cache directory"
    assert cached_results(small_mount) == []


@pytest.mark.docker
def test_full_cache_is_reported_and_leaves_no_broken_file(tmp_path: Path, small_mount: Path) -> None:
    mount_tmpfs(small_mount, "size=64k")
    filler = small_mount / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    examples = copy_examples(tmp_path / "examples", "quick")
    run = verify(examples, small_mount, "--rebuild")
    assert_clear_failure(run, "no space", "cannot write", "cache")
    filler.unlink()
    assert cached_results(small_mount) == [], "a partial result was left in the full cache"


# --------------------------------------------------------------------------- two runs, one cache


@pytest.mark.docker
def test_two_verify_runs_sharing_a_cache_both_finish_and_leave_it_sound(tmp_path: Path) -> None:
    examples = copy_examples(tmp_path / "examples", "quick", "slow")
    (examples / "slow" / "Dockerfile").write_text(
        "FROM busybox:1.36\nRUN echo quick-enough > /note\nCMD [\"cat\", \"/note\"]\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    command = [*VERIFY, "--examples-dir", str(examples), "--cache-dir", str(cache), "--rebuild", "--jobs", "2"]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outputs = [process.communicate(timeout=300) for process in (first, second)]
    for process, (stdout, stderr) in zip((first, second), outputs):
        assert process.returncode == 0, f"a concurrent run failed:\n{stdout}\n{stderr}"
        assert "Traceback" not in stdout + stderr
        assert "2/2 examples verified" in stdout
    results = cached_results(cache)
    assert {result["example"] for result in results} == {"quick", "slow"}
    assert all(result["passed"] for result in results)
    warm = verify(examples, cache)
    assert warm.returncode == 0 and "0 builds performed" in warm.stdout, warm.output


@pytest.mark.docker
def test_a_builder_that_goes_away_mid_run_fails_its_own_examples_and_the_others_finish(tmp_path: Path) -> None:
    """Two builders share the examples; the second (a docker context whose engine connection is a relay) dies mid-build."""
    engine_socket = "/var/run/docker.sock"
    if not Path(engine_socket).exists():
        pytest.skip("the relay needs the engine on /var/run/docker.sock")
    examples = tmp_path / "examples"
    examples.mkdir()
    for name, source in (("a-quick", "quick"), ("b-slow", "slow"), ("c-quick", "quick")):
        shutil.copytree(FIXTURES / source, examples / name)  # shared round-robin: a and c here, b on the dying builder
    shutil.copy2(FIXTURES / "stand-ins.yml", examples / "stand-ins.yml")
    cache = tmp_path / "cache"
    relay = DyingEngine(tmp_path / "engine.sock", engine_socket)
    context = f"dd-dying-{uuid.uuid4().hex[:6]}"
    subprocess.run(["docker", "context", "create", context, "--docker", f"host=unix://{relay.path}"], check=True, capture_output=True)
    try:
        current = subprocess.run(["docker", "context", "show"], capture_output=True, text=True, check=True).stdout.strip()
        env = {key: value for key, value in os.environ.items() if key not in ("DOCKER_CONTEXT", "DOCKER_HOST")}
        process = subprocess.Popen(
            [*VERIFY, "--examples-dir", str(examples), "--cache-dir", str(cache), "--rebuild", "--builder", current, "--builder", context],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        stdout, stderr = relay.die_during_a_build(process, wait=90, finish=180)
    finally:
        subprocess.run(["docker", "context", "rm", "--force", context], capture_output=True, check=False)
    run = VerifyRun(process.returncode, stdout, stderr)
    assert_clear_failure(run, "engine", "connection")
    assert re.search(r"PASS\s+a-quick", run.stdout) and re.search(r"PASS\s+c-quick", run.stdout), run.output[-2000:]
    assert not re.search(r"PASS\s+b-slow", run.stdout)
    assert "2/3 examples verified" in run.stdout, run.output[-2000:]
    assert sorted(result["example"] for result in cached_results(cache) if "example" in result) == ["a-quick", "c-quick"]
