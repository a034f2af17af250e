FROM busybox:1.36
RUN echo one && \

    echo two && \

    echo three
