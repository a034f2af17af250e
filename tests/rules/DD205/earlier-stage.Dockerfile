FROM busybox:1.36 AS build
RUN echo built > /out
FROM busybox:1.36 AS runtime
COPY --from=build /out /out
