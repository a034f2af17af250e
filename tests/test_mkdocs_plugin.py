"""The MkDocs plugin on small sites copied from ``tests/fixtures/mkdocs/``: no Docker needed.

Builds go through the ``mkdocs`` CLI where the exit status matters
(``--strict``) and through the Python API where the plugin instance is
inspected (renders across rebuilds).
"""

from __future__ import annotations

import json
from html import unescape as html_unescape
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from dockerfile_docs.mkdocs_plugin.plugin import CSS_URI, DockerfileDocsPlugin
from dockerfile_docs.pipeline import analyze_text

FIXTURE = Path(__file__).parent / "fixtures" / "mkdocs" / "site"
MKDOCS = Path(sys.executable).with_name("mkdocs")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "project"
    shutil.copytree(FIXTURE, target)
    return target


def mkdocs_build(project: Path, config: str = "mkdocs.yml", *, strict: bool = True, env: dict[str, str] | None = None,
                 extra: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    command = [str(MKDOCS), "build", "-f", str(project / config), "-d", str(project / "site"), *extra]
    if strict:
        command.append("--strict")
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DOCKERFILE_DOCS_")}
    environment["NO_MKDOCS_2_WARNING"] = "1"
    environment.update(env or {})
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=environment, cwd=project)


def built(project: Path, config: str = "mkdocs.yml") -> Path:
    completed = mkdocs_build(project, config)
    assert completed.returncode == 0, completed.stderr
    return project / "site"


def article(page_html: str) -> str:
    """The page's content, without the theme's navigation and scripts."""
    match = re.search(r"<article[^>]*>(.*)</article>", page_html, re.DOTALL) or re.search(
        r'<div class="col-md-9" role="main">(.*?)</div>\s*</div>\s*</div>\s*<footer', page_html, re.DOTALL
    )
    assert match, "no page content found"
    return match.group(1)


def local_links(html: str) -> list[str]:
    return [url for url in re.findall(r'(?:href|src)="([^"#]+)', html) if not re.match(r"^[a-z]+:|^//", url)]


def resolve(site: Path, page: Path, url: str) -> Path:
    target = (page.parent / unquote(urlsplit(url).path)).resolve()
    return target / "index.html" if target.is_dir() else target


def write_page(project: Path, name: str, text: str) -> None:
    (project / "docs" / name).write_text(text)


# --------------------------------------------------------------------------- material


def test_material_site_renders_tabs_with_diagram_listing_and_embed_code(project: Path) -> None:
    site = built(project)
    content = article((site / "index.html").read_text())
    assert 'class="dd-fragment dd-layout-tabs"' in content
    assert 'class="tabbed-set tabbed-alternate dd-tabs"' in content
    assert "<svg" in content and 'class="dd-part dd-part-listing"' in content
    assert "greeting.txt" in content
    assert 'class="dd-embed"' in content and "&lt;iframe src=" in content and "embed/greeting/" in content


def test_material_pages_load_the_generated_stylesheet_and_no_script_of_ours(project: Path) -> None:
    site = built(project)
    page = (site / "index.html").read_text()
    assert CSS_URI in page
    css = (site / CSS_URI).read_text()
    assert ".dd-fragment" in css and "http" not in css.replace("http://www.w3.org", "")
    assert "<script" not in article(page)


def test_links_in_fragments_resolve_inside_the_site(project: Path) -> None:
    site = built(project)
    for page in (site / "index.html", site / "guide" / "shell" / "index.html"):
        for url in local_links(article(page.read_text())):
            assert resolve(site, page, url).exists(), f"{page.relative_to(site)} links to missing {url}"


