FROM busybox:1.36 AS base
RUN mkdir /app
FROM base AS build
RUN echo built > /app/out
FROM busybox:1.36 AS test
RUN echo "go test ./..."
FROM scratch AS runtime
COPY --from=build /app/out /out
