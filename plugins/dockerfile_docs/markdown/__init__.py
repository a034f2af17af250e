"""Python-Markdown extension for the two fences of the page syntax.

````
```dockerfile-example
example: multi-stage-go
```
````

renders an example folder; ```` ```dockerfile-docs show="diagram" ```` renders
the Dockerfile in its body. Listing ``dockerfile_docs`` in a site's Markdown
extensions is all it takes, in any Python-Markdown generator (MkDocs,
Zensical, plain ``markdown.Markdown``):

* the fences are custom fences of ``pymdownx.superfences`` (which nests them
  in lists, admonitions and tabs and stashes their HTML untouched); when no
  SuperFences is configured the extension loads it;
* they are attached to whichever SuperFences instance ends up handling
  fences, just before each conversion, so the order of the extension list
  and a SuperFences configured with other custom fences do not matter.

Problems are rendered in place and passed to the ``on_problem`` callback.
"""

from __future__ import annotations

import inspect
import logging
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..records import field, record
from ..render.explanations import default_rule_url
from ..render.fragment import PARTS, normalize_show
from .blocks import (
    SHARED_CACHE,
    BlockRenderer,
    EmbedLinks,
    FragmentCache,
    Problem,
    RenderedBlock,
    Settings,
)

__all__ = [
    "EXAMPLE_FENCE",
    "INLINE_FENCE",
    "DockerfileDocsExtension",
    "EmbedLinks",
    "FragmentCache",
    "Problem",
    "makeExtension",
]

EXAMPLE_FENCE = "dockerfile-example"
INLINE_FENCE = "dockerfile-docs"
_SLUG = re.compile(r"[^a-z0-9]+")
log = logging.getLogger(__name__)


@record
class _PageIds:
    """The id prefixes used so far in one document, so two fences never share an id."""

    used: set[str] = field(default_factory=set)
    inline_count: int = 0

    def claim(self, base: str) -> str:
        candidate, number = base, 1
        while candidate in self.used:
            number += 1
            candidate = f"{base}-{number}"
        self.used.add(candidate)
        return candidate


