FROM busybox:1.36 AS base
SHELL ["/bin/sh", "-ec"]
CMD httpd -f
FROM base
CMD httpd -f
FROM busybox:1.36
CMD ["httpd", "-f"]
