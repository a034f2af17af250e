"""The handbook itself: it builds strictly, every example on it is verified, and its results are current."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dockerfile_docs.verify.example import discover_examples

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
CLI = [sys.executable, "-m", "dockerfile_docs.cli"]


def results_cache() -> Path:
    """Shared with ``.ci/run``, so the suite's verify run finds what CI already built."""
    return Path(os.environ.get("DOCKERFILE_DOCS_CACHE_DIR") or REPO / ".cache" / "dockerfile-docs")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("handbook-site")
    env = {**os.environ, "DOCKERFILE_DOCS_VERIFY": "cached", "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"), "-d", str(output)],
        capture_output=True, text=True, env=env, cwd=REPO,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return output


def test_there_are_at_least_twelve_examples_and_one_teaches_a_failure() -> None:
    examples = discover_examples(EXAMPLES)
    assert len(examples) >= 12
    assert any(target.expect.build == "failure" for example in examples for target in example.targets)


def test_every_example_is_shown_on_a_page_with_diagram_listing_and_a_verified_result(site: Path) -> None:
    pages = {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html") if "embed" not in path.parts}
    for example in discover_examples(EXAMPLES):
        showing = [text for text in pages.values() if f'data-dd-example="{example.name}"' in text or f"/embed/{example.name}/" in text]
        assert showing, f"no page shows example {example.name}"
        embed = (site / "embed" / example.name / "index.html").read_text(encoding="utf-8")
        assert "<svg" in embed and "dd-listing" in embed
        assert "<script" not in embed.lower()
    combined = "\n".join(pages.values())
    assert combined.count("dd-result-passed") >= len(discover_examples(EXAMPLES))
    assert "dd-result-unverified" not in combined and "Not verified yet" not in combined


def test_the_rules_reference_has_a_page_per_rule_reachable_from_the_navigation(site: Path) -> None:
    from dockerfile_docs.explain.registry import all_rules

    rules = all_rules()
    for rule in rules:
        page = site / "rules" / rule.code.lower() / "index.html"
        assert page.is_file(), f"no reference page for {rule.code}"
        assert rule.name in page.read_text(encoding="utf-8")
    page_without_rule_links = (site / "heredocs" / "index.html").read_text(encoding="utf-8")
    for rule in rules:
        assert f'href="../rules/{rule.code.lower()}/"' in page_without_rule_links, f"{rule.code} is not in the navigation"


def test_search_finds_every_example_by_its_words_and_never_by_its_drawing(site: Path) -> None:
    entries = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = "\n".join(entry["text"] for entry in entries)
    for legend in ("FROM: starts from the image or stage", "COPY --from: copies files out of it"):
        assert legend not in text, f"the diagram legend ({legend!r}) is in the search index: a block was indexed as drawn"
    assert "Markdown (diagram):" not in text, "the embed code of a block is in the search index"
    for example in discover_examples(EXAMPLES):
        first_from = next(line for line in example.dockerfile_path.read_text(encoding="utf-8").splitlines() if line.upper().startswith("FROM "))
        assert first_from in text.replace("&quot;", '"').replace("&amp;", "&"), f"{example.name}: its Dockerfile is not searchable"


def test_what_each_example_says_docker_run_starts_is_what_its_verified_image_holds(site: Path) -> None:
    """The ENTRYPOINT and CMD the analysis works out agree with the built image's config, with or without the measurement."""
    from dockerfile_docs.explain.facts import effective_command
    from dockerfile_docs.model import BuildOptions
    from dockerfile_docs.pipeline import analyze_text
    from dockerfile_docs.records import replace
    from dockerfile_docs.verify.results import COMMITTED_NAME, ExampleResult

    compared = 0
    for example in discover_examples(EXAMPLES):
        result = ExampleResult.from_json(json.loads((example.directory / COMMITTED_NAME).read_text(encoding="utf-8")))
        text = example.dockerfile_path.read_text(encoding="utf-8")
        for entry in result.targets:
            final = entry.final_stage
            if final is None or final.command is None:
                continue
            measured = (final.command.entrypoint or ()) + (final.command.cmd or ())
            plain = BuildOptions(build_args=entry.build_args, target=entry.requested, platform=example.platform)
            for options in (plain, replace(plain, built_command=final.command)):
                analysis = analyze_text(text, str(example.dockerfile_path), options)
                argv = effective_command(analysis, analysis.target_stage).argv
                if argv is not None:
                    assert argv == measured, f"{example.name} [{entry.name}]: explained {argv}, the image holds {measured}"
                    compared += 1
    assert compared >= 30
    pages = [path.read_text(encoding="utf-8") for path in site.rglob("*.html")]
    assert not [page for page in pages if "if it has one" in page or "followed by the CMD of the base image" in page]


def test_committed_results_match_their_examples() -> None:
    completed = subprocess.run(CLI + ["verify", "--examples-dir", str(EXAMPLES), "--check-committed"], capture_output=True, text=True, cwd=REPO)
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.docker
def test_every_example_builds_and_keeps_its_promises(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    completed = subprocess.run(
        CLI + ["verify", "--examples-dir", str(EXAMPLES), "--cache-dir", str(results_cache()), "--report", "json", str(report)],
        capture_output=True, text=True, cwd=REPO, timeout=3600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    data = json.loads(report.read_text())
    assert data, "the report lists no example"
    again = subprocess.run(
        CLI + ["verify", "--examples-dir", str(EXAMPLES), "--cache-dir", str(results_cache())],
        capture_output=True, text=True, cwd=REPO, timeout=600,
    )
    assert again.returncode == 0
    assert re.search(r"\b0 builds?\b", again.stdout + again.stderr), again.stdout + again.stderr
