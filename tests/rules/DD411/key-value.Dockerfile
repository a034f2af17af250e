FROM busybox:1.36
ENV APP_HOME=/app GREETING="hello world"
LABEL maintainer=jane
