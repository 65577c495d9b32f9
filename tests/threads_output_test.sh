#!/usr/bin/env bash
# threads_output_test.sh PUBRENDER ROOT [SHARED_CORPUS]
# The output is the same for every thread count (README "Performance"):
# every .bib of tests/corpus, tests/inputs, tests/hostile and of
# ../shared/corpus (skipped, with the reason, when absent) is repeated
# until it holds at least 2,100 entries and 1.2 MB (a list of fewer than
# 2,000 is rendered without threads, a document under 1 MiB is prescanned
# on the parser's thread; the hostile ones bring the prescan's findings, which
# must stay where they are among the parser's): twice as it
# is (repeated keys and their warnings), then with the keys and crossrefs
# renamed in each copy (-cN; @string names stay), then rendered with
# --threads 1, 2 and 4 in every output format (html, md, json, csl-json,
# and html grouped by year); standard output, standard error and the exit
# status must be byte-identical. PR_THREADS_QUICK=1 (the TSan run): the
# formats, 1 and 2 threads, tests/corpus only. PR_THREADS_MIN_BYTES sets
# the size each file is repeated to (1.2 MB; from 4.3 MB on, a document is
# parsed in pieces of at least 1 MiB by 2 and 4 copies of btparse where the
# build allows them: not under AddressSanitizer).
set -u
bin=$(realpath "$1") root=$(cd "$2" && pwd) shared=${3:-$root/../shared/corpus}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0
quick=${PR_THREADS_QUICK:-0}
min_bytes=${PR_THREADS_MIN_BYTES:-1200000}
variants=(html md json csl-json "html --group-by year")
# PR_THREADS_PIECES=1 (the test threads_pieces, on a Release build): files of
# 4.3 MB, parsed in 2 and 4 pieces, tests/corpus and tests/hostile, HTML and
# JSON (with PR_THREADS_QUICK, the TSan run: HTML, 2 pieces)
counts=(2 4)
[[ $quick == 1 ]] && counts=(2)
dirs=("$root/tests/corpus" "$root/tests/inputs" "$root/tests/hostile")
if [[ ${PR_THREADS_PIECES:-0} == 1 ]]; then
  min_bytes=4300000
  variants=(html json)
  [[ $quick == 1 ]] && variants=(html)
  dirs=("$root/tests/corpus" "$root/tests/hostile")
fi
if [[ $quick == 1 || ${PR_THREADS_PIECES:-0} == 1 ]]; then
  echo "SKIP: $shared (PR_THREADS_QUICK or PR_THREADS_PIECES: tests/ only)"
elif [[ -d $shared ]]; then
  dirs+=("$shared")
else
  echo "SKIP: $shared: no shared corpus here"
fi
for dir in "${dirs[@]}"; do
  for bib in "$dir"/*.bib; do
    base=${bib%.bib} name=$(basename "$base")
    n=$(grep -c '^[[:space:]]*@' "$bib")
    (( n > 0 )) || n=1
    reps=$(( (2100 + n - 1) / n ))
    size=$(wc -c <"$bib")
    (( size > 0 && reps * size < 1200000 )) && reps=$(( (1200000 + size - 1) / size ))
    big=$tmp/$name.bib
    for ((i = 0; i < reps + 2; i++)); do
      if (( i < 2 )); then cat "$bib"
      else sed -E -e "/^[[:space:]]*@(string|preamble|comment)/I!s/^([[:space:]]*@[A-Za-z]+[[:space:]]*[{(][[:space:]]*)([^,[:space:]]+)/\1\2-c$i/" \
                  -e "s/^([[:space:]]*crossref[[:space:]]*=[[:space:]]*[{\"])([^}\"]+)/\1\2-c$i/I" "$bib"
      fi
      printf '\n'
    done >"$big"
    # past 1.2 MB: renamed copies of the whole (-dN), not more small ones
    for ((j = 1; $(wc -c <"$big") < min_bytes; j++)); do
      sed -E -e "/^[[:space:]]*@(string|preamble|comment)/I!s/^([[:space:]]*@[A-Za-z]+[[:space:]]*[{(][[:space:]]*)([^,[:space:]]+)/\1\2-d$j/" \
          -e "s/^([[:space:]]*crossref[[:space:]]*=[[:space:]]*[{\"])([^}\"]+)/\1\2-d$j/I" "$big" >"$big.more"
      cat "$big.more" >>"$big"
    done
    args=()
    [[ -f $base.args ]] && mapfile -t args <"$base.args"
    if [[ ${PR_THREADS_PIECES:-0} == 1 && $checked == 0 ]]; then
      # the pieces are parsed by copies of btparse in link namespaces of their own
      LD_DEBUG=files "$bin" --no-config --threads 4 -o "$tmp/ld.html" "$big" 2>"$tmp/ld.err"
      copies=$(grep -c 'file=libbtparse.so.2 \[[1-9][0-9]*\];  generating link map' "$tmp/ld.err")
      if (( copies != 3 )); then
        echo "FAIL: --threads 4 on $(wc -c <"$big") bytes loaded $copies more copies of libbtparse, not 3"
        fail=1
      fi
    fi
    [[ -f $base-venues.yml ]] && args+=(--venues "$base-venues.yml")
    [[ -f $base-coauthors.yml ]] && args+=(--coauthors "$base-coauthors.yml")
    for variant in "${variants[@]}"; do
      read -r -a v <<<"$variant"
      fmt=(-f "${v[0]}" "${v[@]:1}")
      (cd "$tmp" && "$bin" --no-config "${args[@]}" "${fmt[@]}" --threads 1 "$big" >one.out 2>one.err)
      rc1=$?
      for t in "${counts[@]}"; do
        (cd "$tmp" && "$bin" --no-config "${args[@]}" "${fmt[@]}" --threads "$t" "$big" >n.out 2>n.err)
        rcn=$?
        checked=$((checked + 1))
        if (( rc1 != rcn )) || ! cmp -s "$tmp/one.out" "$tmp/n.out" || ! cmp -s "$tmp/one.err" "$tmp/n.err"; then
          echo "FAIL: $name ($reps copies) -f $variant: --threads $t differs from --threads 1 (exit $rcn vs $rc1)"
          cmp "$tmp/one.out" "$tmp/n.out"
          diff "$tmp/one.err" "$tmp/n.err" | head -5
          fail=1
        fi
      done
      # the run did something: output, and the repeated keys warned about
      if [[ ! -s $tmp/one.out ]] || ! grep -qi 'repeated\|duplicate' "$tmp/one.err"; then
        echo "FAIL: $name -f $variant: no output or no repeated-key warning (exit $rc1)"
        head -3 "$tmp/one.err"
        fail=1
      fi
    done
  done
done
echo "$checked comparisons"
(( checked > 0 )) || fail=1
exit $fail
