"""Each rule on small Dockerfiles: ``tests/rules/<CODE>/*.Dockerfile`` with the findings in ``expected.yml``.

For every Dockerfile the findings *of that folder's rule* must be exactly
the listed ones (same lines, in order), each message containing the listed
fragments; ``findings: []`` means the rule must stay silent there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dockerfile_docs.analyze import analyze
from dockerfile_docs.explain import run_rules
from dockerfile_docs.explain.registry import all_rules
from dockerfile_docs.model import BuildOptions, ImageFacts
from dockerfile_docs.parse import parse_dockerfile
from dockerfile_docs.pipeline import analyze_text
from dockerfile_docs.verify.results import image_command

CASES_DIR = Path(__file__).resolve().parent / "rules"
CASE_KEYS = {"build_args", "target", "platform", "dockerignore", "images", "built_command", "findings"}


def _cases() -> list[pytest.param]:
    params = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if p.is_dir()):
        expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
        listed = set(expected)
        present = {p.name for p in folder.glob("*.Dockerfile")}
        assert listed == present, f"{folder}/expected.yml lists {sorted(listed ^ present)} differently from the folder"
        for name, entry in expected.items():
            assert set(entry) <= CASE_KEYS, f"{folder.name}/{name}: unknown keys {sorted(set(entry) - CASE_KEYS)}"
            params.append(pytest.param(folder.name, folder / name, entry, id=f"{folder.name}/{name}"))
    return params


CASES = _cases()


def _options(entry: dict) -> BuildOptions:
    """The build options a case names: build args, target, platform, the context's ignore file, known images, a measured image."""
    built = entry.get("built_command")
    return BuildOptions(
        build_args={k: str(v) for k, v in (entry.get("build_args") or {}).items()},
        target=entry.get("target"),
        platform=entry.get("platform"),
        ignore_patterns=tuple(entry["dockerignore"]) if "dockerignore" in entry else None,
        images={ref: ImageFacts(env=facts.get("env") or {}, platform=facts.get("platform")) for ref, facts in (entry.get("images") or {}).items()},
        built_command=None if built is None else image_command(built["entrypoint"], built["cmd"]),
    )


@pytest.mark.parametrize("code,dockerfile,entry", CASES)
def test_rule_finds_exactly_the_expected_lines_and_says_the_specific_thing(code, dockerfile, entry):
    analysis = analyze_text(dockerfile.read_text(encoding="utf-8"), dockerfile.name, _options(entry))
    found = [f for f in analysis.findings if f.rule == code]
    expected = entry["findings"]
    assert [f.line for f in found] == [e["line"] for e in expected], [(f.line, f.message) for f in found]
    for finding, wanted in zip(found, expected):
        for fragment in wanted["message"]:
            assert fragment in finding.message, f"{fragment!r} not in {finding.message!r}"


def test_every_rule_has_a_case_folder_with_a_positive_and_a_negative_case():
    covered = {param.values[0] for param in CASES}
    missing = {rule.code for rule in all_rules()} - covered
    assert missing == set(), f"rules without tests/rules/<CODE>/ cases: {sorted(missing)}"
    for code in covered:
        entries = [param.values[2] for param in CASES if param.values[0] == code]
        assert any(e["findings"] for e in entries), f"{code}: no case where the rule speaks"
        assert any(not e["findings"] for e in entries) or code in {"DD106"}, f"{code}: no case where it stays silent"


def test_findings_are_sorted_by_line_and_carry_their_rule_identity():
    text = (CASES_DIR / "DD101" / "global-in-run.Dockerfile").read_text(encoding="utf-8") + "FROM busybox\nMAINTAINER me\n"
    findings = analyze_text(text).findings
    assert [f.line for f in findings] == sorted(f.line for f in findings)
    by_code = {rule.code: rule for rule in all_rules()}
    for finding in findings:
        rule = by_code[finding.rule]
        assert (finding.name, finding.severity) == (rule.name, rule.severity)
        assert finding.buildkit in (rule.buildkit, None)


def test_duplicate_stage_name_says_which_stage_the_name_now_means():
    # BuildKit builds duplicate names, the later stage winning (corpus case duplicate-stage-names).
    dockerfile = parse_dockerfile("FROM busybox:1.36 AS build\nRUN echo one\nFROM busybox:1.36 AS Build\nRUN echo two\n")
    analysis = analyze(dockerfile, BuildOptions())
    findings = [f for f in run_rules(analysis) if f.rule == "DD403"]
    assert [f.line for f in findings] == [3]
    assert "`Build` is already used by the stage on line 1" in findings[0].message
    assert "`--from=0`" in findings[0].message
    assert findings[0].buildkit == "DuplicateStageName"


def test_a_build_failure_is_explained_once_on_its_line() -> None:
    """A COPY --from a later stage in the target: DD205 says why and how to fix it, as the error; DD001 adds nothing."""
    text = "FROM scratch AS runtime\nCOPY --from=build /artifact /artifact\n\nFROM busybox:1.36 AS build\nRUN echo built > /artifact\n"
    analysis = analyze_text(text, "Dockerfile", BuildOptions(target="runtime"))
    on_the_line = [(f.rule, f.severity) for f in analysis.findings if f.line == 2]
    assert on_the_line == [("DD205", "error")]
    skipped = analyze_text(text + "FROM busybox:1.36\n", "Dockerfile")
    assert [(f.rule, f.severity) for f in skipped.findings if f.line == 2] == [("DD205", "warning")]


def test_commands_are_quoted_the_way_a_reader_would_type_them() -> None:
    """Each word comes back whole from a real POSIX shell, and a single quote turns into ``'"'"'`` only beside a ``!``."""
    import subprocess

    from dockerfile_docs.explain.facts import shell_join

    both_quotes = "cat /report.txt; echo \"run: MODE='$MODE'\""
    for argv, shown in [
        (["sh", "-c", "echo 'hi'"], "sh -c \"echo 'hi'\""),
        (["echo", "a b"], "echo 'a b'"),
        (["sh", "-c", both_quotes], "sh -c \"cat /report.txt; echo \\\"run: MODE='\\$MODE'\\\"\""),
        (["x", "it's $HOME", "back\\slash's `tick`"], "x \"it's \\$HOME\" \"back\\\\slash's \\`tick\\`\""),
        (["x", "wow!'"], None),
    ]:
        joined = shell_join(argv)
        words = subprocess.run(["sh", "-c", f"printf '%s\\0' {joined}"], capture_output=True, text=True, check=True).stdout
        assert words.split("\0")[:-1] == argv
        if shown is not None:
            assert joined == shown
