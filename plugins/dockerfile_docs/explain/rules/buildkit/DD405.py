from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import exec_form_suggestion, shell_join, stage_chain


class JSONArgsRecommended(Rule):
    """CMD or ENTRYPOINT in shell form.

    Shell form (`CMD ./server`) runs `/bin/sh -c "./server"`: the shell is
    the container's process 1 and the program its child. BuildKit's check:
    *JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended
    behavior related to OS signals*. It is not raised when the stage sets a
    SHELL.

    Why it matters:
    `docker stop` sends SIGTERM to process 1; `/bin/sh` does not pass it on,
    so the program never shuts down cleanly and is killed after the 10 s
    grace period. Exec form (`CMD ["./server"]`) makes the program process 1.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        CMD httpd -f -p 8080

    Best practice:

        FROM busybox:1.36
        CMD ["httpd", "-f", "-p", "8080"]
    """

    code = "DD405"
    name = "json-args-recommended"
    groups = ("buildkit", "runtime")
    severity = "warning"
    buildkit = "JSONArgsRecommended"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for stage in analysis.stages:
            chain = stage_chain(analysis, stage)
            for instruction in stage.instructions[1:]:
                if instruction.keyword not in ("CMD", "ENTRYPOINT") or instruction.json_args is not None:
                    continue
                if any(
                    i.keyword == "SHELL" and (link.index != stage.index or i.start_line < instruction.start_line)
                    for link in chain for i in link.instructions
                ):
                    continue
                exec_form = exec_form_suggestion(instruction.arguments)
                fix = f"write `{instruction.keyword} {exec_form}`" if exec_form else f"use the exec form, `{instruction.keyword} [\"...\"]`"
                yield self.finding(
                    instruction.start_line,
                    f"Shell-form {instruction.keyword} runs `{shell_join(('/bin/sh', '-c', instruction.arguments))}`: the shell is process 1 "
                    f"and does not pass SIGTERM on, so `docker stop` waits 10 s and kills the program; {fix}.",
                )
