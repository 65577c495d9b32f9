#!/usr/bin/env bash
# ci_examples_test.sh PUBRENDER SRCDIR - the CI examples run as written.
#
# examples/ci/publications.yml: its steps are read with PyYAML (Debian's
# /usr/bin/python3 with python3-yaml) and run as GitHub Actions runs them
# (bash -e, the workflow's env with ${{ env.X }} substituted, the steps whose
# `if: github.event_name == ...` holds) in a scratch homepage repository
# cloned from a local bare "origin"; the two actions/checkout steps are
# simulated: the homepage is fetched and checked out, and a copy of SRCDIR
# plays .pubrender (a real run starts from a fresh checkout; here the copy
# and its build directory are kept from one run to the next, so only the
# first run builds pubrender from scratch). The install step runs
# scripts/install-deps.sh, which installs nothing when nothing is missing.
# Checked: the paths filters (the list, and which files they match); a push
# writes OUTPUT as PUBRENDER writes it with the workflow's OPTIONS (and the
# homepage's pubrender.yml) and commits it once, a second push commits
# nothing, an edit of venues.yml regenerates; a pull request passes when
# OUTPUT is up to date and fails in the --check step after an edit of the
# .bib or of venues.yml without regenerating.
#
# examples/ci/pre-commit: installed as the hook of a scratch repository with
# a pubrender.yml (max-authors, venues) and venues.yml: an up-to-date
# OUTPUT commits; a stale one is refused with the command to run, quoted
# for sh (the exact line), and that command regenerates a matching file;
# AUTO=1 regenerates and stages; what is staged is checked, not the working
# tree; a .bib path with a space works.
#
# The dependency list comes from scripts/install-deps.sh alone: the README
# names every package of `install-deps.sh --list`, and no README or example
# has an apt-get install line of its own.
#
# Exit 77 (SKIP) without git or Debian's python3 with PyYAML.
set -uo pipefail
pr=$(realpath "$1") src=$(realpath "$2")
py=/usr/bin/python3
if ! [[ -x $py ]] || ! $py -c 'import yaml' 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 with PyYAML is not installed (scripts/install-deps.sh --test)"
  exit 77
fi
command -v git >/dev/null || { echo "SKIP: git is not installed"; exit 77; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fails=0 runs=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# same FILE1 FILE2 WHAT
same() { if cmp -s "$1" "$2"; then ok "$3"; else bad "$3"; diff -u "$1" "$2" | head -20; fi; }
# equal GOT WANT WHAT
equal() { if [[ $1 == "$2" ]]; then ok "$3"; else bad "$3: got '$1', want '$2'"; fi; }

# A git of our own: no user or system configuration, a fixed identity (in
# the configuration, so that the workflow's own `git config user.name` wins).
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1
unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_DIR GIT_INDEX_FILE
mkdir -p "$HOME"
git config --global user.name Tester
git config --global user.email t@example.org
git config --global init.defaultBranch main
git config --global advice.detachedHead false
workflow=$src/examples/ci/publications.yml

# ---- the workflow, read as GitHub Actions reads it ----
cat >"$tmp/steps.py" <<'EOF'
"""steps.py WORKFLOW steps EVENT WORKSPACE OUTDIR: one file per step to run
(NN.run and NN.env, or NN.uses), as Actions would see them for EVENT.
steps.py WORKFLOW paths EVENT: the paths filter. steps.py WORKFLOW env NAME.
steps.py WORKFLOW match EVENT PATH...: "yes PATH" or "no PATH" (GitHub's globs)."""
import os, re, shlex, sys, yaml

wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get("on", wf.get(True))   # YAML 1.1 reads the key `on` as true
jobs = list(wf["jobs"].values())
if len(jobs) != 1:
    sys.exit("expected one job")
job = jobs[0]
cmd = sys.argv[2]

def subst(text, env, event, workspace):
    def one(m):
        e = m.group(1)
        if e.startswith("env.") and e[4:] in env:
            return env[e[4:]]
        if e == "github.event_name":
            return event
        if e == "github.workspace":
            return workspace
        sys.exit("unsupported expression: " + m.group(0))
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, str(text))

def condition(cond, event):
    if cond is None:
        return True
    c = re.sub(r"^\$\{\{\s*(.*?)\s*\}\}$", r"\1", str(cond).strip())
    m = re.fullmatch(r"github\.event_name\s*(==|!=)\s*'([^']*)'", c)
    if not m:
        sys.exit("unsupported condition: " + c)
    return (event == m.group(2)) == (m.group(1) == "==")

