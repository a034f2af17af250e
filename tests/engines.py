"""Throw-away Docker engines for tests that need a second engine or one to break.

Each runs in its own network namespace (``ip netns``) with its own data-root,
exec-root, pidfile and socket, so nothing it does (a deleted bridge, a kill)
reaches the engine the rest of the suite uses. It starts its own containerd
under its exec-root. ``--bridge=none`` is never used beside the host's engine:
in the host namespace it would delete the host's ``docker0``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_SECONDS = 90


@dataclass(frozen=True)
class ThrowawayEngine:
    name: str
    root: Path
    netns: str

    @property
    def host(self) -> str:
        return f"unix://{self.root / 'docker.sock'}"

    def docker(self, *args: str, timeout: float = 120, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["docker", "-H", self.host, *args], capture_output=True, timeout=timeout, input=stdin, check=False)

    def in_namespace(self, *command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["nsenter", f"--net=/var/run/netns/{self.netns}", *command], capture_output=True, text=True, check=False)

    def load_image(self, image: str) -> None:
        """Copy a local image of the main engine into this one (no registry is reachable)."""
        saved = subprocess.run(["docker", "save", image], capture_output=True, check=True, timeout=120).stdout
        loaded = self.docker("load", "-q", stdin=saved)
        if loaded.returncode != 0:
            raise RuntimeError(f"loading {image} into {self.name} failed: {loaded.stderr.decode(errors='replace')}")

    def environment(self) -> dict[str, str]:
        """The environment for a client of this engine (``DOCKER_HOST``), and of no other."""
        env = {key: value for key, value in os.environ.items() if key not in {"DOCKER_HOST", "DOCKER_CONTEXT"}}
        env["DOCKER_HOST"] = self.host
        return env


def unavailable_reason() -> str | None:
    """Why no throw-away engine can be started here, or ``None``."""
    for tool in ("dockerd", "ip", "nsenter"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if os.geteuid() != 0:
        return "a second engine needs root (network namespaces)"
    return None


@contextmanager
def throwaway_engine(base: Path, *, containerd_store: bool = False) -> Iterator[ThrowawayEngine]:
    """Start an engine under ``base``; stop it and remove its namespace afterwards, whatever happened.

    ``containerd_store`` keeps its images in containerd (the ``containerd-snapshotter``
    feature) instead of the classic store.
    """
    name = f"dd-{uuid.uuid4().hex[:8]}"
    root = base / name
    root.mkdir(parents=True)
    engine = ThrowawayEngine(name=name, root=root, netns=name)
    subprocess.run(["ip", "netns", "add", name], check=True, capture_output=True)
    log = (root / "dockerd.log").open("wb")
    process = None
    try:
        engine.in_namespace("ip", "link", "set", "lo", "up")
        (root / "daemon.json").write_text(json.dumps({"features": {"containerd-snapshotter": containerd_store}}))
        process = subprocess.Popen(
            ["nsenter", f"--net=/var/run/netns/{name}", "dockerd", "--config-file", str(root / "daemon.json"),
             "--data-root", str(root / "data"), "--exec-root", str(root / "exec"),
             "--pidfile", str(root / "docker.pid"), "-H", engine.host],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while engine.docker("version", "--format", "{{.Server.Version}}", timeout=10).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the throw-away engine did not start:\n{(root / 'dockerd.log').read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield engine
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        log.close()
        subprocess.run(["ip", "netns", "delete", name], capture_output=True, check=False)
        subprocess.run(["umount", "-R", str(root / "exec")], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)
