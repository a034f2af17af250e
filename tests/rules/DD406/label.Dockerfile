FROM busybox:1.36
LABEL org.opencontainers.image.authors="jane@example.com"
