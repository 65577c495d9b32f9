#!/usr/bin/env bash
# vnu_test.sh PUBRENDER REPO_ROOT [CACHE_DIR]
#
# Every HTML output of the golden tests (tests/golden/*.html and
# tests/golden/own/*.html, tests/golden/corpus/*.html) and the standalone pages of the browser test
# (data/pubs.bib, tests/corpus/alfolio-site.bib and ../shared/corpus/alfolio-papers.bib, rendered with
# the same options) must pass the Nu Html Checker (vnu-jar, run as
# `java -jar vnu.jar --errors-only`) with zero errors. A fragment is validated
# inside a minimal HTML5 document (doctype, <html lang="en">, <meta charset>,
# <title>, <body>), a standalone page as it is. vnu also checks the CSS in the
# page's <style>.
#
# vnu-jar (pinned in tests/browser/package-lock.json) is installed with
# `npm ci` into CACHE_DIR (default: browser/ beside PUBRENDER, shared with
# tests/browser_test.sh) the first time, and again only when the lock file
# changes. Exit 77 (skipped) without node, npm or Java 11+
# (scripts/install-deps.sh --test installs them). One line per document, "ok"
# or "FAIL" with vnu's messages; the last line is "N passed, N failed".
set -u
if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: vnu_test.sh PUBRENDER REPO_ROOT [CACHE_DIR]" >&2
  exit 2
fi
BIN=$1
ROOT=$(cd "$2" && pwd) || exit 2
CACHE=${3:-$(dirname "$BIN")/browser}
command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
# shellcheck source=browser/common.sh
. "$ROOT/tests/browser/common.sh"
pr_have_java || { echo "SKIP: no Java 11 or newer (apt-get install default-jre-headless)"; exit 77; }
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}

pr_npm_ci "$ROOT/tests/browser" "$CACHE" vnu-jar/build/dist/vnu.jar ||
  { echo "0 passed, 1 failed"; exit 1; }
JAR=$CACHE/node_modules/vnu-jar/build/dist/vnu.jar

T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
npass=0 nfail=0
fail() { printf 'FAIL: %s: %s\n' "$1" "$2"; nfail=$((nfail + 1)); }

# docs: the file vnu reads -> the name to report
declare -A name shift_lines
docs=()
shopt -s nullglob
for f in "$ROOT"/tests/golden/*.html "$ROOT"/tests/golden/own/*.html "$ROOT"/tests/golden/corpus/*.html; do
  rel=${f#"$ROOT"/}
  if head -c 15 "$f" | grep -qi '^<!DOCTYPE html'; then
    doc=$f
  else
    doc=$T/$rel
    mkdir -p "$(dirname "$doc")"
    {
      printf '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
      printf '<title>%s</title>\n</head>\n<body>\n' "$(basename "$rel")"
      cat "$f"
      printf '</body>\n</html>\n'
    } >"$doc"
    rel="$rel (fragment)"
    shift_lines[$doc]=7 # the shell's lines above the fragment
  fi
  docs+=("$doc")
  name[$doc]=$rel
done
render() { # render NAME BIB ARGS...
  local out=$T/rendered/$1.html bib=$2
  shift 2
  mkdir -p "$T/rendered"
  # shellcheck disable=SC2086  # PR_TEST_WRAPPER: valgrind under make memcheck
  if ! ${PR_TEST_WRAPPER:-} "$BIN" "$@" -o "$out" "$bib" 2>"$T/err"; then
    fail "pubrender $* $bib" "$(head -3 "$T/err")"
    return
  fi
  docs+=("$out")
  name[$out]="pubrender $* ${bib#"$ROOT"/}"
}
render pubs "$ROOT/data/pubs.bib" --standalone --highlight "Byungsoo Oh"
render alfolio-site "$ROOT/tests/corpus/alfolio-site.bib" --standalone --highlight "Ines Varga" \
  --group-by year --max-authors 3 --venues "$ROOT/tests/corpus/alfolio-site-venues.yml"
if [[ -r $ROOT/../shared/corpus/alfolio-papers.bib ]]; then
  render alfolio "$ROOT/../shared/corpus/alfolio-papers.bib" --standalone \
    --highlight "Albert Einstein" --group-by year
else
  echo "note: $ROOT/../shared/corpus/alfolio-papers.bib is not there: not checked"
fi

# one JVM for every document; messages as "file:FILE":L.C-L.C: error: TEXT
java -jar "$JAR" --errors-only --format gnu "${docs[@]}" >"$T/vnu" 2>&1
rc=$?
for doc in "${docs[@]}"; do
  # "file:DOC":L.C-L.C: ... -> line L.C-L.C: ..., lines of the file as stored
  msgs=$(grep -F "\"file:$doc\":" "$T/vnu" | sed "s|^\"file:$doc\":||" |
         awk -v d="${shift_lines[$doc]:-0}" '{
           if (match($0, /^[0-9]+\.[0-9]+-[0-9]+\.[0-9]+:/)) {
             split(substr($0, 1, RLENGTH - 1), r, /[.-]/)
             $0 = sprintf("line %d.%d-%d.%d:%s", r[1] - d, r[2], r[3] - d, r[4], substr($0, RLENGTH + 1))
           }
           print }')
  if [[ -n $msgs ]]; then
    fail "${name[$doc]}" "$(wc -l <<<"$msgs") error(s)"
    while IFS= read -r m; do printf '    %s\n' "$m"; done <<<"$msgs"
  else
    echo "ok ${name[$doc]}"
    npass=$((npass + 1))
  fi
done
# vnu failed without a message on one of our files (a crash, a bad option)
if ((rc != 0 && nfail == 0)); then
  fail "vnu.jar" "exit $rc: $(head -5 "$T/vnu")"
fi
echo "$npass passed, $nfail failed (vnu-jar $(java -jar "$JAR" --version 2>/dev/null))"
((nfail == 0))
