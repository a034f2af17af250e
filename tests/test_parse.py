"""The parser splits Dockerfiles into instructions as BuildKit's parser does (tests/parse/cases.yml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.parse import decode_dockerfile, parse_dockerfile, read_dockerfile

CASES = yaml.safe_load((Path(__file__).parent / "parse" / "cases.yml").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_instruction_structure(name: str) -> None:
    case = CASES[name]
    parsed = parse_dockerfile(case["text"])
    assert [[i.keyword, i.start_line, i.end_line, i.arguments] for i in parsed.instructions] == case["instructions"]
    if "directives" in case:
        assert [[d.name, d.value, d.line] for d in parsed.directives] == case["directives"]
    by_keyword = {i.keyword: i for i in parsed.instructions}
    for keyword, heredocs in case.get("heredocs", {}).items():
        assert [[h.name, h.body, h.start_line, h.end_line] for h in by_keyword[keyword].heredocs] == heredocs
    for keyword, expands in case.get("expand", {}).items():
        assert [h.expand for h in by_keyword[keyword].heredocs] == expands
    for keyword, flags in case.get("flags", {}).items():
        assert [[f.name, f.value] for f in by_keyword[keyword].flags] == flags
    for keyword, lines in case.get("empty_continuation_lines", {}).items():
        assert list(by_keyword[keyword].empty_continuation_lines) == lines


def test_source_keeps_the_original_lines_of_an_instruction() -> None:
    parsed = parse_dockerfile("FROM scratch\nRUN a \\\n  b\n")
    assert parsed.instructions[1].source == "RUN a \\\n  b"


def test_json_arguments_are_the_exec_form() -> None:
    parsed = parse_dockerfile('FROM scratch\nENTRYPOINT ["/app", "--flag"]\nCMD [not json]\n')
    assert parsed.instructions[1].json_args == ("/app", "--flag")
    assert parsed.instructions[2].json_args is None


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("FROM scratch\nFOO bar\n", 2, "unknown instruction: FOO"),
        ("FROM scratch\nRUN <<EOF\necho\n", 2, "unterminated heredoc"),
        ("# escape=x\nFROM scratch\n", 1, "invalid escape token"),
        ("# escape=`\n# escape=\\\nFROM scratch\n", 1, "only one escape parser directive"),
        ("FROM scratch\nADD --from=a /x /y\n", 2, "unknown flag: --from"),
    ],
)
def test_rejected_input_names_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(DockerfileError) as error:
        parse_dockerfile(text, "bad/Dockerfile")
    assert error.value.line == line
    assert fragment in error.value.message
    assert str(error.value).startswith(f"bad/Dockerfile:{line}: ")


def test_binary_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM scratch\n\x00\x01\x02")
    with pytest.raises(DockerfileError) as error:
        read_dockerfile(str(path))
    assert error.value.line == 2 and "binary" in error.value.message


def test_bytes_that_are_not_utf8_read_as_the_replacement_character_buildkit_stores() -> None:
    """BuildKit builds such a file; the image config keeps U+FFFD (case ``encoding-latin1-byte-is-kept``)."""
    text = decode_dockerfile(b"FROM scratch\nLABEL a=caf\xe9\n", "x/Dockerfile")
    assert text == "FROM scratch\nLABEL a=caf\ufffd\n"
    assert parse_dockerfile(text).instructions[1].arguments == "a=caf\ufffd"


def test_huge_file_is_refused_before_parsing() -> None:
    with pytest.raises(DockerfileError) as error:
        decode_dockerfile(b"#" * (10 * 1024 * 1024 + 1))
    assert "larger than" in error.value.message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DockerfileError) as error:
        read_dockerfile(str(tmp_path / "nope"))
    assert "cannot read" in error.value.message
