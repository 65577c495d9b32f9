#!/usr/bin/env python3
"""make_corpus.py CORPUS_DIR OUT_DIR [--huge] [--quiet]

Builds the benchmark inputs from the real .bib files in CORPUS_DIR
(../shared/bench-corpus, see its SOURCES.md):

  base.bib    every corpus file once, in a fixed order (cryptobib in the
              order abbrev0, crypto_misc, crypto_conf_list; then cmlbib,
              thesis, bibliotex, each sorted by path), LF line endings,
              without the entries listed below
  bench-50.bib   base.bib, then copies of it with renamed keys, cut at an
              entry boundary at 50,000,000 bytes
  bench-200.bib  the same up to 200,000,000 bytes (only with --huge)
  home-50.bib    the first 50 entries of thesis/anthology.bib (a homepage)

In copy r (r >= 1) every entry key and every crossref target gets the
suffix "-r<r>", so keys stay unique exactly as in the original, and
@string definitions become @comment: the macros defined by copy 0 stay in
force for the rest of the (single) document, and are not redefined
thousands of times. A file is rewritten only when its content changes.

What is left out, and why
-------------------------
The benchmark file is real text, but it has to be one that every peer
(bibtex2html 1.99 with bibtex8, pybtex-format 0.24, pandoc 2.17,
citation-js 0.7.21) reads to the end: one entry a peer cannot take makes
the whole run fail, and then there is nothing to compare. So base.bib keeps
an entry only if it has none of these shapes (each one found by bisecting
the corpus with the peer; the counts are printed on every run):

  comment-line   a '%' comment inside an entry where a field, '=' or ','
                 belongs (bibliotex comments fields out this way, a line at a
                 time). BibTeX has no comments inside entries: bibtex2html
                 stops with "Parse error character N, in or after entry
                 ...", pybtex drops the entry with "'}' expected",
                 citation-js throws a SyntaxError.
  percent-quoted a '%' inside a "..."-delimited value (cryptobib:
                 url = "...ANSI%20X9.62"). pandoc 2.17 takes it as a comment
                 to the end of the line: "unexpected end of input".
  odd-dollars    a value with an odd number of unescaped '$' (bibliotex:
                 "$\\xrightarrow{...}$$67Zn"): citation-js reads an unclosed
                 math span, SyntaxError "expected text, got EOF".
  bare-accent    an accent command with no argument before a '}' (bibliotex:
                 "{\\~}120 C"): citation-js SyntaxError "expected text, got
                 rbrace".
  pybtex-type    an entry type pybtex's default style (unsrt) has no
                 template for (@thesis, @software, @electronic, ...):
                 pybtex-format stops with an AttributeError.
  pybtex-missing a field pybtex's unsrt style requires is missing or empty
                 (@article without journal or year, @incollection without
                 booktitle, ...; see REQUIRED). pybtex-format raises
                 FieldIsMissing on the first one and writes nothing, and it
                 does not follow crossref for this (format_entries is called
                 without the database), so a field given only through
                 crossref counts as missing: this takes all 63 crossref
                 entries of crypto_misc (their booktitle comes from the
                 @proceedings).
  malformed      the entry does not scan (unbalanced braces or quotes, no
                 '=' after a field name, ...).
  crossref-gone  a crossref to an entry left out by one of the rules above.

Text between entries is kept, except where it holds an '@' (bibliotex's
commented-out entries, "% @inbook{..."): every parser but BibTeX's reads
an entry there, and citation-js fails on the '%' lines inside it. Such
runs of text are dropped, and so is an @comment{...} that holds an entry
(cmlbib has one whose abstract closes a brace too many, so the comment
ends early: btparse reports a runaway string and junk at top level, pybtex
a syntax error). Both are counted as "commented-out entries". The
homepage file is taken as it is: every peer reads it.
"""
import os
import re
import sys

ENTRY = re.compile(r'(@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*)([^,\s{}()"#%\'=]+)([ \t]*,)')
XREF = re.compile(r'(\bcrossref\s*=\s*[{"]\s*)([^}"\s]+)', re.IGNORECASE)
STRING = re.compile(r'@([ \t]*)string([ \t]*[{(])', re.IGNORECASE)
SPECIAL = {"string", "comment", "preamble"}

