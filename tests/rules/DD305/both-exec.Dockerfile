FROM busybox:1.36
ENTRYPOINT ["echo"]
CMD ["hello"]