def test_embed_files_are_a_standalone_page_and_an_svg_per_example(project: Path) -> None:
    site = built(project)
    for name in ("greeting", "shell-script"):
        page = (site / "embed" / name / "index.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and "<style>" in page
        assert "<script" not in page.lower() and "<link" not in page
        svg = (site / "embed" / name / "diagram.svg").read_text()
        root = ET.fromstring(svg.split("?>", 1)[1].strip())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "href=" not in svg, "a diagram file has no listing for its stage boxes to link to"
    docs = sorted(p.relative_to(project / "docs") for p in (project / "docs").rglob("*"))
    assert docs == sorted(p.relative_to(FIXTURE / "docs") for p in (FIXTURE / "docs").rglob("*")), "nothing is written into docs_dir"


def test_rules_reference_has_an_index_and_a_page_per_rule(project: Path) -> None:
    from dockerfile_docs.explain.reference import rule_pages

    site = built(project)
    pages = rule_pages()
    assert pages
    index = (site / "rules" / "index.html").read_text()
    for rule in pages:
        assert (site / "rules" / rule.slug / "index.html").is_file(), rule.code
        assert rule.code in index


def test_search_indexes_listing_and_explanations(project: Path) -> None:
    write_page(
        project,
        "arg.md",
        "# Global ARG\n\n```dockerfile-docs\nARG VERSION=1.36\nFROM busybox:${VERSION}\nRUN echo \"version=$VERSION\" > /v\n```\n",
    )
    analysis = analyze_text('ARG VERSION=1.36\nFROM busybox:${VERSION}\nRUN echo "version=$VERSION" > /v\n')
    assert analysis.findings, "the global ARG used in RUN is explained"
    site = built(project)
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("arg/"))
    assert "version=$VERSION" in text.replace("&quot;", '"')
    first_words = analysis.findings[0].message.replace("`", "").split()[:4]
    assert " ".join(first_words) in re.sub(r"<[^>]+>", "", text)


