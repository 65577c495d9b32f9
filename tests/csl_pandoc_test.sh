#!/usr/bin/env bash
# csl_pandoc_test.sh PUBRENDER REPO_ROOT
#
# pubrender's CSL-JSON must be accepted by pandoc: for data/pubs.bib and
# every tests/corpus/*.bib (with its NAME.args there) and every
# ../shared/corpus/*.bib when it is beside us (with tests/golden/corpus/NAME.args),
# `pubrender -f csl-json FILE` is read by
# `pandoc -f csljson -t native` (which fails on CSL-JSON it cannot read) and
# by `pandoc -f csljson -t csljson`, which must keep every record (same
# number of ids). Exit 77 (skipped) when pandoc is not installed
# (scripts/install-deps.sh --test installs it). The last line is
# "N passed, N failed".
. "$(dirname "$0")/pandoc_lib.sh"
pandoc_setup csl_pandoc_test.sh "$@"

fail() { printf 'FAIL: %s: %s\n' "$1" "$2"; nfail=$((nfail + 1)); }

shopt -s nullglob
files=("$ROOT/data/pubs.bib" "$ROOT"/tests/corpus/*.bib "$ROOT"/../shared/corpus/*.bib)
[[ -d $ROOT/../shared/corpus ]] ||
  echo "note: $ROOT/../shared/corpus is not there: only data/pubs.bib and tests/corpus are read"
for f in "${files[@]}"; do
  name=${f#"$ROOT"/}
  # a corpus file's extra options (e.g. --encoding), one per line, as the
  # golden tests use them
  args=()
  argf=${f%.bib}.args
  [[ -r $argf ]] || argf=$ROOT/tests/golden/corpus/$(basename "$f" .bib).args
  [[ -r $argf ]] && mapfile -t args <"$argf"
  # exit status 1 (some entry had an error) still renders the others
  "$BIN" -f csl-json "${args[@]}" "$f" >"$T/out.json" 2>"$T/err"
  rc=$?
  if ((rc > 1)); then
    fail "$name" "pubrender exited $rc: $(head -3 "$T/err")"
    continue
  fi
  if ! pandoc -f csljson -t native "$T/out.json" >"$T/native" 2>"$T/perr"; then
    fail "$name" "pandoc -f csljson -t native rejected it: $(head -5 "$T/perr")"
    continue
  fi
  if ! pandoc -f csljson -t csljson "$T/out.json" >"$T/back.json" 2>"$T/perr"; then
    fail "$name" "pandoc -f csljson -t csljson rejected it: $(head -5 "$T/perr")"
    continue
  fi
  ours=$(grep -c '^    "id": ' "$T/out.json")
  theirs=$(grep -c '^    "id": ' "$T/back.json")
  if [[ $ours != "$theirs" ]]; then
    fail "$name" "$ours records written, pandoc read $theirs"
    continue
  fi
  npass=$((npass + 1))
done
echo "$npass passed, $nfail failed"
((nfail == 0))
