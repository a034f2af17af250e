"""Parse, analyze and explain in one call: what every adapter (plugin, extension, CLI) uses."""

from __future__ import annotations

from .analyze import analyze
from .model import Analysis, BuildOptions
from .parse import parse_dockerfile, read_dockerfile


def _explained(analysis: Analysis) -> Analysis:
    from .explain import run_rules

    analysis.findings = run_rules(analysis)
    return analysis


def analyze_text(text: str, path: str = "Dockerfile", options: BuildOptions | None = None) -> Analysis:
    """Analyze Dockerfile ``text`` (``path`` names it in errors) and fill its findings."""
    return _explained(analyze(parse_dockerfile(text, path), options))


def analyze_file(path: str, options: BuildOptions | None = None) -> Analysis:
    """Read, analyze and explain the Dockerfile at ``path``."""
    return _explained(analyze(read_dockerfile(path), options))
