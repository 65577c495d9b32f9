# pandoc_lib.sh - sourced by the tests that run pandoc on pubrender's output
# (csl_pandoc_test.sh, csl_titlecase_test.sh): the setup they share.
#
#   pandoc_setup SCRIPT_NAME "$@"
#     checks the arguments (PUBRENDER REPO_ROOT), sets BIN and ROOT (absolute),
#     exits 77 (skipped) when pandoc is not installed, points LSAN_OPTIONS
#     at tests/lsan.supp, makes T a scratch directory removed at exit, and
#     zeroes the counters npass and nfail.
set -u

pandoc_setup() {
  local name=$1
  shift
  if [[ $# -ne 2 ]]; then
    echo "usage: $name PUBRENDER REPO_ROOT" >&2
    exit 2
  fi
  BIN=$1
  ROOT=$(cd "$2" && pwd) || exit 2
  command -v pandoc >/dev/null || { echo "SKIP: pandoc is not installed"; exit 77; }
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
  T=$(mktemp -d) || exit 2
  trap 'rm -rf "$T"' EXIT
  npass=0 nfail=0
}
