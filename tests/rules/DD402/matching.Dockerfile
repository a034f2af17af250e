FROM busybox:1.36 AS build
from busybox:1.36 as other
From busybox:1.36 as third
RUN true
