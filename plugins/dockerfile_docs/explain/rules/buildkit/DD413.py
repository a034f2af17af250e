from __future__ import annotations

import re
from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import declared_names

SECRET_WORDS = re.compile(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
ALLOWED_WORDS = re.compile(r"(?i)(?:_|^)(?:public)(?:_|$)")
"""BuildKit's own lists: a name part that suggests a secret, and one that clears it."""


class SecretsUsedInArgOrEnv(Rule):
    """An ARG or ENV whose name says it holds a secret (`*_TOKEN`, `PASSWORD`, `API_KEY`...).

    ARG values end up in the build's metadata and in `docker history`, and
    ENV values in the image config, readable by anyone who can pull it.
    BuildKit's check: *Sensitive data should not be used in the ARG or ENV
    commands*; it matches the same name parts as this rule.

    Why it matters:
    The secret leaks with the image. Build secrets belong in
    `RUN --mount=type=secret`, run-time secrets in the container's
    environment or a secret store.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        ARG GITHUB_TOKEN
        RUN echo "fetching with $GITHUB_TOKEN"

    Best practice:

        FROM busybox:1.36
        RUN --mount=type=secret,id=github_token echo "fetching with a mounted token"
    """

    code = "DD413"
    name = "secrets-used-in-arg-or-env"
    groups = ("buildkit",)
    severity = "warning"
    buildkit = "SecretsUsedInArgOrEnv"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        escape = analysis.dockerfile.escape
        for instruction in analysis.dockerfile.instructions:
            if instruction.keyword not in ("ARG", "ENV") or instruction.stage < 0:
                continue
            for name, _ in declared_names(instruction, escape):
                if SECRET_WORDS.search(name) and not ALLOWED_WORDS.search(name):
                    where = "the build history (`docker history`)" if instruction.keyword == "ARG" else "the image config"
                    yield self.finding(
                        instruction.start_line,
                        f"`{instruction.keyword} {name}` looks like a secret, and its value would be stored in {where}; "
                        f"use `RUN --mount=type=secret,id={name.lower()}` to give it to the commands that need it.",
                    )
