FROM busybox:1.36 AS base
RUN true
FROM base
RUN true
