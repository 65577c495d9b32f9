#!/usr/bin/env bash
# cli_output_test.sh PUBRENDER REPO_ROOT
#
# What the command says, for CI logs and people (issue 17, items 3-5), each
# asserted as the exact standard error and exit status:
#   --quiet, --strict, repeated warnings counted (--all-warnings), the line
#   that says what -o did, --check's diff (bounded, control characters
#   escaped), -o - (standard output), an unknown -o extension, --no-config,
#   the JSON "file" of standard input, and the options of --help, the man
#   page and the README being one list.
# Prints "FAIL: <what>: expected ..., got ..." per failed check; the last line
# is "N passed, N failed".
set -u
if [[ $# -ne 2 ]]; then
  echo "usage: cli_output_test.sh PUBRENDER REPO_ROOT" >&2
  exit 2
fi
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ROOT=$(cd "$2" && pwd) || exit 2
export LC_ALL=C.UTF-8
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 2

npass=0 nfail=0 rc=0
ok() { npass=$((npass + 1)); }
fail() { printf 'FAIL: %s: expected %s, got %s\n' "$1" "$2" "$3"; nfail=$((nfail + 1)); }
q() { local s=$1; ((${#s} > 2000)) && s="${s:0:2000}..."; printf '"%s"' "${s//$'\n'/\\n}"; }
# run NAME CMD...: stdout -> NAME.out, stderr -> NAME.err, status -> $rc
run() { local n=$1; shift; "$@" >"$n.out" 2>"$n.err"; rc=$?; }
slurp() { SLURP=$(cat -- "$1"; printf x); SLURP=${SLURP%x}; }
expect_rc() { if [[ $rc == "$2" ]]; then ok; else fail "$1: exit status" "$2" "$rc"; fi; }
# expect_err WHAT NAME LINES...: NAME.err is exactly these lines
expect_err() {
  local what=$1 n=$2 want=""
  shift 2
  (($#)) && want=$(printf '%s\n' "$@")$'\n'
  slurp "$n.err"
  want=${want%$'\n'}
  local got=${SLURP%$'\n'}
  if [[ $got == "$want" ]]; then ok; else fail "$what: stderr" "$(q "$want")" "$(q "$got")"; fi
}
check() { if eval "$2"; then ok; else fail "$1" "true" "false"; fi; }

cp "$ROOT/data/pubs.bib" pubs.bib
# 9 copies of one entry: 8 duplicate-key warnings; 2 unknown LaTeX commands.
{
  for i in 1 2 3 4 5 6 7 8 9; do printf '@misc{dup, title={T}, year=2020}\n'; done
  printf '@misc{x, title={\\foo{a}\\bar{b}}, year=2020}\n'
} >dups.bib
dup() { echo "dups.bib:$1: warning: duplicate key 'dup': the same entry as at dups.bib:1 (shown once)"; }
LATEX1="dups.bib:10: warning: entry 'x', field 'title': unknown LaTeX command \\foo (its argument, or its name when it has none, is kept as text; warned once)"
LATEX2="dups.bib:10: warning: entry 'x', field 'title': unknown LaTeX command \\bar (its argument, or its name when it has none, is kept as text; warned once)"
MORE3="dups.bib: warning: 3 more 'duplicate key' warnings not shown (--all-warnings shows them)"
printf '@misc{a, title={One}, year=2020}\n@misc{b title={Two}, year=2019}\n' >err.bib
ERR='err.bib:2: error: found "title", expected "," (entry '"'b'"' skipped)'

# ---- repeated warnings: 5 of a kind, then one line with the count ---------
run w "$BIN" -o w.html dups.bib
expect_rc "warnings: exit 0" 0
expect_err "warnings: 5 duplicate keys, then a count" w "$(dup 2)" "$(dup 3)" "$(dup 4)" \
  "$(dup 5)" "$(dup 6)" "$LATEX1" "$LATEX2" "$MORE3" \
  "pubrender: w.html: 2 entries, 10 warnings, 0 errors; written"
run wa "$BIN" --all-warnings dups.bib
expect_err "--all-warnings: every one" wa "$(dup 2)" "$(dup 3)" "$(dup 4)" "$(dup 5)" \
  "$(dup 6)" "$(dup 7)" "$(dup 8)" "$(dup 9)" "$LATEX1" "$LATEX2"
# thousands separators: 1,010 duplicates, 1,005 not shown
for i in $(seq 1 1011); do printf '@misc{k, title={T}, year=2020}\n'; done >many.bib
run many "$BIN" many.bib
expect_rc "1,010 duplicates: exit 0" 0
check "1,010 duplicates: 5 printed, then the count" \
  '[[ $(wc -l <many.err) == 6 && $(tail -n 1 many.err) == "many.bib: warning: 1,005 more '"'duplicate key'"' warnings not shown (--all-warnings shows them)" ]]'

# ---- the line -o ends with ------------------------------------------------
run s1 "$BIN" -o out.html pubs.bib
expect_rc "-o: exit 0" 0
expect_err "-o, new file: written" s1 "pubrender: out.html: 6 entries, 0 warnings, 0 errors; written"
run s2 "$BIN" -o out.html pubs.bib
expect_err "-o, same result: unchanged" s2 "pubrender: out.html: 6 entries, 0 warnings, 0 errors; unchanged"
printf '@misc{a, title={One}, year=2020}\n' >one.bib
run s3 "$BIN" -o one.html one.bib
expect_err "-o, one entry: singular" s3 "pubrender: one.html: 1 entry, 0 warnings, 0 errors; written"
run s4 "$BIN" --keep-going -o err.html err.bib
expect_rc "-o --keep-going with an error: exit 1" 1
expect_err "-o --keep-going with an error: the error, then written" s4 "$ERR" \
  "pubrender: err.html: 1 entry, 0 warnings, 1 error; written"
run s5 "$BIN" -o err2.html err.bib
expect_err "-o with an error: not written (no summary)" s5 "$ERR" \
  "pubrender: err2.html not written: 1 error in the input (--keep-going writes it anyway)"

# ---- --quiet ---------------------------------------------------------------
run q1 "$BIN" --quiet -o q.html dups.bib
expect_rc "--quiet: exit 0" 0
expect_err "--quiet: no warnings, no summary" q1
check "--quiet: the file is written" '[[ -s q.html ]]'
run q2 "$BIN" -q -o q2.html err.bib
expect_rc "-q, an error: exit 1" 1
expect_err "-q, an error: errors only" q2 "$ERR" \
  "pubrender: q2.html not written: 1 error in the input (--keep-going writes it anyway)"

# ---- --strict --------------------------------------------------------------
run st1 "$BIN" --strict -o st.html dups.bib
expect_rc "--strict, warnings: exit 1" 1
expect_err "--strict, warnings: shown, file not written" st1 "$(dup 2)" "$(dup 3)" "$(dup 4)" \
  "$(dup 5)" "$(dup 6)" "$LATEX1" "$LATEX2" "$MORE3" \
  "pubrender: st.html not written: 10 warnings and --strict (--keep-going writes it anyway)"
check "--strict, warnings: no file" '[[ ! -e st.html ]]'
run st2 "$BIN" --strict --quiet dups.bib
expect_rc "--strict --quiet to stdout: exit 1" 1
expect_err "--strict --quiet: the failing warnings are shown" st2 "$(dup 2)" "$(dup 3)" \
  "$(dup 4)" "$(dup 5)" "$(dup 6)" "$LATEX1" "$LATEX2" "$MORE3" \
  "pubrender: 10 warnings and --strict: exit status 1"
check "--strict to stdout: the list is still written" 'grep -q "pubrender-title" st2.out'
run st3 "$BIN" --strict --keep-going -q -o st3.html one.bib dups.bib
expect_rc "--strict --keep-going: exit 1" 1
check "--strict --keep-going: written" '[[ -s st3.html ]]'
run st4 "$BIN" --strict -o st4.html pubs.bib
expect_rc "--strict, no warning: exit 0" 0
expect_err "--strict, no warning: the summary" st4 \
  "pubrender: st4.html: 6 entries, 0 warnings, 0 errors; written"

# ---- --check: a unified diff of whole lines --------------------------------
printf '@misc{a, title={One}, year=2020}\n@misc{b, title={Two}, year=2019}\n' >small.bib
"$BIN" -q -o small.html small.bib
sed -i 's/One/Uno/' small.bib
printf '@misc{c, title={Three}, year=2018}\n' >>small.bib
run c1 "$BIN" --check -o small.html small.bib
expect_rc "--check, stale: exit 1" 1
expect_err "--check, stale: the diff" c1 \
  "pubrender: small.html is not up to date: 5 lines added, 1 removed; first difference at line 4" \
  "--- small.html (on disk)" \
  "+++ small.html (rendered)" \
  "@@ -1,12 +1,16 @@" \
  ' <div class="pubrender">' \
  ' <ol class="pubrender-list">' \
  ' <li class="pubrender-entry pubrender-type-misc" id="pubrender-a">' \
  '-<div class="pubrender-title">One</div>' \
  '+<div class="pubrender-title">Uno</div>' \
  ' <div class="pubrender-venue">2020</div>' \
  ' </li>' \
  ' <li class="pubrender-entry pubrender-type-misc" id="pubrender-b">' \
  ' <div class="pubrender-title">Two</div>' \
  ' <div class="pubrender-venue">2019</div>' \
  '+</li>' \
  '+<li class="pubrender-entry pubrender-type-misc" id="pubrender-c">' \
  '+<div class="pubrender-title">Three</div>' \
  '+<div class="pubrender-venue">2018</div>' \
  ' </li>' \
  ' </ol>' \
  ' </div>' \
  "Regenerate it: run the same command without --check."
# bounded: 30 titles changed -> 40 diff lines (15 of them changed), then the other 45
for i in $(seq 10 39); do printf '@misc{k%d, title={Title %d}, year=%d}\n' "$i" "$i" $((2000 + i)); done >b.bib
"$BIN" -q -o b.html b.bib
sed -i 's/Title/Name/' b.bib
run c2 "$BIN" --check -o b.html b.bib
expect_rc "--check, many changes: exit 1" 1
check "--check, many changes: 3 header lines, 40 diff lines, the rest counted" \
  '[[ $(wc -l <c2.err) == 45 && $(sed -n 44p c2.err) == "… 45 more changed lines" ]]'
check "--check, many changes: whole lines" \
  'grep -qx -- "-<div class=\"pubrender-title\">Title 39</div>" c2.err && grep -qx -- "+<div class=\"pubrender-title\">Name 39</div>" c2.err'
# control characters and bytes that are not UTF-8 are escaped; no final newline said
printf '<div class="pubrender">\n\x1b[31mred\t\r\n\xff' >ctl.html
printf '' >empty.bib
run c3 "$BIN" --check -o ctl.html empty.bib
expect_err "--check: control characters escaped" c3 \
  "pubrender: ctl.html is not up to date: 3 lines added, 2 removed; first difference at line 2" \
  "--- ctl.html (on disk)" \
  "+++ ctl.html (rendered)" \
  "@@ -1,3 +1,4 @@" \
  ' <div class="pubrender">' \
  '-\x1b[31mred\t\r' \
  '-\xff' \
  '\ No newline at end of file' \
  '+<ol class="pubrender-list">' \
  '+</ol>' \
  '+</div>' \
  "Regenerate it: run the same command without --check."
run c4 "$BIN" --check -o out.html pubs.bib
expect_rc "--check, up to date: exit 0" 0
expect_err "--check, up to date: silent" c4

# ---- -o -: standard output -------------------------------------------------
"$BIN" pubs.bib >plain.out 2>/dev/null
run d1 "$BIN" -o - pubs.bib
expect_rc "-o -: exit 0" 0
expect_err "-o -: nothing on stderr" d1
check "-o -: the list on stdout, no file named -" 'cmp -s plain.out d1.out && [[ ! -e - ]]'
run d2 "$BIN" --check -o - pubs.bib
expect_rc "--check -o -: usage error" 2
expect_err "--check -o -: says why" d2 "pubrender: --check needs -o FILE, not standard output" \
  "Try 'pubrender --help'."

# ---- an -o extension we do not know -----------------------------------------
run x1 "$BIN" -o pubs.txt pubs.bib
expect_rc "-o pubs.txt: usage error" 2
expect_err "-o pubs.txt: says why" x1 \
  "pubrender: -o pubs.txt: unknown extension '.txt' (pubrender writes .html, .htm, .md, .markdown, .json or .csl.json); give -f FORMAT to write it anyway" \
  "Try 'pubrender --help'."
check "-o pubs.txt: nothing written" '[[ ! -e pubs.txt ]]'
run x2 "$BIN" -q -f markdown -o pubs.txt pubs.bib
check "-f markdown -o pubs.txt: written as Markdown" '[[ $rc == 0 ]] && grep -q "^1\. " pubs.txt'
run x3 "$BIN" -q -o noext pubs.bib
check "-o without an extension: HTML" '[[ $rc == 0 ]] && cmp -s plain.out noext'

# ---- --no-config ------------------------------------------------------------
mkdir site && cp pubs.bib site/ && printf 'group-by: year\n' >site/pubrender.yml
run n1 "$BIN" site/pubs.bib
check "pubrender.yml next to the .bib is read" 'grep -q "<h2" n1.out'
run n2 "$BIN" --no-config site/pubs.bib
check "--no-config: it is not" '[[ $rc == 0 ]] && cmp -s plain.out n2.out'
run n3 "$BIN" --no-config --config site/pubrender.yml pubs.bib
expect_rc "--no-config --config: usage error" 2
expect_err "--no-config --config: says why" n3 \
  "pubrender: --config and --no-config do not go together" "Try 'pubrender --help'."

# ---- the JSON "file" of standard input --------------------------------------
run j1 "$BIN" -f json - <one.bib
check "JSON of standard input: file is -" 'grep -qx "    \"file\": \"-\"," j1.out'

# ---- one list of options: --help, man page, README --------------------------
"$BIN" --help | sed -n 's/^  \(-., \|    \)--\([a-z-]*\).*/\2/p' | sort >help.opts
sed -n '/^\.SH OPTIONS/,/^\.SH /{/^\.TP$/{n;p}}' "$ROOT/man/pubrender.1" |
  sed -n 's/.*\\fB\\-\\-\([a-z\\-]*\)\\fR.*/\1/p' | sed 's/\\-/-/g' | sort >man.opts
sed -n '/^<!-- options:begin/,/^<!-- options:end/p' "$ROOT/README.md" |
  sed -n 's/^| \(`-.`, \)\?`--\([a-z-]*\).*/\2/p' | sort >readme.opts
check "--help lists every option" '(( $(wc -l <help.opts) == 37 ))'
check "the man page lists the options of --help" 'cmp -s help.opts man.opts' ||
  diff help.opts man.opts
check "the README lists the options of --help" 'cmp -s help.opts readme.opts' ||
  diff help.opts readme.opts
for o in query sort group-by config venues coauthors max-authors link-prefix template css \
         markdown-flavor heading-level numbering reverse-numbers type-name type-order; do
  check "man page: --$o" 'grep -qx -- "$o" man.opts'
done
# every option --help shows is one the parser takes (each with a bad value or
# none: never "unrecognized option")
while read -r o; do
  "$BIN" "--$o" x </dev/null >/dev/null 2>opt.err
  check "--$o is accepted" '! grep -q "unrecognized option" opt.err'
done <help.opts

echo "$npass passed, $nfail failed"
[[ $nfail == 0 ]]
