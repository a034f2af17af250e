FROM busybox:1.36
ENTRYPOINT ["/app"]
CMD ["--help"]
