"""BuildKit's own Go parser as the oracle for instruction boundaries, lines, flags and heredocs.

The PyPI package ``dockerfile`` binds BuildKit's ``frontend/dockerfile/parser``
(version 3.4.0 bundles the parser of BuildKit v0.12.5). On generated text
(continuations, escaped escapes, comments and empty lines inside
continuations, heredocs, directives, tabs, CRLF) both parsers must find the
same instructions, starting and ending on the same lines, with the same
flags and heredocs. The ``check`` directive, which BuildKit 0.12 did not
know, is left out of the generated text (corpus case
``directive-check-before-escape`` pins what BuildKit 0.25 does with it).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfile_docs.analyze import analyze
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.parse import parse_dockerfile

dockerfile = pytest.importorskip("dockerfile", reason="the test dependency `dockerfile` (BuildKit's Go parser) is not installed")

def _ours(text: str) -> list[tuple]:
    parsed = parse_dockerfile(text)
    return [
        (
            ins.keyword,
            ins.start_line,
            ins.end_line,
            tuple(f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in ins.flags),
            tuple((h.name, h.body) for h in ins.heredocs),
        )
        for ins in parsed.instructions
    ]


def _buildkits(text: str) -> list[tuple]:
    return [
        (
            command.cmd.upper(),
            command.start_line,
            command.end_line,
            tuple(_flag_as_written(flag) for flag in command.flags),
            tuple((h.name, _as_handed_on(h.content, chomp)) for h, chomp in zip(command.heredocs or (), _chomps(command.original))),
        )
        for command in dockerfile.parse_string(text)
    ]


def _chomps(original: str) -> list[bool]:
    """Whether each heredoc of an instruction is ``<<-``: BuildKit strips its leading tabs when it uses the body."""
    return [marker == "-" for marker in re.findall(r"<<(-?)", original)]


def _as_handed_on(content: str, chomp: bool) -> str:
    return re.sub(r"(?m)^\t+", "", content) if chomp else content


def _flag_as_written(flag: str) -> str:
    """BuildKit keeps a flag's quotes (``--mount="a b"``); the instruction parser drops them, as ours does."""
    name, sep, value = flag.partition("=")
    if sep and len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1]
    return name.lower() + sep + value


def assert_same_structure(text: str) -> None:
    """Same instructions; where BuildKit's parser refuses the text, the analysis refuses it too.

    BuildKit's parser takes any word as an instruction and any ``--word`` as
    a flag, and leaves refusing unknown ones to the frontend; ours refuses
    them at once, naming the line.
    """
    try:
        expected = _buildkits(text)
    except dockerfile.GoParseError:
        with pytest.raises(DockerfileError):
            analyze(parse_dockerfile(text))
        return
    try:
        ours = _ours(text)
    except DockerfileError as error:
        if not expected:
            return  # no instructions: BuildKit's parser returns none, its frontend then refuses the file
        starts = {line for _, line, *_ in expected}
        if error.message.startswith(("unknown instruction", "unknown flag")) and error.line in starts:
            assert [row for row in expected if row[1] < error.line] == [row for row in _ours_until(text, error.line)]
            return
        raise AssertionError(f"BuildKit's parser accepts the text; ours says {error}") from None
    assert ours == expected


def _ours_until(text: str, line: int) -> list[tuple]:
    """Our instructions before ``line`` (where our parser stopped on an unknown instruction)."""
    return _ours("".join(text.splitlines(keepends=True)[: line - 1])) if line > 1 else []


# --------------------------------------------------------------------------- generated text

_WORDS = st.sampled_from(["echo", "a", "b\\", "c\\\\", "$X", "${Y:-d}", '"q q"', "'s'", "#x", "x#", "--", "\\\\\\"])
_SEP = st.sampled_from([" ", "\t", "  "])


@st.composite
def _line_body(draw: st.DrawFn) -> str:
    words = draw(st.lists(_WORDS, min_size=1, max_size=4))
    return draw(_SEP).join(words)


@st.composite
def _instruction(draw: st.DrawFn) -> list[str]:
    keyword = draw(st.sampled_from(["RUN", "run", "ENV A=1", "LABEL", "COPY", "COPY --from=b", "RUN --mount=type=cache,target=/c", "ADD --chmod=644", "CMD", "EXPOSE 80"]))
    lines = [f"{keyword} {draw(_line_body())}"]
    for _ in range(draw(st.integers(0, 3))):
        ending = draw(st.sampled_from([" \\", "\\", " \\ ", "\\\t", " \\\\"]))
        lines[-1] += ending
        filler = draw(st.sampled_from(["", "", "# inside", "   # indented", "  ", "\t"]))
        if filler or draw(st.booleans()):
            lines.append(filler)
        lines.append(draw(_SEP) + draw(_line_body()))
    if keyword.split()[0] in {"RUN", "run", "COPY"} and draw(st.booleans()):
        name = draw(st.sampled_from(["EOF", "END"]))
        dash = draw(st.sampled_from(["", "-"]))
        quote = draw(st.sampled_from(["", "'", '"']))
        lines[-1] += f" <<{dash}{quote}{name}{quote}" + (" /dst" if keyword.startswith("COPY") else "")
        lines += [draw(st.sampled_from(["body $X", "\tindented", "RUN not an instruction", ""])) for _ in range(draw(st.integers(0, 2)))]
        lines.append(("\t" if dash and draw(st.booleans()) else "") + name)
    return lines


@st.composite
def _dockerfile_text(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for directive in draw(st.lists(st.sampled_from(["# syntax=docker/dockerfile:1", "# escape=\\", "#escape = `", "# foo=bar"]), max_size=2, unique=True)):
        lines.append(directive)
    lines.append("FROM busybox:1.36 AS b")
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "# a comment", "  # indented comment", "\t"])))
        lines += draw(_instruction())
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + (newline if draw(st.booleans()) else "")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_dockerfile_text())
def test_generated_text_is_split_as_buildkits_parser_splits_it(text: str) -> None:
    assert_same_structure(text)


@pytest.mark.parametrize(
    "text",
    [
        "FROM busybox\nENV A=a\\\\\nENV B=b\n",
        "FROM busybox\nRUN echo \\\n\n  done\n",
        "FROM busybox\nRUN echo \\\n# comment\n  done\n",
        "FROM busybox\r\nRUN echo a \\\r\n  b\r\n",
        "# escape=`\nFROM busybox\nRUN echo a `\n  b\n",
        "FROM busybox\nRUN <<EOF\necho hi\nEOF\n",
        "FROM busybox\nCOPY <<-A <<B /dst\n\tone\n\tA\ntwo\nB\n",
        "FROM busybox\nRUN --mount=type=cache,target=/c \\\n  --network=none echo\n",
        "FROM busybox:1.36 AS b\nLABEL -- echo\n",
        "FROM busybox\nRUN --network=none -- --not-a-flag\n",
    ],
    ids=["escaped-escape", "empty-continuation", "comment-continuation", "crlf", "backtick", "heredoc", "two-heredocs", "flags-continued",
         "double-dash-ends-flags", "double-dash-after-a-flag"],
)
def test_known_shapes_are_split_as_buildkits_parser_splits_them(text: str) -> None:
    assert_same_structure(text)
