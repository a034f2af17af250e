FROM busybox:1.36 AS base
CMD ["hello"]
FROM base
ENTRYPOINT ["echo"]
