"""The built handbook in a real browser: pages load cleanly, diagrams show, tabs switch, dark text stays readable, search works.

The handbook is built once (``mkdocs build --strict``, ``verification:
cached``) into a temporary folder, served on 127.0.0.1 by ``http.server``
in a thread, and driven by Debian's Chromium through Playwright. Screenshots
of the key pages, light and dark, go to ``test-artifacts/screenshots/``.

Without Chromium or Playwright the tests skip with the reason; in CI (``CI``
set) they fail instead, as the Docker tests do.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
KEY_PAGES = {
    "home": "",
    "multi-stage": "multi-stage/",
    "arg-and-from": "arg-and-from/",
    "rules-dd101": "rules/dd101/",
    "embed-multi-stage-go": "embed/multi-stage-go/index.html",
}
VISIBLE_DIAGRAMS = ".dd-fragment .dd-part-diagram .dd-fit > svg:visible"
"""The drawing a reader sees: of the left-to-right and top-to-bottom ones, the stylesheet shows the one that fits."""
PAGES_WITH_DIAGRAMS = ["multi-stage/", "arg-and-from/", "entrypoint-cmd/", "build-cache/", "cross-platform/", "small-safe-images/", "heredocs/"]


# --------------------------------------------------------------------------- gates and fixtures


def _browser_problem() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python Playwright is not installed"
    if not CHROMIUM.is_file():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium driven by Playwright; skipped with the reason outside CI, failed in CI."""
    problem = _browser_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs a browser for these tests: {problem}")
        pytest.skip(f"needs a browser: {problem}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class BuiltSite:
    folder: Path
    strict_problem: str | None


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The handbook built strictly; if the strict build fails, built again leniently so the other checks still run."""
    folder = tmp_path_factory.mktemp("handbook") / "site"
    env = dict(os.environ, DOCKERFILE_DOCS_VERIFY="cached", NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(REPO / "mkdocs.yml"), "-d", str(folder)]
    strict = subprocess.run([*command, "--strict"], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    if strict.returncode == 0:
        return BuiltSite(folder, None)
    warnings = "\n".join(line for line in strict.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))) or strict.stderr[-2000:]
    lenient = subprocess.run([*command, "--no-strict"], capture_output=True, text=True, cwd=REPO, env=env, timeout=600)
    assert lenient.returncode == 0, f"the handbook does not build at all:\n{lenient.stderr[-3000:]}"
    return BuiltSite(folder, warnings)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site.folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


def visit(page: object, url: str, base: str, *, wait_until: str = "networkidle") -> PageVisit:
    """Load ``url`` in ``page`` and record console errors, failed requests and requests leaving the site."""
    seen = PageVisit()
    page.on("console", lambda message: seen.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    page.on("requestfailed", lambda request: seen.failed_requests.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda response: seen.failed_requests.append(f"{response.url}: HTTP {response.status}") if response.status >= 400 else None)
    page.on("request", lambda request: seen.foreign_requests.append(request.url) if not request.url.startswith((base, "data:", "blob:")) else None)
    page.goto(url, wait_until=wait_until)
    return seen


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def html_pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html") if path.name != "404.html")


# --------------------------------------------------------------------------- the build


def test_handbook_builds_with_strict(built_site: BuiltSite) -> None:
    assert built_site.strict_problem is None, f"mkdocs build --strict fails on the handbook:\n{built_site.strict_problem}"


# --------------------------------------------------------------------------- links, statically


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name])  # type: ignore[arg-type]
        for name in ("href", "src"):
            target = values.get(name)
            if target and tag in ("a", "img", "link", "script", "iframe", "source"):
                self.links.append((tag, target))


@functools.cache
def _read_links(path: Path) -> _LinkCollector:
    collector = _LinkCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def _file_for(site: Path, path: str) -> Path:
    candidate = site / unquote(path).lstrip("/")
    return candidate / "index.html" if path.endswith("/") or candidate.is_dir() else candidate


def test_every_link_and_image_inside_the_site_resolves(built_site: BuiltSite) -> None:
    """Every relative href/src leads to a file of the site, and every #fragment to an id on that page."""
    site = built_site.folder
    broken: list[str] = []
    for relative in html_pages(site):
        page_url = "/" + relative
        for tag, target in _read_links(site / relative).links:
            parts = urlsplit(target)
            if parts.scheme or target.startswith("//"):
                continue
            resolved = urlsplit(urljoin(page_url, target))
            file = _file_for(site, resolved.path)
            if not file.is_file():
                broken.append(f"{relative}: <{tag}> {target} -> missing {file.relative_to(site)}")
                continue
            if resolved.fragment and file.suffix == ".html" and tag == "a":
                if unquote(resolved.fragment) not in _read_links(file).ids:
                    broken.append(f"{relative}: <a> {target} -> no id {resolved.fragment!r} in {file.relative_to(site)}")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:40])