def test_search_indexes_the_words_of_an_example_not_its_drawing(project: Path) -> None:
    site = built(project)
    index = json.loads((site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"] in ("", "index.html") or doc["location"].startswith("#"))
    dockerfile = (project / "examples" / "greeting" / "Dockerfile").read_text()
    first_instruction = next(line for line in dockerfile.splitlines() if line and not line.startswith("#"))
    assert html_unescape(first_instruction) in html_unescape(text), "the Dockerfile is indexed as its text"
    assert "Embed this example" not in text and "&lt;iframe" not in text, "embed code is not searchable content"
    assert "starts from the image or stage" not in text, "the diagram legend is not indexed"
    assert re.search(r"\d+ stages?; target", text), "the diagram is indexed by its one-sentence summary"
    page = (site / "index.html").read_text()
    assert '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" class="dd-diagram"' in page, "the page keeps its diagram"
    assert "Embed this example" in page


def test_without_a_search_plugin_pages_are_left_whole(project: Path) -> None:
    config = (project / "mkdocs.yml").read_text()
    assert "  - search\n" in config
    (project / "mkdocs.yml").write_text(config.replace("  - search\n", ""))
    plugin = build_in_process(project)
    assert plugin.renderer is not None and plugin.renderer.settings.search_html is False
    assert "Embed this example" in (project / "site" / "index.html").read_text()


# --------------------------------------------------------------------------- mkdocs theme


def test_mkdocs_theme_gets_the_stacked_layout(project: Path) -> None:
    site = built(project, "mkdocs-plain.yml")
    page = (site / "index.html").read_text()
    content = article(page)
    assert 'class="dd-fragment dd-layout-stacked"' in content
    assert "<input" not in content and "tabbed-set" not in content
    assert "<svg" in content and "greeting.txt" in content
    assert CSS_URI in page


def test_layout_tabs_on_the_mkdocs_theme_brings_css_only_tab_switching(project: Path) -> None:
    config = project / "mkdocs-plain.yml"
    config.write_text(config.read_text().replace('verification: "off"', 'verification: "off"\n      layout: tabs'))
    site = built(project, "mkdocs-plain.yml")
    assert "tabbed-set" in article((site / "index.html").read_text())
    css = (site / CSS_URI).read_text()
    assert re.search(r"^\.dd-tabs > input:nth-of-type\(1\):checked", css, re.MULTILINE)


# --------------------------------------------------------------------------- strict failures


def test_strict_build_fails_on_a_broken_example_naming_page_example_and_line(project: Path) -> None:
    (project / "examples" / "greeting" / "Dockerfile").write_text("FROM busybox:1.36 AS build\nRUN true\nNOT_AN_INSTRUCTION\n\nFROM scratch AS final\n")
    completed = mkdocs_build(project)
    assert completed.returncode != 0
    warnings = [line for line in completed.stderr.splitlines() if "WARNING" in line]
    assert any("index.md" in line and "example 'greeting'" in line and "Dockerfile:3" in line for line in warnings), completed.stderr
    assert "Aborted" in completed.stdout + completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("quiet", ["-q", "--quiet"])
def test_strict_build_fails_on_a_broken_example_even_when_quiet(project: Path, quiet: str) -> None:
    """MkDocs does not count the warnings it does not show (MkDocs issue 4126); the plugin fails the build itself."""
    (project / "examples" / "greeting" / "Dockerfile").write_text("FROM busybox:1.36 AS build\nRUN true\nNOT_AN_INSTRUCTION\n")
    completed = mkdocs_build(project, extra=(quiet,))
    assert completed.returncode != 0
    problem_lines = [line for line in completed.stderr.splitlines() if "example 'greeting'" in line]
    assert problem_lines and all("index.md" in line and "Dockerfile:3" in line for line in problem_lines), completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_strict_build_names_each_problem_once(project: Path) -> None:
    (project / "examples" / "greeting" / "Dockerfile").write_text("FROM busybox:1.36 AS build\nRUN true\nNOT_AN_INSTRUCTION\n")
    completed = mkdocs_build(project)
    warnings = [line for line in completed.stderr.splitlines() if "WARNING" in line and "example 'greeting'" in line]
    assert len(warnings) == 1, completed.stderr


def test_strict_build_fails_on_a_missing_example(project: Path) -> None:
    write_page(project, "missing.md", "# Missing\n\n```dockerfile-example\nexample: not-there\n```\n")
    completed = mkdocs_build(project)
    assert completed.returncode != 0
    assert re.search(r"WARNING.*missing\.md: example 'not-there'", completed.stderr), completed.stderr


def test_an_unused_broken_example_still_warns_from_its_embed(project: Path) -> None:
    shutil.copytree(project / "examples" / "greeting", project / "examples" / "unused")
    (project / "examples" / "unused" / "Dockerfile").write_text("FROM busybox:1.36\nNOT_AN_INSTRUCTION\n")
    completed = mkdocs_build(project)
    assert completed.returncode != 0
    assert re.search(r"WARNING.*embed/unused/index\.html: example 'unused'.*Dockerfile:2", completed.stderr), completed.stderr


def test_a_non_strict_build_shows_the_error_in_place(project: Path) -> None:
    write_page(project, "missing.md", "# Missing\n\n```dockerfile-example\nexample: not-there\n```\n")
    completed = mkdocs_build(project, strict=False)
    assert completed.returncode == 0
    content = article((project / "site" / "missing" / "index.html").read_text())
    assert 'role="alert"' in content and "not-there" in content


def test_verification_from_the_environment_warns_about_unverified_examples(project: Path) -> None:
    completed = mkdocs_build(project, env={"DOCKERFILE_DOCS_VERIFY": "cached"})
    assert completed.returncode != 0
    assert re.search(r"WARNING.*index\.md: example 'greeting': no build result", completed.stderr), completed.stderr
    completed = mkdocs_build(project, strict=False, env={"DOCKERFILE_DOCS_VERIFY": "cached"})
    content = article((project / "site" / "index.html").read_text())
    assert "dd-result-unverified" in content


# --------------------------------------------------------------------------- rebuilds


def build_in_process(project: Path) -> DockerfileDocsPlugin:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    build(config)
    plugin = config.plugins["dockerfile-docs"]
    assert isinstance(plugin, DockerfileDocsPlugin)
    return plugin


def test_a_rebuild_re_renders_only_the_example_that_changed(project: Path) -> None:
    first = build_in_process(project)
    assert {"greeting", "shell-script"} <= set(first.rendered_in_last_build)
    unchanged = build_in_process(project)
    assert unchanged is first, "MkDocs keeps the plugin across rebuilds (it defines on_startup)"
    assert unchanged.rendered_in_last_build == []
    count = unchanged.render_count
    dockerfile = project / "examples" / "greeting" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text().replace("hello", "bonjour"))
    rebuilt = build_in_process(project)
    assert rebuilt.rendered_in_last_build, "the changed example was rendered again"
    assert all(label.startswith("greeting") for label in rebuilt.rendered_in_last_build), rebuilt.rendered_in_last_build
    assert rebuilt.render_count == count + len(rebuilt.rendered_in_last_build)
    assert "bonjour" in (project / "site" / "index.html").read_text()


@pytest.mark.parametrize(("command", "kept_all"), [("build", False), ("gh-deploy", False), ("serve", True)])
def test_only_mkdocs_serve_keeps_every_rendered_fragment_for_the_next_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, command: str, kept_all: bool,
) -> None:
    from dockerfile_docs.mkdocs_plugin import plugin as plugin_module

    monkeypatch.setattr(plugin_module, "ONE_OFF_BUILD_CACHE", 1)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    build(config)
    plugin = config.plugins["dockerfile-docs"]
    assert isinstance(plugin, DockerfileDocsPlugin)
    rendered = len(plugin.rendered_in_last_build)
    assert rendered > 1
    if kept_all:
        assert plugin.cache.size >= rendered
    else:
        assert plugin.cache.size == 1


