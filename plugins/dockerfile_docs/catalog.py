"""The catalogue: a generated page for every Dockerfile of a project that matches some globs.

The mkdocstrings of Dockerfiles: with ``catalog: [services/**/Dockerfile]``
every team image gets a page (listing, diagram, explanations, and build
results when an ``example.yml`` declares builds for that Dockerfile) with no
page written by hand. A page is one ``dockerfile-example`` fence naming the
file (``dockerfile: services/api/Dockerfile``), so the MkDocs plugin and
Python-Markdown alone (Zensical) render it the same; for the latter,
``dockerfile-docs catalog --write-pages DIR`` writes the pages.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from .records import record

CATALOG_MARK = "# written by dockerfile-docs catalog; edit the globs, not this file"
"""The comment in every page's front matter that says the page may be rewritten."""
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "site", ".cache", "__pycache__"})


@record(frozen=True)
class CatalogPage:
    """One Dockerfile of the catalogue and the page that shows it."""

    dockerfile: str
    """The Dockerfile's path relative to the project root, with ``/``."""

    @property
    def filename(self) -> str:
        """The page's path inside the catalogue: ``services/api/Dockerfile.md``."""
        return self.dockerfile + ".md"

    @property
    def title(self) -> str:
        return self.dockerfile

    @property
    def group(self) -> str:
        """The folder the navigation groups the page under (its Dockerfile's first folder)."""
        return self.dockerfile.split("/", 1)[0] if "/" in self.dockerfile else ""

    def markdown(self) -> str:
        return (
            f"{_front_matter(self.title)}# {self.title}\n\n"
            f"```dockerfile-example\ndockerfile: {self.dockerfile}\n```\n"
        )


def _front_matter(title: str) -> str:
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'---\n{CATALOG_MARK}\ntitle: "{quoted}"\n---\n\n'


def written_by_catalog(text: str) -> bool:
    return text.startswith(f"---\n{CATALOG_MARK}\n")


def find_dockerfiles(root: Path, globs: list[str]) -> list[CatalogPage]:
    """Every file under ``root`` matching one of ``globs`` (``**`` crosses folders), sorted, each once.

    Version-control, dependency and build folders (``.git``, ``node_modules``,
    ``site``...) are not searched.
    """
    root = root.resolve()
    found: set[str] = set()
    for pattern in globs:
        for path in root.glob(pattern):
            relative = path.relative_to(root)
            if path.is_file() and not SKIPPED_FOLDERS.intersection(relative.parts[:-1]):
                found.add(relative.as_posix())
    return [CatalogPage(dockerfile) for dockerfile in sorted(found)]


def catalog_files(pages: list[CatalogPage]) -> dict[str, str]:
    """Page path inside the catalogue to its Markdown, an ``index.md`` listing them first."""
    lines = [_front_matter("Dockerfiles") + "# Dockerfiles", "", "Every Dockerfile of the project, as BuildKit reads it.", ""]
    lines += [f"- [{page.title}]({page.filename})" for page in pages]
    files = {"index.md": "\n".join(lines) + "\n"}
    files.update({page.filename: page.markdown() for page in pages})
    return files


def write_catalog(directory: Path, pages: list[CatalogPage]) -> tuple[list[Path], list[Path]]:
    """Write the catalogue under ``directory``: (written, unchanged). A file in the way that this did not write is an error."""
    files = catalog_files(pages)
    in_the_way = [
        directory / name for name in files
        if (directory / name).is_file() and not written_by_catalog((directory / name).read_text(encoding="utf-8"))
    ]
    if in_the_way:
        raise FileExistsError(f"not written: {', '.join(map(str, in_the_way))} exist and were not written by dockerfile-docs catalog")
    written: list[Path] = []
    unchanged: list[Path] = []
    for name, markdown in files.items():
        path = directory / posixpath.normpath(name)
        if path.is_file() and path.read_text(encoding="utf-8") == markdown:
            unchanged.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
        written.append(path)
    return written, unchanged
