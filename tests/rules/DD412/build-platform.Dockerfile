FROM --platform=$BUILDPLATFORM busybox:1.36
RUN true
