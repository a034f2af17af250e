# check=experimental=InvalidDefinitionDescription
# the version

ARG VERSION=1
# nothing
FROM busybox:1.36 AS Base
# TOOL is fine
ARG TOOL
# first
#
ARG OTHER A B
