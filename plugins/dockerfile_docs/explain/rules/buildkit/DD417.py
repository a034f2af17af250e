from __future__ import annotations

from collections.abc import Iterator

from ....model import Analysis, Finding
from ...base import Rule
from ...facts import exposed_ports


def split_port(spec: str) -> tuple[str, str, str]:
    """(ip, host port, container port) of ``[ip:][host:]container``, as BuildKit splits it."""
    ip = ""
    rest = spec
    if rest.startswith("["):
        end = rest.find("]")
        if end > 0:
            ip, rest = rest[: end + 1], rest[end + 2:]
            host, _, container = rest.rpartition(":")
            return ip, host, container
    parts = rest.split(":")
    if len(parts) == 1:
        return "", "", parts[0]
    if len(parts) == 2:
        return "", parts[0], parts[1]
    return ":".join(parts[:-2]), parts[-2], parts[-1]


class ExposeInvalidFormat(Rule):
    """`EXPOSE 8080:80` or `EXPOSE 127.0.0.1:80:80`: a host mapping in EXPOSE.

    EXPOSE documents which container ports the program listens on: a port
    and an optional protocol. Host ports and IP addresses belong to
    `docker run -p`. BuildKit's check: *IP address and host-port mapping
    should not be used in EXPOSE instruction. This will become an error in a
    future release*.

    Why it matters:
    The host part is dropped; readers believe a mapping exists that does not.

    Example:
    Anti-pattern:

        FROM busybox:1.36
        EXPOSE 8080:80

    Best practice:

        FROM busybox:1.36
        EXPOSE 80
    """

    code = "DD417"
    name = "expose-invalid-format"
    groups = ("buildkit",)
    severity = "warning"
    buildkit = "ExposeInvalidFormat"

    def check(self, analysis: Analysis) -> Iterator[Finding]:
        for instruction, port in exposed_ports(analysis):
            ip, host, container = split_port(port)
            if ip or host:
                yield self.finding(
                    instruction.start_line,
                    f"`EXPOSE {port}` maps a host {'address and port' if ip else 'port'}, which EXPOSE ignores: "
                    f"write `EXPOSE {container}` and map ports with `docker run -p`.",
                )
