FROM busybox:1.36 AS Builder
RUN true
