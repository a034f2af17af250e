FROM busybox:1.36 AS builder
RUN echo built > /out
FROM busybox:1.36
COPY --from=biulder /out /out
