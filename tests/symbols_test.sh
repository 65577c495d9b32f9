#!/usr/bin/env bash
# symbols_test.sh [--quiet] LIBPUBRENDER.so [PUBRENDER.h [PUBRENDER.map]]
#
# The shared library exports only pr_ names (nm -D --defined-only). With the
# header: exactly the functions pubrender.h declares, each declared with
# PUBRENDER_EXPORT. With the version script (cmake/pubrender.map) as well:
#   exported by the library == declared in pubrender.h == listed in the map,
# the map sorted, ending in "local: *;", and every exported symbol carrying
# the map's version node (so the map was used at link time).
# Each difference is one FAIL line that names the line to add to or remove
# from the map (or the header). --quiet prints only the failures (the build
# runs it after linking the library).
set -u
quiet=0
[[ ${1:-} == --quiet ]] && { quiet=1; shift; }
so=$1 header=${2:-} map=${3:-}
nm=${NM:-nm}
export LC_ALL=C
pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

# "pr_bib_new@@PUBRENDER_0" -> name and version; the version nodes
# themselves are absolute symbols (type A) named after the node.
nm_out=$("$nm" -D --defined-only "$so") || { echo "FAIL: $nm -D $so"; exit 1; }
nodes=$(awk '$2 == "A" {print $3}' <<<"$nm_out" | sed 's/@.*//' | sort -u)
versioned=$(awk '$2 != "A" {print $NF}' <<<"$nm_out" | sort)
exported=$(sed 's/@.*//' <<<"$versioned" | sort -u)
other=$(grep -v '^pr_' <<<"$exported")
check "$so exports only pr_ symbols; others: $(echo $other)" '[[ -z $other ]]'
check "$so exports some symbols" '[[ $(wc -l <<<"$exported") -gt 10 ]]'

# Functions the header declares, as "name 1" (with PUBRENDER_EXPORT) or
# "name 0": comments and preprocessor lines removed, then every statement
# (up to ;) that is not a typedef and names pr_...( -- not pr_...(* , a
# function pointer's return type.
declarations() {
  perl -e 'local $/; $_ = <>;
    s{/\*.*?\*/}{ }gs; s{//[^\n]*}{}g; s{^[ \t]*#(?:[^\n]*\\\n)*[^\n]*}{}mg;
    for my $st (split /;/) {
      $st =~ s/\s+/ /g;
      next if $st =~ /\btypedef\b/;
      print "$1 ", ($st =~ /\bPUBRENDER_EXPORT\b/ ? 1 : 0), "\n"
        if $st =~ /\b(pr_\w+)\s*\((?!\s*\*)/;
    }' "$1"
}

if [[ -n $header ]]; then
  decls=$(declarations "$header")
  declared=$(awk '{print $1}' <<<"$decls" | sort -u)
  unmarked=$(awk '$2 == 0 {print $1}' <<<"$decls" | sort -u)
  check "$header declares some functions" '[[ $(wc -l <<<"$declared") -gt 10 ]]'
  for f in $unmarked; do
    check "$header declares $f without PUBRENDER_EXPORT: write \"PUBRENDER_EXPORT\" before its return type" false
  done
fi

listed=""
if [[ -n $header && -n $map ]]; then
  # The map's names: lines "    pr_name;" (comments removed first).
  map_text=$(perl -0777 -pe 's{/\*.*?\*/}{}gs' "$map")
  listed_raw=$(grep -oE '^[[:space:]]*pr_[A-Za-z0-9_]+;' <<<"$map_text" | tr -d ' \t;')
  listed=$(sort -u <<<"$listed_raw")
  node=$(grep -oE '^[A-Za-z_][A-Za-z0-9_.]*[[:space:]]*\{' <<<"$map_text" | tail -n 1 | tr -d ' \t{')
  check "$map defines a version node" '[[ -n $node ]]'
  check "$map ends its last node with \"local: *;\" (nothing else exported)" \
    '[[ $(tr -d " \t\n" <<<"$map_text") == *"local:*;};" ]]'
  check "$map lists each name once; twice: $(echo $(sort <<<"$listed_raw" | uniq -d))" \
    '[[ -z $(sort <<<"$listed_raw" | uniq -d) ]]'
  unsorted=$(awk 'NR > 1 && $0 < prev {print "\"" $0 ";\" comes after \"" prev ";\""; exit} {prev = $0}' <<<"$listed_raw")
  check "$map lists its names sorted (LC_ALL=C sort): $unsorted" '[[ -z $unsorted ]]'
  for f in $(comm -23 <(echo "$declared") <(echo "$listed")); do
    # Where it goes in the sorted list: after the last listed name before it.
    before=$(awk -v f="$f" '$0 < f' <<<"$listed" | tail -n 1)
    where=${before:+after the line \"    $before;\"}
    check "$header declares $f but $map does not list it: add the line \"    $f;\" to $map, in the global: list of $node, ${where:-as its first name}" false
  done
  for f in $(comm -13 <(echo "$declared") <(echo "$listed")); do
    check "$map lists $f, which $header does not declare: remove the line \"    $f;\" from $map (or declare it in $header with PUBRENDER_EXPORT)" false
  done
  unversioned=$(grep -v "@@\?$node\$" <<<"$versioned")
  check "every symbol $so exports has the version node $node (the map was used); not: $(echo $unversioned)" \
    '[[ -n $node && -z $unversioned ]]'
  check "$so defines the version node $node only (defines: $(echo $nodes))" '[[ $nodes == "$node" ]]'
fi

if [[ -n $header ]]; then
  # Declared and (if there is a map) listed, yet not exported: not compiled in.
  for f in $(comm -23 <(echo "$declared") <(echo "$exported")); do
    [[ -n $map ]] && ! grep -qx "$f" <<<"$listed" && continue   # reported above
    check "$header declares $f, which $so does not export: no definition in the library (is it defined in src/, and its file in PR_SOURCES?)" false
  done
  for f in $(comm -13 <(echo "$declared") <(echo "$exported")); do
    [[ -n $map ]] && ! grep -qx "$f" <<<"$listed" && continue   # not in the map either: impossible when the map was used
    check "$so exports $f, which $header does not declare" false
  done
fi
((quiet)) || echo "$pass passed, $fail failed"
((fail == 0))
