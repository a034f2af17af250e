FROM base
RUN true
FROM busybox:1.36 AS base
RUN true
