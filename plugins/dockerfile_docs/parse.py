"""From Dockerfile text to :class:`~dockerfile_docs.model.Dockerfile`, as BuildKit's parser reads it.

dockerfile-parse splits instructions well for ordinary files, but it does not
know heredocs (their bodies come out as instructions), the ``check``
directive, or where BuildKit stops reading directives. This module follows
BuildKit's ``frontend/dockerfile/parser`` line by line instead:

* parser directives are read only from the very top, until the first line
  that is not one (a blank line, a comment, an instruction, an unknown or
  repeated directive ends them);
* the escape character (``\\`` or `````) ends a line that continues, unless
  it is itself escaped (``\\\\`` at the end of a line ends it, as BuildKit's
  continuation pattern needs a character other than the escape before it);
  comment lines and blank lines inside a continuation are dropped (blank
  ones are remembered, BuildKit warns about them); leading white space of a
  continuation line is kept;
* bytes that are not UTF-8 are not refused: each becomes U+FFFD, as in the
  image BuildKit builds (its config is JSON, which holds no such bytes);
* RUN, COPY and ADD may carry heredocs, whose bodies follow the instruction
  line and belong to it.

``tests/test_parse_agrees_with_dockerfile_parse.py`` checks that on files
without heredocs the instruction structure equals dockerfile-parse's.
"""

from __future__ import annotations

import json
import re

from .errors import DockerfileError
from .model import Comment, Directive, Dockerfile, Flag, Heredoc, Instruction

KNOWN_INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    }
)
HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
ALLOWED_FLAGS: dict[str, frozenset[str]] = {
    "FROM": frozenset({"platform"}),
    "RUN": frozenset({"mount", "network", "device"}),
    "COPY": frozenset({"from", "chown", "chmod", "link", "exclude"}),
    "ADD": frozenset({"chown", "chmod", "link", "keep-git-dir", "checksum", "unpack", "exclude"}),
    "HEALTHCHECK": frozenset({"interval", "timeout", "start-period", "start-interval", "retries"}),
}
"""The flags the built-in Dockerfile frontend of BuildKit 0.25 accepts; any other is ``unknown flag``.

ADD has no ``--from``; ``COPY --parents`` and ``RUN --security`` exist only
in the labs frontend (cases ``copy-parents-needs-labs``,
``run-security-needs-labs``), which a ``# syntax=`` line naming a ``-labs``
image selects: see :data:`LABS_FLAGS`.
"""
LABS_FLAGS: dict[str, frozenset[str]] = {"RUN": frozenset({"security"}), "COPY": frozenset({"parents"})}
"""The flags the labs frontend (``# syntax=docker/dockerfile:1-labs``) adds."""
KNOWN_DIRECTIVES = ("syntax", "escape", "check")

MAX_BYTES = 10 * 1024 * 1024
"""Larger inputs are refused up front: no real Dockerfile comes near it, and it bounds memory and time."""

_DIRECTIVE = re.compile(r"^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$")
_LEADING_WS = re.compile(r"^[\t\v\f\r ]+")
_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)(.*)$", re.DOTALL)


def read_dockerfile(path: str, data: bytes | None = None) -> Dockerfile:
    """Read and parse a Dockerfile from disk (or from ``data``), refusing what is not text."""
    if data is None:
        data = read_dockerfile_bytes(path)
    return parse_dockerfile(decode_dockerfile(data, path), path)


def read_dockerfile_bytes(path: str, *, limit: int | None = MAX_BYTES + 1) -> bytes:
    """A Dockerfile's bytes, or a :class:`DockerfileError` naming it.

    By default no more than :func:`decode_dockerfile` needs to refuse a file
    that is too large; ``limit=None`` reads it whole (to digest it).
    """
    try:
        with open(path, "rb") as handle:
            return handle.read() if limit is None else handle.read(limit)
    except OSError as error:
        raise DockerfileError(path, None, f"cannot read the file: {error.strerror or error}") from None


