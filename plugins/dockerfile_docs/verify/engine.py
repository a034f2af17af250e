"""The Docker engine, reached only through the ``docker`` CLI.

Going through the CLI (never a socket path) means ``DOCKER_HOST``, docker
contexts and buildx builders all work unchanged: a remote engine or a
``docker-container`` builder needs no configuration here.

Every child process is started in its own process group and registered in a
:class:`ProcessGroup`, so an interrupt can kill exactly the processes this
run started, and the containers it created, and nothing else.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tarfile
import threading
import time
import uuid
from pathlib import Path

from ..errors import DockerfileDocsError
from ..model import ImageCommand
from ..records import field, record
from .results import EngineInfo, image_command

ENGINE_PROBE_TIMEOUT = 30


class EngineUnavailable(DockerfileDocsError):
    """No Docker engine answers where the CLI looked."""


class Cancelled(Exception):
    """The run was interrupted; whatever was in progress must not be recorded."""


@record
class CommandResult:
    returncode: int
    output: str
    seconds: float
    timed_out: bool = False


@record(frozen=True)
class BuildRequest:
    context_dir: Path
    dockerfile: Path
    target: str | None
    build_args: dict[str, str]
    platform: str | None
    named_contexts: dict[str, str]
    tag: str | None = None


@record
class BuildOutcome:
    succeeded: bool
    image_id: str | None
    log: str
    seconds: float
    timed_out: bool


@record(frozen=True)
class ImageFacts:
    image_id: str
    size: int
    layers: int
    command: ImageCommand | None = None


@record
class ProcessGroup:
    """The child processes and containers of one run, so an interrupt can stop exactly them."""

    cancelled: threading.Event = field(default_factory=threading.Event)
    _processes: set[subprocess.Popen[bytes]] = field(default_factory=set)
    _containers: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.add(process)

    def discard(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._processes.discard(process)

    def add_container(self, name: str) -> None:
        with self._lock:
            self._containers.add(name)

    def discard_container(self, name: str) -> None:
        with self._lock:
            self._containers.discard(name)

    def cancel(self) -> None:
        """Kill every running child (its whole process group), then remove the containers left."""
        self.cancelled.set()
        with self._lock:
            processes = list(self._processes)
            containers = list(self._containers)
        for process in processes:
            _kill_group(process)
        for name in containers:
            subprocess.run(["docker", "rm", "--force", name], capture_output=True, timeout=60, check=False)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def engine_location() -> str:
    """Where the docker CLI looks for an engine, in words for error messages."""
    host = os.environ.get("DOCKER_HOST")
    if host:
        return f"DOCKER_HOST={host}"
    context = os.environ.get("DOCKER_CONTEXT")
    try:
        if not context:
            context = subprocess.run(["docker", "context", "show"], capture_output=True, text=True, timeout=10).stdout.strip() or "default"
        endpoint = subprocess.run(
            ["docker", "context", "inspect", context, "--format", "{{.Endpoints.docker.Host}}"], capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        endpoint = ""
    return f"docker context {context!r}" + (f" ({endpoint})" if endpoint else "")


class DockerCLI:
    """Builds, inspects and runs images through the ``docker`` command; counts the builds it performs.

    ``builder`` names where builds go. A docker context (a remote engine, or
    another local one) is used as ``docker --context NAME`` for everything:
    its engine builds with its own BuildKit (the ``docker`` driver), holds
    the images and runs them. Any other buildx builder (``docker-container``,
    ``remote``, ``kubernetes`` drivers, Docker Build Cloud) is used as
    ``docker buildx build --builder NAME``, loading the image into the
    current engine, which measures and runs it. ``None``: the current
    context and its default builder.
    """

    def __init__(self, processes: ProcessGroup | None = None, docker: str = "docker", builder: str | None = None) -> None:
        self.processes = processes or ProcessGroup()
        self.docker = docker
        self.builder = builder
        self.context = builder if builder is not None and _is_docker_context(docker, builder) else None
        self.builds_performed = 0
        self._count_lock = threading.Lock()
        self._buildx: bool | None = None
        self._base = [docker, "--context", self.context] if self.context else [docker]
        self.buildkit_version: str | None = None
        """What the builder reports as its BuildKit version (Debian's builds say ``v0.0.0+unknown``)."""
        self._driver: str | None = None
        self._oci: bool | None = None

    @property
    def is_current_engine(self) -> bool:
        """Whether images built here are in the current context's engine (where the stand-in images are)."""
        return self.context is None

    # ----------------------------------------------------------------- engine

    def probe(self) -> EngineInfo:
        """The engine's identity, or :class:`EngineUnavailable` saying where the CLI looked and what to do."""
        if shutil.which(self.docker) is None:
            raise EngineUnavailable(
                "the docker CLI is not installed, so examples cannot be built; install Docker, or use the verification mode 'cached' to show stored results"
            )
        try:
            probe = subprocess.run(
                [*self._base, "version", "--format", "{{json .}}"], capture_output=True, text=True, timeout=ENGINE_PROBE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            raise EngineUnavailable(self._unavailable(f"no answer within {ENGINE_PROBE_TIMEOUT} s")) from None
        try:
            data = json.loads(probe.stdout.strip().splitlines()[0]) if probe.stdout.strip() else {}
        except json.JSONDecodeError:
            data = {}
        server = data.get("Server") or {}
        if probe.returncode != 0 or not server:
            reason = (probe.stderr.strip().splitlines() or ["no answer"])[-1]
            raise EngineUnavailable(self._unavailable(reason))
        buildx_version, builder, driver = self._buildx_facts()
        return EngineInfo(
            server_version=str(server.get("Version", "unknown")),
            api_version=str(server.get("ApiVersion", "")),
            os=str(server.get("Os", "")),
            arch=str(server.get("Arch", "")),
            buildx_version=buildx_version,
            builder=builder,
            driver=driver,
            buildkit_version=self.buildkit_version,
        )

    def _unavailable(self, reason: str) -> str:
        return (
            f"no Docker engine answers at {engine_location()}: {reason}. "
            "Start one (e.g. 'systemctl start docker'), point DOCKER_HOST or 'docker context use' at a running engine, "
            "or use the verification mode 'cached' to show stored results without building"
        )

    def _buildx_facts(self) -> tuple[str | None, str | None, str | None]:
        try:
            version = subprocess.run([*self._base, "buildx", "version"], capture_output=True, text=True, timeout=ENGINE_PROBE_TIMEOUT)
        except subprocess.TimeoutExpired:
            version = None
        if version is None or version.returncode != 0:
            self._buildx = False
            return None, None, None
        self._buildx = True
        words = version.stdout.split()
        buildx_version = words[1] if len(words) > 1 else version.stdout.strip()
        builder = driver = None
        named = [self.builder] if self.builder is not None and self.context is None else []
        inspect = subprocess.run([*self._base, "buildx", "inspect", *named], capture_output=True, text=True, timeout=ENGINE_PROBE_TIMEOUT)
        if inspect.returncode != 0 and named:
            raise EngineUnavailable(f"no buildx builder or docker context named {self.builder!r}: {inspect.stderr.strip() or inspect.stdout.strip()}")
        for line in inspect.stdout.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Name" and builder is None:
                builder = value.strip()
            elif key.strip() == "Driver" and driver is None:
                driver = value.strip()
                self._driver = driver
            elif key.strip() == "BuildKit version" and self.buildkit_version is None:
                self.buildkit_version = value.strip()
        return buildx_version, builder, driver

    @property
    def has_buildx(self) -> bool:
        if self._buildx is None:
            self._buildx_facts()
        return bool(self._buildx)

    def ensure_image(self, local: str, image_id: str, source: DockerCLI, *, timeout: float) -> None:
        """Make ``local`` (as ``source``'s engine has it, ``image_id``) exist in this engine too: saved there, loaded here.

        BuildKit's ``docker`` driver takes named contexts from its own engine's
        images (``docker-image://``) and refuses ``oci-layout://`` (seen with
        Docker 28.5: *unknown scheme oci-layout*), so a stand-in reaches a
        remote engine as a loaded image, once per image ID.
        """
        if self.image_id(local) == image_id:
            return
        saver = subprocess.Popen([*source._base, "save", local], stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        loader = subprocess.run([*self._base, "load", "-q"], stdin=saver.stdout, capture_output=True, text=True, timeout=timeout, check=False)
        assert saver.stdout is not None
        saver.stdout.close()
        saved_error = saver.stderr.read().decode(errors="replace") if saver.stderr else ""
        saver.wait(timeout=timeout)
        if saver.returncode != 0 or loader.returncode != 0:
            raise DockerfileDocsError(f"could not copy the stand-in image {local} to the builder {self.builder}: {(saved_error + loader.stderr).strip()}")

    @property
    def takes_oci_layouts(self) -> bool:
        """Whether this builder takes ``oci-layout://`` named contexts: any driver but ``docker``, and a ``docker``
        driver whose engine keeps its images in containerd (the classic store refuses them)."""
        if self._oci is None:
            if not self.has_buildx:
                self._oci = False
            elif self._driver not in (None, "docker"):
                self._oci = True
            else:
                status = self._run([*self._base, "info", "--format", "{{json .DriverStatus}}"], timeout=ENGINE_PROBE_TIMEOUT)
                self._oci = status.returncode == 0 and "io.containerd.snapshotter" in status.output
        return self._oci

    def save_oci_layout(self, local: str, image_id: str, cache_dir: Path, *, timeout: float) -> str:
        """The named context that hands ``local`` to another builder without a registry (see :mod:`.oci`)."""
        from .oci import oci_layout

        return oci_layout(self._base, local, image_id, cache_dir, timeout=timeout)

    def image_id(self, reference: str) -> str | None:
        """The local image ID of ``reference``, ``None`` when the engine does not have it."""
        result = self._run([*self._base, "image", "inspect", "--format", "{{.Id}}", reference], timeout=ENGINE_PROBE_TIMEOUT)
        return result.output.strip() if result.returncode == 0 else None

    # ----------------------------------------------------------------- build

    def build(self, request: BuildRequest, *, timeout: float, iidfile: Path) -> BuildOutcome:
        """One ``docker buildx build`` (or BuildKit ``docker build``), loading the image into the engine."""
        env = dict(os.environ)
        if self.has_buildx:
            command = [*self._base, "buildx", "build", "--load"]
            if self.builder is not None and self.context is None:
                command += ["--builder", self.builder]
        else:
            if request.named_contexts:
                raise DockerfileDocsError("stand-in base images need docker buildx (BuildKit named contexts); install the buildx plugin")
            command = [*self._base, "build"]
            env["DOCKER_BUILDKIT"] = "1"
        command += ["--progress=plain", "--iidfile", str(iidfile), "--file", str(request.dockerfile)]
        if request.target:
            command += ["--target", request.target]
        if request.platform:
            command += ["--platform", request.platform]
        for name, value in request.build_args.items():
            command += ["--build-arg", f"{name}={value}"]
        for reference, source in request.named_contexts.items():
            command += ["--build-context", f"{reference}={source if '://' in source else 'docker-image://' + source}"]
        if request.tag:
            command += ["--tag", request.tag]
        command.append(str(request.context_dir))
        iidfile.unlink(missing_ok=True)
        with self._count_lock:
            self.builds_performed += 1
        result = self._run(command, timeout=timeout, env=env)
        image_id = None
        if result.returncode == 0 and iidfile.is_file():
            image_id = iidfile.read_text().strip() or None
        return BuildOutcome(
            succeeded=result.returncode == 0 and image_id is not None,
            image_id=image_id,
            log=result.output,
            seconds=result.seconds,
            timed_out=result.timed_out,
        )

    def image_facts(self, image_id: str) -> ImageFacts:
        result = self._run([*self._base, "image", "inspect", "--format", "{{json .}}", image_id], timeout=ENGINE_PROBE_TIMEOUT)
        if result.returncode != 0:
            raise DockerfileDocsError(f"cannot inspect the built image {image_id}: {result.output.strip()}")
        data = json.loads(result.output.strip().splitlines()[-1])
        layers = (data.get("RootFS") or {}).get("Layers") or []
        config = data.get("Config") or {}
        command = image_command(config.get("Entrypoint"), config.get("Cmd"))
        return ImageFacts(image_id=image_id, size=int(data.get("Size") or 0), layers=len(layers), command=command)

    # ----------------------------------------------------------------- inspect and run

    def list_files(self, image_id: str, *, timeout: float) -> set[str]:
        """Every path in the image's file system, without running anything in it (scratch has no shell)."""
        name = f"dockerfile-docs-files-{uuid.uuid4().hex[:12]}"
        created = self._run([*self._base, "create", "--name", name, image_id, "/dockerfile-docs-never-started"], timeout=ENGINE_PROBE_TIMEOUT)
        if created.returncode != 0:
            raise DockerfileDocsError(f"cannot create a container to list the image's files: {created.output.strip()}")
        self.processes.add_container(name)
        try:
            return self._export_listing(name, timeout=timeout)
        finally:
            subprocess.run([*self._base, "rm", "--force", name], capture_output=True, timeout=60, check=False)
            self.processes.discard_container(name)

    def _export_listing(self, container: str, *, timeout: float) -> set[str]:
        self._check_cancelled()
        process = subprocess.Popen(
            [*self._base, "export", container], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True
        )
        self.processes.add(process)
        timer = threading.Timer(timeout, _kill_group, args=(process,))
        timer.start()
        paths: set[str] = set()
        try:
            assert process.stdout is not None
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                for member in archive:
                    paths.add("/" + member.name.strip("/").removeprefix("./"))
        except tarfile.TarError as error:
            if not self.processes.cancelled.is_set():
                raise DockerfileDocsError(f"cannot read the image's file listing: {error}") from None
        finally:
            timer.cancel()
            process.wait()
            self.processes.discard(process)
        self._check_cancelled()
        return paths

    def run_image(self, image_id: str, args: tuple[str, ...], *, timeout: float) -> CommandResult:
        """Run the image with ``args`` and no network; its output (stdout and stderr) read from the container's log.

        The container is created, started and waited for, and the output is
        read with ``docker logs`` afterwards: an attached ``docker run --rm``
        can lose the output of a container that exits at once while the engine
        is busy, which would make a passing example fail.
        """
        name = f"dockerfile-docs-run-{uuid.uuid4().hex[:12]}"
        self.processes.add_container(name)
        try:
            created = self._run([*self._base, "create", "--name", name, "--network", "none", image_id, *args], timeout=timeout)
            if created.returncode != 0:
                return created
            started = self._run([*self._base, "start", name], timeout=timeout)
            if started.returncode != 0:
                return CommandResult(returncode=_run_exit_code(started.output), output=started.output, seconds=created.seconds + started.seconds)
            waited = self._run([*self._base, "wait", name], timeout=timeout)
            logs = self._run([*self._base, "logs", name], timeout=60)
            if waited.timed_out:
                return CommandResult(returncode=-1, output=logs.output, seconds=created.seconds + started.seconds + waited.seconds, timed_out=True)
            try:
                exit_code = int(waited.output.strip().splitlines()[-1])
            except (ValueError, IndexError):
                return CommandResult(returncode=-1, output=waited.output + logs.output, seconds=waited.seconds)
            return CommandResult(returncode=exit_code, output=logs.output, seconds=created.seconds + started.seconds + waited.seconds)
        finally:
            subprocess.run([*self._base, "rm", "--force", name], capture_output=True, timeout=60, check=False)
            self.processes.discard_container(name)

    # ----------------------------------------------------------------- processes

    def _check_cancelled(self) -> None:
        if self.processes.cancelled.is_set():
            raise Cancelled()

    def _run(self, command: list[str], *, timeout: float, env: dict[str, str] | None = None) -> CommandResult:
        """Run a child in its own process group, killing the group on timeout or interrupt."""
        self._check_cancelled()
        started = time.monotonic()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
        self.processes.add(process)
        timed_out = False
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            _kill_group(process)
            output, _ = process.communicate()
        finally:
            self.processes.discard(process)
        self._check_cancelled()
        return CommandResult(
            returncode=process.returncode,
            output=output.decode("utf-8", errors="replace"),
            seconds=time.monotonic() - started,
            timed_out=timed_out,
        )


def _run_exit_code(start_error: str) -> int:
    """The status ``docker run`` gives when the container's command cannot start, as the Docker CLI maps it."""
    text = start_error.lower()
    if "executable file not found" in text or "no such file or directory" in text or "system cannot find the file specified" in text:
        return 127
    if "permission denied" in text:
        return 126
    return 125


def _is_docker_context(docker: str, name: str) -> bool:
    """Whether ``name`` is a docker context (else it may be a buildx builder)."""
    try:
        inspected = subprocess.run([docker, "context", "inspect", name], capture_output=True, text=True, timeout=ENGINE_PROBE_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return inspected.returncode == 0
