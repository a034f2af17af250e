from busybox:1.36
run echo hello
copy . /src
