""".dockerignore patterns as BuildKit applies them (moby's ``patternmatcher``).

Patterns are cleaned paths relative to the context; ``*`` and ``?`` stay
within one path element, ``**`` crosses elements; ``!`` re-includes; the
last matching pattern wins; a pattern also matches every file below a
matching directory. The core uses it for BuildKit's ``CopyIgnoredFile``
check, ``verify`` for the files a build can see.
"""

from __future__ import annotations

import posixpath
import re

from .records import record


@record(frozen=True)
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
