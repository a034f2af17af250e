"""Checks shared by the hardening tests: well-formed output, inert markup, bounded time.

A renderer's output is judged the way a browser or an XML reader would take
it: the SVG must parse as XML, the HTML must have balanced tags, and nothing
produced from input may become live markup (a script, an event handler, a
``javascript:`` link).
"""

from __future__ import annotations

import re
import signal
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser

from dockerfile_docs.render.fragment import svg_document

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
"""HTML elements that have no end tag."""

RAW_TEXT_ELEMENTS = frozenset({"script", "style", "textarea", "title"})


class TookTooLong(Exception):
    """Raised inside the code under test when it runs past its time limit."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread only): a hang fails the test instead of stalling it."""

    def interrupt(signum: int, frame: object) -> None:
        raise TookTooLong(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class MarkupReport:
    """What an HTML parse found: tag problems, and every element and attribute seen."""

    problems: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


class _BalanceChecker(HTMLParser):
    """Follows open elements on a stack; SVG children closed by ``/>`` do not push."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.report = MarkupReport()
        self.stack: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._seen(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._seen(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        if not self.stack:
            self.report.problems.append(f"line {self.getpos()[0]}: </{tag}> closes nothing")
            return
        opened, line = self.stack.pop()
        if opened != tag:
            self.report.problems.append(f"line {self.getpos()[0]}: </{tag}> closes <{opened}> opened on line {line}")

    def handle_comment(self, data: str) -> None:
        self.report.comments.append(data)

    def _seen(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.report.tags.append(tag)
        self.report.attributes.extend((tag, name, value) for name, value in attrs)

    def finish(self) -> MarkupReport:
        self.close()
        for tag, line in self.stack:
            self.report.problems.append(f"<{tag}> opened on line {line} is never closed")
        return self.report


def read_html(markup: str) -> MarkupReport:
    checker = _BalanceChecker()
    checker.feed(markup)
    return checker.finish()


def assert_balanced_html(markup: str) -> MarkupReport:
    report = read_html(markup)
    assert not report.problems, "unbalanced HTML:\n" + "\n".join(report.problems[:10])
    return report


def assert_well_formed_svg(svg: str) -> ET.Element:
    """The inline SVG as a standalone document must parse as XML, with an ``svg`` root."""
    try:
        root = ET.fromstring(svg_document(svg).encode("utf-8"))
    except ET.ParseError as error:
        raise AssertionError(f"SVG is not well-formed XML: {error}") from None
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


_DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


def live_markup(markup: str) -> list[str]:
    """Every piece of markup that a browser would execute: scripts, event handlers, script URLs, frames of them."""
    report = read_html(markup)
    found = [f"<{tag}>" for tag in report.tags if tag in ("script", "iframe", "object", "embed", "foreignobject", "base")]
    for tag, name, value in report.attributes:
        if name.startswith("on"):
            found.append(f"<{tag} {name}=...>")
        if name in ("href", "src", "xlink:href", "action", "formaction") and value and _DANGEROUS_URL.match(value):
            found.append(f"<{tag} {name}={value!r}>")
    return found


def assert_inert(markup: str, *, allowed_iframes: int = 0) -> None:
    found = live_markup(markup)
    iframes = sum(1 for item in found if item == "<iframe>")
    assert iframes <= allowed_iframes, f"unexpected iframes in {found}"
    found = [item for item in found if item != "<iframe>"]
    assert not found, f"live markup from input: {found}"
