"""The base class of every explanation rule, and what a rule module must declare.

A rule is one class in its own module under ``explain/rules/<group>/<CODE>.py``.
Its class attributes identify it (``code``, ``name``, ``aliases``), place it
(``groups``: the first one is its folder), grade it (``severity``) and tie it
to BuildKit's own build check of the same meaning (``buildkit``). Its
docstring is its page in the rules reference, in three parts: what it means,
``Why it matters:`` and ``Example:`` with an ``Anti-pattern:`` and a
``Best practice:`` Dockerfile, each an indented block.
"""

from __future__ import annotations

from ..model import BuildOptions, Finding, ImageFacts

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only; typing stays out of the command line's start-up
    from collections.abc import Iterable
    from typing import ClassVar

    from ..model import Analysis, Severity

_UNCHANGED = object()


class Rule:
    """One explanation rule: computes :class:`Finding` objects from an :class:`Analysis`."""

    code: ClassVar[str]
    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()
    groups: ClassVar[tuple[str, ...]] = ()
    severity: ClassVar[Severity]
    buildkit: ClassVar[str | None] = None
    buildkit_experimental: ClassVar[bool] = False
    """BuildKit's check is experimental: it runs only where ``# check=experimental=`` names it."""
    fallback: ClassVar[bool] = False
    """A fallback rule's finding is dropped where another rule reports an error on the same line."""
    example_build_args: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Build args (name, value) the docstring's examples are analyzed with, e.g. to show an ignored one."""
    example_ignore_patterns: ClassVar[tuple[str, ...]] = ()
    """The ``.dockerignore`` of the examples' build context, for rules that read it."""
    example_images: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Base images (reference, platform) the examples are analyzed as knowing, for rules that need an image's facts."""

    @classmethod
    def example_options(cls) -> BuildOptions:
        """The build options the docstring's examples are analyzed with."""
        return BuildOptions(
            build_args=dict(cls.example_build_args),
            images={reference: ImageFacts(platform=platform) for reference, platform in cls.example_images},
            ignore_patterns=cls.example_ignore_patterns or None,
        )

    @classmethod
    def group(cls) -> str:
        return cls.groups[0]

    def check(self, analysis: Analysis) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, line: int, message: str, *, end_line: int | None = None, buildkit: object = _UNCHANGED,
                severity: Severity | None = None) -> Finding:
        """A finding of this rule; ``buildkit=None`` when BuildKit's check would not see this case.

        ``severity`` raises a finding above the rule's own where this very
        build fails on it, so the explanation stands in for DD001's.
        """
        return Finding(
            rule=self.code,
            name=self.name,
            severity=severity or self.severity,
            line=line,
            message=message,
            end_line=end_line,
            buildkit=self.buildkit if buildkit is _UNCHANGED else buildkit,  # type: ignore[arg-type]
        )

    @classmethod
    def identifiers(cls) -> set[str]:
        """Every name that selects this rule in a silencing comment, lower-cased."""
        names = {cls.code, cls.name, *cls.aliases}
        if cls.buildkit:
            names.add(cls.buildkit)
        return {n.lower() for n in names}