def decode_dockerfile(data: bytes, path: str = "Dockerfile") -> str:
    """Decode bytes as BuildKit reads them: UTF-8 (a BOM allowed), a byte that is not UTF-8 as U+FFFD.

    BuildKit's parser works on bytes and builds the file; the image config
    it writes is JSON, where a Latin-1 ``é`` in an ENV or LABEL value becomes
    U+FFFD, which is what a RUN then sees (case ``encoding-latin1-byte-is-kept``).
    """
    if len(data) > MAX_BYTES:
        raise DockerfileError(path, None, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; no Dockerfile is that large")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise DockerfileError(path, line, "this is a binary file (it contains a NUL byte), not a Dockerfile")
    return data.decode("utf-8", "replace")


def parse_dockerfile(text: str, path: str = "Dockerfile") -> Dockerfile:
    """Parse Dockerfile ``text``; raise :class:`DockerfileError` naming ``path`` and the line."""
    if len(text) > MAX_BYTES:
        raise DockerfileError(path, None, f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB; no Dockerfile is that large")
    if "\x00" in text:
        raise DockerfileError(path, text.count("\n", 0, text.index("\x00")) + 1, "this is a binary file (it contains a NUL byte), not a Dockerfile")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    endings = ["\r\n" if line.endswith("\r") else "\n" for line in lines]
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]

    directives, first_body_line = _read_directives(lines, path)
    escape = next((d.value for d in directives if d.name == "escape"), "\\")
    continuation = re.compile(rf"(?<!{re.escape(escape)}){re.escape(escape)}[ \t]*$")
    labs = is_labs_frontend(next((d.value for d in directives if d.name == "syntax"), None))

    instructions: list[Instruction] = []
    comments: list[Comment] = []
    index = first_body_line
    total = len(lines)
    while index < total:
        raw = lines[index]
        index += 1
        start_line = index
        stripped = _LEADING_WS.sub("", raw)
        if stripped.startswith("#"):
            comments.append(Comment(stripped[1:].strip(), start_line))
            continue
        logical, ended = _trim_continuation(stripped, continuation)
        if ended and not logical.strip():
            continue
        empty_continuations: list[int] = []
        while not ended and index < total:
            raw = lines[index]
            index += 1
            if _LEADING_WS.sub("", raw).startswith("#"):
                comments.append(Comment(_LEADING_WS.sub("", raw)[1:].strip(), index))
                continue
            if not raw.strip():
                empty_continuations.append(index)
                continue
            part, ended = _trim_continuation(raw, continuation)
            logical += part
        if not logical.strip(" \t\v\f\r"):
            continue
        instruction = _instruction_from_line(logical, path, start_line, index, labs)
        instruction.empty_continuation_lines = tuple(empty_continuations)
        if instruction.keyword in HEREDOC_INSTRUCTIONS and "<<" in logical and instruction.json_args is None:
            heredocs = []
            for name, chomp, expand in _heredoc_markers(instruction.arguments, path, start_line):
                body_lines: list[str] = []
                body_start = index + 1
                terminated = False
                while index < total:
                    raw = lines[index]
                    index += 1
                    candidate = raw.lstrip("\t") if chomp else raw
                    if candidate == name:
                        terminated = True
                        break
                    body_lines.append((raw.lstrip("\t") if chomp else raw) + endings[index - 1])
                if not terminated:
                    raise DockerfileError(path, start_line, f"unterminated heredoc: no line reads {name!r} after line {start_line}")
                body = "".join(body_lines)
                heredocs.append(Heredoc(name, body, chomp, expand, body_start, index))
            instruction.heredocs = tuple(heredocs)
            instruction.end_line = index
        instruction.source = "\n".join(lines[start_line - 1 : instruction.end_line])
        instructions.append(instruction)

    if not instructions:
        if not text.strip():
            raise DockerfileError(path, None, "the Dockerfile cannot be empty")
        raise DockerfileError(path, total, "file with no instructions: it holds only comments and blank lines")
    return Dockerfile(path=path, text=text, directives=tuple(directives), escape=escape, instructions=instructions, comments=comments)


def _read_directives(lines: list[str], path: str) -> tuple[list[Directive], int]:
    directives: list[Directive] = []
    seen: set[str] = set()
    for number, line in enumerate(lines):
        match = _DIRECTIVE.match(line)
        if not match:
            return directives, number
        name = match.group(1).lower()
        if name not in KNOWN_DIRECTIVES:
            return directives, number
        if name in seen:
            first = next(d.line for d in directives if d.name == name)
            raise DockerfileError(path, first, f"only one {name} parser directive can be used (again on line {number + 1})")
        value = match.group(2)
        if name == "escape" and value not in ("\\", "`"):
            raise DockerfileError(path, number + 1, f"invalid escape token {value!r}: it must be \\ or `")
        seen.add(name)
        directives.append(Directive(name, value, number + 1))
    return directives, len(lines)


def _trim_continuation(line: str, continuation: re.Pattern[str]) -> tuple[str, bool]:
    match = continuation.search(line)
    if match:
        return line[: match.start()], False
    return line, True


def is_labs_frontend(syntax: str | None) -> bool:
    """Whether a ``# syntax=`` image is the labs frontend (``docker/dockerfile:1-labs``, ``...:1.7-labs``)."""
    return syntax is not None and syntax.split("@", 1)[0].rsplit(":", 1)[-1].endswith("labs")


def _instruction_from_line(line: str, path: str, start_line: int, end_line: int, labs: bool = False) -> Instruction:
    parts = _WHITESPACE.split(line.strip(" \t\v\f\r"), 1)
    written = parts[0]
    keyword = written.upper()
    if keyword not in KNOWN_INSTRUCTIONS:
        raise DockerfileError(path, start_line, f"unknown instruction: {written}")
    rest = parts[1] if len(parts) > 1 else ""
    flags, arguments = _split_flags(rest, keyword)
    allowed = ALLOWED_FLAGS.get(keyword, frozenset())
    if labs:
        allowed |= LABS_FLAGS.get(keyword, frozenset())
    for flag in flags:
        if flag.name not in allowed:
            labs_only = "; it needs the labs frontend, # syntax=docker/dockerfile:1-labs" if flag.name in LABS_FLAGS.get(keyword, ()) else ""
            raise DockerfileError(path, start_line, f"unknown flag: --{flag.name} ({keyword} takes {', '.join('--' + f for f in sorted(allowed)) or 'no flags'}{labs_only})")
    json_args = _json_array(arguments) if keyword in {"RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME", "HEALTHCHECK"} else None
    return Instruction(
        keyword=keyword,
        written_keyword=written,
        flags=tuple(flags),
        arguments=arguments,
        json_args=json_args,
        heredocs=(),
        start_line=start_line,
        end_line=end_line,
        source="",
    )


def _split_flags(rest: str, keyword: str) -> tuple[list[Flag], str]:
    """Take the leading ``--name[=value]`` words off, as BuildKit's ``extractBuilderFlags`` does.

    A value may be quoted (``--mount="type=cache,target=/a b"``); quotes are
    kept out of the value. The first word not starting with ``--`` ends the
    flags, and so does a bare ``--``, which is dropped.
    """
    flags: list[Flag] = []
    position = 0
    length = len(rest)
    if keyword in {"ONBUILD", "MAINTAINER"}:
        return flags, rest.strip()
    while True:
        while position < length and rest[position] in " \t":
            position += 1
        if not rest.startswith("--", position):
            break
        word_chars: list[str] = []
        quote: str | None = None
        cursor = position
        while cursor < length:
            char = rest[cursor]
            if quote:
                if char == quote:
                    quote = None
                else:
                    word_chars.append(char)
            elif char in "\"'":
                quote = char
            elif char in " \t":
                break
            else:
                word_chars.append(char)
            cursor += 1
        word = "".join(word_chars)[2:]
        if word == "":
            position = cursor  # a bare `--` ends the flags and is dropped
            break
        name, sep, value = word.partition("=")
        flags.append(Flag(name.lower(), value if sep else None))
        position = cursor
    return flags, rest[position:].strip()


def _json_array(arguments: str) -> tuple[str, ...] | None:
    text = arguments.strip()
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    return None


def _heredoc_markers(arguments: str, path: str, line: int) -> list[tuple[str, bool, bool]]:
    """The heredocs an instruction opens, in order: (delimiter, chomp, expand).

    Words are split as BuildKit's lexer does with raw quotes, so ``"<<EOF"``
    inside quotes is not a heredoc; a quoted delimiter (``<<'EOF'`` or
    ``<<"EOF"``) turns expansion off in the body.
    """
    markers: list[tuple[str, bool, bool]] = []
    for word in _raw_words(arguments):
        match = _HEREDOC_WORD.match(word)
        if not match:
            continue
        chomp = match.group(2) == "-"
        rest = match.group(3)
        if not rest:
            continue
        quoted = any(q in rest for q in "\"'")
        name = rest.replace('"', "").replace("'", "") if quoted else rest
        if not name or "\n" in name:
            raise DockerfileError(path, line, f"invalid heredoc delimiter {rest!r}")
        markers.append((name, chomp, not quoted))
    return markers


def _raw_words(text: str) -> list[str]:
    """Split on unquoted white space, keeping quotes and escapes in the words."""
    words: list[str] = []
    current: list[str] = []
    quote: str | None = None
    in_word = False
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            current.append(char)
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"' and index + 1 < len(text):
                index += 1
                current.append(text[index])
        elif char in " \t\n":
            if in_word:
                words.append("".join(current))
                current = []
                in_word = False
        else:
            in_word = True
            current.append(char)
            if char in "\"'":
                quote = char
            elif char == "\\" and index + 1 < len(text):
                index += 1
                current.append(text[index])
        index += 1
    if in_word:
        words.append("".join(current))
    return words
