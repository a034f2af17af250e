FROM scratch
COPY $WHAT /