class DockerfileDocsExtension(Extension):
    """Registers the ``dockerfile-example`` and ``dockerfile-docs`` fences.

    Config (all optional): ``examples_dir``, ``cache_dir``, ``stand_ins``,
    ``verification`` (off|cached|build; build acts as cached here, the build
    itself being the site's or the CLI's job), ``layout`` (tabs|stacked),
    ``show``, ``base_url`` (where the rule reference pages are: a rule links
    to ``{base_url}dd101/``; empty, rules are not linked), ``on_problem`` (callable taking a :class:`Problem`),
    ``cache`` (a :class:`FragmentCache`; by default one shared by the process).
    """

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "examples_dir": ["examples", "Folder holding one folder per example"],
            "project_root": ["", "Where `dockerfile:` paths of blocks start (default: the folder holding examples_dir)"],
            "cache_dir": [".cache/dockerfile-docs", "Where verification results are cached"],
            "stand_ins": ["", "stand-ins.yml mapping base images to local ones (default: beside the examples)"],
            "verification": ["cached", "off | cached | build: whether build results are shown"],
            "layout": ["stacked", "tabs (mkdocs-material content tabs) | stacked"],
            "show": [" ".join(PARTS), "Parts shown by default: listing diagram explanations results"],
            "base_url": ["", "Where the rule reference pages are, e.g. /rules/ (links go to {base_url}dd101/); empty: no links"],
            # Empty strings, not None: Python-Markdown turns values of None-defaulted options into booleans.
            "on_problem": ["", "Callable receiving each Problem met while rendering"],
            "on_block": ["", "Callable receiving each RenderedBlock put into a page (its HTML and searchable HTML)"],
            "cache": ["", "A FragmentCache to keep rendered fragments in"],
            "renderer": ["", "A BlockRenderer to use as is (the MkDocs plugin passes its own)"],
        }
        super().__init__(**kwargs)
        self._pages: weakref.WeakKeyDictionary[Markdown, _PageIds] = weakref.WeakKeyDictionary()
        self._owns_renderer = not self.getConfig("renderer")
        self.renderer = self._make_renderer()

    def _make_renderer(self) -> BlockRenderer:
        given = self.getConfig("renderer")
        if given:
            return given
        base_url = self.getConfig("base_url")
        verification = self.getConfig("verification")
        if verification not in ("off", "cached", "build"):
            raise ValueError(f"dockerfile_docs: verification must be off, cached or build, not {verification!r}")
        layout = self.getConfig("layout")
        if layout not in ("tabs", "stacked"):
            raise ValueError(f"dockerfile_docs: layout must be tabs or stacked, not {layout!r}")
        stand_ins = self.getConfig("stand_ins")
        settings = Settings(
            examples_dir=Path(self.getConfig("examples_dir")),
            cache_dir=Path(self.getConfig("cache_dir")),
            stand_ins=Path(stand_ins) if stand_ins else None,
            verification=verification,
            layout=layout,
            show=normalize_show(self.getConfig("show")),
            rule_url=default_rule_url(base_url) if base_url else None,
            project_root=Path(self.getConfig("project_root")) if self.getConfig("project_root") else None,
        )
        cache = self.getConfig("cache")
        return BlockRenderer(settings, cache if isinstance(cache, FragmentCache) else SHARED_CACHE)

    # ----------------------------------------------------------------- wiring

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        self._pages[md] = _PageIds()
        if _active_superfences(md) is None:
            md.registerExtensions(["pymdownx.superfences"], {})
        md.preprocessors.register(_AttachFences(md, self), "dockerfile_docs_fences", 40)
        self.attach(md)

    def reset(self) -> None:
        """A new document: re-read the examples, unless a site generator owns the renderer's lifetime.

        Python-Markdown resets an extension for every new ``Markdown`` instance,
        and MkDocs makes one per page; the plugin's renderer lives for one build,
        so its page and embed renders share what they read.
        """
        if self._owns_renderer:
            self.renderer.forget()
        for page in list(self._pages.values()):
            page.used.clear()
            page.inline_count = 0

    def attach(self, md: Markdown) -> None:
        """Add the two fences to the SuperFences that handles ``md``'s fences, once."""
        superfences = _active_superfences(md)
        if superfences is None:
            return
        names = {entry["name"] for entry in superfences.superfences}
        # pymdown-extensions 12 added the reset hook; 11 (which mkdocs-techdocs-core pins) takes three arguments
        hooks = (_accept_options, _no_reset) if len(inspect.signature(superfences.extend_super_fences).parameters) >= 4 else (_accept_options,)
        if EXAMPLE_FENCE not in names:
            superfences.extend_super_fences(EXAMPLE_FENCE, self._format_example, *hooks)
        if INLINE_FENCE not in names:
            superfences.extend_super_fences(INLINE_FENCE, self._format_inline, *hooks)

    # ----------------------------------------------------------------- formatting

    def _format_example(self, src: str = "", language: str = "", options: dict | None = None, md: Markdown | None = None, **_: Any) -> str:
        ids = self._page_ids(md)
        base = "dd-" + _slug(_example_name_hint(src))
        rendered = self._guarded(lambda: self.renderer.render_example_block(src, id_prefix=ids.claim(base)))
        if options:
            rendered = _with_problem(rendered, Problem("invalid-block", f"{EXAMPLE_FENCE}: options go in the YAML body, not the fence header"))
        return self._deliver(rendered)

    def _format_inline(self, src: str = "", language: str = "", options: dict | None = None, md: Markdown | None = None, **_: Any) -> str:
        ids = self._page_ids(md)
        ids.inline_count += 1
        id_prefix = ids.claim(f"dd-inline-{ids.inline_count}")
        return self._deliver(self._guarded(lambda: self.renderer.render_inline_block(src, options or {}, id_prefix=id_prefix)))

    def _page_ids(self, md: Markdown | None) -> _PageIds:
        if md is None:
            return _PageIds()
        return self._pages.setdefault(md, _PageIds())

    def _guarded(self, render: Callable[[], RenderedBlock]) -> RenderedBlock:
        """SuperFences drops a fence whose formatter raises; an unexpected error must show instead."""
        from ..render.fragment import render_error

        try:
            return render()
        except Exception as error:  # noqa: BLE001 - the page must show the failure, never lose the block
            log.debug("rendering a fence failed", exc_info=True)
            problem = Problem("internal", f"could not render the block: {type(error).__name__}: {error}")
            return RenderedBlock(render_error(problem.describe(), title="dockerfile-docs error"), (problem,), failed=True)

    def _deliver(self, rendered: RenderedBlock) -> str:
        callback = self.getConfig("on_problem")
        if callable(callback):
            for problem in rendered.problems:
                callback(problem)
        on_block = self.getConfig("on_block")
        if callable(on_block):
            on_block(rendered)
        return rendered.html


class _AttachFences(Preprocessor):
    """Runs before SuperFences' preprocessor and makes sure it knows the fences."""

    def __init__(self, md: Markdown, extension: DockerfileDocsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.attach(self.md)
        return lines


def _active_superfences(md: Markdown):
    """The SuperFences extension whose preprocessor handles fences in ``md``, if any."""
    if "fenced_code_block" not in md.preprocessors:
        return None
    extension = getattr(md.preprocessors["fenced_code_block"], "extension", None)
    return extension if hasattr(extension, "extend_super_fences") else None


def _accept_options(language: str, inputs: dict[str, str], options: dict[str, str], attrs: dict[str, str], md: Markdown) -> bool:
    """Keep every header option: unknown ones are reported by the block, not turned into a plain code block."""
    options.update(inputs)
    return True


def _no_reset(md: Markdown) -> None:
    return None


def _with_problem(rendered: RenderedBlock, problem: Problem) -> RenderedBlock:
    from ..render.fragment import render_error

    return RenderedBlock(render_error(problem.describe(), title="Invalid block") + rendered.html, (*rendered.problems, problem))


def _example_name_hint(body: str) -> str:
    """The example's name for the id prefix, read leniently (the block is validated later)."""
    match = re.search(r"^\s*example\s*:\s*['\"]?([^'\"\s#]+)", body, re.MULTILINE)
    return match.group(1) if match else "example"


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "example"


def makeExtension(**kwargs: Any) -> DockerfileDocsExtension:  # noqa: N802 - Python-Markdown's entry point name
    return DockerfileDocsExtension(**kwargs)
