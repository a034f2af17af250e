"""Errors that name a file and a line, so every adapter can print one clear line."""

from __future__ import annotations


class DockerfileDocsError(Exception):
    """Base class of every error dockerfile-docs reports to its users."""


class DockerfileError(DockerfileDocsError):
    """A Dockerfile that BuildKit would reject, or that cannot be read as one.

    ``line`` is 1-based and ``None`` when the problem concerns the whole file
    (empty, binary, not UTF-8, too large).
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"
