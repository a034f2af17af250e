# check=experimental=all
FROM busybox:1.36
COPY keep.txt /docs/
COPY important.md /docs/
