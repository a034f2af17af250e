"""``dockerfile-docs stylesheet``: print, or write, the stylesheet that dockerfile-docs blocks need.

The MkDocs plugin serves it itself; a site built without plugins (Zensical,
plain Python-Markdown) lists the written file under ``extra_css``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..render.fragment import site_css


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--theme", choices=("material", "other"), default="material",
                        help="material: for mkdocs-material and Zensical (the default); other: for any other theme")
    parser.add_argument("--write", type=Path, default=None, metavar="FILE", help="write the stylesheet to FILE instead of printing it")


def run(args: argparse.Namespace) -> int:
    css = site_css(material=args.theme == "material")
    if args.write is None:
        sys.stdout.write(css)
        return 0
    if args.write.is_file() and args.write.read_text(encoding="utf-8") == css:
        print(f"{args.write}: unchanged")
        return 0
    args.write.parent.mkdir(parents=True, exist_ok=True)
    args.write.write_text(css, encoding="utf-8")
    print(f"{args.write}: written")
    return 0
