"""Variable expansion matches BuildKit's lexer, case by case (tests/expansion/cases.yml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dockerfile_docs.analyze import analyze
from dockerfile_docs.parse import parse_dockerfile

from .buildkit import build

TABLE = yaml.safe_load((Path(__file__).parent / "expansion" / "cases.yml").read_text())
CASES = TABLE["cases"]


def dockerfile_for(word: str) -> str:
    lines = ["FROM busybox:1.36"]
    lines += [f'ENV {name}="{value}"' for name, value in TABLE["env"].items()]
    lines += [f"ENV R={word}", "RUN printf 'R=[%s]\\n' \"$R\""]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", sorted(CASES))
def test_analyzer_expands_like_buildkit(name: str) -> None:
    case = CASES[name]
    parsed = parse_dockerfile(dockerfile_for(case["word"]))
    analysis = analyze(parsed)
    if case["expected"] is None:
        assert [error.line for error in analysis.build_errors] == [len(TABLE["env"]) + 2]
    else:
        assert analysis.build_errors == []
        assert analysis.stages[0].set_vars()["R"] == case["expected"]


@pytest.mark.docker
@pytest.mark.parametrize("name", sorted(CASES))
def test_recorded_expansion_is_what_buildkit_gives(name: str) -> None:
    case = CASES[name]
    result = build(dockerfile_for(case["word"]))
    printed = re.search(r"R=\[(.*)\]\n", result.stderr)
    observed = printed.group(1) if result.returncode == 0 and printed else None
    assert observed == case["expected"], result.stderr[-2000:]
