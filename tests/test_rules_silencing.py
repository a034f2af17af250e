"""Silencing findings: per instruction, per file, and through BuildKit's ``check=skip`` directive."""

from __future__ import annotations

import pytest
from dockerfile_docs.explain.silencing import parse_request
from dockerfile_docs.model import BuildOptions, Finding
from dockerfile_docs.pipeline import analyze_text

TWO_UNDECLARED = """\
ARG VERSION=1.0
FROM busybox:1.36
{above_first}LABEL first="$VERSION"
{above_second}LABEL second="$VERSION"
MAINTAINER someone
"""


def _rules_by_line(text: str) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in analyze_text(text).findings if f.severity != "explain"}


def _render(above_first: str = "", above_second: str = "", header: str = "") -> str:
    return header + TWO_UNDECLARED.format(above_first=above_first, above_second=above_second)


def test_without_silencing_both_uses_and_the_maintainer_are_reported():
    assert _rules_by_line(_render()) >= {("DD101", 3), ("DD101", 4), ("DD406", 5)}


@pytest.mark.parametrize("names", ["DD101", "dd101", "global-arg-not-redeclared", "global-arg-scope", "UndefinedVar", "DD406, DD101"])
def test_an_ignore_comment_silences_the_named_rule_on_the_next_instruction_only(names):
    found = _rules_by_line(_render(above_first=f"# dockerfile-docs: ignore={names}\n"))
    assert ("DD101", 4) not in found  # the comment shifts the lines by one
    assert ("DD101", 5) in found


def test_an_ignore_comment_may_be_one_of_several_comment_lines_above():
    found = _rules_by_line(_render(above_first="# dockerfile-docs: ignore=DD101\n# why: the value is set at run time\n"))
    assert ("DD101", 5) not in found and ("DD101", 6) in found


def test_an_ignore_comment_for_another_rule_silences_nothing_here():
    found = _rules_by_line(_render(above_first="# dockerfile-docs: ignore=DD406\n"))
    assert ("DD101", 4) in found and ("DD406", 6) in found


def test_an_ignore_comment_covers_every_line_of_a_multi_line_instruction():
    text = "FROM busybox:1.36\n# dockerfile-docs: ignore=UndefinedVar\nLABEL a=$X \\\n      b=$Y\nLABEL c=$Z\n"
    found = _rules_by_line(text)
    assert ("DD409", 3) not in found and ("DD409", 5) in found


def test_an_ignore_file_comment_silences_the_rule_everywhere():
    found = _rules_by_line(_render(header="# dockerfile-docs: ignore-file=DD101\n"))
    assert not any(rule == "DD101" for rule, _ in found)
    assert ("DD406", 6) in found


def test_buildkit_check_skip_directive_silences_the_mapped_rules():
    found = _rules_by_line(_render(header="# check=skip=MaintainerDeprecated,UndefinedVar\n"))
    assert not any(rule in ("DD406", "DD101") for rule, _ in found)


def test_buildkit_check_skip_all_silences_every_buildkit_mapped_rule_but_not_the_others():
    text = "# check=skip=all\nFROM busybox\nMAINTAINER someone\n"
    found = _rules_by_line(text)
    assert ("DD406", 3) not in found
    assert ("DD501", 2) in found


def test_check_skip_leaves_a_finding_alone_when_buildkit_would_not_see_it():
    text = "# check=skip=UndefinedVar\nARG V=1\nFROM busybox:1.36\nRUN echo $V\nLABEL v=$V\n"
    found = _rules_by_line(text)
    assert ("DD101", 4) in found  # a RUN's shell expands it, BuildKit's UndefinedVar does not look there
    assert ("DD101", 5) not in found


def test_a_check_directive_below_the_first_line_of_code_is_only_a_comment():
    text = "FROM busybox\n# check=skip=all\nMAINTAINER someone\n"
    assert ("DD406", 3) in _rules_by_line(text)


def _findings_with_build_args(text: str, **build_args: str) -> list[Finding]:
    return [f for f in analyze_text(text, options=BuildOptions(build_args=build_args)).findings if f.severity != "explain"]


@pytest.mark.parametrize(("directive", "build_arg", "reported"), [
    ("", "skip=MaintainerDeprecated", False),
    ("# check=skip=MaintainerDeprecated\n", "", True),
    ("# check=skip=MaintainerDeprecated\n", "skip=UndefinedVar", True),
    ("# check=skip=all\n", "skip=MaintainerDeprecated,UndefinedVar", False),
])
def test_the_check_build_arg_replaces_the_directive_whole(directive: str, build_arg: str, reported: bool) -> None:
    """As BuildKit reads ``BUILDKIT_DOCKERFILE_CHECK``: passed, even empty, the directive is not read at all."""
    text = directive + "FROM busybox:1.36\nMAINTAINER someone\n"
    found = {f.rule for f in _findings_with_build_args(text, BUILDKIT_DOCKERFILE_CHECK=build_arg)}
    assert ("DD406" in found) is reported


def test_a_check_build_arg_with_error_true_fails_the_build_and_says_where_the_setting_came_from() -> None:
    failures = [f for f in _findings_with_build_args("FROM busybox:1.36 as base\n", BUILDKIT_DOCKERFILE_CHECK="error=true") if f.rule == "DD001"]
    assert [f.line for f in failures] == [1]
    assert "lint violation found for rules: FromAsCasing" in failures[0].message
    assert "the build arg `BUILDKIT_DOCKERFILE_CHECK=error=true`" in failures[0].message


def test_a_check_build_arg_buildkit_cannot_read_fails_the_build_with_its_message() -> None:
    failures = [f for f in _findings_with_build_args("# check=error=true\nFROM busybox:1.36\n", BUILDKIT_DOCKERFILE_CHECK="bogus") if f.rule == "DD001"]
    assert len(failures) == 1
    assert 'failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: invalid check option "bogus"' in failures[0].message


@pytest.mark.parametrize("name", ["BUILDKIT_DOCKERFILE_CHECK", "BUILDKIT_SYNTAX", "BUILDKIT_CACHE_MOUNT_NS", "SOURCE_DATE_EPOCH"])
def test_a_build_arg_buildkit_reads_itself_is_not_reported_unused(name: str) -> None:
    analysis = analyze_text("FROM busybox:1.36\n", options=BuildOptions(build_args={name: "", "NOBODY": "1"}))
    assert "DD105" in {f.rule for f in analysis.findings}
    assert analysis.unused_build_args == ["NOBODY"]


@pytest.mark.parametrize("comment,request_", [
    ("dockerfile-docs: ignore=DD101,UndefinedVar", ("ignore", {"dd101", "undefinedvar"})),
    ("dockerfile-docs:ignore-file = DD101 , DD102", ("ignore-file", {"dd101", "dd102"})),
    ("DOCKERFILE-DOCS: IGNORE=DD101", ("ignore", {"dd101"})),
    ("dockerfile-docs: silence=DD101", None),
    ("just a comment mentioning dockerfile-docs: ignore=DD101", None),
])
def test_silencing_comments_are_read_strictly(comment, request_):
    assert parse_request(comment) == request_
