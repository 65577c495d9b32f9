"""visible_text.py: the visible text of a publication list in HTML, entry by
entry (used by view_json_test.py and generator_test.py).

An HTML document is read with html.parser: its text nodes in document order
(character references decoded), and for each element that an `item`
function names (it returns the entry's id from the tag and attributes), the
text inside it, whitespace collapsed (runs of HTML's ASCII whitespace become
one space, none at the ends: what a browser shows of the text, no more). A
`heading` function names the elements that are group headings. A `chrome`
function names elements whose text is not counted (the labels a template
writes around values, not values). The result is a list of records in
document order: ("heading", TEXT) and ("item", ID, TEXT)."""
import glob
import os
import re
from html.parser import HTMLParser

# elements that have no end tag (HTML's void elements)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
_WS = re.compile(r"[ \t\n\r\f]+")


def collapse(s):
    """s with runs of HTML whitespace as one space, stripped."""
    return _WS.sub(" ", s).strip(" ")


def classes(attrs):
    return set((dict(attrs).get("class") or "").split())


class _Reader(HTMLParser):
    def __init__(self, item, heading, chrome):
        super().__init__(convert_charrefs=True)
        self.item, self.heading, self.chrome = item, heading, chrome
        self.stack = []          # (tag, role): role "item", "heading", "chrome" or None
        self.records = []
        self.parts = None        # the text of the open item or heading
        self.errors = []

    def _role(self, tag, attrs):
        if self.chrome(tag, attrs):
            return "chrome"
        iid = self.item(tag, attrs)
        if iid is not None:
            return ("item", iid)
        if self.heading(tag, attrs):
            return "heading"
        return None

    def handle_starttag(self, tag, attrs):
        role = self._role(tag, attrs)
        if tag in VOID:
            return
        if isinstance(role, tuple) or role == "heading":
            if self.parts is not None:
                self.errors.append(f"<{tag}> entry or heading inside another at {self.getpos()}")
                role = None
            else:
                self.parts = []
        self.stack.append((tag, role))

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> does not close the open element at {self.getpos()}: "
                               f"{[t for t, _ in self.stack]}")
            return
        _, role = self.stack.pop()
        if isinstance(role, tuple):
            self.records.append(("item", role[1], collapse("".join(self.parts))))
            self.parts = None
        elif role == "heading":
            self.records.append(("heading", collapse("".join(self.parts))))
            self.parts = None

    def handle_data(self, data):
        if self.parts is None:
            return
        if any(role == "chrome" for _, role in self.stack):
            return
        self.parts.append(data)


def read(html, item, heading, chrome=lambda tag, attrs: False):
    """The records of html (see the module's text); raises ValueError when
    the elements do not nest."""
    r = _Reader(item, heading, chrome)
    r.feed(html)
    r.close()
    if r.stack:
        r.errors.append(f"elements left open: {[t for t, _ in r.stack]}")
    if r.errors:
        raise ValueError("; ".join(r.errors[:5]))
    return r.records


# ---- the built-in HTML fragment (templates/html/*.mustache) ----

def builtin_item(tag, attrs):
    """<li class="pubrender-entry" id=ID>: the entry's id."""
    if tag == "li" and "pubrender-entry" in classes(attrs):
        return dict(attrs).get("id") or ""
    return None


def builtin_heading(tag, attrs):
    return tag in ("h1", "h2", "h3", "h4", "h5", "h6") and "pubrender-group" in classes(attrs)


class BuiltinChrome:
    """The built-in entry template's UI chrome: the <summary> of the
    abstract's and the BibTeX's <details> ("Abstract", "BibTeX"). They are
    the template's own words for a toggle, not values of the display model
    (which has no member for them: a generator labels its toggles as it
    likes). Every other text node is a value of the model and is compared:
    the award's <summary> is award_name, the authors' <summary>s are
    more_label and cut_label."""

    def __init__(self):
        self.details = []

    def __call__(self, tag, attrs):
        # the <summary> whose parent <details> is one of those two; the
        # parser gives no parent, so remember the last <details> opened
        if tag == "details":
            self.details.append(classes(attrs))
            return False
        if tag == "summary" and self.details:
            return bool(self.details[-1] & {"pubrender-abstract", "pubrender-bibtex"})
        return False


def read_builtin(html):
    return read(html, builtin_item, builtin_heading, BuiltinChrome())


class _Titles(HTMLParser):
    """The built-in fragment's entries and the text of each one's
    <div class="pubrender-title">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.entries = []        # [id, title or None]
        self.depth = 0           # open elements inside the title's <div>, 0 outside it
        self.parts = None

    def handle_starttag(self, tag, attrs):
        if builtin_item(tag, attrs) is not None:
            self.entries.append([builtin_item(tag, attrs), None])
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
        elif tag == "div" and "pubrender-title" in classes(attrs) and self.entries:
            self.depth, self.parts = 1, []

    def handle_endtag(self, tag):
        if tag in VOID or not self.depth:
            return
        self.depth -= 1
        if not self.depth:
            self.entries[-1][1] = collapse("".join(self.parts))
            self.parts = None

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def builtin_titles(html):
    """[(id, visible title or None)] of the built-in HTML fragment, in order."""
    r = _Titles()
    r.feed(html)
    r.close()
    return [tuple(e) for e in r.entries]


class _AllText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html):
    """The text nodes of an HTML snippet, put together (not collapsed)."""
    r = _AllText()
    r.feed(html)
    r.close()
    return "".join(r.parts)


def corpus(root):
    """(path, its args, the venues and co-authors files for it), in order."""
    shared = os.path.join(root, "..", "shared", "corpus")
    files = [os.path.join(root, "data", "pubs.bib")] + sorted(
        glob.glob(os.path.join(root, "tests", "corpus", "*.bib")))
    have_shared = os.path.isdir(shared)
    if have_shared:
        files += sorted(glob.glob(os.path.join(shared, "*.bib")))
    out = []
    for f in files:
        name = os.path.splitext(os.path.basename(f))[0]
        args = []
        for a in (os.path.splitext(f)[0] + ".args",
                  os.path.join(root, "tests", "golden", "corpus", name + ".args")):
            if os.path.exists(a):
                with open(a, encoding="utf-8") as fh:
                    args = [line for line in fh.read().split("\n") if line]
                break
        here = os.path.dirname(os.path.abspath(f))
        if os.path.exists(os.path.join(here, "alfolio-venues.yml")):
            data = [os.path.join(here, "alfolio-venues.yml"),
                    os.path.join(here, "alfolio-coauthors.yml")]
        else:
            data = [os.path.join(root, "tests", "corpus", "alfolio-site-venues.yml"),
                    os.path.join(root, "tests", "corpus", "alfolio-site-coauthors.yml")]
        out.append((f, args, data))
    return out, have_shared
