FROM busybox:1.36
ARG MODE=debug
ENV MODE=release
RUN echo "$MODE" > /mode
