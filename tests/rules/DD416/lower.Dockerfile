FROM busybox:1.36
EXPOSE 8080/tcp 53/udp 80
