#!/usr/bin/env python3
"""run.py: times the benchmark cases and prints one table (called by bench.sh).

Wall time: every command is started directly (an argument list: no shell,
no /usr/bin/time, no `timeout` in between) and timed with
time.perf_counter from just before the spawn to its exit, so a 2 ms program
measures as 2 ms and not as the start-up of sh and time around it. Standard
output goes to a file in a scratch directory (emptied before every run),
standard error to another one.

Peak RSS: one more run of the same command under `/usr/bin/time -f %M`
(its maximum resident set size, which covers the program's children, e.g.
bibtex8 under bibtex2html). That run comes first and doubles as a warm-up;
it is not one of the timed runs, except when it took >= LONG_S seconds:
then /usr/bin/time's own start (about 1 ms) is below 0.01% and the run is
kept as the first timed run. (os.wait4 on a child forked from Python would
report Python's own RSS as the child's peak for small programs.)

Ours and the btparse floor run --runs times on the big files (--small-runs
on the small ones), peers --peer-runs times (3 on the small ones); the table
shows median (min-max). A run that exceeds its limit is killed (its whole
process group). The table is printed as Markdown and written to --out, the
raw runs to the .json next to it.
"""
import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

LONG_S = 10.0


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("free -g | awk '/Mem:/{print $2}'")
    load = os.getloadavg()[0]
    return "%s, %s cores, %s GB RAM, %s, kernel %s (load average %.1f at start)" % (
        cpu or platform.processor(), os.cpu_count(), mem,
        sh(". /etc/os-release; echo $PRETTY_NAME"), platform.release(), load)


