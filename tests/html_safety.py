#!/usr/bin/env python3
"""html_safety.py PUBRENDER HOSTILE.BIB

Renders a corpus of hostile entries and checks the output with an HTML
parser: no element or attribute that pubrender's templates do not write,
no link with a scheme other than http, https or mailto, every payload shown
as text, no bidi override left. Prints 'N passed, N failed'."""
import html.parser
import subprocess
import sys

ALLOWED = {  # element -> attributes pubrender writes
    "div": {"class"}, "ol": {"class"}, "li": {"class", "id"}, "span": {"class"},
    "strong": {"class"}, "sup": {"class"}, "em": set(), "sub": set(), "code": set(),
    "a": {"class", "href"},
}
PAGE = {"html": {"lang"}, "head": set(), "meta": {"charset", "name", "content"},
        "title": set(), "style": set(), "body": set(), "main": set(), "h1": set()}
BIDI = [chr(c) for c in list(range(0x202A, 0x202F)) + list(range(0x2066, 0x206A))]
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(3)>",
            "</div></li></ol><script>alert(10)</script>", "\"><svg onload=alert(9)>",
            # character references are text (README, "Inline HTML"): shown decoded, never a tag
            "<b> & <script>",
            # <i> is of the inline subset: emphasis, its text kept
            "J\"ournal' x"]
# what the page shows for each: TeX's apostrophe is typographic (README, "Quotes and apostrophes")
SHOWN = [p.replace("'", "\u2019") for p in PAYLOADS]

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def scheme_ok(href):
    h = "".join(c for c in href.strip() if c not in "\t\n\r").lower()
    head = h.split(":", 1)[0] if ":" in h else ""
    if not head or any(c in head for c in "/?#"):
        return True
    return head in ("http", "https", "mailto")


def run(args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.stdout, p.stderr


def check_page(out, allowed, label):
    c = Collector()
    c.feed(out)
    c.close()
    for tag, attrs in c.tags:
        check(tag in allowed, f"{label}: element <{tag}> is not one pubrender writes")
        for name, value in attrs:
            check(name in allowed.get(tag, set()), f"{label}: attribute {name} on <{tag}>")
            if name == "href":
                check(scheme_ok(value or ""), f"{label}: unsafe href {value!r}")
    text = "".join(c.text)
    for p in SHOWN:
        check(p in text, f"{label}: payload shown as text: {p!r}")
    check(not any(b in out for b in BIDI), f"{label}: bidi control left in output")
    return c


def main():
    exe, bib = sys.argv[1], sys.argv[2]
    out, err = run([exe, bib])
    c = check_page(out, ALLOWED, "fragment")
    hrefs = [v for t, a in c.tags for n, v in a if n == "href"]
    check("mailto:someone@example.org?subject=%22hi%22" in hrefs, "mailto link kept")
    check("https://ok.example/?q=%22%3E%3Cscript%3Ealert(12)%3C/script%3E&x='y'" in hrefs,
          "https link kept, exactly")
    check(any(h.startswith("https://doi.org/10.1/") for h in hrefs), "doi link kept")
    for n in (2, 4, 5, 6, 7):
        check(f"alert({n})" not in "".join(hrefs), f"javascript/vbscript link {n} dropped")
    check(err.count("link '") == 6, "each dropped link is reported on stderr")
    out, _ = run([exe, "--standalone", bib])
    check_page(out, {**ALLOWED, **PAGE}, "standalone")
    out, _ = run([exe, "-f", "markdown", bib])
    check("javascript" not in out.lower() and "vbscript" not in out.lower(),
          "markdown: no javascript/vbscript link")
    check("<script>" not in out, "markdown: raw <script> escaped")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
