FROM busybox:1.36
ENTRYPOINT exec /app
CMD ["--help"]
