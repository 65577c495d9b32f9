#!/usr/bin/env bash
# triage.sh BUILD_DIR TARGET [ARTIFACT...]
#
# Groups the artifacts of a target (default: all of BUILD_DIR/artifacts/TARGET)
# by what went wrong: each one is replayed alone with BUILD_DIR/tests/fuzz_TARGET
# and labelled by its sanitizer SUMMARY line (with the first frame in pubrender's
# own code) or its "fuzz check failed" message. Prints one line per group: count,
# the smallest input, the label. Inputs that no longer fail alone (fixed, or a
# leak that needs an earlier input) are grouped as "does not reproduce alone".
set -u
build=$1 t=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$build/tests/fuzz_$t
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
if (($# == 0)); then
  set -- $(find "$build/artifacts/$t" -type f | sort)
fi
declare -A count smallest size
for f in "$@"; do
  out=$("$bin" -runs=1 "$f" 2>&1)
  label=$(grep -m1 -oE 'fuzz check failed: [^0-9]*' <<<"$out")
  if [[ -z $label ]]; then
    label=$(grep -m1 -E '^SUMMARY: ' <<<"$out" | sed -E 's/ on address.*//; s/ 0x[0-9a-f]+//g; s/:[0-9]+:[0-9]+ / /')
    frame=$(grep -E '^ +#[0-9]+ .* in [a-z_]+ .*/src/' <<<"$out" | head -1 | sed -E 's/.* in ([a-z_0-9]+) .*\/(src\/[^:]+):([0-9]+).*/\1 \2:\3/')
    [[ -n $frame ]] && label="$label [first own frame: $frame]"
  fi
  [[ -z $label ]] && label="does not reproduce alone"
  n=$(stat -c %s "$f")
  count[$label]=$((${count[$label]:-0} + 1))
  if [[ -z ${size[$label]:-} || $n -lt ${size[$label]} ]]; then
    size[$label]=$n
    smallest[$label]=$f
  fi
done
for l in "${!count[@]}"; do
  printf '%4d  %-60s  %s\n' "${count[$l]}" "${smallest[$l]} (${size[$l]} B)" "$l"
done | sort -rn
