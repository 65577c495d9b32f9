#!/usr/bin/env bash
# jekyll_test.sh SOURCE_ROOT LIBPUBRENDER.so PUBRENDER_CLI [C_COMPILER]
# jekyll-pubrender (bindings/jekyll): its minitest tests, then a real
# `jekyll build` (Debian's jekyll) of tests/jekyll-site, an al-folio-shaped
# site with the plugin in _config.yml's plugins:, checked by
# tests/jekyll_site_check.rb against the CLI's `pubrender --site` for the
# same inputs; then a broken .bib (a warning with file:line; the build fails
# only with pubrender: strict: true) and an incremental rebuild after the
# .bib changes. Skips (77) without jekyll or ruby-ffi.
set -u
root=$1 so=$2 cli=$3 cc=${4:-cc}
command -v ruby >/dev/null && ruby -e 'require "ffi"' 2>/dev/null ||
  { echo "SKIP: ruby-ffi is not installed (scripts/install-deps.sh --test)"; exit 77; }
command -v jekyll >/dev/null && ruby -e 'require "jekyll"' 2>/dev/null ||
  { echo "SKIP: jekyll is not installed (scripts/install-deps.sh --test)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gem=$root/bindings/jekyll
export PUBRENDER_LIB=$so PUBRENDER_CLI=$cli RUBYLIB=$gem/lib
# A sanitized library needs its runtime loaded first in the interpreter;
# the interpreter's own leaks are its own.
if ldd "$so" | grep -q libasan; then
  export LD_PRELOAD="$("$cc" -print-file-name=libasan.so) $("$cc" -print-file-name=libubsan.so)"
  export ASAN_OPTIONS=detect_leaks=0
fi
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

echo "== minitest (bindings/jekyll/test)"
ruby -I "$gem/lib" -I "$gem/test" "$gem/test/test_all.rb" || fail "the gem's tests"

echo "== jekyll build of tests/jekyll-site"
cp -r "$root/tests/jekyll-site" "$tmp/site"
if jekyll build --source "$tmp/site" --destination "$tmp/out" >"$tmp/build.log" 2>&1; then
  ! grep -q 'Pubrender:' "$tmp/build.log" || fail "warnings for a clean site: $(grep Pubrender: "$tmp/build.log")"
  ruby "$root/tests/jekyll_site_check.rb" "$tmp/out" "$tmp/site" "$cli" || fail "the generated pages"
else
  cat "$tmp/build.log"; fail "jekyll build"
fi

echo "== a broken .bib"
cp -r "$root/tests/jekyll-site" "$tmp/broken"
bib=$tmp/broken/_bibliography/papers.bib
printf '\n@misc{broken2021,\n  title = {Unclosed,\n  year = 2021\n}\n' >>"$bib"
if jekyll build --source "$tmp/broken" --destination "$tmp/out2" >"$tmp/broken.log" 2>&1; then
  grep -qE "Pubrender: .*_bibliography/papers.bib:[0-9]+: error: .*'broken2021'" "$tmp/broken.log" ||
    { cat "$tmp/broken.log"; fail "no warning with file:line for the broken entry"; }
  grep -q 'id="pubrender-doe2024metis"' "$tmp/out2/publications/index.html" ||
    fail "the other entries are not on the page"
else
  cat "$tmp/broken.log"; fail "a broken .bib failed the build without strict: true"
fi
sed -i 's/^  strict: false/  strict: true/' "$tmp/broken/_config.yml"
if jekyll build --source "$tmp/broken" --destination "$tmp/out3" >"$tmp/strict.log" 2>&1; then
  fail "strict: true and a broken .bib: the build passed"
else
  grep -q 'error(s) in the BibTeX (pubrender: strict: true)' "$tmp/strict.log" ||
    { cat "$tmp/strict.log"; fail "strict: the build failed without saying why"; }
fi

echo "== jekyll build --incremental after the .bib changes"
cp -r "$root/tests/jekyll-site" "$tmp/inc"
jekyll build --incremental --source "$tmp/inc" --destination "$tmp/out4" >"$tmp/inc.log" 2>&1 ||
  { cat "$tmp/inc.log"; fail "incremental build"; }
plain=$tmp/out4/colophon/index.html
[[ -f $plain ]] || fail "no colophon page"
before=$(stat -c %Y.%y "$plain")
sleep 1.1
sed -i 's/Written second/Written second, revised/' "$tmp/inc/_bibliography/papers.bib"
jekyll build --incremental --source "$tmp/inc" --destination "$tmp/out4" >"$tmp/inc2.log" 2>&1 ||
  { cat "$tmp/inc2.log"; fail "incremental rebuild"; }
grep -q 'Written second, revised' "$tmp/out4/publications/index.html" ||
  fail "--incremental did not rebuild the publications page after the .bib changed"
[[ $(stat -c %Y.%y "$plain") == "$before" ]] || fail "--incremental rewrote a page that does not use the .bib"

if ((fails)); then echo "jekyll: $fails failed"; exit 1; fi
echo "jekyll: ok"
