#!/usr/bin/env bash
# readers_test.sh PUBRENDER REPO_ROOT
#
# Issue 12, items 12 and 13: every file pubrender is named is read by one
# bounded reader, and YAML aliases are bounded.
#  - A .bib, --config, --venues, --coauthors and a template (the list
#    template, a partial, the stylesheet) that is /dev/zero, a FIFO with no
#    writer, a directory, a link to /dev/zero, or a sparse file past the
#    size limit: each run ends at once with exit 2 and a message naming the
#    file and what is wrong. Standard input ("-") still reads a pipe.
#  - Billion-laughs files (aliases of a long scalar, nested lists of
#    aliases) as coauthors.yml, venues.yml and pubrender.yml: exit 2 with
#    file:line:column at the alias; ordinary aliases still load.
# Each run is under `timeout` (a hang is a failure, not a stuck ctest).
# Last line: "N passed, N failed".
set -u
if [[ $# -ne 2 ]]; then
  echo "usage: readers_test.sh PUBRENDER REPO_ROOT" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd) || exit 2
export LC_ALL=C
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

npass=0 nfail=0 rc=0
ok() { npass=$((npass + 1)); }
fail() { printf 'FAIL: %s: expected %s, got %s\n' "$1" "$2" "$3"; nfail=$((nfail + 1)); }
# run NAME CMD...: at most 20 s; stdout -> NAME.out, stderr -> NAME.err, status -> $rc
run() {
  local n=$1
  shift
  timeout 20 "$@" >"$n.out" 2>"$n.err" </dev/null
  rc=$?
}
expect_rc() { if [[ $rc == "$2" ]]; then ok; else fail "$1: exit status" "$2" "$rc ($(head -c 300 "$3"))"; fi; }
expect_err() { # what errfile exact-first-line
  local got
  got=$(head -n 1 "$2")
  if [[ $got == "$3" ]]; then ok; else fail "$1: stderr" "\"$3\"" "\"$got\""; fi
}

printf '@misc{a, title = {A title}}\n' >ok.bib
mkdir -p bibdir
cp ok.bib bibdir/ok.bib

# ---- item 13: files that are not regular, or too large ----------------------

mkfifo fifo
mkdir adir
ln -s /dev/zero zero-link
truncate -s 17M big.yml          # sparse: past the 16 MiB limit, no disk used
truncate -s 1025M big.bib        # past the 1 GiB limit of a .bib

# bad PATH: the message a file of each kind gets
declare -A why=(
  [/dev/zero]="not a regular file (a character device)"
  [fifo]="not a regular file (a FIFO or pipe)"
  [adir]="not a regular file (a directory)"
  [zero-link]="not a regular file (a character device)"
)
for f in /dev/zero fifo adir zero-link big.yml; do
  w=${why[$f]:-"larger than the 16 MiB limit (17825792 bytes)"}
  for opt in --config --venues --coauthors; do
    run o "$BIN" "$opt" "$f" ok.bib
    expect_rc "$opt $f" 2 o.err
    expect_err "$opt $f" o.err "$f: error: $w"
  done
  # a pubrender.yml found next to the .bib
  rm -rf cfg && mkdir cfg && cp ok.bib cfg/ && ln -s "$(realpath -m "$f")" cfg/pubrender.yml
  run o "$BIN" cfg/ok.bib
  expect_rc "found pubrender.yml -> $f" 2 o.err
  expect_err "found pubrender.yml -> $f" o.err "cfg/pubrender.yml: error: $w"
done

# the .bib itself
for f in /dev/zero fifo adir zero-link big.bib; do
  w=${why[$f]:-"larger than the 1 GiB limit (1074790400 bytes)"}
  run o "$BIN" "$f"
  expect_rc ".bib $f" 2 o.err
  expect_err ".bib $f" o.err "$f: error: $w"
done
# standard input may be a pipe (and a FIFO with a writer behind it)
out=$(cat ok.bib | timeout 20 "$BIN" - 2>/dev/null)
if [[ $out == *"A title"* ]]; then ok; else fail "a .bib through a pipe on stdin" "the entry" "\"$out\""; fi

# templates: the list template, a partial it includes, the stylesheet. A
# FIFO, a directory or a file past the limit inside the template directory
# is refused as not readable; a link to /dev/zero (or anything else outside
# the directory) is refused before it is opened (template_test.sh, item 5).
# make_in KIND PATH: put a bad object of KIND at PATH
make_in() {
  case $1 in
    fifo) mkfifo "$2" ;;
    adir) mkdir "$2" ;;
    big.yml) truncate -s 17M "$2" ;;
    *) ln -s "$(realpath -m "$1")" "$2" ;;
  esac
}
out_link="it is a link (or in a folder linked) out of the template directory"
for f in /dev/zero fifo adir zero-link big.yml; do
  w=${why[$f]:-"larger than the 16 MiB limit (17825792 bytes)"}
  [[ $f == /dev/zero || $f == zero-link ]] && w=$out_link
  rm -rf tpl && mkdir -p tpl/html
  make_in "$f" tpl/html/list.mustache
  run o "$BIN" --template tpl ok.bib
  expect_rc "--template: list.mustache -> $f" 2 o.err
  expect_err "--template: list.mustache -> $f" o.err "tpl/html/list.mustache: error: template refused: $w"

  rm -rf tpl && mkdir -p tpl/html
  printf '{{#groups}}{{> mine}}{{/groups}}\n' >tpl/html/list.mustache
  make_in "$f" tpl/html/mine.mustache
  run o "$BIN" --template tpl ok.bib
  expect_rc "--template: partial -> $f" 2 o.err
  expect_err "--template: partial -> $f" o.err \
    "tpl/html/list.mustache:1:12: error: partial 'mine' refused: tpl/html/mine.mustache: $w"

  rm -rf tpl && mkdir -p tpl
  make_in "$f" tpl/pubrender.css
  run o "$BIN" --template tpl --css out.css ok.bib
  expect_rc "--template: pubrender.css -> $f" 2 o.err
  expect_err "--template: pubrender.css -> $f" o.err "tpl/pubrender.css: error: stylesheet refused: $w"
