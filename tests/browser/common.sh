# shellcheck shell=bash
# tests/browser/common.sh - sourced by tests/browser_test.sh and
# tests/vnu_test.sh (and usable by any test that needs pinned npm packages).
#
# pr_npm_ci SRC CACHE MARKER
#   Installs the packages pinned in SRC/package-lock.json into CACHE with
#   `npm ci` (quiet, no audit or funding requests, the npm cache first, no
#   lifecycle scripts), the first time and again only when the lock file
#   changed (CACHE/installed.lock is the lock file last installed) or
#   CACHE/node_modules/MARKER is missing. Two tests sharing CACHE under
#   `ctest -j` take turns (flock). Prints npm's log tail and returns 1 when
#   npm ci fails; returns 2 for an unusable CACHE.
pr_npm_ci() {
  local src=$1 cache=$2 marker=$3
  mkdir -p "$cache" || return 2
  (
    if command -v flock >/dev/null; then
      exec 9>"$cache/.install.lock" && flock 9
    fi
    if cmp -s "$src/package-lock.json" "$cache/installed.lock" &&
       [[ -e $cache/node_modules/$marker ]]; then
      exit 0
    fi
    echo "installing $(cd "$src" && node -p 'Object.keys(require("./package.json").dependencies).join(", ")' 2>/dev/null) into $cache (npm ci)"
    cp "$src/package.json" "$src/package-lock.json" "$cache/" || exit 2
    rm -f "$cache/installed.lock"
    if ! (cd "$cache" && npm ci --no-audit --no-fund --prefer-offline --ignore-scripts \
            --loglevel=error >npm.log 2>&1); then
      echo "npm ci in $cache failed:"
      tail -20 "$cache/npm.log"
      exit 1
    fi
    cp "$src/package-lock.json" "$cache/installed.lock"
  )
}

# pr_have_java: true when `java` runs and is at least Java 11 (vnu-jar's need).
pr_have_java() {
  command -v java >/dev/null || return 1
  local v
  v=$(java -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\)[."].*/\1/p' | head -1)
  [[ -n $v ]] && ((v == 1 ? 0 : v >= 11))
}
