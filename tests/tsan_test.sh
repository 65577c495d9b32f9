#!/usr/bin/env bash
# tsan_test.sh SOURCE_ROOT BUILD_DIR [C_COMPILER]
# Configures its own ThreadSanitizer build (-DPR_TSAN=ON) in BUILD_DIR
# (ASan builds cannot host TSan, hence the separate configuration), builds
# test_threads and the command there, and runs, with any data race or
# lock-order report failing (halt_on_error):
#  1. test_threads: 8 threads parsing and rendering different documents,
#     then 8 threads rendering one shared const bibliography in every format;
#  2. threads_output_test.sh (PR_THREADS_QUICK=1) on that pubrender: the
#     threaded parse and render (--threads 1, 2) of tests/corpus;
#  3. the same on files of 4.3 MB (PR_THREADS_PIECES=1): parsed in pieces
#     by copies of libbtparse in link namespaces of their own.
set -u
root=$(cd "$1" && pwd) dir=$2 cc=${3:-cc}
unset LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS
gen=(-G "Unix Makefiles")
command -v ninja >/dev/null && gen=(-G Ninja)
start=$SECONDS
if [[ ! -f $dir/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPR_TSAN=ON \
    -DCMAKE_C_COMPILER="$cc" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; echo "FAIL: configure the TSan build"; exit 1; }
fi
cmake --build "$dir" --target test_threads pubrender_cli -j "$(nproc 2>/dev/null || echo 2)" \
  >"$dir.build.log" 2>&1 ||
  { tail -40 "$dir.build.log"; echo "FAIL: build the TSan test_threads and pubrender"; exit 1; }
echo "TSan build: $((SECONDS - start)) s"
cd "$root" || exit 2
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp"
start=$SECONDS
"$dir/tests/test_threads" || { echo "FAIL: test_threads under TSan"; exit 1; }
echo "TSan test_threads: $((SECONDS - start)) s"
start=$SECONDS
PR_THREADS_QUICK=1 bash "$root/tests/threads_output_test.sh" "$dir/pubrender" "$root"
rc=$?
echo "TSan threads_output: $((SECONDS - start)) s"
start=$SECONDS
PR_THREADS_QUICK=1 PR_THREADS_PIECES=1 bash "$root/tests/threads_output_test.sh" "$dir/pubrender" "$root" || rc=1
echo "TSan threads_output, pieces: $((SECONDS - start)) s"
exit $rc
