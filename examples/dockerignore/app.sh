#!/bin/sh
echo "files shipped in /app:"
ls -A /app
