# example_lib.sh - sourced by the examples/embed/* tests (hugo_example_test.sh,
# jekyll_example_test.sh, plain_example_test.sh): the setup they share.
#
#   example_setup PUBRENDER SRCDIR NAME
#     pr, src: the absolute paths; ex: $src/examples/embed/NAME; py: Debian's
#     Python; tmp: a scratch directory removed at exit; $tmp/bin first on PATH
#     with PUBRENDER as `pubrender`; site: a copy of the example in
#     $tmp/site; $tmp/commands.sh: the first indented block of the example's
#     README (the commands a user types), printed.
#   ok MSG / bad MSG / equal GOT WANT MSG   count and print the checks.
#   readme_section START END   README.md's lines from the line matching START
#     up to the next line matching END (both regular expressions).
#   readme_indented START END   its indented (code block) lines, unindented.
#   example_finish   the summary and the exit status.
set -uo pipefail
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
equal() { if [[ $1 == "$2" ]]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi; }

example_setup() {
  pr=$(realpath "$1") src=$(realpath "$2")
  ex=$src/examples/embed/$3
  py=/usr/bin/python3
  [[ -x $py ]] || py=python3
  tmp=$(mktemp -d) || exit 1
  trap 'rm -rf "$tmp"' EXIT
  mkdir "$tmp/bin" && ln -s "$pr" "$tmp/bin/pubrender"
  export PATH=$tmp/bin:$PATH
  cp -r "$ex" "$tmp/site"
  site=$tmp/site
  awk '/^    /{f=1; sub(/^    /, ""); print; next} f{exit}' "$ex/README.md" >"$tmp/commands.sh"
  echo "README commands:"; sed 's/^/  /' "$tmp/commands.sh"
}

readme_section() { sed -n "/$1/,/$2/p" "$src/README.md"; }
readme_indented() { readme_section "$1" "$2" | awk '/^    /{sub(/^    /, ""); print}'; }

example_finish() {
  if ((fails)); then echo "$fails failed"; exit 1; fi
  echo "all passed"
  exit 0
}
