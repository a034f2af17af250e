FROM busybox:1.36 AS build
FROM scratch
COPY --from=build /bin/busybox /bin/sh
RUN echo fine
CMD echo fine
