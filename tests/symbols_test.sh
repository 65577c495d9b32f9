#!/usr/bin/env bash
# symbols_test.sh LIBPUBRENDER.so [PUBRENDER.h]
# The shared library exports only pr_ names (nm -D --defined-only), and with
# the header: exactly the functions pubrender.h declares with PUBRENDER_EXPORT.
set -u
so=$1 header=${2:-}
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
exported=$(nm -D --defined-only "$so" | awk '{print $NF}' | sort)
other=$(grep -v '^pr_' <<<"$exported")
check "$so exports only pr_ symbols; others: $(echo $other)" '[[ -z $other ]]'
check "$so exports some symbols" '[[ $(wc -l <<<"$exported") -gt 10 ]]'
if [[ -n $header ]]; then
  declared=$(tr '\n' ' ' <"$header" | grep -o 'PUBRENDER_EXPORT [^;]*;' |
             grep -o '\bpr_[a-z0-9_]*[[:space:]]*(' | tr -d ' (' | sort -u)
  missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
  extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
  check "every PUBRENDER_EXPORT function of pubrender.h is exported; missing: $(echo $missing)" '[[ -z $missing ]]'
  check "nothing is exported that pubrender.h does not declare; extra: $(echo $extra)" '[[ -z $extra ]]'
fi
echo "$pass passed, $fail failed"
((fail == 0))
