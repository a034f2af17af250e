FROM busybox:1.36 AS build
ENV WHICH=first
FROM busybox:1.36 AS BUILD
ENV WHICH=second
FROM build
