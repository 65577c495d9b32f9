#!/usr/bin/env python3
"""abstract_text_test.py PUBRENDER

The abstract is text, as al-folio prints it, not Markdown (issue 13,
item 6): "2*3*4" is no emphasis, "_x_" stays, "[a](b)" is no link, a line
starting with "- ", "1. ", "# " or "> " starts no block, and a link or
image written in Markdown is shown as written, without a warning. award and
additional_info stay Markdown (al-folio markdownifies them).

Checked in every output: the HTML (parsed with html.parser: the abstract's
<div> holds exactly the text and no element), the kramdown and GFM
flavours (their <details> read by kramdown, kramdown's GFM input, cmark,
pandoc's gfm and markdown readers), the CommonMark flavour's `abstract`
(a template that writes it, read by cmark and pandoc's commonmark and
markdown readers), JSON (the field's raw and text) and CSL-JSON.
Prints 'N passed, N failed'; exits 77 when a reader is missing."""
import json
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


# Markdown syntax, as text; the field's lines as written in the .bib
ABSTRACT_LINES = ["We show 2*3*4 and _x_ and __y__ and **bold** and [a](b) and [j](javascript:alert(1))",
                  "and ![i](https://img.example/t.png) and <https://auto.example/> and a|b|c",
                  "- not a list", "1. not a list either", "# not a heading", "> not a quote",
                  "and a hard  ", "break, & an ampersand and * a star."]
SHOWN = " ".join(" ".join(ABSTRACT_LINES).split())
BIB = """@article{{a1,
  title = {{Paper}},
  author = {{Doe, Jane}},
  journal = {{Journal}},
  year = 2020,
  abstract = {{{abstract}}},
  award = {{Best *paper*}},
  additional_info = {{, *in press*}},
  bibtex_show = {{true}}
}}
""".format(abstract="\n  ".join(ABSTRACT_LINES))

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag):
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag:
                    yield c
                yield from c.find(tag)

    def elements(self):
        return [c for c in self.children if isinstance(c, Node)]


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


def squash(s):
    return " ".join(s.split())


def run(args, stdin=None):
    p = subprocess.run(args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def kramdown(inp):
    req = ["-rkramdown-parser-gfm"] if inp == "GFM" else []
    return ["ruby", "-rkramdown", *req, "-e",
            f"print Kramdown::Document.new(STDIN.read, input: '{inp}').to_html"]


READERS = {
    "kramdown": {"kramdown": kramdown("kramdown"), "kramdown-gfm": kramdown("GFM"),
                 "pandoc-markdown": ["pandoc", "-f", "markdown"]},
    "gfm": {"cmark": ["cmark", "--unsafe"], "pandoc-gfm": ["pandoc", "-f", "gfm"],
            "pandoc-markdown": ["pandoc", "-f", "markdown"], "kramdown-gfm": kramdown("GFM")},
    "commonmark": {"cmark": ["cmark"], "pandoc-commonmark": ["pandoc", "-f", "commonmark"],
                   "pandoc-markdown": ["pandoc", "-f", "markdown"]},
}


def no_unsafe_link(root, label):
    hrefs = [a.attrs.get("href", "") for a in root.find("a")]
    check(not any("javascript" in h.lower() or h == "b" for h in hrefs),
          f"{label}: no link from the abstract ({hrefs})")
    check(not list(root.find("img")), f"{label}: no image")


def check_abstract_div(root, label):
    """The one Abstract toggle's <div>: exactly the text, no element."""
    divs = [d for det in root.find("details")
            if squash("".join(s.text() for s in det.find("summary"))) == "Abstract"
            for d in det.find("div")]
    check(len(divs) == 1, f"{label}: one abstract <div>, not {len(divs)}")
    for d in divs[:1]:
        check(squash(d.text()) == SHOWN, f"{label}: abstract {squash(d.text())!r}")
        check(not d.elements(), f"{label}: elements in the abstract: "
              f"{[e.tag for e in d.elements()]}")
    no_unsafe_link(root, label)


def check_markdown_fields(root, label):
    """award and additional_info stay Markdown: their * is emphasis."""
    ems = [squash(e.text()) for e in root.find("em")]
    check("paper" in ems and "in press" in ems, f"{label}: award and additional_info "
          f"emphasised ({ems})")


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
        bib = os.path.join(d, "a.bib")
        with open(bib, "w", encoding="utf-8") as f:
            f.write(BIB)
        # a template that writes the CommonMark flavour's abstract
        os.makedirs(os.path.join(d, "tpl", "markdown"))
        with open(os.path.join(d, "tpl", "markdown", "entry.mustache"), "w") as f:
            f.write("{{marker}}{{{abstract}}}\n")

        rc, html, err = run([exe, bib])
        check(rc == 0 and err == "", f"html: exit 0 without a warning ({rc}, {err!r})")
        root = parse(html)
        check_abstract_div(root, "html")
        check_markdown_fields(root, "html")

        for flavor, readers in READERS.items():
            args = [exe, "-f", "markdown", "--markdown-flavor", flavor, bib]
            if flavor == "commonmark":
                args[1:1] = ["--template", os.path.join(d, "tpl")]
            rc, md, err = run(args)
            check(rc == 0 and err == "", f"{flavor}: exit 0 without a warning ({rc}, {err!r})")
            check("{" not in md, f"{flavor}: no '{{' in the Markdown")
            for reader, cmd in readers.items():
                label = f"{flavor}/{reader}"
                rc, out, err = run(cmd, md.encode())
                check(rc == 0, f"{label}: reader exit {rc}: {err[:200]!r}")
                root = parse(out)
                if flavor == "commonmark":
                    items = list(root.find("li"))
                    check(len(items) == 1, f"{label}: one item, not {len(items)}")
                    for li in items[:1]:
                        check(squash(li.text()) == SHOWN, f"{label}: abstract {squash(li.text())!r}")
                        check(not li.elements(), f"{label}: elements in the abstract: "
                              f"{[e.tag for e in li.elements()]}")
                    no_unsafe_link(root, label)
                else:
                    check_abstract_div(root, label)
                    check_markdown_fields(root, label)

        rc, out, err = run([exe, "-f", "json", bib])
        check(rc == 0 and err == "", f"json: exit 0 without a warning ({rc}, {err!r})")
        field = json.loads(out)[0]["fields"]["abstract"]
        check(field["raw"] == SHOWN and field["text"] == SHOWN, f"json: abstract {field}")
        rc, out, err = run([exe, "-f", "csl-json", bib])
        check(rc == 0 and err == "", f"csl-json: exit 0 without a warning ({rc}, {err!r})")
        abstract = json.loads(out)[0].get("abstract")
        check(abstract == SHOWN, f"csl-json: abstract {abstract!r}")
    finally:
        shutil.rmtree(d)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
