"""Reading example.yml strictly: every unknown key or wrong type names the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerfile_docs.errors import DockerfileDocsError
from dockerfile_docs.verify.example import (
    ExampleConfigError,
    OutputExpectation,
    discover_examples,
    load_example,
    parse_size,
    select_examples,
)

FIXTURES = Path(__file__).parent / "fixtures" / "verify"


def write_example(root: Path, config: str, name: str = "demo", dockerfile: str = "FROM busybox:1.36\n") -> Path:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Dockerfile").write_text(dockerfile)
    (folder / "example.yml").write_text(config)
    return folder


def test_full_declaration_is_read_into_typed_fields(tmp_path: Path) -> None:
    folder = write_example(
        tmp_path,
        """
title: Static binary
description: Ships only the binary.
build_args: {GO_VERSION: "1.22", WORKERS: 4}
platform: linux/amd64
targets:
  - target: runtime
    build_args: {GO_VERSION: "1.21"}
    expect:
      run:
        args: ["--help"]
        exit_code: 2
        output: {matches: "^usage"}
      max_size: 12MB
      files_present: [/app]
      files_absent: [/bin/sh]
      layers: 2
  - target: broken
    expect:
      build: failure
      error: "exit code: 1"
""",
    )
    example = load_example(folder)
    assert example.name == "demo"
    assert example.title == "Static binary"
    assert example.build_args == {"GO_VERSION": "1.22", "WORKERS": "4"}
    assert example.platform == "linux/amd64"
    runtime, broken = example.targets
    assert runtime.target == "runtime"
    assert example.build_args_for(runtime) == {"GO_VERSION": "1.21", "WORKERS": "4"}
    assert runtime.expect.run is not None
    assert runtime.expect.run.args == ("--help",)
    assert runtime.expect.run.exit_code == 2
    assert runtime.expect.run.output == OutputExpectation("matches", "^usage")
    assert runtime.expect.max_size == 12_000_000
    assert runtime.expect.files_present == ("/app",)
    assert runtime.expect.files_absent == ("/bin/sh",)
    assert runtime.expect.layers == 2
    assert broken.expect.build == "failure"
    assert broken.expect.error == "exit code: 1"


def test_minimal_declaration_expects_the_last_stage_to_build(tmp_path: Path) -> None:
    example = load_example(write_example(tmp_path, "title: Only a title\n"))
    assert len(example.targets) == 1
    assert example.targets[0].target is None
    assert example.targets[0].expect.build == "success"
    assert example.dockerfile_path == tmp_path / "demo" / "Dockerfile"


@pytest.mark.parametrize(
    ("config", "key", "words"),
    [
        ("titel: typo\n", "titel", "unknown key"),
        ("description: no title\n", "title", "required"),
        ("title: 42\n", "title", "expected a string"),
        ("title: t\nbuild_args: {GO_VERSION: 1.22}\n", "build_args.GO_VERSION", 'quote the value'),
        ("title: t\nbuild_args: [A, B]\n", "build_args", "expected a mapping"),
        ("title: t\nplatform: amd64\n", "platform", "not a platform"),
        ("title: t\ndockerfile: missing.Dockerfile\n", "dockerfile", "does not exist"),
        ("title: t\ndockerfile: ../Dockerfile\n", "dockerfile", "inside the example folder"),
        ("title: t\ntargets: runtime\n", "targets", "non-empty list"),
        ("title: t\ntargets: [{stage: x}]\n", "targets[0].stage", "unknown key"),
        ("title: t\ntargets: [{expect: {build: maybe}}]\n", "targets[0].expect.build", "success or failure"),
        ("title: t\ntargets: [{expect: {max_size: 12 MBytes}}]\n", "targets[0].expect.max_size", "cannot read"),
        ("title: t\ntargets: [{expect: {max_size: true}}]\n", "targets[0].expect.max_size", "boolean"),
        ("title: t\ntargets: [{expect: {layers: two}}]\n", "targets[0].expect.layers", "expected an integer"),
        ("title: t\ntargets: [{expect: {files_present: [app]}}]\n", "targets[0].expect.files_present[0]", "absolute path"),
        ("title: t\ntargets: [{expect: {files_absent: /bin/sh}}]\n", "targets[0].expect.files_absent", "list"),
        ("title: t\ntargets: [{expect: {run: {args: --help}}}]\n", "targets[0].expect.run.args", "list of strings"),
        ("title: t\ntargets: [{expect: {run: {exit_code: 300}}}]\n", "targets[0].expect.run.exit_code", "between 0 and 255"),
        ("title: t\ntargets: [{expect: {run: {output: {equals: a, contains: b}}}}]\n", "targets[0].expect.run.output", "exactly one"),
        ("title: t\ntargets: [{expect: {run: {output: {starts: a}}}}]\n", "targets[0].expect.run.output.starts", "unknown key"),
        ("title: t\ntargets: [{expect: {run: {output: {matches: '(unclosed'}}}}]\n", "targets[0].expect.run.output.matches", "regular expression"),
        ("title: t\ntargets: [{expect: {error: boom}}]\n", "targets[0].expect.error", "build: failure"),
        ("title: t\ntargets: [{expect: {build: failure, layers: 1}}]\n", "targets[0].expect.layers", "expected to fail"),
        ("title: t\ntargets: [{target: a}, {target: a}]\n", "targets[1]", "repeats targets[0]"),
    ],
)
def test_schema_error_names_file_and_key(tmp_path: Path, config: str, key: str, words: str) -> None:
    folder = write_example(tmp_path, config)
    with pytest.raises(ExampleConfigError) as caught:
        load_example(folder)
    error = caught.value
    assert isinstance(error, DockerfileDocsError)
    assert error.key == key
    assert str(folder / "example.yml") in str(error)
    assert f": {key}: " in str(error)
    assert words in str(error)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    folder = write_example(tmp_path, "title: t\ntargets: [unclosed\n")
    with pytest.raises(ExampleConfigError, match=r"example\.yml: line \d+: not valid YAML"):
        load_example(folder)


def test_missing_example_yml_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bare").mkdir()
    with pytest.raises(ExampleConfigError, match="missing"):
        load_example(tmp_path / "bare")


@pytest.mark.parametrize(
    ("written", "size"),
    [(1234, 1234), ("1234", 1234), ("12MB", 12_000_000), ("1.5 kB", 1500), ("2GB", 2_000_000_000), ("1KiB", 1024), ("3 MiB", 3 * 1024**2), ("1GiB", 1024**3), ("7B", 7)],
)
def test_sizes_read_si_and_binary_units(written: object, size: int) -> None:
    assert parse_size(written) == size


@pytest.mark.parametrize("written", ["12 parsecs", "MB", "-3MB", -1, 1.5, None])
def test_unreadable_sizes_are_errors(written: object) -> None:
    with pytest.raises(ExampleConfigError):
        parse_size(written)


@pytest.mark.parametrize(
    ("mode", "value", "output", "holds"),
    [
        ("equals", "hello", "hello\n", True),
        ("equals", "hello", "hello world\n", False),
        ("contains", "lo wo", "hello world", True),
        ("contains", "bye", "hello world", False),
        ("matches", r"^world$", "hello\nworld\n", True),
        ("matches", r"^\d+$", "abc", False),
    ],
)
def test_output_expectations(mode: str, value: str, output: str, holds: bool) -> None:
    assert OutputExpectation(mode, value).holds_for(output) is holds  # type: ignore[arg-type]


def test_discover_finds_every_fixture_folder_in_name_order() -> None:
    names = [example.name for example in discover_examples(FIXTURES)]
    assert names == sorted(names)
    assert {"hello", "multi-stage", "must-fail", "wrong-expectation", "ignored-files"} <= set(names)


def test_selecting_an_unknown_example_lists_the_known_ones() -> None:
    examples = discover_examples(FIXTURES)
    assert [example.name for example in select_examples(examples, ["hello"], FIXTURES)] == ["hello"]
    with pytest.raises(ExampleConfigError, match="no example named nope .*hello"):
        select_examples(examples, ["nope"], FIXTURES)
