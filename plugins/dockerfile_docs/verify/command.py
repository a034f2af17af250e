"""``dockerfile-docs verify``: build the examples and check what their ``example.yml`` expects.

Exit status 0 only when every expectation of every selected example holds.
``--check-committed`` builds nothing: it fails when a committed
``verified.json`` is missing, records a failure, or no longer matches its
example's input hash (so CI can insist the committed results are current).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..errors import DockerfileDocsError
from .example import Example, discover_examples, select_examples
from .inputs import example_inputs
from .junit import write_junit
from .progress import ConsoleProgress
from .results import ExampleResult, committed_path, describe_changes, format_size, read_result, write_committed, write_json_atomically
from .runner import DEFAULT_TIMEOUT, ResultsNotStored, builds_performed, verify_examples

DEFAULT_CACHE_DIR = Path(".cache/dockerfile-docs")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("examples", nargs="*", metavar="EXAMPLE", help="example folder names (default: all)")
    parser.add_argument("--examples-dir", type=Path, default=Path("examples"), metavar="DIR", help="where the example folders are (default: examples)")
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(os.environ.get("DOCKERFILE_DOCS_CACHE_DIR") or DEFAULT_CACHE_DIR), metavar="DIR",
        help=f"where results are cached (default: $DOCKERFILE_DOCS_CACHE_DIR, else {DEFAULT_CACHE_DIR})",
    )
    parser.add_argument("--stand-ins", type=Path, default=None, metavar="FILE", help="stand-in base images (default: DIR/stand-ins.yml when present)")
    parser.add_argument("--builder", action="append", default=[], metavar="NAME",
                        help="build on this docker context (a remote engine) or buildx builder; repeat it to share the examples among several")
    parser.add_argument("--jobs", "-j", type=_positive_int, default=None, metavar="N", help="examples built at once (default: the number of cores)")
    parser.add_argument("--rebuild", action="store_true", help="build even examples whose cached result still matches")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S", help=f"seconds allowed per build or run (default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--report", nargs=2, metavar=("FORMAT", "PATH"), help="also write a report: 'json PATH' or 'junit PATH'")
    parser.add_argument("--write-results", action="store_true", help="write each example's verified.json (the results committed beside it)")
    parser.add_argument("--check-committed", action="store_true", help="build nothing; fail when a committed verified.json is missing, failed or out of date")


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run(args: argparse.Namespace) -> int:
    if args.report and args.report[0] not in ("json", "junit"):
        raise DockerfileDocsError(f"--report takes json or junit, not {args.report[0]!r}")
    selected = select_examples(discover_examples(args.examples_dir), args.examples, args.examples_dir)
    if not selected:
        raise DockerfileDocsError(f"{args.examples_dir}: no example folders (each needs an example.yml)")
    for example in selected:
        if not example.verify:
            print(f"SKIP {example.name}: not verified (verify: false): {example.not_verified_reason}")
    examples = [example for example in selected if example.verify]
    if args.check_committed:
        return check_committed(examples, args.stand_ins)
    if not examples:
        print(f"0 examples to verify: all {len(selected)} say verify: false")
        return 0

    not_stored: ResultsNotStored | None = None
    with ConsoleProgress(sys.stderr) as progress:
        try:
            results = verify_examples(
                examples,
                cache_dir=args.cache_dir,
                jobs=args.jobs,
                rebuild=args.rebuild,
                timeout=args.timeout,
                stand_ins=args.stand_ins,
                progress=progress,
                builders=args.builder,
            )
        except ResultsNotStored as error:
            not_stored, results = error, error.results
    print_summary(results)
    if args.write_results:
        for example, result in zip(examples, results):
            path = write_committed(result, example)
            if path is None:
                print(f"{example.name}: not written to {committed_path(example)} (the build did not finish: {result.failures[0].message})", file=sys.stderr)
    if args.report:
        write_report(results, args.report[0], Path(args.report[1]))
    if not_stored is not None:
        raise not_stored
    return 0 if all(result.passed for result in results) else 1


def print_summary(results: list[ExampleResult]) -> None:
    for result in results:
        origin = "cached" if result.from_cache else f"{result.builds} builds"
        for problem in result.problems:
            print(f"FAIL {problem.one_line()}")
        for target in result.targets:
            final = target.final_stage
            facts = [f"{target.build_seconds:.1f} s"] + ([format_size(final.size)] if final else []) + [origin]
            print(f"{'PASS' if target.passed else 'FAIL'} {result.example} [{target.name}] ({', '.join(facts)})")
            for failure in target.failures:
                print(f"     {failure.one_line()}")
                if failure.step:
                    print(f"     step: {failure.step}")
                for line in failure.log_tail[-10:]:
                    print(f"     | {line}")
    passed = sum(result.passed for result in results)
    print(f"{passed}/{len(results)} examples verified, {builds_performed(results)} builds performed")


def write_report(results: list[ExampleResult], report_format: str, path: Path) -> None:
    if report_format == "junit":
        write_junit(results, path)
    else:
        write_json_atomically(
            path,
            {
                "passed": all(result.passed for result in results),
                "builds_performed": builds_performed(results),
                "results": [dict(result.to_json(), from_cache=result.from_cache) for result in results],
            },
        )


def check_committed(examples: list[Example], stand_ins_file: Path | None) -> int:
    """One line per example; 0 only when every committed result is present, passing and current."""
    problems = 0
    for example in examples:
        path = committed_path(example)
        committed = read_result(path)
        try:
            current = example_inputs(example, stand_ins_file)
        except DockerfileDocsError as error:
            print(f"FAIL {example.name}: {error}")
            problems += 1
            continue
        if committed is None:
            verdict = f"no committed result at {path}; run 'dockerfile-docs verify --write-results {example.name}'"
        elif committed.input_hash != current.input_hash:
            verdict = f"{path} is out of date ({describe_changes(committed.inputs, current.parts)}); run 'dockerfile-docs verify --write-results {example.name}'"
        elif not committed.passed:
            verdict = f"{path} records a failure: {committed.failures[0].one_line()}"
        else:
            print(f"ok   {example.name}: verified {committed.verified_at} ({committed.input_hash[:12]})")
            continue
        problems += 1
        print(f"FAIL {example.name}: {verdict}")
    print(f"{len(examples) - problems}/{len(examples)} committed results current")
    return 0 if problems == 0 else 1
