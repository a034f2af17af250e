#!/bin/sh
echo "running as uid=$(id -u) gid=$(id -g)"
if touch /etc/probe 2>/dev/null; then
  echo "can write /etc"
else
  echo "cannot write /etc"
fi
touch /home/app/data/probe && echo "can write /home/app/data"
