FROM busybox:1.36
run echo hello
Copy . /src
RUN true
