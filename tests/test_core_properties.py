"""The parser and analyzer never crash: any text is either analyzed or refused with a DockerfileError; their shortcuts agree with the long way."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfile_docs.analyze import analyze
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.expand import split_key_values
from dockerfile_docs.model import BuildOptions
from dockerfile_docs.parse import parse_dockerfile

LINES = st.sampled_from(
    [
        "FROM busybox AS a", "FROM a", "FROM ${BASE:-scratch} AS b", "FROM --platform=$BUILDPLATFORM busybox",
        "ARG BASE", "ARG A=1 B=${A}", "ARG", "ENV X=${A:+y} Y=$X", "ENV legacy value", "ENV",
        "COPY --from=a /x /y", "COPY --from=0 /x /y", "COPY --from=9 /x /y", "COPY --from=b /x /y",
        "RUN --mount=type=bind,from=a,target=/m true", "RUN <<EOF", "EOF", "RUN <<-'END' sh", "\tEND",
        "RUN echo $A ${B:-c}", "# escape=`", "# syntax=docker/dockerfile:1", "LABEL a=\"b c\"", "WORKDIR $X",
        "CMD [\"a\"", "CMD [\"a\"]", "ENTRYPOINT a", "\\", "`", "", "#", "${", "$}", "'", "\"", "FROM", "FROM a b c d",
    ]
)
TEXT = st.one_of(
    st.lists(LINES, max_size=25).map("\n".join),
    st.text(max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=20).map("\n".join),
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.dictionaries(st.sampled_from(["A", "B", "BASE", "X"]), st.text(max_size=5), max_size=3))
def test_analyze_returns_or_refuses_cleanly(text: str, build_args: dict[str, str]) -> None:
    started = time.perf_counter()
    try:
        analysis = analyze(parse_dockerfile(text), BuildOptions(build_args=build_args))
    except DockerfileError as error:
        assert error.message
        assert error.line is None or error.line >= 1
    else:
        assert analysis.stages and 0 <= analysis.target < len(analysis.stages)
        assert analysis.stages[analysis.target].needed
        for edge in analysis.edges:
            assert 0 <= edge.target < len(analysis.stages)
    assert time.perf_counter() - started < 2.0


WORD_TEXT = st.text(alphabet=st.sampled_from(list("ab=$ \t\r\n\v\f\u00a0\u2003")), max_size=40)


@settings(max_examples=400, deadline=None)
@given(WORD_TEXT, st.sampled_from(["\\", "`"]))
def test_words_without_quotes_split_as_a_quoted_line_splits_them(text: str, escape: str) -> None:
    """Unquoted ENV/ARG words split by a pattern; with a quoted word after them the same words split a character at a time."""
    assert split_key_values(text + ' "q"', escape) == [*split_key_values(text, escape), '"q"']
