"""``dockerfile-docs render``: every format, standard input, options, and one clear line on a bad file."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dockerfile_docs.cli import main

TWO_STAGES = """\
ARG BASE=busybox:1.36
FROM ${BASE} AS build
RUN echo hello > /hello.txt

FROM scratch AS runtime
COPY --from=build /hello.txt /hello.txt
"""


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(TWO_STAGES)
    return path


def render(capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = main(["render", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_svg_is_a_standalone_svg_file(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    code, out, err = render(capsys, "--format", "svg", str(dockerfile))
    assert code == 0 and err == ""
    assert out.startswith("<?xml")
    root = ET.fromstring(out.split("?>", 1)[1].strip())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "build" in out and "runtime" in out


@pytest.mark.parametrize("output_format", ["html", "page"])
def test_html_and_page_are_self_contained_without_script_or_remote_resource(
    capsys: pytest.CaptureFixture[str], dockerfile: Path, output_format: str
) -> None:
    code, out, _ = render(capsys, "--format", output_format, str(dockerfile))
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert ("<style" in out) == (output_format == "page"), "html, for wikis, needs no stylesheet"
    assert "Content-Security-Policy" in out
    assert "<script" not in out.lower()
    remote = [url for url in re.findall(r'(?:src|href)="([^"]+)"', out) if re.match(r"^(?:https?:)?//", url)]
    assert remote == []
    assert "<svg" in out and "hello.txt" in out


def test_html_shows_only_the_requested_parts(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    code, out, _ = render(capsys, "--format", "page", "--show", "diagram", str(dockerfile))
    assert code == 0
    assert 'class="dd-part dd-part-diagram"' in out and 'class="dd-part dd-part-listing"' not in out
    code, out, _ = render(capsys, "--format", "html", "--show", "diagram", str(dockerfile))
    assert code == 0
    assert "<svg" in out and "<table" not in out


def test_md_has_a_heading_the_diagram_and_the_dockerfile_in_a_fence(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    code, out, _ = render(capsys, "--format", "md", str(dockerfile))
    assert code == 0
    assert out.startswith("## ")
    assert "```mermaid\nflowchart LR\n" in out and "<svg" not in out and "<style" not in out
    assert "```dockerfile\n" + TWO_STAGES + "```\n" in out


def test_md_can_carry_the_diagram_as_a_mermaid_fence(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    code, out, _ = render(capsys, "--format", "md", "--diagram", "mermaid", str(dockerfile))
    assert code == 0
    assert "```mermaid\n" in out and "<svg" not in out


def test_md_fence_is_longer_than_any_backtick_run_in_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM busybox:1.36\nRUN echo '````' > /ticks\n")
    code, out, _ = render(capsys, "--format", "md", "--diagram", "none", str(path))
    assert code == 0
    assert "`````dockerfile\n" in out


def test_mermaid_is_the_flowchart_source(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    code, out, _ = render(capsys, "--format", "mermaid", str(dockerfile))
    assert code == 0
    assert re.match(r"^(flowchart|graph)\b", out)
    assert "build" in out and "runtime" in out and out.endswith("\n")


def test_build_args_and_target_are_applied(capsys: pytest.CaptureFixture[str], dockerfile: Path) -> None:
    _, default, _ = render(capsys, "--format", "mermaid", str(dockerfile))
    code, changed, _ = render(capsys, "--format", "mermaid", "--build-arg", "BASE=debian:bookworm-slim", str(dockerfile))
    assert code == 0
    assert "busybox" in default and "debian:bookworm-slim" in changed and "busybox" not in changed
    code, _, err = render(capsys, "--format", "svg", "--target", "nope", str(dockerfile))
    assert code == 1 and "nope" in err


def test_standard_input_is_read_with_a_dash(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = render(capsys, "--format", "mermaid", "-", stdin=TWO_STAGES, monkeypatch=monkeypatch)
    assert code == 0 and "runtime" in out


def test_output_writes_the_file_and_nothing_to_stdout(capsys: pytest.CaptureFixture[str], dockerfile: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "diagram.svg"
    code, out, _ = render(capsys, "--format", "svg", "--output", str(target), str(dockerfile))
    assert code == 0 and out == ""
    assert target.read_text().startswith("<?xml")


def test_output_as_a_bare_file_name_goes_in_the_working_directory(
    capsys: pytest.CaptureFixture[str], dockerfile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = render(capsys, "--format", "svg", "--output", "stages.svg", str(dockerfile))
    assert code == 0 and out == "", err
    assert (tmp_path / "stages.svg").read_text().startswith("<?xml")
    assert not list(tmp_path.glob("*.tmp")), "the temporary file was renamed into place"


def test_svg_to_standard_output_imports_nothing_for_files_or_stylesheets(dockerfile: Path) -> None:
    """A diagram drawn into a pipe pays no start-up for writing files or reading the shipped stylesheets."""
    script = (
        "import contextlib, io, sys\n"
        "from dockerfile_docs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        f"    main(['render', '--format', 'svg', {str(dockerfile)!r}])\n"
        "assert out.getvalue().startswith('<?xml')\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split())
    assert "dockerfile_docs.render.layout" in loaded, "the diagram was drawn"
    unwanted = {"tempfile", "shutil", "pathlib", "importlib.resources", "dockerfile_docs.verify", "mkdocs", "markdown"}
    assert loaded.isdisjoint(unwanted), sorted(loaded & unwanted)


SEMANTICS_CASES = sorted((Path(__file__).parent / "semantics" / "cases").glob("*/Dockerfile"))


@pytest.mark.parametrize("output_format", ["svg", "mermaid"])
@pytest.mark.parametrize("case", SEMANTICS_CASES, ids=lambda path: path.parent.name)
def test_a_drawing_alone_is_the_drawing_of_the_explained_analysis(capsys: pytest.CaptureFixture[str], case: Path, output_format: str) -> None:
    """svg and mermaid run the rules only where a ``# check=`` directive (or the build arg that replaces it) can make
    them the build's failure, and draw the same; each case is drawn with its own build args."""
    from dockerfile_docs.errors import DockerfileDocsError
    from dockerfile_docs.model import BuildOptions
    from dockerfile_docs.parse import decode_dockerfile
    from dockerfile_docs.pipeline import analyze_text
    from dockerfile_docs.render.fragment import svg_document
    from dockerfile_docs.render.mermaid import render_mermaid
    from dockerfile_docs.render.svg import render_diagram

    from tests.semantics.corpus import load_case

    build_args = load_case(case.parent).build_args
    passed = [word for name, value in build_args.items() for word in ("--build-arg", f"{name}={value}")]
    code, out, _ = render(capsys, "--format", output_format, *passed, str(case))
    try:
        analysis = analyze_text(decode_dockerfile(case.read_bytes(), str(case)), str(case), BuildOptions(build_args=dict(build_args)))
    except DockerfileDocsError:  # a case BuildKit rejects is one the command rejects too
        assert code == 1
        return
    expected = svg_document(render_diagram(analysis, id_prefix="dd")) if output_format == "svg" else render_mermaid(analysis)
    assert code == 0 and out.rstrip("\n") == expected.rstrip("\n")


