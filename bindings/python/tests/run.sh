#!/usr/bin/env bash
# run.sh SOURCE_ROOT LIBPUBRENDER.so PUBRENDER_CLI (pytest|mkdocs) [C_COMPILER]
# The Python package's tests with Debian's python3 and pytest, on the library
# CMake built (PUBRENDER_LIB; the CLI, PUBRENDER_CLI, to compare with): "pytest" runs the package's tests, "mkdocs" the
# real `mkdocs build` of tests/mkdocs-site. Skips (77) when python3-pytest,
# or for "mkdocs" Debian's mkdocs, is missing. An ASan library gets its
# runtime preloaded (the interpreter's own leaks are its own).
set -u
root=$(realpath "$1") so=$(realpath "$2") cli=$(realpath "$3") what=$4 cc=${5:-cc}
py=/usr/bin/python3
[[ -x $py ]] && $py -c 'import pytest' 2>/dev/null ||
  { echo "SKIP: python3-pytest is not installed (scripts/install-deps.sh --test)"; exit 77; }
if [[ $what == mkdocs ]]; then
  $py -c 'import mkdocs' 2>/dev/null ||
    { echo "SKIP: mkdocs is not installed (scripts/install-deps.sh --test)"; exit 77; }
fi
export PUBRENDER_LIB=$so PYTHONPATH=$root/bindings/python/src${PYTHONPATH:+:$PYTHONPATH}
export PUBRENDER_ROOT=$root PUBRENDER_CLI=$cli
if ldd "$so" | grep -q libasan; then
  export LD_PRELOAD="$("$cc" -print-file-name=libasan.so) $("$cc" -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0 PUBRENDER_ASAN=1
fi
tests=$root/bindings/python/tests
cd "$tests" || exit 1
if [[ $what == mkdocs ]]; then
  exec $py -m pytest -q -p no:cacheprovider "$tests/test_mkdocs_site.py"
fi
exec $py -m pytest -q -p no:cacheprovider --ignore="$tests/test_mkdocs_site.py" "$tests"
