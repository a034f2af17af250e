FROM busybox:1.36
ENTRYPOINT httpd -f
CMD httpd -f -p "8080" | tee log
