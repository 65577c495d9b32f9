#!/usr/bin/env bash
# regeneration_test.sh PUBRENDER REPO_ROOT
#
# -o as a build step: an unchanged result leaves FILE alone (content, mtime,
# inode); a broken .bib keeps the last good FILE unless --keep-going;
# --check exits 0 when FILE is up to date and 1 (with a summary) when not;
# --depfile lists every file read, and make rebuilds exactly when one changes.
# Prints "FAIL: ..." per failed check and "N passed, N failed".
set -u
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
BIN=$(abspath "$1")
ROOT=$(cd "$2" && pwd) || exit 2
export LC_ALL=C
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
run() { "$@" >run.out 2>run.err; rc=$?; }
stamp() { stat -c '%i %Y.%y' "$1"; }   # inode, mtime (with nanoseconds)
old_mtime() { touch -d '2001-02-03 04:05:06' "$@"; }

cp "$ROOT/data/pubs.bib" pubs.bib
cat >more.bib <<'EOF'
@misc{extra2020, title = {An Extra Entry}, author = {Oh, Byungsoo}, year = {2020}}
EOF
# The same list with a broken entry (missing comma after the key's field).
cat >broken.bib <<'EOF'
@misc{broken2021, title = {Broken} author = {Nobody}, year = {2021}}
EOF

# ---- -o: unchanged output keeps content, mtime and inode ----------------------
run "$BIN" -o pubs.html pubs.bib
check "first -o exits 0" '[[ $rc == 0 ]]'
"$BIN" pubs.bib >expected.html
check "first -o writes the rendering" 'cmp -s pubs.html expected.html'
old_mtime pubs.html
before=$(stamp pubs.html)
run "$BIN" -o pubs.html pubs.bib
check "unchanged: exits 0" '[[ $rc == 0 ]]'
check "unchanged: mtime and inode kept" '[[ $(stamp pubs.html) == "$before" ]]'
check "unchanged: no temporary file left" '[[ -z $(ls -A | grep tmp-) ]]'
touch pubs.bib   # a newer input, same content: still nothing to write
run "$BIN" -o pubs.html pubs.bib
check "touched input, same result: mtime kept" '[[ $(stamp pubs.html) == "$before" ]]'
run "$BIN" --highlight "Byungsoo Oh" -o pubs.html pubs.bib
check "changed result: file rewritten" '[[ $(stamp pubs.html) != "$before" ]]'
check "changed result: new content" 'grep -q pubrender-me pubs.html'
chmod 640 pubs.html
run "$BIN" -o pubs.html pubs.bib
check "rewrite keeps the permission bits" '[[ $(stat -c %a pubs.html) == 640 ]]'

# ---- a broken .bib keeps the last good file ---------------------------------------
"$BIN" -o pubs.html pubs.bib
old_mtime pubs.html
before=$(stamp pubs.html)
run "$BIN" -o pubs.html pubs.bib broken.bib
check "broken .bib: exits 1" '[[ $rc == 1 ]]'
check "broken .bib: the diagnostic names the file and line" 'grep -q "^broken.bib:1: error:" run.err'
check "broken .bib: says the file is kept" 'grep -q "pubrender: pubs.html not written: 1 error in the input" run.err'
check "broken .bib: last good file kept (content)" 'cmp -s pubs.html expected.html'
check "broken .bib: last good file kept (mtime, inode)" '[[ $(stamp pubs.html) == "$before" ]]'
run "$BIN" --keep-going -o pubs.html pubs.bib broken.bib
check "--keep-going: still exits 1" '[[ $rc == 1 ]]'
"$BIN" pubs.bib broken.bib >with-broken.html 2>/dev/null
check "--keep-going: writes the rendering of the good entries" 'cmp -s pubs.html with-broken.html'
run "$BIN" -o never.html broken.bib
check "broken .bib, no previous file: none created" '[[ ! -e never.html ]]'
run "$BIN" -o pubs.html missing.bib
check "missing .bib: exits 2, file kept" '[[ $rc == 2 ]] && cmp -s pubs.html with-broken.html'

