#!/usr/bin/env bash
# csl_titlecase_test.sh PUBRENDER REPO_ROOT
#
# Case protection in CSL-JSON, checked where it matters: pandoc --citeproc
# with its built-in style (chicago-author-date, which title-cases titles
# and container titles) formats pubrender's CSL-JSON, and every protected
# word must come out exactly as written ({GPUs}, {iPhone}, {Apache Spark},
# math, \emph{..}'s argument, \texttt, small caps) while the unprotected
# words are title-cased as the style does (the same title without braces,
# {\em ..} and {\"u}: BibTeX's special characters, which do not protect).
# Titles from ../shared/corpus and ../shared/bench-corpus (real1..real4)
# and their siblings. The same run checks that citeproc reads our CSL date
# ranges (1991--1992, the open 1987--, biblatex's 199X and 2020-05/2021).
# Exit 77 (skipped) when pandoc is not installed. The last line is
# "N passed, N failed".
. "$(dirname "$0")/pandoc_lib.sh"
pandoc_setup csl_titlecase_test.sh "$@"

cat >"$T/in.bib" <<'BIB'
@article{gpus, title = {fast {GPUs} for {Apache Spark} on the {iPhone}}, journal = {journal of {ACM} things}, year = 2001}
@article{plain, title = {fast gpus for apache spark on the iphone}, journal = {journal of acm things}, year = 2002}
@article{math, title = {a threshold of $\ln n$ for approximating set cover with $\mathcal{N}$}, journal = {j}, year = 2003}
@article{emph, title = {learning {\em in vivo} and \emph{in vitro} with \textsc{small caps} and \texttt{camelCase}}, journal = {j}, year = 2004}
@article{special, title = {the {B}ayesian {\"u}ber and {\TeX} for x\textless i\textgreater{}y}, journal = {j}, year = 2005}
@article{real1, title = {Constructing {$O(n \log n)$} size Monotone Formula for the $k$th Threshold Function of n Boolean Variables}, journal = {j}, year = 2006}
@article{real2, title = {Anisotropy in the {$g$}-factors of conduction electrons in {bcc} transition metals (vanadium, niobium, and tantalum)}, journal = {j}, year = 2007}
@article{real3, title = {Musrfit --- Real Time Parameter Fitting Using {GPU}s}, journal = {j}, year = 2008}
@inproceedings{real4, title = {le \emph{De Anima} in the greek tradition}, booktitle = {proceedings of the conference on empirical methods in natural language processing ({EMNLP})}, year = 2009}
@article{range, title = {ranged years}, journal = {j}, year = {1991--1992}}
@article{open, title = {an ongoing series}, journal = {j}, year = {1987--}}
@article{decade, title = {in a decade}, journal = {j}, date = {199X}}
@article{edtf, title = {from may}, journal = {j}, date = {2020-05/2021}}
BIB

cat >"$T/expected" <<'OUT'
“A Threshold of \(\ln n\) for Approximating Set Cover with \(\mathcal{N}\).” 2003. J.
“Anisotropy in the \(g\)-Factors of Conduction Electrons in bcc Transition Metals (Vanadium, Niobium, and Tantalum).” 2007. J.
“Constructing \(O(n \log n)\) Size Monotone Formula for the \(k\)th Threshold Function of n Boolean Variables.” 2006. J.
“Fast GPUs for Apache Spark on the iPhone.” 2001. Journal of ACM Things.
“Fast Gpus for Apache Spark on the Iphone.” 2002. Journal of Acm Things.
“Learning in Vivo and in vitro with SMALL CAPS and camelCase.” 2004. J.
“Le De Anima in the Greek Tradition.” 2009. In Proceedings of the Conference on Empirical Methods in Natural Language Processing (EMNLP).
“Musrfit — Real Time Parameter Fitting Using GPUs.” 2008. J.
“The Bayesian Über and TeX for x<i>y.” 2005. J.
“An Ongoing Series.” 1987–. J.
“From May.” 2020–2021. J, May.
“In a Decade.” 1990–1999. J.
“Ranged Years.” 1991–1992. J.
OUT

fail() { printf 'FAIL: %s\n' "$1"; nfail=$((nfail + 1)); }

if ! "$BIN" -f csl-json "$T/in.bib" >"$T/in.json" 2>"$T/err"; then
  fail "pubrender: $(head -3 "$T/err")"
else
  printf -- '---\nnocite: "@*"\n---\n' >"$T/doc.md"
  if ! pandoc --citeproc --bibliography "$T/in.json" -t plain --wrap=none "$T/doc.md" \
       >"$T/out" 2>"$T/perr"; then
    fail "pandoc --citeproc: $(head -5 "$T/perr")"
  else
    grep -v '^$' "$T/out" >"$T/got"
    # one check per entry: its line in the bibliography
    while IFS= read -r want; do
      if grep -qxF -- "$want" "$T/got"; then
        npass=$((npass + 1))
      else
        fail "expected the line: $want"
      fi
    done <"$T/expected"
    if ((nfail)); then
      echo "pandoc wrote:"
      cat "$T/got"
    fi
  fi
fi
echo "$npass passed, $nfail failed"
((nfail == 0))
