#!/usr/bin/env python3
"""view_json_test.py PUBRENDER ROOT

Issue 14, "Done when": `--format view-json` has a JSON Schema in the
repository (docs/view-json.schema.json, draft 2020-12) and the output of
every corpus file validates against it.

1. The schema is a valid draft 2020-12 schema.
2. For every .bib of tests/corpus/, data/pubs.bib and ../shared/corpus/ (a
   note says so when ../shared/corpus is not there; each file with its
   NAME.args beside it or in tests/golden/corpus/), under seven option sets
   (none; --group-by year,type; --max-authors 3; --highlight of owners found
   in the corpus; al-folio's venues and co-authors files; all of those
   together; --max-authors 1 with the owners, which cuts names before an
   owner), the view-json output is JSON that validates against the
   schema, formats checked: "iri-reference" (every URL) by a checker of
   this file, since jsonschema checks it only with the rfc3987 module, which
   Debian's python3-jsonschema does not pull in.
3. For the same options, it agrees with the built-in HTML fragment: the
   same entry ids in the same order (item "id" = <li id>), each item's
   "title" equal to the visible text of its <div class="pubrender-title">
   (html.parser, whitespace collapsed; no div when there is no title), the
   groups' headings equal to the HTML's, and the items numbered as the
   HTML's lists count. Also each item's plain values put together as the
   built-in template arranges them (item_text) give the entry's visible
   text in the HTML, less the toggles' labels "Abstract" and "BibTeX"
   (see tests/visible_text.py).
4. The schema is not vacuous: mutations of a real output (a required
   member removed, wrong types, unknown members at each level, an enum
   value outside it, an unsafe or unencoded URL, a member whose partner
   is missing) each fail, at the member that was changed.

Prints 'N passed, N failed'; exits 1 on a failure, 77 (SKIP) when Debian's
python3 has no jsonschema (python3-jsonschema, scripts/install-deps.sh
--test) or, after checking the rest, when ../shared/corpus is not there."""
import copy
import json
import os
import re
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import visible_text  # noqa: E402

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    print("SKIP: python3-jsonschema is not installed for this python "
          f"({sys.executable}; scripts/install-deps.sh --test)")
    sys.exit(77)

# owners found in the corpus; with --max-authors 1, Hiroshi Sato, Nathan
# Rosen and Byungsoo Oh are shown after a cut
HIGHLIGHT = ["Albert Einstein", "Donald E. Knuth", "Ines Varga", "Byungsoo Oh", "Hiroshi Sato",
             "Nathan Rosen"]
passed = failed = 0


def check(cond, msg):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + msg)
    return cond


# ---- formats ----

_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# RFC 3987 ipath/iquery characters: RFC 3986's unreserved, reserved and "%",
# and every non-ASCII character (ucschar, iprivate)
_IRI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%\u00a0-\U0010ffff]*$")


def is_iri_reference(v):
    """RFC 3987 IRI-reference, as far as a URL we write can be one: only
    the characters it allows, every % followed by two hex digits, and a
    scheme (when there is one) of a letter then letters, digits, + - ."""
    if not isinstance(v, str):
        return True
    if not _IRI_CHARS.match(v) or _PCT.search(v):
        return False
    try:
        parts = urllib.parse.urlsplit(v)
    except ValueError:
        return False
    if not parts.scheme:
        # a relative reference: no ':' before the first / ? # (RFC 3986, 4.2)
        return ":" not in re.split(r"[/?#]", v, maxsplit=1)[0]
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*$", parts.scheme))


def format_checker():
    fc = copy.deepcopy(Draft202012Validator.FORMAT_CHECKER)
    fc.checks("iri-reference")(is_iri_reference)
    fc.checks("uri-reference")(lambda v: is_iri_reference(v) and (
        not isinstance(v, str) or v.isascii()))
    return fc


# ---- the corpus ----

