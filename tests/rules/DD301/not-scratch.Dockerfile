FROM busybox:1.36
CMD ["true"]
