#!/usr/bin/env python3
"""generator_test.py PUBRENDER GENERATOR ROOT

Issue 14, "Done when": a generator author's C program (tests/generator_test.c,
built against include/pubrender.h only and linked to the shared library)
renders the display model its own way and gets the same visible text as
the built-in HTML template.

For every .bib of tests/corpus/, data/pubs.bib and ../shared/corpus/ (each
with its NAME.args beside it or in tests/golden/corpus/), under three option
sets (none; --group-by year,type --max-authors 3 with owners highlighted and
al-folio's venues and co-authors files; --max-authors 1 with the owners,
which cuts names before an owner), PUBRENDER writes the built-in HTML
fragment and GENERATOR its own page for the same options. Both are read
with html.parser (tests/visible_text.py): the text nodes of each entry
(<li class="pubrender-entry"> / <article>) and each group heading in
document order, whitespace collapsed. Left out, as UI chrome: the built-in
template's <summary> labels "Abstract" and "BibTeX" of the abstract's and
the BibTeX's toggles (fixed words of the template, not values of the
display model; the generator marks its own labels for them class="chrome").
Everything else is compared: badge, title, names with marks and separators,
the "K more authors" labels and the hidden names behind them, role, legend,
venue line, note, link labels, award name and award, abstract, BibTeX.

The two must list the same entries (ids) and headings in the same order, and
each entry's text must be the same: a difference fails, naming the file,
the options, the entry id and both texts. Prints 'N passed, N failed'.
Exits 1 on a failure; else 77 (SKIP) when ../shared/corpus is not there
(after checking the rest), else 0."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import visible_text  # noqa: E402

# owners found in the corpus; with --max-authors 1, Hiroshi Sato, Nathan
# Rosen and Byungsoo Oh are shown after a cut
HIGHLIGHT = ["Albert Einstein", "Donald E. Knuth", "Ines Varga", "Byungsoo Oh", "Hiroshi Sato",
             "Nathan Rosen"]
STD_OK = {"<pubrender.h>", "<stdio.h>", "<stdlib.h>", "<string.h>"}
passed = failed = 0


def fail(msg):
    global failed
    failed += 1
    print("FAIL: " + msg)


def option_sets(data):
    full = ["--group-by", "year,type", "--max-authors", "3",
            "--venues", data[0], "--coauthors", data[1]]
    for h in HIGHLIGHT:
        full += ["--highlight", h]
    cuts = ["--max-authors", "1"] + full[full.index("--highlight"):]
    return [("no options", []), ("grouped, --max-authors 3, owners, al-folio's data files", full),
            ("--max-authors 1 with owners (cuts)", cuts)]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def generator_item(tag, attrs):
    return dict(attrs).get("id", "") if tag == "article" else None


def generator_heading(tag, attrs):
    return "group" in visible_text.classes(attrs)


def generator_chrome(tag, attrs):
    return "chrome" in visible_text.classes(attrs)


def first_difference(a, b):
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return i


def compare(where, ours, theirs):
    """ours: the built-in HTML's records; theirs: the generator's."""
    global passed
    ours_ids = [r[1] for r in ours if r[0] == "item"]
    theirs_ids = [r[1] for r in theirs if r[0] == "item"]
    if ours_ids != theirs_ids:
        i = first_difference(ours_ids, theirs_ids)
        fail(f"{where}: the entries differ from position {i}: built-in HTML "
             f"{ours_ids[i:i + 3]} ({len(ours_ids)} entries), generator {theirs_ids[i:i + 3]} "
             f"({len(theirs_ids)} entries)")
        return
    if not ours_ids:
        fail(f"{where}: no entry at all in the built-in HTML")
        return
    ours_h = [r[1] for r in ours if r[0] == "heading"]
    theirs_h = [r[1] for r in theirs if r[0] == "heading"]
    if ours_h != theirs_h:
        fail(f"{where}: the headings differ: built-in HTML {ours_h}, generator {theirs_h}")
    else:
        passed += 1
    if [r[0] for r in ours] != [r[0] for r in theirs]:
        fail(f"{where}: headings and entries are not in the same order")
    bad = 0
    for o, t in zip((r for r in ours if r[0] == "item"), (r for r in theirs if r[0] == "item")):
        if o[2] == t[2]:
            passed += 1
            continue
        bad += 1
        if bad > 10:
            fail(f"{where}: entry {o[1]}: differs too (and further ones not shown)")
            continue
        i = first_difference(o[2], t[2])
        fail(f"{where}: entry {o[1]}: the visible text differs at character {i}\n"
             f"  built-in HTML: {o[2]!r}\n"
             f"  generator:     {t[2]!r}\n"
             f"  from there:    {o[2][i:i + 60]!r} vs {t[2][i:i + 60]!r}")


def main():
    if len(sys.argv) != 4:
        print("usage: generator_test.py PUBRENDER GENERATOR ROOT", file=sys.stderr)
        return 2
    cli, gen, root = sys.argv[1:]
    # the program is a generator author's: the public header and the C
    # library's own headers, nothing of src/
    with open(os.path.join(root, "tests", "generator_test.c"), encoding="utf-8") as fh:
        includes = re.findall(r'^\s*#\s*include\s*(\S+)', fh.read(), re.M)
    check_includes = [i for i in includes if i not in STD_OK]
    if check_includes or "<pubrender.h>" not in includes:
        fail(f"tests/generator_test.c includes {check_includes or includes}: only <pubrender.h> "
             f"and {sorted(STD_OK - {'<pubrender.h>'})} are allowed")
    files, have_shared = visible_text.corpus(root)
    if not have_shared:
        print(f"note: {os.path.normpath(os.path.join(root, '..', 'shared', 'corpus'))} is not "
              "there: only data/pubs.bib and tests/corpus are compared")
    for f, args, data in files:
        name = os.path.relpath(f, root)
        for label, opts in option_sets(data):
            where = f"{name} ({label})"
            rc, html, err = run([cli, "--no-config"] + args + opts + [f])
            if rc > 1:   # 1: some entry had an error, the others are rendered
                fail(f"{where}: pubrender exited {rc}: {err.strip()[:300]}")
                continue
            grc, page, gerr = run([gen] + args + opts + [f])
            if grc != 0:
                fail(f"{where}: generator_test exited {grc}: {gerr.strip()[:300]}")
                continue
            try:
                ours = visible_text.read_builtin(html)
                theirs = visible_text.read(page, generator_item, generator_heading,
                                           generator_chrome)
            except ValueError as e:
                fail(f"{where}: HTML does not nest: {e}")
                continue
            compare(where, ours, theirs)
    print(f"{passed} passed, {failed} failed")
    if failed:
        return 1
    if not have_shared:
        print("SKIP: ../shared/corpus is not there (issue 14 asks for every file of it)")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
