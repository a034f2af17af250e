"""What goes into the content hash: the context after .dockerignore, build args, targets, stand-ins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dockerfile_docs.errors import DockerfileError
from dockerfile_docs.verify.context import compile_patterns, context_files, is_ignored, read_ignore_file
from dockerfile_docs.verify.example import ExampleConfigError, load_example
from dockerfile_docs.verify.inputs import describe_changes, example_inputs, load_stand_ins

FIXTURES = Path(__file__).parent / "fixtures" / "verify"


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    root = tmp_path / "examples"
    shutil.copytree(FIXTURES, root)
    return root


@pytest.mark.parametrize(
    ("patterns", "path", "ignored"),
    [
        (["*.log"], "debug.log", True),
        (["*.log"], "logs/debug.log", False),
        (["**/*.log"], "logs/deep/debug.log", True),
        (["**/*.log"], "debug.log", True),
        (["notes"], "notes/draft.md", True),
        (["notes/"], "notes/draft.md", True),
        (["/notes"], "notes/draft.md", True),
        (["*.log", "!keep.log"], "keep.log", False),
        (["*.log", "!keep.log"], "other.log", True),
        (["!keep.log", "*.log"], "keep.log", True),
        (["docs/**"], "docs/a/b.md", True),
        (["docs/**"], "docsite/a.md", False),
        (["?.txt"], "a.txt", True),
        (["?.txt"], "ab.txt", False),
        (["[ab].txt"], "b.txt", True),
        (["[ab].txt"], "c.txt", False),
        (["a/./b/../c"], "a/c", True),
        (["# not a comment when indented?"], "x", False),
        ([r"\*.txt"], "*.txt", True),
        ([r"\*.txt"], "a.txt", False),
    ],
)
def test_dockerignore_follows_buildkit_matching(patterns: list[str], path: str, ignored: bool) -> None:
    compiled = compile_patterns(read_ignore_file("\n".join(patterns)))
    assert is_ignored(path, compiled) is ignored


def test_ignore_file_reading_drops_comments_and_blank_lines_and_cleans_paths() -> None:
    text = "\ufeff# comment\n\n  build/  \n!  /keep\n/abs/path\n"
    assert read_ignore_file(text) == ["build", "!keep", "abs/path"]


def test_context_files_leave_out_what_dockerignore_excludes(examples: Path) -> None:
    folder = examples / "ignored-files"
    paths = [item.path for item in context_files(folder, folder / "Dockerfile")]
    assert paths == sorted(paths)
    assert {"app.txt", "keep.log", "Dockerfile", "example.yml", ".dockerignore"} <= set(paths)
    assert "debug.log" not in paths
    assert not any(path.startswith("notes/") for path in paths)


def test_dockerfile_specific_ignore_file_takes_precedence(examples: Path) -> None:
    folder = examples / "ignored-files"
    (folder / "Dockerfile.dockerignore").write_text("app.txt\n")
    paths = {item.path for item in context_files(folder, folder / "Dockerfile")}
    assert "app.txt" not in paths
    assert "debug.log" in paths


def test_changing_an_included_file_changes_the_hash_and_says_which(examples: Path) -> None:
    example = load_example(examples / "ignored-files")
    before = example_inputs(example)
    (examples / "ignored-files" / "app.txt").write_text("changed\n")
    after = example_inputs(example)
    assert after.input_hash != before.input_hash
    assert describe_changes(before.parts, after.parts) == "context file app.txt changed"


def test_changing_an_ignored_file_keeps_the_hash(examples: Path) -> None:
    example = load_example(examples / "ignored-files")
    before = example_inputs(example).input_hash
    (examples / "ignored-files" / "debug.log").write_text("more noise\n")
    (examples / "ignored-files" / "notes" / "new.md").write_text("another note\n")
    assert example_inputs(example).input_hash == before


def test_title_and_description_do_not_change_the_hash_but_expectations_do(examples: Path) -> None:
    config = examples / "hello" / "example.yml"
    before = example_inputs(load_example(examples / "hello")).input_hash
    config.write_text(config.read_text().replace("title: Hello on busybox", "title: Another title"))
    assert example_inputs(load_example(examples / "hello")).input_hash == before
    config.write_text(config.read_text().replace("max_size: 10MB", "max_size: 11MB"))
    changed = example_inputs(load_example(examples / "hello"))
    assert changed.input_hash != before


def test_executable_bit_is_part_of_the_hash(examples: Path) -> None:
    example = load_example(examples / "hello")
    before = example_inputs(example).input_hash
    (examples / "hello" / "greeting.txt").chmod(0o755)
    assert example_inputs(example).input_hash != before


def test_stand_ins_used_come_from_the_expanded_from_lines(examples: Path) -> None:
    inputs = example_inputs(load_example(examples / "multi-stage"))
    assert [(s.reference, s.local) for s in inputs.stand_ins] == [("busybox:1.36", "dockerfile-docs/busybox:local")]
    runtime = inputs.plans[0]
    assert runtime.label == "runtime"
    assert runtime.stages == ("build",)
    assert runtime.references == ("busybox:1.36",)
    assert inputs.stand_ins_for(runtime) == {"busybox:1.36": "dockerfile-docs/busybox:local"}


def test_a_stand_in_the_dockerfile_does_not_use_is_not_applied(examples: Path) -> None:
    (examples / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\ndebian:bookworm-slim: dockerfile-docs/debian:bookworm\n")
    inputs = example_inputs(load_example(examples / "hello"))
    assert [s.reference for s in inputs.stand_ins] == ["busybox:1.36"]


def test_build_args_that_change_the_base_image_change_the_stand_ins(examples: Path) -> None:
    (examples / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\nbusybox:1.37: dockerfile-docs/busybox:local\n")
    config = examples / "multi-stage" / "example.yml"
    config.write_text(config.read_text().replace('build_args: {MESSAGE: "from the build stage"}', 'build_args: {MESSAGE: "x", BASE: "busybox:1.37"}'))
    inputs = example_inputs(load_example(examples / "multi-stage"))
    assert [s.reference for s in inputs.stand_ins] == ["busybox:1.37"]


def test_editing_an_unused_stand_in_keeps_the_hash(examples: Path) -> None:
    example = load_example(examples / "hello")
    before = example_inputs(example).input_hash
    (examples / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\nother:1: somewhere/else:1\n")
    assert example_inputs(example).input_hash == before
    (examples / "stand-ins.yml").write_text("busybox:1.36: elsewhere/busybox:2\n")
    assert example_inputs(example).input_hash != before


def test_stand_ins_file_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "stand-ins.yml"
    path.write_text("busybox:1.36: [not, a, string]\n")
    with pytest.raises(ExampleConfigError, match=r"stand-ins\.yml: busybox:1\.36: expected a local image"):
        load_stand_ins(path)


def test_a_dockerfile_that_does_not_parse_raises_with_the_line(examples: Path) -> None:
    (examples / "hello" / "Dockerfile").write_text("FROM busybox:1.36\nFROOM x\n")
    with pytest.raises(DockerfileError) as caught:
        example_inputs(load_example(examples / "hello"))
    assert caught.value.line == 2


def test_the_verify_package_has_one_direction_example_then_inputs_then_results() -> None:
    """What an example is → what it was built from → what the build showed: no module imports one to its right."""
    import ast

    import dockerfile_docs.verify as package

    order = ["example", "frontend", "context", "inputs", "results"]
    folder = Path(package.__file__).parent
    for position, name in enumerate(order):
        tree = ast.parse((folder / f"{name}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module}
        later = set(order[position + 1 :]) | {"engine", "runner", "command", "buildlog"}
        assert imported & later == set(), f"verify/{name}.py imports {sorted(imported & later)}"