def test_a_drawing_alone_loads_no_rule_unless_a_check_can_fail_the_build(tmp_path: Path) -> None:
    script = (
        "import contextlib, io, sys\n"
        "from dockerfile_docs.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['render', '--format', 'svg', *sys.argv[1:]])\n"
        "print(sum(name.startswith('dockerfile_docs.explain.rules.') for name in sys.modules))\n"
    )
    check_arg = ["--build-arg", "BUILDKIT_DOCKERFILE_CHECK={}"]
    for directive, build_args, loads_rules in [
        ("", [], False), ("# check=skip=all\n", [], False), ("# check=error=true\n", [], True), ("# check=nonsense\n", [], True),
        ("", [check_arg[0], check_arg[1].format("error=true")], True), ("# check=error=true\n", [check_arg[0], check_arg[1].format("")], False),
    ]:
        path = tmp_path / "Dockerfile"
        path.write_text(directive + TWO_STAGES, encoding="utf-8")
        loaded = int(subprocess.run([sys.executable, "-c", script, *build_args, str(path)], capture_output=True, text=True, check=True).stdout)
        assert (loaded > 0) == loads_rules, (directive, build_args, loaded)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("FROM busybox:1.36\nBOGUS thing\n", ":2:"),
        ("", None),
    ],
)
def test_a_bad_dockerfile_is_one_clear_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, where: str | None) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(content)
    code, out, err = render(capsys, "--format", "html", str(path))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("dockerfile-docs: ") and str(path) in err
    if where:
        assert where in err
    assert "Traceback" not in err


def test_a_bad_dockerfile_on_stdin_names_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = render(capsys, "--format", "svg", "-", stdin="FROM busybox:1.36\nNOPE\n", monkeypatch=monkeypatch)
    assert code == 1
    assert err.strip() == err.strip().splitlines()[0]
    assert "<stdin>:2:" in err


def test_a_missing_file_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = render(capsys, "--format", "svg", str(tmp_path / "nope" / "Dockerfile"))
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and "cannot read" in err


def test_the_installed_command_reads_stdin(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("dockerfile-docs")
    completed = subprocess.run(
        [str(script), "render", "--format", "html", "-"], input=TWO_STAGES, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("<!DOCTYPE html>")


def test_md_with_an_image_diagram_writes_the_svg_beside_the_markdown(capsys: pytest.CaptureFixture[str], dockerfile: Path, tmp_path: Path) -> None:
    output = tmp_path / "wiki" / "STAGES.md"
    code, _, err = render(capsys, "--format", "md", "--diagram", "image", "--output", str(output), str(dockerfile))
    assert code == 0, err
    assert "![Build stages of " in output.read_text() and "(<STAGES.svg>)" in output.read_text()
    assert (tmp_path / "wiki" / "STAGES.svg").read_text().startswith("<?xml")
    code, _, err = render(capsys, "--format", "md", "--diagram", "image", str(dockerfile))
    assert code == 1 and "--output" in err


def test_md_explanations_keep_their_code_spans(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("ARG VERSION=1\nFROM busybox:1.36\nRUN echo $VERSION\n")
    code, out, _ = render(capsys, "--format", "md", str(path))
    assert code == 0
    assert "`VERSION`" in out and "\\`" not in out
