#!/usr/bin/env bash
# plain_example_test.sh PUBRENDER SRCDIR - examples/embed/plain works as its README says.
#
# The example is copied into a scratch directory with the Hugo example's
# pubs.bib (the same owner, "Your Name"), the first indented block of its
# README is run there with bash -e (PUBRENDER first on PATH as `pubrender`),
# and the server-side include of index.shtml is done as mod_include and
# nginx's ssi do it (the directive replaced by the file it names). Checked: the
# page holds the fragment, every entry, the owner; the stylesheet it links is
# pubrender's; README.md's plain HTML lines are index.shtml's; a second run
# keeps pubs.html's mtime.
. "$(dirname "$0")/example_lib.sh"

example_setup "$1" "$2" plain
cp "$src/examples/embed/hugo/pubs.bib" "$site/"
bib=$site/pubs.bib
top=$(readme_indented '^\*\*Plain HTML\*\*' '^#')
[[ -n $top ]] || bad "README.md shows no plain HTML lines"
while IFS= read -r line; do
  grep -qxF "$line" "$ex/index.shtml" && ok "index.shtml has README.md's '$line'" ||
    bad "index.shtml lacks README.md's '$line'"
done <<<"$top"

run() {
  if (cd "$site" && bash -e "$tmp/commands.sh") >"$tmp/log" 2>&1; then ok "$1: the README's commands pass"
  else bad "$1: the README's commands fail"; cat "$tmp/log"; fi
}
run "first run"
# The include, as the server does it.
$py - "$site/index.shtml" "$site" >"$tmp/page.html" <<'EOF' || bad "index.shtml's include failed"
import os, re, sys
page = open(sys.argv[1]).read()
def include(m):
    return open(os.path.join(sys.argv[2], m.group(1))).read()
out, n = re.subn(r'<!--#include virtual="([^"]+)" -->', include, page)
if n != 1:
    sys.exit("expected one include, found %d" % n)
sys.stdout.write(out)
EOF
"$pr" --quiet --highlight "Your Name" "$bib" >"$tmp/want.html"
cmp -s "$site/pubs.html" "$tmp/want.html" && ok "pubs.html is pubrender's fragment" ||
  bad "pubs.html is not pubrender's fragment"
$py -c 'import sys; sys.exit(open(sys.argv[2]).read().strip() not in open(sys.argv[1]).read())' \
  "$tmp/page.html" "$tmp/want.html" && ok "the page holds it whole" || bad "the page does not hold the fragment"
mapfile -t keys < <(sed -n 's/^@[A-Za-z]*{\([^,]*\),.*/\1/p' "$bib")
equal "$(grep -o 'class="pubrender-entry[^"]*" id="pubrender-[^"]*"' "$tmp/page.html" | sed 's/.*id="pubrender-//; s/"$//')" \
  "$(printf '%s\n' "${keys[@]}")" "every entry by id (${#keys[@]})"
equal "$(grep -o '<strong class="pubrender-me">Your Name</strong>' "$tmp/page.html" | wc -l)" "${#keys[@]}" \
  "the owner highlighted in each entry"
href=$(sed -n 's/.*<link rel="stylesheet" href="\([^"]*\)">.*/\1/p' "$ex/index.shtml")
"$pr" --css "$tmp/want.css"
cmp -s "$site/$href" "$tmp/want.css" && ok "the linked $href is pubrender's stylesheet" ||
  bad "the linked '$href' is not pubrender's stylesheet"
touch -d '2001-01-01 00:00:00' "$site/pubs.html"
run "second run"
equal "$(stat -c %Y "$site/pubs.html")" "$(date -d '2001-01-01 00:00:00' +%s)" \
  "second run, nothing changed: pubs.html keeps its mtime"

example_finish
