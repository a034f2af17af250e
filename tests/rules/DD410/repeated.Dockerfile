FROM busybox:1.36
CMD ["echo", "migrate"]
ENTRYPOINT ["/a"]
CMD ["echo", "serve"]
ENTRYPOINT ["/b"]
HEALTHCHECK CMD true
HEALTHCHECK NONE
