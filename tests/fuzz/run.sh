#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS TARGET...   (what `make fuzz` runs)
#
# Runs BUILD_DIR/tests/fuzz_TARGET for SECONDS seconds per target, one
# target at a time. Each starts from a scratch copy of tests/fuzz/corpus/TARGET
# in BUILD_DIR/fuzz-corpus/TARGET (new inputs go there, never into the
# source tree; the scratch corpus is kept between runs, so a second run goes
# on where the first stopped). Crash, leak, timeout and OOM inputs land in
# BUILD_DIR/artifacts/TARGET/; after a crash the target is restarted for the
# rest of its time (at most FUZZ_MAX_CRASHES crashes per target, default 3).
# Logs: BUILD_DIR/fuzz-logs/TARGET-N.log. Exit status 1 when this run found
# anything (older artifacts are left alone and not reported again).
#
# FUZZ_KEEP_GOING=1: libFuzzer's fork mode, which goes on after crashes,
# leaks and timeouts (each one saved) instead of stopping at the first; use
# it while known crashes are not fixed yet.
# Extra libFuzzer flags: FUZZ_FLAGS="-dict=... -only_ascii=1" etc.
set -u
build=$1 seconds=$2
shift 2
src=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$src/../.." && pwd)
max_crashes=${FUZZ_MAX_CRASHES:-3}
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

found=0
summary=()
for t in "$@"; do
  bin=$build/tests/fuzz_$t
  [[ -x $bin ]] || { echo "run.sh: $bin not built (configure with CC=clang -DPR_FUZZ=ON)" >&2; exit 2; }
  corpus=$build/fuzz-corpus/$t
  art=$build/artifacts/$t
  logs=$build/fuzz-logs
  mkdir -p "$corpus" "$art" "$logs"
  cp -n "$src/corpus/$t/"* "$corpus/" 2>/dev/null || true
  stamp=$build/fuzz-logs/.start-$t
  touch "$stamp"
  start=$(date +%s)
  execs=0 crashes=0 cov="" k=0
  while :; do
    left=$((seconds - ($(date +%s) - start)))
    ((left > 0)) || break
    k=$((k + 1))
    log=$logs/$t-$k.log
    echo "== fuzz_$t: ${left}s (log: $log)"
    mode=()
    [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
    "$bin" "${mode[@]}" -max_total_time="$left" -max_len=65536 -timeout=25 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$art/" ${FUZZ_FLAGS:-} "$corpus" >"$log" 2>&1
    rc=$?
    n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    [[ -z $n ]] && n=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
    execs=$((execs + ${n:-0}))
    c=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1)
    [[ -n $c ]] && cov=$c
    if [[ ${FUZZ_KEEP_GOING:-0} == 1 ]]; then
      crashes=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' "$log" | tail -1)
      crashes=${crashes##*: }
      echo "   oom/timeout/crash: ${crashes:-0/0/0}"
      break
    fi
    if ((rc != 0)); then
      crashes=$((crashes + 1))
      echo "   fuzz_$t found something (exit $rc):"
      grep -E '^==[0-9]+==ERROR|SUMMARY:|fuzz check failed|runtime error|Test unit written|^#[0-9]+ ' "$log" | grep -v '^#[0-9]* *\(INITED\|NEW\|REDUCE\|pulse\|RELOAD\)' | head -15 | sed 's/^/   /'
      ((crashes >= max_crashes)) && break
    fi
  done
  took=$(($(date +%s) - start))
  arts=$(find "$art" -type f -newer "$stamp" | sort)
  [[ -n $arts ]] && found=1
  summary+=("fuzz_$t: ${took}s, $execs execs, $cov, corpus $(find "$corpus" -type f | wc -l) files, $([[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && echo "oom/timeout/crash $crashes" || echo "$crashes crash(es)")")
  [[ -n $arts ]] && summary+=("$(printf '    %s\n' $arts)")
done
echo
echo "== summary"
printf '%s\n' "${summary[@]}"
if ((found)); then
  echo "inputs that crashed, leaked or hung are in $build/artifacts/ (see tests/fuzz/README.md)"
  exit 1
fi
