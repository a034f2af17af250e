FROM --platform=$TARGETPLATFORM busybox:1.36
FROM --platform=${TARGETPLATFORM} busybox:1.36
RUN true
