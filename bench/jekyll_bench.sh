#!/usr/bin/env bash
# jekyll_bench.sh [--runs N]   (default 3 runs, the best one shown)
#
# Times `jekyll build` (Debian's jekyll 4.3) of tests/jekyll-site with
# jekyll-pubrender (bindings/jekyll) on a large .bib: the 50 MB benchmark
# file (bench/make_corpus.py from ../shared/bench-corpus) cut at an entry
# boundary after 4,000 and after 20,000 entries. The site has the pages of
# al-folio that use it: the list ({% bibliography %}, grouped by year), the
# selected papers (a second {% bibliography %} with a query), a post with
# {% cite %}, plus one page without any. Also timed: the same with the two
# pages that loop over site.data.pubrender (Liquid over every entry, and
# jsonify), the site with no page using the .bib, and `pubrender --site`. The library and the
# CLI are a Release build in bench/build. A benchmark, not a test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${BENCH_CORPUS:-$ROOT/../shared/bench-corpus}
RUNS=3
[[ ${1:-} == --runs ]] && RUNS=$2
[[ -d $CORPUS ]] || { echo "jekyll_bench: $CORPUS is not there"; exit 1; }
command -v jekyll >/dev/null || { echo "jekyll_bench: jekyll is not installed"; exit 1; }
BUILD=$HERE/build
if [[ ! -f $BUILD/libpubrender.so || ! -x $BUILD/pubrender ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=OFF >/dev/null
  cmake --build "$BUILD" -j 2 --target pubrender pubrender_cli >/dev/null
fi
DATA=$HERE/data
mkdir -p "$DATA"
/usr/bin/python3 "$HERE/make_corpus.py" "$CORPUS" "$DATA" --quiet
# The first N entries (and the @string/@comment/@preamble before them).
cut_entries() {
  /usr/bin/python3 - "$DATA/bench-50.bib" "$1" "$2" <<'PY'
import re, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
start = re.compile(rb'^@\s*(\w+)\s*[{(]')
count, lines = 0, []
with open(src, 'rb') as f:
    for line in f:
        m = start.match(line)
        if m and m.group(1).lower() not in (b'string', b'comment', b'preamble'):
            count += 1
            if count > n:
                break
        lines.append(line)
with open(out, 'wb') as f:
    f.writelines(lines)
PY
}
export PUBRENDER_LIB=$BUILD/libpubrender.so RUBYLIB=$ROOT/bindings/jekyll/lib
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
best() { # best wall time of RUNS runs of "$@", in seconds
  local b=
  for ((r = 0; r < RUNS; r++)); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >"$tmp/log" 2>&1 || { cat "$tmp/log"; echo "jekyll_bench: $* failed"; exit 1; }
    t1=$(date +%s.%N)
    b=$(echo "$t0 $t1 ${b:-}" | awk '{d = $2 - $1; if ($3 == "" || d < $3) d = d; else d = $3; printf "%.2f", d}')
  done
  echo "$b"
}
printf '| entries | .bib size | jekyll build: al-folio pages (3 tags) | + 2 pages over site.data.pubrender | no page uses the .bib | pubrender --site |\n'
printf '| ---: | ---: | ---: | ---: | ---: | ---: |\n'
for n in 4000 20000; do
  site=$tmp/site-$n
  rm -rf "$site"
  cp -r "$ROOT/tests/jekyll-site" "$site"
  cut_entries "$n" "$site/_bibliography/papers.bib"
  size=$(du -m "$site/_bibliography/papers.bib" | cut -f1)
  model=$(best jekyll build --source "$site" --destination "$tmp/model-out-$n")
  tags=$tmp/tags-$n
  rm -rf "$tags"
  cp -r "$site" "$tags"
  rm "$tags/_pages/model.html" "$tags/_pages/model.json"
  full=$(best jekyll build --source "$tags" --destination "$tmp/out-$n")
  grep -q 'pubrender-entry' "$tmp/out-$n/publications/index.html"
  bare=$tmp/bare-$n
  rm -rf "$bare"
  cp -r "$site" "$bare"
  find "$bare/_pages" -type f ! -name colophon.md -delete
  rm -rf "$bare/_posts"
  none=$(best jekyll build --source "$bare" --destination "$tmp/bare-out-$n")
  cli=$(best "$BUILD/pubrender" --site "$site" -o "$tmp/cli-$n.html")
  printf '| %s | %s MB | %s s | %s s | %s s | %s s |\n' "$n" "$size" "$full" "$model" "$none" "$cli"
done
