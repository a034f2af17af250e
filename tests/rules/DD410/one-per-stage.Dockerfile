FROM busybox:1.36 AS base
CMD ["echo", "base"]
FROM base
CMD ["echo", "child"]
