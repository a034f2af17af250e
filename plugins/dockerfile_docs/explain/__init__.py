"""Explanation rules: what a Dockerfile means, line by line, in plain words.

Each rule is one module, ``explain/rules/<group>/<CODE>.py``, holding one
class with a ``code`` (``DD101``), a ``name`` (``global-arg-not-redeclared``),
``groups``, a ``severity`` and, where BuildKit has a build check with the
same meaning, its name in ``buildkit`` (``UndefinedVar``). The groups are:

* ``args``: how ARG values reach FROM lines and stages;
* ``stages``: what each stage is for, which ones a build needs, ``--from`` sources;
* ``runtime``: what the final image runs, and what a ``scratch`` image lacks;
* ``buildkit``: BuildKit's own static build checks, under their BuildKit names;
* ``images``: how base images are named and pinned.

Severities: ``error`` where BuildKit fails or the image surely fails at run
time; ``warning`` for a likely mistake; ``info`` for something worth knowing;
``explain`` for a note on what a line does.

Silencing
---------

A finding can be silenced where it is not wanted:

* for one instruction, with a comment on the line (or lines) directly above it::

      # dockerfile-docs: ignore=DD101,UndefinedVar
      RUN echo "$VERSION"

* for the whole file, with a comment anywhere in it::

      # dockerfile-docs: ignore-file=DD101

* BuildKit's own ``check`` parser directive also silences the rules that
  carry one of the BuildKit check names it skips (``skip=all`` silences every
  BuildKit-mapped rule); experimental BuildKit checks are reported only
  where it turns them on::

      # check=skip=JSONArgsRecommended,StageNameCasing;experimental=CopyIgnoredFile

With ``# check=error=true`` a BuildKit warning that is left fails the build,
as it does in BuildKit: the analysis gets a build error (*lint violation
found for rules: ...*) at the first such warning, reported by DD001.

A rule is named by its code, its name, or its BuildKit check name, in any case.
"""

from __future__ import annotations

from ..model import SEVERITY_ORDER, Analysis, BuildError, Finding
from ..records import replace
from .checks import CHECK_BUILD_ARG, DISPATCH_CHECKS
from .registry import all_rules
from .silencing import Silences, read_silences


def run_rules(analysis: Analysis) -> list[Finding]:
    """Every rule's findings on ``analysis``, silenced ones left out, sorted by line.

    Where the ``check`` directive fails the build (``error=true`` with a
    BuildKit warning left, or an option BuildKit cannot read), the build
    error is added to ``analysis.build_errors`` first, so DD001 reports it.
    """
    silences = read_silences(analysis.dockerfile, analysis.options.build_args)
    findings = _findings(analysis, silences)
    failure = _check_failure(analysis, silences, findings)
    if failure is not None:
        analysis.build_errors = sorted([*analysis.build_errors, failure], key=lambda e: e.line)
        findings = _findings(analysis, silences)
    return findings


def _check_failure(analysis: Analysis, silences: Silences, findings: list[Finding]) -> BuildError | None:
    checks = silences.checks
    if not checks.can_fail_the_build():
        return None
    if checks.from_build_arg:
        line_of_config = analysis.dockerfile.instructions[0].start_line
        cause = f"the build arg `{CHECK_BUILD_ARG}={analysis.options.build_args[CHECK_BUILD_ARG]}`"
    else:
        line_of_config = next((d.line for d in analysis.dockerfile.directives if d.name == "check"), 1)
        cause = f"`# check=error=true` on line {line_of_config}"
    if checks.problem is not None:
        return BuildError(line_of_config, checks.problem, analysis.target)
    violations = [f for f in findings if f.buildkit]
    if not violations:
        return None
    names = sorted({f.buildkit for f in violations if f.buildkit})
    line = min(f.line for f in violations)
    message = f"lint violation found for rules: {', '.join(names)} ({cause} makes BuildKit's warnings errors)"
    return BuildError(line, message, analysis.target)


def _as_buildkit_sees(analysis: Analysis, finding: Finding) -> Finding:
    """A finding keeps BuildKit's check name only where BuildKit runs that check (see ``DISPATCH_CHECKS``)."""
    if finding.buildkit in DISPATCH_CHECKS:
        stage = analysis.stage_of_line(finding.line)
        if stage is not None and not stage.needed:
            return replace(finding, buildkit=None)
    return finding


def _findings(analysis: Analysis, silences: Silences) -> list[Finding]:
    findings: list[Finding] = []
    fallbacks: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for rule_class in all_rules():
        for finding in rule_class().check(analysis):
            key = (finding.rule, finding.line, finding.message)
            if key in seen or silences.silences(finding):
                continue
            seen.add(key)
            finding = _as_buildkit_sees(analysis, finding)
            (fallbacks if rule_class.fallback else findings).append(finding)
    error_lines = {f.line for f in findings if f.severity == "error"}
    findings += [f for f in fallbacks if f.line not in error_lines]
    findings.sort(key=lambda f: (f.line, SEVERITY_ORDER[f.severity], f.rule))
    return findings
