FROM busybox:1.36
RUN echo "building for $TARGETARCH"
