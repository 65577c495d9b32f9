#!/usr/bin/env bash
# browser_test.sh PUBRENDER REPO_ROOT [CACHE_DIR] [--update-screenshot]
#
# The standalone page as a person sees it: tests/browser/browser.js renders
# data/pubs.bib, tests/corpus/alfolio-site.bib and al-folio's example
# (../shared/corpus/alfolio-papers.bib, when it is there) with --standalone, opens both in Debian's headless Chromium (/usr/bin/chromium
# through playwright-core) and checks the DOM (entries in order, highlight,
# marks, legend, badge, year headings), what is seen (bold owner, no overflow
# on a 375px phone, dark theme, complete without JavaScript, <details> open on
# a click) and axe-core (zero violations, light and dark). Screenshots go to
# CACHE_DIR/out; with --update-screenshot the desktop one of data/pubs.bib is
# copied to docs/screenshot-pubs.png (the README's picture; tests never write
# into the source tree otherwise).
#
# playwright-core and axe-core (pinned in tests/browser/package-lock.json) are
# installed with `npm ci` into CACHE_DIR (default: browser/ beside PUBRENDER,
# i.e. in the build tree) the first time, and again only when the lock file
# changes. Exit 77 (skipped) without node, npm or /usr/bin/chromium
# (scripts/install-deps.sh --test installs them). The last line is
# "N passed, N failed".
set -u
update=()
args=()
for a in "$@"; do
  if [[ $a == --update-screenshot ]]; then update=(--update-screenshot); else args+=("$a"); fi
done
if ((${#args[@]} < 2 || ${#args[@]} > 3)); then
  echo "usage: browser_test.sh PUBRENDER REPO_ROOT [CACHE_DIR] [--update-screenshot]" >&2
  exit 2
fi
BIN=$(realpath "${args[0]}") || exit 2
ROOT=$(cd "${args[1]}" && pwd) || exit 2
CACHE=${args[2]:-$(dirname "$BIN")/browser}
CHROMIUM=${PR_CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "SKIP: node is not installed"; exit 77; }
command -v npm >/dev/null || { echo "SKIP: npm is not installed"; exit 77; }
[[ -x $CHROMIUM ]] || { echo "SKIP: $CHROMIUM is not installed (apt-get install chromium)"; exit 77; }
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}

# shellcheck source=browser/common.sh
. "$ROOT/tests/browser/common.sh"
pr_npm_ci "$ROOT/tests/browser" "$CACHE" playwright-core/package.json ||
  { echo "0 passed, 1 failed"; exit 1; }
export NODE_PATH=$CACHE/node_modules PR_CHROMIUM=$CHROMIUM
rm -rf "$CACHE/out"
exec node "$ROOT/tests/browser/browser.js" "$BIN" "$ROOT" "$CACHE/out" "${update[@]}"
