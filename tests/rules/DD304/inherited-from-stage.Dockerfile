FROM busybox:1.36 AS base
ENTRYPOINT ["echo"]
CMD ["hello"]
FROM base
RUN true
