FROM busybox:1.36 AS Builder
RUN echo built > /out
FROM builder
RUN cat /out
