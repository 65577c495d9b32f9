#!/usr/bin/env bash
# depfile_test.sh PUBRENDER REPO_ROOT
#
# --depfile with file names that mean something to make or Ninja (issue 12,
# item 6). For each name, one input file of that name next to main.bib:
#  - a name both can read: GNU make sees exactly that prerequisite (changing
#    the file rebuilds, touching look-alikes does not, deleting it does not
#    break make), no recipe or shell command hidden in the name runs (a
#    canary file that must not appear), and Ninja (if installed) lists exactly
#    that dependency and rebuilds when it changes;
#  - a name either would misread: refused, exit 2, a message naming the file
#    and why, and nothing written (neither -o nor the depfile).
# Prints "FAIL: ..." per failed check and "N passed, N failed".
set -u
abspath() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
BIN=$(abspath "$1")
ROOT=$(cd "$2" && pwd) || exit 2
export LC_ALL=C
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
command -v make >/dev/null || { echo "SKIP: no make"; exit 77; }
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
HAVE_NINJA=0
command -v ninja >/dev/null && HAVE_NINJA=1

pass=0 fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }
canaries() { find . -maxdepth 1 -name 'canary*' | grep -q .; }
entry() { printf '@misc{%s, title = {%s}, year = {2020}}\n' "$1" "$2"; }

# setup NAME: in the current directory, main.bib, a file NAME holding one
# entry, build.sh (pubrender -o $1 --depfile $1.d main.bib NAME) and a
# Makefile building out.html with it and including its depfile.
setup() {
  entry main "Main Entry" >main.bib
  entry odd "Odd Entry One" >"$1"
  printf '#!/usr/bin/env bash\nexec %q -o "$1" --depfile "$1.d" main.bib %q\n' "$BIN" "$1" >build.sh
  chmod +x build.sh
  printf 'out.html: main.bib\n\t./build.sh $@\n-include out.html.d\n' >Makefile
}

