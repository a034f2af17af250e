FROM busybox:1.36 AS build
RUN cp /bin/busybox /app
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /etc/passwd /etc/passwd
COPY --from=build /bin/busybox /bin/sh
ENTRYPOINT ["/bin/sh"]
