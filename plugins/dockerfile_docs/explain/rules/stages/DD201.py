from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Edge, Finding, Stage
from ...base import Rule
from ...facts import names_list, stage_title

TEST_WORDS = frozenset({"test", "tests", "pytest", "tox", "lint", "check", "vet", "unittest", "jest", "mocha", "rspec"})


def _words(stage: Stage) -> set[str]:
    words: set[str] = set()
    for instruction in stage.instructions[1:]:
        if instruction.keyword == "RUN":
            text = " ".join(instruction.json_args) if instruction.json_args else instruction.arguments
            text += " " + " ".join(h.body for h in instruction.heredocs)
            words |= {w.strip("\"';&|()").lower() for w in text.split()}
    return words


def _stages(titles: list[str]) -> str:
    return ("stage " if len(set(titles)) == 1 else "stages ") + names_list(titles)


def _paths(edges: list[Edge]) -> str:
    paths = [p for e in edges for p in e.paths]
    shown = ", ".join(f"`{p}`" for p in dict.fromkeys(paths[:3]))
    return f" ({shown})" if shown else ""


class StageRole(Rule):
    """What a build stage is for: builder, base, test or the image the build produces.

    The role is read from the stage itself: its base, whether later stages are
    built FROM it or copy files out of it (`COPY --from`, `RUN --mount=from=`),
    whether it runs tests, and whether it is the build target.

    Why it matters:
    Multi-stage Dockerfiles are read stage by stage; knowing which stage ends
    up in the image and which only feed it tells you what the image contains
    and what a change to a stage affects.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        RUN echo build > /artifact
        FROM busybox:1.36
        COPY --from=0 /artifact /artifact

    Best practice:

        FROM busybox:1.36 AS build
        RUN echo build > /artifact
        FROM busybox:1.36 AS runtime
        COPY --from=build /artifact /artifact
    """

    code = "DD201"
    name = "stage-role"
    groups = ("stages",)
    severity = "explain"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        if len(analysis.stages) < 2:
            return
        for stage in analysis.stages:
            copied = [e for e in analysis.edges if e.source == stage.index and e.kind in ("copy", "mount")]
            based = [e for e in analysis.edges if e.source == stage.index and e.kind == "from"]
            base = f"stage {stage_title(analysis.stages[stage.base_stage])}" if stage.base_stage is not None else f"`{stage.base_resolved}`"
            parts: list[str] = []
            if stage.index == analysis.target:
                role = "the image this build produces (its target)"
                if stage.is_scratch:
                    role += ": an empty `scratch` image holding only what is copied in"
                parts.append(role)
            elif copied:
                users = [stage_title(analysis.stages[e.target]) for e in copied]
                verb = "copies" if len(set(users)) == 1 else "copy"
                parts.append(f"a builder: {_stages(users)} {verb} files out of it{_paths(copied)}, the rest of it stays out of the image")
            elif based:
                users = [stage_title(analysis.stages[e.target]) for e in based]
                verb = "is" if len(set(users)) == 1 else "are"
                parts.append(f"a base: {_stages(users)} {verb} built FROM it and start{'s' if verb == 'is' else ''} with its files and settings")
            elif (stage.name and any(w in stage.name.lower() for w in ("test", "lint", "check"))) or (_words(stage) & TEST_WORDS):
                parts.append("a test stage: it runs checks, and a build of it fails when they fail")
            else:
                parts.append("a stage no other stage uses")
            if stage.index != analysis.target and based and copied:
                parts.append(f"it is also the base of {_stages([stage_title(analysis.stages[e.target]) for e in based])}")
            yield self.finding(stage.from_line, f"Stage {stage_title(stage)} (FROM {base}) is {'; '.join(parts)}.")
