#!/usr/bin/env bash
# cli_test.sh PUBRENDER REPO_ROOT
#
# End-to-end tests of the pubrender command: exit codes, diagnostics, standard
# input, -o, rendered content and multiple input files. Every check prints
# "FAIL: <what>: expected ..., got ..." when it fails; the last line is
# "N passed, N failed" and the exit status is non-zero if any check failed.
#
# All scratch files live in a mktemp -d directory (removed on exit), which is
# also the working directory, so diagnostics name the bare file ("mid.bib").
#
# In sanitizer builds, tests/lsan.supp (set by ctest, or here when run by
# hand) silences one leak that belongs to libbtparse (see that file).
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: cli_test.sh PUBRENDER REPO_ROOT" >&2
  exit 2
fi
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
BIN=$(abspath "$1")
ROOT=$(cd "$2" && pwd) || exit 2
PUBS=$ROOT/data/pubs.bib
[[ -x $BIN ]] || { echo "cli_test.sh: $1 is not an executable" >&2; exit 2; }
[[ -r $PUBS ]] || { echo "cli_test.sh: $PUBS not found" >&2; exit 2; }

export LC_ALL=C   # byte-wise grep/length; English getopt messages
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}

T=$(mktemp -d) || exit 2
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 2

# ---- helpers ----------------------------------------------------------------

