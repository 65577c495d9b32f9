#!/usr/bin/env bash
# site_test.sh PUBRENDER SITES - `pubrender --site DIR` on the small al-folio
# sites of tests/sites (written for these tests), the diagnostics of
# _config.yml's scholar: section, and years that are words (issue 13 items
# 9 and 10).
set -u
BIN=$1 SITES=$2
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# run NAME ARGS...: NAME.out, NAME.err, NAME.rc
run() { local n=$1; shift; "$@" >"$n.out" 2>"$n.err"; echo $? >"$n.rc"; }
ids() { grep -o 'id="pubrender-[^"]*"' "$1" | sed 's/id="pubrender-//;s/"$//' | tr '\n' ' '; }
heads() { grep -o '<h[1-6] class="pubrender-group[^>]*>[^<]*' "$1" | sed 's/.*>//' | tr '\n' '|'; }

# ---- an al-folio site as it is ----------------------------------------------
run p "$BIN" --site "$SITES/plain"
check "plain: exit 0, nothing on stderr" '[[ $(cat p.rc) == 0 && ! -s p.err ]]'
# group_by: year, group_order: descending; sort_by absent = none: file order
# in a year (first2020 is March, second2020 December: not re-sorted by month)
check "plain: years newest first: $(heads p.out)" '[[ $(heads p.out) == "2021|2020|" ]]'
check "plain: file order within a year: $(ids p.out)" '[[ $(ids p.out) == "third2021 first2020 second2020 " ]]'
check "plain: last_name x first_name highlighted (Jane Doe, J. Doe)" \
  '[[ $(grep -c "<strong class=\"pubrender-me\">" p.out) == 3 ]] && grep -q "<strong class=\"pubrender-me\">J. Doe</strong>" p.out'
check "plain: max_author_limit 2 (top level, as al-folio has it)" 'grep -q "<summary>and 1 more author</summary><span class=\"pubrender-author\">Edgar Poe</span>" p.out'
check "plain: pdf under baseurl + /assets/pdf/" 'grep -q "href=\"/site/assets/pdf/first.pdf\">PDF</a>" p.out'
check "plain: preview under baseurl + /assets/img/publication_preview/" 'grep -q "src=\"/site/assets/img/publication_preview/third.png\"" p.out'
check "plain: _data/venues.yml read" 'grep -q "href=\"https://journal.example.org/\" style=\"background-color: #00369f; color: #fff\">JT</a>" p.out'
check "plain: _data/coauthors.yml read" '[[ $(grep -o "<a class=\"pubrender-coauthor\" href=\"https://roe.example.org/\">Richard Roe</a>" p.out | wc -l) == 2 ]]'

# options given on the command line override the site's settings
run o1 "$BIN" --site "$SITES/plain" --group-by none --sort year:desc,month:desc
check "override: --group-by none, --sort: $(ids o1.out)" \
  '[[ $(heads o1.out) == "" && $(ids o1.out) == "third2021 second2020 first2020 " ]]'
run o2 "$BIN" --site "$SITES/plain" --group-order asc --max-authors 0
check "override: --group-order asc: $(heads o2.out)" '[[ $(heads o2.out) == "2020|2021|" ]] && ! grep -q pubrender-more-authors o2.out'
run o3 "$BIN" --site "$SITES/plain" "$SITES/years/_bibliography/papers.bib"
check "override: a .bib on the command line replaces the site's" '[[ $(ids o3.out) == *bpreprint* && $(ids o3.out) != *first2020* ]]'
run o4 "$BIN" --site "$SITES/plain" -f markdown
check "override: -f markdown" 'grep -q "^## 2021$" o4.out'
run o5 "$BIN" --site "$SITES/plain" -o pubs.md
check "-o with an extension: Markdown" '[[ $(cat o5.rc) == 0 ]] && grep -q "^## 2020$" pubs.md'

# an older al-folio page: _pages/publications.md loops over page.years
run old "$BIN" --site "$SITES/oldpage"
check "page.years loop: year groups, newest first: $(heads old.out)" '[[ $(heads old.out) == "2021|2020|" ]]'
check "sort_by year,month + order descending (the last order for both): $(ids old.out)" \
  '[[ $(ids old.out) == "third2021 second2020 first2020 " ]]'

# ---- diagnostics -------------------------------------------------------------
mksite() { mkdir -p "$1/_bibliography"; printf '@misc{k, title = {T}, year = {2020}}\n' >"$1/_bibliography/papers.bib"; }
mksite bad1; printf 'title: x\nscholar:\n  bibliography: papers.bib\nmax_author_limit: many\n' >bad1/_config.yml
run b1 "$BIN" --site bad1
check "a bad max_author_limit: exit 2, file:line:column" \
  '[[ $(cat b1.rc) == 2 ]] && grep -qx "bad1/_config.yml:4:19: error: '"'"'max_author_limit'"'"' must be an integer, not '"'"'many'"'"'" b1.err'
mksite bad2; printf 'scholar:\n  bibliography: papers.bib\n  query: "@*[year>="\n' >bad2/_config.yml
run b2 "$BIN" --site bad2
check "a bad query names its line: $(cat b2.err)" '[[ $(cat b2.rc) == 2 ]] && grep -q "^bad2/_config.yml:3:[0-9]*: error: invalid query: " b2.err'
mksite bad3; printf 'scholar:\n  bibliography: nothere.bib\n' >bad3/_config.yml
run b3 "$BIN" --site bad3
check "a .bib that is not there: $(cat b3.err)" \
  '[[ $(cat b3.rc) == 2 ]] && grep -q "^bad3/_config.yml:2:17: error: bibliography '"'"'nothere.bib'"'"': bad3/_bibliography/nothere.bib: No such file or directory$" b3.err'
