FROM busybox
FROM debian:latest
FROM docker.io/library/busybox:1.36
FROM busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
