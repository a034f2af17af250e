"""The ``dockerfile-docs`` MkDocs plugin: a thin adapter over the Markdown extension and the core.

What it adds to a site:

* the ``dockerfile_docs`` Markdown extension, configured from the plugin
  (so pages only need the fences), and its stylesheet as a generated file;
* generated pages: the rules reference under ``rules_reference``; with
  ``catalog``, a page per matching Dockerfile of the project under
  ``catalog_dir`` (:mod:`..catalog`), as a section of the navigation; per
  example, ``embed/<example>/index.html`` (standalone) and ``diagram.svg``;
* warnings naming page, example and line for everything that makes a page
  claim something unchecked, so ``mkdocs build --strict`` fails on them;
  under strict mode the plugin fails the build itself after it, listing
  them, since MkDocs does not count the warnings it does not show
  (``mkdocs build --strict -q`` would otherwise pass: MkDocs issue 4126);
* with ``verification: build``, a verification of the stale examples before
  any page renders; with ``mkdocs serve``, a watch on the examples folder;
* for the site's search (MkDocs' or Material's), each block's searchable
  text in place of its markup (:mod:`..render.search`): the page content is
  swapped just around the search plugin's ``on_page_context`` and restored
  before the theme renders it, so plugins running at the same priority as
  search see the searchable version too.

Rendered fragments stay in a content-hash cache on the plugin instance,
which MkDocs keeps across ``mkdocs serve`` rebuilds (the plugin defines
``on_startup``), so an edit re-renders only what depends on it; a one-off
``mkdocs build`` keeps only the last few.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from ..errors import DockerfileDocsError
from ..markdown import DockerfileDocsExtension
from ..markdown.blocks import BlockRenderer, EmbedLinks, ExampleBlock, FragmentCache, Problem, RenderedBlock, Settings
from ..records import record
from ..render.fragment import site_css
from .config import DockerfileDocsConfig

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.dockerfile-docs")

CSS_URI = "assets/dockerfile-docs/dockerfile-docs.css"
SEARCH_PLUGINS = ("search", "material/search")
EMBED_DIR = "embed"
EXTENSION_NAME = "dockerfile_docs"


@record(frozen=True)
class _EmbedFiles:
    page: File
    diagram: File | None


class DockerfileDocsPlugin(BasePlugin[DockerfileDocsConfig]):
    """See the module docstring; options are in :class:`DockerfileDocsConfig`."""

    def __init__(self) -> None:
        self.cache = FragmentCache()
        self.renderer: BlockRenderer | None = None
        self.command: str | None = None
        self._site_url: str = ""
        self._css: str = ""
        self._page: Page | None = None
        self._location: str = ""
        self._rule_files: dict[str, File] = {}
        self._catalog_files: dict[str, File] = {}
        self._root = Path(".")
        self._embeds: dict[str, _EmbedFiles] = {}
        self._reported: set[tuple[str, Problem]] = set()
        self._warned: list[tuple[str, Problem]] = []
        self._examples_warned_on_pages: set[str] = set()
        self._deferred: list[tuple[str, Problem]] = []
        self._searchable: dict[str, list[tuple[str, str]]] = {}
        self._full_content: dict[str, str] = {}

    # ----------------------------------------------------------------- what tests and tools read

    @property
    def render_count(self) -> int:
        """Fragments, embeds and diagrams rendered since this instance was made (cache hits excluded)."""
        return self.cache.renders

    @property
    def rendered_in_last_build(self) -> list[str]:
        """What the last build rendered: example names, ``name:diagram``, ``inline:...``."""
        return list(self.cache.rendered)

    # ----------------------------------------------------------------- events

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Defining this keeps the instance, and its cache, alive across ``mkdocs serve`` rebuilds.

        A one-off ``mkdocs build`` or ``gh-deploy`` has no rebuild to serve:
        its cache keeps only the last few fragments (an example shown on
        pages built one after the other), not every page's, which on a
        200-example site is a third of the build's memory.
        """
        self.command = command
        self.cache.max_entries = FragmentCache.DEFAULT_MAX_ENTRIES if command == "serve" else ONE_OFF_BUILD_CACHE

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.cache.mark()
        self._reported.clear()
        self._warned.clear()
        self._examples_warned_on_pages.clear()
        self._deferred.clear()
        self._searchable.clear()
        self._full_content.clear()
        self._site_url = config.site_url or ""
        root = Path(config.config_file_path or ".").resolve().parent
        is_material = _theme_name(config) == "material"
        layout = self.config.layout
        if layout == "auto":
            layout = "tabs" if is_material else "stacked"
        settings = Settings(
            examples_dir=root / self.config.examples_dir,
            cache_dir=root / self.config.cache_dir,
            stand_ins=self._stand_ins_file(root),
            verification=self.config.verification,
            layout=layout,
            show=tuple(self.config.show),
            rule_url=self._rule_url if self.config.rules_reference else None,
            embed_links=self._embed_links if self.config.embed else None,
            location=lambda: self._location,
            search_html=any(name in config.plugins for name in SEARCH_PLUGINS),
            project_root=root,
            inline_styles=self.config.styles == "inline" or (self.config.styles == "auto" and _is_techdocs(config)),
        )
        self._root = root
        self.renderer = BlockRenderer(settings, self.cache)
        self._css = site_css(material=is_material)
        _remove_listed_extension(config)
        config.markdown_extensions.append(DockerfileDocsExtension(renderer=self.renderer, on_problem=self._on_problem, on_block=self._on_block))  # type: ignore[arg-type]
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    def _stand_ins_file(self, root: Path) -> Path | None:
        """The configured stand-ins file; when the default one is absent, the one beside the examples (if any)."""
        path = root / self.config.stand_ins
        if path.is_file():
            return path
        if self.config.stand_ins != DockerfileDocsConfig.stand_ins.default:
            log.warning("dockerfile-docs: stand_ins: %s does not exist", path)
        return None

    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.renderer is None:
            return None
        if files.get_file_from_path(CSS_URI) is None:
            files.append(File.generated(config, CSS_URI, content=self._css))
        if self.config.rules_reference:
            self._add_rule_pages(files, config)
        self._catalog_files.clear()
        if self.config.catalog:
            self._add_catalog_pages(files, config)
        if self.config.verification == "build":
            self._verify_stale_examples()
        self._embeds.clear()
        if self.config.embed:
            self._add_embeds(files, config)
            if self._embeds and not self._site_url:
                log.info(
                    "dockerfile-docs: the embed codes under the examples use addresses relative to their pages, "
                    "because site_url is not set in mkdocs.yml; set it for codes that work when pasted elsewhere"
                )
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Put the rule pages under the nav entry of the rules index, and the catalogue in a section of its own."""
        changed = self._nav_with_catalog(nav, config)
        rules = self._nav_with_rules(nav, config)
        return rules or changed

    def _nav_with_catalog(self, nav: Navigation, config: MkDocsConfig) -> Navigation | None:
        if not self._catalog_files:
            return None
        from ..catalog import CatalogPage

        listed = {page.file.src_uri for page in nav.pages}
        prefix = self.config.catalog_dir.strip("/")
        index = self._catalog_files.pop("index.md")
        if index.src_uri in listed:
            return None
        groups: dict[str, list[Page]] = {}
        for name, file in self._catalog_files.items():
            page = file.page or Page(CatalogPage(name.removesuffix(".md")).title, file, config)
            groups.setdefault(CatalogPage(name.removesuffix(".md")).group, []).append(page)
        children: list[Any] = [index.page or Page("Dockerfiles", index, config)]
        for group, pages in sorted(groups.items()):
            if group and len(groups) > 1:
                section = Section(group, pages)
                for page in pages:
                    page.parent = section
                children.append(section)
            else:
                children.extend(pages)
        catalog = Section(prefix.rsplit("/", 1)[-1].capitalize() if prefix else "Dockerfiles", children)
        for child in children:
            child.parent = catalog
        nav.items.append(catalog)
        return _relinked(nav)

    def _nav_with_rules(self, nav: Navigation, config: MkDocsConfig) -> Navigation | None:
        if not self.config.rules_reference or not self._rule_files:
            return None
        index_uri = posixpath.join(self.config.rules_reference.strip("/"), "index.md")
        entry = next((page for page in nav.pages if page.file.src_uri == index_uri), None)
        if entry is None:
            return None
        rule_pages = [file.page or Page(None, file, config) for file in self._rule_files.values()]
        section = Section(entry.title or "Rules reference", [entry, *rule_pages])
        section.parent = entry.parent
        siblings = entry.parent.children if entry.parent is not None else nav.items
        siblings[siblings.index(entry)] = section
        for child in section.children:
            child.parent = section
        return _relinked(nav)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        self._page = page
        self._location = page.url
        self._searchable.pop(page.file.src_uri, None)
        return None

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        self._page = None
        self._location = ""
        return None

    @event_priority(1)
    def _give_search_the_searchable_content(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        blocks = self._searchable.pop(page.file.src_uri, None)
        if not blocks or page.content is None:
            return context
        searchable = page.content
        for block_html, search_html in blocks:
            searchable = searchable.replace(block_html, search_html, 1)
        if searchable != page.content:
            self._full_content[page.file.src_uri] = page.content
            page.content = searchable
        return context

    @event_priority(-1)
    def _restore_the_page_content(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        full = self._full_content.pop(page.file.src_uri, None)
        if full is not None:
            page.content = full
        return context

    on_page_context = CombinedEvent(_give_search_the_searchable_content, _restore_the_page_content)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Problems of examples that no page shows still deserve a warning (from their embed files).

        In strict mode every problem warned about fails the build here, one
        line each, whatever the log level lets MkDocs count.
        """
        for where, problem in self._deferred:
            if problem.example not in self._examples_warned_on_pages:
                self._warn(where, problem)
        self._deferred.clear()
        if config.strict and self._warned:
            lines = "\n".join(f"  {where}: {problem.describe()}" for where, problem in self._warned)
            count = len(self._warned)
            raise PluginError(f"dockerfile-docs: {count} problem{'s' if count != 1 else ''} with examples in strict mode:\n{lines}")

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        if not self.config.enabled or self.renderer is None:
            return server
        examples_dir = self.renderer.settings.examples_dir
        if examples_dir.is_dir():
            server.watch(str(examples_dir))
        for path in self._example_sources_outside(examples_dir):
            server.watch(str(path), recursive=path.is_dir())
        if self.config.catalog:
            from ..catalog import find_dockerfiles

            for page in find_dockerfiles(self._root, list(self.config.catalog)):
                server.watch(str(self._root / page.dockerfile), recursive=False)
        stand_ins = self.renderer.settings.stand_ins
        if stand_ins is not None and stand_ins.is_file() and examples_dir not in stand_ins.parents:
            server.watch(str(stand_ins), recursive=False)
        return server

    def _example_sources_outside(self, examples_dir: Path) -> list[Path]:
        """The contexts and Dockerfiles that examples name outside the examples folder, for ``mkdocs serve`` to watch."""
        assert self.renderer is not None
        outside: set[Path] = set()
        examples_root = examples_dir.resolve()
        for name in self.renderer.example_names():
            try:
                example = self.renderer.load_example(name)
            except DockerfileDocsError:
                continue
            for path in (example.context.resolve(), example.dockerfile_path.resolve()):
                if examples_root not in path.parents and path != examples_root:
                    outside.add(path)
        contexts = {path for path in outside if path.is_dir()}
        return sorted(path for path in outside if not any(folder in path.parents for folder in contexts))

    # ----------------------------------------------------------------- problems

    def _on_block(self, block: RenderedBlock) -> None:
        if block.search_html is not None and self._page is not None:
            # Python-Markdown strips the end of its output: a block that ends the page loses its last newline.
            self._searchable.setdefault(self._page.file.src_uri, []).append((block.html.rstrip(), block.search_html))

    def _on_problem(self, problem: Problem) -> None:
        where = self._page.file.src_uri if self._page is not None else "(outside any page)"
        if problem.example:
            self._examples_warned_on_pages.add(problem.example)
        self._warn(where, problem)

    def _warn(self, where: str, problem: Problem) -> None:
        if problem.kind == "finding" and not self.config.strict_findings:
            log.debug("%s: %s", where, problem.describe())
            return
        if (where, problem) in self._reported:
            return
        self._reported.add((where, problem))
        self._warned.append((where, problem))
        log.warning("%s: %s", where, problem.describe())

    # ----------------------------------------------------------------- rules reference

    def _add_rule_pages(self, files: Files, config: MkDocsConfig) -> None:
        """One page per rule and an index; pages the docs already have are left alone."""
        from ..explain.reference import REFERENCE_INDEX, reference_files, rule_pages

        prefix = self.config.rules_reference.strip("/")
        pages = rule_pages()
        codes = {page.filename: page.code for page in pages}
        self._rule_files.clear()
        for name, markdown in reference_files(pages).items():
            file = _page_file(files, config, posixpath.join(prefix, name), markdown)
            if name != REFERENCE_INDEX:
                self._rule_files[codes[name]] = file

    def _add_catalog_pages(self, files: Files, config: MkDocsConfig) -> None:
        """A page per Dockerfile matching ``catalog``; pages the docs already have are left alone."""
        from ..catalog import catalog_files, find_dockerfiles

        prefix = self.config.catalog_dir.strip("/")
        pages = find_dockerfiles(self._root, list(self.config.catalog))
        if not pages:
            log.warning("dockerfile-docs: catalog: no file matches %s under %s", ", ".join(self.config.catalog), self._root)
        for name, markdown in catalog_files(pages).items():
            self._catalog_files[name] = _page_file(files, config, posixpath.join(prefix, name), markdown)

    def _rule_url(self, code: str) -> str:
        """The rule's reference page relative to the page being rendered (MkDocs does not rewrite raw HTML links)."""
        file = self._rule_files.get(code)
        if file is None:
            return ""
        return get_relative_url(file.url, self._location)

    # ----------------------------------------------------------------- verification

    def _verify_stale_examples(self) -> None:
        """``verification: build``: verify the examples whose stored result is missing or stale, logging progress."""
        from ..verify.engine import EngineUnavailable
        from ..verify.results import lookup_result
        from ..verify.runner import ProgressEvent, verify_examples

        assert self.renderer is not None
        settings = self.renderer.settings
        stale = []
        for name in self.renderer.example_names():
            try:
                example = self.renderer.load_example(name)
            except DockerfileDocsError:
                continue  # reported where the example is rendered
            if example.verify and lookup_result(example, settings.cache_dir, stand_ins_file=settings.stand_ins).stale:
                stale.append(example)
        if not stale:
            log.info("dockerfile-docs: every example has an up-to-date verification result")
            return
        log.info("dockerfile-docs: verifying %d example(s): %s", len(stale), ", ".join(example.name for example in stale))

        def progress(event: ProgressEvent) -> None:
            if event.kind in ("start", "finish", "cached"):
                target = f" [{event.target}]" if event.target else ""
                log.info("dockerfile-docs: %d/%d %s%s: %s", event.done, event.total, event.example, target, event.message)

        try:
            verify_examples(stale, cache_dir=settings.cache_dir, stand_ins=settings.stand_ins, progress=progress,
                            builders=[self.config.builder] if self.config.builder else [])
        except EngineUnavailable as error:
            log.warning("dockerfile-docs: cannot verify (verification: build): %s", error)
        except DockerfileDocsError as error:
            log.warning("dockerfile-docs: verification (verification: build): %s", error)

    # ----------------------------------------------------------------- embeds

    def _add_embeds(self, files: Files, config: MkDocsConfig) -> None:
        assert self.renderer is not None
        for name in self.renderer.example_names():
            where = f"{EMBED_DIR}/{name}/index.html"
            self._location = where
            block = ExampleBlock(example=name)
            page = self.renderer.render_example(block, id_prefix="dd-" + _id_safe(name), layout="tabs", standalone=True)
            for problem in page.problems:
                self._deferred.append((where, problem))
            page_file = File.generated(config, where, content=page.html)
            files.append(page_file)
            diagram = self.renderer.render_example_diagram(name)
            diagram_file = None
            if not diagram.failed:
                diagram_file = File.generated(config, f"{EMBED_DIR}/{name}/diagram.svg", content=diagram.html)
                files.append(diagram_file)
            self._embeds[name] = _EmbedFiles(page_file, diagram_file)
        self._location = ""

    def _embed_links(self, name: str) -> EmbedLinks | None:
        embed = self._embeds.get(name)
        if embed is None or embed.diagram is None:
            return None
        return EmbedLinks(page_url=self._url_for(embed.page), diagram_url=self._url_for(embed.diagram), absolute=bool(self._site_url))

    def _url_for(self, file: File) -> str:
        """Absolute with ``site_url`` (embed code is pasted elsewhere), else relative to the current page."""
        if self._site_url:
            return urljoin(self._site_url if self._site_url.endswith("/") else self._site_url + "/", file.url)
        return get_relative_url(file.url, self._location)