run b3b "$BIN" --site bad3 bad3/_bibliography/papers.bib
check "... but a .bib on the command line is read instead" '[[ $(cat b3b.rc) == 0 && $(ids b3b.out) == "k " ]]'
mksite w1; printf 'scholar:\n  bibliography: papers.bib\n  group_by: month\n  style: ieee\n' >w1/_config.yml
run w1 "$BIN" --site w1
check "group_by pubrender cannot follow: a warning, not grouped: $(cat w1.err)" \
  '[[ $(cat w1.rc) == 0 && $(heads w1.out) == "" ]] && grep -qx "w1/_config.yml:3: warning: group_by '"'"'month'"'"': pubrender groups by none, year, type or year,type; the list is not grouped" w1.err'
run w1s "$BIN" --strict --site w1
check "--strict fails on the site's warning" '[[ $(cat w1s.rc) == 1 ]]'
mkdir -p nocfg
run n1 "$BIN" --site nocfg
check "no _config.yml: exit 2: $(cat n1.err)" '[[ $(cat n1.rc) == 2 ]] && grep -q "^nocfg/_config.yml: error: " n1.err'
mksite dflt; printf 'scholar:\n' >dflt/_config.yml; mv dflt/_bibliography/papers.bib dflt/_bibliography/references.bib
run d1 "$BIN" --site dflt
check "jekyll-scholar's defaults: ./_bibliography/references.bib" '[[ $(cat d1.rc) == 0 && $(ids d1.out) == "k " ]]'

# what other real sites have: a blank max_author_limit (no limit), marks on
# the owner's first names (Ning*, as one site writes them), a string last_name
mksite blank; printf 'scholar:\n  last_name: Doe\n  first_name: [Jane*, "J.*\xe2\x80\xa0"]\nmax_author_limit: # blank\n' >blank/_config.yml
printf '@misc{many, title = {M}, author = {Doe, Jane and Roe, R. and Poe, E. and Moe, M.}, year = {2019}}\n' >blank/_bibliography/references.bib
run k1 "$BIN" --site blank
check "blank max_author_limit: every author; marks left out of the owner's names" \
  '[[ $(cat k1.rc) == 0 && ! -s k1.err ]] && ! grep -q pubrender-more-authors k1.out && grep -q "<strong class=\"pubrender-me\">Jane Doe</strong>" k1.out'

# ---- years that are words ----------------------------------------------------
Y=$SITES/years/_bibliography/papers.bib
run y0 "$BIN" --site "$SITES/years"
check "site, no grouping: file order (sort_by none), bibliography: papers -> papers.bib: $(ids y0.out)" \
  '[[ $(ids y0.out) == "a2021may bpreprint c2023 dinpress enodate fsomeday g2021jan hpreprint " ]]'
check "a year no status word names: one warning naming entry, field and line" \
  '[[ $(grep -c warning y0.err) == 1 ]] && grep -q "papers.bib:7: warning: entry '"'"'fsomeday'"'"', field '"'"'year'"'"': '"'"'Someday'"'"' is not a number" y0.err'
run y1 "$BIN" "$Y"
check "default sort: words newest, n.d. undated last: $(ids y1.out)" \
  '[[ $(ids y1.out) == "bpreprint dinpress fsomeday hpreprint c2023 a2021may g2021jan enodate " ]]'
run y2 "$BIN" --group-by year "$Y"
check "--group-by year: each word heads a group before the numbered years: $(heads y2.out)" \
  '[[ $(heads y2.out) == "Preprint|in press|Someday|2023|2021|Undated|" ]]'
check "Preprint and PREPRINT share a group: $(ids y2.out)" \
  '[[ $(ids y2.out) == "bpreprint hpreprint dinpress fsomeday c2023 a2021may g2021jan enodate " ]]'
run y3 "$BIN" --group-by year --sort year "$Y"
check "oldest first: the words after the numbered years: $(heads y3.out)" \
  '[[ $(heads y3.out) == "2021|2023|Preprint|in press|Someday|Undated|" ]]'
run y4 "$BIN" --group-by year --group-order asc "$Y"
check "--group-order asc with the default sort: $(heads y4.out)" \
  '[[ $(heads y4.out) == "2021|2023|Preprint|in press|Someday|Undated|" ]]'
check "the word as written in the venue line" \
  'grep -q "<div class=\"pubrender-venue\"><em>J</em>, in press</div>" y1.out && grep -q "<div class=\"pubrender-venue\"><em>J</em>, PREPRINT</div>" y1.out'
check "n.d. is no year: the venue line has none" 'grep -A4 "id=\"pubrender-enodate\"" y1.out | grep -q "<div class=\"pubrender-venue\"><em>J</em></div>"'
run y5 "$BIN" -f markdown --group-by year "$Y"
check "Markdown headings: $(grep '^## ' y5.out | tr '\n' '|')" \
  '[[ $(grep "^## " y5.out | tr "\n" "|") == "## Preprint|## in press|## Someday|## 2023|## 2021|## Undated|" ]]'

echo "$pass passed, $fail failed"
((fail == 0))
