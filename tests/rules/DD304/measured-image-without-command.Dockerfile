FROM busybox:1.36
RUN touch /ready
