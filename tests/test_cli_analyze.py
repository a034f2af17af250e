"""``dockerfile-docs analyze``: the JSON interface, the text reading, and clean failures."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_docs.cli import main

MULTI_STAGE = """\
ARG GO_VERSION=1.22
FROM golang:${GO_VERSION}-bookworm AS build
ARG GO_VERSION
ENV CGO_ENABLED=0
RUN go build -o /app .
FROM busybox:1.36 AS debug
FROM scratch AS runtime
COPY --from=build /app /app
ENTRYPOINT ["/app"]
"""


def run_cli(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[str]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    result = subprocess.run([sys.executable, "-m", "dockerfile_docs.cli", *args], input=data, capture_output=True)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


def test_json_holds_stages_target_edges_and_variables(tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(MULTI_STAGE)
    result = run_cli("analyze", "--format", "json", "--fail-on", "never", str(path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(s["index"], s["name"], s["base"], s["line"], s["needed"]) for s in data["stages"]] == [
        (0, "build", "golang:1.22-bookworm", 2, True),
        (1, "debug", "busybox:1.36", 6, False),
        (2, "runtime", "scratch", 7, True),
    ]
    assert data["stages"][0]["vars"] == {"GO_VERSION": "1.22", "CGO_ENABLED": "0"}
    assert data["target"] == 2
    assert {"from": 0, "to": 2, "kind": "copy", "line": 8, "paths": ["/app"]} in data["edges"]
    assert isinstance(data["findings"], list)


def test_build_arg_and_target_change_the_answer() -> None:
    result = run_cli("analyze", "--format", "json", "--fail-on", "never", "--build-arg", "GO_VERSION=1.23", "--target", "DEBUG", "-", stdin=MULTI_STAGE)
    data = json.loads(result.stdout)
    assert data["stages"][0]["base"] == "golang:1.23-bookworm"
    assert data["target"] == 1
    assert [s["needed"] for s in data["stages"]] == [False, True, False]


def test_text_format_says_which_stages_buildkit_skips() -> None:
    result = run_cli("analyze", "--fail-on", "never", "-", stdin=MULTI_STAGE)
    assert result.returncode == 0
    assert "[1] debug  FROM busybox:1.36  (line 6, skipped by BuildKit)" in result.stdout
    assert "ARG GO_VERSION = '1.22'" in result.stdout


def test_unused_build_arg_is_reported() -> None:
    result = run_cli("analyze", "--format", "json", "--fail-on", "never", "--build-arg", "NOBODY=1", "-", stdin=MULTI_STAGE)
    assert json.loads(result.stdout)["unused_build_args"] == ["NOBODY"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", ": the Dockerfile cannot be empty"),
        (b"# only a comment\n", ":1: file with no instructions"),
        (b"ARG A=1\n", ":1: the file has no FROM instruction"),
        (b"FROM scratch\nFOO bar\n", ":2: unknown instruction: FOO"),
        (b"FROM scratch\nRUN <<EOF\n", ":2: unterminated heredoc"),
        (b"FROM scratch AS a\nCOPY --from=b / /\nFROM scratch AS b\nCOPY --from=a / /\n", "circular dependency"),
        (b"\x7fELF\x00\x01", ":1: this is a binary file"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_1(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(content)
    result = run_cli("analyze", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"dockerfile-docs: {path}")
    assert expected in lines[0]


def test_unknown_target_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(MULTI_STAGE)
    assert main(["analyze", "--target", "nope", str(path)]) == 1
    assert "target stage 'nope' could not be found (stages named: build, debug, runtime)" in capsys.readouterr().err


def test_a_build_error_is_reported_in_json_and_fails_the_exit_status() -> None:
    text = "FROM busybox:1.36 AS early\nCOPY --from=late /f /f\nFROM busybox:1.36 AS late\nFROM early\n"
    result = run_cli("analyze", "--format", "json", "-", stdin=text)
    assert result.returncode == 2
    errors = json.loads(result.stdout)["build_errors"]
    assert errors == [{"line": 2, "stage": 0, "message": 'cannot copy from stage "late", it needs to be defined before current stage "early"'}]


def test_analyze_imports_only_what_it_uses(tmp_path: Path) -> None:
    """Start-up is the command's cost in an editor or a pre-commit hook: no renderer, verifier, typing or site adapters,
    and not the shutil (and compression modules) argparse imports to find the terminal's width."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM scratch\n", encoding="utf-8")
    script = (
        "import contextlib, io, sys\n"
        "from dockerfile_docs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['analyze', '--format', 'json', {str(dockerfile)!r}])\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split())
    assert "dockerfile_docs.explain.rules.args.DD101" in loaded, "the rules ran"
    unwanted = {"typing", "pkgutil", "difflib", "dockerfile_docs.render.svg", "dockerfile_docs.verify", "dockerfile_docs.dockerignore", "mkdocs", "markdown",
                "shutil", "bz2", "lzma"}
    assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)


