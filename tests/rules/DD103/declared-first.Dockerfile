FROM busybox:1.36
ARG RELEASE=2024.1
RUN echo "release $RELEASE" > /release
