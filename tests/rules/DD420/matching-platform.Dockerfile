FROM --platform=linux/amd64 busybox:1.36
RUN uname -m
