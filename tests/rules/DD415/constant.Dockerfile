FROM --platform=linux/amd64 busybox:1.36 AS build
FROM --platform=linux/arm64 busybox:1.36 AS build-arm64
RUN true
