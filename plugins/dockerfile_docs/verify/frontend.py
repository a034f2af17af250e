"""A ``# syntax=`` line where its frontend image cannot be pulled: built with the engine's own frontend.

About a third of public multi-stage Dockerfiles start with ``# syntax=
docker/dockerfile:1``, which makes BuildKit pull that frontend image before
it reads the file; offline the build fails at line 1. ``stand-ins.yml`` can
say that such a frontend is served by the engine's built-in one::

    docker/dockerfile:1: builtin

Verification then builds a copy of the Dockerfile without the directive,
every instruction on its own line number: the other directives (``escape``,
``check``) move up one line and a comment takes the last line of the
directive block, so they stay directives. The result names the substitution
and the engine's version. A labs frontend (``...:1-labs``) offers syntax the
built-in one lacks: a build that then fails on it says so. Online, without
the stand-in, the directive is honoured as written.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Dockerfile
from ..parse import parse_dockerfile
from ..records import record

BUILTIN = "builtin"
"""The ``stand-ins.yml`` value that names the engine's built-in Dockerfile frontend."""

REPLACEMENT_COMMENT = "# dockerfile-docs: the syntax directive is left out here: built with the engine's built-in frontend"


@record(frozen=True)
class SyntaxDirective:
    """The ``# syntax=`` line of a Dockerfile: the frontend image as written and its line."""

    reference: str
    line: int


def syntax_directive(dockerfile: Dockerfile) -> SyntaxDirective | None:
    for directive in dockerfile.directives:
        if directive.name == "syntax":
            return SyntaxDirective(directive.value.split(" ", 1)[0], directive.line)
    return None


def without_syntax_directive(text: str) -> str:
    """``text`` with its ``# syntax=`` line taken out of the directives, every instruction on its line.

    The line endings of the file are kept; a file without the directive comes back unchanged.
    """
    dockerfile = parse_dockerfile(text)
    directive = syntax_directive(dockerfile)
    if directive is None:
        return text
    lines = text.splitlines(keepends=True)
    block = [d.line for d in dockerfile.directives]
    ending = "\r\n" if lines[directive.line - 1].endswith("\r\n") else "\n"
    kept = [lines[number - 1] for number in block if number != directive.line]
    replaced = [*kept, REPLACEMENT_COMMENT + ending]
    start, end = min(block), max(block)
    return "".join(lines[: start - 1] + replaced + lines[end:])


def write_built_in_copy(original: Path, text: str, into: Path) -> Path:
    """Write the copy to build into the folder ``into``, under the original's name, with its ``<name>.dockerignore``."""
    into.mkdir(parents=True, exist_ok=True)
    copy = into / original.name
    copy.write_bytes(without_syntax_directive(text).encode("utf-8", "surrogateescape"))
    specific_ignore = original.with_name(original.name + ".dockerignore")
    if specific_ignore.is_file():
        (into / specific_ignore.name).write_bytes(specific_ignore.read_bytes())
    return copy
