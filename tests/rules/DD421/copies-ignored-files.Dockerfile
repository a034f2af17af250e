# check=experimental=CopyIgnoredFile
FROM busybox:1.36
COPY notes.md keep.txt /docs/
ADD ["build/out.bin", "/bin/"]
COPY --from=busybox:1.36 /notes.md /x
