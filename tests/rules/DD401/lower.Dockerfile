FROM busybox:1.36 AS builder
RUN true
