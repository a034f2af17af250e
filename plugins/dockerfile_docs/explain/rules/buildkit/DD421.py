from __future__ import annotations

import posixpath
from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import words_of


class CopyIgnoredFile(Rule):
    """A COPY or ADD of a context file that `.dockerignore` leaves out of the build context.

    Files matching `.dockerignore` are never sent to BuildKit, so a COPY
    naming one finds nothing. BuildKit's check, experimental in BuildKit
    0.25 and reported only with `# check=experimental=CopyIgnoredFile` (or
    `experimental=all`): *Attempting to Copy file "FILE" that is excluded by
    .dockerignore*. The analyzer sees `.dockerignore` only where it knows the
    build context (an example, or `analyze --context`).

    Why it matters:
    The build fails with *not found* on a file that is plainly in the
    repository, or, with a wildcard, silently copies less than intended.

    Example:
    Anti-pattern:

        # check=experimental=CopyIgnoredFile
        FROM busybox:1.36
        COPY notes.md /docs/

    Best practice:

        # check=experimental=CopyIgnoredFile
        FROM busybox:1.36
        COPY README.txt /docs/
    """

    code = "DD421"
    name = "copy-ignored-file"
    groups = ("buildkit", "images")
    severity = "warning"
    buildkit = "CopyIgnoredFile"
    buildkit_experimental = True
    example_ignore_patterns = ("*.md",)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        patterns = analysis.options.ignore_patterns
        if not patterns:
            return
        from ....dockerignore import compile_patterns, is_ignored  # only with a known .dockerignore: kept out of start-up

        compiled = compile_patterns(list(patterns))
        escape = analysis.dockerfile.escape
        for stage in analysis.stages:
            for instruction in stage.instructions:
                if instruction.keyword not in {"COPY", "ADD"} or instruction.flag("from") is not None:
                    continue
                words = words_of(instruction, analysis.scopes.get(instruction.start_line, {}), escape)
                heredoc_names = {h.name for h in instruction.heredocs}
                verb = "Add" if instruction.keyword == "ADD" else "Copy"
                for source in words[:-1]:
                    if source.startswith("<<") or source.lstrip("<-") in heredoc_names or "://" in source or source.startswith("git@"):
                        continue
                    cleaned = posixpath.normpath(source).lstrip("/")
                    if cleaned in {"", "."} or not is_ignored(cleaned, compiled):
                        continue
                    yield self.finding(
                        instruction.start_line,
                        f'Attempting to {verb} file "{source}" that is excluded by .dockerignore: the file is not in the '
                        f"build context, so this {instruction.keyword} finds nothing there. Remove the pattern that "
                        f"matches it from `.dockerignore`, or stop copying it.",
                    )
