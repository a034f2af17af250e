FROM busybox:1.36 AS test
RUN echo "running the tests"
FROM busybox:1.36 AS runtime
CMD ["true"]
