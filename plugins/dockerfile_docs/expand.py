"""Variable substitution and word splitting as BuildKit's ``frontend/dockerfile/shell`` lexer does it.

BuildKit expands ``$X`` and ``${X...}`` itself in ADD, ARG, COPY, ENV,
EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME, WORKDIR (and flag values),
not through a shell: single quotes keep text literal, double quotes allow
expansion, the escape character makes the next character literal, and quotes
are removed from the result. The modifiers are the POSIX ones BuildKit
implements: ``:-`` ``-`` ``:+`` ``+`` ``:?`` ``?`` ``#`` ``##`` ``%`` ``%%``
``/`` ``//``.

Every expansion reports the names it looked up (:class:`Lookup`), so the
analyzer can record references and the rules can say what a name held.
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

from .records import field, record

MAX_NESTING = 64
"""``${a:-${b:-...}}`` deeper than this is refused; real Dockerfiles nest two or three levels."""


class ExpansionError(ValueError):
    """``${X:?message}`` met an unset (or empty) variable, or the syntax is broken."""


@record(frozen=True)
class Lookup:
    name: str
    value: str | None
    has_fallback: bool


@record
class Expander:
    """Expands words against ``env`` (name to value; absent = unset)."""

    env: dict[str, str]
    escape: str = "\\"
    lookups: list[Lookup] = field(default_factory=list)
    depth: int = 0

    # ------------------------------------------------------------------ public

    def word(self, text: str) -> str:
        """One word: quotes removed, variables expanded, no splitting."""
        return "".join(self._process(text, split=False))

    def words(self, text: str) -> list[str]:
        """Split on unquoted white space, then expand each word (ProcessWords)."""
        return self._process(text, split=True)

    # ------------------------------------------------------------------ lexer

    def _process(self, text: str, *, split: bool) -> list[str]:
        words: list[str] = []
        current: list[str] = []
        in_word = False
        index = 0
        length = len(text)
        escape = self.escape
        while index < length:
            char = text[index]
            if split and char in " \t\r\n":
                if in_word:
                    words.append("".join(current))
                    current = []
                    in_word = False
                index += 1
                continue
            in_word = True
            if char == escape:
                if index + 1 < length:
                    current.append(text[index + 1])
                    index += 2
                else:
                    index += 1
                continue
            if char == "'":
                end = text.find("'", index + 1)
                if end < 0:
                    raise ExpansionError("unexpected end of statement while looking for matching single-quote")
                current.append(text[index + 1 : end])
                index = end + 1
                continue
            if char == '"':
                index = self._double_quoted(text, index + 1, current)
                continue
            if char == "$":
                index = self._dollar(text, index + 1, current)
                continue
            current.append(char)
            index += 1
        if in_word or not split:
            words.append("".join(current))
        return words

    def _double_quoted(self, text: str, index: int, out: list[str]) -> int:
        length = len(text)
        escape = self.escape
        while index < length:
            char = text[index]
            if char == '"':
                return index + 1
            if char == "$":
                index = self._dollar(text, index + 1, out)
                continue
            if char == escape and index + 1 < length and text[index + 1] in ('"', "$", escape):
                out.append(text[index + 1])
                index += 2
                continue
            out.append(char)
            index += 1
        raise ExpansionError("unexpected end of statement while looking for matching double-quote")

    def _dollar(self, text: str, index: int, out: list[str]) -> int:
        length = len(text)
        if index >= length:
            out.append("$")
            return index
        char = text[index]
        if char == "{":
            return self._braced(text, index + 1, out)
        match = _NAME.match(text, index)
        if not match:
            out.append("$")
            return index
        name = match.group(0)
        value = self.env.get(name)
        self.lookups.append(Lookup(name, value, False))
        out.append(value or "")
        return match.end()

    def _braced(self, text: str, index: int, out: list[str]) -> int:
        match = _NAME.match(text, index)
        if not match:
            raise ExpansionError(f"bad substitution: ${{{text[index:index + 20]}")
        name = match.group(0)
        index = match.end()
        value = self.env.get(name)
        if index < len(text) and text[index] == "}":
            self.lookups.append(Lookup(name, value, False))
            out.append(value or "")
            return index + 1
        operator_match = _OPERATOR.match(text, index)
        if not operator_match:
            raise ExpansionError(f"unsupported modifier in ${{{name}{text[index:index + 3]}...}}")
        operator = operator_match.group(0)
        word_text, index = self._until_closing_brace(text, operator_match.end())
        self.lookups.append(Lookup(name, value, operator in _FALLBACKS))
        is_set = value is not None
        non_empty = bool(value)
        if operator == ":-":
            out.append(value if non_empty else self._sub_word(word_text))  # type: ignore[arg-type]
        elif operator == "-":
            out.append(value if is_set else self._sub_word(word_text))  # type: ignore[arg-type]
        elif operator == ":+":
            out.append(self._sub_word(word_text) if non_empty else "")
        elif operator == "+":
            out.append(self._sub_word(word_text) if is_set else "")
        elif operator in (":?", "?"):
            ok = non_empty if operator == ":?" else is_set
            if not ok:
                message = self._sub_word(word_text) or "is not allowed to be unset"
                raise ExpansionError(f"{name}: {message}")
            out.append(value or "")
        elif operator in ("#", "##"):
            out.append(_trim_prefix(value or "", self._sub_word(word_text), longest=operator == "##"))
        elif operator in ("%", "%%"):
            out.append(_trim_suffix(value or "", self._sub_word(word_text), longest=operator == "%%"))
        else:
            pattern, _, replacement = _split_unescaped_slash(word_text)
            out.append(_replace(value or "", self._sub_word(pattern), self._sub_word(replacement), every=operator == "//"))
        return index

    def _sub_word(self, text: str) -> str:
        """A modifier's word, expanded in turn; nesting is bounded so hostile input cannot exhaust the stack."""
        if self.depth >= MAX_NESTING:
            raise ExpansionError(f"variable substitution nested deeper than {MAX_NESTING} levels")
        self.depth += 1
        try:
            return "".join(self._process(text, split=False))
        finally:
            self.depth -= 1

    def _until_closing_brace(self, text: str, index: int) -> tuple[str, int]:
        """The modifier's word up to the matching ``}``, nested ``${...}`` included."""
        depth = 0
        start = index
        length = len(text)
        while index < length:
            char = text[index]
            if char == self.escape and index + 1 < length:
                index += 2
                continue
            if char == "$" and index + 1 < length and text[index + 1] == "{":
                depth += 1
                index += 2
                continue
            if char == "}":
                if depth == 0:
                    return text[start:index], index + 1
                depth -= 1
            index += 1
        raise ExpansionError("missing '}' in variable substitution")


