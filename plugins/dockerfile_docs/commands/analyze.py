"""``dockerfile-docs analyze``: what BuildKit makes of a Dockerfile, as JSON or text."""

from __future__ import annotations

import argparse
import json
import sys

from ..model import SEVERITY_ORDER
from ..report import analysis_to_dict, analysis_to_text
from .options import add_build_options, analyze_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("json", "text"), default="text", help="json: the stable interface for tools; text: for people (default)")
    parser.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error", help="exit 2 when a finding has this severity or worse (default: error)")
    add_build_options(parser)


def run(args: argparse.Namespace) -> int:
    analysis = analyze_from_args(args)
    if args.format == "json":
        json.dump(analysis_to_dict(analysis), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(analysis_to_text(analysis))
    if args.fail_on != "never":
        limit = SEVERITY_ORDER[args.fail_on]
        if any(SEVERITY_ORDER[f.severity] <= limit for f in analysis.findings):
            return 2
    return 0
