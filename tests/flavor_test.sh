#!/usr/bin/env bash
# flavor_test.sh PUBRENDER REPO_ROOT
# --css writes the stylesheet on its own (the built-in one, or --template's);
# --markdown-flavor: an unknown one is a usage error; CommonMark output holds
# no raw HTML at all; kramdown and GFM output keeps <sup> and <details> as raw
# HTML when cmark reads it (cmark: CommonMark, which GFM and kramdown extend).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") root=$(cd "$2" && pwd)
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
run() { ${PR_TEST_WRAPPER:-} "$bin" "$@"; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 2
cp "$root/data/pubs.bib" pubs.bib
site=$root/tests/corpus/alfolio-site.bib   # the tests' own al-folio-shaped file
alfolio=$root/../shared/corpus/alfolio-papers.bib
[[ -f $alfolio ]] || echo "note: $alfolio is not there: al-folio's own example is not read"

# --css
run --css - >css.out 2>css.err
check "--css -: exit 0 without a .bib" '[[ $? == 0 && ! -s css.err ]]'
check "--css -: exactly templates/pubrender.css" 'cmp -s css.out "$root/templates/pubrender.css"'
run --css site.css
check "--css FILE: exactly templates/pubrender.css" 'cmp -s site.css "$root/templates/pubrender.css"'
mkdir -p mine && printf '.pubrender { color: red; }\n' >mine/pubrender.css
run --template mine --css - >mine.out
check "--css with --template: the user's stylesheet" 'cmp -s mine.out mine/pubrender.css'
run --css both.css pubs.bib >both.html 2>/dev/null
check "--css with a .bib: renders and writes the stylesheet" \
  '[[ $? == 0 ]] && grep -q "<div class=\"pubrender\">" both.html && cmp -s both.css "$root/templates/pubrender.css"'
touch -d @0 site.css
run --css site.css
check "--css leaves an unchanged file untouched" '[[ $(stat -c %Y site.css) == 0 ]]'

# --markdown-flavor
run -f markdown --markdown-flavor setext pubs.bib >bad.out 2>bad.err
check "unknown flavour: exit 2" '[[ $? == 2 ]] && grep -q "unknown Markdown flavour" bad.err && [[ ! -s bad.out ]]'
run -f markdown pubs.bib >default.md
run -f markdown --markdown-flavor commonmark pubs.bib >cm.md
check "commonmark is the default" 'cmp -s default.md cm.md'
if ! command -v cmark >/dev/null; then
  echo "SKIP: cmark not installed ($pass passed)"
  ((fail == 0)) && exit 77 || exit 1
fi
for f in pubs.bib "$site" "$alfolio"; do
  [[ -f $f ]] || continue
  n=$(basename "$f" .bib)
  run -f markdown --max-authors 3 --highlight "Albert Einstein" "$f" >"$n.cm.md" 2>/dev/null
  # cmark's default (safe) output replaces raw HTML by a comment
  cmark "$n.cm.md" >"$n.cm.html"
  check "$n: CommonMark output has no raw HTML" '! grep -q "raw HTML omitted" "$n.cm.html"'
  check "$n: CommonMark output has no < outside escapes" '! grep -qE "(^|[^\\\\])<" "$n.cm.md"'
  for fl in kramdown gfm; do
    run -f markdown --markdown-flavor $fl --max-authors 3 "$f" >"$n.$fl.md" 2>/dev/null
    cmark --unsafe "$n.$fl.md" >"$n.$fl.html"
    check "$n/$fl: the list survives" '[[ $(grep -c "^<li>" "$n.$fl.html") == $(grep -cE "^[0-9]+\. " "$n.$fl.md") ]]'
    check "$n/$fl: no <p> (a tight list)" '! grep -q "<p>" "$n.$fl.html"'
  done
done
check "kramdown: marks as raw <sup>" 'grep -q "Um<sup class=\"pubrender-mark\">\*</sup>, " pubs.kramdown.html'
check "gfm: marks as raw <sup>" 'grep -q "Um<sup>\*</sup>, " pubs.gfm.html'
# the <details> blocks of one file (NAME.gfm.html, NAME.kramdown.html)
details_checks() {
  local a=$1
  check "$a: as many <details> as abstracts and bibtex_show entries" \
    '[[ $(grep -c "^<details" $a.gfm.html) == $(grep -c "^<details" $a.kramdown.html) && $(grep -c "^<details" $a.gfm.html) -ge 2 ]]'
  check "$a: no unescaped < from the .bib inside the blocks" '! grep "^<details" $a.gfm.html | sed "s/<[/]*\(details\|summary\|div\|pre\|code\|em\|strong\|a\|p\|span\)\( [^>]*\)*>//g" | grep -q "<"'
}
check "kramdown: abstract in a raw <details> block" \
  'grep -q "^<details class=\"pubrender-abstract\" markdown=\"0\"><summary>Abstract</summary><div>We show that a thermocline" alfolio-site.kramdown.html'
check "gfm: BibTeX in a raw <details> block, escaped, newlines kept" \
  'grep -q "^<details><summary>BibTeX</summary><pre><code>@book&#123;varga2021currents,&#10;  title = &#123;On the Slow Currents of Brackish Water},&#10;" alfolio-site.gfm.html'
details_checks alfolio-site
if [[ -f $alfolio ]]; then
  a=alfolio-papers
  check "kramdown: abstract in a raw <details> block" \
    'grep -q "^<details class=\"pubrender-abstract\" markdown=\"0\"><summary>Abstract</summary><div>In a complete theory" $a.kramdown.html'
  check "gfm: BibTeX in a raw <details> block, escaped, newlines kept" \
    'grep -q "^<details><summary>BibTeX</summary><pre><code>@book&#123;przibram1967letters,&#10;  title = &#123;Letters on wave mechanics},&#10;" $a.gfm.html'
  details_checks $a
fi
# characters the dialects read as syntax: { in every flavour (kramdown attribute
# lists, pandoc attributes, Jekyll's Liquid {{ and {%), kramdown's $$ math
# and | tables, GFM's ~~ strikethrough
cat >syn.bib <<'BIB'
@misc{k, title = {A \$\$x\$\$ b|c \{\{d\}\} e \~{}\~{}f\~{}\~{}}, author = {Ann Lee}, year = 2020}
BIB
run -f markdown --markdown-flavor kramdown syn.bib >syn.k.md
run -f markdown --markdown-flavor gfm syn.bib >syn.g.md
check "kramdown: \$ | { ~ as character references" \
  'grep -qF "**A &#36;&#36;x&#36;&#36; b&#124;c &#123;&#123;d}} e &#126;&#126;f&#126;&#126;**" syn.k.md'
check "gfm: ~ and { as character references" 'grep -qF "**A \$\$x\$\$ b|c &#123;&#123;d}} e &#126;&#126;f&#126;&#126;**" syn.g.md'

# a flavour's file missing in --template DIR/markdown-gfm comes from DIR/markdown
mkdir -p mine/markdown && printf '{{#groups}}LIST\n{{{items}}}{{/groups}}' >mine/markdown/list.mustache
run -f markdown --markdown-flavor gfm --template mine pubs.bib >fb.md
check "flavour falls back to the user's markdown/list.mustache" '[[ $(head -1 fb.md) == LIST && $(grep -c "^[0-9]\\." fb.md) == 6 ]]'
mkdir -p mine/markdown-gfm && printf 'GFM {{{title}}}\n' >mine/markdown-gfm/entry.mustache
run -f markdown --markdown-flavor gfm --template mine pubs.bib >fb2.md
check "the user's flavour file wins" '[[ $(grep -c "^GFM " fb2.md) == 6 ]]'
echo "$pass passed, $fail failed"
((fail == 0))