# --------------------------------------------------------------------------- pages in the browser


def test_every_page_loads_without_console_errors_or_failed_requests(browser: object, site_url: str, built_site: BuiltSite) -> None:
    problems: list[str] = []
    context = browser.new_context()
    try:
        for relative in html_pages(built_site.folder):
            page = context.new_page()
            seen = visit(page, site_url + relative, site_url, wait_until="load")
            page.wait_for_timeout(150)
            problems += [f"{relative}: console: {text}" for text in seen.console_errors]
            problems += [f"{relative}: request: {text}" for text in seen.failed_requests]
            problems += [f"{relative}: leaves the site: {url}" for url in seen.foreign_requests]
            page.close()
    finally:
        context.close()
    assert not problems, "\n".join(problems[:40])


def _show_diagram_tabs(page: object) -> None:
    """Select the diagram tab of every fragment laid out in tabs, so each diagram is on screen."""
    for label in page.locator(".dd-fragment .tabbed-labels > label").all():
        if label.inner_text().strip() == "Stages":
            label.click()


@pytest.mark.parametrize("path", PAGES_WITH_DIAGRAMS)
def test_each_diagram_is_visible_with_a_size(page: object, site_url: str, path: str) -> None:
    visit(page, site_url + path, site_url)
    _show_diagram_tabs(page)
    diagrams = page.locator(VISIBLE_DIAGRAMS).all()
    assert diagrams, f"{path} shows no diagram"
    for diagram in diagrams:
        diagram.scroll_into_view_if_needed()
        box = diagram.bounding_box()
        assert diagram.is_visible() and box is not None and box["width"] > 50 and box["height"] > 20, f"{path}: a diagram is not visible: {box}"
        assert diagram.locator("text").count() > 0


def test_content_tabs_switch_panels(page: object, site_url: str) -> None:
    visit(page, site_url + "multi-stage/", site_url)
    fragment = page.locator(".dd-fragment").first
    labels = fragment.locator(".tabbed-labels > label")
    blocks = fragment.locator(".tabbed-content > .tabbed-block")
    assert labels.count() >= 2 and blocks.count() == labels.count()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    labels.nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()
    labels.nth(0).click()
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()


# --------------------------------------------------------------------------- contrast


CONTRAST_PROBE = """
(svg) => {
  const parse = (c) => { const m = c && c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => { const a = top[3]; return [0,1,2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); };
  const opacity = (el) => { let o = 1; for (let e = el; e && e !== document.documentElement; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity || '1'); return o; };
  let page = parse(getComputedStyle(document.body).backgroundColor); if (!page || page[3] === 0) page = [255,255,255,1];
  const out = [];
  for (const t of svg.querySelectorAll('text')) {
    const r = t.getBoundingClientRect(); if (!r.width || !r.height) continue;
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === t || t.contains(el) || el.closest('text')) continue;
      const cs = getComputedStyle(el);
      let c = null;
      if (el instanceof SVGElement) { if (['rect','path','circle','ellipse','polygon'].includes(el.tagName) && cs.fill !== 'none' && !cs.fill.startsWith('url')) { c = parse(cs.fill); if (c) c[3] *= parseFloat(cs.fillOpacity || '1') * opacity(el); } }
      else { c = parse(cs.backgroundColor); }
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = page; for (const c of layers.reverse()) bg = over(c, bg);
    const fill = parse(getComputedStyle(t).fill) || [0,0,0,1];
    fill[3] *= parseFloat(getComputedStyle(t).fillOpacity || '1') * opacity(t);
    out.push({text: t.textContent, fg: over(fill, bg), bg, size: parseFloat(getComputedStyle(t).fontSize), weight: parseInt(getComputedStyle(t).fontWeight) || 400});
  }
  return out;
}
"""