def test_a_page_and_its_embed_read_and_draw_each_example_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dockerfile_docs.markdown import blocks
    from dockerfile_docs.render import fit, listing, svg

    calls: dict[str, list[str]] = {"load": [], "listing": [], "diagram": []}

    def counted(kind: str, original, name_of):
        def wrapper(*args, **kwargs):
            calls[kind].append(name_of(*args, **kwargs))
            return original(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(blocks, "load_example", counted("load", blocks.load_example, lambda directory: directory.name))
    monkeypatch.setattr(listing, "render_listing", counted("listing", listing.render_listing, lambda analysis, **kw: kw["id_prefix"]))
    drawn = lambda analysis, **kw: f"{kw['id_prefix']} linked={kw.get('link_lines', True)}"  # noqa: E731
    monkeypatch.setattr(svg, "render_diagram", counted("diagram", svg.render_diagram, drawn))
    monkeypatch.setattr(fit, "render_fitted_diagram", counted("diagram", fit.render_fitted_diagram, drawn))
    build_in_process(project)
    site = project / "site"
    assert "dd-greeting" in (site / "index.html").read_text() and "dd-greeting" in (site / "embed" / "greeting" / "index.html").read_text()
    assert sorted(calls["load"]) == sorted(set(calls["load"])), f"an example.yml was read twice: {calls['load']}"
    assert calls["listing"].count("dd-greeting") == 1, calls["listing"]
    assert calls["diagram"].count("dd-greeting linked=True") == 1, calls["diagram"]
    assert calls["diagram"].count("dd linked=False") >= 1, "the diagram file is drawn without links"


def test_serve_watches_the_examples_folder(project: Path) -> None:
    plugin = build_in_process(project)

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str, func: object = None, *, recursive: bool = True) -> None:
            self.watched.append(path)

    server = Server()
    config = load_config(str(project / "mkdocs.yml"))
    assert plugin.on_serve(server, config=config, builder=lambda: None) is server
    assert str(project / "examples") in server.watched


def test_the_plugin_warns_through_the_mkdocs_logger(project: Path, caplog: pytest.LogCaptureFixture) -> None:
    write_page(project, "missing.md", "# Missing\n\n```dockerfile-example\nexample: not-there\n```\n")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.dockerfile-docs"):
        build_in_process(project)
    messages = [record.getMessage() for record in caplog.records if record.name == "mkdocs.plugins.dockerfile-docs"]
    assert any(message.startswith("missing.md: example 'not-there'") for message in messages), messages


def test_rule_links_are_relative_to_the_page(project: Path) -> None:
    write_page(project, "guide/deep.md", "# Deep\n\n```dockerfile-docs\nARG VERSION=1.36\nFROM busybox:${VERSION}\nRUN echo $VERSION\n```\n")
    site = built(project)
    page = site / "guide" / "deep" / "index.html"
    rule_links = [url for url in local_links(article(page.read_text())) if "rules/" in url]
    assert rule_links, "explanations link to their rule pages"
    for url in rule_links:
        assert posixpath.normpath(url).startswith("../../rules/")
        assert resolve(site, page, url).is_file(), url


