"""What the two fences of a page mean, rendered to HTML with a content-hash cache.

This module knows nothing of Python-Markdown: the extension hands it a
fence's body and options, the MkDocs plugin uses it for the embed files, and
both get back a :class:`RenderedBlock` (HTML plus the problems met), never an
exception. Problems are rendered in place *and* returned, so a site generator
can turn them into warnings that name the page.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shlex
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

import yaml

from .. import __version__
from ..errors import DockerfileDocsError, DockerfileError
from ..model import Analysis, BuildOptions, ImageCommand
from ..records import field, record, replace
from ..render.fragment import PARTS, PartsMemo, normalize_show, render_error, render_fragment, svg_document
from ..verify.example import YAML_LOADER, Example, load_example

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..render.fragment import Layout, Part
    from ..verify.results import ExampleResult

Verification = Literal["off", "cached", "build"]
ProblemKind = Literal["invalid-block", "missing-example", "invalid-example", "dockerfile", "finding", "verification", "internal"]

EXAMPLE_KEYS = ("example", "dockerfile", "show", "target", "build_args")
INLINE_KEYS = ("show", "target", "build_args", "title")
_EXAMPLE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_BUILD_ARG_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@record(frozen=True)
class Problem:
    """Something wrong with a block, precise enough for a warning naming page, example and line.

    ``severity`` is ``error`` for what breaks the block or the example
    (and error-level findings), ``warning`` for the rest.
    """

    kind: ProblemKind
    message: str
    example: str | None = None
    path: str | None = None
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def describe(self) -> str:
        """``example 'x': path:line: message``, leaving out what is unknown."""
        pieces = []
        if self.example:
            pieces.append(f"example '{self.example}'")
        if self.path:
            pieces.append(f"{self.path}:{self.line}" if self.line else self.path)
        pieces.append(self.message)
        return ": ".join(pieces)


@record(frozen=True)
class RenderedBlock:
    """The HTML of a block and the problems met; ``failed`` when an error box stands in for it.

    ``search_html`` (made when :attr:`Settings.search_html` asks for it) is
    what a site search should index in place of ``html``: see :mod:`..render.search`.
    """

    html: str
    problems: tuple[Problem, ...] = ()
    failed: bool = False
    search_html: str | None = None


@record(frozen=True)
class ExampleBlock:
    """A ``dockerfile-example`` fence, validated: an example folder, or a Dockerfile of the project by path.

    With ``dockerfile`` (relative to the project root) the file is shown where
    it lives; when an example documents that file, as that example, with its
    build results.
    """

    example: str | None
    show: tuple[Part, ...] | None = None
    target: str | None = None
    build_args: dict[str, str] = field(default_factory=dict)
    dockerfile: str | None = None


@record(frozen=True)
class InlineBlock:
    """A ``dockerfile-docs`` fence: the Dockerfile in the body, options in the header."""

    text: str
    show: tuple[Part, ...] | None = None
    target: str | None = None
    build_args: dict[str, str] = field(default_factory=dict)
    title: str | None = None


@record(frozen=True)
class EmbedLinks:
    """Where a site publishes an example's standalone page and diagram, as URLs to copy.

    ``absolute`` is false when the site has no ``site_url``: the URLs are then
    relative to the page, and the box says why they work only on this site.
    """

    page_url: str
    diagram_url: str
    absolute: bool = True


@record
class Settings:
    """How blocks render: where examples and results live, and how a page looks.

    ``rule_url`` maps a rule code to its reference page; ``embed_links``
    gives, for an example name, the URLs shown under it as embed code.
    ``location`` names the page being rendered when ``rule_url`` gives
    links relative to it, so fragments are cached per location.
    """

    examples_dir: Path = Path("examples")
    cache_dir: Path = Path(".cache/dockerfile-docs")
    stand_ins: Path | None = None
    verification: Verification = "cached"
    layout: Layout = "stacked"
    show: tuple[Part, ...] = PARTS
    rule_url: Callable[[str], str] | None = None
    embed_links: Callable[[str], EmbedLinks | None] | None = None
    location: Callable[[], str] | None = None
    search_html: bool = False
    """Also make each block's searchable HTML, for a site whose search can index it instead of the block."""
    project_root: Path | None = None
    """Where ``dockerfile:`` paths start; by default the folder that holds the examples folder."""
    inline_styles: bool = False
    """Blocks that need no stylesheet (:mod:`..render.portable`), for hosts that sanitize pages."""

    @property
    def root(self) -> Path:
        return self.project_root if self.project_root is not None else self.examples_dir.parent