ONE_OFF_BUILD_CACHE = 32
"""Rendered fragments a build without rebuilds keeps (``mkdocs serve`` keeps ``FragmentCache.DEFAULT_MAX_ENTRIES``)."""


def _is_techdocs(config: MkDocsConfig) -> bool:
    """A Backstage TechDocs build: ``techdocs-core`` is a plugin, or (its ``on_config`` drops itself from the list)
    the theme renders its ``techdocs_metadata.json``."""
    theme = config.theme
    return "techdocs-core" in config.plugins or "techdocs_metadata.json" in getattr(theme, "static_templates", ())


def _theme_name(config: MkDocsConfig) -> str | None:
    theme = config.theme
    return getattr(theme, "name", None) or (theme.get("name") if isinstance(theme, dict) else None)


def _remove_listed_extension(config: MkDocsConfig) -> None:
    """The plugin brings its own configured extension; one listed by name as well would render fences first."""
    if EXTENSION_NAME in config.markdown_extensions:
        config.markdown_extensions.remove(EXTENSION_NAME)
        log.info("dockerfile-docs: '%s' in markdown_extensions is not needed with the plugin; the plugin's configuration is used", EXTENSION_NAME)
    if config.mdx_configs:
        config.mdx_configs.pop(EXTENSION_NAME, None)


def _id_safe(name: str) -> str:
    return "".join(char if char.isalnum() or char in "-_" else "-" for char in name.lower()) or "example"


def _page_file(files: Files, config: MkDocsConfig, uri: str, markdown: str) -> File:
    """The docs' own page at ``uri`` when they have one, else a generated one with ``markdown``."""
    file = files.get_file_from_path(uri)
    if file is None:
        file = File.generated(config, uri, content=markdown)
        files.append(file)
    return file


def _relinked(nav: Navigation) -> Navigation:
    """The navigation with its pages' previous and next links made anew, after sections were added."""
    pages = _pages_in(nav.items)
    for previous, following in zip([None, *pages], [*pages, None]):
        if previous is not None:
            previous.next_page = following
        if following is not None:
            following.previous_page = previous
    return Navigation(nav.items, pages)


def _pages_in(items: list[Any]) -> list[Page]:
    pages: list[Page] = []
    for item in items:
        if isinstance(item, Page):
            pages.append(item)
        elif isinstance(item, Section):
            pages.extend(_pages_in(item.children))
    return pages
