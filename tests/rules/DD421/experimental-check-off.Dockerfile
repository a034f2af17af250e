FROM busybox:1.36
COPY notes.md /docs/
