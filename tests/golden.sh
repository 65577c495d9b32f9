#!/usr/bin/env bash
# golden.sh CLI INPUT EXPECTED_BASE FORMAT [ARGS...]
# Renders INPUT with the CLI (run from INPUT's directory, so diagnostics name
# the bare file) and compares standard output with EXPECTED_BASE.FORMAT and
# standard error plus the exit status with EXPECTED_BASE.err.
# With PR_GOLDEN_UPDATE=1 it rewrites the expected files instead. With
# PR_TEST_WRAPPER set (e.g. "valgrind --error-exitcode=99 ..."), that command
# runs the CLI.
set -u
mode=$1 cli=$2 input=$3 base=$4 fmt=$5
shift 5
[[ $mode == check ]] || { echo "usage: golden.sh check CLI INPUT BASE FORMAT [ARGS]" >&2; exit 2; }
if [[ ! -f $input ]]; then
  echo "SKIP: $input not found"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case $fmt in md) f=markdown ;; *) f=$fmt ;; esac
# PR_TEST_WRAPPER (make memcheck: valgrind ...) runs in front of the CLI.
# shellcheck disable=SC2086 # the wrapper is a command with its arguments
(cd "$(dirname "$input")" && ${PR_TEST_WRAPPER:-} "$cli" -f "$f" "$@" "$(basename "$input")" >"$tmp/out" 2>"$tmp/err")
echo "exit: $?" >>"$tmp/err"
if [[ ${PR_GOLDEN_UPDATE:-0} == 1 ]]; then
  mkdir -p "$(dirname "$base")"
  cp "$tmp/out" "$base.$fmt"
  cp "$tmp/err" "$base.err"
  echo "updated $base.$fmt"
  exit 0
fi
status=0
diff -u "$base.$fmt" "$tmp/out" || status=1
diff -u "$base.err" "$tmp/err" || status=1
exit $status
