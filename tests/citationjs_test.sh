#!/usr/bin/env bash
# citationjs_test.sh PUBRENDER REPO_ROOT [CACHE_DIR]
#
# pubrender's CSL-JSON must be accepted by citation-js: for data/pubs.bib
# every tests/corpus/*.bib (with its NAME.args there) and every
# ../shared/corpus/*.bib when it is beside us (with tests/golden/corpus/NAME.args),
# `pubrender -f csl-json FILE` is checked by tests/citationjs/check.js:
# recognised as CSL-JSON, left unchanged by citation-js's CSL cleaner (every
# field valid), every record kept, and formatted by citeproc-js (APA) into a
# bibliography with one entry per record.
#
# citation-js (@citation-js/core and @citation-js/plugin-csl, versions pinned
# in tests/citationjs/package-lock.json) is installed with `npm ci` into
# CACHE_DIR (default: citationjs/ beside PUBRENDER, i.e. in the build tree)
# the first time, and again only when the lock file changes. Exit 77
# (skipped) when node or npm is missing (scripts/install-deps.sh --test
# installs them). The last line is "N passed, N failed".
set -u

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: citationjs_test.sh PUBRENDER REPO_ROOT [CACHE_DIR]" >&2
  exit 2
fi
BIN=$1
ROOT=$(cd "$2" && pwd) || exit 2
CACHE=${3:-$(dirname "$BIN")/citationjs}
command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}

# ---- citation-js, once per lock file ----
SRC=$ROOT/tests/citationjs
mkdir -p "$CACHE" || exit 2
if ! cmp -s "$SRC/package-lock.json" "$CACHE/installed.lock" ||
   [[ ! -d $CACHE/node_modules/@citation-js/plugin-csl ]]; then
  echo "installing citation-js into $CACHE (npm ci)"
  cp "$SRC/package.json" "$SRC/package-lock.json" "$CACHE/" || exit 2
  rm -f "$CACHE/installed.lock"
  # quiet, no audit or funding requests, the npm cache first when it has
  # the packages; no lifecycle scripts are needed
  if ! (cd "$CACHE" && npm ci --no-audit --no-fund --prefer-offline --ignore-scripts \
          --loglevel=error >npm.log 2>&1); then
    echo "FAIL: npm ci in $CACHE failed:"
    tail -20 "$CACHE/npm.log"
    echo "0 passed, 1 failed"
    exit 1
  fi
  cp "$SRC/package-lock.json" "$CACHE/installed.lock"
fi
export NODE_PATH=$CACHE/node_modules

T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT

npass=0 nfail=0
fail() { printf 'FAIL: %s: %s\n' "$1" "$2"; nfail=$((nfail + 1)); }

shopt -s nullglob
files=("$ROOT/data/pubs.bib" "$ROOT"/tests/corpus/*.bib "$ROOT"/../shared/corpus/*.bib)
[[ -d $ROOT/../shared/corpus ]] ||
  echo "note: $ROOT/../shared/corpus is not there: only data/pubs.bib and tests/corpus are read"
jsons=()
declare -A names
for f in "${files[@]}"; do
  name=${f#"$ROOT"/}
  args=()
  argf=${f%.bib}.args
  [[ -r $argf ]] || argf=$ROOT/tests/golden/corpus/$(basename "$f" .bib).args
  [[ -r $argf ]] && mapfile -t args <"$argf"
  out=$T/${#jsons[@]}.json
  # exit status 1 (some entry had an error) still renders the others
  # shellcheck disable=SC2086  # PR_TEST_WRAPPER: valgrind under make memcheck
  ${PR_TEST_WRAPPER:-} "$BIN" -f csl-json "${args[@]}" "$f" >"$out" 2>"$T/err"
  rc=$?
  if ((rc > 1)); then
    fail "$name" "pubrender exited $rc: $(head -3 "$T/err")"
    continue
  fi
  jsons+=("$out")
  names[$out]=$name
done
# one node process for all files (citeproc-js takes a while to load)
if ((${#jsons[@]})); then
  node "$SRC/check.js" "${jsons[@]}" >"$T/check" 2>&1
  for out in "${jsons[@]}"; do
    line=$(grep -F -m1 -e "ok $out: " -e "FAIL $out: " "$T/check")
    if [[ $line == "ok $out: "* ]]; then
      echo "ok ${names[$out]}: ${line#"ok $out: "}"
      npass=$((npass + 1))
    else
      line=${line#"FAIL $out: "}
      fail "${names[$out]}" "${line:-no result from check.js: $(head -5 "$T/check")}"
    fi
  done
fi
echo "$npass passed, $nfail failed"
((nfail == 0))
