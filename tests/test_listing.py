"""The annotated listing and the explanations: anchors, markers tied to explanations, highlighting, escaping."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.render.explanations import (
    message_html,
    numbered_findings,
    render_explanations,
)
from dockerfile_docs.render.listing import render_listing
from hypothesis import given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
DOCKERFILES = sorted(REPO.glob("examples/*/Dockerfile")) + sorted(REPO.glob("tests/rules/*/*.Dockerfile"))

SAMPLE = """\
# syntax=docker/dockerfile:1
ARG VERSION=1.2
# a comment with <script>alert("x")</script>
FROM --platform=$BUILDPLATFORM busybox:1.36 AS build
RUN --mount=type=cache,target=/root/.cache echo "v $VERSION" 'single $NO' && \\
    echo two
COPY <<EOF /page.html
<script>alert(1)</script> $VERSION
EOF
FROM scratch
COPY --from=build /page.html /page.html
CMD ["/page.html", "--x"]
"""


class _Structure(HTMLParser):
    """Collects ids, links and text, and checks that every tag is closed in order."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.links: list[tuple[str | None, str]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "a":
            self.links.append((attributes.get("id"), attributes.get("href", "")))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _structure(markup: str) -> _Structure:
    parser = _Structure()
    parser.feed(markup)
    parser.close()
    assert parser.errors == [] and parser.stack == []
    return parser


def _line_texts(listing: str) -> list[str]:
    """The code text of each line: tags, line numbers and markers removed, entities decoded."""
    rows = re.findall(r'<span class="dd-line" id="[^"]+">(.*?)(?=\n<span class="dd-line"|</code>)', listing, re.DOTALL)
    texts = []
    for row in rows:
        row = re.sub(r'^<a class="dd-ln"[^>]*>\d+</a>', "", row)
        row = re.sub(r'<span class="dd-markers">.*$', "", row)
        texts.append(html.unescape(re.sub(r"<[^>]+>", "", row)))
    return texts


def _line_of_marker(listing: str, number: int) -> int:
    for row in listing.split("\n"):
        if f'id="dd-M{number}"' in row:
            return int(re.match(r'(?:<div[^>]*><pre><span></span><code>)?<span class="dd-line" id="dd-L(\d+)"', row).group(1))
    raise AssertionError(f"no marker {number}")


def test_every_line_has_an_anchor_and_a_number_in_order():
    listing = render_listing(analyze_text(SAMPLE))
    structure = _structure(listing)
    count = len(SAMPLE.splitlines())
    line_ids = [i for i in structure.ids if re.fullmatch(r"dd-L\d+", i)]
    assert line_ids == [f"dd-L{n}" for n in range(1, count + 1)]
    for n in range(1, count + 1):
        assert f'<a class="dd-ln" href="#dd-L{n}">{n}</a>' in listing


def test_markers_and_explanations_are_the_same_numbered_findings_linked_both_ways():
    analysis = analyze_text(SAMPLE)
    listing, explanations = render_listing(analysis), render_explanations(analysis)
    numbered = numbered_findings(analysis)
    assert len(numbered) >= 3, "the sample must have findings"
    listing_links = dict(_structure(listing).links)
    explanation_structure = _structure(explanations)
    for number, finding in numbered:
        assert listing_links[f"dd-M{number}"] == f"#dd-F{number}"
        assert _line_of_marker(listing, number) == finding.line
        assert f"dd-F{number}" in explanation_structure.ids
        item = re.search(rf'<li [^>]*id="dd-F{number}"[^>]*>(.*?)</li>', explanations, re.DOTALL).group(1)
        assert f'href="#dd-M{number}"' in item
        assert f'href="#dd-L{finding.line}"' in item
        assert message_html(finding.message) in item
    assert len(re.findall(r'class="dd-marker ', listing)) == len(numbered)
    assert len(re.findall(r'<li class="dd-finding ', explanations)) == len(numbered)


def test_a_script_tag_in_a_dockerfile_is_escaped_everywhere():
    text = 'FROM busybox:1.36\nLABEL note="<script>alert(1)</script>"\nRUN echo "</code></pre><script>x</script>" $UNDECLARED_<b>\n'
    analysis = analyze_text(text)
    for markup in (render_listing(analysis), render_explanations(analysis)):
        assert "<script" not in markup and "<b>" not in markup
        _structure(markup)
    assert "&lt;script&gt;" in render_listing(analysis)


