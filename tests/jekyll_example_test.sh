#!/usr/bin/env bash
# jekyll_example_test.sh PUBRENDER SRCDIR - examples/embed/jekyll builds as its README says.
#
# The example is copied into a scratch directory, an entry whose title holds
# `{% endraw %}{{ site.x }}` is added to its .bib and `x:` (a marker) to its
# _config.yml, and the first indented block of its README (make -f pubs.mk,
# jekyll build) is run there with bash -e, PUBRENDER first on PATH as
# `pubrender` and Debian's jekyll. Checked: the include is pubrender's
# fragment with every { as &#123; and the page holds it byte for byte; the
# title's visible text is `{% endraw %}{{ site.x }}` as written and the marker
# is nowhere (Liquid ran nothing of it); every entry by id, the owner in each,
# the marks, every link field; the stylesheet. A second run leaves
# _includes/pubs.html and its mtime as they were; an edit of pubrender.yml
# (which make does not know of) and of the .bib reach the page. The page
# lines the README shows are publications.md's. Exit 77 (SKIP) without
# jekyll or make.
. "$(dirname "$0")/example_lib.sh"
command -v jekyll >/dev/null || { echo "SKIP: jekyll is not installed (Debian package jekyll)"; exit 77; }
command -v make >/dev/null || { echo "SKIP: make is not installed"; exit 77; }

example_setup "$1" "$2" jekyll
equal "$(sed 's/ *#.*//' "$tmp/commands.sh")" "$(printf 'make -f pubs.mk\njekyll build')" \
  "the README's commands: make -f pubs.mk, jekyll build"
page_lines=$(awk '/^    /{if (!f) n++; f=1} !/^    / && !/^$/{f=0} n == 2 && /^    /{sub(/^    /, ""); print}' "$ex/README.md")
equal "$(grep -v '^$' <<<"$page_lines")" "$(grep -v -e '^$' -e '^---$' -e '^[a-z]*: ' "$ex/publications.md")" \
  "the page lines the README shows are publications.md's"

top=$(readme_indented '^\*\*Jekyll\*\*' '^\*\*Hugo\*\*')
equal "$top" "$(grep -v '^$' <<<"$page_lines")" "README.md's Jekyll page lines are the example's"
bib=$site/$(sed -n 's/^BIB ?= //p' "$ex/pubs.mk")
[[ -f $bib ]] || { bad "pubs.mk's BIB $bib is not in the example"; exit 1; }
cat >>"$bib" <<'EOF'

@misc{liquid2023,
  title  = {Breaking \{% endraw %\}\{\{ site.x \}\} Out},
  author = {Name, Your},
  year   = {2023}
}
EOF
marker=LIQUID-RAN-$$
echo "x: $marker" >>"$site/_config.yml"

build() {   # build WHAT: run the README's commands in the site
  if (cd "$site" && bash -e "$tmp/commands.sh") >"$tmp/log" 2>&1; then ok "$1: the README's commands pass"
  else bad "$1: the README's commands fail"; cat "$tmp/log"; fi
  grep -E 'Liquid|Warning|Error' "$tmp/log" && bad "$1: Jekyll warns"; true
}
build "first run"
page=$site/_site/publications/index.html inc=$site/_includes/pubs.html
[[ -f $page ]] && ok "jekyll wrote _site/publications/index.html" || { bad "no _site/publications/index.html"; exit 1; }

# The include: pubrender's fragment, { as &#123;; in the page as it is.
"$pr" --quiet --highlight "Your Name" "$bib" >"$tmp/want.html"
grep -q '{' "$inc" && bad "_includes/pubs.html has a {" || ok "_includes/pubs.html has no { for Liquid"
cmp -s <(sed 's/&#123;/{/g' "$inc") "$tmp/want.html" && ok "_includes/pubs.html is pubrender's fragment" ||
  bad "_includes/pubs.html is not pubrender's fragment"
$py - "$page" "$inc" <<'EOF' && ok "the page holds the include byte for byte" || bad "the include is not in the page as written"
import sys
sys.exit(0 if open(sys.argv[2]).read().strip() in open(sys.argv[1]).read() else 1)
EOF
grep -q "$marker" "$page" && bad "Liquid ran {{ site.x }} of the .bib" || ok "Liquid ran nothing of the .bib"
# The title's visible text.
$py - "$page" >"$tmp/titles" <<'EOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.depth = 0; self.text = []
    def handle_starttag(self, tag, attrs):
        if self.depth: self.depth += 1
        elif ("class", "pubrender-title") in attrs: self.depth = 1; self.text = []
    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            if not self.depth: print("".join(self.text))
    def handle_data(self, d):
        if self.depth: self.text.append(d)
