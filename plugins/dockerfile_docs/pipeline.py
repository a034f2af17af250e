"""Parse, analyze and explain in one call: what every adapter (plugin, extension, CLI) uses."""

from __future__ import annotations

from .analyze import analyze
from .model import Analysis, BuildOptions
from .parse import parse_dockerfile, read_dockerfile


def _explained(analysis: Analysis) -> Analysis:
    from .explain import run_rules

    analysis.findings = run_rules(analysis)
    return analysis


def analyze_text(text: str, path: str = "Dockerfile", options: BuildOptions | None = None, *, explain: bool = True) -> Analysis:
    """Analyze Dockerfile ``text`` (``path`` names it in errors) and fill its findings.

    ``explain=False`` is for output that shows no findings (a drawing of the
    stages): the rules, most of what a small file costs, are left unloaded
    and the findings empty, unless the file's ``# check=`` directive (or the
    ``BUILDKIT_DOCKERFILE_CHECK`` build arg) can make a build check the
    build's failure, which the drawing shows.
    """
    analysis = analyze(parse_dockerfile(text, path), options)
    if not explain:
        from .explain.checks import check_config

        if not check_config(analysis.dockerfile, analysis.options.build_args).can_fail_the_build():
            return analysis
    return _explained(analysis)


def analyze_file(path: str, options: BuildOptions | None = None) -> Analysis:
    """Read, analyze and explain the Dockerfile at ``path``."""
    return _explained(analyze(read_dockerfile(path), options))
