"""Command-line options shared by subcommands that analyze a Dockerfile."""

from __future__ import annotations

import argparse
import sys

from ..errors import DockerfileDocsError
from ..model import Analysis, BuildOptions
from ..parse import decode_dockerfile
from ..pipeline import analyze_file, analyze_text


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--build-arg", action="append", default=[], metavar="NAME=VALUE", help="a build argument, as docker build takes it (repeatable)")
    parser.add_argument("--target", metavar="STAGE", help="the stage to build (default: the last one)")
    parser.add_argument("--platform", metavar="OS/ARCH[/VARIANT]", help="the target platform (default: the build platform, linux/amd64)")
    parser.add_argument("path", metavar="PATH", help="the Dockerfile, or - for standard input")


def build_options(args: argparse.Namespace) -> BuildOptions:
    build_args: dict[str, str] = {}
    for item in args.build_arg:
        name, sep, value = item.partition("=")
        if not name:
            raise DockerfileDocsError(f"--build-arg {item!r}: expected NAME=VALUE")
        build_args[name] = value if sep else ""
    return BuildOptions(build_args=build_args, target=args.target, platform=args.platform)


def analyze_from_args(args: argparse.Namespace) -> Analysis:
    options = build_options(args)
    if args.path == "-":
        return analyze_text(decode_dockerfile(sys.stdin.buffer.read(), "<stdin>"), "<stdin>", options)
    return analyze_file(args.path, options)
