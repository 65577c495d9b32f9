#!/usr/bin/env bash
# hugo_example_test.sh PUBRENDER SRCDIR - examples/embed/hugo builds as its README says.
#
# The example is copied into a scratch directory and the first indented block
# of its README (the commands a user types) is run there with bash -e, with
# PUBRENDER first on PATH as `pubrender` and Debian's hugo. Checked in the page
# Hugo wrote: the fragment is in it byte for byte (so Hugo neither escaped it
# nor ran its templates over it), every entry of the example's pubs.bib by id,
# the owner highlighted in each, the marks, every link field as an href, the
# stylesheet written and linked. The README's -o path is the one the partial
# reads; a second run leaves the fragment's mtime as it was; an edit of the
# .bib reaches the page, and so does a rewrite while `hugo server` runs.
# Exit 77 (SKIP) without hugo.
. "$(dirname "$0")/example_lib.sh"
command -v hugo >/dev/null || { echo "SKIP: hugo is not installed (Debian package hugo)"; exit 77; }

example_setup "$1" "$2" hugo
equal "$(tail -1 "$tmp/commands.sh")" "hugo" "the README's commands end with hugo"
out=$(sed -n 's/^pubrender .*-o \([^ ]*\) .*/\1/p' "$tmp/commands.sh")
read_path=$(sed -n 's/.*readFile "\([^"]*\)".*/\1/p' "$ex/layouts/partials/publications.html")
equal "$out" "$read_path" "the README's pubrender -o writes the file the partial reads"
css=$(sed -n 's/^pubrender --css \(static\/\)\{0,1\}\(.*\)$/\2/p' "$tmp/commands.sh")
grep -q "\"${css:-none}\" | relURL" "$ex/layouts/partials/publications.html" &&
  ok "the partial links the stylesheet the README writes ($css)" ||
  bad "the partial does not link the stylesheet the README writes ('$css')"
# The top README's Hugo lines: the shortcode's, and the commands before hugo.
top=$(readme_section '^\*\*Hugo\*\*' '^\*\*Plain HTML\*\*')
block() { awk -v want="$1" '/^    /{if (!f) n++; f=1} !/^    /{f=0} f && n == want{sub(/^    /, ""); print}' <<<"$top"; }
equal "$(block 1)" "$(grep -v '^{{- /\*' "$ex/layouts/partials/publications.html")" \
  "README.md's Hugo partial is the example's"
equal "$(block 2)" "$(cat "$ex/layouts/_default/publications.html")" "README.md's Hugo layout is the example's"
equal "$(block 3)" "$(sed '$d' "$tmp/commands.sh")" "README.md's Hugo commands are the example's (before hugo)"
bib=$site/pubs.bib

build() {   # build WHAT: run the README's commands in the site
  if (cd "$site" && bash -e "$tmp/commands.sh") >"$tmp/log" 2>&1; then ok "$1: the README's commands pass"
  else bad "$1: the README's commands fail"; cat "$tmp/log"; fi
}
build "first run"
page=$site/public/publications/index.html
[[ -f $page ]] && ok "hugo wrote $page" || { bad "no public/publications/index.html"; exit 1; }

# The fragment is in the page as pubrender wrote it.
frag=$site/$out
"$pr" --quiet --highlight "Your Name" "$bib" >"$tmp/want.html"
cmp -s "$frag" "$tmp/want.html" && ok "$out is pubrender's fragment" || bad "$out is not pubrender's fragment"
/usr/bin/python3 - "$page" "$frag" <<'EOF' && ok "the page holds the fragment byte for byte" || bad "the fragment is not in the page as written"
import sys
sys.exit(0 if open(sys.argv[2]).read().strip() in open(sys.argv[1]).read() else 1)
EOF
for tag in div ol li strong sup a em; do
  grep -q "&lt;$tag[ >]" "$page" && bad "the page has an escaped <$tag>" || true
done
grep -q '&amp;lt;\|&amp;amp;' "$page" && bad "the page has doubly escaped text" || ok "no escaped HTML in the page"