def option_sets(data):
    hl = []
    for h in HIGHLIGHT:
        hl += ["--highlight", h]
    return [("no options", []),
            ("--group-by year,type", ["--group-by", "year,type"]),
            ("--max-authors 3", ["--max-authors", "3"]),
            ("--highlight", hl),
            ("venues and coauthors", data),
            ("all of them", ["--group-by", "year,type", "--max-authors", "3"] + hl + data),
            ("--max-authors 1 with owners (cuts)", ["--max-authors", "1"] + hl)]


def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def path_str(path):
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "(top)"


def validate(where, validator, doc):
    errs = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for e in errs[:5]:
        check(False, f"{where}: {path_str(e.absolute_path)}: {e.message[:300]}")
    if len(errs) > 5:
        check(False, f"{where}: and {len(errs) - 5} more schema errors")
    if not errs:
        check(True, "")
    return not errs


def item_text(it):
    """The visible text an item's values make, in the order and with the
    separators of the built-in entry template (templates/html/
    entry.mustache), without its chrome (the "Abstract" and "BibTeX"
    toggle labels): what tests/generator_test.c writes from the C
    accessors, here from the JSON. The plain values, except where the
    README says the plain value is Markdown as written (additional_info,
    award, a legend from an annotation): there the text of the *_html
    value, the Markdown rendered, as a generator that writes HTML shows it."""
    md = {k: visible_text.text_of(it[k + "_html"])
          for k in ("additional_info", "award", "legend") if k in it}
    it = dict(it, **md)
    blocks = []
    if "badge" in it:
        blocks.append(it["badge"]["text"])
    if "title" in it:
        blocks.append(it["title"])
    names = it["authors"]
    if names:
        run = []

        def name(a):
            run.append(a["name"] + a["marks"] + a["sep"])
        n, more = len(names), it["more_count"]
        for i, a in enumerate(names[:n - more]):
            if a["hidden"]:
                continue
            if a["cut"]:
                run.append(a["cut_label"])
                for h in names[i - a["cut"]:i]:
                    name(h)
                run.append(a["cut_sep"])
            name(a)
        if more:
            run.append(it["more_label"])
            for h in names[n - more:]:
                name(h)
        run.append(it.get("role", ""))
        if "legend" in it:
            run.append(" " + it["legend"])
        blocks.append("".join(run))
    if "venue" in it or "additional_info" in it:
        blocks.append(it.get("venue", "") + it.get("additional_info", ""))
    if "note" in it:
        blocks.append(it["note"])
    blocks += [k["label"] for k in it["links"]]
    if "award" in it:
        blocks.append(it["award_name"] + it["award"])
    for k in ("abstract", "bibtex"):
        if k in it:
            blocks.append(it[k])
    return visible_text.collapse(" ".join(blocks))


