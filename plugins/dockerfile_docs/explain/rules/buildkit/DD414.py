from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import default_global_env, expand_quietly, is_valid_image_reference


class InvalidDefaultArgInFrom(Rule):
    """A FROM whose image name is empty or invalid when no `--build-arg` is given.

    BuildKit checks every FROM with the global ARGs' *defaults* only: a
    global ARG without a default (or with an empty one) makes the base name
    `busybox:` or empty. BuildKit's check: *Default value for global ARG
    results in an empty or invalid base image name*.

    Why it matters:
    `docker build .` without the build arg fails (`invalid reference format`,
    or `base name should not be blank`). A default keeps the Dockerfile
    buildable as is.

    Example:
    Anti-pattern:

        ARG BUSYBOX_TAG
        FROM busybox:${BUSYBOX_TAG}
        RUN true

    Best practice:

        ARG BUSYBOX_TAG=1.36
        FROM busybox:${BUSYBOX_TAG}
        RUN true
    """

    code = "DD414"
    name = "invalid-default-arg-in-from"
    groups = ("buildkit", "args")
    severity = "warning"
    buildkit = "InvalidDefaultArgInFrom"
    example_build_args = (("BUSYBOX_TAG", "1.36"),)

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        env, declared = default_global_env(analysis)
        stage_names = {s.name.lower() for s in analysis.stages if s.name}
        for stage in analysis.stages:
            result, names = expand_quietly(stage.base, env, analysis.dockerfile.escape)
            if result.lower() == "scratch" or result in stage_names or is_valid_image_reference(result):
                continue
            if not names:
                yield self.finding(
                    stage.from_line,
                    f"`FROM {stage.base}` names no valid image (BuildKit's check words it as *Default value for ARG "
                    f"{stage.base} results in empty or invalid base image name*, though no ARG is involved): image "
                    f"names are lower-case, and a stage is named by its `AS` name as written in lower case.",
                )
                continue
            missing = [n for n in dict.fromkeys(names) if not env.get(n)]
            culprits = ", ".join(
                f"`{n}` (line {declared[n].start_line})" if n in declared else f"`{n}` (not declared)" for n in missing
            )
            shown = f"`{result}`" if result else "empty"
            message = f"With no `--build-arg`, `FROM {stage.base}` gives {shown}, not a valid image name"
            if culprits:
                message += f": {culprits} {'has' if len(missing) == 1 else 'have'} no default"
            yield self.finding(stage.from_line, message + ". Give the global ARG a default so the file builds without build args.")
