FROM Busybox:1.36
RUN true