def agree_with_html(where, doc, html):
    """Ids in order, titles as visible text, headings, numbers."""
    items = [it for g in doc for it in g.get("items", [])]
    ours = visible_text.builtin_titles(html)
    ids = [i for i, _ in ours]
    jids = [it.get("id") for it in items]
    if not check(ids == jids, f"{where}: the entry ids differ from the HTML's: view-json "
                 f"{jids[:5]}... ({len(jids)}), HTML {ids[:5]}... ({len(ids)})"):
        return
    check(len(ids) > 0, f"{where}: no entry in the output")
    bad = 0
    for (iid, title), it in zip(ours, items):
        if it.get("title") != title:
            bad += 1
            if bad <= 5:
                check(False, f"{where}: entry {iid}: title {it.get('title')!r} in view-json, "
                      f"{title!r} in the HTML")
    if bad > 5:
        check(False, f"{where}: and {bad - 5} more titles differ")
    if not bad:
        check(True, "")
    records = visible_text.read_builtin(html)
    bad = 0
    for (_, iid, text), it in zip([r for r in records if r[0] == "item"], items):
        mine = item_text(it)
        if mine != text:
            bad += 1
            if bad <= 5:
                i = next((k for k in range(min(len(mine), len(text))) if mine[k] != text[k]),
                         min(len(mine), len(text)))
                check(False, f"{where}: entry {iid}: its plain values make other text than the "
                      f"HTML shows, from character {i}:\n  HTML:      {text[i:i + 70]!r}\n"
                      f"  view-json: {mine[i:i + 70]!r}")
    if bad > 5:
        check(False, f"{where}: and {bad - 5} more entries differ")
    if not bad:
        check(True, "")
    heads = [r[1] for r in records if r[0] == "heading"]
    jheads = [g["heading"] for g in doc if "heading" in g]
    check(heads == jheads, f"{where}: headings {jheads} in view-json, {heads} in the HTML")
    # the numbers: each group's items count on from its start (no
    # --reverse-numbers here), as the HTML's <ol start> does
    for g in doc:
        nums = [it.get("number") for it in g.get("items", [])]
        want = list(range(g.get("start", 0), g.get("start", 0) + len(nums)))
        if nums != want:
            check(False, f"{where}: group {g.get('heading')!r} starts at {g.get('start')} "
                  f"but numbers its items {nums[:6]}")
            break
    else:
        check(True, "")


# ---- what the corpus reaches ----

COVER = {
    "heading": "a group heading", "level1": "a type group under a year (level 1)",
    "empty": "a group without items", "year": "a year", "selected": "a selected entry",
    "badge": "a badge", "badge.url": "a badge with a url", "badge.color": "a badge colour",
    "badge.text_color": "a badge text colour", "owner": "a page owner",
    "marks": "a name with marks", "author.url": "a co-author link", "hidden": "a hidden name",
    "cut": "a cut before an owner", "more": "names hidden at the end", "role": "editors",
    "legend": "a legend", "venue": "a venue line", "additional_info": "additional_info",
    "note": "a note", "links": "links", "preview": "a preview", "award": "an award",
    "abstract": "an abstract", "bibtex": "BibTeX"}


def covered(doc):
    got = set()
    for g in doc:
        got |= {"heading"} if "heading" in g else set()
        got |= {"level1"} if g["level"] == 1 else set()
        got |= {"empty"} if not g["items"] else set()
        for it in g["items"]:
            got |= {k for k in ("year", "role", "legend", "venue", "additional_info", "note",
                                "preview", "award", "abstract", "bibtex", "badge") if k in it}
            got |= {"badge." + k for k in it.get("badge", {})}
            got |= {"selected"} if it["selected"] else set()
            got |= {"links"} if it["links"] else set()
            got |= {"more"} if it["more_count"] else set()
            for a in it["authors"]:
                got |= {k for k in ("owner", "hidden", "cut") if a[k]}
                got |= {"marks"} if a["marks"] else set()
                got |= {"author.url"} if "url" in a else set()
    return got


# ---- mutations ----

def first(doc, pred):
    """(group index, item index) of the first item for which pred holds."""
    for gi, g in enumerate(doc):
        for ii, it in enumerate(g["items"]):
            if pred(it):
                return gi, ii
    return None