def error_level_anti_pattern() -> tuple[str, str]:
    """The anti-pattern Dockerfile of the first error-level rule, from its own reference page, and the rule's code."""
    from dockerfile_docs.explain.reference import parse_rule_doc
    from dockerfile_docs.explain.registry import all_rules

    for rule in all_rules():
        if rule.severity == "error" and not rule.example_build_args:
            return parse_rule_doc(rule).anti_pattern, rule.code
    pytest.fail("no error-level rule without build args")


@pytest.mark.parametrize("strict_findings", [False, True])
def test_error_level_findings_warn_only_with_strict_findings(project: Path, strict_findings: bool) -> None:
    dockerfile, code = error_level_anti_pattern()
    errors = [finding for finding in analyze_text(dockerfile).findings if finding.severity == "error" and finding.rule == code]
    assert errors, f"the anti-pattern of {code} has its finding"
    write_page(project, "findings.md", f"# Findings\n\n```dockerfile-docs\n{dockerfile.rstrip()}\n```\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + f"      strict_findings: {str(strict_findings).lower()}\n")
    completed = mkdocs_build(project)
    if strict_findings:
        assert completed.returncode != 0
        assert re.search(rf"WARNING.*findings\.md: Dockerfile:{errors[0].line}: {code}", completed.stderr), completed.stderr
    else:
        assert completed.returncode == 0, completed.stderr


@pytest.mark.docker
def test_verification_build_verifies_stale_examples_before_pages_render(project: Path) -> None:
    completed = mkdocs_build(project, env={"DOCKERFILE_DOCS_VERIFY": "build"})
    assert completed.returncode == 0, completed.stderr
    assert re.search(r"INFO.*dockerfile-docs: verifying 2 example\(s\)", completed.stderr), completed.stderr
    content = article((project / "site" / "index.html").read_text())
    assert "dd-result-passed" in content
    cached = mkdocs_build(project, env={"DOCKERFILE_DOCS_VERIFY": "cached"})
    assert cached.returncode == 0, cached.stderr
    again = mkdocs_build(project, env={"DOCKERFILE_DOCS_VERIFY": "build"})
    assert "every example has an up-to-date verification result" in again.stderr


def test_verification_off_from_the_environment_is_off_though_yaml_reads_it_as_false(project: Path) -> None:
    completed = mkdocs_build(project, env={"DOCKERFILE_DOCS_VERIFY": "off"})
    assert completed.returncode == 0, completed.stderr
    assert "dd-result" not in (project / "site" / "index.html").read_text()


def test_embed_codes_are_absolute_with_site_url_and_say_why_not_without(project: Path) -> None:
    relative = mkdocs_build(project, "mkdocs.yml")
    assert relative.returncode == 0, relative.stderr
    content = article((project / "site" / "index.html").read_text())
    assert "because site_url is not set" in relative.stderr
    assert "set <code>site_url</code>" in content and "&lt;iframe src=&quot;embed/greeting/" in content.replace('"', "&quot;")
    config = project / "mkdocs.yml"
    config.write_text("site_url: https://handbook.example.org/docs/\n" + config.read_text())
    absolute = mkdocs_build(project, "mkdocs.yml")
    assert absolute.returncode == 0, absolute.stderr
    content = article((project / "site" / "index.html").read_text())
    assert "https://handbook.example.org/docs/embed/greeting/" in content
    assert "set <code>site_url</code>" not in content and "site_url is not set" not in absolute.stderr


def test_inline_styles_give_blocks_that_need_no_stylesheet(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(- dockerfile-docs:\n)", r"\1      styles: inline\n", config.read_text(), count=1))
    assert "styles: inline" in config.read_text()
    content = article((built(project) / "index.html").read_text())
    fragment = content[content.index('class="dd-fragment'):]
    assert "<table" in fragment and "<code" in fragment, "the listing is a table of lines"
    assert re.search(r'<rect class="dd-box"[^>]* fill="none" stroke="#', fragment), "the diagram carries its colours"
    assert "<style" not in fragment and "dd-fit" not in fragment
