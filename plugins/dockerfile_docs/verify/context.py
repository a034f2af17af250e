"""The build context as BuildKit sends it: the files left after ``.dockerignore``.

The cache key must change exactly when the files a build can see change, so
the ignore rules follow moby's ``patternmatcher`` (the code BuildKit uses):
patterns are cleaned paths relative to the context; ``*`` and ``?`` stay
within one path element, ``**`` crosses elements; ``!`` re-includes; the last
matching pattern wins; a pattern also matches every file below a matching
directory. ``<Dockerfile>.dockerignore`` beside the Dockerfile takes
precedence over the context's ``.dockerignore``, as in BuildKit.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from ..dockerignore import IgnorePattern, compile_patterns, is_ignored, read_ignore_file
from ..records import record

__all__ = ["ContextFile", "IgnorePattern", "compile_patterns", "context_files", "ignore_file_for", "is_ignored", "read_ignore_file"]


@record(frozen=True)
class ContextFile:
    """A file the build can see: its path relative to the context and a digest of what COPY would copy."""

    path: str
    digest: str


def ignore_file_for(context_dir: Path, dockerfile: Path) -> Path | None:
    """The ignore file BuildKit uses: ``<Dockerfile>.dockerignore`` first, then ``.dockerignore``."""
    specific = dockerfile.with_name(dockerfile.name + ".dockerignore")
    if specific.is_file():
        return specific
    general = context_dir / ".dockerignore"
    return general if general.is_file() else None


def context_files(context_dir: Path, dockerfile: Path) -> list[ContextFile]:
    """Every file and symlink of the context the build can see, sorted by path, with a digest."""
    ignore_path = ignore_file_for(context_dir, dockerfile)
    patterns = compile_patterns(read_ignore_file(ignore_path.read_text(encoding="utf-8", errors="replace"))) if ignore_path else []
    files: list[ContextFile] = []
    for current, dirs, names in os.walk(context_dir, followlinks=False):
        dirs.sort()
        relative_dir = os.path.relpath(current, context_dir)
        for name in sorted(names + [d for d in dirs if os.path.islink(os.path.join(current, d))]):
            relative = name if relative_dir == "." else f"{relative_dir}/{name}"
            relative = relative.replace(os.sep, "/")
            if patterns and is_ignored(relative, patterns):
                continue
            files.append(ContextFile(path=relative, digest=_digest(Path(current) / name)))
    return files


def _digest(path: Path) -> str:
    """Content and the executable bit for files, the target for symlinks: what COPY carries over."""
    info = path.lstat()
    hasher = hashlib.sha256()
    if stat.S_ISLNK(info.st_mode):
        hasher.update(b"symlink\0" + os.readlink(path).encode())
    else:
        hasher.update(b"file\0x" if info.st_mode & 0o111 else b"file\0-")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                hasher.update(chunk)
    return hasher.hexdigest()
