"""A generator of large, realistic multi-stage Dockerfiles for layout tests and renders.

A base and a toolchain stage, libraries built on the toolchain that copy from
earlier libraries or mount them, test stages nobody needs (BuildKit skips
them), and a runtime that collects a few libraries: the shapes real
monorepo Dockerfiles have, at any size.
"""

from __future__ import annotations

import random


def many_stage_dockerfile(stages: int, seed: int = 7) -> str:
    """A Dockerfile with exactly ``stages`` stages (at least 3), the same text for the same arguments."""
    if stages < 3:
        raise ValueError("needs at least 3 stages: base, toolchain, runtime")
    rng = random.Random(seed)
    lines = [
        "ARG GO_VERSION=1.22",
        "FROM debian:bookworm-slim AS base",
        "RUN useradd --uid 10001 app",
        "FROM golang:${GO_VERSION}-bookworm AS toolchain",
        "WORKDIR /src",
    ]
    libraries: list[str] = []
    for number in range(stages - 3):
        if libraries and number % 4 == 3:
            tested = rng.choice(libraries)
            lines += [f"FROM {tested} AS test-{number}", "RUN go test ./..."]
            continue
        name = f"lib-{number}"
        parent = rng.choice(["toolchain", *libraries[-2:]]) if libraries else "toolchain"
        lines += [f"FROM {parent} AS {name}", f"COPY {name}/ ./{name}/"]
        if libraries and rng.random() < 0.5:
            source = rng.choice(libraries)
            lines.append(f"COPY --from={source} /out/{source} /deps/{source}")
        if libraries and rng.random() < 0.25:
            source = rng.choice(libraries)
            lines.append(f"RUN --mount=type=bind,from={source},source=/out,target=/mnt/{source} go build ./{name}")
        lines.append(f"RUN go build -o /out/{name} ./{name}")
        libraries.append(name)
    lines += ["FROM base AS runtime"]
    for library in (libraries[-3:] if libraries else []):
        lines.append(f"COPY --from={library} /out/{library} /usr/local/bin/")
    lines += ["USER 10001", 'ENTRYPOINT ["/usr/local/bin/app"]']
    return "\n".join(lines) + "\n"