def mutations(doc):
    """(what, the mutated document, the path where validation must fail)."""
    out = []

    def add(what, path, change):
        d = copy.deepcopy(doc)
        change(d)
        out.append((what, d, path))

    gi, ii = first(doc, lambda it: True)
    base = [gi, "items", ii]
    add("an item without its required 'id'", base, lambda d: d[gi]["items"][ii].pop("id"))
    add("a group without its required 'items'", [gi], lambda d: d[gi].pop("items"))
    add("'number' as a string", base + ["number"],
        lambda d: d[gi]["items"][ii].__setitem__("number", str(d[gi]["items"][ii]["number"])))
    add("'selected' as 1", base + ["selected"],
        lambda d: d[gi]["items"][ii].__setitem__("selected", 1))
    add("'links' as an object", base + ["links"],
        lambda d: d[gi]["items"][ii].__setitem__("links", {}))
    add("'level' 2", [gi, "level"], lambda d: d[gi].__setitem__("level", 2))
    add("an unknown member of an item", base,
        lambda d: d[gi]["items"][ii].__setitem__("colour", "red"))
    add("an unknown member of a group", [gi], lambda d: d[gi].__setitem__("title", "x"))
    out.append(("the top level an object", {"groups": copy.deepcopy(doc)}, []))
    add("a group that is null", [gi], lambda d: d.__setitem__(gi, None))
    add("a marker that is no marker", base + ["marker"],
        lambda d: d[gi]["items"][ii].__setitem__("marker", "1."))
    add("'title' without 'title_html'", base,
        lambda d: d[gi]["items"][ii].update(title="T") or d[gi]["items"][ii].pop("title_html",
                                                                                   None))
    pos = first(doc, lambda it: it["authors"])
    if pos:
        g, i = pos
        a = [g, "items", i, "authors", 0]
        add("an author without 'owner'", a, lambda d: d[g]["items"][i]["authors"][0].pop("owner"))
        add("an author's 'owner' as \"yes\"", a + ["owner"],
            lambda d: d[g]["items"][i]["authors"][0].__setitem__("owner", "yes"))
        add("an unknown member of an author", a,
            lambda d: d[g]["items"][i]["authors"][0].__setitem__("first", "A"))
        add("an author's 'sep' outside its enum", a + ["sep"],
            lambda d: d[g]["items"][i]["authors"][0].__setitem__("sep", "; "))
        add("an author's 'cut' 1 without cut_label", a,
            lambda d: d[g]["items"][i]["authors"][0].__setitem__("cut", 1))
        add("an author's url with javascript:", a + ["url"],
            lambda d: d[g]["items"][i]["authors"][0].__setitem__("url", "javascript:alert(1)"))
    pos = first(doc, lambda it: it["links"])
    if pos:
        g, i = pos
        k = [g, "items", i, "links", 0]
        add("a link without 'url'", k, lambda d: d[g]["items"][i]["links"][0].pop("url"))
        add("a link URL with javascript:", k + ["url"],
            lambda d: d[g]["items"][i]["links"][0].__setitem__("url", "JavaScript:alert(1)"))
        add("a link URL with a space", k + ["url"],
            lambda d: d[g]["items"][i]["links"][0].__setitem__("url", "https://a.org/x y"))
        add("a link URL with a bad percent escape", k + ["url"],
            lambda d: d[g]["items"][i]["links"][0].__setitem__("url", "https://a.org/%zz"))
        add("an unknown member of a link", k,
            lambda d: d[g]["items"][i]["links"][0].__setitem__("title", "x"))
    else:
        check(False, "mutations: the document has no item with links")
    pos = first(doc, lambda it: "badge" in it)
    if pos:
        g, i = pos
        b = [g, "items", i, "badge"]
        add("a badge without 'text'", b, lambda d: d[g]["items"][i]["badge"].pop("text"))
        add("a badge colour that is CSS code", b + ["color"],
            lambda d: d[g]["items"][i]["badge"].update(color="red;background:url(x)"))
        add("a badge text colour outside its enum", b,
            lambda d: d[g]["items"][i]["badge"].update(color="#123456", text_color="white"))
    else:
        check(False, "mutations: the document has no item with a badge")
    pos = first(doc, lambda it: "award" in it)
    if pos:
        g, i = pos
        add("an award without 'award_name'", [g, "items", i],
            lambda d: d[g]["items"][i].pop("award_name"))
    pos = first(doc, lambda it: it["more_count"] == 0)
    if pos:
        g, i = pos
        add("a 'more_label' with more_count 0", [g, "items", i],
            lambda d: d[g]["items"][i].__setitem__("more_label", "and 2 more authors"))
    return out


