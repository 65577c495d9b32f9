#!/usr/bin/env bash
# threads_tsan_cli.sh SOURCE_ROOT BUILD_DIR [C_COMPILER]
# threads_output_test.sh (PR_THREADS_QUICK=1) on a pubrender built with
# -fsanitize=thread (-DPR_TSAN=ON) in BUILD_DIR, a configuration of its own
# (ASan and TSan do not mix): a data race in the threaded render fails it.
set -u
root=$(cd "$1" && pwd) dir=$2 cc=${3:-cc}
unset LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS
gen=(-G "Unix Makefiles")
command -v ninja >/dev/null && gen=(-G Ninja)
start=$SECONDS
if [[ ! -f $dir/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$dir" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPR_TSAN=ON \
    -DPR_TESTS=OFF -DCMAKE_C_COMPILER="$cc" >"$dir.configure.log" 2>&1 ||
    { cat "$dir.configure.log"; echo "FAIL: configure the TSan build"; exit 1; }
fi
cmake --build "$dir" --target pubrender_cli -j 2 >"$dir.build.log" 2>&1 ||
  { tail -40 "$dir.build.log"; echo "FAIL: build the TSan pubrender"; exit 1; }
echo "TSan build: $((SECONDS - start)) s"
start=$SECONDS
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
  PR_THREADS_QUICK=1 bash "$root/tests/threads_output_test.sh" "$dir/pubrender" "$root"
rc=$?
echo "TSan run: $((SECONDS - start)) s"
exit $rc
