FROM busybox:1.36 AS build
FROM build
FROM scratch
