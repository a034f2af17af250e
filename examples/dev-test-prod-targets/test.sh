#!/bin/sh
# Checks greet() from app.sh. A failure is reported on stderr, so it shows in
# the build output, and ends the script with a non-zero status.
. ./app.sh --source-only
[ "$(greet)" = "hello, world" ] || { echo "FAIL: default greeting" >&2; exit 1; }
[ "$(greet Ada)" = "hello, Ada" ] || { echo "FAIL: named greeting" >&2; exit 1; }
echo "2 tests passed"
