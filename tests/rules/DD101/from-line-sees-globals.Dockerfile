ARG BASE=busybox:1.36
FROM $BASE
RUN true
