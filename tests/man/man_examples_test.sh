#!/usr/bin/env bash
# man_examples_test.sh PUBRENDER MAN3_EXAMPLE REPO_ROOT
#
# The man pages' examples as a reader would use them:
# - man 3 pubrender's EXAMPLE (compiled by CMake from the page itself,
#   tests/man/extract_example.cmake) prints exactly the expected list, with
#   the BibTeX accent read as C reads the page's string (Caf{\'e} -> Café);
# - man 1 pubrender's EXAMPLES, taken from the page, run one after the other
#   in a scratch directory holding data/pubs.bib as pubs.bib: each exits 0
#   (--watch is stopped with SIGTERM after 2 seconds, which exits 0), and the
#   files they name are written.
set -u
if [[ $# -ne 3 ]]; then
  echo "usage: man_examples_test.sh PUBRENDER MAN3_EXAMPLE REPO_ROOT" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
EX=$2
ROOT=$(cd "$3" && pwd) || exit 2
export LC_ALL=C.UTF-8
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT

npass=0 nfail=0
check() { # what condition
  if eval "$2"; then npass=$((npass + 1)); else echo "FAIL: $1"; nfail=$((nfail + 1)); fi
}

# ---- man 3 ----
"$EX" >"$T/ex.out" 2>"$T/ex.err"
rc=$?
expected='<div class="pubrender">
<ol class="pubrender-list">
<li class="pubrender-entry pubrender-type-misc" id="pubrender-k">
<div class="pubrender-title">Café</div>
<div class="pubrender-venue">2020</div>
</li>
</ol>
</div>'
check "man 3 example: exits 0" '[[ $rc == 0 ]]'
check "man 3 example: prints the list with Café" '[[ $(cat "$T/ex.out") == "$expected" ]]' ||
  { echo "  got:"; cat "$T/ex.out"; }
check "man 3 example: nothing on stderr" '[[ ! -s $T/ex.err ]]'

# ---- man 1 ----
# The lines between .nf and .fi of .SH EXAMPLES, with the page's escapes read.
mapfile -t lines < <(sed -n '/^\.SH EXAMPLES$/,/^\.SH /p' "$ROOT/man/pubrender.1" |
  sed -n '/^\.nf$/,/^\.fi$/p' | sed '1d;$d' |
  sed 's/\\-/-/g; s/\\(dq/"/g; s/\\(aq/'"'"'/g; s/\\e/\\/g')
check "man 1: the page has examples" '(( ${#lines[@]} >= 8 ))'
cp "$ROOT/data/pubs.bib" "$T/pubs.bib"
PUBDIR=$(dirname "$BIN")
for line in "${lines[@]}"; do
  [[ $line == pubrender* || $line == *"| pubrender"* ]] ||
    { check "man 1: '$line' is a pubrender command" false; continue; }
  if [[ $line == *--watch* ]]; then
    (cd "$T" && PATH=$PUBDIR:$PATH timeout --preserve-status -s TERM 2 bash -c "exec $line" \
      >cmd.out 2>cmd.err)
  else
    (cd "$T" && PATH=$PUBDIR:$PATH bash -c "$line" >cmd.out 2>cmd.err)
  fi
  rc=$?
  check "man 1: '$line' exits 0 (got $rc: $(head -c 300 "$T/cmd.err"))" '[[ $rc == 0 ]]'
done
for f in pubs.html pubs.md pubs.csl.json index.html pubs.html.d pubs.json; do
  check "man 1: the examples wrote $f" '[[ -s $T/$f ]]'
done
check "man 1: the JSON of standard input names it -" \
  'grep -q "\"file\": \"-\"" "$T/pubs.json" && ! grep -q "<stdin>" "$T/pubs.json"'

echo "$npass passed, $nfail failed"
[[ $nfail == 0 ]]
