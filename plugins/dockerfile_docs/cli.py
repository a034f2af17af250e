"""The ``dockerfile-docs`` command line: a thin adapter over the core.

Each subcommand lives beside the layer it exposes, as a module with
``add_arguments(parser)`` and ``run(args) -> int``; this file only wires them
up and turns every :class:`DockerfileDocsError` into one clear line on
standard error and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
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


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, told the terminal's width instead of asking ``shutil`` for it.

    argparse makes a formatter for every ``add_argument`` and, without a
    width, imports ``shutil`` to find it, and with it the compression
    modules ``shutil`` loads: a quarter of what the command line imports,
    in every command, for help text that is seldom printed. The width is
    found as ``shutil.get_terminal_size`` finds it.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, terminal_columns() - 2 if width is None else width)


def terminal_columns() -> int:
    """``$COLUMNS``, else the width of the terminal on standard output, else 80, as ``shutil.get_terminal_size().columns`` has it."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that subcommand is built and its module imported (fast start-up)."""
    parser = argparse.ArgumentParser(
        prog="dockerfile-docs", description="Verified, browsable documentation for Dockerfiles.", formatter_class=HelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"dockerfile-docs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        if only is not None and only != name:
            continue
        sub_parser = sub.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".", formatter_class=HelpFormatter
        )
        module = importlib.import_module(module_name)
        module.add_arguments(sub_parser)
        sub_parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command ``argv`` (the process's arguments by default) and return its exit status."""
    return run(parse_arguments(argv))


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """``argv`` read by the parser of its subcommand alone, whose module this imports; ``--help`` and errors exit."""
    argv = sys.argv[1:] if argv is None else argv
    command = next((word for word in argv if not word.startswith("-")), None)
    return build_parser(command if command in SUBCOMMANDS else None).parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """The parsed command's exit status; a :class:`DockerfileDocsError` becomes one line on standard error."""
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


def console_main() -> int:
    """The ``dockerfile-docs`` program: :func:`main`, with the cyclic garbage collector kept out of start-up and exit.

    Start-up makes tens of thousands of objects that live as long as the
    process (modules, classes, functions) and no garbage, yet the collector
    traverses them every few hundred allocations; once the command's modules
    are imported they are frozen (:func:`gc.freeze`), so the collections of
    the run skip them, and at exit everything is, so the interpreter's last
    collection has nothing to traverse: ``analyze`` of a small file, whole
    process, went from 28.6-28.8 ms to 25.8-26.4 ms (medians of 40 runs).
    The run itself collects as usual, so a command over many files keeps
    its memory. In-process callers use :func:`main`, which leaves the
    collector alone.
    """
    gc.disable()
    try:
        args = parse_arguments()
    finally:
        gc.freeze()
        gc.enable()
    status = run(args)
    gc.freeze()
    return status


if __name__ == "__main__":
    sys.exit(console_main())
