"""Any text, rendered every way, either renders well-formed and inert output or is refused with a DockerfileError.

The strategies write Dockerfile-like text the way people (and attackers)
do: instructions in any case, flags, continuations with either escape
character, heredocs (terminated or not), directives, comments, and words
mixing variables, quotes, JSON, unicode and control characters. Every
renderer sees each analysis: the SVG diagram, the listing, the
explanations, the fragment in both layouts and standalone, Mermaid,
Markdown, and the Python-Markdown extension's inline fence.
"""

from __future__ import annotations

import re
import time

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.model import Analysis, BuildOptions
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.render.explanations import render_explanations
from dockerfile_docs.render.fragment import render_fragment
from dockerfile_docs.render.listing import render_listing
from dockerfile_docs.render.markdown_out import render_markdown
from dockerfile_docs.render.mermaid import render_mermaid
from dockerfile_docs.render.svg import render_diagram
from tests.hostile.checks import assert_balanced_html, assert_inert, assert_well_formed_svg, time_limit

SECONDS_PER_INPUT = 5.0
"""Generous for a 2-core machine under load; a hang or a blow-up takes far longer."""

KEYWORDS = [
    "FROM", "RUN", "COPY", "ADD", "ARG", "ENV", "LABEL", "CMD", "ENTRYPOINT", "WORKDIR", "USER", "SHELL",
    "EXPOSE", "VOLUME", "HEALTHCHECK", "ONBUILD", "STOPSIGNAL", "MAINTAINER",
]
FLAGS = {
    "FROM": ["--platform=$BUILDPLATFORM", "--platform=linux/arm64", "--platform=${TARGETPLATFORM}"],
    "COPY": ["--from=build", "--from=0", "--from=7", "--from=busybox:1.36", "--from=${STAGE}", "--chown=1:1", "--chmod=755", "--link"],
    "ADD": ["--chown=1:1", "--link", "--checksum=sha256:00"],
    "RUN": ["--mount=type=cache,target=/root/.cache", "--mount=from=build,source=/a,target=/b", "--mount=type=secret,id=x", "--network=none"],
    "HEALTHCHECK": ["--interval=5s", "--retries=3"],
}
ANY_FLAGS = ["--", "--=", "--from=", "--bogus"]
WORDS = [
    "busybox:1.36", "scratch", "debian:bookworm-slim", "AS", "as", "build", "runtime", "/app", ".", "..", "*",
    "$A", "${A}", "${A:-x}", "${A:+y}", "${A:?boom}", "${A#p}", "${A%%s}", "${A/x/y}", "${", "}", "$", "$$", "\\$A",
    "A=1", "B=${A}", "C=\"two words\"", "'single quoted'", '"double', "[\"exec\", \"form\"]", "[\"unclosed\"",
    "[]", "[1, 2]", "&&", "||", ";", "#", "# not a comment", "`", "\\",
    "é", "日本語", "🐳", "\u202e", "\u200b", "\ufeff", "\t", "\x0b", "\x1b[31m", "\x7f", "\ud7ff",
    "<script>alert(1)</script>", "\"><svg onload=alert(1)>", "javascript:alert(1)", "]]>", "-->", "{{ 7*7 }}",
]

free_text = st.text(st.characters(blacklist_characters="\x00\n\r"), max_size=12)
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS), free_text)
keyword = st.sampled_from(KEYWORDS).flatmap(lambda k: st.sampled_from([k, k.lower(), k.capitalize()]))


@st.composite
def instruction(draw: st.DrawFn, *, wild: bool = False) -> str:
    """One instruction; ``wild`` ones may carry flags their keyword refuses and free text continuation lines."""
    written = draw(keyword)
    choices = FLAGS.get(written.upper(), []) + (ANY_FLAGS if wild else [])
    flags = draw(st.lists(st.sampled_from(choices), max_size=2)) if choices else []
    words = draw(st.lists(word, max_size=6))
    line = " ".join([written, *flags, *words])
    if draw(st.booleans()) and draw(st.booleans()):
        piece = st.lists(word, max_size=4).map(" ".join)
        continued = draw(st.lists(piece, min_size=1, max_size=3))
        joiner = draw(st.sampled_from(["\\\n", "\\  \n", "\\\n\n", "\\\n# comment inside\n"] + (["`\n"] if wild else [])))
        line = line + " " + joiner.join(continued)
    return line


@st.composite
def heredoc(draw: st.DrawFn, *, wild: bool = False) -> str:
    name = draw(st.sampled_from(["EOF", "END", "X"]))
    opener = draw(st.sampled_from([f"<<{name}", f"<<-{name}", f"<<'{name}'", f'<<"{name}"']))
    head = draw(st.sampled_from(["RUN", "COPY", "ADD", "run"]))
    target = "" if head.upper() == "RUN" else " /dest"
    body = draw(st.lists(st.one_of(word, instruction()), max_size=4))
    endings = [name, "\t" + name] if opener.startswith("<<-") else [name]
    terminator = draw(st.sampled_from(endings + (["", name + " "] if wild else [])))
    return "\n".join([f"{head} {opener}{target}", *body, terminator])


