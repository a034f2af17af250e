FROM busybox:1.36 AS build
FROM busybox:1.36 AS runtime
COPY --from=build / /