def run_once(argv, scratch, timeout_s, env=None, stdout_name="stdout", rss=False):
    """Runs argv once in scratch/work (emptied first). Returns dict(wall,
    rss_kb, rc, status, via); rss_kb only when rss (then through
    /usr/bin/time)."""
    work = os.path.join(scratch, "work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tf = os.path.join(scratch, "rss")
    if os.path.exists(tf):
        os.remove(tf)
    full = (["/usr/bin/time", "-f", "%M", "-o", tf] + argv) if rss else argv
    with open(os.path.join(work, stdout_name), "wb") as out, \
            open(os.path.join(scratch, "stderr"), "wb") as err:
        killed = []

        def kill():
            killed.append(True)
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        t0 = time.perf_counter()
        p = subprocess.Popen(full, cwd=work, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                             env=env, start_new_session=True)
        # a blocking wait (waitpid) returns at the exit; Popen.wait(timeout)
        # would poll with sleeps of up to 50 ms and round the time up
        timer = threading.Timer(timeout_s, kill) if timeout_s else None
        if timer:
            timer.start()
        rc = p.wait()
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        status = "timeout" if killed else "ok"
    rss_kb = None
    if rss and status == "ok":
        try:
            lines = [l for l in open(tf).read().split("\n") if l.strip().isdigit()]
            rss_kb = int(lines[-1]) if lines else None
        except OSError:
            pass
    return {"wall": wall, "rss_kb": rss_kb, "rc": rc, "status": status,
            "via": "/usr/bin/time" if rss else "direct"}


def error_note(scratch):
    """The most telling line of the last run's standard error."""
    try:
        lines = [l.strip() for l in open(os.path.join(scratch, "stderr"), errors="replace")
                 .read().splitlines() if l.strip()]
    except OSError:
        return ""
    lines = [l for l in lines if not l.startswith("Node.js v")]
    for l in reversed(lines):
        if "Error" in l or "error" in l:
            return l[:160]
    return lines[-1][:160] if lines else ""


class Case:
    def __init__(self, label, tool, kind, file, argv, ok_rc=(0,), runs=5, timeout=0, ours=False,
                 env=None, stdout_name="stdout"):
        self.label, self.tool, self.kind, self.file = label, tool, kind, file
        self.argv, self.ok_rc, self.runs, self.timeout, self.ours = argv, ok_rc, runs, timeout, ours
        self.env, self.stdout_name = env, stdout_name
        self.results = []  # the timed runs
        self.rss_run = None
        self.note = ""

    def _check(self, r, scratch):
        if r["status"] == "ok" and r["rc"] not in self.ok_rc:
            r["status"] = "failed (exit %d)" % r["rc"] if r["rc"] >= 0 else \
                "failed (signal %d)" % -r["rc"]
        if r["status"] != "ok":
            self.note = error_note(scratch)
        return r["status"] == "ok"

    def run(self, scratch):
        r = run_once(self.argv, scratch, self.timeout, self.env, self.stdout_name, rss=True)
        self.rss_run = r
        if not self._check(r, scratch):
            self.results.append(r)
            return self
        todo = self.runs
        if r["wall"] >= LONG_S:
            self.results.append(r)
            todo -= 1
        for _ in range(todo):
            r = run_once(self.argv, scratch, self.timeout, self.env, self.stdout_name)
            self.results.append(r)
            if not self._check(r, scratch):
                break
        return self

    @property
    def ok(self):
        return bool(self.results) and all(r["status"] == "ok" for r in self.results)

    @property
    def status(self):
        bad = [r["status"] for r in self.results if r["status"] != "ok"]
        return bad[0] if bad else "ok"

    def walls(self):
        return [r["wall"] for r in self.results]

    def median(self):
        return statistics.median(self.walls())

    def rss_mb(self):
        """Peak RSS in MB (10^6 bytes, as the input sizes): GNU time's %M is KiB."""
        v = self.rss_run and self.rss_run.get("rss_kb")
        return v * 1024 / 1e6 if v else None


def fmt_t(t):
    if t is None:
        return "–"
    return "%.1f ms" % (t * 1000) if t < 1 else "%.2f s" % t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pubrender", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--pubs", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--small-runs", type=int, default=20)
    ap.add_argument("--peer-runs", type=int, default=1)
    ap.add_argument("--peer-timeout", type=int, default=600)
    ap.add_argument("--our-timeout", type=int, default=120)
    ap.add_argument("--huge", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--node-modules", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--baseline", default="", help="pubrender as it was before (one-thread target)")
    ap.add_argument("--baseline-rev", default="")
    ap.add_argument("--known-peer", default="bibtex2html (bibtex8 -W --mstrings 2000000, -i)=7.58",
                    help="LABEL=SECONDS: the fastest peer on 50 MB from an earlier run, for the "
                         "peer target when no peer is run (--no-peers)")
    a = ap.parse_args()

    pr, floor = os.path.abspath(a.pubrender), os.path.abspath(a.floor)
    here = os.path.dirname(os.path.abspath(__file__))
    big = [("50 MB", os.path.join(a.data, "bench-50.bib"))]
    if a.huge:
        big.append(("200 MB", os.path.join(a.data, "bench-200.bib")))
    small = [("data/pubs.bib", os.path.abspath(a.pubs)), ("50 entries", os.path.join(a.data, "home-50.bib"))]
    helptext = subprocess.run([pr, "--help"], capture_output=True, text=True).stdout
    has_query = "--query" in helptext
    has_group = "--group-by" in helptext
    notes = []

    # entries per file: the floor's count of regular entries
    entries, sizes = {}, {}
    for _, f in big + small:
        sizes[f] = os.path.getsize(f)
        out = subprocess.run([floor, f], capture_output=True, text=True).stdout.split()
        entries[f] = int(out[0]) if out else 0

    # the Vancouver CSL style for pandoc: the one citation-js bundles (see
    # citationjs.js for why a numeric style); without it pandoc's default
    scratch = tempfile.mkdtemp(prefix="pubrender-bench.")
    vancouver = None
    styles = os.path.join(a.node_modules, "@citation-js", "plugin-csl", "lib", "styles.json") \
        if a.node_modules else ""
    if styles and os.path.isfile(styles):
        try:
            with open(styles, encoding="utf-8") as fi:
                xml = json.load(fi)["vancouver"]
            vancouver = os.path.join(scratch, "vancouver.csl")
            with open(vancouver, "w", encoding="utf-8") as fo:
                fo.write(xml)
        except (KeyError, ValueError, OSError):
            vancouver = None

    cases = []
    bigfiles = [f for _, f in big]
    for name, f in big + small:
        isbig = f in bigfiles
        runs = a.runs if isbig else a.small_runs
        cases.append(Case("btparse only (floor)", "btparse", "floor", f, [floor, f], runs=runs))
        ours = [("html", "pubrender → HTML", []), ("markdown", "pubrender → Markdown", ["-f", "markdown"]),
                ("json", "pubrender → JSON", ["-f", "json"]), ("csl-json", "pubrender → CSL-JSON", ["-f", "csl-json"])]
        if not isbig:
            ours = [ours[0], ours[3]]
        for kind, label, opt in ours:
            cases.append(Case(label, "pubrender", kind, f, [pr] + opt + [f],
                              ok_rc=(0, 1), runs=runs, ours=True, timeout=a.our_timeout))
        # one thread (--threads 1, the library's default), and as it was before threads
        if isbig or f == small[0][1]:
            one = [o for o in ours if o[0] in ("html", "json", "csl-json")]
            for kind, label, opt in one:
                cases.append(Case(label + ", 1 thread", "pubrender-1t", kind, f,
                                  [pr, "--threads", "1"] + opt + [f], ok_rc=(0, 1), runs=runs,
                                  timeout=a.our_timeout))
            if a.baseline and isbig:
                for kind, label, opt in one:
                    cases.append(Case(label.replace("pubrender", "pubrender %s (before threads)"
                                                    % (a.baseline_rev or "baseline")),
                                      "pubrender-before", kind, f, [os.path.abspath(a.baseline)] + opt + [f],
                                      ok_rc=(0, 1), runs=runs, timeout=a.our_timeout))
        if isbig:
            if has_query:
                cases.append(Case("pubrender → HTML, --query '@*[year>=2020]'", "pubrender", "html-query", f,
                                  [pr, "--query", "@*[year>=2020]", f], ok_rc=(0, 1), runs=runs, ours=True,
                                  timeout=a.our_timeout))
            if has_group:
                cases.append(Case("pubrender → HTML, --group-by year", "pubrender", "html-group", f,
                                  [pr, "--group-by", "year", f], ok_rc=(0, 1), runs=runs, ours=True,
                                  timeout=a.our_timeout))
        if a.no_peers or (name == "200 MB"):
            continue
        pruns = a.peer_runs if isbig else 3
        to = a.peer_timeout
        if shutil.which("bibtex2html"):
            cases.append(Case("bibtex2html (bibtex8 -W --mstrings 2000000, -i)", "bibtex2html", "html", f,
                              ["bibtex2html", "-q", "-nodoc", "-i", "-c", "bibtex8 -W --mstrings 2000000",
                               "-o", "out", f], runs=pruns, timeout=to))
        if shutil.which("pybtex-format"):
            cases.append(Case("pybtex-format → HTML", "pybtex", "html", f,
                              ["pybtex-format", "--min-crossrefs", "2", "-f", "bibtex", "-b", "html", f, "out.html"],
                              ok_rc=(0, 2), runs=pruns, timeout=to))
        if shutil.which("pandoc"):
            cases.append(Case("pandoc bibtex → CSL-JSON", "pandoc", "csl-json", f,
                              ["pandoc", "-f", "bibtex", "-t", "csljson", f, "-o", "out.json"], runs=pruns, timeout=to))
            csl = ["--csl=" + vancouver] if vancouver else []
            cases.append(Case("pandoc --citeproc%s, nocite @* → HTML" % (" (Vancouver)" if vancouver else ""),
                              "pandoc", "html", f,
                              ["pandoc", "--citeproc"] + csl + ["--bibliography=" + f, os.path.join(here, "nocite.md"),
                               "-t", "html", "-o", "out.html"], runs=pruns, timeout=to))
        if a.node_modules and os.path.isdir(os.path.join(a.node_modules, "@citation-js", "plugin-bibtex")) \
                and shutil.which("node"):
            cj = os.path.join(here, "citationjs.js")
            env = dict(os.environ, NODE_PATH=os.path.abspath(a.node_modules))
            for kind, label in (("csl-json", "citation-js bibtex → CSL-JSON"), ("html", "citation-js → HTML bibliography (Vancouver)")):
                cases.append(Case(label, "citation-js", kind, f,
                                  ["node", "--max-old-space-size=8192", cj, kind, f],
                                  runs=pruns, timeout=to, env=env, stdout_name="out"))
    if not has_query:
        notes.append("--query is not in this pubrender's --help: its row is skipped.")
    if not has_group:
        notes.append("--group-by is not in this pubrender's --help: its row is skipped.")
    tools = {c.tool for c in cases}
    notes.append("Wall time: each program started directly (argument list, no shell, no /usr/bin/time), "
                 "timed from spawn to exit with Python's time.perf_counter (process start included); "
                 "standard output into a file. Peak RSS: one extra run under /usr/bin/time -f %%M, run first "
                 "(it is also the warm-up); a run of ≥ %.0f s is kept as a timed run too." % LONG_S)
    if "bibtex2html" in tools:
        notes.append("bibtex2html runs bibtex8 itself (through /bin/sh): its time and peak RSS include bibtex8's.")
    if "pybtex" in tools:
        notes.append("pybtex-format exits 2 after writing its output when it printed warnings (the corpus has "
                     "undefined @string macros and duplicate keys and fields): counted as success. It gets "
                     "--min-crossrefs 2, its documented default: without the option pybtex-format 0.24 passes "
                     "None and stops with a TypeError on the first crossref.")
    if vancouver or "citation-js" in tools:
        notes.append("The HTML bibliographies of pandoc and citation-js use the Vancouver CSL style (numeric; "
                     "the copy citation-js bundles, for both), not an author-date one: author-date styles "
                     "disambiguate each group of items that cite alike (\"Wang et al. 2020\"), at a cost "
                     "that grows faster than the group, and the renamed copies make every group 4 times as "
                     "large: with pandoc's default (Chicago author-date) base.bib plus one copy took 14× as "
                     "long as base.bib, and 50 MB did not finish in 600 s. pubrender does no such "
                     "disambiguation.")
    if "citation-js" in tools:
        notes.append("citation-js: Cite(text, {generateGraph: false}) (bench/citationjs.js); with the "
                     "default graph every CSL entry refers to the whole input and JSON.stringify fails "
                     "(Invalid string length) on a 1 MB file.")

    try:
        for c in cases:
            sys.stderr.write("  %-55s %-14s ... " % (c.label[:55], os.path.basename(c.file)))
            sys.stderr.flush()
            c.run(scratch)
            sys.stderr.write("%s %s\n" % (c.status, fmt_t(c.median()) if c.results else ""))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def ours_for(c):
        kind = c.kind if c.kind in ("html", "csl-json") else "html"
        for o in cases:
            if o.ours and o.file == c.file and o.kind == kind and o.ok:
                return o
        return None

    lines = ["Machine: " + machine(), "",
             "Ours and the floor: %d runs on the big files (%d on the small ones), median (min–max); "
             "peers: %d run on the big file (3 on the small ones), limit %d s (ours: %d s). Throughput and entries/s from the median."
             % (a.runs, a.small_runs, a.peer_runs, a.peer_timeout, a.our_timeout), ""]
    lines += ["Files: " + "; ".join("%s = %s, %s bytes, %s entries" % (
        n, os.path.relpath(f, os.path.dirname(here)) if n != "data/pubs.bib" else "data/pubs.bib",
        "{:,}".format(sizes[f]), "{:,}".format(entries[f])) for n, f in big + small) + ".", ""]
    hdr = "| file | program | wall: median (min–max) | MB/s | entries/s | peak RSS | × ours |"
    lines += [hdr, "|---|---|---|---:|---:|---:|---:|"]
    for c in cases:
        fname = [n for n, f in big + small if f == c.file][0]
        mb = sizes[c.file] / 1e6
        if not c.ok:
            part = c.results[-1] if c.results else {}
            cell = "%s after %s" % (c.status, fmt_t(part.get("wall")))
            if c.note:
                cell += " (%s)" % c.note.replace("|", "/")
            rss = c.rss_mb()
            lines.append("| %s | %s | %s | – | – | %s | – |" % (
                fname, c.label, cell, "%.0f MB" % rss if rss else "–"))
            continue
        med, lo, hi = c.median(), min(c.walls()), max(c.walls())
        span = fmt_t(med) if len(c.results) == 1 else "%s (%s–%s)" % (fmt_t(med), fmt_t(lo), fmt_t(hi))
        o = ours_for(c) if not c.ours and not c.tool.startswith(("btparse", "pubrender")) else None
        mult = "%.0f×" % (med / o.median()) if o and med / o.median() >= 10 else \
            ("%.1f×" % (med / o.median()) if o else "")
        rss = c.rss_mb()
        lines.append("| %s | %s | %s | %.1f | %s | %s | %s |" % (
            fname, c.label, span, mb / med, "{:,.0f}".format(entries[c.file] / med),
            "%.0f MB (%.1f× input)" % (rss, rss / mb) if rss and mb >= 1 else ("%.1f MB" % rss if rss else "–"),
            mult))
    lines.append("")
    lines += ["Note: " + n for n in notes]

    # targets
    def find(tool, kind, f):
        for c in cases:
            if c.tool == tool and c.kind == kind and c.file == f and c.ok:
                return c
        return None
    f50 = big[0][1]
    t = ["", "Targets (issue 18):"]
    fl, html = find("btparse", "floor", f50), find("pubrender", "html", f50)
    if fl:
        for kind, limit, label in (("html", 1.0, "HTML"), ("json", 1.5, "JSON"), ("csl-json", 1.5, "CSL-JSON")):
            c = find("pubrender", kind, f50)
            if not c:
                continue
            r = c.median() / fl.median()
            t.append("- %s on 50 MB in ≤ %.1f× the btparse-only floor's wall time: %.2f× by median "
                     "(%s vs %s), %.2f× by min — %s" % (
                         label, limit, r, fmt_t(c.median()), fmt_t(fl.median()),
                         min(c.walls()) / min(fl.walls()), "met" if r <= limit else "missed"))
    peers = [c for c in cases if not c.ours and not c.tool.startswith(("btparse", "pubrender"))
             and c.file == f50]
    okp = [c for c in peers if c.ok and ours_for(c)]
    if okp:
        fastest = min(okp, key=lambda c: c.median())
        o = ours_for(fastest)
        plabel, pt, where = fastest.label, fastest.median(), "this run"
    else:
        o = html
        plabel, _, pt = a.known_peer.rpartition("=")
        pt, where = float(pt), "an earlier run (README), no peer run now"
    if o:
        m = pt / o.median()
        t.append("- ≥ 12× faster than the fastest peer on 50 MB (%s, %s, %s; ours, %s: %s): %.1f× — %s"
                 % (plabel, fmt_t(pt), where, o.label, fmt_t(o.median()), m, "met" if m >= 12 else "missed"))
    for name, f in big:
        h = find("pubrender", "html", f)
        if h and h.rss_mb():
            worst = max((c for c in cases if c.tool.startswith("pubrender") and c.file == f and c.ok),
                        key=lambda c: c.rss_mb() or 0)
            wr = worst.rss_mb() / (sizes[f] / 1e6)
            t.append("- peak RSS ≤ 2× input on %s: HTML %.0f MB = %.1f× (worst: %s, %.1f×) — %s"
                     % (name, h.rss_mb(), h.rss_mb() / (sizes[f] / 1e6), worst.label, wr,
                        "met" if wr <= 2 else "missed"))
    pubs = find("pubrender", "html", small[0][1])
    if pubs:
        t.append("- data/pubs.bib end to end < 3 ms: median %s, min %s — %s"
                 % (fmt_t(pubs.median()), fmt_t(min(pubs.walls())), "met" if pubs.median() < 0.003 else "missed"))
    if a.huge:
        h50, h200 = find("pubrender", "html", f50), find("pubrender", "html", big[1][1])
        if h50 and h200:
            r = h200.median() / h50.median()
            t.append("- linear: 200 MB in ≤ 4.2× the time of 50 MB (%.2f× the bytes): %.2f× — %s"
                     % (sizes[big[1][1]] / sizes[f50], r, "met" if r <= 4.2 else "missed"))
    else:
        t.append("- linear: 200 MB in ≤ 4.2× the time of 50 MB: not measured (--huge)")
    befores = [(find("pubrender-1t", k, f50), find("pubrender-before", k, f50)) for k in ("html", "json", "csl-json")]
    befores = [(n, b) for n, b in befores if n and b]
    if befores:
        # 3%: what two runs of one program differ by on this shared machine
        parts = ["%s %s vs %s (%.2f×)" % (n.kind, fmt_t(n.median()), fmt_t(b.median()), n.median() / b.median())
                 for n, b in befores]
        worst = max(n.median() / b.median() for n, b in befores)
        t.append("- one thread (--threads 1) no slower than before threads (%s), by median, within 3%%: %s — %s"
                 % (a.baseline_rev or "baseline", "; ".join(parts), "met" if worst <= 1.03 else "missed"))
    else:
        t.append("- one thread no slower than before threads: not measured (--baseline none)")
    lines += t
    text = "\n".join(lines) + "\n"
    print(text)
    with open(a.out, "w") as f:
        f.write(text)
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump([{"label": c.label, "file": c.file, "argv": c.argv, "rss_run": c.rss_run, "runs": c.results}
                   for c in cases], f, indent=1)


if __name__ == "__main__":
    main()
