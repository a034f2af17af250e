"""BuildKit's ``# check=`` directive: which build checks run, and whether a warning fails the build.

The directive is read as BuildKit's ``linter.ParseLintOptions`` reads it, up
to three ``;``-separated options:

* ``skip=Name,Other`` (or ``skip=all``) turns those checks off; it never
  touches an experimental check;
* ``experimental=Name,Other`` (or ``experimental=all``) turns experimental
  checks on; they are off otherwise;
* ``error=true`` makes any warning that is left fail the build with *lint
  violation found for rules: ...*, after the whole target was converted
  (cases ``check-error-true-fails-on-a-warning``,
  ``check-experimental-check-fails-when-enabled``).

Check names are matched exactly, as BuildKit does: ``skip=fromascasing``
skips nothing. An option BuildKit cannot read fails the build with *failed
to parse check options*.

A ``BUILDKIT_DOCKERFILE_CHECK`` build arg, where one is passed, is read
instead of the directive, whole: the directive is then not read at all,
and an empty value runs the default checks (BuildKit's ``dockerui`` reads it
into the client's ``LinterConfig``, which ``newRuleLinter`` prefers; cases
``check-build-arg-*``). An option it cannot read fails the build with
*failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK*, whatever the file.
"""

from __future__ import annotations

from ..model import Dockerfile
from ..records import record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only; typing stays out of the command line's start-up
    from collections.abc import Mapping

DISPATCH_CHECKS = frozenset({
    "CopyIgnoredFile", "ExposeInvalidFormat", "ExposeProtoCasing", "InvalidBaseImagePlatform", "JSONArgsRecommended",
    "LegacyKeyValueFormat", "MultipleInstructionsDisallowed", "SecretsUsedInArgOrEnv", "UndefinedVar",
    "WorkdirRelativePath",
})
"""The checks BuildKit runs while it converts a stage, so only in the stages the target needs.

The others (casing, stage names, FROM arguments, empty continuations,
descriptions) run on the parsed file, in every stage. Seen with
``--call=check`` on the handbook's examples: a shell-form CMD in a stage the
target skips gets no ``JSONArgsRecommended``.
"""

CHECK_BUILD_ARG = "BUILDKIT_DOCKERFILE_CHECK"
"""The build arg that configures the build checks in place of the ``# check=`` directive."""

_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
"""The spellings Go's ``strconv.ParseBool`` accepts."""


@record(frozen=True)
class CheckConfig:
    """What a ``# check=`` directive asks of BuildKit's build checks."""

    skip_all: bool = False
    skip: frozenset[str] = frozenset()
    experimental_all: bool = False
    experimental: frozenset[str] = frozenset()
    error: bool = False
    problem: str | None = None
    """BuildKit's message for a directive it cannot read; the build fails with it."""
    from_build_arg: bool = False
    """Read from the ``BUILDKIT_DOCKERFILE_CHECK`` build arg, not from the file's directive."""

    def can_fail_the_build(self) -> bool:
        """Whether a build check can be the build's failure: with ``error=true``, or a directive BuildKit cannot read."""
        return self.error or self.problem is not None

    def runs(self, check: str, experimental: bool) -> bool:
        """Whether BuildKit runs the build check named ``check`` under this directive."""
        if experimental:
            return self.experimental_all or check in self.experimental
        return not (self.skip_all or check in self.skip)


def _names(value: str) -> frozenset[str]:
    return frozenset(part.strip() for part in value.split(","))


def parse_check_directive(value: str | None) -> CheckConfig:
    """The :class:`CheckConfig` of a directive's value (``None``: no directive)."""
    return _parse_check_options(value, "failed to parse check options", from_build_arg=False)


def parse_check_build_arg(value: str) -> CheckConfig:
    """The :class:`CheckConfig` of a ``BUILDKIT_DOCKERFILE_CHECK`` build arg's value (empty: the default checks)."""
    return _parse_check_options(value, f"failed to parse build-arg:{CHECK_BUILD_ARG}", from_build_arg=True)


def _parse_check_options(value: str | None, failure: str, *, from_build_arg: bool) -> CheckConfig:
    """BuildKit's ``linter.ParseLintOptions``; ``failure`` is what BuildKit puts before the message of an option it cannot read."""
    text = (value or "").strip()
    if not text:
        return CheckConfig(from_build_arg=from_build_arg)
    skip_all = experimental_all = error = False
    skip: frozenset[str] = frozenset()
    experimental: frozenset[str] = frozenset()
    for part in text.split(";", 2):
        key, sep, option = part.partition("=")
        if not sep:
            return CheckConfig(problem=f'{failure}: invalid check option "{part}"', from_build_arg=from_build_arg)
        key = key.strip()
        option = option.strip()
        if key == "skip":
            skip_all = option == "all"
            skip = frozenset() if skip_all else _names(option)
        elif key == "experimental":
            experimental_all = option == "all"
            experimental = frozenset() if experimental_all else _names(option)
        elif key == "error":
            if option not in _TRUE | _FALSE:
                return CheckConfig(problem=f'{failure}: failed to parse check option "{part}"', from_build_arg=from_build_arg)
            error = option in _TRUE
        else:
            return CheckConfig(problem=f'{failure}: invalid check option "{key}"', from_build_arg=from_build_arg)
    return CheckConfig(skip_all, skip, experimental_all, experimental, error, from_build_arg=from_build_arg)


def check_config(dockerfile: Dockerfile, build_args: Mapping[str, str] | None = None) -> CheckConfig:
    """The check configuration of a build of ``dockerfile`` with ``build_args``: the build arg's, else the directive's."""
    if build_args and CHECK_BUILD_ARG in build_args:
        return parse_check_build_arg(build_args[CHECK_BUILD_ARG])
    return parse_check_directive(dockerfile.directive("check"))
