"""The rules reference: every rule documents itself fully, and its examples show what it says."""

from __future__ import annotations

import pytest
from dockerfile_docs.cli import main
from dockerfile_docs.explain.reference import (
    parse_rule_doc,
    rule_pages,
    rules_index_markdown,
)
from dockerfile_docs.explain.registry import all_rules, find_rule
from dockerfile_docs.pipeline import analyze_text

RULES = all_rules()
IDS = [rule.code for rule in RULES]
CHECKS = [rule for rule in RULES if rule.severity in ("error", "warning")]
"""Rules that flag a mistake: their best-practice example must be free of it (info and explain rules describe)."""


def test_codes_and_names_are_unique():
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_every_rule_documents_meaning_reason_and_both_examples(rule):
    doc = parse_rule_doc(rule)
    assert doc.summary and doc.meaning and doc.why
    assert "FROM" in doc.anti_pattern and "FROM" in doc.best_practice
    assert doc.anti_pattern != doc.best_practice


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_anti_pattern_example_triggers_the_rule(rule):
    doc = parse_rule_doc(rule)
    analysis = analyze_text(doc.anti_pattern, f"{rule.code}-anti-pattern", rule.example_options())
    assert rule.code in {f.rule for f in analysis.findings}, [f.message for f in analysis.findings]


@pytest.mark.parametrize("rule", CHECKS, ids=[r.code for r in CHECKS])
def test_best_practice_example_does_not_trigger_the_rule(rule):
    doc = parse_rule_doc(rule)
    analysis = analyze_text(doc.best_practice, f"{rule.code}-best-practice", rule.example_options())
    assert rule.code not in {f.rule for f in analysis.findings}, [f.message for f in analysis.findings if f.rule == rule.code]


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_best_practice_examples_are_clean_of_errors(rule):
    doc = parse_rule_doc(rule)
    analysis = analyze_text(doc.best_practice, f"{rule.code}-best-practice", rule.example_options())
    assert [f for f in analysis.findings if f.severity == "error"] == []


def test_pages_carry_the_rule_identity_and_fenced_examples():
    pages = rule_pages()
    assert [p.code for p in pages] == IDS
    for page, rule in zip(pages, RULES):
        assert page.slug == rule.code.lower()
        assert page.markdown.startswith(f"# {rule.code} {rule.name}\n")
        assert page.markdown.count("```dockerfile\n") == 2
        assert page.group == rule.groups[0]
        if rule.buildkit:
            assert f"`{rule.buildkit}`" in page.markdown


def test_index_lists_every_rule_with_a_link_to_its_page():
    index = rules_index_markdown("rules/")
    for rule in RULES:
        assert f"[{rule.code}](rules/{rule.code.lower()}/)" in index


@pytest.mark.parametrize("identifier,code", [("DD101", "DD101"), ("dd101", "DD101"), ("global-arg-not-redeclared", "DD101"),
                                             ("UndefinedVar", "DD409"), ("undefinedvar", "DD409"), ("latest-tag", "DD501")])
def test_rules_are_found_by_code_name_alias_or_buildkit_check(identifier, code):
    assert find_rule(identifier).code == code


def test_rules_command_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert all(code in out for code in IDS)


def test_rules_command_prints_one_page(capsys):
    assert main(["rules", "StageNameCasing"]) == 0
    assert capsys.readouterr().out.startswith("# DD401 stage-name-casing")


def test_rules_command_names_an_unknown_rule_without_a_traceback(capsys):
    assert main(["rules", "stage-name-casng"]) == 1
    err = capsys.readouterr().err
    assert "stage-name-casng" in err and "did you mean stage-name-casing" in err


def test_written_pages_are_the_index_and_a_page_per_rule_linked_as_files(tmp_path, capsys):
    folder = tmp_path / "docs" / "rules"
    assert main(["rules", "--write-pages", str(folder)]) == 0
    assert f"the rules index and {len(RULES)} rule pages, {len(RULES) + 1} written" in capsys.readouterr().out
    written = sorted(path.name for path in folder.iterdir())
    assert written == sorted(["index.md"] + [f"{rule.code.lower()}.md" for rule in RULES])
    index = (folder / "index.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"[{rule.code}]({rule.code.lower()}.md)" in index
        page = (folder / f"{rule.code.lower()}.md").read_text(encoding="utf-8")
        assert page.splitlines()[1] == f"# {rule.code} {rule.name}", "the title follows the generated-file mark"


def test_writing_the_pages_again_changes_nothing(tmp_path, capsys):
    folder = tmp_path / "rules"
    assert main(["rules", "--write-pages", str(folder)]) == 0
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    capsys.readouterr()
    assert main(["rules", "--write-pages", str(folder)]) == 0
    assert f"0 written, {len(RULES) + 1} unchanged" in capsys.readouterr().out
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before


def test_writing_the_pages_never_replaces_a_file_it_did_not_write(tmp_path, capsys):
    folder = tmp_path / "rules"
    folder.mkdir()
    own = folder / "dd101.md"
    own.write_text("# Our notes on DD101\n", encoding="utf-8")
    assert main(["rules", "--write-pages", str(folder)]) == 1
    assert "dd101.md" in capsys.readouterr().err
    assert own.read_text(encoding="utf-8") == "# Our notes on DD101\n"
    assert sorted(path.name for path in folder.iterdir()) == ["dd101.md"], "nothing is written when one file is refused"


def test_written_pages_build_a_strict_mkdocs_site_without_the_plugin(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Handbook\n\nSee the [rules](rules/index.md).\n", encoding="utf-8")
    assert main(["rules", "--write-pages", str(tmp_path / "docs" / "rules")]) == 0
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nstrict: true\nplugins: []\n", encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    built = subprocess.run([str(mkdocs), "build", "-q"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "rules" / "dd101" / "index.html").is_file()
    assert 'href="dd101/"' in (tmp_path / "site" / "rules" / "index.html").read_text(encoding="utf-8")
