FROM busybox:1.36
RUN echo "release $RELEASE" > /release
LABEL release=$RELEASE
ARG RELEASE=2024.1
ENV LATE=1
WORKDIR /srv/$LATE
