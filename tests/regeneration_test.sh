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
check "--check: shows the changed lines as a diff" 'grep -q "^--- pubs.html (on disk)$" run.err && grep -q "^+.*pubrender-extra2020" run.err'
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

# ---- issue 12: an output that is an input is refused ---------------------------------
# (same file however named: hard link, symlink, ./x, ../dir/x; .bib, config,
# venues, co-authors, templates; and outputs against each other). Exit 2, a
# message naming both, nothing written.
mkdir same && cd same || exit 2
cp "$ROOT/data/pubs.bib" pubs.bib
cp pubs.bib orig.bib
"$BIN" pubs.bib >pubs.html
cp pubs.html orig.html
unchanged() { cmp -s pubs.bib orig.bib && cmp -s pubs.html orig.html; }
run "$BIN" -o pubs.bib pubs.html
check "swapped (-o pubs.bib pubs.html): exit 2" '[[ $rc == 2 ]]'
check "swapped: says why" 'grep -qF "pubrender: -o pubs.bib: pubrender writes no BibTeX; refusing to overwrite a .bib file (are the output and the input swapped?)" run.err'
check "swapped: the .bib is kept" 'unchanged'
run "$BIN" pubs.html
check "an HTML page as the input: a warning naming it, exit 0" \
  '[[ $rc == 0 && $(cat run.err) == "pubs.html:1: warning: no entries found — is this a .bib file?" ]]'
