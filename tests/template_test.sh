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
check "--template on a missing directory: exit 2, the path and why" \
  '[[ $? == 2 && $(cat err2.txt) == "nowhere: error: template directory: No such file or directory" ]]'
"$bin" --template pubs.bib pubs.bib >/dev/null 2>err2.txt
check "--template on a file: exit 2, not a directory" \
  '[[ $? == 2 && $(cat err2.txt) == "pubs.bib: error: template directory: not a directory" ]]'
mkdir closed && chmod 000 closed
if [[ -r closed ]]; then echo "skip: unreadable directory (running as root)"; else
  "$bin" --template closed pubs.bib >/dev/null 2>err2.txt
  check "--template on an unreadable directory: exit 2, permission denied" \
    '[[ $? == 2 && $(cat err2.txt) == "closed: error: template directory: Permission denied" ]]'
  printf 'template: closed\n' >closed.yml
  "$bin" --config closed.yml pubs.bib >/dev/null 2>err2.txt
  check "template: in pubrender.yml on an unreadable directory: exit 2, file:line:column" \
    '[[ $? == 2 && $(cat err2.txt) == "closed.yml:1:11: error: template directory '"'"'./closed'"'"': Permission denied" ]]'
fi
chmod 755 closed

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

# ---- issue 12: partials stay inside their template directory -----------------------------
# A pubrender.yml next to the .bib selects the template directory: no option needed.
export PR_TEST_TOKEN=tok-3f9a1c-secret
mkdir -p evil/tpl/html/parts outside
cp pubs.bib evil/
printf 'template: tpl\n' >evil/pubrender.yml
echo 'SECRET-OUTSIDE {{title}}' >secret.mustache
echo 'SECRET-SITE' >evil/secret.mustache
echo 'SECRET-LINKED' >outside/x.mustache
echo 'LEAKED-FILE' >leak.txt
printf 'MINE {{year}}' >evil/tpl/html/mine.mustache
printf 'PART' >evil/tpl/html/parts/x.mustache
ln -s ../../secret.mustache evil/tpl/html/link.mustache
ln -s "$t/outside" evil/tpl/html/shared
ln -s mine.mustache evil/tpl/html/alias.mustache
# the partial name that overflowed render_tpl.c's 300-byte buffer: cut to
# its first 294 bytes it named a file outside, .mustache and all cut off
overflow() { # overflow TARGET: ../ enough to leave, /s, TARGET, 294 bytes in all, then junk
  local p="../../../../../../../../../../../../../../../../../../../../../../../../../../../../../.."
  local pad=$((294 - ${#p} - 1 - ${#1}))
  printf '%s%*s%s%s' "$p" "$pad" "" "/$1" "zzzzzzzzzzzzzzzzzzzz" | sed 's/ /\//g'
}

names=("../../secret" "../../../secret" "sub/../../../secret" "$t/secret" "/etc/passwd"
       ".hidden" "html/.././../secret" "%2e%2e/%2e%2e/secret" "link" "shared/x"
       "a\\b" "./mine" "mine/" "parts//x" "$(overflow "${t#/}/leak.txt")"
       "$(overflow proc/self/environ)" "$(overflow etc/passwd)")
for name in "${names[@]}"; do
  printf '<li>{{> %s}}</li>\n' "$name" >evil/tpl/html/entry.mustache
  "$bin" evil/pubs.bib >evil.out 2>evil.err
  rc=$?
  check "partial '${name:0:40}': refused, exit 2" '[[ $rc == 2 ]]'
  check "partial '${name:0:40}': nothing read from outside" \
    '! grep -qE "SECRET|LEAKED|root:|tok-3f9a1c" evil.out evil.err'
  check "partial '${name:0:40}': the error names file:line:column and the partial" \
    '[[ $(head -c 200 evil.err) == "evil/tpl/html/entry.mustache:1:5: error: partial '"'"'"* ]] &&
     grep -q "refused: " evil.err && [[ $(wc -l <evil.err) == 1 ]]'
done
# refused_as WHAT NAME MESSAGE: {{> NAME}} is refused with exactly this error
refused_as() {
  printf '<li>{{> %s}}</li>\n' "$2" >evil/tpl/html/entry.mustache
  "$bin" evil/pubs.bib >evil.out 2>evil.err
  local want="evil/tpl/html/entry.mustache:1:5: error: partial $3"
  check "$1" '[[ $(cat evil.err) == "$want" ]]'
}
q="'"
refused_as "a link out of the directory: the message says so" link \
  "${q}link${q} refused: evil/tpl/html/link.mustache: it is a link (or in a folder linked) out of the template directory"
refused_as "../ in a partial: the message says which names are allowed" ../../secret \
  "${q}../../secret${q} refused: a partial${q}s name is letters, digits, ${q}_${q}, ${q}-${q} and ${q}.${q} (not first), in parts separated by ${q}/${q}"
refused_as "a long partial name: refused as too long, the message short" "$(overflow etc/passwd)" \
  "${q}../../../../../../../../../../../../../../../../../../../../... (314 bytes)${q} refused: name longer than 255 bytes"
refused_as "control characters in a partial name: escaped in the message" $'a\033]0;x\007b' \
  "${q}a\\x1b]0;x\\x07b${q} refused: control character in the name"
# the templates themselves: a link out of the directory is refused too
ln -sf /proc/self/environ evil/tpl/html/entry.mustache
"$bin" evil/pubs.bib >evil.out 2>evil.err
rc=$?
check "entry.mustache a link to /proc/self/environ: refused, exit 2, nothing leaked" \
  '[[ $rc == 2 ]] && ! grep -q tok-3f9a1c evil.out evil.err &&
   [[ $(cat evil.err) == "evil/tpl/html/entry.mustache: error: template refused: it is a link (or in a folder linked) out of the template directory" ]]'
rm evil/tpl/html/entry.mustache
ln -s ../../../secret.mustache evil/tpl/html/page.mustache
"$bin" --standalone evil/pubs.bib >evil.out 2>evil.err
check "page.mustache a link outside: refused" '[[ $? == 2 ]] && ! grep -q SECRET evil.out'
rm evil/tpl/html/page.mustache
ln -s ../../secret.mustache evil/tpl/pubrender.css
"$bin" --css - evil/pubs.bib >evil.out 2>evil.err
check "pubrender.css a link outside: refused" '[[ $? == 2 ]] && ! grep -q SECRET evil.out'
rm evil/tpl/pubrender.css
# what stays allowed: partials in the directory, in a folder of it, links inside it
printf '<li>{{> mine}}|{{> parts/x}}|{{> alias}}|{{> mine.mustache}}|{{> no-such}}</li>\n' \
  >evil/tpl/html/entry.mustache
"$bin" evil/pubs.bib >evil.out 2>evil.err
check "partials inside the directory still work" \
  '[[ $? == 0 && $(grep -c "^<li>MINE 20[0-9][0-9]|PART|MINE 20[0-9][0-9]||</li>" evil.out) == 6 ]]'

# ---- issue 12: the work of one render is bounded ----------------------------------------
# sections nested inside themselves: each level multiplies the work
nest() { # nest N OPEN INNER CLOSE
  local i o="" c=""
  for ((i = 0; i < $1; i++)); do o+=$2; c+=$4; done
  printf '%s%s%s\n' "$o" "$3" "$c"
}
for fmt in html markdown; do
  mkdir -p "evil/tpl/$fmt"
  nest 30 '{{#authors}}' '{{name}} ' '{{/authors}}' >"evil/tpl/$fmt/entry.mustache"
  start=$SECONDS
  timeout 60 "$bin" -f "$fmt" evil/pubs.bib >evil.out 2>evil.err
  rc=$?
  check "$fmt: nested self-sections stop with exit 2 (not $rc)" '[[ $rc == 2 ]]'
  check "$fmt: ... within 20 s" '((SECONDS - start < 20))'
  check "$fmt: ... with an error naming the template" \
    'grep -q "^evil/tpl/'"$fmt"'/entry.mustache:1:[0-9]*: error: rendering stopped here: more work than allowed (64 MiB plus 16 per byte of data; output bytes plus 8 per tag); is a section nested inside itself?$" evil.err'
  check "$fmt: ... and nothing written" '[[ ! -s evil.out ]]'
  rm "evil/tpl/$fmt/entry.mustache"
done
# the same through a partial calling itself twice per author
printf '{{> a}}\n' >evil/tpl/html/entry.mustache
printf '{{#authors}}{{name}}{{> a}}{{> a}}{{/authors}}' >evil/tpl/html/a.mustache
timeout 60 "$bin" evil/pubs.bib >evil.out 2>evil.err
rc=$?
check "a partial calling itself: stops with exit 2" \
  '[[ $rc == 2 ]] && grep -q "^evil/tpl/html/a.mustache:1:[0-9]*: error: " evil.err'

# ---- issue 12: the depfile lists the partials that were read -------------------------------
mkdir -p dep/tpl/html dep/tpl/markdown
cp pubs.bib dep/
printf 'template: tpl\n' >dep/pubrender.yml
printf '<li>{{#authors}}{{> author}}{{/authors}} {{> mine}}</li>\n' >dep/tpl/html/entry.mustache
printf '<b>{{name}}</b>' >dep/tpl/html/author.mustache
printf '{{> parts/deeper}}' >dep/tpl/html/mine.mustache
mkdir dep/tpl/html/parts && printf '{{year}}' >dep/tpl/html/parts/deeper.mustache
printf '* {{{title}}}\n' >dep/tpl/markdown/entry.mustache
"$bin" -o dep.html --depfile dep.d dep/pubs.bib 2>dep.err
check "depfile (template: in pubrender.yml): exit 0" '[[ $? == 0 ]] && grep -q "<b>Byungsoo Oh</b>" dep.html'
for f in dep/pubs.bib dep/pubrender.yml dep/tpl/html/entry.mustache dep/tpl/html/author.mustache \
         dep/tpl/html/mine.mustache dep/tpl/html/parts/deeper.mustache; do
  check "depfile lists $f" 'grep -qFx "$f:" dep.d'
done
check "depfile lists only files read (not markdown/entry.mustache)" \
  '[[ $(grep -c ":$" dep.d) == 6 ]] && ! grep -q markdown dep.d'
"$bin" --template dep/tpl -o dep.html --depfile dep2.d pubs.bib 2>dep.err
check "depfile (--template): the partials too" \
  'grep -qFx "dep/tpl/html/author.mustache:" dep2.d && grep -qFx "dep/tpl/html/mine.mustache:" dep2.d'
printf '{{> ../escape}}' >dep/tpl/html/mine.mustache
"$bin" -o dep.html --depfile dep3.d dep/pubs.bib 2>dep.err
check "depfile after a refused partial: the files read before it" \
  '[[ $? == 2 ]] && grep -qFx "dep/tpl/html/mine.mustache:" dep3.d'

echo "$pass passed, $fail failed"
((fail == 0))
