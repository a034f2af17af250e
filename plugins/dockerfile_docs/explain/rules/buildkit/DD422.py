from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Comment, Finding, Instruction
from ...base import Rule
from ...facts import declared_names


class InvalidDefinitionDescription(Rule):
    """A comment right above an ARG or a named stage that does not start with its name.

    BuildKit reads the comment lines directly above `ARG NAME` and `FROM ...
    AS name` as the definition's description (shown by `docker buildx build
    --call=outline`) when the last of them starts with the name. A comment
    that does not is reported by BuildKit's check, experimental in BuildKit
    0.25 and run only with `# check=experimental=InvalidDefinitionDescription`:
    *Comment for ARG should follow the format: `# NAME <description>`*.
    Blank lines between the comment and the instruction do not separate them
    (seen with BuildKit 0.25); an empty `#` line does.

    Why it matters:
    `--call=outline` and tools built on it show build arguments and targets
    with their descriptions; a comment in another shape documents nothing
    there.

    Example:
    Anti-pattern:

        # check=experimental=InvalidDefinitionDescription
        # the version of the tool to install
        ARG VERSION=1.0
        FROM busybox:1.36

    Best practice:

        # check=experimental=InvalidDefinitionDescription
        # VERSION is the version of the tool to install
        ARG VERSION=1.0
        FROM busybox:1.36
    """

    code = "DD422"
    name = "invalid-definition-description"
    groups = ("buildkit", "args")
    severity = "info"
    buildkit = "InvalidDefinitionDescription"
    buildkit_experimental = True

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        dockerfile = analysis.dockerfile
        comments = sorted(dockerfile.comments, key=lambda c: c.line)
        previous_end = 0
        position = 0
        for instruction in dockerfile.instructions:
            before: list[Comment] = []
            while position < len(comments) and comments[position].line < instruction.start_line:
                comment = comments[position]
                position += 1
                if comment.line <= previous_end:
                    continue
                before = [] if not comment.text else [*before, comment]
            previous_end = instruction.end_line
            keys = self._keys(instruction, dockerfile.escape)
            if not before or not keys:
                continue
            if before[-1].text.split(" ")[0] in keys:
                continue
            example = keys[0] if len(keys) == 1 else "<arg_key>"
            kind = "FROM" if instruction.keyword == "FROM" else "ARG"
            yield self.finding(
                instruction.start_line,
                f"Comment for {kind} should follow the format: `# {example} <description>`: BuildKit takes the comment on "
                f"line {before[-1].line} as this {'stage' if kind == 'FROM' else 'build argument'}'s description only when "
                f"it starts with the name. Start it with `{example}`, or put an empty `#` line between.",
            )

    @staticmethod
    def _keys(instruction: Instruction, escape: str) -> list[str]:
        if instruction.keyword == "ARG":
            return [name for name, _ in declared_names(instruction, escape)]
        if instruction.keyword == "FROM":
            words = instruction.arguments.split()
            if len(words) == 3 and words[1].lower() == "as":
                return [words[2].lower()]
        return []
