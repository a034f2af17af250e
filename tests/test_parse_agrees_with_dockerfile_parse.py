"""On Dockerfiles without heredocs or directives, the instruction structure equals dockerfile-parse's.

dockerfile-parse is the reference for splitting ordinary instructions; the
parser departs from it only where BuildKit does (heredocs, directives), which
test_parse.py pins.
"""

from __future__ import annotations

import io

from dockerfile_parse import DockerfileParser
from hypothesis import given, settings
from hypothesis import strategies as st

from dockerfile_docs.parse import parse_dockerfile

KEYWORDS = ["FROM", "RUN", "COPY", "ENV", "ARG", "LABEL", "WORKDIR", "CMD", "ENTRYPOINT", "USER", "EXPOSE", "run", "Copy"]
WORD = st.text(alphabet="abcxyz019_./:=-$", min_size=1, max_size=8).filter(lambda word: not word.startswith("--"))
"""Words that are not flags: which flags an instruction takes is checked apart (test_parse.py)."""
ARGUMENTS = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def instruction(draw: st.DrawFn) -> str:
    keyword = draw(st.sampled_from(KEYWORDS))
    pieces = draw(st.lists(ARGUMENTS, min_size=1, max_size=3))
    joiner = draw(st.sampled_from([" \\\n  ", " \\\n", " \\\n# comment in between\n  "]))
    return keyword + " " + joiner.join(pieces)


@st.composite
def dockerfile(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.one_of(instruction(), st.just("# a comment"), st.just("")), min_size=1, max_size=12))
    return "FROM scratch\n" + "\n".join(body) + "\n"


def reference_structure(text: str) -> list[tuple[str, int, int, str]]:
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode()))
    return [
        (item["instruction"], item["startline"] + 1, item["endline"] + 1, " ".join(item["value"].split()))
        for item in parser.structure
        if item["instruction"] != "COMMENT"
    ]


def our_structure(text: str) -> list[tuple[str, int, int, str]]:
    result = []
    for ins in parse_dockerfile(text).instructions:
        flags = " ".join(f"--{f.name}={f.value}" if f.value is not None else f"--{f.name}" for f in ins.flags)
        value = " ".join(filter(None, [flags, ins.arguments]))
        result.append((ins.keyword, ins.start_line, ins.end_line, " ".join(value.split())))
    return result


@settings(max_examples=300, deadline=None)
@given(dockerfile())
def test_instruction_structure_matches_dockerfile_parse(text: str) -> None:
    assert our_structure(text) == reference_structure(text)