def _luminance(rgb: list[float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])


def contrast(foreground: list[float], background: list[float]) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _set_scheme(page: object, scheme: str) -> None:
    page.evaluate("(scheme) => { document.body.setAttribute('data-md-color-scheme', scheme); }", scheme)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", ["multi-stage/", "arg-and-from/", "entrypoint-cmd/"])
def test_diagram_text_meets_wcag_aa_contrast(page: object, site_url: str, path: str, scheme: str) -> None:
    visit(page, site_url + path, site_url)
    _set_scheme(page, scheme)
    _show_diagram_tabs(page)
    low: list[str] = []
    checked = 0
    for diagram in page.locator(VISIBLE_DIAGRAMS).all():
        diagram.scroll_into_view_if_needed()
        for item in diagram.evaluate(CONTRAST_PROBE):
            large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
            needed = 3.0 if large else 4.5
            ratio = contrast(item["fg"], item["bg"])
            checked += 1
            if ratio < needed:
                fg = "rgb({:.0f},{:.0f},{:.0f})".format(*item["fg"][:3])
                bg = "rgb({:.0f},{:.0f},{:.0f})".format(*item["bg"][:3])
                low.append(f"{item['text']!r}: {ratio:.2f}:1 < {needed}:1 ({fg} on {bg}, {item['size']}px)")
    assert checked, f"{path}: no diagram text was measured"
    assert not low, f"{path} ({scheme}): {len(low)} of {checked} diagram texts too faint:\n" + "\n".join(low[:20])


TEXT_COLOURS = """
(el) => {
  const parse = (c) => { const m = c && c.match(/rgba?\\(([^)]+)\\)/); const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const layers = [];
  for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
  let bg = [255, 255, 255, 1];
  for (const c of layers.reverse()) bg = [0, 1, 2].map(i => c[i] * c[3] + bg[i] * (1 - c[3])).concat([1]);
  return {fg: parse(getComputedStyle(el).color), bg};
}
"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_embed_title_meets_wcag_aa_contrast(page: object, site_url: str, scheme: str) -> None:
    visit(page, site_url + "multi-stage/", site_url)
    _set_scheme(page, scheme)
    summary = page.locator(".dd-embed summary").first
    summary.scroll_into_view_if_needed()
    colours = summary.evaluate(TEXT_COLOURS)
    fg = [colours["fg"][i] * colours["fg"][3] + colours["bg"][i] * (1 - colours["fg"][3]) for i in range(3)]
    assert contrast(fg, colours["bg"]) >= 4.5, colours


# --------------------------------------------------------------------------- embed, search, screenshots


def test_embed_page_renders_alone(page: object, site_url: str, built_site: BuiltSite) -> None:
    embeds = sorted((built_site.folder / "embed").glob("*/index.html"))
    assert embeds, "the site has no embed pages"
    for embed in embeds:
        relative = embed.relative_to(built_site.folder).as_posix()
        seen = visit(page, site_url + relative, site_url)
        assert not seen.console_errors and not seen.failed_requests, (relative, seen)
        assert not seen.foreign_requests[1:] or all(url.startswith(site_url + relative) for url in seen.foreign_requests), seen.foreign_requests
        requested_elsewhere = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
        assert requested_elsewhere == [], f"{relative} loads other files: {requested_elsewhere}"
        fragment = page.locator(".dd-fragment")
        assert fragment.count() == 1 and fragment.is_visible()
        _show_diagram_tabs(page)
        diagram = page.locator(".dd-part-diagram svg").first
        box = diagram.bounding_box()
        assert diagram.is_visible() and box and box["width"] > 50, f"{relative}: diagram not shown"


def _explanation_word(page: object) -> str:
    """A distinctive word from the explanations on the page: long, alphabetic, not a Dockerfile keyword."""
    texts = page.locator(".dd-explanations .dd-message").all_inner_texts()
    words = sorted({w for text in texts for w in re.findall(r"[A-Za-z]{9,}", text)}, key=lambda w: (-len(w), w))
    assert words, "no explanation text to search for"
    return words[0]


def test_search_finds_a_word_from_an_explanation(page: object, site_url: str) -> None:
    visit(page, site_url + "multi-stage/", site_url)
    word = _explanation_word(page)
    opener = page.locator(".md-header__button[for='__search']")
    if opener.is_visible():
        opener.click()
    box = page.locator("input.md-search__input")
    box.click()
    box.type(word, delay=30)  # Material searches on key events, which fill() does not send
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=15000)
    assert results.count() >= 1
    texts = " ".join(results.all_inner_texts()).lower()
    assert word.lower() in texts, f"search results for {word!r} do not show it"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_key_pages_screenshots(browser: object, site_url: str, scheme: str) -> None:
    """Screenshots for people to look at; the test checks that the scheme took effect and the page has content."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        for name, path in KEY_PAGES.items():
            page = context.new_page()
            visit(page, site_url + path, site_url)
            if not path.startswith("embed/"):
                assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == ("slate" if scheme == "dark" else "default")
            assert page.locator("h1, .dd-fragment").count() > 0
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=True)
            _show_diagram_tabs(page)
            if page.locator(VISIBLE_DIAGRAMS).count():
                page.locator(VISIBLE_DIAGRAMS).first.scroll_into_view_if_needed()
                page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}-diagram.png"))
            page.close()
    finally:
        context.close()


