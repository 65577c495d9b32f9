#!/usr/bin/env bash
# layers_test.sh BUILD_DIR SOURCE_DIR
# The layers of src/ (src/LAYERS, bottom up) as the compiled objects show
# them: no cycle of files calling each other, no call from a lower layer to
# a higher one, no source file outside a layer (../shared/tools/layers reads
# the objects with nm). The library's sources are compiled before this runs.
set -u
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
tool=$src/../shared/tools/layers
if [[ ! -x $tool ]]; then
  echo "SKIP: $tool not found (the layer tool comes with ../shared beside the clone)"
  exit 77
fi
# objects of files that no longer exist (a source moved in this build
# directory) are not the program: leave them out of the reading
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$build" && find . -path './CMakeFiles/*.dir/*' -name '*.o' | while read -r o; do
   rel=${o#./CMakeFiles/*.dir/}
   s=${rel%.o}
   [[ -e $src/$s || -e $build/$s ]] || continue
   mkdir -p "$tmp/$(dirname "$o")" && ln -s "$build/$o" "$tmp/$o"
 done)
out=$("$tool" "$tmp" --layers "$src/src/LAYERS" 2>&1)
rc=$?
echo "$out"
if ((rc != 0)); then
  echo "FAIL: the layers of src/LAYERS are not respected (above: the cycles and upward calls, with the names that tie them)"
  exit 1
fi
grep -q '^clean' <<<"$out" || { echo "FAIL: the layer tool did not say clean"; exit 1; }
echo "layers: clean"