@pytest.mark.parametrize("path", DOCKERFILES, ids=[str(p.relative_to(REPO)) for p in DOCKERFILES])
def test_the_listing_shows_every_character_of_the_file(path):
    text = path.read_text(encoding="utf-8")
    try:
        analysis = analyze_text(text, path.name)
    except DockerfileError:
        pytest.skip("the Dockerfile is rejected before rendering")
    listing = render_listing(analysis)
    _structure(listing)
    assert _line_texts(listing) == text.splitlines()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab $'\"\\{}[],<>&-=:#\t", max_size=30), min_size=1, max_size=4))
def test_highlighting_never_loses_or_invents_text(arguments):
    text = "FROM busybox:1.36\n" + "".join(f"RUN {a}\nLABEL x={a}\n" for a in arguments)
    try:
        analysis = analyze_text(text)
    except DockerfileError:
        return
    listing = render_listing(analysis)
    _structure(listing)
    assert _line_texts(listing) == text.splitlines()


@pytest.mark.parametrize("fragment", [
    '<span class="cp"># syntax=docker/dockerfile:1</span>',
    '<span class="k">FROM</span>',
    '<span class="na">--platform</span>',
    '<span class="nv">$BUILDPLATFORM</span>',
    '<span class="k">AS</span> <span class="nl">build</span>',
    '<span class="c1"># a comment with &lt;script&gt;',
    '<span class="s2">&quot;v </span><span class="nv">$VERSION</span>',
    "<span class=\"s1\">&#x27;single $NO&#x27;</span>",
    '<span class="se">\\</span>',
    '<span class="sh">&lt;&lt;EOF</span>',
    '<span class="sh">&lt;script&gt;alert(1)&lt;/script&gt; $VERSION</span>',
    '<span class="p">[</span><span class="s2">&quot;/page.html&quot;</span>',
])
def test_highlighting_marks_keywords_flags_strings_variables_comments_and_heredocs(fragment):
    assert fragment in render_listing(analyze_text(SAMPLE))


def test_the_listing_is_a_pygments_style_code_block_that_highlighters_leave_alone():
    """``nohighlight`` keeps highlight.js (the plain mkdocs theme) from rewriting markers and anchors."""
    listing = render_listing(analyze_text(SAMPLE))
    assert listing.startswith('<div class="highlight dd-listing"><pre><span></span><code class="nohighlight">')
    assert listing.endswith("</code></pre></div>")


def test_the_id_prefix_keeps_two_listings_on_one_page_apart():
    analysis = analyze_text(SAMPLE)
    ids = _structure(render_listing(analysis, id_prefix="first")).ids + _structure(render_listing(analysis, id_prefix="second")).ids
    assert len(ids) == len(set(ids))
    assert all(i.startswith(("first-", "second-")) for i in ids)


def test_explanations_link_each_rule_to_its_reference_page():
    analysis = analyze_text(SAMPLE)
    codes = {f.rule for f in analysis.findings}
    default = render_explanations(analysis)
    for code in codes:
        assert f'href="rules/{code.lower()}/"' in default
    custom = render_explanations(analysis, rule_url=lambda code: f"/handbook/rules/{code}.html")
    assert all(f'href="/handbook/rules/{code}.html"' in custom for code in codes)
    assert 'class="dd-rule" href' not in render_explanations(analysis, rules_base_url=None)


def test_explanations_show_severity_badges_line_links_and_the_buildkit_name():
    explanations = render_explanations(analyze_text("ARG V=1\nFROM busybox:1.36\nLABEL v=$V\n"))
    assert '<span class="dd-badge dd-badge-warning">warning</span>' in explanations
    assert '<a class="dd-line-link" href="#dd-L3">line 3</a>' in explanations
    assert "BuildKit: <code>UndefinedVar</code>" in explanations


def test_a_dockerfile_without_findings_says_so():
    analysis = analyze_text("FROM busybox:1.36\nRUN true\n")
    assert analysis.findings == []
    assert "no rule has a finding" in render_explanations(analysis)
    assert "dd-marker" not in render_listing(analysis)


@pytest.mark.parametrize("message,expected", [
    ("`A` is <b>", "<code>A</code> is &lt;b&gt;"),
    ("odd ` count <i>", "odd ` count &lt;i&gt;"),
    ("`<script>`", "<code>&lt;script&gt;</code>"),
])
def test_messages_turn_backtick_spans_into_code_and_escape_the_rest(message, expected):
    assert message_html(message) == expected


def test_without_explanations_beside_it_markers_keep_their_tooltip_and_link_nowhere():
    listing = render_listing(analyze_text(SAMPLE), id_prefix="solo", link_findings=False)
    assert 'class="dd-marker' in listing and "title=" in listing
    assert 'href="#solo-F' not in listing
