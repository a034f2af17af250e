"""One HTML fragment arranging a Dockerfile's listing, diagram, explanations and build results.

Two layouts, both static (no JavaScript):

* ``tabs``: the markup of ``pymdownx.tabbed`` in its alternate style (radio
  inputs, ``.tabbed-labels``, ``.tabbed-content``), which mkdocs-material
  styles and switches with CSS alone; ``style.css`` carries the same
  switching, and listing colours, for pages without Material (see
  :func:`page_css`);
* ``stacked``: the parts one below the other, for MkDocs' own theme and
  any other generator.

When the listing and the explanations are both shown they share one tab, so
the numbered markers of the listing link to explanations that are on screen.

Every string from a Dockerfile reaches HTML only through the part renderers
(which escape it) or :func:`html.escape` here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from functools import cache

from ..errors import DockerfileDocsError, DockerfileError
from ..model import Analysis
from ..records import record

TYPE_CHECKING = False
if TYPE_CHECKING:  # the type checker's names only: importing typing costs the command line's start-up
    from typing import Literal

    Part = Literal["listing", "diagram", "explanations", "results"]
    Layout = Literal["tabs", "stacked"]

PARTS: tuple[Part, ...] = ("listing", "diagram", "explanations", "results")
PART_TITLES: dict[str, str] = {
    "listing": "Dockerfile",
    "diagram": "Stages",
    "explanations": "Explanations",
    "results": "Build",
}
THEMELESS_SCOPE = ".dd-themeless"
"""Scope of the rules of ``style.css`` that Material provides itself (tab switching, code colours)."""

_ID_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@record(frozen=True)
class Panel:
    """One tab (or one stacked section): a title and the HTML of the parts it holds."""

    key: str
    title: str
    body: str


def normalize_show(show: Iterable[str] | str | None) -> tuple[Part, ...]:
    """The parts to show, in the given order, from a sequence or a space/comma separated string.

    Raises :class:`DockerfileDocsError` naming the unknown part, so a typo in
    a page is reported instead of silently showing less.
    """
    if show is None:
        return PARTS
    items = re.split(r"[\s,]+", show.strip()) if isinstance(show, str) else [str(item).strip() for item in show]
    parts: list[Part] = []
    for item in items:
        if not item:
            continue
        if item not in PARTS:
            raise DockerfileDocsError(f"unknown part {item!r} in show (expected some of: {', '.join(PARTS)})")
        if item not in parts:
            parts.append(item)  # type: ignore[arg-type]
    if not parts:
        raise DockerfileDocsError(f"show names no part (expected some of: {', '.join(PARTS)})")
    return tuple(parts)


def check_id_prefix(id_prefix: str) -> str:
    """Refuse prefixes that would make invalid or colliding ``id`` attributes."""
    if not _ID_PREFIX.match(id_prefix):
        raise ValueError(f"id_prefix must start with a letter and hold only letters, digits, '-' and '_': {id_prefix!r}")
    return id_prefix


PartsMemo = MutableMapping[tuple[str, str, bool], str]
"""Listing and diagram HTML of one analysis, by part, id prefix and whether it links to the other part."""


def render_fragment(
    analysis: Analysis,
    *,
    reuse: PartsMemo | None = None,
    show: Iterable[str] | str | None = PARTS,
    result_html: str | None = None,
    id_prefix: str = "dd",
    layout: Layout = "tabs",
    standalone: bool = False,
    title: str | None = None,
    description_html: str | None = None,
    rule_url: Callable[[str], str] | None = None,
    diagram_url: str | None = None,
    inline_styles: bool = False,
) -> str:
    """The listing, diagram, explanations and results of ``analysis`` as one HTML fragment.

    ``inline_styles`` draws the listing, the diagram and the explanations so
    that they need no stylesheet (:mod:`.portable`): for hosts that sanitize
    pages, such as Backstage TechDocs.

    ``diagram_url``, where the site publishes the diagram as a file of its
    own, is linked under the diagram for a view at full size.

    ``result_html`` is the build-results panel (``render.results``); without
    it the ``results`` part is left out. ``title`` is plain text (escaped),
    ``description_html`` already-safe HTML. ``rule_url`` maps a rule code to
    the URL of its reference page; without it rules are named, not linked.
    ``standalone`` wraps the fragment in a self-contained HTML document.
    ``reuse`` keeps the listing and the diagram (which depend on nothing
    else) for another fragment of the same analysis, such as a page and its
    embed; it must only ever be given fragments of this one analysis.
    """
    check_id_prefix(id_prefix)
    parts = normalize_show(show)
    panels = _panels(analysis, parts, result_html=result_html, id_prefix=id_prefix, rule_url=rule_url, reuse=reuse, diagram_url=diagram_url,
                     inline_styles=inline_styles)
    header = _header(title, description_html)
    if layout == "tabs" and len(panels) > 1:
        body = _tabs(panels, id_prefix)
    elif layout in ("tabs", "stacked"):
        body = _stacked(panels)
    else:
        raise ValueError(f"layout must be 'tabs' or 'stacked', not {layout!r}")
    fragment = (
        f'<div class="dd-fragment dd-layout-{layout}" id="{id_prefix}">\n{header}{body}</div>\n'
    )
    if standalone:
        return standalone_document(fragment, title=title or _document_title(analysis))
    return fragment


def render_error(
    error: DockerfileDocsError | str,
    *,
    title: str = "Dockerfile error",
    standalone: bool = False,
) -> str:
    """A visible error box in place of a fragment, naming the file and line when known."""
    if isinstance(error, DockerfileError):
        where = f"{error.path}:{error.line}" if error.line else error.path
        detail = f"<code>{html.escape(where)}</code>: {html.escape(error.message)}"
    else:
        detail = html.escape(str(error))
    box = (
        '<div class="dd-fragment dd-error admonition failure" role="alert">\n'
        f'<p class="admonition-title">{html.escape(title)}</p>\n'
        f"<p>{detail}</p>\n"
        "</div>\n"
    )
    if standalone:
        return standalone_document(box, title=title)
    return box


def standalone_document(body_html: str, *, title: str) -> str:
    """A self-contained HTML page: inline CSS, no script, no external URL.

    The Content-Security-Policy makes the promise enforceable: a browser
    would refuse any script or remote resource that slipped in.
    """
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{page_css(material=False)}</style>\n"
        "</head>\n"
        f'<body class="dd-standalone {THEMELESS_SCOPE[1:]}">\n{body_html}</body>\n</html>\n'
    )


def svg_document(svg: str) -> str:
    """An inline ``<svg>`` as a file of its own: the SVG namespace declared and an XML prolog."""
    svg = svg.strip()
    start = svg.find("<svg")
    if start < 0:
        raise ValueError("not an SVG element")
    svg = svg[start:]
    opening_end = svg.find(">")
    if 'xmlns="http://www.w3.org/2000/svg"' not in svg[:opening_end]:
        svg = '<svg xmlns="http://www.w3.org/2000/svg"' + svg[4:]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"


@cache
def style_css() -> str:
    """The stylesheet shipped beside this module, with the rules that fit diagrams to their column."""
    from importlib import resources

    from .fit import fit_css

    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8") + "\n" + fit_css()


def site_css(*, material: bool) -> str:
    """The stylesheet a whole site serves: :func:`page_css` and the rules that fit it into a MkDocs theme.

    The MkDocs plugin generates it; a site built without plugins (Zensical)
    ships it as a file, written by ``dockerfile-docs stylesheet``.
    """
    from importlib import resources

    from .svg import STYLE_SHEET

    site_rules = resources.files("dockerfile_docs.mkdocs_plugin").joinpath("dockerfile-docs.css").read_text(encoding="utf-8")
    # The diagrams' own stylesheet once more: hosts that sanitize pages (Backstage TechDocs) drop the <style> inside an <svg>
    return page_css(material=material) + site_rules + "\n/* Diagrams, for hosts that remove the stylesheet inside each. */\n" + STYLE_SHEET + "\n"


def page_css(*, material: bool) -> str:
    """The stylesheet a page needs: ``style.css`` and the listing's styles.

    Without mkdocs-material, the rules scoped to ``.dd-themeless`` (tab
    switching, code colours) apply everywhere; with Material they stay scoped
    and never compete with the theme's own.
    """
    from .listing import LISTING_CSS

    css = style_css() + "\n/* Listing and explanations. */\n" + LISTING_CSS.strip() + "\n"
    if not material:
        css = css.replace(THEMELESS_SCOPE + " ", "")
    return css


# --------------------------------------------------------------------------- parts


def _panels(
    analysis: Analysis,
    parts: Sequence[Part],
    *,
    result_html: str | None,
    id_prefix: str,
    rule_url: Callable[[str], str] | None,
    reuse: PartsMemo | None,
    diagram_url: str | None = None,
    inline_styles: bool = False,
) -> list[Panel]:
    panels: list[Panel] = []
    for part in parts:
        if part == "explanations" and "listing" in parts:
            continue  # shown in the listing's panel, under the code it explains
        if part == "results" and result_html is None:
            continue
        body = _part_html(analysis, part, parts, result_html=result_html, id_prefix=id_prefix, rule_url=rule_url, reuse=reuse,
                          diagram_url=diagram_url, inline_styles=inline_styles)
        if part == "listing" and "explanations" in parts:
            body += _part_html(analysis, "explanations", parts, result_html=None, id_prefix=id_prefix, rule_url=rule_url, reuse=reuse,
                               inline_styles=inline_styles)
        panels.append(Panel(part, PART_TITLES[part], body))
    return panels


def _part_html(
    analysis: Analysis,
    part: Part,
    parts: Sequence[Part],
    *,
    result_html: str | None,
    id_prefix: str,
    rule_url: Callable[[str], str] | None,
    reuse: PartsMemo | None = None,
    diagram_url: str | None = None,
    inline_styles: bool = False,
) -> str:
    """One part; links only to parts that are shown (markers to explanations, stages to listing lines)."""
    if inline_styles and part in ("listing", "diagram", "explanations"):
        from .portable import portable_part

        inner = portable_part(analysis, part, id_prefix=id_prefix)
    elif part in ("listing", "diagram"):
        linked = "explanations" in parts if part == "listing" else "listing" in parts
        key = (part, id_prefix, linked)
        inner = reuse.get(key) if reuse is not None else None
        if inner is None:
            inner = _drawn_part(analysis, part, id_prefix=id_prefix, linked=linked)
            if reuse is not None:
                reuse[key] = inner
    elif part == "explanations":
        inner = _explanations(analysis, id_prefix=id_prefix, rule_url=rule_url)
    else:
        inner = result_html or ""
    if part == "diagram" and diagram_url:
        from .fit import full_size_link

        inner += full_size_link(analysis, diagram_url)
    return f'<div class="dd-part dd-part-{part}">\n{inner}\n</div>\n'


def _drawn_part(analysis: Analysis, part: str, *, id_prefix: str, linked: bool) -> str:
    if part == "listing":
        from .listing import render_listing

        return render_listing(analysis, id_prefix=id_prefix, link_findings=linked)
    from .fit import render_fitted_diagram

    return render_fitted_diagram(analysis, id_prefix=id_prefix, link_lines=linked)


def _explanations(analysis: Analysis, *, id_prefix: str, rule_url: Callable[[str], str] | None) -> str:
    """Rules are linked only where the caller knows their pages: a fragment may be pasted anywhere."""
    from .explanations import render_explanations

    return render_explanations(analysis, id_prefix=id_prefix, rules_base_url=None, rule_url=rule_url)


# --------------------------------------------------------------------------- layouts


def _tabs(panels: Sequence[Panel], id_prefix: str) -> str:
    """``pymdownx.tabbed`` alternate-style markup with ids of our own, so page tab sets never collide."""
    name = f"{id_prefix}-tabs"
    checked = ' checked="checked"'
    inputs = "".join(
        f'<input{checked if index == 0 else ""} id="{name}-{index + 1}" name="{name}" type="radio" />'
        for index in range(len(panels))
    )
    labels = "".join(
        f'<label for="{name}-{index + 1}">{html.escape(panel.title)}</label>' for index, panel in enumerate(panels)
    )
    blocks = "".join(
        f'<div class="tabbed-block dd-panel-{panel.key}">\n{panel.body}</div>\n' for panel in panels
    )
    return (
        f'<div class="tabbed-set tabbed-alternate dd-tabs">{inputs}'
        f'<div class="tabbed-labels">{labels}</div>\n'
        f'<div class="tabbed-content">\n{blocks}</div>\n'
        "</div>\n"
    )


def _stacked(panels: Sequence[Panel]) -> str:
    sections = []
    for panel in panels:
        heading = f'<p class="dd-panel-title">{html.escape(panel.title)}</p>\n' if len(panels) > 1 else ""
        sections.append(f'<section class="dd-panel dd-panel-{panel.key}">\n{heading}{panel.body}</section>\n')
    return "".join(sections)


def _header(title: str | None, description_html: str | None) -> str:
    pieces = []
    if title:
        pieces.append(f'<p class="dd-title">{html.escape(title)}</p>\n')
    if description_html:
        pieces.append(f'<div class="dd-description">\n{description_html}\n</div>\n')
    return "".join(pieces)


def _document_title(analysis: Analysis) -> str:
    return analysis.dockerfile.path or "Dockerfile"
