#!/usr/bin/env python3
"""inline_html_test.py PUBRENDER BIB

Issue 13 items 5, 11, 12 through the CLI on tests/inline/inline.bib: the
inline HTML subset in HTML (parsed), CSL-JSON rich text, JSON plain text
and the Markdown flavours (read back by cmark); the hostile cases of the
subset; links as users write them; language commands. Prints
'N passed, N failed'."""
import html.parser
import json
import subprocess
import sys

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.hrefs += [v for k, v in attrs if k == "href"]

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def main():
    exe, bib = sys.argv[1], sys.argv[2]
    rc, out, err = run(exe, bib)
    check(rc == 0, f"exit 0 with warnings only (got {rc})")
    check("<div class=\"pubrender-title\">Pitcher growth of (<em>Cephalotus follicularis</em>) "
          "and [ReH<sub>9</sub>]<sup>2-</sup></div>" in out, "title: <i> <sub> <sup> kept")
    check("<em>Nat.<br>Mach.<br>Intell.</em>, 2020" in out, "journal: <br> kept, no spaces around")
    check("Best paper, <a href=\"https://award.example/2020\">the award page</a>" in out,
          "award: the <a href> a link")
    check("Аппарат and λόγος" in out, "language commands: the text, no language name")
    page = Page()
    page.feed(out)
    text = "".join(page.text)
    check(not any(t in ("script", "img") for t, _ in page.tags), "no script or img element")
    check(not any(k.startswith("on") for _, a in page.tags for k in a), "no on* attribute")
    check(not any("script" in h.lower().replace("\t", "") for h in page.hrefs),
          "no javascript: href")
    for t in ("j1", "j2", "i3", "<script>alert(4)</script>", "<script>alert(5)</script>", "j6",
              "<img src=x onerror=alert(7)>"):
        check(t in text, f"hostile text shown: {t!r}")
    for w in ("entry 'hostile2019', field 'title': HTML tag <script> shown as text",
              "entry 'hostile2019', field 'title': HTML tag <i>: attribute 'onclick' dropped",
              "entry 'hostile2019', field 'title': HTML tag <img> shown as text",
              "entry 'hostile2019', field 'title': link 'javascript:alert(1)' dropped",
              "entry 'hostile2019', field 'title': link 'javascript:alert(2)' dropped",
              "entry 'hostile2019', field 'title': link 'javascript:alert(6)' dropped"):
        check(w in err, f"warning: {w}")
    # links as users write them
    for h in ("https://www.springer.com/series/11237", "https://a.example/x",
              "https://b.example/y", "https://site.example/p?a=1&b=2", "paper.pdf"):
        check(h in page.hrefs, f"link {h}")
    check("entry 'links2018': url 'www.springer.com/series/11237' has no scheme: linked as "
          "'https://www.springer.com/series/11237' (a guess" in err, "warning: the guess")
    check("entry 'links2018': html 'https://a.example/x https://b.example/y' holds 2 URLs: "
          "shown as 2 links" in err, "warning: two URLs")
    check("pdf" not in "".join(l for l in err.splitlines() if "links2018" in l),
          "a relative pdf is not a guess")
    # CSL-JSON rich text, JSON plain text
    _, out, _ = run(exe, "-f", "csl-json", bib)
    items = {i["id"]: i for i in json.loads(out)}
    check(items["plant2020"]["title"] == "Pitcher growth of (<i>Cephalotus follicularis</i>) "
          "and [ReH<sub>9</sub>]<sup>2-</sup>", "csl: title rich text")
    check(items["plant2020"]["container-title"] == "Nat. Mach. Intell.",
          "csl: a line break is a space")
    _, out, _ = run(exe, "-f", "json", bib)
    rec = {r["key"]: r for r in json.loads(out)}
    f = rec["plant2020"]["fields"]
    check(f["title"]["text"] == "Pitcher growth of (Cephalotus follicularis) and [ReH\u2089]\u00b2\u207b",
          "json: text is plain")
    check(f["title"]["raw"].startswith("Pitcher growth of (<i>"), "json: raw as written")
    # Markdown flavours
    _, cm, _ = run(exe, "-f", "markdown", bib)
    check("(*Cephalotus follicularis*) and \\[ReH9\\]2-" in cm, "commonmark: *x*, sub/sup as text")
    check("<sub>" not in cm and "<br>" not in cm, "commonmark: no raw HTML")
    _, kd, _ = run(exe, "-f", "markdown", "--markdown-flavor", "kramdown", bib)
    check("(*Cephalotus follicularis*) and \\[ReH<sub>9</sub>\\]<sup>2-</sup>" in kd,
          "kramdown: sub/sup as raw HTML")
    check("*Nat.<br>Mach.<br>Intell.*" in kd, "kramdown: <br>")
    check("<script>" not in kd and "<script>" not in cm, "markdown: no raw <script>")
    html_of = subprocess.run(["cmark", "--unsafe"], input=kd, capture_output=True,
                             text=True).stdout
    check("<em>Cephalotus follicularis</em>" in html_of and "<sub>9</sub>" in html_of,
          "cmark reads the kramdown flavour's marks")
    kr = subprocess.run(["ruby", "-rkramdown", "-e", "puts Kramdown::Document.new($stdin.read)"
                         ".to_html"], input=kd, capture_output=True, text=True).stdout
    check("<em>Cephalotus follicularis</em>" in kr and "<sub>9</sub>" in kr and
          "<em>Nat.<br />Mach.<br />Intell.</em>" in kr, "kramdown reads its flavour's marks")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
