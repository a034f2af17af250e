FROM --platform=linux/arm64 busybox:1.36
RUN uname -m
