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
import posixpath
import re
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class IgnorePattern:
    text: str
    exclusion: bool
    regex: re.Pattern[str]

    def matches(self, path: str) -> bool:
        """Whether the pattern matches ``path`` or one of its parent directories."""
        if self.regex.match(path):
            return True
        parent = posixpath.dirname(path)
        if not parent:
            return False
        parts = parent.split("/")
        return any(self.regex.match("/".join(parts[: i + 1])) for i in range(len(parts)))


@dataclass(frozen=True, slots=True)
class ContextFile:
    """A file the build can see: its path relative to the context and a digest of what COPY would copy."""

    path: str
    digest: str


def read_ignore_file(text: str) -> list[str]:
    """Patterns from ``.dockerignore`` text, normalised as BuildKit's ``dockerignore.ReadAll`` does."""
    patterns: list[str] = []
    for number, raw in enumerate(text.splitlines()):
        line = raw.removeprefix("\ufeff") if number == 0 else raw
        if line.startswith("#"):
            continue
        line = line.strip()
        if not line:
            continue
        invert = line.startswith("!")
        if invert:
            line = line[1:].strip()
        if line:
            line = posixpath.normpath(line)
            if len(line) > 1 and line.startswith("/"):
                line = line.lstrip("/")
        patterns.append(("!" if invert else "") + line)
    return patterns


def compile_patterns(patterns: list[str]) -> list[IgnorePattern]:
    compiled = []
    for pattern in patterns:
        exclusion = pattern.startswith("!")
        body = pattern[1:] if exclusion else pattern
        compiled.append(IgnorePattern(text=pattern, exclusion=exclusion, regex=re.compile(_pattern_regex(body))))
    return compiled


def _pattern_regex(pattern: str) -> str:
    """The regular expression ``patternmatcher`` builds for one pattern."""
    out = ["^"]
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 1
                if i + 1 < n and pattern[i + 1] == "/":
                    i += 1
                out.append(".*" if i + 1 >= n else "(.*/)?")
            else:
                out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "\\":
            if i + 1 < n:
                i += 1
                out.append(re.escape(pattern[i]))
            else:
                out.append(re.escape("\\"))
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : end]
                if body.startswith("^"):
                    body = "^" + body[1:].replace("\\", "\\\\")
                else:
                    body = body.replace("\\", "\\\\")
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    out.append("$")
    return "".join(out)


def is_ignored(path: str, patterns: list[IgnorePattern]) -> bool:
    """Last matching pattern wins; ``!`` patterns re-include."""
    ignored = False
    for pattern in patterns:
        if pattern.exclusion != ignored:
            continue
        if pattern.matches(path):
            ignored = not pattern.exclusion
    return ignored


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
