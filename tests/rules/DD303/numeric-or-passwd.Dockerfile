FROM busybox:1.36 AS build
FROM scratch
USER 65532:65532
FROM scratch
COPY --from=build /etc/passwd /etc/passwd
USER nobody
