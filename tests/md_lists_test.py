#!/usr/bin/env python3
"""md_lists_test.py PUBRENDER

Markdown lists of any length (issue 13, item 3). A list item's continuation
lines must be indented to the width of its own marker ("100. " is 5
columns), or from the 100th item on they fall out of the item: kramdown
then shows the Abstract and BibTeX toggles as literal "<summary>" text.

Bibliographies of 9, 10, 99, 100 and 1,000 entries (each with an abstract
and bibtex_show), also grouped by year with the numbering continued across
groups, restarted in each group and counted down, are rendered in every
Markdown flavour and read by the readers that flavour is for: cmark, pandoc
(commonmark, markdown, gfm) and kramdown (its own input and GFM, as Jekyll
reads it). The HTML each reader makes is parsed with html.parser: every
entry is one <li> of the right list, in order, with its title, authors and
venue; in the kramdown and GFM flavours with exactly two <details>
elements (Abstract, BibTeX) holding the entry's own abstract and BibTeX and
never a tag shown as text; no <p> in an item (the list stays tight), no
code block; each list starts at its first entry's number (kramdown: also
counting down, from its attribute list). A user's entry template that indents
by 4 spaces, not {{indent}}, gets a warning once the list reaches 100.
Prints 'N passed, N failed'; exits 77 when a reader is missing."""
import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", msg)


VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag, stop=None):
        """Descendants named tag, not looking inside elements named stop."""
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag:
                    yield c
                if c.tag != stop:
                    yield from c.find(tag, stop)


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = Node("#root", [], None)

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(html):
    t = Tree()
    t.feed(html)
    t.close()
    return t.root