COMMENTS = ["", "#", "# comment", "#escape=`", "# syntax=docker/dockerfile:1", "# check=skip=all", "  \t "]
STAGE_STARTS = [
    "FROM build AS second", "FROM scratch", "FROM ${BASE:-busybox:1.36} AS third", "FROM --platform=$BUILDPLATFORM busybox AS tools",
    "FROM runtime", "FROM 0 AS again", "from build as \u202eevil",
]
tame_line = st.one_of(instruction(), instruction(), instruction(), heredoc(), st.sampled_from(COMMENTS), st.sampled_from(STAGE_STARTS))
wild_line = st.one_of(instruction(wild=True), heredoc(wild=True), st.sampled_from(["\\", "BOGUS x", "<<EOF"]), st.text(max_size=40))


@st.composite
def dockerfile_text(draw: st.DrawFn) -> str:
    """Mostly files BuildKit would accept (so the renderers see rich analyses), a fifth with anything in them."""
    directives = draw(st.lists(st.sampled_from(["# escape=`", "# syntax=docker/dockerfile:1", "#check=error=true"]), max_size=2, unique=True))
    start = draw(st.sampled_from(["FROM busybox:1.36 AS build", "FROM scratch", "ARG BASE=busybox:1.36\nFROM $BASE", "FROM busybox AS runtime"]))
    lines = st.one_of(tame_line, wild_line) if draw(st.integers(0, 4)) == 0 else tame_line
    body = draw(st.lists(lines, max_size=20))
    newline = draw(st.sampled_from(["\n", "\r\n", "\n"]))
    return newline.join([*directives, start, *body]) + draw(st.sampled_from(["", "\n"]))


build_args = st.dictionaries(st.sampled_from(["A", "B", "BASE", "STAGE", "TARGETARCH"]), word, max_size=3)
target = st.one_of(st.none(), st.sampled_from(["build", "runtime", "0", "missing"]))


def render_everything(analysis: Analysis) -> None:
    """Every output of one analysis, each checked for well-formedness and inert markup."""
    svg = render_diagram(analysis, id_prefix="fz")
    assert_well_formed_svg(svg)
    assert_inert(svg)
    for part in (render_listing(analysis, id_prefix="fz"), render_explanations(analysis, id_prefix="fz")):
        assert_balanced_html(part)
        assert_inert(part)
    for layout in ("tabs", "stacked"):
        fragment = render_fragment(analysis, layout=layout, id_prefix="fz", title="t")
        assert_balanced_html(fragment)
        assert_inert(fragment)
    document = render_fragment(analysis, standalone=True, show="diagram listing")
    assert_balanced_html(document)
    assert_inert(document)
    mermaid = render_mermaid(analysis)
    assert mermaid.startswith("flowchart LR\n")
    assert not re.search(r"<(?!/?(b|i|br/?)>)", mermaid.replace("<br/>", "")), "raw markup in Mermaid labels"
    md = render_markdown(analysis, diagram="mermaid")
    assert_inert(markdown.markdown(md, extensions=["fenced_code"]))


def check(text: str, options: BuildOptions) -> None:
    started = time.perf_counter()
    with time_limit(SECONDS_PER_INPUT * 2):
        try:
            analysis = analyze_text(text, "Dockerfile", options)
        except DockerfileError as error:
            assert error.message and error.path == "Dockerfile"
            assert error.line is None or error.line >= 1
        else:
            render_everything(analysis)
    assert time.perf_counter() - started < SECONDS_PER_INPUT


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(dockerfile_text(), build_args, target)
def test_dockerfile_like_text_renders_or_is_refused_cleanly(text: str, args: dict[str, str], wanted: str | None) -> None:
    check(text, BuildOptions(build_args=args, target=wanted))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_renders_or_is_refused_cleanly(text: str) -> None:
    check(text, BuildOptions())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(dockerfile_text(), st.sampled_from(["diagram", "listing explanations", "diagram listing explanations"]))
def test_inline_fence_in_a_page_stays_balanced_and_inert(text: str, show: str) -> None:
    """The extension turns any fence body into balanced markup: a broken Dockerfile becomes an error box, never a crash."""
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    page = f'Before.\n\n{fence}dockerfile-docs show="{show}"\n{text}\n{fence}\n\nAfter.\n'
    with time_limit(SECONDS_PER_INPUT * 2):
        html = markdown.markdown(page, extensions=["dockerfile_docs"])
    assert html.startswith("<p>Before.</p>") and html.rstrip().endswith("<p>After.</p>")
    assert_balanced_html(html)
    assert_inert(html)
