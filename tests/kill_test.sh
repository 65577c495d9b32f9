#!/usr/bin/env bash
# kill_test.sh PUBRENDER REPO_ROOT
# Stops `pubrender -o` with SIGTERM or SIGKILL at many moments while it
# renders a large file over an existing output: the output is always the
# old file or the complete new one, never a part; after SIGTERM no
# temporary file is left (after SIGKILL one may be, but the output is intact).
set -u
bin=$1 root=$2
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 2
for i in $(seq 1 400); do sed "s/@inproceedings{\([a-z0-9]*\)/@inproceedings{\1x$i/" "$root/data/pubs.bib"; done >big.bib
"$bin" -o full.html big.bib 2>/dev/null
check "reference render" '[[ -s full.html ]]'
for sig in TERM KILL; do
  for delay in 0 0.01 0.02 0.05 0.1 0.2 0.3 0.5; do
    echo "OLD CONTENT" >out.html
    "$bin" -o out.html big.bib 2>/dev/null &
    pid=$!
    sleep "$delay"
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    check "SIG$sig after ${delay}s: out.html is the old or the complete new file" \
      '[[ $(cat out.html) == "OLD CONTENT" ]] || cmp -s out.html full.html'
    if [[ $sig == TERM ]]; then
      check "SIG$sig after ${delay}s: no temporary file left" '[[ -z $(ls -A | grep tmp-) ]]'
    fi
    rm -f out.html.tmp-*
  done
done
echo "$pass passed, $fail failed"
((fail == 0))