_NAME = re.compile(r"\d+|[*#@!?\-$]|[^\W\d]\w*|_\w*")
"""BuildKit's ``processName``: digits, one special parameter, or a name of letters, digits and ``_``."""
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATOR = re.compile(r":-|:\+|:\?|-|\+|\?|##|#|%%|%|//|/")
_FALLBACKS = frozenset({":-", "-", ":+", "+", ":?", "?"})


@lru_cache(maxsize=512)
def _glob(pattern: str) -> re.Pattern[str]:
    """Shell pattern to regex; in parameter expansion ``*`` also matches ``/``, as fnmatch does."""
    return re.compile(fnmatch.translate(pattern))


def _trim_prefix(value: str, pattern: str, *, longest: bool) -> str:
    if not pattern:
        return value
    regex = _glob(pattern)
    ends = range(len(value), -1, -1) if longest else range(0, len(value) + 1)
    for end in ends:
        if regex.fullmatch(value[:end]):
            return value[end:]
    return value


def _trim_suffix(value: str, pattern: str, *, longest: bool) -> str:
    if not pattern:
        return value
    regex = _glob(pattern)
    starts = range(0, len(value) + 1) if longest else range(len(value), -1, -1)
    for start in starts:
        if regex.fullmatch(value[start:]):
            return value[:start]
    return value


def _replace(value: str, pattern: str, replacement: str, *, every: bool) -> str:
    if not pattern:
        return value
    regex = _glob(pattern)
    result: list[str] = []
    index = 0
    replaced = False
    while index <= len(value):
        match_end = None
        if not (replaced and not every):
            for end in range(len(value), index, -1):
                if regex.fullmatch(value[index:end]):
                    match_end = end
                    break
        if match_end is not None:
            result.append(replacement)
            index = match_end
            replaced = True
            continue
        if index < len(value):
            result.append(value[index])
        index += 1
    return "".join(result)


def _split_unescaped_slash(text: str) -> tuple[str, str, str]:
    index = 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == "/":
            return text[:index], "/", text[index + 1 :]
        index += 1
    return text, "", ""


_WORD_SEPARATORS = re.compile(r"[ \t\r\n]+")


def split_key_values(text: str, escape: str = "\\") -> list[str]:
    """Split ``A=1 B="x y"`` into raw words with quotes kept (BuildKit's ``parseWords``).

    Words without quotes or escapes (most ENV, ARG and LABEL lines) are
    split in one pass of a pattern instead of a character at a time.
    """
    if '"' not in text and "'" not in text and escape not in text:
        return [word for word in _WORD_SEPARATORS.split(text) if word]
    words: list[str] = []
    current: list[str] = []
    quote: str | None = None
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if quote is None and char in " \t\r\n":
            if current:
                words.append("".join(current))
                current = []
            index += 1
            continue
        if char == escape and index + 1 < length and quote != "'":
            current.append(char)
            current.append(text[index + 1])
            index += 2
            continue
        if quote is None and char in "\"'":
            quote = char
        elif quote == char:
            quote = None
        current.append(char)
        index += 1
    if current:
        words.append("".join(current))
    return words


def find_shell_references(script: str) -> list[tuple[str, bool, int]]:
    """Names a shell script reads as ``$NAME`` or ``${NAME...}``, outside single quotes.

    Returns (name, has_fallback, offset). Used for RUN commands, which the
    shell expands at run time; names the script assigns itself are the
    caller's to discount.
    """
    found: list[tuple[str, bool, int]] = []
    if "$" not in script:
        return found
    index = 0
    length = len(script)
    in_double = False
    while index < length:
        char = script[index]
        if char == "\\":
            index += 2
            continue
        if char == "'" and not in_double:
            end = script.find("'", index + 1)
            index = length if end < 0 else end + 1
            continue
        if char == '"':
            in_double = not in_double
        elif char == "$" and index + 1 < length:
            following = script[index + 1]
            if following == "{":
                match = _SHELL_NAME.match(script, index + 2)
                if match:
                    operator = _OPERATOR.match(script, match.end())
                    found.append((match.group(0), bool(operator and operator.group(0) in _FALLBACKS), index))
            else:
                match = _SHELL_NAME.match(script, index + 1)
                if match:
                    found.append((match.group(0), False, index))
        index += 1
    return found
