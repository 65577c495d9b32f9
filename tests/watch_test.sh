#!/usr/bin/env bash
# watch_test.sh PUBRENDER REPO_ROOT
#
# pubrender --watch -o out.html pubs.bib renders again after an in-place
# edit and after an editor-style rename-replace, keeps the last good output
# while the .bib is broken (with the diagnostic), and stops cleanly (exit 0,
# no temporary file) on SIGINT and on SIGTERM; partials the templates read are
# watched too, and watching goes on after the input's directory is removed
# and made again.
set -u
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
BIN=$(abspath "$1")
ROOT=$(cd "$2" && pwd) || exit 2
export LC_ALL=C
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
T=$(mktemp -d) || exit 2
pid=
trap '[[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null; rm -rf "$T"' EXIT
cd "$T" || exit 2

pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
# until_true SECONDS CONDITION: poll every 50 ms; status of the condition.
until_true() {
  local end=$((SECONDS + $1))
  while ((SECONDS <= end)); do
    eval "$2" && return 0
    sleep 0.05
  done
  return 1
}
entry() { printf '@misc{%s, title = {%s}, author = {Oh, Byungsoo}, year = {%s}}\n' "$1" "$2" "$3"; }

for sig in INT TERM; do
  mkdir "$sig" && cd "$sig" || exit 2
  entry first2020 "First Title" 2020 >pubs.bib
  "$BIN" --watch -o out.html pubs.bib 2>watch.err &
  pid=$!
  check "SIG$sig run: first render" 'until_true 10 "grep -q \"First Title\" out.html 2>/dev/null"'
  check "SIG$sig run: says it is watching" 'until_true 10 "grep -q \"pubrender: watching 1 file\" watch.err"'

  # In place: the same inode, truncated and rewritten (echo >, most editors' "save").
  entry first2020 "Edited In Place" 2020 >pubs.bib
  check "SIG$sig run: re-rendered after an in-place edit" \
    'until_true 10 "grep -q \"Edited In Place\" out.html"'

  # Rename-replace: write a new file, rename it over the .bib (vim, sed -i, IDEs).
  { entry first2020 "Edited In Place" 2020; entry second2021 "Renamed Over" 2021; } >.pubs.bib.swp
  mv .pubs.bib.swp pubs.bib
  check "SIG$sig run: re-rendered after a rename-replace" \
    'until_true 10 "grep -q \"Renamed Over\" out.html"'
  entry third2022 "Third After Rename" 2022 >>pubs.bib
  check "SIG$sig run: still watching the new file after the rename" \
    'until_true 10 "grep -q \"Third After Rename\" out.html"'

  # Briefly broken: diagnostic, last good output kept; fixed: rendered again.
  cp out.html good.html
  echo '@misc{oops, title = {Oops} year = 2023}' >>pubs.bib
  check "SIG$sig run: a broken .bib is reported" \
    'until_true 10 "grep -q \"^pubs.bib:[0-9]*: error:\" watch.err"'
  check "SIG$sig run: a broken .bib keeps the last good output" \
    'until_true 10 "grep -q \"out.html not written\" watch.err" && cmp -s out.html good.html'
  sed -i 's/{Oops} year/{Oops}, year/' pubs.bib
  check "SIG$sig run: fixed .bib rendered again" 'until_true 10 "grep -q \">Oops<\" out.html"'

  # A file beside the .bib (an editor's backup, our own output) is no input.
  n=$(grep -c '^pubrender: out.html: .*; written$' watch.err)
  echo x >notes.txt
  sleep 0.5
  check "SIG$sig run: other files in the directory are ignored" \
    '[[ $n -gt 0 && $(grep -c "^pubrender: out.html: .*; written$" watch.err) == "$n" ]]'

  kill -"$sig" "$pid"
  if until_true 10 '! kill -0 "$pid" 2>/dev/null'; then
    wait "$pid"
    status=$?
    pid=
    check "SIG$sig: stops with status 0" '[[ $status == 0 ]]'
    check "SIG$sig: says so" 'grep -q "^pubrender: stopped watching$" watch.err'
  else
    check "SIG$sig: stops within 10 s" false
  fi
  check "SIG$sig: no temporary file left" '[[ -z $(ls -A | grep tmp-) ]]'
  check "SIG$sig: no sanitizer report" '! grep -q "Sanitizer" watch.err'
  cd "$T" || exit 2
done

# ---- issue 12: partials are watched; a directory removed and made again ----------------
# site/pubs.bib with its templates in site/tpl (pubrender.yml says so); out.html outside.
mkdir -p "$T/part/site/tpl/html" && cd "$T/part" || exit 2
write_site() { # write_site TITLE PARTIAL-TEXT
  mkdir -p site/tpl/html
  printf 'template: tpl\n' >site/pubrender.yml
  printf '<li>{{{title}}} {{> mine}}</li>\n' >site/tpl/html/entry.mustache
  printf '%s' "$2" >site/tpl/html/mine.mustache
  entry first2020 "$1" 2020 >site/pubs.bib
}
write_site "Site Title" "PARTIAL-ONE"
"$BIN" --watch -o out.html site/pubs.bib 2>watch.err &
pid=$!
check "partials: first render" 'until_true 10 "grep -q \"Site Title PARTIAL-ONE\" out.html 2>/dev/null"'
check "partials: watching the .bib, pubrender.yml, the template and the partial" \
  'until_true 10 "grep -q \"pubrender: watching 4 files\" watch.err"'
printf 'PARTIAL-TWO' >site/tpl/html/mine.mustache
check "partials: re-rendered after a change to a partial" \
  'until_true 10 "grep -q \"Site Title PARTIAL-TWO\" out.html"'
# the whole directory removed and made again (a checkout, a build step)
rm -rf site
sleep 0.3
write_site "Site Again" "PARTIAL-THREE"
check "directory made again: re-rendered" 'until_true 10 "grep -q \"Site Again PARTIAL-THREE\" out.html"'
check "directory made again: it said it was waiting" 'grep -q "directory of site/pubs.bib is gone" watch.err'
entry second2021 "Edited After" 2021 >>site/pubs.bib
check "directory made again: still watching the .bib" 'until_true 10 "grep -q \"Edited After\" out.html"'
printf 'PARTIAL-FOUR' >site/tpl/html/mine.mustache
check "directory made again: still watching the partial" \
  'until_true 10 "grep -q \"Edited After PARTIAL-FOUR\" out.html"'
# removed and made again at once, before the watcher looks (no time to see it gone)
rm -rf site && write_site "At Once" "PARTIAL-FIVE"
check "directory made again at once: re-rendered" 'until_true 10 "grep -q \"At Once PARTIAL-FIVE\" out.html"'
kill -TERM "$pid"
if until_true 10 '! kill -0 "$pid" 2>/dev/null'; then
  wait "$pid"
  status=$?
  pid=
  check "partials run: stops with status 0" '[[ $status == 0 ]]'
else
  check "partials run: stops within 10 s" false
fi
check "partials run: no sanitizer report" '! grep -q "Sanitizer" watch.err'
cd "$T" || exit 2

"$BIN" --watch -o out.html - </dev/null >/dev/null 2>err.txt
rc=$?
check "--watch on standard input: usage error 2" '[[ $rc == 2 ]]'
"$BIN" --watch "$ROOT/data/pubs.bib" >/dev/null 2>err.txt
rc=$?
check "--watch without -o: usage error 2" '[[ $rc == 2 ]]'

echo "$pass passed, $fail failed"
((fail == 0))
