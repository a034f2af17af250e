FROM busybox:1.36 AS early
COPY --from=late /out /out
FROM busybox:1.36 AS late
RUN echo built > /out
