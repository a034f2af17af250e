"""Explanation rules: one rule a module (placeholder until the rules engine lands)."""

from __future__ import annotations

from ..model import Analysis, Finding


def run_rules(analysis: Analysis) -> list[Finding]:
    return []
