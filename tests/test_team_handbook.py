"""A team's own Dockerfiles in a handbook: ``tests/fixtures/team`` is a repository as teams have them.

* ``services/api/Dockerfile`` with its context and ``.dockerignore``, shown
  and built where it lives through ``context:`` (``examples/api``);
* a Dockerfile that cannot be built here (``examples/private-base``,
  ``verify: false`` with a reason);
* a Dockerfile starting with ``# syntax=docker/dockerfile:1``
  (``examples/syntax-line``), built offline with the engine's built-in
  frontend, as ``stand-ins.yml`` says.

The docker-marked tests build them with the real engine, offline; the others
check what needs no engine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_docs.parse import parse_dockerfile
from dockerfile_docs.verify.example import ExampleConfigError, load_example
from dockerfile_docs.verify.frontend import without_syntax_directive
from dockerfile_docs.verify.inputs import describe_changes, example_inputs

FIXTURE = Path(__file__).parent / "fixtures" / "team"
BIN = Path(sys.executable).parent


@pytest.fixture
def team(tmp_path: Path) -> Path:
    target = tmp_path / "team"
    shutil.copytree(FIXTURE, target)
    return target


def _run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DOCKERFILE_DOCS_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([str(BIN / command[0]), *command[1:]], capture_output=True, text=True, cwd=project, env=env, timeout=600)


def _write_example(project: Path, name: str, config: str) -> Path:
    folder = project / "examples" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "example.yml").write_text(config)
    return folder


# --------------------------------------------------------------------------- where a Dockerfile lives


def test_an_example_builds_a_dockerfile_where_it_lives(team: Path) -> None:
    example = load_example(team / "examples" / "api")
    assert example.context == (team / "services" / "api").resolve()
    assert example.dockerfile_path == (team / "services" / "api" / "Dockerfile").resolve()
    parts = example_inputs(example).parts
    assert "context/app.txt" in parts and "context/secrets.env" not in parts  # .dockerignore of that context
    assert "context/example.yml" not in parts


def test_the_content_hash_covers_the_context_where_it_lives(team: Path) -> None:
    example = load_example(team / "examples" / "api")
    before = example_inputs(example)
    (team / "services" / "api" / "app.txt").write_text("changed\n")
    after = example_inputs(example)
    assert after.input_hash != before.input_hash
    assert describe_changes(before.parts, after.parts) == "context file app.txt changed"


def test_a_changed_dockerfile_is_named_once(team: Path) -> None:
    example = load_example(team / "examples" / "api")
    before = example_inputs(example)
    dockerfile = team / "services" / "api" / "Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "LABEL changed=yes\n")
    assert describe_changes(before.parts, example_inputs(example).parts) == "Dockerfile changed"


def test_a_dockerfile_named_relative_to_the_context_or_absolute(team: Path) -> None:
    relative = _write_example(team, "worker", "title: Worker\ncontext: ../../services\ndockerfile: worker/Dockerfile\n")
    assert load_example(relative).dockerfile_path == (team / "services" / "worker" / "Dockerfile").resolve()
    absolute = _write_example(team, "worker-absolute", f"title: Worker\ncontext: ../../services/worker\ndockerfile: {team / 'services' / 'worker' / 'Dockerfile'}\n")
    assert load_example(absolute).context == (team / "services" / "worker").resolve()


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ("title: Outside\ncontext: ../../..\n", "context"),
        ("title: Outside\ncontext: ../../services/api\ndockerfile: ../../../Dockerfile\n", "dockerfile"),
        ("title: Outside\ndockerfile: /etc/hostname\n", "dockerfile"),
    ],
    ids=["context", "dockerfile-relative", "dockerfile-absolute"],
)
def test_a_path_that_leaves_the_project_is_refused_naming_file_and_key(team: Path, config: str, key: str) -> None:
    (team.parent / "Dockerfile").write_text("FROM scratch\n")
    folder = _write_example(team, "outside", config)
    with pytest.raises(ExampleConfigError) as caught:
        load_example(folder)
    assert caught.value.key == key
    assert str(folder / "example.yml") in str(caught.value)
    assert "outside the project root" in str(caught.value)


# --------------------------------------------------------------------------- analysis-only examples


def test_verify_false_needs_a_reason(team: Path) -> None:
    folder = team / "examples" / "private-base"
    (folder / "example.yml").write_text("title: Private\nverify: false\n")
    with pytest.raises(ExampleConfigError) as caught:
        load_example(folder)
    assert caught.value.key == "reason"


def test_a_reason_goes_only_with_verify_false(team: Path) -> None:
    folder = team / "examples" / "private-base"
    (folder / "example.yml").write_text("title: Private\nreason: because\n")
    with pytest.raises(ExampleConfigError) as caught:
        load_example(folder)
    assert caught.value.key == "reason"


def test_an_analysis_only_example_shows_its_reason_and_passes_a_strict_build(team: Path) -> None:
    for built_elsewhere in ("api", "syntax-line"):  # no engine here: only the example that is never built
        shutil.rmtree(team / "examples" / built_elsewhere)
    (team / "docs" / "index.md").write_text("# Private\n\n```dockerfile-example\nexample: private-base\n```\n")
    completed = _run(team, "mkdocs", "build", "--strict", "-q")
    assert completed.returncode == 0, completed.stderr
    page = (team / "site" / "index.html").read_text()
    assert "Not built by the handbook" in page
    assert "which only the team&#x27;s CI can pull" in page or "which only the team's CI can pull" in page
    assert "registry.example.com/team/base:2" in page  # the listing and diagram are there


def test_verify_skips_an_analysis_only_example_and_says_why(team: Path) -> None:
    completed = _run(team, "dockerfile-docs", "verify", "private-base")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "SKIP private-base: not verified (verify: false): it starts FROM registry.example.com/team/base:2" in completed.stdout


# --------------------------------------------------------------------------- syntax lines


@pytest.mark.parametrize(
    "text",
    [
        "# syntax=docker/dockerfile:1\nFROM busybox\nRUN echo a\n",
        "# syntax=docker/dockerfile:1\n# escape=`\nFROM busybox\nRUN echo a `\n  b\n",
        "# check=skip=all\n# syntax=docker/dockerfile:1\n# escape=`\n\nFROM busybox\nRUN echo a `\n  b\n",
        "# syntax=docker/dockerfile:1\r\n# escape=`\r\nFROM busybox\r\nRUN echo a `\r\n  b\r\n",
    ],
    ids=["alone", "before-escape", "between-directives", "crlf"],
)
def test_the_copy_built_without_the_syntax_line_keeps_every_instruction_and_directive(text: str) -> None:
    original = parse_dockerfile(text)
    copy = parse_dockerfile(without_syntax_directive(text))
    assert copy.directive("syntax") is None
    assert [(d.name, d.value) for d in copy.directives] == [(d.name, d.value) for d in original.directives if d.name != "syntax"]
    assert [(i.keyword, i.start_line, i.end_line, i.arguments) for i in copy.instructions] == [
        (i.keyword, i.start_line, i.end_line, i.arguments) for i in original.instructions
    ]


def test_a_frontend_served_by_the_built_in_one_is_part_of_the_inputs(team: Path) -> None:
    inputs = example_inputs(load_example(team / "examples" / "syntax-line"))
    assert inputs.frontend is not None and inputs.frontend.reference == "docker/dockerfile:1"
    assert inputs.parts["stand-in/docker/dockerfile:1"] == "builtin"


# --------------------------------------------------------------------------- with the engine


@pytest.mark.docker
def test_the_team_handbook_verifies_offline_and_a_strict_quiet_build_fails_on_a_broken_example(team: Path) -> None:
    completed = _run(team, "dockerfile-docs", "verify", "--report", "json", "report.json")
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert "SKIP private-base" in output
    assert "PASS api [stage 1]" in output and "PASS syntax-line [stage 1]" in output
    import re

    progress = dict(re.findall(r"^\[\d+/\d+\] (\S+ \[[^\]]+\]) passed \((\d+\.\d) s\)$", completed.stderr, re.MULTILINE))
    summary = dict(re.findall(r"^PASS (\S+ \[[^\]]+\]) \((\d+\.\d) s,", completed.stdout, re.MULTILINE))
    assert progress and progress == summary  # one time per target
    report = json.loads((team / "report.json").read_text())
    by_name = {result["example"]: result for result in report["results"]}
    assert set(by_name) == {"api", "syntax-line"}
    frontends = [s for s in by_name["syntax-line"]["stand_ins"] if s["local"] == "builtin"]
    assert [s["reference"] for s in frontends] == ["docker/dockerfile:1"]

    built = _run(team, "mkdocs", "build", "--strict", "-q")
    assert built.returncode == 0, built.stderr
    page = (team / "site" / "index.html").read_text()
    assert "built-in Dockerfile frontend in place of docker/dockerfile:1" in page
    assert "Not built by the handbook" in page

    (team / "services" / "api" / "Dockerfile").write_text("FROM busybox:1.36\nNOT_AN_INSTRUCTION\n")
    broken = _run(team, "mkdocs", "build", "--strict", "-q")
    assert broken.returncode != 0
    assert "index.md: example 'api'" in broken.stderr and "Dockerfile:2" in broken.stderr, broken.stderr


@pytest.mark.docker
def test_offline_a_syntax_line_without_a_stand_in_names_the_fix(team: Path) -> None:
    (team / "examples" / "stand-ins.yml").write_text("busybox:1.36: dockerfile-docs/busybox:local\n")
    completed = _run(team, "dockerfile-docs", "verify", "syntax-line")
    assert completed.returncode == 1
    assert "add 'docker/dockerfile:1: builtin' to stand-ins.yml" in completed.stdout, completed.stdout


# --------------------------------------------------------------------------- making a stand-in

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "guide" / "verification.md"


def _recipe() -> str:
    """The shell block the verification guide marks as the stand-in recipe."""
    text = GUIDE.read_text(encoding="utf-8")
    after = text.split("<!-- stand-in-recipe -->", 1)[1]
    return after.split("```bash\n", 1)[1].split("\n```\n", 1)[0]


def test_the_guide_has_a_stand_in_recipe_that_registers_its_image() -> None:
    recipe = _recipe()
    assert "debootstrap" in recipe and "docker import" in recipe
    assert "examples/stand-ins.yml" in recipe


@pytest.mark.docker
def test_following_the_stand_in_recipe_gives_an_image_an_example_verifies_with(team: Path) -> None:
    if shutil.which("debootstrap") is None:
        pytest.fail("debootstrap is not installed (.ci/make-base-images installs it)")
    script = team / "recipe.sh"
    script.write_text(_recipe())
    made = subprocess.run(["bash", "-euo", "pipefail", str(script)], cwd=team, capture_output=True, text=True, timeout=900)
    try:
        assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
        assert "python:3.11-slim: team/python:3.11-slim" in (team / "examples" / "stand-ins.yml").read_text()
        folder = _write_example(team, "python-app", "title: A Python app\ntargets:\n  - expect:\n      run:\n        output: {contains: \"Python 3.11\"}\n")
        (folder / "Dockerfile").write_text("FROM python:3.11-slim\nWORKDIR /app\nCMD [\"python\", \"--version\"]\n")
        verified = _run(team, "dockerfile-docs", "verify", "python-app")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "PASS python-app" in verified.stdout
    finally:
        subprocess.run(["docker", "rmi", "-f", "team/python:3.11-slim", "team/debian:bookworm"], capture_output=True, check=False)
        shutil.rmtree(team / "rootfs", ignore_errors=True)


# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_finds_the_dockerfiles_matching_its_globs_and_skips_dependency_folders(team: Path) -> None:
    from dockerfile_docs.catalog import find_dockerfiles

    vendored = team / "services" / "web" / "node_modules" / "left-pad"
    vendored.mkdir(parents=True)
    (vendored / "Dockerfile").write_text("FROM scratch\n")
    assert [page.dockerfile for page in find_dockerfiles(team, ["services/**/Dockerfile", "services/api/Dockerfile"])] == [
        "services/api/Dockerfile",
        "services/worker/Dockerfile",
    ]


def test_the_catalogue_gives_every_dockerfile_a_page_in_the_navigation(team: Path) -> None:
    completed = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-q"], cwd=team, capture_output=True, text=True, timeout=300,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DOCKERFILE_DOCS_")}, "DOCKERFILE_DOCS_VERIFY": "off", "NO_MKDOCS_2_WARNING": "1"},
    )
    assert completed.returncode == 0, completed.stderr
    site = team / "site" / "dockerfiles"
    worker = (site / "services" / "worker" / "Dockerfile" / "index.html").read_text()
    api = (site / "services" / "api" / "Dockerfile" / "index.html").read_text()
    assert "<title>services/worker/Dockerfile" in worker
    assert "<svg" in worker and "dd-listing" in worker and "BUSYBOX_TAG" in worker  # from the file where it lives
    assert "The API image, documented where it lives" in api and "embed/api/" in api  # documented by an example: shown as that example
    home = (team / "site" / "index.html").read_text()
    assert 'href="dockerfiles/services/worker/Dockerfile/"' in home and 'href="dockerfiles/"' in home


def test_the_catalogue_pages_are_written_for_generators_without_plugins_and_render_with_the_extension(team: Path, tmp_path: Path) -> None:
    import markdown

    out = tmp_path / "docs" / "dockerfiles"
    first = _run(team, "dockerfile-docs", "catalog", "services/**/Dockerfile", "--write-pages", str(out))
    assert first.returncode == 0, first.stderr
    assert "2 Dockerfiles: 3 pages written, 0 unchanged" in first.stdout
    again = _run(team, "dockerfile-docs", "catalog", "services/**/Dockerfile", "--write-pages", str(out))
    assert "0 pages written, 3 unchanged" in again.stdout
    page = (out / "services" / "worker" / "Dockerfile.md").read_text()
    body = page.split("---\n", 2)[2]
    html = markdown.markdown(body, extensions=["pymdownx.superfences", "dockerfile_docs"],
                             extension_configs={"dockerfile_docs": {"examples_dir": str(team / "examples"), "verification": "off"}})
    assert "<svg" in html and "services/worker/Dockerfile" in html


def test_the_catalogue_never_replaces_a_page_it_did_not_write(team: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    (out / "index.md").write_text("# Our own index\n")
    completed = _run(team, "dockerfile-docs", "catalog", "services/**/Dockerfile", "--write-pages", str(out))
    assert completed.returncode == 1
    assert "were not written by dockerfile-docs catalog" in completed.stderr
    assert (out / "index.md").read_text() == "# Our own index\n"


def test_serve_watches_the_dockerfiles_and_contexts_that_live_outside_the_examples(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    monkeypatch.setenv("DOCKERFILE_DOCS_VERIFY", "off")
    monkeypatch.chdir(team)
    config = load_config(str(team / "mkdocs.yml"), site_dir=str(team / "site"))
    build(config)
    plugin = config.plugins["dockerfile-docs"]

    class Server:
        def __init__(self) -> None:
            self.watched: list[str] = []

        def watch(self, path: str, func: object = None, *, recursive: bool = True) -> None:
            self.watched.append(path)

    server = Server()
    plugin.on_serve(server, config=config, builder=lambda: None)
    assert str((team / "services" / "api").resolve()) in server.watched  # the context of examples/api
    assert str(team / "services" / "worker" / "Dockerfile") in server.watched  # a catalogue entry