def run(args, stdin=None):
    p = subprocess.run(args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def kramdown(inp):
    req = ["-rkramdown-parser-gfm"] if inp == "GFM" else []
    return ["ruby", "-rkramdown", *req, "-e",
            f"print Kramdown::Document.new(STDIN.read, input: '{inp}').to_html"]


READERS = {
    "commonmark": {"cmark": ["cmark"], "pandoc-commonmark": ["pandoc", "-f", "commonmark"],
                   "pandoc-markdown": ["pandoc", "-f", "markdown"]},
    "gfm": {"cmark": ["cmark", "--unsafe"], "pandoc-gfm": ["pandoc", "-f", "gfm"],
            "kramdown-gfm": kramdown("GFM")},
    "kramdown": {"kramdown": kramdown("kramdown"), "kramdown-gfm": kramdown("GFM")},
}


def write_bib(path, years):
    """One entry per item of years (entry i in years[i - 1]), in that order."""
    with open(path, "w", encoding="utf-8") as f:
        for i, year in enumerate(years, 1):
            f.write(f"@article{{k{i},\n  title = {{Title {i}}},\n"
                    f"  author = {{Doe, Jane and Roe, Rick}},\n  journal = {{Journal {i}}},\n"
                    f"  year = {{{year}}},\n  abstract = {{The abstract of entry {i}.}},\n"
                    f"  bibtex_show = {{true}}\n}}\n")


def expected_lists(sizes, per_group, reverse):
    """[(first number, [entry indices])] for groups of the given sizes."""
    total, out, entry = sum(sizes), [], 1
    number = total if reverse else 1
    for size in sizes:
        if per_group:
            number = size if reverse else 1
        out.append((number, list(range(entry, entry + size))))
        entry += size
        number = number - size if reverse else number + size
    return out


def check_item(li, i, flavor, label):
    text = " ".join(li.text().split())
    strong = [s.text() for s in li.find("strong", stop="details")]
    check(strong == [f"Title {i}"], f"{label}: item is entry {i}'s title alone, not {strong}")
    check(f"Jane Doe and Rick Roe" in text and f"Journal {i}, " in text,
          f"{label}: entry {i}'s authors and venue in its item: {text[:200]!r}")
    check(not list(li.find("p")), f"{label}: entry {i}: a <p> in the item (a loose list)")
    check(not list(li.find("pre", stop="details")), f"{label}: entry {i}: a code block")
    check(not list(li.find("li")), f"{label}: entry {i}: a nested list")
    shown = "".join(c for c in li.children if isinstance(c, str)) + "".join(
        d.text() for d in li.find("div")) + "".join(s.text() for s in li.find("summary"))
    check("<" not in shown and "&lt;" not in shown, f"{label}: entry {i}: a tag shown as text")
    details = list(li.find("details"))
    if flavor == "commonmark":
        check(not details, f"{label}: entry {i}: no toggle in CommonMark")
        return
    summaries = [" ".join(s.text().split()) for d in details for s in d.find("summary")]
    check(summaries == ["Abstract", "BibTeX"],
          f"{label}: entry {i}: toggles Abstract and BibTeX, not {summaries}")
    if len(details) == 2:
        div = " ".join("".join(c.text() for c in details[0].find("div")).split())
        check(div == f"The abstract of entry {i}.", f"{label}: entry {i}: its abstract: {div!r}")
        bib = "".join(c.text() for c in details[1].find("code"))
        check(bib.startswith(f"@article{{k{i},\n") and "  title = {Title " + str(i) + "}," in bib,
              f"{label}: entry {i}: its BibTeX: {bib[:80]!r}")


def check_render(exe, d, name, years, sizes, opts, per_group=False, reverse=False):
    bib = os.path.join(d, name + ".bib")
    write_bib(bib, years)
    want = expected_lists(sizes, per_group, reverse)
    for flavor, readers in READERS.items():
        rc, md, err = run([exe, "-f", "markdown", "--markdown-flavor", flavor, *opts, bib])
        check(rc == 0 and not err, f"{name}/{flavor}: exit 0 without a warning ({rc}, {err[:200]!r})")
        # the source: each marker's width is the item's indentation
        for line in md.splitlines():
            head = line.split(". ", 1)[0]
            if head.isdigit():
                marker = len(line) - len(line[len(head) + 1:].lstrip(" "))
                check(marker == max(4, len(head) + 2),
                      f"{name}/{flavor}: marker {head!r} is {marker} columns")
                indent = marker
            elif line.startswith(" "):
                check(len(line) - len(line.lstrip(" ")) == indent,
                      f"{name}/{flavor}: line indented to its marker ({indent}): {line[:40]!r}")
        for reader, cmd in readers.items():
            label = f"{name}/{flavor}/{reader}"
            rc, html, err = run(cmd, md.encode())
            check(rc == 0, f"{label}: reader exit {rc}: {err[:200]!r}")
            root = parse(html)
            lists = list(root.find("ol", stop="li"))  # the lists not inside an item
            got = [(int(ol.attrs.get("start") or 1), len(list(ol.find("li", stop="li"))))
                   for ol in lists]
            if flavor == "gfm" and reader.startswith("kramdown"):
                # kramdown numbers a list from 1 without the attribute list of
                # the kramdown flavour: the GFM flavour is for GitHub
                got = [(s, n) for (_, n), (s, _) in zip(got, want)]
            check(got == [(s, len(v)) for s, v in want],
                  f"{label}: lists (start, items) {got[:6]}, not {[(s, len(v)) for s, v in want][:6]}")
            check(not list(root.find("ul")), f"{label}: no bullet list")
            if flavor == "kramdown":  # its attribute list says reversed
                rev = ["reversed" in ol.attrs for ol in lists]
                check(rev == [reverse] * len(lists), f"{label}: reversed {rev[:4]}")
            if len(lists) != len(want):
                continue
            for ol, (start, entries) in zip(lists, want):
                items = [c for c in ol.children if isinstance(c, Node) and c.tag == "li"]
                check(len(items) == len(entries), f"{label}: {len(items)} items, not {len(entries)}")
                for li, i in zip(items, entries):
                    check_item(li, i, flavor, label)


def check_fixed_indent(exe, d):
    """A user's entry template that indents by 4 spaces, not {{indent}}: a
    warning naming it once the list reaches 100 (its lines then leave the
    item), none below."""
    tpl = os.path.join(d, "fixed")
    os.makedirs(os.path.join(tpl, "markdown"))
    entry = os.path.join(tpl, "markdown", "entry.mustache")
    with open(entry, "w", encoding="utf-8") as f:
        f.write("{{marker}}**{{{title}}}**  \n    {{{venue}}}\n")
    warning = (f"{entry}: warning: the entry template writes {{{{marker}}}} but not "
               "{{indent}}: from item 100 on the marker is 5 columns wide and lines indented "
               "by 4 spaces fall out of the list item; start them with {{indent}}\n")
    for n, opts, warned in ((99, [], False), (100, [], True), (100, ["--reverse-numbers"], True),
                            (100, ["--group-by", "year", "--numbering", "per-group"], False)):
        bib = os.path.join(d, f"fixed{n}.bib")
        write_bib(bib, [2020 + i % 2 for i in range(n)])
        rc, md, err = run([exe, "-f", "markdown", "--template", tpl, *opts, bib])
        check(rc == 0 and err == (warning if warned else ""),
              f"fixed indent, {n} entries {opts}: exit {rc}, warning {err!r}")
        check(md.count("\n    ") == n, f"fixed indent, {n} entries {opts}: the template's lines")


def main():
    exe = sys.argv[1]
    for tool in ("cmark", "pandoc", "ruby"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not installed")
            return 77
    for lib in ("kramdown", "kramdown-parser-gfm"):
        if run(["ruby", f"-r{lib}", "-e", "1"])[0] != 0:
            print(f"SKIP: ruby {lib} not installed")
            return 77
    d = tempfile.mkdtemp()
    try:
        for n in (9, 10, 99, 100, 1000):
            check_render(exe, d, f"flat{n}", [2020] * n, [n], [])
        # 1,000 entries in years of 99, 1, 5 and 895: groups start at 1, 100, 101, 106
        sizes = [99, 1, 5, 895]
        years = [y for y, s in zip((2023, 2022, 2021, 2020), sizes) for _ in range(s)]
        grouped = ["--group-by", "year"]
        check_render(exe, d, "grouped", years, sizes, grouped)
        check_render(exe, d, "per-group", years, sizes, grouped + ["--numbering", "per-group"],
                     per_group=True)
        check_render(exe, d, "reversed", years, sizes, grouped + ["--reverse-numbers"],
                     reverse=True)
        check_render(exe, d, "reversed100", [2020] * 100, [100], ["--reverse-numbers"],
                     reverse=True)
        check_fixed_indent(exe, d)
    finally:
        shutil.rmtree(d)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
