"""Stand-in images as OCI layouts, for builders that cannot see the engine's images.

A stand-in is a local image of the engine the command talks to. BuildKit
takes a named context from an image of its own engine (``docker-image://``)
or from a directory the client sends (``oci-layout://DIR@DIGEST``); the
second reaches any builder without a registry: a ``docker-container``,
``remote`` or ``kubernetes`` buildx builder, and an engine of a docker
context when that engine keeps its images in containerd (its ``docker``
driver refuses ``oci-layout://`` with the classic image store: *unknown
scheme oci-layout*). Since Docker 25, ``docker save`` writes an OCI layout,
so a layout is that archive unpacked, once per image ID, kept under the
results cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

from ..errors import DockerfileDocsError

_LOCK = threading.Lock()


def oci_layout(docker_base: list[str], local: str, image_id: str, cache_dir: Path, *, timeout: float) -> str:
    """``oci-layout://DIR@DIGEST`` for the image ``local`` (``image_id``), exported by ``docker_base`` once and kept."""
    directory = cache_dir / "oci-layouts" / image_id.replace(":", "-")
    with _LOCK:
        if not (directory / "index.json").is_file():
            _export(docker_base, local, directory, timeout=timeout)
    return f"oci-layout://{directory}@{_manifest_digest(directory, local)}"


def _export(docker_base: list[str], local: str, directory: Path, *, timeout: float) -> None:
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    archive = partial.with_suffix(".tar")
    try:
        with archive.open("wb") as output:
            saved = subprocess.run([*docker_base, "save", local], stdout=output, stderr=subprocess.PIPE, timeout=timeout, check=False)
        if saved.returncode != 0:
            raise DockerfileDocsError(f"could not export the stand-in image {local} as an OCI layout: {saved.stderr.decode(errors='replace').strip()}")
        with tarfile.open(archive) as tar:
            tar.extractall(partial, filter="data")
        if not (partial / "index.json").is_file():
            raise DockerfileDocsError(f"docker save of {local} wrote no OCI layout (index.json); Docker 25 or later writes one")
        os.replace(partial, directory)
    finally:
        archive.unlink(missing_ok=True)
        shutil.rmtree(partial, ignore_errors=True)


def _manifest_digest(directory: Path, local: str) -> str:
    index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    manifests = index.get("manifests") or []
    if not manifests:
        raise DockerfileDocsError(f"the OCI layout of {local} lists no image")
    return str(manifests[0]["digest"])
