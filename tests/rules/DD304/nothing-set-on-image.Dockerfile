FROM busybox:1.36
RUN true
