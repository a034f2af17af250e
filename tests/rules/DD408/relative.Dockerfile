FROM busybox:1.36 AS base
WORKDIR app
WORKDIR more
FROM scratch
WORKDIR ./data
