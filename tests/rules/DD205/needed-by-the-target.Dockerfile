FROM busybox:1.36 AS early
COPY --from=late /file /file
FROM busybox:1.36 AS late
RUN echo late > /file
FROM early
