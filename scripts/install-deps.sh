#!/usr/bin/env bash
# Install the Debian/Ubuntu packages pubrender needs to build and test,
# only those that are missing. Runs apt-get as root (or through sudo).
set -euo pipefail
packages=(gcc make cmake pkg-config libbtparse-dev libcmark-dev libutf8proc-dev libjansson-dev
          libyaml-dev libpcre2-dev)
# --list: print the packages to build (the list the README and the CI examples
# point at) and install nothing
[[ ${1:-} == --list ]] && { printf '%s\n' "${packages[@]}"; exit 0; }
# --test: also what only the tests use (pandoc reads the CSL-JSON output)
[[ ${1:-} == --test ]] && packages+=(python3 pandoc)
# --test: the CI examples' test reads the workflow with Debian's python3 and
# PyYAML (tests/ci_examples_test.sh)
[[ ${1:-} == --test ]] && packages+=(python3-yaml)
# --test: the view-json test validates the output against docs/view-json.schema.json
# with Debian's python3 and jsonschema (tests/view_json_test.py)
[[ ${1:-} == --test ]] && packages+=(python3-jsonschema)
# --test: the Markdown output is read back by real renderers: cmark's program,
# kramdown (Jekyll's) with its GFM parser
[[ ${1:-} == --test ]] && packages+=(cmark ruby-kramdown ruby-kramdown-parser-gfm)
# --test: Liquid (Jekyll's template language), which Jekyll runs over the kramdown
# flavour's output before kramdown: md_safety checks it leaves the output as it is
[[ ${1:-} == --test ]] && packages+=(ruby-liquid)
# --test: the consumer test compiles the header as C++ and builds with Ninja
# (tests/consumer/consumer_test.sh); gcc's ThreadSanitizer runtime (libtsan2)
# comes with gcc
[[ ${1:-} == --test ]] && packages+=(g++ ninja-build)
# --test: the FFI test (tests/ffi_test.sh) loads the preprocessed header with
# Python's cffi and attaches every function with ruby-ffi
[[ ${1:-} == --test ]] && packages+=(python3-cffi ruby-ffi)
# --test: the Python package's tests (bindings/python/tests) with pytest, and a
# real `mkdocs build` with its MkDocs plugin
[[ ${1:-} == --test ]] && packages+=(python3-pytest mkdocs)
# --test: the Hugo and Jekyll examples (tests/hugo_example_test.sh,
# tests/jekyll_example_test.sh) and jekyll-pubrender (bindings/jekyll,
# tests/jekyll_test.sh, on ruby-ffi; minitest comes with ruby) build real sites
[[ ${1:-} == --test ]] && packages+=(hugo jekyll)
# --test: node and npm for the citation-js test (tests/citationjs_test.sh), by
# command: a node from elsewhere (e.g. NodeSource's nodejs, which carries npm)
# is used as it is
if [[ ${1:-} == --test ]]; then
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi
# --test: the browser and HTML-validator tests (tests/browser_test.sh): Debian's
# chromium at /usr/bin/chromium, driven by playwright-core (never a downloaded
# browser), and a Java runtime for the Nu Html Checker (vnu-jar needs Java 11+);
# a java from elsewhere is used as it is; a font (chromium only recommends
# one, and --no-install-recommends leaves a bare system without any)
if [[ ${1:-} == --test ]]; then
  [[ -x /usr/bin/chromium ]] || packages+=(chromium)
  packages+=(fonts-dejavu-core)
  command -v java >/dev/null || packages+=(default-jre-headless)
fi
# --fuzz: clang and its libFuzzer runtime (make fuzz); --memcheck: valgrind (make memcheck)
[[ ${1:-} == --fuzz ]] && packages+=(clang libclang-rt-14-dev)
[[ ${1:-} == --memcheck ]] && packages+=(valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "installing: ${missing[*]}"
sudo=""
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
