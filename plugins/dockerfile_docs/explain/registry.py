"""Discovery of the rule modules: every ``rules/<group>/<CODE>.py`` is a rule, no list to keep.

A module must define exactly one :class:`~.base.Rule` subclass whose ``code``
equals the module name and whose first group equals the folder; codes and
names must be unique. A broken rule module is a programming error, reported
at import with the module named.
"""

from __future__ import annotations

import importlib
import os
from functools import cache

from . import rules as rules_package
from .base import Rule


class RuleDefinitionError(Exception):
    """A rule module that does not follow the layout."""


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    found: list[type[Rule]] = []
    for name in _rule_module_names():
        module = importlib.import_module(name)
        classes = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__
        ]
        if len(classes) != 1:
            raise RuleDefinitionError(f"{name}: expected one Rule subclass, found {len(classes)}")
        rule = classes[0]
        group, code = name.split(".")[-2:]
        if rule.code != code:
            raise RuleDefinitionError(f"{name}: code {rule.code!r} differs from the module name {code!r}")
        if not rule.groups or rule.groups[0] != group:
            raise RuleDefinitionError(f"{name}: the first group must be the folder {group!r}, not {rule.groups!r}")
        found.append(rule)
    found.sort(key=lambda r: r.code)
    for kind in ("code", "name"):
        seen: dict[str, str] = {}
        for rule in found:
            key = getattr(rule, kind).lower()
            if key in seen:
                raise RuleDefinitionError(f"rule {kind} {getattr(rule, kind)!r} is used by {seen[key]} and {rule.code}")
            seen[key] = rule.code
    return tuple(found)


def _rule_module_names() -> list[str]:
    """``…rules.<group>.<CODE>`` for every module file under ``rules/<group>/``, found by listing the folders.

    A listing, not ``pkgutil.walk_packages``: that imports machinery the
    command line does not otherwise need, and start-up is what it costs.
    """
    names: list[str] = []
    for folder in rules_package.__path__:
        for group in sorted(os.listdir(folder)):
            group_dir = os.path.join(folder, group)
            if group.startswith(("_", ".")) or not os.path.isfile(os.path.join(group_dir, "__init__.py")):
                continue
            for file in sorted(os.listdir(group_dir)):
                stem, dot, extension = file.partition(".")
                if dot and extension == "py" and not stem.startswith("_"):
                    names.append(f"{rules_package.__name__}.{group}.{stem}")
    return names


def find_rule(identifier: str) -> type[Rule] | None:
    """The rule selected by a code, name, alias or BuildKit check name (any case)."""
    wanted = identifier.strip().lower()
    for rule in all_rules():
        if wanted in {rule.code.lower(), rule.name.lower(), *(a.lower() for a in rule.aliases)}:
            return rule
    mapped = [rule for rule in all_rules() if rule.buildkit and rule.buildkit.lower() == wanted]
    mapped.sort(key=lambda rule: (rule.group() != "buildkit", rule.code))
    return mapped[0] if mapped else None
