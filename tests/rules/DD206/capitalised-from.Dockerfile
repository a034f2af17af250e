FROM busybox:1.36 AS builder
RUN echo built > /out
FROM Builder
RUN cat /out