cp pubs.bib data.txt
ln pubs.bib hard.html
ln -s pubs.bib link.html
ln -s ../same/data.txt link2.out
mkdir sub
for spelling in "-o hard.html pubs.bib:hard.html:pubs.bib" "-o link.html pubs.bib:link.html:pubs.bib" \
                "-o ./data.txt data.txt:./data.txt:data.txt" "-o ../same/data.txt data.txt:../same/data.txt:data.txt" \
                "-o data.txt sub/../data.txt:data.txt:sub/../data.txt" "-o link2.out data.txt:link2.out:data.txt"; do
  args=${spelling%%:*} rest=${spelling#*:}
  o=${rest%%:*} i=${rest#*:}
  cp orig.bib data.txt
  read -ra argv <<<"$args"
  run "$BIN" "${argv[@]}"
  check "-o onto the input ($args): exit 2, names both, input kept" \
    '[[ $rc == 2 ]] && grep -qF "pubrender: -o $o is the input $i (the same file); nothing written" run.err && cmp -s data.txt orig.bib && unchanged'
done
ln pubs.bib hard.d
run "$BIN" -o out.html --depfile hard.d pubs.bib
check "--depfile onto the input: exit 2, nothing written" \
  '[[ $rc == 2 && ! -e out.html ]] && grep -qF "pubrender: --depfile hard.d is the input pubs.bib (the same file)" run.err && unchanged'
run "$BIN" --css link.html pubs.bib
check "--css onto the input: exit 2, nothing written" \
  '[[ $rc == 2 ]] && grep -qF "pubrender: --css link.html is the input pubs.bib (the same file)" run.err && unchanged'
run "$BIN" -o out.html --depfile ./out.html pubs.bib
check "--depfile onto -o (not there yet): exit 2, names both, nothing written" \
  '[[ $rc == 2 && ! -e out.html ]] && grep -qF "pubrender: -o out.html and --depfile ./out.html are the same file; nothing written" run.err'
"$BIN" -o out.html pubs.bib
cp out.html out.orig
run "$BIN" -o out.html --css ../same/out.html pubs.bib
check "--css onto -o: exit 2, names both, -o kept" \
  '[[ $rc == 2 ]] && grep -qF "pubrender: -o out.html and --css ../same/out.html are the same file" run.err && cmp -s out.html out.orig'
ln -s deps.d dangling.d
run "$BIN" -o out.html --depfile deps.d --css dangling.d pubs.bib
check "--css onto --depfile through a dangling link: exit 2, nothing written" \
  '[[ $rc == 2 && ! -e deps.d ]] && grep -qF "pubrender: --depfile deps.d and --css dangling.d are the same file" run.err'
printf 'venues:\n' >v.yml
printf 'x: {}\n' >venues.yml
printf -- '- name: Nobody\n  url: https://example.org/\n' >co.yml
cp venues.yml venues.orig
run "$BIN" --venues venues.yml -o ./venues.yml pubs.bib
check "-o onto --venues: exit 2, kept" '[[ $rc == 2 ]] && grep -qF "pubrender: -o ./venues.yml is the input venues.yml" run.err && cmp -s venues.yml venues.orig'
printf 'highlight: ["Byungsoo Oh"]\n' >cfg.yml
cp cfg.yml cfg.orig
run "$BIN" --config cfg.yml -o out.html --depfile cfg.yml pubs.bib
check "--depfile onto --config: exit 2, kept" '[[ $rc == 2 ]] && grep -qF "pubrender: --depfile cfg.yml is the input cfg.yml" run.err && cmp -s cfg.yml cfg.orig'
cp cfg.yml pubrender.yml
run "$BIN" -o pubrender.yml pubs.bib
check "-o onto the pubrender.yml found next to the .bib: exit 2, kept" \
  '[[ $rc == 2 ]] && grep -qF "pubrender: -o pubrender.yml is the input pubrender.yml" run.err && cmp -s pubrender.yml cfg.orig'
rm pubrender.yml
mkdir -p tpl/html
printf '<li>{{title}}</li>\n' >tpl/html/entry.mustache
cp tpl/html/entry.mustache entry.orig
run "$BIN" --template tpl -o tpl/html/entry.mustache pubs.bib
check "-o onto a template: exit 2, kept" \
  '[[ $rc == 2 ]] && grep -qF "pubrender: -o tpl/html/entry.mustache is the input tpl/html/entry.mustache" run.err && cmp -s tpl/html/entry.mustache entry.orig'
run "$BIN" --template tpl --css ./tpl/html/entry.mustache pubs.bib
check "--css onto a template: exit 2, kept" '[[ $rc == 2 ]] && cmp -s tpl/html/entry.mustache entry.orig'
cd .. || exit 2

# ---- issue 12: -o onto links, FIFOs, devices and standard output -----------------------
mkdir links && cd links || exit 2
cp "$ROOT/data/pubs.bib" pubs.bib
"$BIN" pubs.bib >expected.html
"$BIN" --highlight "Byungsoo Oh" pubs.bib >highlighted.html
mkdir site other
echo old >site/pubs.html
chmod 640 site/pubs.html
ln -s site/pubs.html link.html
ln -s ../site/pubs.html other/rel.html
ln -s link.html chain.html
notmp() { [[ -z $(ls -A . site other | grep tmp-) ]]; }
run "$BIN" -o link.html pubs.bib
check "-o link: exit 0" '[[ $rc == 0 ]]'
check "-o link: the link stays a link to the same target" '[[ -L link.html && $(readlink link.html) == site/pubs.html ]]'
check "-o link: its target holds the rendering" 'cmp -s site/pubs.html expected.html'
check "-o link: the target keeps its permission bits" '[[ $(stat -c %a site/pubs.html) == 640 ]]'
check "-o link: no temporary file left" 'notmp'
old_mtime site/pubs.html
before=$(stamp site/pubs.html)
run "$BIN" -o link.html pubs.bib
check "-o link, unchanged: target's mtime and inode kept" '[[ $rc == 0 && $(stamp site/pubs.html) == "$before" ]]'
run "$BIN" --check -o link.html pubs.bib
check "--check -o link, up to date: exit 0" '[[ $rc == 0 ]]'
run "$BIN" --highlight "Byungsoo Oh" --check -o chain.html pubs.bib
check "--check -o link, out of date: exit 1, nothing written" '[[ $rc == 1 && $(stamp site/pubs.html) == "$before" ]]'
run "$BIN" --highlight "Byungsoo Oh" -o chain.html pubs.bib
check "-o a chain of links: both links stay, the target is replaced" \
  '[[ $rc == 0 && -L chain.html && -L link.html ]] && cmp -s site/pubs.html highlighted.html && notmp'
run "$BIN" -o other/rel.html pubs.bib
check "-o a relative link in another directory: resolved from the link's directory" \
  '[[ $rc == 0 && -L other/rel.html ]] && cmp -s site/pubs.html expected.html && [[ ! -e other/site ]]'
ln -s site/new.html dangling.html
run "$BIN" -o dangling.html pubs.bib
check "-o a dangling link: the target is created, the link stays" \
  '[[ $rc == 0 && -L dangling.html && -f site/new.html ]] && cmp -s site/new.html expected.html'
ln -s deps/real.d dep-link.d
mkdir deps
run "$BIN" -o link.html --depfile dep-link.d pubs.bib
check "--depfile onto a link: written to its target, the link stays" '[[ $rc == 0 && -L dep-link.d && -s deps/real.d ]]'
ln -s loop2 loop1
ln -s loop1 loop2
run "$BIN" -o loop1 pubs.bib
check "-o a loop of links: exit 2, an error" '[[ $rc == 2 ]] && grep -q "cannot write loop1: Too many levels of symbolic links" run.err && [[ -L loop1 && -L loop2 ]]'
mkfifo fifo
timeout 20 cat fifo >from-fifo &
reader=$!
run timeout 20 "$BIN" -o fifo pubs.bib
wait "$reader"
check "-o FIFO: exit 0, the FIFO stays a FIFO" '[[ $rc == 0 && -p fifo ]]'
check "-o FIFO: the reader got the rendering" 'cmp -s from-fifo expected.html'
run timeout 20 "$BIN" --check -o fifo pubs.bib
check "--check -o FIFO: exit 1 at once, says why" \
  '[[ $rc == 1 && $(cat run.err) == "pubrender: fifo is not up to date: it is not a regular file" && -p fifo ]]'
if mknod null c 1 3 2>/dev/null; then
  run "$BIN" -o null pubs.bib
  check "-o a character device: exit 0, the device stays" '[[ $rc == 0 && -c null ]]'
fi
"$BIN" -o /dev/fd/1 pubs.bib >fd1.out 2>fd1.err
check "-o /dev/fd/1: the rendering on standard output" 'cmp -s fd1.out expected.html'
# /dev/stdout only once /dev/fd/1 works: an older binary replaced the link.
if cmp -s fd1.out expected.html; then
  "$BIN" -o /dev/stdout pubs.bib | cat >stdout.out
  check "-o /dev/stdout into a pipe: the rendering" 'cmp -s stdout.out expected.html && [[ -L /dev/stdout ]]'
  echo previous >log.txt
  "$BIN" -o /dev/stdout pubs.bib >>log.txt
  check "-o /dev/stdout >>log: appended, what was there kept" \
    '[[ $(head -1 log.txt) == previous ]] && cmp -s <(tail -n +2 log.txt) expected.html'
fi
cd .. || exit 2

echo "$pass passed, $fail failed"
((fail == 0))
