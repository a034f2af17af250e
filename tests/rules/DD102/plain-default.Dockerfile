FROM busybox:1.36
ARG LOCAL=yes
RUN echo $LOCAL