def check_mutations(validator, doc, name):
    if not first(doc, lambda it: True):
        check(False, f"mutations: {name} gives no item to change")
        return
    for what, d, path in mutations(doc):
        errs = list(validator.iter_errors(d))
        # the error at the member changed, or at the object holding it (a
        # member missing or unknown is reported there)
        at = [e for e in errs if list(e.absolute_path)[:len(path)] == path]
        check(at, f"mutations of {name}: {what} validates"
              + (f" (errors elsewhere only: {path_str(errs[0].absolute_path)})" if errs else ""))


def main():
    if len(sys.argv) != 3:
        print("usage: view_json_test.py PUBRENDER ROOT", file=sys.stderr)
        return 2
    cli, root = sys.argv[1:]
    with open(os.path.join(root, "docs", "view-json.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    try:
        Draft202012Validator.check_schema(schema)
        check(schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema",
              "the schema does not say it is draft 2020-12")
    except jsonschema.exceptions.SchemaError as e:
        check(False, f"docs/view-json.schema.json is no valid draft 2020-12 schema: {e.message}")
        print(f"{passed} passed, {failed} failed")
        return 1
    validator = Draft202012Validator(schema, format_checker=format_checker())
    # the format checker itself: it refuses what it must
    for v, ok in (("https://a.org/x?y=1#z", True), ("/assets/pdf/a%20b.pdf", True),
                  ("https://de.wikipedia.org/wiki/Gödel", True), ("a b", False),
                  ("https://a.org/%zz", False), ("https://a.org/<x>", False),
                  ("1http://x", False)):
        check(is_iri_reference(v) == ok, f"iri-reference checker: {v!r} should be "
              f"{'accepted' if ok else 'refused'}")

    files, have_shared = visible_text.corpus(root)
    if not have_shared:
        print(f"note: {os.path.normpath(os.path.join(root, '..', 'shared', 'corpus'))} is not "
              "there: only data/pubs.bib and tests/corpus are validated")
    richest = None   # the document with the most kinds of member, for the mutations
    seen = set()     # the kinds of COVER met
    for f, args, data_files in files:
        data = ["--venues", data_files[0], "--coauthors", data_files[1]]
        name = os.path.relpath(f, root)
        for label, opts in option_sets(data):
            where = f"{name} ({label})"
            rc, out, err = run([cli, "--no-config", "-f", "view-json"] + args + opts + [f])
            if not check(rc <= 1, f"{where}: pubrender -f view-json exited {rc}: "
                         f"{err.strip()[:300]}"):
                continue
            try:
                doc = json.loads(out)
            except ValueError as e:
                check(False, f"{where}: the output is not JSON: {e}")
                continue
            check(out.endswith("\n") and not out.endswith("\n\n"),
                  f"{where}: the output does not end with one newline")
            if not validate(where, validator, doc):
                continue
            rc, html, err = run([cli, "--no-config"] + args + opts + [f])
            if check(rc <= 1, f"{where}: pubrender (HTML) exited {rc}: {err.strip()[:300]}"):
                agree_with_html(where, doc, html)
            seen.update(covered(doc))
            kinds = {k for g in doc for it in g["items"] for k in it} | {
                "author." + k for g in doc for it in g["items"] for a in it["authors"] for k in a}
            if richest is None or len(kinds) > richest[0]:
                richest = (len(kinds), doc, where)
    # the corpus and options reached every kind of value the schema knows
    for kind in sorted(set(COVER) - seen):
        check(False, f"no output had {COVER[kind]}: the validation proves less than it says")
    if richest:
        check_mutations(validator, richest[1], richest[2])
    else:
        check(False, "no output validated: nothing to mutate")
    print(f"{passed} passed, {failed} failed")
    if failed:
        return 1
    if not have_shared:
        print("SKIP: ../shared/corpus is not there (issue 14 asks for every corpus file)")
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