done
# a partial that does not exist is still the built-in one (or empty)
rm -rf tpl && mkdir -p tpl/html
printf '{{#groups}}[{{> nothere}}]{{/groups}}\n' >tpl/html/list.mustache
run o "$BIN" --template tpl ok.bib
expect_rc "--template: a missing partial" 0 o.err
if [[ $(cat o.out) == "[]" ]]; then ok; else fail "a missing partial" "\"[]\"" "\"$(cat o.out)\""; fi

# ---- item 12: YAML aliases ---------------------------------------------------

long=$(head -c 90000 /dev/zero | tr '\0' x)
aliases=$(printf '*a, %.0s' $(seq 20000))
# coauthors.yml: 20,000 uses of a 90 KB first name (180 KB file, 1.8 GB expanded)
printf 'oh:\n  - firstname: [&a "%s", %s*a]\n    url: https://example.org/\n' "$long" "$aliases" >coauthors.yml
run o "$BIN" --coauthors coauthors.yml bibdir/ok.bib
expect_rc "coauthors.yml billion laughs" 2 o.err
expect_err "coauthors.yml billion laughs" o.err \
  "coauthors.yml:2:90764: error: aliases expand the file to more than 16 MiB of text"
# venues.yml: 20,000 venues whose url is an alias of a 90 KB url
{
  printf 'v0: {url: &a "https://example.org/%s", color: red}\n' "$long"
  for i in $(seq 1 20000); do printf 'v%d: {url: *a}\n' "$i"; done
} >venues.yml
run o "$BIN" --venues venues.yml bibdir/ok.bib
expect_rc "venues.yml billion laughs" 2 o.err
expect_err "venues.yml billion laughs" o.err \
  "venues.yml:187:13: error: aliases expand the file to more than 16 MiB of text"
# pubrender.yml: highlight names, the classic nested form (lists are refused
# as aliases when walked, but the expansion is counted before that)
printf 'highlight: [&a "%s", %s*a]\n' "$long" "$aliases" >laughs.yml
run o "$BIN" --config laughs.yml bibdir/ok.bib
expect_rc "pubrender.yml billion laughs" 2 o.err
expect_err "pubrender.yml billion laughs" o.err \
  "laughs.yml:1:90760: error: aliases expand the file to more than 16 MiB of text"
{
  printf 'a0: &a0 ["lol"]\n'
  for i in $(seq 1 9); do
    printf 'a%d: &a%d [*a%d' "$i" "$i" $((i - 1))
    for _ in $(seq 9); do printf ', *a%d' $((i - 1)); done
    printf ']\n'
  done
  printf 'highlight: *a9\n'
} >nested.yml
run o "$BIN" --config nested.yml bibdir/ok.bib
expect_rc "nested laughs" 2 o.err
expect_err "nested laughs" o.err \
  "nested.yml:7:25: error: aliases expand the file to more than 1000000 nodes"
printf 'x: &x [*x]\n' >self.yml
run o "$BIN" --venues self.yml bibdir/ok.bib
expect_rc "an alias inside its own node" 2 o.err
expect_err "an alias inside its own node" o.err "self.yml:1:8: error: an alias inside the node it names"
# ordinary aliases still load
printf 'oh:\n  - firstname: [&b Byungsoo, B.]\n    url: &u https://example.org/oh\nkim:\n  - firstname: [*b]\n    url: *u\n' >small.yml
printf '@misc{a, title = {T}, author = {Kim, Byungsoo}}\n' >bibdir/kim.bib
run o "$BIN" --coauthors small.yml bibdir/kim.bib
expect_rc "ordinary aliases" 0 o.err
if grep -q 'href="https://example.org/oh"' o.out; then ok; else fail "ordinary aliases" "the link" "$(head -c 300 o.out)"; fi

echo "$npass passed, $nfail failed"
[[ $nfail == 0 ]]
