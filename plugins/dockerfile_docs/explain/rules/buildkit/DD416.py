from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import exposed_ports


class ExposeProtoCasing(Rule):
    """`EXPOSE 80/TCP`: a protocol written in capitals.

    The protocol of an EXPOSE port is `tcp` (the default), `udp` or `sctp`,
    in lower case. BuildKit's check: *Protocol in EXPOSE instruction should
    be lowercase*.

    Why it matters:
    Tools reading the image config compare the protocol as written.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        EXPOSE 8080/TCP

    Best practice:

        FROM busybox:1.36
        EXPOSE 8080/tcp
    """

    code = "DD416"
    name = "expose-proto-casing"
    groups = ("buildkit",)
    severity = "info"
    buildkit = "ExposeProtoCasing"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for instruction, port in exposed_ports(analysis):
            _, slash, proto = port.rpartition("/")
            if slash and proto != proto.lower():
                yield self.finding(instruction.start_line, f"The protocol in `EXPOSE {port}` should be lower case: `{port[: -len(proto)]}{proto.lower()}`.")
