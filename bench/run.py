#!/usr/bin/env python3
"""run.py: times the benchmark cases and prints one table (called by bench.sh).

Every run goes through /usr/bin/time -v (wall time, peak RSS) with its
output to a file in a scratch directory; a peer also runs under `timeout`.
Ours and the btparse floor run --runs times (median, min, max), peers
--peer-runs times. The table is printed as Markdown and written to --out.
"""
import argparse
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def machine():
    cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
    mem = sh("free -g | awk '/Mem:/{print $2}'")
    load = os.getloadavg()[0]
    return "%s, %s cores, %s GB RAM, %s, kernel %s (load average %.1f at start)" % (
        cpu or platform.processor(), os.cpu_count(), mem,
        sh(". /etc/os-release; echo $PRETTY_NAME"), platform.release(), load)


def timed(cmd, cwd, timeout_s):
    """Runs cmd (a shell string) once; returns dict(wall, rss_kb, rc, status)."""
    tf = os.path.join(cwd, ".time")
    full = "/usr/bin/time -v -o %s " % tf
    if timeout_s:
        full += "timeout -k 5 %d " % timeout_s
    full += "bash -c %s" % shlex.quote(cmd)
    t0 = time.monotonic()
    p = subprocess.run(full, shell=True, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=open(os.path.join(cwd, ".stderr"), "w"))
    wall = time.monotonic() - t0
    rss, rc, elapsed = None, p.returncode, None
    try:
        text = open(tf).read()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        rss = int(m.group(1)) if m else None
        m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
        if m:
            elapsed = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
        m = re.search(r"Exit status: (\d+)", text)
        if m:
            rc = int(m.group(1))
    except OSError:
        pass
    status = "ok"
    if timeout_s and (rc == 124 or wall >= timeout_s):
        status = "timeout"
    # /usr/bin/time's wall clock has 10 ms resolution: for short runs use ours
    return {"wall": wall if (elapsed is None or elapsed < 1) else elapsed, "rss_kb": rss,
            "rc": rc, "status": status}


