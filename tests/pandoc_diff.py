#!/usr/bin/env python3
"""pandoc_diff.py [--reader pandoc|pybtex] [--group F1,F2,...]... [--report-only]
                 PUBRENDER ARGS_DIR ACCEPTED_FILE CORPUS_DIR...

Differential test of `pubrender --format csl-json` against an independent
BibTeX reader: pandoc's (`pandoc -f bibtex -t csljson`, the default) or
pybtex + latexcodec (--reader pybtex, see pybtex_records; run this script
with a Python that has them, Debian's /usr/bin/python3). For every .bib
under a CORPUS_DIR (recursively; FILE is its path relative to CORPUS_DIR) (with the
extra CLI options of CORPUS_DIR/NAME.args or else ARGS_DIR/NAME.args, one per
line, as the golden tests use them) both outputs are read, entries are matched by id, and these are
compared after normalisation (see norm_text): the id sets, type, title,
the names of every name variable pubrender writes (NAME_VARS), the issued
year, container-title.

Each difference is a key "FILE<TAB>ID<TAB>FIELD". ACCEPTED_FILE lists the
differences that are allowed, one per line, "FILE<TAB>ID<TAB>FIELD<TAB>REASON"
(the reason, why pubrender is right, is mandatory; lines starting with # are
comments). A difference not listed fails; a listed one that no longer occurs
fails too (stale), so the list stays short and true. A line
"*<TAB>REGEX<TAB>FIELDS<TAB>REASON" accepts a class: a difference in one of
the comma-separated FIELDS of any entry whose text in the input (its
@-item, as written) matches the Python REGEX; a class that matches no
difference is stale too. Classes are for a reader's documented gap that
reaches many entries (latexcodec does not know mhchem's \ch); single
entries are listed one by one.

The output lists every difference, the agreement per file and in total
("agreement: N/M entries agree", M counting every id either side has), and
then the agreement on the core fields alone (title, family names of
author and editor, year: "core agreement: N/M (P%)"), and last "N passed,
N failed" (one check per corpus file, plus one for the accepted list). With
--reader pybtex only the core fields are compared (pybtex has no CSL types
or containers). --group F1,F2,... (paths relative to a CORPUS_DIR) reads
those files as one stream, as BibTeX reads \bibliography{F1,F2} (cryptobib:
abbrev0.bib's @strings are used by the others): pubrender gets them all on
one command line, pandoc and pybtex their concatenation; the group's FILE is
"F1+F2+...". --report-only prints the differences and figures and passes
(for a corpus whose differences are not all listed yet). Exit 1 on any
failure, 2 on usage errors, 77 (ctest's skip) when pandoc is not installed
(scripts/install-deps.sh --test installs it) or pybtex/latexcodec cannot be
imported.
A CORPUS_DIR that is not there (../shared is not beside every clone) is
reported and left out; its files' accepted differences are then not checked.
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unicodedata

# the name variables: every one pubrender maps a BibTeX/biblatex name field to
NAME_VARS = ("author", "editor", "translator", "container-author", "compiler", "director",
             "organizer", "contributor")
FIELDS = ("type", "title") + NAME_VARS + ("issued", "container-title")

# ---- normalisation ---------------------------------------------------------

# pandoc writes CSL-JSON rich text with the HTML-like markup of the CSL-JSON
# spec (<i>, <b>, <sup>, <sub>, <span class="nocase">, small caps spans);
# pubrender writes it too in titles (README, "CSL-JSON output"), and the
# markup is compared as text on both sides. Only these tags are removed
# (pandoc does not escape a literal "<", so a general tag pattern would eat
# real text).
PANDOC_MARKUP = re.compile(r"</?(?:i|b|sup|sub)>|<span(?: [^<>]*)?>|</span>")
# pubrender keeps $...$ math for MathJax as \(...\) (README); pandoc writes
# the TeX source bare. The delimiters are dropped from our side.
OUR_MATH = re.compile(r"\\\(|\\\)")
# Typographic quotes: pandoc makes ' and " typographic where pubrender keeps
# them as written (README, "CSL-JSON output": O'Meara vs O’Meara); both sides
# are folded to ASCII so the words are compared, not the quote style.
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def norm_text(s, pandoc):
    """NFC, markup removed, quotes folded, whitespace collapsed."""
    if s is None:
        return None
    if not isinstance(s, str):
        s = str(s)
    s = PANDOC_MARKUP.sub("", s)
    if not pandoc:
        s = OUR_MATH.sub("", s)
    s = unicodedata.normalize("NFC", s).translate(QUOTES)
    s = " ".join(s.split())
    return s or None


# where pandoc raises the next letter: after ":" or a sentence's end and a space
SENTENCE_END = re.compile(r"[:.?!]\s+$")


def title_equal(ours, theirs):
    """Titles are equal when pandoc's text is ours in sentence case.

    pandoc's BibTeX reader converts English titles to sentence case (CSL
    expects that; styles re-case): it lowers letters, and raises the first
    letter of the title, of the part after a colon ("Relativity: The
    special...") and of a word after a sentence's end (". ", "? ", "! ":
    "ligands. Applications", "vs. Intralayer", "1. The"). pubrender keeps
    the title as written (README: "pubrender keeps the title as written").
    So a character may differ only where pandoc has the lower-case form of
    ours, or, at the start of the title or after ": ", ". ", "? " or "! "
    (SENTENCE_END), the upper-case form; any other difference (a word
    changed, a letter raised mid-sentence) counts."""
    if ours == theirs:
        return True
    if ours is None or theirs is None or len(ours) != len(theirs):
        return False
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a == b or a.lower() == b:
            continue
        sentence_start = i == 0 or SENTENCE_END.search(ours[:i]) is not None
        if not (sentence_start and a.upper() == b):
            return False
    return True


def name_string(n, pandoc):
    """One CSL name as a BibTeX-order string "von Last, Jr, First" (a literal
    as "{literal}"). pandoc puts von in dropping-particle (biblatex's
    useprefix=false), pubrender in non-dropping-particle (BibTeX's reading,
    README): the kind of particle is not compared, its text and place are."""
    t = lambda k: norm_text(n.get(k), pandoc) or ""
    if "literal" in n:
        return "{" + t("literal") + "}"
    particle = " ".join(p for p in (t("dropping-particle"), t("non-dropping-particle")) if p)
    last = " ".join(p for p in (particle, t("family")) if p)
    parts = [last]
    if t("suffix"):
        parts.append(t("suffix"))
    if t("given") or t("suffix"):
        parts.append(t("given"))
    # pandoc puts a space after every period and apostrophe inside a name
    # ("F.L" -> "F. L", "d'Avezac" -> "d' Avezac"); BibTeX keeps the name as
    # written. Spacing after them is not compared.
    return INNER_SPACE.sub("", ", ".join(parts).rstrip())  # "Ruby, Sam,": a suffix, no given


INNER_SPACE = re.compile(r"(?<=[.'’]) +(?=[^\s,])")


def names(rec, role, pandoc):
    lst = rec.get(role)
    if not lst:
        return None
    out = [name_string(n, pandoc) for n in lst]
    # `and others`: pubrender leaves it out (a CSL style adds "et al."
    # itself), pandoc writes it as the name {"literal": "others"}, which a
    # style prints as a name ("Smith, others"). Every such entry would be one
    # line with the same reason, so pandoc's trailing "others" is dropped here
    # instead; it is a pandoc bug, not ours (README, "CSL-JSON output").
    if pandoc and out and out[-1] == "{others}":
        out.pop()
    return out or None


def year(rec, pandoc):
    d = rec.get("issued")
    if not d:
        return None
    parts = d.get("date-parts") or []
    if parts and parts[0]:
        return str(parts[0][0])
    return norm_text(d.get("literal"), pandoc)


def fields(rec, pandoc):
    return {
        # pandoc 2.17 writes the type "" (not a CSL type) for @misc and any
        # type it does not know, where pubrender writes CSL's "document"
        # (README, "CSL-JSON output"); "" is read as "document" so this one
        # documented cause is not a line for every @misc in the corpus.
        "type": (rec.get("type") or "document") if pandoc else rec.get("type"),
        "title": norm_text(rec.get("title"), pandoc),
        **{var: names(rec, var, pandoc) for var in NAME_VARS},
        "issued": year(rec, pandoc),
        "container-title": norm_text(rec.get("container-title"), pandoc),
    }


def same(field, ours, theirs):
    if field in ("title", "container-title"):
        return title_equal(ours, theirs)
    return ours == theirs


# ---- the core fields: title, family names, year ------------------------------
# The agreement figure common to both readers (issue 16): an entry agrees
# when its title, the family names (with the von part) of its authors and
# editors, and its year are the same. pybtex is compared on these only.
CORE_FIELDS = ("title", "author", "editor", "issued")


def family_string(n, pandoc):
    """One CSL name's family part with its particle ("von Last"); a literal
    name is its text."""
    t = lambda k: norm_text(n.get(k), pandoc) or ""
    if "literal" in n:
        return t("literal")
    return " ".join(p for p in (t("dropping-particle"), t("non-dropping-particle"),
                                t("family")) if p)


def families(rec, role, pandoc):
    lst = rec.get(role)
    if not lst:
        return None
    out = [family_string(n, pandoc) for n in lst]
    if pandoc and out and out[-1] == "others":  # `and others`, as in names()
        out.pop()
    return out or None


def core_fields(rec, pandoc):
    return {
        "title": norm_text(rec.get("title"), pandoc),
        "author": families(rec, "author", pandoc),
        "editor": families(rec, "editor", pandoc),
        "issued": year(rec, pandoc),
    }


def show(v):
    if v is None:
        return "(none)"
    if isinstance(v, list):
        return " and ".join(v)
    return v


# ---- running the two programs ------------------------------------------------


def pandoc_reader(bibname):
    """The reader for a corpus file. Rule: a file whose name starts with
    "biblatex-" is a biblatex database (taken from the biblatex package: it
    uses date, journaltitle, location, +an annotations...) and is read with
    `-f biblatex`; every other file is classic BibTeX and read with
    `-f bibtex` (pandoc's BibTeX mode also drops biblatex-only fields such
    as addendum, as BibTeX styles do)."""
    return "biblatex" if bibname.startswith("biblatex-") else "bibtex"


PANDOC_ERROR = re.compile(r'Error at ".*" \(line (\d+), column (\d+)\)')


def chunk_at(lines, lineno):
    """The lines [a, b) of the @-item that holds line `lineno` (1-based):
    from the last line starting with @ at or before it to the next one."""
    a = lineno - 1
    while a > 0 and not lines[a].lstrip().startswith("@"):
        a -= 1
    b = lineno
    while b < len(lines) and not lines[b].lstrip().startswith("@"):
        b += 1
    return a, b


def chunk_id(text):
    """A stable name for an @-item: the key of an entry, else "@type{name"."""
    m = re.match(r"\s*@\s*(\w+)\s*[{(]\s*([^,=\s]*)", text)
    if not m:
        return text.strip()[:30]
    kind, key = m.group(1).lower(), m.group(2)
    return f"@{kind}{{{key}" if kind in ("string", "preamble", "comment") else key


def first_failing_item(lines, reader, tmp):
    """The line (1-based) of the first @-item such that pandoc fails on the
    file up to and including it."""
    starts = [i for i, l in enumerate(lines) if l.lstrip().startswith("@")]
    probe = os.path.join(tmp, "pandoc-probe.bib")

    def fails(n):  # the items before starts[n] (all when n == len(starts))
        with open(probe, "w", encoding="utf-8") as f:
            f.write("\n".join(lines[:starts[n]] if n < len(starts) else lines))
        return subprocess.run(["pandoc", "-f", reader, "-t", "csljson", probe],
                              capture_output=True).returncode != 0
    lo, hi = 1, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if fails(mid):
            hi = mid
        else:
            lo = mid + 1
    return starts[max(lo - 1, 0)] + 1


def run_pandoc(path, reader, tmp, diffs):
    """pandoc's CSL-JSON for path. pandoc 2.x stops at the first BibTeX item
    it cannot parse and reads nothing; then that item is blanked out of a
    copy (line numbers kept) and pandoc is run again, and each blanked item
    is a difference (FIELD "pandoc-parse") to be accepted or fixed."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cur = path
    for attempt in range(50):
        p = subprocess.run(["pandoc", "-f", reader, "-t", "csljson", cur],
                           capture_output=True, text=True)
        if p.returncode == 0:
            return json.loads(p.stdout or "[]")
        m = PANDOC_ERROR.search(p.stderr)
        if not m:
            raise RuntimeError(f"pandoc -f {reader} failed: {p.stderr.strip()[:300]}")
        lineno = int(m.group(1))
        if lineno > len(lines):
            # "unexpected end of input": an item opened earlier never ends
            # in pandoc's reading (a % in a quoted value starts a comment for
            # pandoc); the item is found by bisection over the @-lines
            lineno = first_failing_item(lines, reader, tmp)
        a, b = chunk_at(lines, lineno)
        item = "\n".join(lines[a:b])
        if not item.strip():
            raise RuntimeError(f"pandoc -f {reader} failed: {p.stderr.strip()[:300]}")
        msg = " ".join(p.stderr.replace(cur, os.path.basename(path)).split())
        diffs.append((chunk_id(item), "pandoc-parse",
                      f"pandoc rejects the item at line {a + 1} and so the whole file: "
                      + msg[:200]))
        for i in range(a, b):
            lines[i] = ""
        cur = os.path.join(tmp, f"pandoc-input-{attempt}.bib")
        with open(cur, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
    raise RuntimeError("pandoc: too many parse errors")


# ---- the pybtex reader -------------------------------------------------------
# pybtex (pybtex.database, bibtex format: @string, #, crossref kept as a
# field) parses; latexcodec (codecs "ulatex") turns TeX's accents, dashes,
# quotes and symbols into Unicode. What neither does is done here, each rule
# as pandoc's reader does it: $ math delimiters are dropped (pandoc writes the
# TeX source bare), the font commands below are dropped with their braces
# kept as a group, and then every brace is removed. Any other command
# latexcodec does not know stays as written (\ch {H2O}) and so is a
# difference to be reasoned. Missing fields are taken from the crossref
# target, as BibTeX does.
PYB_FONT = re.compile(r"\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|textup|textmd|"
                      r"textsl|textnormal|em|it|bf|sc|rm|sf|tt|sl|upshape|itshape|bfseries|"
                      r"scshape|mbox|textsuperscript|textsubscript|ensuremath|url|protect)"
                      r"(?![A-Za-z])\s*")
# biblatex's quotation commands (as csquotes typesets them in English)
PYB_QUOTE = re.compile(r"\\(?:mkbibquote|enquote)\s*\{")


def pyb_quotes(s):
    """\\mkbibquote{...} as \u201c...\u201d (the argument's braces balanced)."""
    while True:
        m = PYB_QUOTE.search(s)
        if not m:
            return s
        depth, j = 1, m.end()
        while j < len(s) and depth:
            depth += {"{": 1, "}": -1}.get(s[j], 0)
            j += 1
        s = s[:m.start()] + "\u201c{" + s[m.end():j - 1] + "}\u201d" + s[j:]
# the TeX logos (a command name ends at the first non-letter; the space
# after it is TeX's, not text)
PYB_LOGO = re.compile(r"\\(TeX|LaTeX|BibTeX|LaTeXe|XeTeX|LuaTeX|METAFONT|MF)(?![A-Za-z])\s*")
PYB_DOLLAR = re.compile(r"(?<!\\)\$")


def pyb_text(s):
    """A field's text: outside $...$ latexcodec, the rules above, braces
    removed; math as written (pandoc and pubrender keep its TeX source)."""
    import codecs
    import latexcodec  # noqa: F401 (registers the codec)
    if s is None:
        return None
    parts = PYB_DOLLAR.split(str(s))
    out = []
    for k, part in enumerate(parts):
        if k % 2:  # math
            out.append(part)
            continue
        part = pyb_quotes(part.replace("\\$", "$"))
        lead = part[:len(part) - len(part.lstrip())]  # latexcodec drops it
        try:
            part = lead + codecs.decode(part, "ulatex")
        except UnicodeDecodeError:  # a lone trailing backslash: U+FFFD for it
            part = lead + codecs.decode(part, "ulatex", "replace")
        part = PYB_FONT.sub("", part)
        part = PYB_LOGO.sub(r"\1", part)
        out.append(part.replace("{", "").replace("}", ""))
    return norm_text("".join(out), True)


# CSL's title (README, "CSL-JSON output", the table): title, ": subtitle",
# ". titleaddon" (no separator after punctuation); a book-like entry with a
# biblatex maintitle is titled by the multi-volume work.
PYB_CHAPTERLIKE = ("inbook", "incollection", "inproceedings", "conference", "inreference",
                   "bookinbook")


def pyb_title(kind, fields):
    def part(name):
        return pyb_text(fields.get(name))

    def join(main, sub, addon):
        t = part(main)
        for sep, extra in ((":", part(sub)), (".", part(addon))):
            if t and extra:
                t = t + ("" if t[-1] in ".,:;!?" else sep) + " " + extra
        return t
    if fields.get("maintitle") is not None and kind not in PYB_CHAPTERLIKE:
        return join("maintitle", "mainsubtitle", "maintitleaddon")
    return join("title", "subtitle", "titleaddon")


def pyb_year(fields):
    y = fields.get("year")
    if y is not None:
        y = pyb_text(y)
        m = re.match(r"(\d{4})\s*(?:--?|/|–)", y or "")
        return m.group(1) if m else y
    d = fields.get("date")  # biblatex: YYYY[-MM[-DD]][/...]
    if d is not None:
        m = re.match(r"\s*(\d{4})", d)
        return m.group(1) if m else pyb_text(d)
    return None


def pybtex_records(path, encoding, errors):
    """CSL-like records (id, title, author/editor families, issued) read by
    pybtex from path (a file or, for a group, the files' concatenation).
    pybtex's own warnings (duplicate keys, syntax errors) go to errors."""
    import pybtex.database
    import pybtex.errors
    pybtex.errors.set_strict_mode(False)
    with pybtex.errors.capture() as caught:
        db = pybtex.database.parse_file(path, bib_format="bibtex", encoding=encoding)
    errors.extend(str(e) for e in caught)
    entries = db.entries
    low = {k.lower(): e for k, e in entries.items()}
    out = []
    for key, e in entries.items():
        fields = {k.lower(): v for k, v in e.fields.items()}
        persons = {k.lower(): v for k, v in e.persons.items()}
        parent = low.get((fields.get("crossref") or "").lower())
        if parent is not None:
            for k, v in parent.fields.items():
                fields.setdefault(k.lower(), v)
            for k, v in parent.persons.items():
                persons.setdefault(k.lower(), v)
        rec = {"id": key, "title": pyb_title(e.type.lower(), fields)}
        for role in ("author", "editor"):
            ps = persons.get(role)
            if ps:
                fam = [pyb_text(" ".join(p.prelast_names + p.last_names)) or "" for p in ps]
                if fam and fam[-1] == "others":
                    fam.pop()
                if fam:
                    rec[role] = [{"literal": f} for f in fam]
        y = pyb_year(fields)
        if y is not None:
            rec["issued"] = {"literal": y}
        out.append(rec)
    return out


def read_args(args_dir, base):
    p = os.path.join(args_dir, base + ".args")
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8") as f:
        return [l for l in f.read().split("\n") if l]


def input_encoding(args):
    for i, a in enumerate(args):
        if a == "--encoding" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--encoding="):
            return a.split("=", 1)[1]
    return "utf-8"


# ---- the accepted list -------------------------------------------------------


CLASSES = "*"  # the key of the class rules in the accepted dict


def item_texts(path, enc):
    """Every @-item's text by its chunk_id (the raw entry a class rule reads)."""
    with open(path, encoding=enc, errors="replace") as f:
        lines = f.read().split("\n")
    starts = [i for i, l in enumerate(lines) if l.lstrip().startswith("@")] + [len(lines)]
    texts = {}
    for a, b in zip(starts, starts[1:]):
        text = "\n".join(lines[a:b])
        texts.setdefault(chunk_id(text), text)
    return texts


def class_of(classes, raw, field):
    """The first class rule whose pattern is in the entry's raw text and
    whose fields name `field`, else None."""
    for rule in classes:
        if field in rule[1] and rule[0].search(raw):
            return rule
    return None


def read_accepted(path, problems):
    acc = {}
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4 or not all(p.strip() for p in parts):
                problems.append(f"{path}:{no}: not FILE<TAB>ID<TAB>FIELD<TAB>REASON: {line!r}")
                continue
            if parts[0] == "*":  # a class: RAW-REGEX<TAB>FIELDS
                try:
                    rx = re.compile(parts[1])
                except re.error as e:
                    problems.append(f"{path}:{no}: bad pattern {parts[1]!r}: {e}")
                    continue
                acc.setdefault(CLASSES, []).append(
                    (rx, frozenset(parts[2].split(",")), parts[3], no))
                continue
            key = tuple(parts[:3])
            if key in acc:
                problems.append(f"{path}:{no}: listed twice: {' '.join(key)}")
            acc[key] = parts[3]
    return acc


# ---- main ------------------------------------------------------------------


def compare_file(bib, ours_recs, their_recs, diffs, reader="pandoc"):
    """Appends (id, field, detail) to diffs; returns (agree, core_agree,
    compared): entries agreeing on every compared field, on the core fields,
    and the number of ids either side has."""
    ours = {}
    for r in ours_recs:
        if r["id"] in ours:
            diffs.append((r["id"], "ours-duplicate", "pubrender wrote the id twice"))
        ours.setdefault(r["id"], r)
    theirs = {}
    for r in their_recs:
        if r["id"] in theirs:
            diffs.append((r["id"], f"{reader}-duplicate",
                          f"{reader} writes a second record with this id (pubrender keeps the first)"))
        theirs.setdefault(r["id"], r)
    ids = list(ours) + [i for i in theirs if i not in ours]
    agree = core_agree = 0
    for i in ids:
        if i not in theirs:
            diffs.append((i, "only-ours", f"{reader} has no entry with this id"))
            continue
        if i not in ours:
            diffs.append((i, f"only-{reader}", "pubrender has no entry with this id"))
            continue
        ca, cb = core_fields(ours[i], False), core_fields(theirs[i], True)
        core_ok = all(same(f, ca[f], cb[f]) if reader == "pandoc" else ca[f] == cb[f]
                      for f in CORE_FIELDS)
        core_agree += core_ok
        if reader == "pandoc":
            a, b, flist = fields(ours[i], False), fields(theirs[i], True), FIELDS
        else:
            a, b, flist = ca, cb, CORE_FIELDS
        ok = True
        for f in flist:
            if not (same(f, a[f], b[f]) if reader == "pandoc" else a[f] == b[f]):
                ok = False
                diffs.append((i, f, f"ours: {show(a[f])!r}\n      {reader}: {show(b[f])!r}"))
        agree += ok
    return agree, core_agree, len(ids)


def pyb_version(dist):
    try:
        from importlib.metadata import version
        return version(dist)
    except Exception:  # no metadata: the version is not needed
        return "?"


def percent(n, m):
    return f"{100.0 * n / m:.2f}%" if m else "n/a"


def parse_options(argv):
    opts = {"reader": "pandoc", "groups": [], "report_only": False}
    rest = []
    it = iter(argv[1:])
    for a in it:
        if a == "--reader":
            opts["reader"] = next(it, "")
        elif a.startswith("--reader="):
            opts["reader"] = a.split("=", 1)[1]
        elif a == "--group":
            opts["groups"].append(next(it, "").split(","))
        elif a == "--report-only":
            opts["report_only"] = True
        else:
            rest.append(a)
    if opts["reader"] not in ("pandoc", "pybtex") or len(rest) < 4 \
            or any(len(g) < 2 for g in opts["groups"]):
        return None, rest
    return opts, rest


def find_bibs(corpora, groups, missing, corpus_of):
    """{FILE: [paths]} for every .bib under the corpora (a group as one
    FILE; corpus_of[FILE] is its CORPUS_DIR), or a string saying what is
    wrong."""
    units = {}
    for corpus in corpora:
        if not os.path.isdir(corpus):
            print(f"note: {corpus} is not there: its files are not compared")
            missing.append(corpus)
            continue
        found = {}
        for dirpath, dirnames, filenames in os.walk(corpus):
            dirnames.sort()
            for f in sorted(filenames):
                if f.endswith(".bib"):
                    path = os.path.join(dirpath, f)
                    found[os.path.relpath(path, corpus)] = path
        for g in groups:
            if all(m in found for m in g):
                units["+".join(g)] = [found.pop(m) for m in g]
                corpus_of["+".join(g)] = corpus
        for rel, path in found.items():
            if rel in units:
                return f"{rel} is in {os.path.dirname(units[rel][0])} and {corpus}"
            units[rel] = [path]
            corpus_of[rel] = corpus
    return units


def main(argv):
    opts, rest = parse_options(argv)
    if opts is None:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    reader_name = opts["reader"]
    pubrender, args_dir, accepted_path = rest[:3]
    corpora = rest[3:]
    if reader_name == "pandoc":
        if not shutil.which("pandoc"):
            print("SKIP: pandoc is not installed (scripts/install-deps.sh --test)")
            return 77
        ver = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout
        print("using", ver.split("\n")[0])
    else:
        try:
            import pybtex
            import latexcodec
        except ImportError as e:
            print(f"SKIP: {sys.executable} cannot import pybtex and latexcodec ({e}); "
                  "Debian: apt-get install python3-pybtex python3-latexcodec")
            return 77
        print(f"using pybtex {pybtex.__version__} + latexcodec "
              f"{pyb_version('latexcodec')} ({sys.executable})")
    problems = []
    accepted = read_accepted(accepted_path, problems)
    used = set()
    classes = accepted.get(CLASSES, [])
    used_classes = set()
    npass = nfail = 0
    total_agree = total_core = total = 0
    missing = []
    corpus_of = {}
    per_corpus = {}  # CORPUS_DIR: [core agree, compared]
    units = find_bibs(corpora, opts["groups"], missing, corpus_of)
    if isinstance(units, str):
        print("FAIL:", units)
        return 1
    bibs = sorted(units)
    if not bibs and len(missing) == len(corpora):
        print(f"SKIP: {' '.join(corpora)}: not there (../shared is not beside this clone)")
        return 77
    if not bibs:
        print(f"FAIL: no .bib in {' '.join(corpora)}")
        return 1
    with tempfile.TemporaryDirectory(prefix="pubrender-pandoc-diff.") as tmp:
        for n, bib in enumerate(bibs):
            paths = units[bib]
            base = os.path.basename(paths[0])[:-4]
            args = (read_args(os.path.dirname(paths[0]), base)
                    or read_args(args_dir, base))
            diffs = []
            ok = True
            # PR_TEST_WRAPPER: valgrind under make memcheck (exits 99 on an error)
            wrapper = shlex.split(os.environ.get("PR_TEST_WRAPPER", ""))
            p = subprocess.run([*wrapper, pubrender, "-f", "csl-json", *args, *paths],
                               capture_output=True)
            # 1: some entry had an error, the others are rendered
            if p.returncode > 1:
                print(f"FAIL: {bib}: pubrender exited {p.returncode}: "
                      f"{p.stderr.decode(errors='replace')[:300]}")
                nfail += 1
                continue
            try:
                ours = json.loads(p.stdout.decode("utf-8"))
            except ValueError as e:
                print(f"FAIL: {bib}: pubrender's output is not JSON: {e}")
                nfail += 1
                continue
            enc = input_encoding(args)
            utf8 = enc.lower().replace("-", "") in ("utf8",)
            src = paths[0]
            if len(paths) > 1 or (reader_name == "pandoc" and not utf8):
                # one stream for a group; pandoc reads UTF-8 only: give it
                # the file as pubrender reads it (e.g. --encoding latin1)
                src = os.path.join(tmp, f"input-{n}.bib")
                with open(src, "w", encoding="utf-8" if reader_name == "pandoc" else enc) as g:
                    for path in paths:
                        with open(path, encoding=enc) as f:
                            g.write(f.read() + "\n")
            try:
                if reader_name == "pandoc":
                    how = f"pandoc -f {pandoc_reader(os.path.basename(bib))}"
                    theirs = run_pandoc(src, pandoc_reader(os.path.basename(bib)), tmp, diffs)
                else:
                    how = "pybtex"
                    warnings = []
                    theirs = pybtex_records(src, enc, warnings)
            except (RuntimeError, ValueError) as e:
                print(f"FAIL: {bib}: {e}")
                nfail += 1
                continue
            agree, core_agree, compared = compare_file(bib, ours, theirs, diffs, reader_name)
            total_agree += agree
            total_core += core_agree
            total += compared
            tally = per_corpus.setdefault(corpus_of[bib], [0, 0, 0])
            tally[0] += core_agree
            tally[1] += compared
            print(f"== {bib} ({how}{', ' + ' '.join(args) if args else ''}): "
                  f"{agree}/{compared} entries agree")
            src_enc = "utf-8" if src != paths[0] and reader_name == "pandoc" else enc
            raw = item_texts(src, src_enc) if classes else {}
            unexplained = set()
            for i, field, detail in diffs:
                key = (bib, i, field)
                rule = None if key in accepted else class_of(classes, raw.get(i, ""), field)
                if key in accepted:
                    used.add(key)
                    print(f"  accepted {i} {field}: {detail}\n      why: {accepted[key]}")
                elif rule:
                    used_classes.add(rule[3])
                    print(f"  accepted {i} {field} (class, line {rule[3]}): {detail}\n"
                          f"      why: {rule[2]}")
                else:
                    ok = False
                    if field in CORE_FIELDS or field not in FIELDS:
                        unexplained.add(i)
                    print(f"  DIFF {i} {field}: {detail}")
            tally[2] += compared - len(unexplained)
            if ok or opts["report_only"]:
                npass += 1
            else:
                print(f"FAIL: {bib}: differences not in {os.path.basename(accepted_path)}")
                nfail += 1
    for rule in classes:
        if rule[3] not in used_classes and not missing and not opts["report_only"]:
            problems.append(f"stale (no difference of this class): line {rule[3]}: "
                            f"{rule[0].pattern}")
    for key in accepted:
        if key == CLASSES:
            continue
        if key not in used and key[0] in bibs:
            problems.append("stale (the difference no longer occurs): " + "\t".join(key))
        elif key[0] not in bibs and not missing and not opts["report_only"]:
            problems.append("stale (no such corpus file): " + "\t".join(key))
    for pr in problems:
        print("FAIL: accepted list:", pr)
    if problems and not opts["report_only"]:
        nfail += 1
    else:
        npass += 1
    print(f"agreement: {total_agree}/{total} entries agree")
    for corpus, (n, m, e) in per_corpus.items():
        print(f"core agreement ({reader_name}; title, family names, year): "
              f"{n}/{m} ({percent(n, m)}) in {corpus}")
        print(f"  agreeing or with every core difference accepted: {e}/{m} ({percent(e, m)})")
    if len(per_corpus) > 1:
        print(f"core agreement ({reader_name}; title, family names, year): "
              f"{total_core}/{total} ({percent(total_core, total)}) in all")
    print(f"{npass} passed, {nfail} failed")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
