#!/usr/bin/env bash
# template_test.sh PUBRENDER REPO_ROOT
# A user's template directory: only an entry template changes the entry
# markup and nothing else; errors name file:line:column; a pubrender.yml
# next to the .bib is read and command-line options override it; the
# depfile lists the template and configuration files.
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") root=$(cd "$2" && pwd)
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 2
cp "$root/data/pubs.bib" pubs.bib

mkdir -p mine/html
printf '<li class="mine" id="{{key}}">{{{title}}} ({{year}})</li>\n' >mine/html/entry.mustache
"$bin" pubs.bib >default.html 2>/dev/null
"$bin" --template mine pubs.bib >custom.html 2>/dev/null
check "entry template used for every entry" '[[ $(grep -c "^<li class=\"mine\"" custom.html) == 6 ]]'
check "an entry as the template says" \
  'grep -qx "<li class=\"mine\" id=\"kweun2022pokemem\">PokéMem: Taming Wild Memory Consumers in Apache Spark (2022)</li>" custom.html'
# everything outside the entries is unchanged
sed '/^<li /,/^<\/li>$/d' default.html >default.skel
grep -v '^<li class="mine"' custom.html >custom.skel
check "the list around the entries is unchanged" 'cmp -s default.skel custom.skel'
check "the default markup is gone from the entries" '! grep -q pubrender-title custom.html'
"$bin" -f markdown --template mine pubs.bib >custom.md 2>/dev/null
"$bin" -f markdown pubs.bib >default.md 2>/dev/null
check "Markdown keeps its built-in templates" 'cmp -s default.md custom.md'

# a template error names the file, line and column; exit status 2
printf 'ok\n{{#authors}}\n{{name}}\n' >mine/html/entry.mustache
"$bin" --template mine pubs.bib >err.out 2>err.txt
rc=$?
check "template error: exit 2" '[[ $rc == 2 ]]'
check "template error: file:line:column" \
  '[[ $(cat err.txt) == "mine/html/entry.mustache:2:1: error: unclosed section '"'"'authors'"'"' opened at 2:1" ]]'
check "template error: nothing on stdout" '[[ ! -s err.out ]]'
"$bin" --template nowhere pubs.bib >/dev/null 2>err2.txt
check "--template needs a directory" '[[ $? == 2 ]] && grep -q "needs a directory" err2.txt'

# pubrender.yml next to the .bib; options override it
mkdir site && cp pubs.bib site/
printf 'group-by: year\nhighlight: Byungsoo Oh\nquery: "@inproceedings[year>=2022]"\n' >site/pubrender.yml
"$bin" site/pubs.bib >site.html 2>site.err
check "config: grouping from pubrender.yml" '[[ $(grep -c "<h2 class=\"pubrender-group" site.html) == 3 ]]'
check "config: highlight from pubrender.yml" '[[ $(grep -c "pubrender-me" site.html) == 3 ]]'
"$bin" --group-by none site/pubs.bib >site2.html 2>/dev/null
check "config: an option overrides it" '! grep -q "<h2" site2.html && [[ $(grep -c "<li " site2.html) == 3 ]]'
printf 'group-by: year\nstandalone: maybe\n' >site/pubrender.yml
"$bin" site/pubs.bib >/dev/null 2>bad.txt
rc=$?
check "config: a wrong type is an error naming the line" \
  '[[ $rc == 2 && $(cat bad.txt) == "site/pubrender.yml:2:13: error: '"'"'standalone'"'"' must be true or false, not '"'"'maybe'"'"'" ]]'
rm site/pubrender.yml

# the depfile names the templates and settings read
printf '<li>{{{title}}}</li>\n' >mine/html/entry.mustache
printf 'heading-level: 3\n' >conf.yml
"$bin" --config conf.yml --template mine -o out.html --depfile out.d pubs.bib 2>/dev/null
check "depfile lists the template" 'grep -q "mine/html/entry.mustache" out.d'
check "depfile lists the config" 'grep -q "conf.yml" out.d'
echo "$pass passed, $fail failed"
((fail == 0))