npass=0 nfail=0
rc=0
ok() { npass=$((npass + 1)); }
fail() { # what expected got
  printf 'FAIL: %s: expected %s, got %s\n' "$1" "$2" "$3"
  nfail=$((nfail + 1))
}
# A value quoted for a FAIL line: newlines shown as \n, long values cut.
q() {
  local s=$1
  ((${#s} > 300)) && s="${s:0:300}..."
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}
# slurp FILE: the whole content of FILE, trailing newlines included, in $SLURP
# (a command substitution would drop them).
SLURP=
slurp() { SLURP=$(cat -- "$1"; printf x); SLURP=${SLURP%x}; }

# run NAME CMD...: stdout -> NAME.out, stderr -> NAME.err, status -> $rc.
run() {
  local n=$1
  shift
  "$@" >"$n.out" 2>"$n.err"
  rc=$?
}

expect_rc() { # what expected
  if [[ $rc == "$2" ]]; then ok; else fail "$1: exit status" "$2" "$rc"; fi
}
expect_eq() { # what expected actual
  if [[ $3 == "$2" ]]; then ok; else fail "$1" "$(q "$2")" "$(q "$3")"; fi
}
expect_content() { # what file expected-bytes
  slurp "$2"
  if [[ $SLURP == "$3" ]]; then ok; else fail "$1" "$(q "$3")" "$(q "$SLURP")"; fi
}
expect_empty() { # what file
  slurp "$2"
  if [[ -z $SLURP ]]; then ok; else fail "$1" "nothing" "$(q "$SLURP")"; fi
}
expect_same() { # what expected-file actual-file
  local d
  if d=$(cmp -- "$2" "$3" 2>&1); then ok; else fail "$1" "the same bytes as $2" "$d"; fi
}
expect_has() { # what file needle
  slurp "$2"
  if [[ $SLURP == *"$3"* ]]; then ok; else fail "$1" "$(q "$3") in $2" "$(q "$SLURP")"; fi
}
expect_lacks() { # what file needle
  slurp "$2"
  if [[ $SLURP != *"$3"* ]]; then ok; else fail "$1" "no $(q "$3") in $2" "it is there"; fi
}
expect_count() { # what file needle n   (needle on one line)
  local c
  c=$(grep -oF -- "$3" "$2" | wc -l)
  c=$((c + 0))
  if [[ $c == "$4" ]]; then ok; else fail "$1" "$4 x $(q "$3")" "$c"; fi
}
expect_starts() { # what file prefix
  local h
  h=$(head -c "${#3}" -- "$2")
  if [[ $h == "$3" ]]; then ok; else fail "$1" "to start with $(q "$3")" "$(q "$h")"; fi
}
# Lines of a file matching an extended regexp, as a string.
lines_matching() { grep -E -- "$2" "$1" || true; }

# The one ": error: " line of a stderr file must start with prefix and end with
# suffix; every other line must be a well-formed warning of the same file (so a
# sanitizer report or stray output fails the check).
expect_one_error() { # what errfile prefix suffix file-label
  local errs n
  errs=$(lines_matching "$2" ': error: ')
  n=$(printf '%s' "$errs" | grep -c '' || true)
  if [[ $n == 1 ]]; then ok; else fail "$1: error lines on stderr" "exactly 1" "$n: $(q "$errs")"; fi
  if [[ $errs == "$3"* ]]; then ok; else fail "$1: error line" "to start with $(q "$3")" "$(q "$errs")"; fi
  if [[ $errs == *"$4" ]]; then ok; else fail "$1: error line" "to end with $(q "$4")" "$(q "$errs")"; fi
  local other
  # shellcheck disable=SC2016 # the $ in the sed expression is a regex character
  other=$(grep -vE -- "^$(printf '%s' "$5" | sed 's/[][\.*^$()+?{}|]/\\&/g'):[0-9]+: (error|warning): " "$2" || true)
  if [[ -z $other ]]; then ok; else fail "$1: stderr" "only $5:LINE: error|warning: lines" "$(q "$other")"; fi
}

# ---- inputs ----------------------------------------------------------------

# Each entry is 5 lines; files put one blank line between entries.
good1() {
  cat <<'EOF'
@article{good1,
  title   = {First Good Paper},
  author  = {Alice Smith},
  year    = {2020}
}
EOF
}
good2() {
  cat <<'EOF'
@article{good2,
  title   = {Second Good Paper},
  author  = {Carol White},
  year    = {2019}
}
EOF
}
# broken KEY TITLE: the comma after the title (entry line 2) is missing.
broken() {
  cat <<EOF
@article{$1,
  title   = {$2}
  author  = {Bob Jones},
  year    = {2021}
}
EOF
}
join_entries() { # prints its arguments' outputs separated by blank lines
  local first=1 e
  for e in "$@"; do
    ((first)) || echo
    first=0
    eval "$e"
  done
}

# =============================================================================
# 1. exit codes, usage, --help, --version
# =============================================================================

run pubs "$BIN" "$PUBS"
expect_rc "pubs.bib" 0
expect_empty "pubs.bib: stderr" pubs.err
expect_starts "pubs.bib: stdout" pubs.out '<div class="pubrender">'

run noargs "$BIN"
expect_rc "no arguments" 2
expect_empty "no arguments: stdout" noargs.out
expect_content "no arguments: stderr" noargs.err \
  $'pubrender: no input file (use - for standard input)\nTry \'pubrender --help\'.\n'

run badopt "$BIN" --bogus "$PUBS"
expect_rc "unknown option" 2
expect_empty "unknown option: stdout" badopt.out
# The first line is getopt_long's: "<argv[0] as invoked>: unrecognized option".
slurp badopt.err
expect_eq "unknown option: stderr after \"argv[0]: \"" \
  "unrecognized option '--bogus'"$'\n'"Try 'pubrender --help'."$'\n' "${SLURP#*: }"

run badfmt "$BIN" -f pdf "$PUBS"
expect_rc "unknown --format value" 2
expect_empty "unknown --format value: stdout" badfmt.out
expect_content "unknown --format value: stderr" badfmt.err \
  $'pubrender: unknown format \'pdf\' (use html, markdown, json, csl-json or view-json)\nTry \'pubrender --help\'.\n'

run badfmt2 "$BIN" --format=PDF "$PUBS"
expect_rc "--format=PDF" 2
expect_has "--format=PDF: stderr" badfmt2.err "pubrender: unknown format 'PDF' (use html, markdown, json, csl-json or view-json)"

run noarg "$BIN" "$PUBS" -f
expect_rc "-f without a value" 2
expect_empty "-f without a value: stdout" noarg.out

run missing "$BIN" missing.bib
expect_rc "missing file" 2
expect_empty "missing file: stdout" missing.out
expect_content "missing file: stderr" missing.err $'missing.bib: error: cannot open: No such file or directory\n'

# A good file before the missing one: nothing is rendered at all.
run missing2 "$BIN" "$PUBS" missing.bib
expect_rc "good file then missing file" 2
expect_empty "good file then missing file: stdout" missing2.out
expect_content "good file then missing file: stderr" missing2.err \
  $'missing.bib: error: cannot open: No such file or directory\n'

mkdir adir
run dir "$BIN" adir
expect_rc "a directory as input" 2
expect_empty "a directory as input: stdout" dir.out
expect_content "a directory as input: stderr" dir.err $'adir: error: not a regular file (a directory)\n'

good1 >noperm.bib
chmod 000 noperm.bib
if [[ -r noperm.bib ]]; then
  echo "NOTE: running as root (a mode-000 file is still readable): unreadable-file check skipped; the directory check above stands in for it"
else
  run noperm "$BIN" noperm.bib
  expect_rc "unreadable file" 2
  expect_empty "unreadable file: stdout" noperm.out
  expect_content "unreadable file: stderr" noperm.err $'noperm.bib: error: cannot open: Permission denied\n'
fi
chmod 644 noperm.bib

run help "$BIN" --help
expect_rc "--help" 0
expect_empty "--help: stderr" help.err
expect_starts "--help: stdout" help.out "Usage: pubrender "
if grep -qx 'Examples:' help.out; then ok; else fail "--help" 'a line "Examples:"' "none"; fi
expect_eq "--help: first line after Examples:" "  pubrender" \
  "$(sed -n '/^Examples:$/{n;p;}' help.out | cut -c1-11)"
run h "$BIN" -h
expect_rc "-h" 0
expect_same "-h output" help.out h.out

run version "$BIN" --version
expect_rc "--version" 0
expect_empty "--version: stderr" version.err
expect_content "--version: stdout" version.out $'pubrender 0.1.0\n'

# Inputs without any entry are valid, empty bibliographies: an empty list and
# exit 0 ("Text outside entries (e.g. Jekyll front matter) is ignored").
: >empty.bib
run empty "$BIN" empty.bib
expect_rc "empty .bib file" 0
expect_empty "empty .bib file: stderr" empty.err
expect_content "empty .bib file: stdout" empty.out \
  $'<div class="pubrender">\n<ol class="pubrender-list">\n</ol>\n</div>\n'
printf -- '---\nlayout: page\ntitle: Publications\n---\n%% no entries yet\n' >frontmatter.bib
run fm "$BIN" frontmatter.bib
expect_rc "front matter and a comment, no entry" 0
expect_empty "front matter and a comment, no entry: stderr" fm.err

# =============================================================================
# 2. diagnostics: a broken entry is skipped and reported, the others survive
# =============================================================================
#
# About the line numbers: the broken entry lacks the comma at the end of its
# title line, but btparse only notices when it reads the next token, "author",
# on the following line, and reports that line (the message says 'found
# "author"'). The assertions below use the line btparse reports, i.e. the
# "author" line, and check the message names that token. The "inline" case
# puts both fields on one line, where the reported line and the line of the
# missing comma coincide.

# check_broken NAME FILE ERRPREFIX KEY [KEY2 ERRPREFIX2]: the two good entries
# rendered (newest first), no broken title, exit 1, the error line(s).
check_broken() {
  local n=$1 f=$2
  run "$n" "$BIN" "$f"
  expect_rc "$n" 1
  expect_eq "$n: rendered titles" \
    $'<div class="pubrender-title">First Good Paper</div>\n<div class="pubrender-title">Second Good Paper</div>' \
    "$(lines_matching "$n.out" 'pubrender-title')"
  expect_lacks "$n: stdout" "$n.out" "Broken"
  expect_count "$n: entries" "$n.out" '<li ' 2
}

# Broken entry in the middle: good1 lines 1-5, broken 7-11 (title line 8,
# "author" line 9), good2 13-17.
join_entries good1 "broken broken1 'Broken Middle Paper'" good2 >mid.bib
expect_eq "mid.bib line 9 (test input)" "  author  = {Bob Jones}," "$(sed -n 9p mid.bib)"
check_broken mid mid.bib
expect_one_error "mid" mid.err "mid.bib:9: error: found \"author\"" "(entry 'broken1' skipped)" mid.bib

# Broken entry first: lines 1-5, "author" on line 3.
join_entries "broken brokenFirst 'Broken First Paper'" good1 good2 >first.bib
check_broken first first.bib
expect_one_error "first" first.err "first.bib:3: error: found \"author\"" "(entry 'brokenFirst' skipped)" first.bib

# Broken entry last: lines 13-17, "author" on line 15.
join_entries good1 good2 "broken brokenLast 'Broken Last Paper'" >last.bib
check_broken last last.bib
expect_one_error "last" last.err "last.bib:15: error: found \"author\"" "(entry 'brokenLast' skipped)" last.bib

# Broken entries first and last: "author" on lines 3 and 21.
join_entries "broken brokenA 'Broken A Paper'" good1 good2 "broken brokenZ 'Broken Z Paper'" >both.bib
check_broken both both.bib
expect_eq "both: error lines" \
  "both.bib:3: error: found \"author\", expected \",\" or \"}\" after the value of 'title' (entry 'brokenA' skipped)"$'\n'"both.bib:21: error: found \"author\", expected \",\" or \"}\" after the value of 'title' (entry 'brokenZ' skipped)" \
  "$(lines_matching both.err ': error: ')"

# Missing comma between two fields on the same line (line 8): the reported
# line is the line of the problem.
{
  good1
  echo
  cat <<'EOF'
@article{brokenInline,
  title   = {Broken Inline Paper} author = {Bob Jones},
  year    = {2021}
}
EOF
  echo
  good2
} >inline.bib
expect_eq "inline.bib line 8 (test input)" "  title   = {Broken Inline Paper} author = {Bob Jones}," "$(sed -n 8p inline.bib)"
check_broken inline inline.bib
expect_one_error "inline" inline.err "inline.bib:8: error: found \"author\"" "(entry 'brokenInline' skipped)" inline.bib

# =============================================================================
# 3. standard input
# =============================================================================

run stdin "$BIN" - <"$PUBS"
expect_rc "- < pubs.bib" 0
expect_empty "- < pubs.bib: stderr" stdin.err
expect_same "- < pubs.bib: stdout vs pubs.bib" pubs.out stdin.out

cat -- "$PUBS" | "$BIN" - >pipe.out 2>pipe.err
rc=$?
expect_rc "cat pubs.bib | pubrender -" 0
expect_same "cat pubs.bib | pubrender -: stdout vs pubs.bib" pubs.out pipe.out

run stdinbad "$BIN" - <mid.bib
expect_rc "- < mid.bib" 1
expect_same "- < mid.bib: stdout vs mid.bib" mid.out stdinbad.out
expect_one_error "- < mid.bib" stdinbad.err "<stdin>:9: error: found \"author\"" "(entry 'broken1' skipped)" "<stdin>"

# =============================================================================
# 4. -o
# =============================================================================

run md "$BIN" -f markdown "$PUBS"
mkdir o
(
  cd o || exit 1
  run o1 "$BIN" -o out.html "$PUBS"
  echo "$rc" >o1.rc
)
rc=$(cat o/o1.rc)
expect_rc "-o out.html" 0
expect_empty "-o out.html: stdout" o/o1.out
expect_content "-o out.html: stderr, what it did" o/o1.err \
  "pubrender: out.html: 6 entries, 0 warnings, 0 errors; written"$'\n'
expect_same "-o out.html: file vs stdout output" pubs.out o/out.html
rm -f o/o1.out o/o1.err o/o1.rc
expect_eq "files in the directory after -o out.html" "out.html" "$(ls -A o)"

run o2 "$BIN" -o o/out.md "$PUBS"
expect_rc "-o out.md" 0
expect_empty "-o out.md: stdout" o2.out
expect_starts "-o out.md: inferred Markdown" o/out.md "1.  **"
expect_same "-o out.md: file vs -f markdown stdout" md.out o/out.md

run o3 "$BIN" -f html -o o/forced.md "$PUBS"
expect_rc "-f html -o forced.md" 0
expect_same "-f html -o forced.md: -f wins over the extension" pubs.out o/forced.md

# JSON formats: -f json, -f csl-json (or csljson), and from -o's extension
run js "$BIN" -f json "$PUBS"
expect_rc "-f json" 0
expect_starts "-f json: pubrender's records" js.out $'[\n  {\n    "key": "um2024metis",'
run csl "$BIN" -f csl-json "$PUBS"
expect_rc "-f csl-json" 0
expect_starts "-f csl-json: CSL-JSON" csl.out $'[\n  {\n    "id": "um2024metis",\n    "type": "paper-conference",'
run csl2 "$BIN" --format=CSLJSON "$PUBS"
expect_same "--format=CSLJSON is csl-json" csl.out csl2.out
mkdir oj
run oj1 "$BIN" -o oj/out.json "$PUBS"
expect_rc "-o out.json" 0
expect_same "-o out.json: inferred json" js.out oj/out.json
run oj2 "$BIN" -o oj/out.csl.json "$PUBS"
expect_rc "-o out.csl.json" 0
expect_same "-o out.csl.json: inferred csl-json" csl.out oj/out.csl.json
rm -r oj

run o4 "$BIN" -o o/nodir/out.html "$PUBS"
expect_rc "-o into a nonexistent directory" 2
expect_empty "-o into a nonexistent directory: stdout" o4.out
expect_content "-o into a nonexistent directory: stderr" o4.err \
  $'pubrender: cannot write o/nodir/out.html: No such file or directory\n'
if [[ ! -e o/nodir ]]; then ok; else fail "-o into a nonexistent directory" "no o/nodir" "it exists"; fi

mkdir o/target
run o5 "$BIN" -o o/target "$PUBS"
expect_rc "-o onto a directory" 2
expect_content "-o onto a directory: stderr" o5.err $'pubrender: cannot write o/target: Is a directory\n'
expect_eq "-o onto a directory: the directory is untouched" "" "$(ls -A o/target)"
rmdir o/target

chmod 640 o/out.html
run o6 "$BIN" -o o/out.html "$PUBS"
expect_rc "-o over an existing mode-640 file" 0
expect_eq "-o over an existing file: permission bits" 640 "$(stat -c %a o/out.html)"
expect_same "-o over an existing file: content" pubs.out o/out.html

(umask 022 && "$BIN" -o o/new022.html "$PUBS")
expect_eq "-o new file under umask 022: permission bits" 644 "$(stat -c %a o/new022.html)"
(umask 077 && "$BIN" -o o/new077.html "$PUBS")
expect_eq "-o new file under umask 077: permission bits" 600 "$(stat -c %a o/new077.html)"

# A broken entry: -o keeps the last good file (here: none) unless --keep-going
# (regeneration_test.sh covers an existing file).
run o7 "$BIN" -o o/partial.html mid.bib
expect_rc "-o with a broken entry" 1
if [[ ! -e o/partial.html ]]; then ok; else fail "-o with a broken entry" "no o/partial.html" "it exists"; fi
run o8 "$BIN" --keep-going -o o/partial.html mid.bib
expect_rc "--keep-going -o with a broken entry" 1
expect_same "--keep-going -o with a broken entry: file vs stdout output" mid.out o/partial.html

# No temporary file (out.html.tmp-*) is left behind by any of the above.
expect_eq "files in the directory after all -o runs" \
  $'forced.md\nnew022.html\nnew077.html\nout.html\nout.md\npartial.html' "$(ls -A o)"
expect_eq "no *.tmp-* files in the scratch directory" "" "$(find . -name '*.tmp-*')"

# =============================================================================
# 5. content of data/pubs.bib
# =============================================================================

ME="Byungsoo Oh"
run hl "$BIN" --highlight "$ME" "$PUBS"
expect_rc "--highlight" 0
expect_empty "--highlight: stderr" hl.err

titles=$(sed -n 's/.*<div class="pubrender-title">\([^<]*\)<\/div>.*/\1/p' hl.out)
expected_order=(Metis FastFlow "PokéMem" DAPAS Serverless-Enabled "Enhancing Trust")
expect_eq "number of titles" 6 "$(printf '%s\n' "$titles" | grep -c '')"
i=0
while IFS= read -r t; do
  p=${expected_order[$i]:-}
  if [[ -n $p && $t == "$p"* ]]; then ok; else fail "title $((i + 1)) (newest first)" "to start with $(q "$p")" "$(q "$t")"; fi
  i=$((i + 1))
done <<<"$titles"

expect_count "--highlight: highlighted names" hl.out "<strong class=\"pubrender-me\">$ME</strong>" 6
expect_count "--highlight: all occurrences of the name" hl.out "$ME" 6
expect_count "no --highlight: highlighted names" pubs.out 'pubrender-me' 0

for variant in "Oh, B." "B. Oh" "BYUNGSOO OH"; do
  run hlv "$BIN" --highlight "$variant" "$PUBS"
  expect_rc "--highlight \"$variant\"" 0
  expect_same "--highlight \"$variant\" vs \"$ME\"" hl.out hlv.out
done

expect_count "equal-contribution legend" hl.out "(* = Equal Contribution)" 1
expect_has "ATC venue" hl.out "In <em>USENIX Annual Technical Conference (USENIX ATC)</em>, 2024"

run sa "$BIN" --standalone --highlight "$ME" "$PUBS"
expect_rc "--standalone" 0
expect_empty "--standalone: stderr" sa.err
expect_starts "--standalone" sa.out "<!DOCTYPE html>"
slurp hl.out
fragment=$SLURP
expect_has "--standalone contains the fragment" sa.out "$fragment"
expect_has "--standalone: closing tag" sa.out "</html>"

run mdhl "$BIN" -f markdown --highlight "$ME" "$PUBS"
expect_rc "markdown --highlight" 0
expect_empty "markdown --highlight: stderr" mdhl.err
expect_starts "markdown" mdhl.out "1.  **Metis: "
expect_count "markdown: bold name" mdhl.out "**$ME**" 6
expect_has "markdown: escaped marks" mdhl.out 'Taegeon Um\*, **Byungsoo Oh**\*, Minyoung Kang\*'
run mdalias "$BIN" -f md --highlight "$ME" "$PUBS"
expect_same "-f md vs -f markdown" mdhl.out mdalias.out

if command -v cmark >/dev/null 2>&1; then
  cmark <mdhl.out >cmark.html 2>cmark.err
  rc=$?
  expect_rc "cmark on the Markdown" 0
  expect_has "cmark HTML" cmark.html "PokéMem"
  expect_count "cmark HTML: bold name" cmark.html "<strong>$ME</strong>" 6
  expect_has "cmark HTML: marks stay literal" cmark.html "Taegeon Um*, <strong>$ME</strong>*, Minyoung Kang*"
  expect_count "cmark HTML: list items" cmark.html "<li>" 6
else
  echo "NOTE: cmark not installed; skipped rendering the Markdown with cmark"
fi

# =============================================================================
# 6. several files: @string scope (README "@string scope"): by default the
#    macros of earlier files are defined in later ones (BibTeX's rule), never
#    in earlier ones; --string-scope file (or string-scope: file) keeps each
#    file's macros its own
# =============================================================================

cat >a.bib <<'EOF'
@string{conf = {Conference On Macros}}

@inproceedings{alpha2020,
  title     = {Alpha Paper},
  author    = {Ann Alpha},
  booktitle = conf,
  year      = {2020}
}
EOF
cat >b.bib <<'EOF'
@inproceedings{beta2021,
  title     = {Beta Paper},
  author    = {Ben Beta},
  booktitle = conf,
  year      = {2021}
}
EOF
UNDEF_CONF=$'b.bib:4: warning: entry \'beta2021\', field \'booktitle\': undefined macro \'conf\', read as the word as written (define it with an @string before this entry, or write it in braces)\n'
venue_of() { sed -n "/id=\"pubrender-$2\"/,/<\/li>/p" "$1" | grep 'pubrender-venue'; }

run ab "$BIN" a.bib b.bib
expect_rc "a.bib b.bib" 0
expect_empty "a.bib b.bib: stderr (b.bib sees a.bib's macro)" ab.err
expect_eq "a.bib b.bib: rendered titles" \
  $'<div class="pubrender-title">Beta Paper</div>\n<div class="pubrender-title">Alpha Paper</div>' \
  "$(lines_matching ab.out 'pubrender-title')"
expect_count "a.bib b.bib: macro text" ab.out "Conference On Macros" 2
expect_eq "a.bib b.bib: beta's venue (a.bib's macro)" '<div class="pubrender-venue">In <em>Conference On Macros</em>, 2021</div>' \
  "$(venue_of ab.out beta2021)"
run abshared "$BIN" --string-scope shared a.bib b.bib
expect_rc "--string-scope shared" 0
expect_eq "--string-scope shared is the default" "$(cat ab.out)" "$(cat abshared.out)"

# in order: a macro of a later file is not defined in an earlier one
run ba "$BIN" b.bib a.bib
expect_rc "b.bib a.bib (an undefined macro is a warning)" 0
expect_content "b.bib a.bib: stderr" ba.err "$UNDEF_CONF"
expect_eq "b.bib a.bib: beta's venue (macro undefined: the word as written)" '<div class="pubrender-venue">In <em>conf</em>, 2021</div>' \
  "$(venue_of ba.out beta2021)"

# --string-scope file: each file's macros are its own
run abfile "$BIN" --string-scope file a.bib b.bib
expect_rc "--string-scope file a.bib b.bib (an undefined macro is a warning)" 0
expect_content "--string-scope file: stderr" abfile.err "$UNDEF_CONF"
expect_count "--string-scope file: macro text" abfile.out "Conference On Macros" 1
expect_eq "--string-scope file: alpha's venue (macro expanded)" '<div class="pubrender-venue">In <em>Conference On Macros</em>, 2020</div>' \
  "$(venue_of abfile.out alpha2020)"
expect_eq "--string-scope file: beta's venue (macro undefined: the word as written)" '<div class="pubrender-venue">In <em>conf</em>, 2021</div>' \
  "$(venue_of abfile.out beta2021)"
printf 'string-scope: file\n' >scope.yml
run abcfg "$BIN" --config scope.yml a.bib b.bib
expect_rc "string-scope: file in a configuration file" 0
expect_content "string-scope: file: stderr" abcfg.err "$UNDEF_CONF"
expect_eq "string-scope: file renders as --string-scope file" "$(cat abfile.out)" "$(cat abcfg.out)"
run abcfg2 "$BIN" --config scope.yml --string-scope shared a.bib b.bib
expect_empty "--string-scope shared overrides the configuration file" abcfg2.err
run badscope "$BIN" --string-scope global a.bib
expect_rc "--string-scope global" 2
expect_starts "--string-scope global: stderr" badscope.err "pubrender: unknown @string scope 'global' (use shared or file)"
printf 'string-scope: everywhere\n' >badscope.yml
run badscopecfg "$BIN" --config badscope.yml a.bib
expect_rc "string-scope: everywhere" 2
expect_count "string-scope: everywhere: stderr" badscopecfg.err "shared or file" 1

# a later file redefining a macro: a warning naming both places
cat >c.bib <<'EOF'
@string{conf = {Other Conference}}
@misc{gamma2022, title = {Gamma}, howpublished = conf, year = 2022}
EOF
run abc "$BIN" a.bib c.bib b.bib
expect_rc "a.bib c.bib b.bib" 0
expect_content "a.bib c.bib b.bib: stderr" abc.err $'c.bib:1: warning: @string \'conf\' redefined (defined before at a.bib:1); the new text applies from here on\n'
expect_eq "a.bib c.bib b.bib: beta's venue (c.bib's text)" '<div class="pubrender-venue">In <em>Other Conference</em>, 2021</div>' \
  "$(venue_of abc.out beta2021)"
expect_eq "a.bib c.bib b.bib: alpha's venue (unchanged)" '<div class="pubrender-venue">In <em>Conference On Macros</em>, 2020</div>' \
  "$(venue_of abc.out alpha2020)"

# Control: the same text in one file does expand the macro in both entries.
cat a.bib b.bib >ab1.bib
run ab1 "$BIN" ab1.bib
expect_rc "a.bib+b.bib as one file" 0
expect_empty "a.bib+b.bib as one file: stderr" ab1.err
expect_count "a.bib+b.bib as one file: macro text" ab1.out "Conference On Macros" 2

# =============================================================================

echo "$npass passed, $nfail failed"
((nfail == 0))