def glob_re(p):
    if p.startswith("!"):
        sys.exit("negated paths are not supported here: " + p)
    out, i = "", 0
    while i < len(p):
        if p.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif p.startswith("**", i):
            out, i = out + ".*", i + 2
        elif p[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif p[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(p[i]), i + 1
    return re.compile(out)

if cmd == "paths":
    print("\n".join(on[sys.argv[3]]["paths"]))
elif cmd == "env":
    print(wf["env"][sys.argv[3]])
elif cmd == "match":
    pats = [glob_re(p) for p in on[sys.argv[3]]["paths"]]
    for path in sys.argv[4:]:
        print("yes" if any(p.fullmatch(path) for p in pats) else "no", path)
elif cmd == "steps":
    event, workspace, outdir = sys.argv[3:6]
    base = {k: subst(v, {}, event, workspace) for k, v in (wf.get("env") or {}).items()}
    base.update({k: subst(v, base, event, workspace) for k, v in (job.get("env") or {}).items()})
    for n, step in enumerate(job["steps"]):
        env = dict(base)
        env.update({k: subst(v, base, event, workspace) for k, v in (step.get("env") or {}).items()})
        name = subst(step.get("name") or step.get("uses") or step.get("run"), env, event, workspace)
        if not condition(step.get("if"), event):
            print("skipped:", name)
            continue
        stem = os.path.join(outdir, "%02d" % n)
        if "uses" in step:
            w = {k: subst(v, env, event, workspace) for k, v in (step.get("with") or {}).items()}
            with open(stem + ".uses", "w") as f:
                f.write("%s\n%s\n%s\n" % (step["uses"], w.get("path", ""), w.get("ref", "")))
            continue
        shell = {None: "bash -e", "bash": "bash --noprofile --norc -eo pipefail",
                 "sh": "sh -e"}.get(step.get("shell"))
        if shell is None:
            sys.exit("unsupported shell: %s" % step.get("shell"))
        env.update(GITHUB_ACTIONS="true", CI="true", GITHUB_EVENT_NAME=event,
                   GITHUB_WORKSPACE=workspace)
        with open(stem + ".run", "w") as f:
            f.write(subst(step["run"], env, event, workspace))
        with open(stem + ".env", "w") as f:
            f.write("".join("export %s=%s\n" % (k, shlex.quote(v)) for k, v in env.items()))
            f.write("cd %s\nshell=%s\nname=%s\n" % (shlex.quote(os.path.join(
                workspace, step.get("working-directory", ""))), shlex.quote(shell),
                shlex.quote(name)))
else:
    sys.exit("unknown command " + cmd)
EOF
wfpy() { $py "$tmp/steps.py" "$workflow" "$@"; }

# The paths filters: every input pubrender reads in an al-folio homepage.
inputs=("**.bib" "**/pubrender.yml" "_data/venues.yml" "_data/coauthors.yml" "**.mustache"
        "**/pubrender.css" ".github/workflows/publications.yml")
output=$(wfpy env OUTPUT) bib=$(wfpy env BIB) options=$(wfpy env OPTIONS)
equal "$(wfpy paths push)" "$(printf '%s\n' "${inputs[@]}")" "push: the paths filter lists the inputs"
equal "$(wfpy paths pull_request)" "$(printf '%s\n' "${inputs[@]}" "$output")" \
  "pull_request: the paths filter lists the inputs and $output"
triggers=(_bibliography/papers.bib papers.bib _bibliography/pubrender.yml pubrender.yml
          _data/venues.yml _data/coauthors.yml templates/html/entry.mustache
          _pubrender/markdown-kramdown/entry.mustache templates/pubrender.css
          .github/workflows/publications.yml)
others=(README.md _config.yml assets/img/prof_pic.jpg _pages/about.md _data/repositories.yml)
for ev in push pull_request; do
  equal "$(wfpy match $ev "${triggers[@]}" "${others[@]}")" \
    "$(printf 'yes %s\n' "${triggers[@]}"; printf 'no %s\n' "${others[@]}")" \
    "$ev: an edit of a .bib, pubrender.yml, venues.yml, coauthors.yml, a template or the workflow runs it; other files do not"
done

# The dependencies come from the install script only.
install=$($py -c '
import sys, yaml
for s in yaml.safe_load(open(sys.argv[1]))["jobs"]["regenerate"]["steps"]:
    if s.get("name") == "Install the dependencies": print(s["run"].strip())' "$workflow")
equal "$install" "bash .pubrender/scripts/install-deps.sh" "the workflow installs through scripts/install-deps.sh"
mapfile -t base < <(bash "$src/scripts/install-deps.sh" --list)
equal "${base[*]}" "gcc make cmake pkg-config libbtparse-dev libcmark-dev libutf8proc-dev libjansson-dev libyaml-dev libpcre2-dev" \
  "install-deps.sh --list: the build dependencies, libyaml-dev and libpcre2-dev among them"
setup=$(sed -n '/^## Set up/,/^## /p' "$src/README.md")
missing=() ; for p in "${base[@]}"; do
  [[ $p == gcc || $p == make ]] && continue   # "a C compiler"; make runs the README's commands
  grep -qF "\`$p\`" <<<"$setup" || missing+=("$p")
done
equal "${missing[*]}" "" "README's Set up names every package install-deps.sh installs"
own=$(grep -rnE 'apt(-get)? +install' "$src/README.md" "$src/examples" || true)
equal "$own" "" "no README or example installs packages itself (they run scripts/install-deps.sh)"
grep -q 'scripts/install-deps.sh' "$src/examples/embed/jekyll/README.md" &&
  ok "the Jekyll example installs through scripts/install-deps.sh" ||
  bad "the Jekyll example does not run scripts/install-deps.sh"

# ---- a homepage repository and its origin ----
seed=$tmp/seed origin=$tmp/origin.git ws=$tmp/runner/work/home
git init -q --bare "$origin"
git init -q "$seed"
mkdir -p "$seed/$(dirname "$bib")" "$seed/_data"
cat >"$seed/$bib" <<'EOF'
@inproceedings{um2024metis,
  title     = {Metis: Fast Automatic Distributed Training on Heterogeneous {GPUs}},
  author    = {Um, Taegeon and Oh, Byungsoo and Kang, Minyoung and Jeon, Myeongjae},
  booktitle = {USENIX Annual Technical Conference},
  abbr      = {ATC},
  year      = {2024}
}
@article{oh2021,
  title   = {A Second Paper},
  author  = {Byungsoo Oh and Goeun Kim and Woo-Yeon Lee},
  journal = {Journal of Examples},
  abbr    = {JEX},
  year    = {2021}
}
EOF
# relative to the .bib's directory, as pubrender reads pubrender.yml
printf 'max-authors: 2\nvenues: ../_data/venues.yml\n' >"$seed/$(dirname "$bib")/pubrender.yml"
printf '"ATC":\n  url: https://www.usenix.org/conference/atc24\n  color: "#00369f"\n' \
  >"$seed/_data/venues.yml"
mkdir -p "$seed/.github/workflows" && cp "$workflow" "$seed/.github/workflows/"
echo "# My homepage" >"$seed/README.md"
git -C "$seed" add -A && git -C "$seed" commit -qm "homepage" &&
  git -C "$seed" push -q "$origin" main || { bad "seeding the homepage"; exit 1; }

# The reference: PUBRENDER on a clone of origin at REV with the workflow's OPTIONS.
opts=() && eval "opts=($options)"
reference() {   # reference REV OUT
  rm -rf "$tmp/ref" && git clone -q "$origin" "$tmp/ref" && git -C "$tmp/ref" checkout -q "$1" &&
    (cd "$tmp/ref" && "$pr" --quiet "${opts[@]}" -o "$2" "$bib")
}
commits() { git -C "$origin" rev-list --count "${1:-main}"; }

# The actions/checkout steps.
checkout() {   # checkout REF PATH (PATH empty: the homepage)
  if [[ -n $2 ]]; then
    [[ -d $ws/$2 ]] && return 0   # kept from the last run (see the top)
    mkdir -p "$ws/$2"
    if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
      git -C "$src" ls-files -z --cached --others --exclude-standard |
        (cd "$src" && while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done) |
        tar -C "$src" --null -T - -cf - | tar -C "$ws/$2" -xf -
    else
      tar -C "$src" --exclude=./build --exclude='./build-*' -cf - . | tar -C "$ws/$2" -xf -
    fi
    return
  fi
  [[ -d $ws/.git ]] || git clone -q "$origin" "$ws" || return
  git -C "$ws" fetch -q origin && git -C "$ws" clean -ffdxq -e /.pubrender &&
    if [[ $ref == main ]]; then git -C "$ws" checkout -qf -B main origin/main
    else git -C "$ws" checkout -qf --detach "origin/$ref"; fi
}

# run EVENT REF: the workflow's steps for EVENT with the homepage at branch
# REF; prints the name of the step that failed in $failed.
run() {
  local event=$1 step name shell
  local dir=$tmp/steps.$event.$((++runs))
  ref=$2 failed='' lastdir=$dir
  mkdir -p "$dir" "$ws"
  wfpy steps "$event" "$ws" "$dir" >"$dir/log" || { failed="reading the workflow"; return 1; }
  for step in "$dir"/*; do
    case $step in
      *.uses)
        { read -r uses; read -r path; read -r _; } <"$step"
        [[ $uses == actions/checkout@* ]] || { failed="unknown action $uses"; return 1; }
        checkout "$ref" "$path" || { failed="checkout $path"; return 1; } ;;
      *.env)
        (source "$step" && echo "step: $name" && $shell "${step%.env}.run") >>"$dir/log" 2>&1 ||
          { failed=$(source "$step" && echo "$name"); return 1; } ;;
    esac
  done
}
steplog() { cat "$lastdir/log"; }

# push: regenerate and commit once.
before=$(commits)
if run push main; then ok "push: every step passes"; else bad "push: step '$failed' failed"; steplog | tail -30; fi
equal "$(commits)" "$((before + 1))" "push: one commit"
equal "$(git -C "$origin" diff --name-only main~1 main)" "$output" "push: the commit changes $output alone"
equal "$(git -C "$origin" log -1 --format='%an <%ae>: %s' main)" \
  "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>: Regenerate $output from its inputs" \
  "push: the commit's author and message"
reference main~1 "$tmp/want.html"
git -C "$origin" show "main:$output" >"$tmp/got.html"
same "$tmp/got.html" "$tmp/want.html" "push: $output is what pubrender $options writes"
(cd "$tmp/ref" && "$pr" --quiet --no-config "${opts[@]}" -o "$tmp/noconfig.html" "$bib")
cmp -s "$tmp/want.html" "$tmp/noconfig.html" && bad "the homepage's pubrender.yml changes nothing" ||
  ok "the homepage's pubrender.yml is read (max-authors, venues)"

# push again, nothing changed: no commit.
if run push main; then ok "push again: every step passes"; else bad "push again: step '$failed' failed"; fi
equal "$(commits)" "$((before + 1))" "push again, nothing changed: no commit"

# push an edit of venues.yml: regenerated.
git -C "$seed" pull -q "$origin" main
before=$(commits)
sed -i 's/#00369f/#9f0036/' "$seed/_data/venues.yml"
git -C "$seed" commit -qam "venue colour" && git -C "$seed" push -q "$origin" main
run push main || bad "push venues.yml: step '$failed' failed"
equal "$(commits)" "$((before + 2))" "push of a venues.yml edit: its commit and one regenerating"
reference main~1 "$tmp/want.html"
git -C "$origin" show "main:$output" >"$tmp/got.html"
same "$tmp/got.html" "$tmp/want.html" "push of a venues.yml edit: $output follows it"
grep -q '#9f0036' "$tmp/got.html" && ok "push of a venues.yml edit: the new colour is in $output" ||
  bad "push of a venues.yml edit: the new colour is not in $output"

# pull_request: --check.
git -C "$seed" pull -q "$origin" main
git -C "$seed" push -q "$origin" main:pr-uptodate
if run pull_request pr-uptodate; then ok "pull request, $output up to date: passes"
else bad "pull request, $output up to date: step '$failed' failed"; steplog | tail -20; fi
grep -qx "step: Check that $output is up to date" <(steplog) && ok "pull request: the check step ran" ||
  bad "pull request: the check step did not run"
grep -q "step: Regenerate" <(steplog) && bad "pull request: the regenerate step ran" ||
  ok "pull request: the regenerate step did not run"
equal "$(commits pr-uptodate)" "$(commits main)" "pull request: no commit"

for edit in bib venues; do
  git -C "$seed" checkout -q -B "pr-$edit" main
  if [[ $edit == bib ]]; then sed -i 's/A Second Paper/A Second, Better Paper/' "$seed/$bib"
  else sed -i 's/#9f0036/#369f00/' "$seed/_data/venues.yml"; fi
  git -C "$seed" commit -qam "edit $edit" && git -C "$seed" push -q "$origin" "pr-$edit"
  if run pull_request "pr-$edit"; then bad "pull request, $edit edited, $output not regenerated: passes"
  else
    equal "$failed" "Check that $output is up to date" \
      "pull request, $edit edited, $output not regenerated: the check step fails"
    grep -q "$output is not up to date" <(steplog) && ok "pull request, $edit edited: pubrender says why" ||
      bad "pull request, $edit edited: no 'not up to date' message"
  fi
done
git -C "$seed" checkout -q main

# ---- the pre-commit hook ----
hook() {   # hook DIR: a repository like the homepage with the hook installed
  git init -q "$1" && mkdir -p "$1/_data" && cp "$src/examples/ci/pre-commit" "$1/.git/hooks/" &&
    chmod +x "$1/.git/hooks/pre-commit" && cp "$seed/_data/venues.yml" "$1/_data/"
}
PATH=$(dirname "$pr"):$PATH   # the hook runs pubrender from PATH
[[ $(command -v pubrender) == "$pr" ]] || bad "pubrender on PATH is not $pr"
# The hook's own options (set -- ... in it), its BIB and OUTPUT defaults.
hook_opts=$(sed -n 's/^set -- //p' "$src/examples/ci/pre-commit")
hopts=() && eval "hopts=($hook_opts)"
hbib=$(sed -n 's/^BIB=\${BIB:-\(.*\)}$/\1/p' "$src/examples/ci/pre-commit")
hout=$(sed -n 's/^OUTPUT=\${OUTPUT:-\(.*\)}$/\1/p' "$src/examples/ci/pre-commit")
equal "$hbib $hout ${hopts[*]}" "_bibliography/papers.bib pubs.html --highlight Byungsoo Oh" \
  "the hook's BIB, OUTPUT and options"
q() {   # the quoting the hook is to print: an argument with a space in '...'
  local s="" a; for a; do [[ $a == *[!A-Za-z0-9_./:=@%+,-]* ]] && s+=" '$a'" || s+=" $a"; done
  echo "${s# }"
}
# render DIR BIB OUT: what the hook's command writes, from DIR's index.
render() {
  rm -rf "$tmp/idx" && mkdir "$tmp/idx" && git -C "$1" checkout-index -a --prefix="$tmp/idx/" &&
    (cd "$tmp/idx" && "$pr" --quiet "${hopts[@]}" -o out.html "$2") && cp "$tmp/idx/out.html" "$3"
}

for hbib in "_bibliography/papers.bib" "my bib/papers.bib"; do
  r=$tmp/hook.${hbib%%/*}; r=${r// /_}
  export BIB=$hbib
  what() { echo "pre-commit ($hbib): $*"; }
  hook "$r"
  mkdir -p "$r/$(dirname "$hbib")"
  cp "$seed/$bib" "$r/$hbib"
  printf 'max-authors: 2\nvenues: ../_data/venues.yml\n' >"$r/$(dirname "$hbib")/pubrender.yml"
  echo '<p>old</p>' >"$r/pubs.html"
  git -C "$r" add -A
  git -C "$r" commit -qm one 2>/dev/null && bad "$(what "a first commit with a stale pubs.html commits")" ||
    ok "$(what "a first commit with a stale pubs.html is refused")"
  (cd "$r" && "$pr" --quiet "${hopts[@]}" -o pubs.html "$hbib")
  git -C "$r" add -A
  git -C "$r" commit -qm one 2>"$tmp/err" && ok "$(what "an up-to-date pubs.html with a pubrender.yml commits")" ||
    { bad "$(what "an up-to-date pubs.html is refused")"; cat "$tmp/err"; }

  # stale: refused, with the command quoted for sh
  sed -i 's/A Second Paper/A Third Paper/' "$r/$hbib"
  git -C "$r" add -- "$hbib"
  if git -C "$r" commit -qm two 2>"$tmp/err"; then bad "$(what "a stale pubs.html commits")"
  else
    ok "$(what "a stale pubs.html is refused")"
    want="pre-commit: pubs.html does not match its staged inputs; run: $(q pubrender "${hopts[@]}" -o pubs.html "$hbib")"
    equal "$(grep '^pre-commit:' "$tmp/err")" "$want" "$(what "the command it prints")"
    [[ $hbib == "$(sed -n 's/^BIB=\${BIB:-\(.*\)}$/\1/p' "$src/examples/ci/pre-commit")" ]] &&
      equal "$(sed -n 's/^    \(pre-commit: \)/\1/p' "$src/README.md")" "$want" "the README shows that line"
    cmd=$(grep '^pre-commit:' "$tmp/err" | sed 's/.*; run: //')
    (cd "$r" && sh -c "$cmd") 2>/dev/null
    render "$r" "$hbib" "$tmp/want.html"
    same "$r/pubs.html" "$tmp/want.html" "$(what "the printed command, run by sh, writes the matching file")"
    git -C "$r" add pubs.html
    git -C "$r" commit -qm two 2>"$tmp/err" && ok "$(what "after it, the commit passes")" ||
      { bad "$(what "after the printed command, the commit is refused")"; cat "$tmp/err"; }
  fi

  # a pubrender.yml edit alone makes pubs.html stale; AUTO=1 regenerates and stages
  sed -i 's/max-authors: 2/max-authors: 1/' "$r/$(dirname "$hbib")/pubrender.yml"
  git -C "$r" add -A
  git -C "$r" commit -qm three 2>/dev/null && bad "$(what "pubrender.yml edited, stale pubs.html commits")" ||
    ok "$(what "pubrender.yml edited, stale pubs.html is refused")"
  if AUTO=1 git -C "$r" commit -qm three 2>"$tmp/err"; then
    ok "$(what "AUTO=1 commits")"
    git -C "$r" show HEAD:pubs.html >"$tmp/got.html"
    render "$r" "$hbib" "$tmp/want.html"
    same "$tmp/got.html" "$tmp/want.html" "$(what "AUTO=1 commits the regenerated pubs.html")"
    equal "$(git -C "$r" status --porcelain)" "" "$(what "AUTO=1 leaves nothing unstaged")"
  else bad "$(what "AUTO=1 is refused")"; cat "$tmp/err"; fi

  # the index is checked, not the working tree: a .bib edit and its pubs.html
  # staged, then the .bib and pubrender.yml changed again, unstaged
  cfg=$r/$(dirname "$hbib")/pubrender.yml
  sed -i 's/Journal of Examples/Journal of Tests/' "$r/$hbib"
  (cd "$r" && "$pr" --quiet "${hopts[@]}" -o pubs.html "$hbib")
  git -C "$r" add -- "$hbib" pubs.html
  sed -i 's/Journal of Tests/Journal of Working Trees/' "$r/$hbib"
  sed -i 's/max-authors: 1/max-authors: 3/' "$cfg"
  git -C "$r" commit -qm four 2>"$tmp/err" &&
    ok "$(what "staged inputs and pubs.html agree, the working tree's differ: commits")" ||
    { bad "$(what "staged inputs and pubs.html agree, the working tree's differ: refused")"; cat "$tmp/err"; }
  # the other way: the working tree's pubs.html is regenerated, the staged one is not
  (cd "$r" && "$pr" --quiet "${hopts[@]}" -o pubs.html "$hbib")
  git -C "$r" add -- "$hbib"
  git -C "$r" commit -qm five 2>/dev/null &&
    bad "$(what "pubs.html regenerated but not staged: commits")" ||
    ok "$(what "pubs.html regenerated but not staged: refused")"
  # AUTO=1 renders what is staged (the working tree's pubrender.yml is not staged)
  if AUTO=1 git -C "$r" commit -qm five 2>"$tmp/err"; then
    git -C "$r" show HEAD:pubs.html >"$tmp/got.html"
    render "$r" "$hbib" "$tmp/want.html"
    same "$tmp/got.html" "$tmp/want.html" "$(what "AUTO=1 commits pubs.html of the staged inputs")"
    grep -q 'Working Trees' "$tmp/got.html" && ok "$(what "AUTO=1: the staged .bib")" ||
      bad "$(what "AUTO=1: not the staged .bib")"
    equal "$(git -C "$r" status --porcelain -z | tr '\0' '\n')" " M $(dirname "$hbib")/pubrender.yml" \
      "$(what "AUTO=1 stages pubs.html only (pubrender.yml stays unstaged)")"
  else bad "$(what "AUTO=1 with an unstaged pubrender.yml is refused")"; cat "$tmp/err"; fi
  # an unrelated commit is not checked
  git -C "$r" checkout -q -- . && echo more >>"$r/README" && git -C "$r" add README
  git -C "$r" commit -qm six 2>/dev/null && ok "$(what "a commit of no input commits")" ||
    bad "$(what "a commit of no input is refused")"
done

if ((fails)); then echo "$fails failed"; exit 1; fi
echo "all passed"
