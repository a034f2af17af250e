ARG TAG
FROM busybox:${TAG}
RUN true
