FROM busybox:1.36
ENV APP_HOME /app
ENV GREETING hello world
LABEL maintainer jane
