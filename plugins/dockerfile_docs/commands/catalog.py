"""``dockerfile-docs catalog``: list the project's Dockerfiles that match globs, or write a page for each.

For site generators that run no MkDocs plugin (Zensical): the pages written
are the ones the plugin's ``catalog`` option generates, each a
``dockerfile-example`` fence naming its Dockerfile, for the Markdown
extension to render. Only files it wrote itself (their first line says so)
are ever replaced.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..catalog import find_dockerfiles, write_catalog
from ..errors import DockerfileDocsError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("globs", nargs="+", metavar="GLOB", help="Dockerfiles to catalogue, relative to --root ('**' crosses folders), e.g. 'services/**/Dockerfile'")
    parser.add_argument("--root", type=Path, default=Path("."), metavar="DIR", help="the project root the globs and the pages' paths start from (default: .)")
    parser.add_argument("--write-pages", type=Path, default=None, metavar="DIR", help="write index.md and a page per Dockerfile into DIR")


def run(args: argparse.Namespace) -> int:
    pages = find_dockerfiles(args.root, list(args.globs))
    if not pages:
        raise DockerfileDocsError(f"no file under {args.root.resolve()} matches {', '.join(args.globs)}")
    if args.write_pages is None:
        for page in pages:
            print(page.dockerfile)
        return 0
    try:
        written, unchanged = write_catalog(args.write_pages, pages)
    except FileExistsError as error:
        raise DockerfileDocsError(str(error)) from None
    print(f"{len(pages)} Dockerfiles: {len(written)} pages written, {len(unchanged)} unchanged, in {args.write_pages}")
    return 0