class Case:
    def __init__(self, label, tool, kind, file, cmd, ok_rc=(0,), runs=5, timeout=0, ours=False):
        self.label, self.tool, self.kind, self.file = label, tool, kind, file
        self.cmd, self.ok_rc, self.runs, self.timeout, self.ours = cmd, ok_rc, runs, timeout, ours
        self.results = []
        self.note = ""

    def run(self, scratch):
        for _ in range(self.runs):
            r = timed(self.cmd, scratch, self.timeout)
            if r["status"] == "ok" and r["rc"] not in self.ok_rc:
                r["status"] = "failed (exit %d)" % r["rc"]
                try:
                    err = open(os.path.join(scratch, ".stderr")).read().strip().splitlines()
                    self.note = err[-1][:120] if err else ""
                except OSError:
                    pass
            self.results.append(r)
            if r["status"] != "ok":
                break
        return self

    @property
    def ok(self):
        return self.results and all(r["status"] == "ok" for r in self.results)

    @property
    def status(self):
        bad = [r["status"] for r in self.results if r["status"] != "ok"]
        return bad[0] if bad else "ok"

    def walls(self):
        return [r["wall"] for r in self.results]

    def median(self):
        return statistics.median(self.walls())

    def rss_mb(self):
        v = [r["rss_kb"] for r in self.results if r["rss_kb"]]
        return max(v) / 1024 if v else None


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
    ap.add_argument("--peer-timeout", type=int, default=300)
    ap.add_argument("--our-timeout", type=int, default=120)
    ap.add_argument("--huge", action="store_true")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--node-modules", default="")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    pr, floor = os.path.abspath(a.pubrender), os.path.abspath(a.floor)
    here = os.path.dirname(os.path.abspath(__file__))
    big = [("50 MB", os.path.join(a.data, "bench-50.bib"))]
    if a.huge:
        big.append(("200 MB", os.path.join(a.data, "bench-200.bib")))
    small = [("data/pubs.bib", os.path.abspath(a.pubs)), ("50 entries", os.path.join(a.data, "home-50.bib"))]
    helptext = sh("%s --help" % shlex.quote(pr))
    has_query = "--query" in helptext
    has_group = "--group-by" in helptext
    notes = []

    # entries per file: the floor's count of regular entries
    entries, sizes = {}, {}
    for _, f in big + small:
        sizes[f] = os.path.getsize(f)
        out = sh("%s %s 2>/dev/null" % (shlex.quote(floor), shlex.quote(f))).split()
        entries[f] = int(out[0]) if out else 0

    q = shlex.quote
    cases = []
    for name, f in big + small:
        runs = a.runs if f in dict(big).values() else a.small_runs
        cases.append(Case("btparse only (floor)", "btparse", "floor", f, "%s %s" % (q(floor), q(f)), runs=runs))
        ours = [("html", "pubrender → HTML", ""), ("markdown", "pubrender → Markdown", "-f markdown"),
                ("json", "pubrender → JSON", "-f json"), ("csl-json", "pubrender → CSL-JSON", "-f csl-json")]
        if f in dict(small).values():
            ours = ours[:1]
        for kind, label, opt in ours:
            cases.append(Case(label, "pubrender", kind, f, "%s %s %s" % (q(pr), opt, q(f)),
                              ok_rc=(0, 1), runs=runs, ours=True, timeout=a.our_timeout))
        if f in dict(big).values():
            if has_query:
                cases.append(Case("pubrender → HTML, --query '@*[year>=2020]'", "pubrender", "html-query", f,
                                  "%s --query '@*[year>=2020]' %s" % (q(pr), q(f)), ok_rc=(0, 1), runs=runs, ours=True,
                                  timeout=a.our_timeout))
            if has_group:
                cases.append(Case("pubrender → HTML, --group-by year", "pubrender", "html-group", f,
                                  "%s --group-by year %s" % (q(pr), q(f)), ok_rc=(0, 1), runs=runs, ours=True,
                                  timeout=a.our_timeout))
        if a.no_peers or (name == "200 MB"):
            continue
        pruns = a.peer_runs if f in dict(big).values() else 3
        to = a.peer_timeout
        if shutil.which("bibtex2html"):
            cases.append(Case("bibtex2html (bibtex8 -W --mstrings 2000000, -i)", "bibtex2html", "html", f,
                              "bibtex2html -q -nodoc -i -c 'bibtex8 -W --mstrings 2000000' -o out %s" % q(f),
                              runs=pruns, timeout=to))
        if shutil.which("pybtex-format"):
            cases.append(Case("pybtex-format → HTML", "pybtex", "html", f,
                              "pybtex-format -f bibtex -b html %s out.html" % q(f), runs=pruns, timeout=to))
        if shutil.which("pandoc"):
            cases.append(Case("pandoc bibtex → CSL-JSON", "pandoc", "csl-json", f,
                              "pandoc -f bibtex -t csljson %s -o out.json" % q(f), runs=pruns, timeout=to))
            cases.append(Case("pandoc --citeproc, nocite @* → HTML", "pandoc", "html", f,
                              "pandoc --citeproc --bibliography=%s %s -t html -o out.html"
                              % (q(f), q(os.path.join(here, "nocite.md"))), runs=pruns, timeout=to))
        if a.node_modules and os.path.isdir(os.path.join(a.node_modules, "@citation-js", "plugin-bibtex")):
            cj = os.path.join(here, "citationjs.js")
            for kind, label in (("csl-json", "citation-js bibtex → CSL-JSON"), ("html", "citation-js → HTML bibliography (APA)")):
                cases.append(Case(label, "citation-js", kind, f,
                                  "NODE_PATH=%s node --max-old-space-size=8192 %s %s %s > out"
                                  % (q(a.node_modules), q(cj), kind, q(f)), runs=pruns, timeout=to))
    if not has_query:
        notes.append("--query is not in this pubrender's --help: its row is skipped.")
    if not has_group:
        notes.append("--group-by is not in this pubrender's --help: its row is skipped.")

    scratch = tempfile.mkdtemp(prefix="pubrender-bench.")
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
            lines.append("| %s | %s | %s | – | – | %s | – |" % (
                fname, c.label, cell, "%.0f MB" % (part["rss_kb"] / 1024) if part.get("rss_kb") else "–"))
            continue
        med, lo, hi = c.median(), min(c.walls()), max(c.walls())
        span = fmt_t(med) if len(c.results) == 1 else "%s (%s–%s)" % (fmt_t(med), fmt_t(lo), fmt_t(hi))
        o = ours_for(c) if not c.ours and c.tool != "btparse" else None
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
    t = ["", "Targets:"]
    fl, html = find("btparse", "floor", f50), find("pubrender", "html", f50)
    if fl and html:
        r_med = fl.median() / html.median()
        r_min = min(fl.walls()) / min(html.walls())
        t.append("- HTML on 50 MB at ≥ 75%% of the btparse-only floor: %.0f%% by median (%.2f s vs %.2f s), "
                 "%.0f%% by min — %s" % (100 * r_med, html.median(), fl.median(), 100 * r_min,
                                        "met" if r_med >= 0.75 else "missed"))
    peers = [c for c in cases if not c.ours and c.tool != "btparse" and c.file == f50]
    okp = [c for c in peers if c.ok]
    if html and okp:
        fastest = min(okp, key=lambda c: c.median())
        m = fastest.median() / html.median()
        t.append("- ≥ 10× faster than the fastest peer on 50 MB (%s, %s): %.1f× — %s"
                 % (fastest.label, fmt_t(fastest.median()), m, "met" if m >= 10 else "missed"))
    elif peers:
        t.append("- ≥ 10× faster than the fastest peer: no peer finished on 50 MB")
    pubs = find("pubrender", "html", small[0][1])
    if pubs:
        t.append("- data/pubs.bib end to end < 5 ms: median %s, min %s — %s"
                 % (fmt_t(pubs.median()), fmt_t(min(pubs.walls())), "met" if pubs.median() < 0.005 else "missed"))
    for name, f in big:
        h = find("pubrender", "html", f)
        if h:
            ratio = h.rss_mb() / (sizes[f] / 1e6) if h.rss_mb() else 0
            worst = max((c for c in cases if c.ours and c.file == f and c.ok), key=lambda c: c.rss_mb() or 0)
            wr = worst.rss_mb() / (sizes[f] / 1e6)
            t.append("- peak RSS ≤ 2× input on %s: HTML %.0f MB = %.1f× (worst: %s, %.1f×) — %s"
                     % (name, h.rss_mb(), ratio, worst.label, wr, "met" if wr <= 2 else "missed"))
    if a.huge:
        h50, h200 = find("pubrender", "html", f50), find("pubrender", "html", big[1][1])
        if h50 and h200:
            r = h200.median() / h50.median()
            t.append("- linear: 200 MB takes %.2f× the time of 50 MB for %.2f× the bytes (≤ 4.4×) — %s"
                     % (r, sizes[big[1][1]] / sizes[f50], "met" if r <= 4.4 else "missed"))
    lines += t
    text = "\n".join(lines) + "\n"
    print(text)
    with open(a.out, "w") as f:
        f.write(text)
    with open(os.path.splitext(a.out)[0] + ".json", "w") as f:
        json.dump([{"label": c.label, "file": c.file, "runs": c.results} for c in cases], f, indent=1)


if __name__ == "__main__":
    main()
