"""The handbook builds with Zensical too, from the same mkdocs.yml, with the same example blocks and stylesheet.

Zensical runs no MkDocs plugins: the ``dockerfile_docs`` Markdown extension
listed in ``mkdocs.yml`` renders the blocks there (the MkDocs plugin takes its
place under MkDocs), and the stylesheet and the rules reference are files
committed under ``docs/``, which these tests keep current.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_docs.catalog import find_dockerfiles  # noqa: F401  (the package imports without MkDocs)
from dockerfile_docs.render.fragment import site_css
from dockerfile_docs.verify.example import discover_examples

ROOT = Path(__file__).resolve().parents[1]
ZENSICAL = Path(sys.executable).with_name("zensical")
CLI = Path(sys.executable).with_name("dockerfile-docs")
STYLESHEET = ROOT / "docs" / "assets" / "dockerfile-docs" / "dockerfile-docs.css"


def test_the_committed_stylesheet_is_the_one_the_plugin_serves() -> None:
    assert STYLESHEET.read_text(encoding="utf-8") == site_css(material=True)


def test_the_committed_rules_reference_is_current(tmp_path: Path) -> None:
    written = tmp_path / "rules"
    shutil.copytree(ROOT / "docs" / "rules", written)
    completed = subprocess.run([str(CLI), "rules", "--write-pages", str(written)], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    assert " 0 written" in completed.stdout, f"docs/rules is out of date: run 'dockerfile-docs rules --write-pages docs/rules' ({completed.stdout})"


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ZENSICAL.is_file():
        pytest.fail("zensical is not installed: it is a test dependency (pip install -e '.[test]')")
    project = tmp_path_factory.mktemp("zensical") / "handbook"
    for name in ("docs", "examples", "mkdocs.yml"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    completed = subprocess.run([str(ZENSICAL), "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return project / "site"


def test_zensical_shows_every_example_with_listing_diagram_explanations_and_results(zensical_site: Path) -> None:
    pages = "\n".join(path.read_text(encoding="utf-8") for path in zensical_site.rglob("*.html"))
    examples = discover_examples(ROOT / "examples")
    assert pages.count("dd-result-passed") >= len(examples)
    for part in ("dd-part-listing", "dd-part-diagram", "dd-part-explanations", "dd-part-results"):
        assert part in pages, part
    assert "dd-error" not in pages and "Not verified yet" not in pages


def test_zensical_serves_the_stylesheet_and_the_rules_reference(zensical_site: Path) -> None:
    page = (zensical_site / "multi-stage" / "index.html").read_text(encoding="utf-8")
    assert 'href="../assets/dockerfile-docs/dockerfile-docs.css"' in page
    assert (zensical_site / "assets" / "dockerfile-docs" / "dockerfile-docs.css").read_text(encoding="utf-8") == site_css(material=True)
    assert (zensical_site / "rules" / "dd101" / "index.html").is_file()
