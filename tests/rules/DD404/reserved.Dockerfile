FROM busybox:1.36 AS scratch
RUN true
FROM busybox:1.36 AS context
RUN true
