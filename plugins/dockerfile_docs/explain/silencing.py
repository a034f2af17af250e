"""Which findings a Dockerfile asks to silence, read from its comments and its ``check`` directive.

* ``# dockerfile-docs: ignore=DD101,UndefinedVar`` on the comment lines
  directly above an instruction silences those rules for that instruction;
* ``# dockerfile-docs: ignore-file=DD101`` anywhere silences them in the file;
* BuildKit's ``# check=`` directive (or the ``BUILDKIT_DOCKERFILE_CHECK``
  build arg, which replaces it) decides, as in BuildKit, which findings
  carrying a BuildKit check name are made: ``skip=`` turns checks off,
  experimental checks are off unless ``experimental=`` names them (see
  :mod:`.checks`; there, names are matched exactly, as BuildKit does).

In the comments, rules are named by code, name, alias or BuildKit check name, in any case.
"""

from __future__ import annotations

from ..model import Dockerfile, Finding
from ..records import field, record
from .checks import CheckConfig, check_config
from .registry import find_rule

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only; typing stays out of the command line's start-up
    from collections.abc import Mapping

MARKER = "dockerfile-docs:"


@record
class Silences:
    """The silencing requests of one Dockerfile, by instruction line range and file-wide."""

    file_wide: set[str] = field(default_factory=set)
    by_instruction: list[tuple[int, int, set[str]]] = field(default_factory=list)
    checks: CheckConfig = field(default_factory=CheckConfig)

    def silences(self, finding: Finding) -> bool:
        if finding.buildkit:
            rule = find_rule(finding.rule)
            experimental = rule is not None and rule.buildkit_experimental
            if not self.checks.runs(finding.buildkit, experimental):
                return True
        names = _names_of(finding)
        if names & self.file_wide:
            return True
        return any(start <= finding.line <= end and names & wanted for start, end, wanted in self.by_instruction)


def _names_of(finding: Finding) -> set[str]:
    rule = find_rule(finding.rule)
    names = rule.identifiers() if rule is not None else {finding.rule.lower(), finding.name.lower()}
    if finding.buildkit:
        names.add(finding.buildkit.lower())
    return names


def _split_names(value: str) -> set[str]:
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def parse_request(comment_text: str) -> tuple[str, set[str]] | None:
    """``("ignore", {...})`` or ``("ignore-file", {...})`` from a comment's text, else ``None``."""
    text = comment_text.strip()
    if not text.lower().startswith(MARKER):
        return None
    body = text[len(MARKER):].strip()
    key, sep, value = body.partition("=")
    key = key.strip().lower()
    if not sep or key not in ("ignore", "ignore-file"):
        return None
    return key, _split_names(value)


def read_silences(dockerfile: Dockerfile, build_args: Mapping[str, str] | None = None) -> Silences:
    """The file's silencing comments, and the check configuration of a build with ``build_args``."""
    silences = Silences(checks=check_config(dockerfile, build_args))
    comment_lines = {c.line: c for c in dockerfile.comments}
    for comment in dockerfile.comments:
        request = parse_request(comment.text)
        if request and request[0] == "ignore-file":
            silences.file_wide |= request[1]
    for instruction in dockerfile.instructions:
        wanted: set[str] = set()
        line = instruction.start_line - 1
        while line in comment_lines:
            request = parse_request(comment_lines[line].text)
            if request and request[0] == "ignore":
                wanted |= request[1]
            line -= 1
        if wanted:
            silences.by_instruction.append((instruction.start_line, instruction.end_line, wanted))
    return silences
