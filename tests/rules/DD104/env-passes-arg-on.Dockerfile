FROM busybox:1.36
ARG MODE=release
ENV MODE=$MODE
RUN echo "$MODE" > /mode
