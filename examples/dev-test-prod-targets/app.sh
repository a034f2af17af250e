#!/bin/sh
# Prints a greeting; APP_MODE says which image it runs in.
greet() {
  echo "hello, ${1:-world}"
}

if [ "${1:-}" != "--source-only" ]; then
  echo "mode: ${APP_MODE:-unset}"
  greet "$@"
fi
