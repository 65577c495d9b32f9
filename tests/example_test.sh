#!/usr/bin/env bash
# The README shows examples/hello.c verbatim, and the program works.
set -u
hello=$1 root=$2
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
block=$(awk '/<!-- example: examples\/hello.c -->/{f=1; next} f && /^```c$/{g=1; next} g && /^```$/{exit} g' "$root/README.md")
check "README shows examples/hello.c verbatim" '[[ "$block" == "$(cat "$root/examples/hello.c")" ]]'
out=$("$hello" "$root/data/pubs.bib" 2>"${TMPDIR:-/tmp}/hello.err.$$")
err=$(cat "${TMPDIR:-/tmp}/hello.err.$$"); rm -f "${TMPDIR:-/tmp}/hello.err.$$"
check "records listed in file order" '[[ $(echo "$err" | head -1) == "um2024metis (2024): Um" ]]'
check "six records" '[[ $(echo "$err" | wc -l) == 6 ]]'
check "HTML rendered with the highlight" '[[ $(grep -o "<strong class=\"pubrender-me\">Byungsoo Oh</strong>" <<<"$out" | wc -l) == 6 ]]'
echo "$pass passed, $fail failed"
((fail == 0))