# pybtex 0.24, style unsrt: the fields each template needs (a tuple: one of
# them); "misc" and "online" need none. Any other type has no template.
REQUIRED = {
    "article": ("author", "title", "journal", "year"),
    "book": (("author", "editor"), "title", "publisher", "year"),
    "booklet": ("author", "title", "year"),
    "inbook": (("author", "editor"), "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "manual": ("title",),
    "mastersthesis": ("author", "title", "school", "year"),
    "misc": (),
    "online": (),
    "phdthesis": ("author", "title", "school", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "unpublished": ("author", "title", "note"),
}
REASONS = [
    ("comment-line", "a '%' comment line inside the entry (bibtex2html, pybtex, citation-js)"),
    ("percent-quoted", "a '%' inside a \"...\" value (pandoc)"),
    ("odd-dollars", "an odd number of '$' in a value (citation-js)"),
    ("bare-accent", "an accent command with no argument, {\\~} (citation-js)"),
    ("pybtex-type", "an entry type pybtex's unsrt style has no template for"),
    ("pybtex-missing", "a field pybtex's unsrt style requires is missing or empty"),
    ("malformed", "the entry does not scan"),
    ("crossref-gone", "crossref to an entry left out"),
]
BARE_ACCENT = re.compile(r"\\(?:[`'^\"~=.]|[uvHcdbtrk](?![A-Za-z]))\s*\}")
NAME = re.compile(r"[^\s=,{}()\"#%]+")


class Malformed(Exception):
    pass


def corpus_files(root):
    order = []
    crypto = os.path.join(root, "cryptobib")
    for name in ("abbrev0.bib", "crypto_misc.bib", "crypto_conf_list.bib"):
        order.append(os.path.join(crypto, name))
    for sub in ("cmlbib", "thesis", "bibliotex"):
        found = []
        for dirpath, _, files in os.walk(os.path.join(root, sub)):
            found += [os.path.join(dirpath, f) for f in files if f.endswith(".bib")]
        order += sorted(found)
    return [p for p in order if os.path.isfile(p)]


def read_raw(root):
    parts = []
    for path in corpus_files(root):
        with open(path, "rb") as f:
            data = f.read().replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        if data and not data.endswith(b"\n"):
            data += b"\n"
        parts.append(data)
    return b"".join(parts).decode("utf-8", errors="surrogateescape")


def skip_balanced(text, i, close):
    """text[i] is just after an opening '{' (close '}') or '"' (close '"');
    returns the index just after the matching close."""
    depth, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and close == '"' and i + 1 < n and text[i + 1] == '"':
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                if close == "}":
                    return i + 1
                raise Malformed("unbalanced '}'")
            depth -= 1
        elif c == '"' and close == '"' and depth == 0:
            return i + 1
        elif c == "@" and close == '"' and depth == 0 and text[i - 1] == "\n":
            raise Malformed("quote runs into the next entry")
        i += 1
    raise Malformed("unterminated value")


def scan_entry(text):
    """Scans one item that starts with '@'. Returns (type, key, fields, end,
    flags): fields a list of (name lowercased, [(delim, raw)]), end the index
    after the closing delimiter, flags a set of shape names."""
    m = re.match(r"@[ \t]*([A-Za-z][\w-]*)[ \t\n]*([{(])", text)
    if not m:
        raise Malformed("no type or delimiter")
    etype, close = m.group(1).lower(), ("}" if m.group(2) == "{" else ")")
    i, n, flags = m.end(), len(text), set()
    if etype in ("comment", "preamble", "string") and close == "}":
        end = skip_balanced(text, i, "}")
        return etype, None, [], end, flags
    if etype in SPECIAL:
        depth = 0
        while i < n and not (text[i] == ")" and depth == 0):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if i >= n:
            raise Malformed("unterminated")
        return etype, None, [], i + 1, flags
    km = re.compile(r"[ \t\n]*([^,\s{}()]*)[ \t\n]*([,})])").match(text, i)
    if not km:
        raise Malformed("no key")
    key, i = km.group(1), km.end()
    if km.group(2) != ",":
        if km.group(2) != close:
            raise Malformed("bad key")
        return etype, key, [], i, flags
    fields = []

    def ws(i):
        while i < n:
            if text[i] in " \t\n":
                i += 1
            elif text[i] == "%":  # a comment where a field, '=' or ',' belongs
                flags.add("comment-line")
                j = text.find("\n", i)
                i = n if j < 0 else j + 1
            else:
                break
        return i

    while True:
        i = ws(i)
        if i >= n:
            raise Malformed("unterminated entry")
        if text[i] == close:
            return etype, key, fields, i + 1, flags
        if text[i] == ",":
            i += 1
            continue
        nm = NAME.match(text, i)
        if not nm:
            raise Malformed("bad field name at %r" % text[i:i + 20])
        name, i = nm.group(0).lower(), ws(nm.end())
        if i >= n or text[i] != "=":
            raise Malformed("no '=' after %s" % name)
        parts = []
        while True:
            i = ws(i + 1)
            if i >= n:
                raise Malformed("no value")
            c = text[i]
            if c in "{\"":
                j = skip_balanced(text, i + 1, "}" if c == "{" else '"')
                parts.append((c, text[i + 1:j - 1]))
                i = j
            else:
                vm = NAME.match(text, i)
                if not vm:
                    raise Malformed("bad value for %s" % name)
                parts.append(("", vm.group(0)))
                i = vm.end()
            i = ws(i)
            if i < n and text[i] == "#":
                continue
            break
        fields.append((name, parts))
        if i < n and text[i] not in (",", close):
            raise Malformed("junk after %s" % name)


def odd_dollars(raw):
    return len(re.findall(r"(?<!\\)\$", raw)) % 2 == 1


def shapes(etype, fields, flags):
    """The shapes (see the header) of one regular entry."""
    out = set(flags)
    have = {}
    for name, parts in fields:
        have[name] = "".join(raw for _, raw in parts).strip()
        for delim, raw in parts:
            if delim == '"' and "%" in raw:
                out.add("percent-quoted")
            if delim and odd_dollars(raw):
                out.add("odd-dollars")
            if delim and BARE_ACCENT.search(raw):
                out.add("bare-accent")
    if etype not in REQUIRED:
        out.add("pybtex-type")
    else:
        for need in REQUIRED[etype]:
            alts = need if isinstance(need, tuple) else (need,)
            if not any(have.get(a, "").strip("{} \t\n") for a in alts):
                out.add("pybtex-missing")
    return out


def filter_base(raw):
    """Returns (text, counts): raw without the entries of the shapes in the
    header; counts: shape -> entries (an entry counts under every shape it
    has, and is left out once)."""
    starts = [m.start() for m in re.finditer(r"(?m)^[ \t]*@", raw)]
    items = []  # [kind, key, crossref, text, tail, reasons]
    head = raw[: starts[0]] if starts else raw
    counts = {r: 0 for r, _ in REASONS}
    counts.update({"entries kept": 0, "entries left out": 0, "@string kept": 0,
                   "commented-out entries between entries": 0})
    for a, b in zip(starts, starts[1:] + [len(raw)]):
        chunk = raw[a:b]
        lead = len(chunk) - len(chunk.lstrip(" \t"))
        try:
            etype, key, fields, end, flags = scan_entry(chunk[lead:])
            end += lead
            why = shapes(etype, fields, flags) if key is not None else set()
            xref = next(("".join(r for _, r in p).strip() for nm, p in fields if nm == "crossref"), None)
        except Malformed:
            etype, key, xref, end, why = "?", None, None, len(chunk), {"malformed"}
        tail = chunk[end:]
        if etype == "comment" and "@" in chunk[lead + 1:end]:
            counts["commented-out entries between entries"] += 1
            items.append([etype, None, None, "", "\n", set()])
            continue
        if "@" in tail:
            counts["commented-out entries between entries"] += 1
            tail = "\n\n"
        items.append([etype, key, xref, chunk[:end], tail, why])
    gone = {it[1].lower() for it in items if it[5] and it[1]}
    for it in items:
        if it[2] and it[2].lower() in gone and not it[5]:
            it[5] = {"crossref-gone"}
            gone.add(it[1].lower())
    out = [head]
    for etype, key, xref, text, tail, why in items:
        for w in why:
            counts[w] += 1
        if why:
            counts["entries left out"] += 1
            continue
        if etype == "string":
            counts["@string kept"] += 1
        elif key is not None:
            counts["entries kept"] += 1
        out.append(text + tail)
    return "".join(out), counts


def replica(text, r):
    sfx = "-r%d" % r

    def key(m):
        if m.group(2).lower() in SPECIAL:
            return m.group(0)
        return m.group(1) + m.group(3) + sfx + m.group(4)

    text = ENTRY.sub(key, text)
    text = XREF.sub(lambda m: m.group(1) + m.group(2) + sfx, text)
    return STRING.sub(lambda m: "@" + m.group(1) + "comment" + m.group(2), text)


def build(base, target):
    out, size, r = [], 0, 0
    while size < target:
        piece = (base if r == 0 else replica(base, r)).encode("utf-8", errors="surrogateescape")
        if size + len(piece) > target:
            cut = piece.rfind(b"\n@", 0, target - size)
            piece = piece[: cut + 1] if cut > 0 else b""
            out.append(piece)
            break
        out.append(piece)
        size += len(piece)
        r += 1
    return b"".join(out)


def write_if_changed(path, data):
    try:
        if os.path.getsize(path) == len(data):
            with open(path, "rb") as f:
                if f.read() == data:
                    return False
    except OSError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    huge = "--huge" in sys.argv
    quiet = "--quiet" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    root, outdir = args
    os.makedirs(outdir, exist_ok=True)
    raw = read_raw(root)
    base, counts = filter_base(raw)
    if not quiet:
        print("base.bib: %d entries and %d @string kept, %d entries left out (%.1f of %.1f MB kept):"
              % (counts["entries kept"], counts["@string kept"], counts["entries left out"],
                 len(base.encode("utf-8", "surrogateescape")) / 1e6,
                 len(raw.encode("utf-8", "surrogateescape")) / 1e6), file=sys.stderr)
        for r, text in REASONS:
            print("  %6d  %-15s %s" % (counts[r], r, text), file=sys.stderr)
        print("  %6d  commented-out entries (text between entries, or @comment, holding an '@') dropped"
              % counts["commented-out entries between entries"], file=sys.stderr)
    base_b = base.encode("utf-8", errors="surrogateescape")
    write_if_changed(os.path.join(outdir, "base.bib"), base_b)
    targets = [("bench-50.bib", 50_000_000)] + ([("bench-200.bib", 200_000_000)] if huge else [])
    for name, target in targets:
        path = os.path.join(outdir, name)
        if os.path.exists(path) and os.path.getsize(path) <= target and \
                os.path.getsize(path) > target - 2_000_000 and \
                os.path.getmtime(path) >= os.path.getmtime(__file__) and \
                os.path.getmtime(path) >= os.path.getmtime(os.path.join(outdir, "base.bib")):
            continue  # already built by this version of the script from this base
        data = build(base, target)
        write_if_changed(path, data)
        print("built %s: %.1f MB" % (path, len(data) / 1e6), file=sys.stderr)
    # homepage: first 50 entries of the thesis bibliography
    with open(os.path.join(root, "thesis", "anthology.bib"), "rb") as f:
        thesis = f.read().decode("utf-8", errors="surrogateescape")
    starts = [m.start() for m in re.finditer(r"(?m)^@", thesis)]
    home = thesis[: starts[50]] if len(starts) > 50 else thesis
    write_if_changed(os.path.join(outdir, "home-50.bib"), home.encode("utf-8", errors="surrogateescape"))


if __name__ == "__main__":
    main()
