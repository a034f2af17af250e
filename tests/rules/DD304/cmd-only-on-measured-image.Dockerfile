FROM busybox:1.36
CMD echo hi