SMALLEST_TEXT = """
(svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 768, 1400])
def test_each_diagram_fits_its_column_with_its_target_in_view_and_text_of_9_px(browser: object, site_url: str, width: int, scheme: str) -> None:
    """At a phone's, a tablet's and a desktop's width: the target stage inside the column, no text under 9 px."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    problems: list[str] = []
    try:
        for path in PAGES_WITH_DIAGRAMS:
            page = context.new_page()
            visit(page, site_url + path, site_url)
            _show_diagram_tabs(page)
            parts = page.locator(".dd-fragment .dd-part-diagram").all()
            assert parts, f"{path} shows no diagram"
            for number, part in enumerate(parts):
                shown = part.locator(".dd-fit > svg:visible")
                if shown.count() != 1:
                    problems.append(f"{path} #{number}: {shown.count()} drawings shown")
                    continue
                shown.scroll_into_view_if_needed()
                column = part.bounding_box()
                target = shown.locator(".dd-target .dd-box").first.bounding_box()
                assert column is not None and target is not None
                if target["x"] < column["x"] - 1 or target["x"] + target["width"] > column["x"] + column["width"] + 1 or target["x"] + target["width"] > width:
                    problems.append(f"{path} #{number}: the target stage lies outside the column ({target} in {column})")
                smallest = shown.evaluate(SMALLEST_TEXT)
                if smallest < 8.95:
                    problems.append(f"{path} #{number}: text drawn at {smallest:.1f} px")
                if number == 0:
                    shown.screenshot(path=str(SCREENSHOTS / f"fit-{width}-{scheme}-{path.strip('/')}.png"))
            page.close()
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [390, 1400])
def test_long_listing_lines_wrap_inside_the_column(browser: object, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        visit(page, site_url + "multi-stage/", site_url)
        listing = page.locator(".dd-fragment .dd-listing").first
        listing.scroll_into_view_if_needed()
        overflow = listing.evaluate("(el) => { const c = el.querySelector('code'); return [c.scrollWidth, c.clientWidth]; }")
        assert overflow[0] <= overflow[1] + 1, f"the listing is cut at the right: {overflow}"
    finally:
        context.close()
