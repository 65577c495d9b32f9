#!/usr/bin/env python3
"""html_attributes.py PUBRENDER

Issue 12, item 7: attributes never receive markup. Renders entries whose
Markdown fields (award, annotation, additional_info) hold links
with a title (and images, which are not shown) written with math (every
delimiter), emphasis and every markup-producing LaTeX construct, and whose
title, abbr and venue fields hold the same constructs; parses the HTML
(the fragment, the standalone page, and the raw HTML blocks of the
kramdown and GFM Markdown) with html.parser and checks that every
attribute value holds no markup (no '<' starting a tag), no private-use placeholder character, and
that each title and alt is exactly the expected plain text (math as its
TeX source, \\(..\\)). The abstract, which is text (issue 13 item 6),
holds the same source: in its raw HTML block no link and no markup in an
attribute. Prints 'N passed, N failed'."""
import html.parser
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import html_safety  # noqa: E402  (its check() and counters)

check = html_safety.check


# (LaTeX/Markdown source in a title or alt, the text expected there)
MATH = [("$x^2$", r"\(x^2\)"), (r"\(y_1\)", r"\(y_1\)"), ("$$a < b$$", r"\(a < b\)"),
        (r"\[c>d\]", r"\(c>d\)"), ('$e"f$', r'\(e"f\)'), ("$g&h$", r"\(g&h\)"),
        ("$i'j$", r"\(i'j\)")]
MARKUP = [(r"\emph{E}", "E"), (r"\textit{I}", "I"), (r"\textbf{B}", "B"),
          (r"x\textsuperscript{2}", "x2"), (r"y\textsubscript{3}", "y3"),
          (r"\textsc{Sc}", "Sc"), (r"\texttt{Tt}", "Tt"), (r"{\em Em}", "Em"),
          (r"{\bf Bf}", "Bf")]
FIELDS = ["award", "annotation", "additional_info"]


def cases():
    """(source in a Markdown field, [(tag, attribute, expected value)])"""
    out = []
    for i, (m, mt) in enumerate(MATH):
        for j, (k, kt) in enumerate(MARKUP):
            src = (f'[l{i}](http://ok.org/{i} "T{i} {m} {k}") '
                   f'![A{i} {m} *em* {k}](p{i}-{j}.png "I{i} {m}")')
            # the image is never shown (a Markdown field shows no images):
            # its description stays as text, so no alt or title is written
            out.append((src, [("a", "title", f"T{i} {mt} {kt}")]))
    # math in a link destination comes back as written, percent-encoded
    out.append(("[d](http://ok.org/$q$/x)", [("a", "href", "http://ok.org/$q$/x")]))
    out.append(('[d](rel/$a"b$)', [("a", "href", "rel/$a%22b$")]))
    return out


def bib():
    entries = []
    n = 0
    for src, _ in cases():
        for f in FIELDS + ["abstract"]:
            n += 1
            text = ", " + src if f == "additional_info" else src
            title = " ".join(m for m, _ in MATH) + " " + " ".join(k for k, _ in MARKUP)
            entries.append(f"@inproceedings{{k{n}, title = {{{title} \\url{{http://u.org}}}},\n"
                           f"  abbr = {{$A^b$ \\emph{{V}}}}, booktitle = {{{title}}},\n"
                           f"  author = {{Oh, B.}}, year = 2020, {f} = {{{src}}}}}\n")
    return "".join(entries), n


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = []   # (tag, name, value)

    def handle_starttag(self, tag, attrs):
        self.attrs += [(tag, k, v or "") for k, v in attrs]

    handle_startendtag = handle_starttag


def pua(s):
    return any(0xE000 <= ord(c) <= 0xF8FF for c in s)


def check_html(text, label, nfields):
    c = Collector()
    c.feed(text)
    c.close()
    check(not pua(text), f"{label}: a private-use placeholder is left in the output")
    for tag, name, value in c.attrs:
        check(not re.search(r"<[A-Za-z/!?]", value),
              f"{label}: markup in <{tag} {name}={value!r}>")
        check(not pua(value), f"{label}: placeholder in <{tag} {name}={value!r}>")
    seen = set(c.attrs)
    for _, want in cases() if nfields else ():
        for tag, name, value in want:
            check((tag, name, value) in seen, f"{label}: no <{tag} {name}={value!r}>")
    # no image from a Markdown field survives; every link is whole
    imgs = [v for t, n, v in c.attrs if t == "img" and n == "src" and v.startswith("p")]
    check(not imgs, f"{label}: {len(imgs)} images from Markdown fields")
    links = [v for t, n, v in c.attrs if t == "a" and n == "href" and v.startswith("http://ok.org/")]
    check(len(links) == len(MATH) * len(MARKUP) * nfields + nfields,
          f"{label}: {len(links)} links, expected {len(MATH) * len(MARKUP) * nfields + nfields}")


def main():
    exe = sys.argv[1]
    text, n = bib()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "attrs.bib")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        run = lambda *a: subprocess.run([exe, *a, path], capture_output=True, text=True,
                                        encoding="utf-8").stdout
        check_html(run(), "fragment", len(FIELDS))
        check_html(run("--standalone"), "standalone", len(FIELDS))
        for flavour in ("kramdown", "gfm"):
            md = run("-f", "markdown", "--markdown-flavor", flavour)
            check(not pua(md), f"{flavour}: a private-use placeholder is left in the output")
            blocks = "\n".join(l for l in md.splitlines() if l.lstrip().startswith("<details"))
            check_html(blocks, f"markdown {flavour} (abstract_html)", 0)
    print(f"{html_safety.passed} passed, {html_safety.failed} failed")
    return 1 if html_safety.failed else 0


if __name__ == "__main__":
    sys.exit(main())