# accepted NAME [DECOY...]: a name that must work
accepted() {
  local name=$1 shown
  shift
  shown=$(printf '%q' "$name")
  local d
  d=$(mktemp -d "$T/case.XXXXXX") || return
  (
    cd "$d" || exit 1
    setup "$name"
    for decoy in "$@"; do entry decoy "Decoy" >"$decoy"; done
    touch -d '2001-01-01' main.bib "$name" "$@"
    make -s >make1.log 2>&1
    rc=$?
    check "$shown: first make builds" '[[ $rc == 0 && -s out.html && -s out.html.d ]]'
    check "$shown: the page lists the odd file's entry" 'grep -q "Odd Entry One" out.html'
    touch -d '2002-01-01' out.html
    make -q out.html >/dev/null 2>&1
    rc=$?
    check "$shown: make: up to date after the build" '[[ $rc == 0 ]]'
    [[ $# -gt 0 ]] && touch "$@"
    make -q out.html >/dev/null 2>&1
    rc=$?
    check "$shown: make: look-alike files are not prerequisites" '[[ $rc == 0 ]]'
    entry odd "Odd Entry Two" >"$name"
    make -s >make2.log 2>&1
    check "$shown: make: changing the file rebuilds" 'grep -q "Odd Entry Two" out.html'
    check "$shown: make: no canary (nothing in the name ran)" '! canaries'
    mv -- "$name" gone.tmp
    make -n >make3.log 2>&1
    check "$shown: make: a deleted input does not break make" \
      '! grep -q "No rule to make target" make3.log'
    mv gone.tmp "$name"
    check "$shown: still no canary" '! canaries'
    if ((HAVE_NINJA)); then
      rm -f out.html out.html.d
      printf 'rule pr\n  command = ./build.sh $out\n  depfile = $out.d\n  restat = 1\nbuild out.html: pr main.bib\n' >build.ninja
      printf 'rule pr\n  command = ./build.sh $out\n  depfile = $out.d\n  deps = gcc\nbuild out2.html: pr main.bib\n' >deps.ninja
      ninja -f deps.ninja >ninja0.log 2>&1
      rc=$?
      check "$shown: ninja (deps = gcc) builds" '[[ $rc == 0 ]]'
      ninja -f deps.ninja -t deps out2.html | sed -n 's/^    //p' >deps.list
      want=$'main.bib\n'"$name"
      check "$shown: ninja lists exactly main.bib and the file" '[[ $(cat deps.list) == "$want" ]]'
      ninja >ninja1.log 2>&1
      rc=$?
      check "$shown: ninja (depfile) builds" '[[ $rc == 0 ]] && grep -q "Odd Entry Two" out.html'
      ninja -n >ninja2.log 2>&1
      check "$shown: ninja: nothing to do after the build" 'grep -q "no work to do" ninja2.log'
      entry odd "Odd Entry Three" >"$name"
      touch -d '+2 seconds' "$name"
      ninja >ninja3.log 2>&1
      rc=$?
      check "$shown: ninja: changing the file rebuilds" '[[ $rc == 0 ]] && grep -q "Odd Entry Three" out.html'
      check "$shown: ninja: no canary" '! canaries'
    fi
    echo "$pass $fail" >counts
  )
  read -r pass fail <"$d/counts"
}

# refused NAME REASON: a name that must be refused
refused() {
  local name=$1 reason=$2 shown
  shown=$(printf '%q' "$name")
  local d
  d=$(mktemp -d "$T/case.XXXXXX") || return
  (
    cd "$d" || exit 1
    setup "$name"
    "$BIN" -o out.html --depfile out.html.d main.bib "$name" >run.out 2>run.err
    rc=$?
    check "$shown: refused with exit 2" '[[ $rc == 2 ]]'
    check "$shown: the message names the depfile, the file and why" \
      'grep -qF -- "pubrender: --depfile out.html.d cannot name '"'"'" run.err && grep -qF -- "$reason" run.err'
    check "$shown: the message is one line (control characters escaped)" '[[ $(wc -l <run.err) == 1 ]]'
    check "$shown: nothing written" '[[ ! -e out.html && ! -e out.html.d ]]'
    # The same through make, twice (the second run reads any depfile the
    # first wrote): the build fails, and nothing in the name runs.
    make -s >make1.log 2>&1
    rc=$?
    touch main.bib
    make -s >make2.log 2>&1
    rc2=$?
    check "$shown: make fails the build" '[[ $rc != 0 && $rc2 != 0 ]]'
    check "$shown: make: no canary (nothing in the name ran)" '! canaries'
    echo "$pass $fail" >counts
  )
  read -r pass fail <"$d/counts"
}

# ---- names make and Ninja both read: escaped -------------------------------
accepted 'space in name.bib'
accepted 'hash#sign.bib'
accepted 'dollar$sign.bib'
accepted 'colon:in:name.bib'
accepted 'back\slash.bib'
accepted 'back\ space.bib'
accepted 'two\\ backslashes.bib'
accepted 'paren (1).bib'
accepted 'brace{a,b}.bib' 'bracea.bib' 'braceb.bib'
accepted 'bracket].bib'
accepted '!bang@at,comma+plus.bib'
accepted 'mid~tilde.bib'
accepted "$(printf 'utf8 \xc3\xbc \xe2\x80\x94.bib')"
accepted 'define x.bib'
accepted '.hidden.bib'
# would run a shell command if $ were not doubled
accepted 'd$(shell touch canary1).bib'
accepted 'e$${IFS}x.bib'

# ---- names one of them would misread: refused ------------------------------
refused $'new\nline.bib' 'control character (\n)'
# (a recipe line for out.html, with the old escaping)
refused $'\nout.html:;touch${IFS}canary2' 'control character (\n)'
refused $'carriage\rreturn.bib' 'control character (\r)'
refused $'tab\tin.bib' 'control character (\t)'
refused 'semi;colon.bib' "Ninja ends a file name at ';'"
refused 'main.bib;touch${IFS}canary3' "Ninja ends a file name at ';'"
refused 'x!=touch${IFS}canary4' "make reads '=' in a rule as a variable assignment"
refused 'equals=sign.bib' "make reads '=' in a rule as a variable assignment"
refused 'per%cent.bib' "make reads a target holding '%' as a pattern rule"
refused 'star*.bib' "Ninja ends a file name at '*'"
refused 'question?.bib' "Ninja ends a file name at '?'"
refused 'bracket[1].bib' "make reads '[' as a wildcard pattern"
refused 'pipe|x.bib' "Ninja ends a file name at '|'"
refused 'amp&x.bib' "Ninja ends a file name at '&'"
refused "quote'x.bib" "Ninja ends a file name at '''"
refused '~tilde.bib' "make expands a leading '~'"
refused 'trailing\' 'backslash at the end of a name'
refused 'bs\#x.bib' "backslash before '#'"
refused 'bs\:x.bib' "backslash before ':'"
refused 'ends:' "Ninja reads a name ending in ':' as a target"
refused 'lib(member)' "archive member"
refused '.IGNORE' "special targets"
refused '.SECONDEXPANSION' "special targets"

# ---- the target: -o with characters to escape ------------------------------
d=$(mktemp -d "$T/case.XXXXXX")
(
  cd "$d" || exit 1
  entry main "Main Entry" >main.bib
  out='o ut#$:.html'
  printf '#!/usr/bin/env bash\nexec %q -o %q --depfile out.d main.bib\n' "$BIN" "$out" >build.sh
  chmod +x build.sh
  printf 'o\\ ut\\#$$\\:.html: main.bib\n\t./build.sh\n-include out.d\n' >Makefile
  make -s >make.log 2>&1
  rc=$?
  check "-o 'o ut#\$:.html': make builds it" '[[ $rc == 0 && -s $out ]]'
  make -q 'o ut#$:.html' >/dev/null 2>&1
  rc=$?
  check "-o 'o ut#\$:.html': make reads the depfile's target as that file (up to date)" '[[ $rc == 0 ]]'
  if ((HAVE_NINJA)); then
    rm -f out.d
    printf 'rule pr\n  command = ./build.sh\n  depfile = out.d\n  restat = 1\nbuild o$ ut#$$$:.html: pr main.bib\n' >build.ninja
    touch main.bib
    ninja >ninja1.log 2>&1
    rc=$?
    check "-o 'o ut#\$:.html': ninja builds it" '[[ $rc == 0 ]]'
    ninja -n >ninja2.log 2>&1
    check "-o 'o ut#\$:.html': ninja takes the depfile's target as its output" \
      'grep -q "no work to do" ninja2.log'
  fi
  "$BIN" -o 'o%.html' --depfile x.d main.bib >run.out 2>run.err
  rc=$?
  check "-o 'o%.html' --depfile: refused with exit 2" '[[ $rc == 2 && ! -e x.d && ! -e o%.html ]]'
  echo "$pass $fail" >counts
)
read -r pass fail <"$d/counts"

echo "$pass passed, $fail failed"
((fail == 0))
