FROM busybox:1.36 AS build
RUN cp /bin/busybox /app
FROM scratch
COPY --from=build /app /app
RUN /app true
CMD /app true
