FROM busybox:1.36 AS tools

# The mistake: a shell-form CMD needs /bin/sh, and scratch has none.
# The image builds; the container cannot start.
FROM scratch AS broken
COPY --from=tools /bin/busybox /bin/echo
CMD echo hi

# The fix: the exec form starts the program itself, no shell involved.
FROM scratch AS fixed
COPY --from=tools /bin/busybox /bin/echo
CMD ["/bin/echo", "hi"]
