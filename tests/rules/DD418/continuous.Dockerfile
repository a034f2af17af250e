FROM busybox:1.36
RUN echo one && \
    # a comment inside is fine
    echo two
