FROM busybox:1.36
ARG SOURCE=build
COPY --from=${SOURCE} /file /file