def test_the_program_freezes_what_start_up_made_and_collects_during_the_run(tmp_path: Path) -> None:
    """``console_main`` (the installed program): the collector is off while the command's modules import, on while it
    runs, with the start-up's objects frozen, and everything is frozen before exit; the output is main's."""
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(MULTI_STAGE, encoding="utf-8")
    script = (
        "import gc, sys\n"
        "from dockerfile_docs import cli\n"
        "seen = []\n"
        "parse, run = cli.parse_arguments, cli.run\n"
        "def parsing(argv=None):\n"
        "    seen.append(('parsing', gc.isenabled(), gc.get_freeze_count()))\n"
        "    return parse(argv)\n"
        "def running(args):\n"
        "    seen.append(('running', gc.isenabled(), gc.get_freeze_count()))\n"
        "    return run(args)\n"
        "cli.parse_arguments, cli.run = parsing, running\n"
        f"sys.argv = ['dockerfile-docs', 'analyze', '--format', 'json', {str(dockerfile)!r}]\n"
        "status = cli.console_main()\n"
        "frozen = gc.get_freeze_count()\n"
        "gc.unfreeze()\n"
        "sys.stderr.write(repr((seen, status, frozen)))\n"
    )
    program = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    seen, status, frozen_at_exit = eval(program.stderr)  # noqa: S307 - the repr written just above
    (parsing, *while_parsing), (running, *while_running) = seen
    assert (parsing, *while_parsing) == ("parsing", False, 0)
    assert running == "running" and while_running[0] and while_running[1] > 0
    assert status == 0 and frozen_at_exit > while_running[1]
    in_process = "from dockerfile_docs.cli import main\n" f"main(['analyze', '--format', 'json', {str(dockerfile)!r}])\n"
    expected = subprocess.run([sys.executable, "-c", in_process], capture_output=True, text=True, check=True).stdout
    assert json.loads(program.stdout) == json.loads(expected)


def test_main_leaves_the_collector_as_it_found_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An in-process caller (a test, a script) gets no frozen objects and no disabled collector from ``main``."""
    import gc

    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(MULTI_STAGE, encoding="utf-8")
    frozen = gc.get_freeze_count()
    assert main(["analyze", "--format", "json", str(dockerfile)]) == 0
    assert json.loads(capsys.readouterr().out)["stages"]
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, frozen)


@pytest.mark.parametrize("columns", ["50", "120", None])
def test_help_is_wrapped_as_argparse_wraps_it_for_the_terminal(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's help formatter finds the width without shutil, and finds the one argparse's own would."""
    from dockerfile_docs import cli

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    ours = cli.build_parser("analyze")
    monkeypatch.setattr(cli, "HelpFormatter", argparse.HelpFormatter)
    argparse_own = cli.build_parser("analyze")
    for parser_ours, parser_theirs in [(ours, argparse_own), *zip(_subparsers(ours), _subparsers(argparse_own))]:
        assert parser_ours.formatter_class is not parser_theirs.formatter_class
        assert parser_ours.format_help() == parser_theirs.format_help()
    assert "--fail-on" in _subparsers(ours)[0].format_help()


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [choice for action in parser._actions if action.choices and isinstance(action.choices, dict) for choice in action.choices.values()]