# ---- --check ------------------------------------------------------------------------
"$BIN" -o pubs.html pubs.bib
old_mtime pubs.html
before=$(stamp pubs.html)
run "$BIN" --check -o pubs.html pubs.bib
check "--check, up to date: exits 0" '[[ $rc == 0 ]]'
check "--check, up to date: silent" '[[ ! -s run.err && ! -s run.out ]]'
run "$BIN" --check -o pubs.html pubs.bib more.bib
check "--check, a new entry: exits 1" '[[ $rc == 1 ]]'
check "--check: names the file and counts lines" \
  'grep -q "^pubrender: pubs.html is not up to date: [0-9]* lines\? added, [0-9]* removed; first difference at line [0-9]*$" run.err'
check "--check: shows the first differing line, as it is and as it would be" 'grep -q "^  - " run.err && grep -q "^  + .*pubrender-extra2020" run.err'
check "--check: never writes" '[[ $(stamp pubs.html) == "$before" ]] && [[ -z $(ls -A | grep tmp-) ]]'
check "--check: nothing on stdout" '[[ ! -s run.out ]]'
sed '$d' pubs.html >cut.html   # the last line missing
run "$BIN" --check -o cut.html pubs.bib
check "--check, a line missing: exits 1, 1 added" '[[ $rc == 1 ]] && grep -q "1 line added, 0 removed" run.err'
run "$BIN" --check -o absent.html pubs.bib
check "--check, no file: exits 1" '[[ $rc == 1 ]] && grep -q "absent.html is not up to date: it does not exist" run.err'
check "--check, no file: none created" '[[ ! -e absent.html ]]'
run "$BIN" --check -o pubs.html pubs.bib broken.bib
check "--check, broken input: exits 1" '[[ $rc == 1 ]]'
run "$BIN" --check pubs.bib
check "--check without -o: usage error 2" '[[ $rc == 2 ]] && grep -q -- "--check needs -o FILE" run.err'
run "$BIN" -f markdown --check -o pubs.md pubs.bib
check "--check -f markdown against the HTML file: exits 1" '[[ $rc == 1 ]]'

# ---- --depfile --------------------------------------------------------------------------
mkdir "dir with space"
cp more.bib "dir with space/extra#1.bib"
run "$BIN" -o out.html --depfile out.d pubs.bib "dir with space/extra#1.bib"
check "--depfile: exits 0" '[[ $rc == 0 ]]'
expected_dep=$'out.html: \\\n pubs.bib \\\n dir\\ with\\ space/extra\\#1.bib\n\npubs.bib:\n\ndir\\ with\\ space/extra\\#1.bib:'
check "--depfile: a Make rule for every input (escaped), plus empty rules" \
  '[[ $(cat out.d) == "$expected_dep" ]]'
old_mtime out.d
before=$(stamp out.d)
run "$BIN" -o out.html --depfile out.d pubs.bib "dir with space/extra#1.bib"
check "--depfile unchanged: not rewritten" '[[ $(stamp out.d) == "$before" ]]'
rm -f out.d
run "$BIN" -o out.html --depfile out.d pubs.bib broken.bib
check "--depfile on an input error: still written" 'grep -q "broken.bib" out.d'
run "$BIN" --depfile out.d pubs.bib
check "--depfile without -o: usage error 2" '[[ $rc == 2 ]]'

# make with the depfile: rebuilds exactly when an input changes.
if command -v make >/dev/null; then
  cat >Makefile <<EOF
list.html: pubs.bib
	"$BIN" -o \$@ --depfile \$@.d pubs.bib more.bib
-include list.html.d
EOF
  rm -f list.html list.html.d
  make -s >make1.out 2>&1
  check "make: first build" '[[ -s list.html && -s list.html.d ]]'
  check "make: second build has nothing to do" '[[ $(make 2>&1) == *"is up to date"* ]]'
  sleep 1.1; echo '@misc{late2019, title = {Late}, year = {2019}}' >>more.bib
  check "make: a change in an input only the depfile names rebuilds" \
    '[[ $(make 2>&1) == *"$BIN"* ]] && grep -q Late list.html'
  rm more.bib
  check "make: a deleted input (gone from the command) does not break make" \
    '[[ $(make 2>&1) != *"No rule to make target"* ]]'
fi

echo "$pass passed, $fail failed"
((fail == 0))
