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
  BuildKit-mapped rule)::

      # check=skip=JSONArgsRecommended,StageNameCasing

A rule is named by its code, its name, or its BuildKit check name, in any case.
"""

from __future__ import annotations

from ..model import SEVERITY_ORDER, Analysis, Finding
from .registry import all_rules
from .silencing import read_silences


def run_rules(analysis: Analysis) -> list[Finding]:
    """Every rule's findings on ``analysis``, silenced ones left out, sorted by line."""
    silences = read_silences(analysis.dockerfile)
    findings: list[Finding] = []
    fallbacks: list[Finding] = []
    seen: set[tuple[str, int, str]] = set()
    for rule_class in all_rules():
        for finding in rule_class().check(analysis):
            key = (finding.rule, finding.line, finding.message)
            if key in seen or silences.silences(finding):
                continue
            seen.add(key)
            (fallbacks if rule_class.fallback else findings).append(finding)
    error_lines = {f.line for f in findings if f.severity == "error"}
    findings += [f for f in fallbacks if f.line not in error_lines]
    findings.sort(key=lambda f: (f.line, SEVERITY_ORDER[f.severity], f.rule))
    return findings