p = P(); p.feed(open(sys.argv[1]).read())
EOF
grep -qxF 'Breaking {% endraw %}{{ site.x }} Out' "$tmp/titles" &&
  ok "the title reads 'Breaking {% endraw %}{{ site.x }} Out'" ||
  { bad "the title with {% endraw %} is not shown as written"; cat "$tmp/titles"; }

# Every entry, the owner in each, the marks, the links.
mapfile -t keys < <(sed -n 's/^@[A-Za-z]*{\([^,]*\),.*/\1/p' "$bib")
equal "$(grep -o 'class="pubrender-entry[^"]*" id="pubrender-[^"]*"' "$page" | sed 's/.*id="pubrender-//; s/"$//' | sort)" \
  "$(printf '%s\n' "${keys[@]}" | sort)" "every entry of the .bib by id (${#keys[@]})"
for k in "${keys[@]}"; do
  entry=$(awk -v id="id=\"pubrender-$k\"" 'index($0, id){f=1} f{print} f && /<\/li>/{exit}' "$page")
  grep -qF '<strong class="pubrender-me">Your Name</strong>' <<<"$entry" &&
    ok "$k: the owner is highlighted" || bad "$k: the owner is not highlighted"
done
equal "$(grep -o '<sup class="pubrender-mark">\*</sup>' "$page" | wc -l)" \
  "$(grep -o '^ *author *=.*' "$bib" | grep -o '[A-Za-z]\*,' | wc -l)" "every * mark of the .bib"
mapfile -t links < <(sed -n 's/^ *\(url\|pdf\|code\|html\) *= *{\(.*\)},\{0,1\}$/\2/p' "$bib")
((${#links[@]} > 0)) || bad "the .bib has no link field"
for l in "${links[@]}"; do
  grep -qF "href=\"${l//&/&amp;}\"" "$page" && ok "link $l" || bad "link $l is not in the page"
done
"$pr" --css "$tmp/want.css"
cmp -s "$site/_site/assets/css/pubrender.css" "$tmp/want.css" && ok "the stylesheet is published" ||
  bad "_site/assets/css/pubrender.css is missing or not pubrender's"
grep -qF '<link rel="stylesheet" href="/assets/css/pubrender.css"' "$page" && ok "the page links it" ||
  bad "the page does not link /assets/css/pubrender.css"
[[ -e $site/_site/_pubs.html || -e $site/_site/pubs.mk ]] && bad "_site has _pubs.html or pubs.mk" ||
  ok "_pubs.html and pubs.mk are not published"

# Again, nothing changed: neither file is rewritten (old mtimes, in make's order).
touch -d '2001-01-01 00:00:00' "$site/_pubs.html" && touch -d '2001-01-02 00:00:00' "$inc"
cp "$inc" "$tmp/inc.before"
build "second run"
equal "$(stat -c %Y "$site/_pubs.html")" "$(date -d '2001-01-01 00:00:00' +%s)" \
  "second run, nothing changed: _pubs.html keeps its mtime (pubrender -o)"
equal "$(stat -c %Y "$inc")" "$(date -d '2001-01-02 00:00:00' +%s)" \
  "second run, nothing changed: _includes/pubs.html keeps its mtime"
cmp -s "$inc" "$tmp/inc.before" && ok "second run: _includes/pubs.html is the same" || bad "second run: _includes/pubs.html changed"

# A pubrender.yml next to the .bib (no make prerequisite) is seen.
echo "max-authors: 1" >"$(dirname "$bib")/pubrender.yml"
build "after a pubrender.yml"
grep -q 'class="pubrender-more' "$page" && ok "pubrender.yml's max-authors reaches the page" ||
  bad "pubrender.yml's max-authors does not reach the page"
# An edit of the .bib reaches the page.
sed -i 's/Fast Things on Slow Machines/Faster Things on Slower Machines/' "$bib"
build "after an edit of the .bib"
grep -qF '<div class="pubrender-title">Faster Things on Slower Machines</div>' "$page" &&
  ok "the edited title is in the page" || bad "the edited title is not in the page"

example_finish
