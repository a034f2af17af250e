FROM busybox:1.36 as build
from busybox:1.36 AS other
RUN true
