FROM busybox:1.36 AS base
WORKDIR /app
WORKDIR sub
FROM base
WORKDIR other
