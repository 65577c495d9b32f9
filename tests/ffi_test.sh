#!/usr/bin/env bash
# ffi_test.sh SOURCE_ROOT LIBPUBRENDER.so [C_COMPILER]
# include/pubrender.h as FFI users read it: preprocessed (cc -E -P, the
# PUBRENDER_ macros defined empty, <stddef.h> left to the FFI, which knows
# size_t), then read by Python cffi's ffi.cdef (tests/ffi_cffi.py: dlopen the
# library, parse, render, read a diagnostic's code through the accessors) and
# attached function by function with ruby-ffi (tests/ffi_ruby.rb: every
# function with pointers, integers and enums only, no struct mirror).
# Skips (77) when Debian's python3-cffi or ruby-ffi is missing.
set -u
root=$1 so=$2 cc=${3:-cc}
py=/usr/bin/python3
[[ -x $py ]] && $py -c 'import cffi' 2>/dev/null ||
  { echo "SKIP: python3-cffi is not installed (scripts/install-deps.sh --test)"; exit 77; }
command -v ruby >/dev/null && ruby -e 'require "ffi"' 2>/dev/null ||
  { echo "SKIP: ruby-ffi is not installed (scripts/install-deps.sh --test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/pubrender_export.h"
: >"$tmp/pubrender_version.h"
: >"$tmp/stddef.h"
"$cc" -E -P -nostdinc -I"$tmp" -DPUBRENDER_EXPORT= "$root/include/pubrender.h" -o "$tmp/pubrender.i" ||
  { echo "FAIL: preprocess include/pubrender.h"; exit 1; }
version=$(sed -n 's/^project(pubrender VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
# A sanitized library must have its runtime loaded first in an interpreter;
# the interpreters' own leaks are theirs.
env=()
if ldd "$so" | grep -q libasan; then
  env=(LD_PRELOAD="$("$cc" -print-file-name=libasan.so) $("$cc" -print-file-name=libubsan.so)"
       ASAN_OPTIONS=detect_leaks=0)
fi
rc=0
env "${env[@]}" "$py" "$root/tests/ffi_cffi.py" "$tmp/pubrender.i" "$so" "$version" || rc=1
env "${env[@]}" ruby "$root/tests/ffi_ruby.rb" "$tmp/pubrender.i" "$so" || rc=1
exit $rc