class FragmentCache:
    """Rendered fragments keyed by a hash of everything they are made from.

    An unchanged Dockerfile (same text, options, results and settings) is
    never rendered twice; ``renders`` counts the renders performed and
    ``rendered`` names what was rendered since :meth:`mark`, so a rebuild can
    show that only what changed was redone. Least recently used entries go
    first beyond ``max_entries``.
    """

    DEFAULT_MAX_ENTRIES = 1024

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.renders = 0
        self.rendered: list[str] = []
        self._entries: OrderedDict[str, RenderedBlock] = OrderedDict()

    @property
    def size(self) -> int:
        """How many fragments are kept."""
        return len(self._entries)

    def mark(self) -> None:
        """Start a new round of :attr:`rendered` (e.g. one site build)."""
        self.rendered = []

    def clear(self) -> None:
        self._entries.clear()

    def get_or_render(self, key_parts: object, label: str, render: Callable[[], RenderedBlock]) -> RenderedBlock:
        key = content_hash(key_parts)
        hit = self._entries.get(key)
        if hit is not None:
            self._entries.move_to_end(key)
            return hit
        block = render()
        self.renders += 1
        self.rendered.append(label)
        self._entries[key] = block
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)
        return block


def content_hash(parts: object) -> str:
    """A SHA-256 over a JSON rendering of ``parts``, the package version included."""
    payload = json.dumps([__version__, parts], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


SHARED_CACHE = FragmentCache()
"""The cache of plain Python-Markdown use, shared by every Markdown instance of the process."""


# --------------------------------------------------------------------------- reading fences


class BlockError(DockerfileDocsError):
    """A fence whose body or options do not follow the page syntax."""


def parse_example_block(body: str) -> ExampleBlock:
    """The YAML body of a ``dockerfile-example`` fence; unknown keys and wrong types are errors."""
    try:
        data = yaml.load(body, Loader=YAML_LOADER) if body.strip() else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1} of the block: " if mark is not None else ""
        raise BlockError(f"{where}not valid YAML: {getattr(error, 'problem', None) or error}") from None
    if isinstance(data, str) and data.strip() and "\n" not in data.strip():
        data = {"example": data.strip()}
    if not isinstance(data, dict):
        raise BlockError("expected a mapping with at least 'example: <folder name>'")
    unknown = [str(key) for key in data if key not in EXAMPLE_KEYS]
    if unknown:
        raise BlockError(f"unknown key {unknown[0]!r}; expected some of: {', '.join(EXAMPLE_KEYS)}")
    if ("example" in data) == ("dockerfile" in data):
        raise BlockError("one of 'example' (a folder in the examples directory) or 'dockerfile' (a path in the project) is required")
    example = data.get("example")
    if example is not None and (not isinstance(example, str) or not _EXAMPLE_NAME.match(example)):
        raise BlockError(f"example: expected a folder name (letters, digits, '.', '_', '-'), got {example!r}")
    dockerfile = _optional_string(data.get("dockerfile"), "dockerfile")
    if dockerfile is not None and (not dockerfile.strip() or Path(dockerfile).is_absolute() or ".." in Path(dockerfile).parts):
        raise BlockError(f"dockerfile: expected a path relative to the project root, got {dockerfile!r}")
    return ExampleBlock(
        example=example,
        dockerfile=dockerfile,
        show=_show(data.get("show")),
        target=_optional_string(data.get("target"), "target"),
        build_args=_build_args_mapping(data.get("build_args")),
    )


def parse_inline_options(options: Mapping[str, str], body: str) -> InlineBlock:
    """The header options of a ``dockerfile-docs`` fence (``build_args="A=1 B=2"``)."""
    unknown = [key for key in options if key not in INLINE_KEYS]
    if unknown:
        raise BlockError(f"unknown option {unknown[0]!r}; expected some of: {', '.join(INLINE_KEYS)}")
    return InlineBlock(
        text=body,
        show=_show(options.get("show")),
        target=options.get("target") or None,
        build_args=_build_args_words(options.get("build_args", "")),
        title=options.get("title") or None,
    )


def _show(value: object) -> tuple[Part, ...] | None:
    if value is None:
        return None
    if not isinstance(value, (str, list)):
        raise BlockError(f"show: expected a list of parts ({', '.join(PARTS)}), got {type(value).__name__}")
    try:
        return normalize_show(value)
    except DockerfileDocsError as error:
        raise BlockError(str(error)) from None