# Every entry, the owner in each, the marks, the links.
mapfile -t keys < <(sed -n 's/^@[A-Za-z]*{\([^,]*\),.*/\1/p' "$bib")
equal "$(grep -o 'class="pubrender-entry[^"]*" id="pubrender-[^"]*"' "$page" | sed 's/.*id="pubrender-//; s/"$//')" \
  "$(printf '%s\n' "${keys[@]}")" "every entry of pubs.bib by id (${#keys[@]}), newest first"
for k in "${keys[@]}"; do
  entry=$(awk -v id="id=\"pubrender-$k\"" 'index($0, id){f=1} f{print} f && /<\/li>/{exit}' "$page")
  grep -qF '<strong class="pubrender-me">Your Name</strong>' <<<"$entry" &&
    ok "$k: the owner is highlighted" || bad "$k: the owner is not highlighted"
done
equal "$(grep -o '<sup class="pubrender-mark">\*</sup>' "$page" | wc -l)" \
  "$(grep -o '^ *author *=.*' "$bib" | grep -o '[A-Za-z]\*,' | wc -l)" "every * mark of pubs.bib"
grep -qF '<span class="pubrender-legend">(* = Equal Contribution)</span>' "$page" &&
  ok "the marks' legend" || bad "no legend for the marks"
mapfile -t links < <(sed -n 's/^ *\(url\|pdf\|code\|html\) *= *{\(.*\)},\{0,1\}$/\2/p' "$bib")
((${#links[@]} > 0)) || bad "pubs.bib has no link field"
for l in "${links[@]}"; do
  grep -qF "href=\"${l//&/&amp;}\"" "$page" && ok "link $l" || bad "link $l is not in the page"
done
# A title with {{ ... }} and < : Hugo's templates did not run over it.
t=$(sed -n 's/^ *title *= *{\(.*\\{\\{.*\)},$/\1/p' "$bib" | sed 's/\\{/{/g; s/\\}/}/g; s/</\&lt;/g')
[[ -n $t ]] || bad "pubs.bib has no title with {{"
grep -qF "<div class=\"pubrender-title\">$t</div>" "$page" && ok "the title '$t' is text" ||
  bad "the title '$t' is not in the page as text"

# The stylesheet.
"$pr" --css "$tmp/want.css"
cmp -s "$site/public/css/pubrender.css" "$tmp/want.css" && ok "public/css/pubrender.css is pubrender's stylesheet" ||
  bad "public/css/pubrender.css is missing or not pubrender's"
grep -qF '<link rel="stylesheet" href="/css/pubrender.css">' "$page" && ok "the page links it" ||
  bad "the page does not link /css/pubrender.css"

# Again, nothing changed: the fragment is not rewritten.
touch -d '2001-01-01 00:00:00' "$frag"
before=$(stat -c %Y "$frag")
build "second run"
equal "$(stat -c %Y "$frag")" "$before" "second run, nothing changed: $out keeps its mtime"

# An edit of the .bib reaches the page.
sed -i 's/Fast Things on Slow Machines/Faster Things on Slower Machines/' "$bib"
build "after an edit of pubs.bib"
grep -qF '<div class="pubrender-title">Faster Things on Slower Machines</div>' "$page" &&
  ok "the edited title is in the page" || bad "the edited title is not in the page"

# hugo server re-renders the page when pubrender rewrites the fragment.
port=$((20000 + RANDOM % 20000))
(cd "$site" && exec hugo server --renderToDisk --bind 127.0.0.1 -p "$port" --disableLiveReload) \
  >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q 'Web Server is available' "$tmp/server.log" && break; sleep 0.2; done
grep -q 'Web Server is available' "$tmp/server.log" && ok "hugo server runs" ||
  { bad "hugo server does not start"; cat "$tmp/server.log"; }
sed -i 's/Faster Things on Slower Machines/Served Things/' "$bib"
(cd "$site" && bash -e <(grep '^pubrender .* -o ' "$tmp/commands.sh")) 2>/dev/null
for _ in $(seq 100); do grep -qF '>Served Things<' "$page" && break; sleep 0.2; done
grep -qF '<div class="pubrender-title">Served Things</div>' "$page" &&
  ok "hugo server: the rewritten fragment is in the page without a restart" ||
  { bad "hugo server: the page keeps the old list"; tail -5 "$tmp/server.log"; }
kill "$server"; wait "$server" 2>/dev/null

example_finish
