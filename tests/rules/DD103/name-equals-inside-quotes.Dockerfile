FROM busybox:1.36
RUN echo "before: VERSION=${VERSION}" > /report
ARG VERSION=1.0
RUN export VERSION=2 && echo "$VERSION"
