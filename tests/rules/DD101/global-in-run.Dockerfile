ARG APP_VERSION=2.1.0
FROM busybox:1.36
RUN echo "version: '${APP_VERSION}'" > /version.txt
LABEL version="${APP_VERSION}"
