#!/usr/bin/env bash
# bench.sh [--huge] [--runs N] [--peer-runs N] [--peer-timeout S] [--our-timeout S]
#          [--no-peers [--known-peer "NAME=SECONDS"]] [--baseline REV|none] [--out FILE]
#          (make bench; make bench BENCH_ARGS=--huge)
#
# The benchmark of pubrender (README: Performance). It
#  1. builds pubrender (Release) in bench/build, and bench/btparse_only.c,
#     the floor: libbtparse alone with the loop pubrender uses; and the
#     baseline, pubrender as it was at --baseline REV (default f574f63, the
#     last commit without threads; git archive into bench/build-base), for
#     the target "one thread no slower than before";
#  2. builds the inputs in bench/data from the real files in
#     ../shared/bench-corpus (bench/make_corpus.py): a 50 MB file (with
#     --huge also a 200 MB one) and a 50-entry homepage file; the big
#     files leave out the entries one of the peers cannot read (the
#     shapes and counts are printed; see make_corpus.py);
#  3. installs the peers when missing: bibtex2html (+ bibtex8 from
#     texlive-binaries), pybtex, pandoc with apt-get (through sudo when not
#     root), citation-js (versions pinned in bench/package.json) with npm
#     into bench/node_modules;
#  4. times everything (bench/run.py: each program spawned directly and
#     timed from spawn to exit; peak RSS from one more run under
#     /usr/bin/time) and prints one table, also written to
#     bench/results/table.md (and the raw runs to table.json).
# Limits: --peer-timeout (default 600 s), --our-timeout (120 s).
# A benchmark, not a test: it fails only when something cannot be built.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CORPUS=${BENCH_CORPUS:-$ROOT/../shared/bench-corpus}
BUILD=${BENCH_BUILD:-$HERE/build}
SRC=${BENCH_SRC:-$ROOT}
ARGS=() HUGE=() NOPEERS=0 BASELINE=f574f63
while [[ $# -gt 0 ]]; do
  case $1 in
    --huge) HUGE=(--huge); ARGS+=(--huge) ;;
    --no-peers) NOPEERS=1; ARGS+=(--no-peers) ;;
    --baseline) BASELINE=$2; shift ;;
    --runs|--peer-runs|--peer-timeout|--our-timeout|--small-runs|--out|--known-peer) ARGS+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

step() { printf '== %s\n' "$*" >&2; }

step "build (Release) in $BUILD"
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=OFF >/dev/null
cmake --build "$BUILD" -j "$(nproc 2>/dev/null || echo 2)" --target pubrender_cli >/dev/null
BTPARSE_INC=$(dirname "$(echo '#include <btparse.h>' | cc -E -H -x c - 2>&1 >/dev/null | awk '/btparse.h/{print $2; exit}')")
cc -O2 -Wall -Wextra -I"$BTPARSE_INC" -o "$BUILD/btparse_only" "$HERE/btparse_only.c" -lbtparse

BASE_ARGS=()
if [[ $BASELINE != none ]]; then
  step "baseline $BASELINE (Release) in $HERE/build-base"
  BASE_DIR=$HERE/build-base
  if [[ ! -x $BASE_DIR/bin/pubrender || $(cat "$BASE_DIR/rev" 2>/dev/null) != "$BASELINE" ]]; then
    rm -rf "$BASE_DIR" && mkdir -p "$BASE_DIR/src"
    git -C "$ROOT" archive "$BASELINE" | tar -x -C "$BASE_DIR/src"
    cmake -S "$BASE_DIR/src" -B "$BASE_DIR/bin" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=OFF >/dev/null
    cmake --build "$BASE_DIR/bin" -j "$(nproc 2>/dev/null || echo 2)" --target pubrender_cli >/dev/null
    echo "$BASELINE" >"$BASE_DIR/rev"
  fi
  BASE_ARGS=(--baseline "$BASE_DIR/bin/pubrender" --baseline-rev "$BASELINE")
fi

step "inputs in bench/data (from $CORPUS)"
[[ -d $CORPUS ]] || { echo "bench.sh: no corpus at $CORPUS (set BENCH_CORPUS)" >&2; exit 2; }
python3 "$HERE/make_corpus.py" "$CORPUS" "$HERE/data" "${HUGE[@]}"

if [[ $NOPEERS == 0 ]]; then
  step "peers"
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  need=()
  command -v bibtex2html >/dev/null || need+=(bibtex2html)
  command -v bibtex8 >/dev/null || need+=(texlive-binaries)
  command -v pybtex-format >/dev/null || need+=(pybtex)
  command -v pandoc >/dev/null || need+=(pandoc)
  command -v node >/dev/null || need+=(nodejs npm)
  if [[ ${#need[@]} -gt 0 ]]; then
    echo "installing ${need[*]} with apt-get" >&2
    $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null ||
      { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; } ||
      echo "bench.sh: could not install ${need[*]}; those peers are left out" >&2
  fi
  if command -v npm >/dev/null && ! cmp -s "$HERE/package.json" "$HERE/node_modules/.bench-package.json"; then
    echo "installing citation-js into bench/node_modules (npm)" >&2
    if (cd "$HERE" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error >/dev/null); then
      cp "$HERE/package.json" "$HERE/node_modules/.bench-package.json"
    else
      echo "bench.sh: npm install failed; citation-js is left out" >&2
    fi
  fi
  for t in bibtex2html pybtex-format pandoc node; do
    printf '  %-14s %s\n' "$t" "$(command -v $t >/dev/null && ($t --version 2>&1 || true) | head -1 || echo missing)" >&2
  done
fi

step "timing"
if [[ ! -x /usr/bin/time ]]; then  # GNU time, for the peak RSS
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  $SUDO apt-get install -y --no-install-recommends time >/dev/null ||
    { echo "bench.sh: /usr/bin/time (GNU time) is needed" >&2; exit 2; }
fi
mkdir -p "$HERE/results"
python3 "$HERE/run.py" --pubrender "$BUILD/pubrender" --floor "$BUILD/btparse_only" \
  --data "$HERE/data" --pubs "$ROOT/data/pubs.bib" --node-modules "$HERE/node_modules" \
  --out "$HERE/results/table.md" "${BASE_ARGS[@]}" "${ARGS[@]}"
