FROM busybox:1.36 AS workspace
RUN true
