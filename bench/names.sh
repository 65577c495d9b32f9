#!/usr/bin/env bash
# names.sh [PUBRENDER]   (default: bench/build/pubrender, built Release if missing)
#
# Name-heavy input (issue 12, item 14): peak RSS and time of every format for
#  - big1: one entry of 1,000,000 authors (about 21 MB),
#  - many: 100,000 entries of 10 authors (about 28 MB),
# and the time of --highlight with 1 and with 3,000 names over 'many'
# (matching must not grow with the number of highlight names). Inputs are
# generated in bench/data/names/. Prints one line per run: input, what,
# seconds, peak RSS and RSS / input size. A benchmark, not a test.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
EXE=${1:-$HERE/build/pubrender}
if [[ ! -x $EXE ]]; then
  cmake -S "$ROOT" -B "$HERE/build" -DCMAKE_BUILD_TYPE=Release -DPR_TESTS=OFF >/dev/null
  cmake --build "$HERE/build" -j 2 --target pubrender_cli >/dev/null
fi
DATA=$HERE/data/names
mkdir -p "$DATA"
/usr/bin/python3 - "$DATA" <<'EOF'
import os, sys
d = sys.argv[1]
firsts = ["Albert", "Boris", "Chen", "Dana", "Emil", "Fatima", "Gustav", "Hana", "Ivan", "Jun"]
lasts = ["Einstein", "Oh", "Um", "Smith", "Müller", "Novak", "Tanaka", "Garcia", "Kim", "Rossi"]
def nm(i): return f"{lasts[i % 10]}{i // 10}, {firsts[(i * 7) % 10]}"
if not os.path.exists(f"{d}/big1.bib"):
    with open(f"{d}/big1.bib", "w") as f:
        f.write("@article{big, title={Many}, year=2020, journal={J},\n author={")
        f.write(" and ".join(nm(i) for i in range(1000000)))
        f.write("}}\n")
if not os.path.exists(f"{d}/many.bib"):
    with open(f"{d}/many.bib", "w") as f:
        for e in range(100000):
            names = " and ".join(nm(e * 10 + i) for i in range(10))
            f.write(f"@article{{e{e}, title={{Title {e}}}, year={2000 + e % 20}, journal={{J}},\n"
                    f" author={{{names}}}}}\n")
with open(f"{d}/highlights.txt", "w") as f:
    for i in range(3000):
        f.write(f"--highlight\n{firsts[i % 10]} X{i}\n")
EOF
run() { # label input args...
  local label=$1 in=$2; shift 2
  local size; size=$(stat -c %s "$in")
  /usr/bin/time -f "%e %M" -o "$DATA/time.txt" "$EXE" "$@" "$in" >/dev/null 2>"$DATA/err.txt" || true
  read -r secs kb < "$DATA/time.txt"
  awk -v l="$label" -v i="$(basename "$in")" -v s="$secs" -v kb="$kb" -v sz="$size" \
    'BEGIN { printf "%-10s %-28s %7.2f s %8.0f MB %5.1fx input\n", i, l, s, kb / 1024, kb * 1024 / sz }'
}
for in in "$DATA/big1.bib" "$DATA/many.bib"; do
  run "parse only (--query @none)" "$in" --query '@none'
  for f in html markdown json csl-json; do run "-f $f" "$in" -f "$f"; done
done
mapfile -t HL < "$DATA/highlights.txt"
run "--highlight x1" "$DATA/many.bib" --highlight "Boris X1"
run "--highlight x3000" "$DATA/many.bib" "${HL[@]}"
