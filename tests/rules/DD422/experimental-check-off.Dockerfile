# the version
ARG VERSION=1
FROM busybox:1.36
