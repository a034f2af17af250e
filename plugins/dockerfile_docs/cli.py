"""The ``dockerfile-docs`` command line: a thin adapter over the core.

Each subcommand lives beside the layer it exposes, as a module with
``add_arguments(parser)`` and ``run(args) -> int``; this file only wires them
up and turns every :class:`DockerfileDocsError` into one clear line on
standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import DockerfileDocsError

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "analyze": ("dockerfile_docs.commands.analyze", "print what BuildKit makes of a Dockerfile (stages, variables, edges, findings)"),
    "render": ("dockerfile_docs.render.command", "render a Dockerfile's diagram, listing and explanations as SVG, HTML, Markdown or Mermaid"),
    "verify": ("dockerfile_docs.verify.command", "build the examples with Docker/BuildKit and check their expectations"),
    "rules": ("dockerfile_docs.explain.command", "list the explanation rules, show one, or write the rules reference"),
    "stylesheet": ("dockerfile_docs.commands.stylesheet", "print or write the stylesheet dockerfile-docs blocks need, for sites built without the plugin"),
    "catalog": ("dockerfile_docs.commands.catalog", "list the project's Dockerfiles matching globs, or write a catalogue page for each"),
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that subcommand is built and its module imported (fast start-up)."""
    parser = argparse.ArgumentParser(prog="dockerfile-docs", description="Verified, browsable documentation for Dockerfiles.")
    parser.add_argument("--version", action="version", version=f"dockerfile-docs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if only is not None and only != name:
            continue
        sub_parser = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        module = importlib.import_module(module_name)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((word for word in argv if not word.startswith("-")), None)
    parser = build_parser(command if command in SUBCOMMANDS else None)
    args = parser.parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except DockerfileDocsError as error:
        print(f"dockerfile-docs: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dockerfile-docs: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