def _optional_string(value: object, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BlockError(f"{key}: expected a non-empty string, got {value!r}")
    return value


def _build_args_mapping(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BlockError(f"build_args: expected a mapping of names to values, got {type(value).__name__}")
    result: dict[str, str] = {}
    for name, arg in value.items():
        if not isinstance(name, str) or not _BUILD_ARG_NAME.match(name):
            raise BlockError(f"build_args.{name}: not a valid build argument name")
        if isinstance(arg, bool) or not isinstance(arg, (str, int, float)):
            raise BlockError(f"build_args.{name}: expected a string, got {type(arg).__name__}")
        result[name] = str(arg)
    return result


def _build_args_words(value: str) -> dict[str, str]:
    try:
        words = shlex.split(value)
    except ValueError as error:
        raise BlockError(f"build_args: {error}") from None
    result: dict[str, str] = {}
    for word in words:
        name, sep, arg = word.partition("=")
        if not sep or not _BUILD_ARG_NAME.match(name):
            raise BlockError(f"build_args: expected NAME=VALUE pairs, got {word!r}")
        result[name] = arg
    return result


# --------------------------------------------------------------------------- rendering


class BlockRenderer:
    """Turns fences (and whole examples) into HTML, through the cache.

    One instance serves a site: the MkDocs plugin keeps it across rebuilds
    so the cache survives ``mkdocs serve`` reloads.
    """

    def __init__(self, settings: Settings, cache: FragmentCache | None = None) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else SHARED_CACHE
        self._examples: dict[str, Example] = {}
        self._panels: dict[str, ResultsPanel] = {}
        self._analyses: dict[tuple[str, str, str], _Analyzed] = {}
        self._descriptions: dict[str, str | None] = {}

    def forget(self) -> None:
        """Drop what was read during one build (examples, results, analyses); the fragment cache stays.

        A page and its embed show the same example: within a build it is read,
        hashed and analyzed once, and its listing and diagram are drawn once.
        The plugin makes a renderer per build; the extension calls this on
        ``reset``.
        """
        self._examples.clear()
        self._panels.clear()
        self._analyses.clear()
        self._descriptions.clear()

    def _analysis(self, text: str, path: str, build: BuildOptions) -> _Analyzed:
        from ..pipeline import analyze_text

        key = (path, text, json.dumps(_options_key(build)))
        if key not in self._analyses:
            self._analyses[key] = _Analyzed(analyze_text(text, path, build))
        return self._analyses[key]

    def _description(self, description: str | None) -> str | None:
        if not description:
            return None
        if description not in self._descriptions:
            self._descriptions[description] = _description_html(description)
        return self._descriptions[description]

    # ----------------------------------------------------------------- fences

    def render_example_block(self, body: str, *, id_prefix: str, with_embed: bool = True) -> RenderedBlock:
        try:
            block = parse_example_block(body)
        except BlockError as error:
            return _failed(Problem("invalid-block", f"dockerfile-example block: {error}"), "Invalid dockerfile-example block")
        if block.dockerfile is not None:
            documented_by = self.example_documenting(self.settings.root / block.dockerfile)
            if documented_by is None:
                return self.render_dockerfile(block, id_prefix=id_prefix)
            block = replace(block, example=documented_by, dockerfile=None)
        assert block.example is not None
        rendered = self.render_example(block, id_prefix=id_prefix)
        links = self.settings.embed_links(block.example) if with_embed and self.settings.embed_links else None
        if links is None or rendered.failed:
            return rendered
        return replace(rendered, html=rendered.html + embed_code_html(links, title=block.example))

    def example_documenting(self, dockerfile: Path) -> str | None:
        """The example whose Dockerfile is this file, if one is (the first by name)."""
        wanted = dockerfile.resolve()
        for name in self.example_names():
            try:
                example = self.load_example(name)
            except DockerfileDocsError:
                continue
            if example.dockerfile_path.resolve() == wanted:
                return name
        return None

    def render_dockerfile(self, block: ExampleBlock, *, id_prefix: str) -> RenderedBlock:
        """A Dockerfile of the project that no example documents: analysis only, titled by its path."""
        assert block.dockerfile is not None
        root = self.settings.root.resolve()
        path = (root / block.dockerfile).resolve()
        if root not in path.parents:
            return _failed(Problem("invalid-block", f"dockerfile: {block.dockerfile} is outside the project root {root}"), "Invalid dockerfile-example block")
        try:
            text = _read_text(path)
        except DockerfileDocsError as error:
            return _failed(Problem("invalid-block", f"dockerfile: {error}"), "Dockerfile not found")
        build = BuildOptions(build_args=block.build_args, target=block.target)
        show = tuple(part for part in (block.show or self.settings.show) if part != "results")
        display = self._display_path(path)
        key = ["dockerfile", block.dockerfile, display, text, _options_key(build), list(show), self.settings.layout, id_prefix,
               self._rule_url_key(), self.settings.search_html]
        return self.cache.get_or_render(
            key,
            label=f"dockerfile:{block.dockerfile}",
            render=lambda: self._render_text(text, display, build, show=show, id_prefix=id_prefix, layout=self.settings.layout, title=block.dockerfile),
        )

    def render_inline_block(self, body: str, options: Mapping[str, str], *, id_prefix: str) -> RenderedBlock:
        try:
            block = parse_inline_options(options, body)
        except BlockError as error:
            return _failed(Problem("invalid-block", f"dockerfile-docs block: {error}"), "Invalid dockerfile-docs block")
        path = "Dockerfile"
        build = BuildOptions(build_args=block.build_args, target=block.target)
        show = block.show or self.settings.show
        key = ["inline", block.text, _options_key(build), list(show), self.settings.layout, id_prefix, block.title, self._rule_url_key(),
               self.settings.search_html]
        return self.cache.get_or_render(
            key,
            label=f"inline:{block.title or id_prefix}",
            render=lambda: self._render_text(
                block.text, path, build, show=show, id_prefix=id_prefix, layout=self.settings.layout, title=block.title
            ),
        )

    # ----------------------------------------------------------------- examples

    def render_example(
        self,
        block: ExampleBlock,
        *,
        id_prefix: str,
        layout: Layout | None = None,
        standalone: bool = False,
    ) -> RenderedBlock:
        """An example as the page shows it (or, ``standalone``, as its embeddable document)."""
        assert block.example is not None
        try:
            example = self.load_example(block.example)
            text = _read_text(example.dockerfile_path)
        except DockerfileDocsError as error:
            return self._example_failure(block.example, error, standalone=standalone)
        target = block.target if block.target is not None else example.targets[0].target
        results = self.results(example)
        build = self._build_options(example, target, block.build_args)
        links = self.settings.embed_links(block.example) if self.settings.embed_links else None
        diagram_url = ("diagram.svg" if standalone else links.diagram_url) if links is not None else None
        show = block.show or self.settings.show
        layout = layout or self.settings.layout
        path = self._display_path(example.dockerfile_path)
        description = self._description(example.description)
        key = [
            "example",
            block.example,
            path,
            text,
            _options_key(build),
            list(show),
            layout,
            standalone,
            id_prefix,
            example.title,
            description,
            results.html,
            self._rule_url_key(),
            self.settings.search_html,
            diagram_url,
            self.settings.inline_styles,
        ]

        def render() -> RenderedBlock:
            rendered = self._render_text(
                text,
                path,
                build,
                show=show,
                id_prefix=id_prefix,
                layout=layout,
                title=example.title,
                description_html=description,
                result_html=results.html if "results" in show else None,
                result_status_html=results.status_html,
                standalone=standalone,
                example=block.example,
                diagram_url=diagram_url,
            )
            return replace(rendered, problems=rendered.problems + results.problems)

        return self.cache.get_or_render(key, label=block.example, render=render)

    def render_example_diagram(self, name: str) -> RenderedBlock:
        """The example's stage diagram as an SVG file of its own, drawn from the analysis its page shows."""
        try:
            example = self.load_example(name)
            text = _read_text(example.dockerfile_path)
        except DockerfileDocsError as error:
            return self._example_failure(name, error, standalone=False)
        build = self._build_options(example, example.targets[0].target)
        path = self._display_path(example.dockerfile_path)

        def render() -> RenderedBlock:
            from ..render.svg import render_diagram

            try:
                analysis = self._analysis(text, path, build).analysis
            except DockerfileError as error:
                return RenderedBlock("", (_dockerfile_problem(error, name),), failed=True)
            return RenderedBlock(svg_document(render_diagram(analysis, id_prefix="dd", link_lines=False)))

        return self.cache.get_or_render(["diagram", name, path, text, _options_key(build)], label=f"{name}:diagram", render=render)

    def load_example(self, name: str) -> Example:
        if not _EXAMPLE_NAME.match(name):
            raise _MissingExample(f"example {name!r} is not a folder name")
        if name in self._examples:
            return self._examples[name]
        directory = self.settings.examples_dir / name
        if not directory.is_dir():
            raise _MissingExample(f"no such example folder: {self._display_path(directory)}")
        self._examples[name] = load_example(directory)
        return self._examples[name]

    def example_names(self) -> list[str]:
        """The folders of the examples directory that hold an ``example.yml``."""
        root = self.settings.examples_dir
        if not root.is_dir():
            return []
        return sorted(child.name for child in root.iterdir() if (child / "example.yml").is_file())

    def results(self, example: Example) -> ResultsPanel:
        """The build-results panel and its problems, as the verification mode allows.

        No result, a stale one and a failed one are problems of the example;
        the panel still shows what is known (a stale result with its reason).
        """
        if self.settings.verification == "off":
            return ResultsPanel(None, (), None)
        if example.name not in self._panels:
            self._panels[example.name] = self._results(example)
        return self._panels[example.name]

    def _results(self, example: Example) -> ResultsPanel:
        from ..render.results import not_built_status_html, render_not_built_panel, render_result_panel, result_status_html
        from ..verify.results import lookup_result

        if not example.verify:
            reason = example.not_verified_reason or "verify: false"
            return ResultsPanel(render_not_built_panel(reason), (), not_built_status_html(reason))
        lookup = lookup_result(example, self.settings.cache_dir, stand_ins_file=self.settings.stand_ins)
        result = lookup.result
        hint = f"run `dockerfile-docs verify {example.name}`"
        if result is None:
            reason = lookup.stale_reason or "not verified yet"
            problem = Problem("verification", f"no build result: {reason}", example.name, severity="warning")
            return ResultsPanel(render_result_panel(None), (problem,), result_status_html(None))
        problems: list[Problem] = []
        if lookup.stale:
            reason = lookup.stale_reason or "its inputs changed"
            problems.append(Problem("verification", f"the build result is stale ({reason}); {hint}", example.name, severity="warning"))
        for failure in result.failures:
            problems.append(
                Problem("verification", f"verification failed [{failure.target}]: {failure.message}", example.name, failure.dockerfile, failure.line)
            )
        panel = render_result_panel(result, stale_reason=lookup.stale_reason if lookup.stale else None)
        return ResultsPanel(panel, tuple(problems), result_status_html(result), None if lookup.stale else result)

    # ----------------------------------------------------------------- helpers

    def _render_text(
        self,
        text: str,
        path: str,
        build: BuildOptions,
        *,
        show: tuple[Part, ...],
        id_prefix: str,
        layout: Layout,
        title: str | None = None,
        description_html: str | None = None,
        result_html: str | None = None,
        result_status_html: str | None = None,
        standalone: bool = False,
        example: str | None = None,
        diagram_url: str | None = None,
    ) -> RenderedBlock:
        try:
            analyzed = self._analysis(text, path, build)
        except DockerfileError as error:
            return RenderedBlock(render_error(error, standalone=standalone), (_dockerfile_problem(error, example),), failed=True)
        analysis = analyzed.analysis
        fragment = render_fragment(
            analysis,
            reuse=analyzed.parts,
            show=show,
            result_html=result_html,
            id_prefix=id_prefix,
            layout=layout,
            standalone=standalone,
            title=title,
            description_html=description_html,
            rule_url=self.settings.rule_url,
            diagram_url=diagram_url,
            inline_styles=self.settings.inline_styles,
        )
        search_html = None
        if self.settings.search_html and not standalone:
            from ..render.search import searchable_html

            search_html = searchable_html(
                analysis, parts=show, title=title, description_html=description_html, result_status_html=result_status_html if result_html else None
            )
        return RenderedBlock(fragment, finding_problems(analysis, example), search_html=search_html)

    def _example_failure(self, name: str, error: DockerfileDocsError, *, standalone: bool) -> RenderedBlock:
        if isinstance(error, _MissingExample):
            return _failed(Problem("missing-example", str(error), name), "Missing example", standalone=standalone)
        if isinstance(error, DockerfileError):
            return RenderedBlock(render_error(error, standalone=standalone), (_dockerfile_problem(error, name),), failed=True)
        return _failed(Problem("invalid-example", str(error), name), "Invalid example", standalone=standalone)

    def _build_options(self, example: Example, target: str | None, block_args: dict[str, str] | None = None) -> BuildOptions:
        """What the example's page analyzes it with: its build args, the block's over them, and the verified image's command.

        The page, its embed and its diagram file all take their options from
        here, so they share one analysis.
        """
        build_args = {**self._spec_build_args(example, target), **(block_args or {})}
        return BuildOptions(
            build_args=build_args,
            target=target,
            platform=example.platform,
            built_command=self.results(example).built_command(target, build_args),
        )

    def _spec_build_args(self, example: Example, target: str | None) -> dict[str, str]:
        """The example's build args, with those of the matching ``targets`` entry over them."""
        for spec in example.targets:
            if (spec.target or None) == (target or None) or (spec.target and target and spec.target.lower() == target.lower()):
                return example.build_args_for(spec)
        return dict(example.build_args)

    def _display_path(self, path: Path) -> str:
        """A path as a reader of the warning wants it: relative to the working directory when inside it."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def _rule_url_key(self) -> list[str | None]:
        """What the rule links of a fragment depend on: whether there are any, and from where they are relative."""
        location = self.settings.location() if self.settings.location else None
        return [self.settings.rule_url("DD000") if self.settings.rule_url else None, location]


@record(frozen=True)
class _Analyzed:
    """An analysis of one build, with its listing and diagram once drawn (shared by a page and its embed)."""

    analysis: Analysis
    parts: PartsMemo = field(default_factory=dict)


@record(frozen=True)
class ResultsPanel:
    html: str | None
    problems: tuple[Problem, ...]
    status_html: str | None
    result: ExampleResult | None = None
    """The result the panel shows when it is current: what the explanations may take as measured."""

    def built_command(self, target: str | None, build_args: dict[str, str]) -> ImageCommand | None:
        return self.result.built_command(target, build_args) if self.result is not None else None


class _MissingExample(DockerfileDocsError):
    pass


def finding_problems(analysis: Analysis, example: str | None) -> tuple[Problem, ...]:
    """Error-level findings as problems (the site decides whether they warn)."""
    return tuple(
        Problem("finding", f"{finding.rule} {finding.name}: {finding.message}", example, analysis.dockerfile.path, finding.line)
        for finding in analysis.findings
        if finding.severity == "error"
    )


def embed_code_html(links: EmbedLinks, *, title: str) -> str:
    """Copyable embed code: an iframe of the standalone page and a Markdown image of the diagram."""
    iframe = f'<iframe src="{links.page_url}" title="{title}" width="100%" height="600" loading="lazy"></iframe>'
    image = f"![{title} stages]({links.diagram_url})"
    return (
        '<details class="dd-embed">\n<summary>Embed this example</summary>\n'
        f"<p>HTML:</p>\n<pre><code>{html.escape(iframe)}</code></pre>\n"
        f"<p>Markdown (diagram):</p>\n<pre><code>{html.escape(image)}</code></pre>\n"
        + (
            ""
            if links.absolute
            else '<p class="dd-embed-note">These addresses are relative to this page: set <code>site_url</code> in '
            "<code>mkdocs.yml</code> for codes that work when pasted elsewhere.</p>\n"
        )
        + "</details>\n"
    )


def _failed(problem: Problem, title: str, *, standalone: bool = False) -> RenderedBlock:
    return RenderedBlock(render_error(problem.describe(), title=title, standalone=standalone), (problem,), failed=True)


def _dockerfile_problem(error: DockerfileError, example: str | None) -> Problem:
    return Problem("dockerfile", error.message, example, error.path, error.line)


def _options_key(options: BuildOptions) -> list[Any]:
    built = options.built_command
    measured = None if built is None else [built.entrypoint, built.cmd]
    return [sorted(options.build_args.items()), options.target, options.platform, options.build_platform, measured]


def _read_text(path: Path) -> str:
    from ..parse import decode_dockerfile, read_dockerfile_bytes

    return decode_dockerfile(read_dockerfile_bytes(str(path)), str(path))


def _description_html(description: str | None) -> str | None:
    """An example's Markdown description as HTML: raw HTML shown as text, only safe link targets kept."""
    if not description:
        return None
    return _description_markdown().reset().convert(html.escape(description, quote=False))


_converters = threading.local()


def _description_markdown() -> Any:
    """One converter a thread for every description: making a ``Markdown`` costs more than converting a paragraph."""
    converter = getattr(_converters, "description", None)
    if converter is None:
        import markdown

        from .safe_links import SafeLinksExtension

        converter = _converters.description = markdown.Markdown(extensions=[SafeLinksExtension()])
    return converter
