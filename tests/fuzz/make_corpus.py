#!/usr/bin/env python3
"""Regenerate the seed corpora in tests/fuzz/corpus/ (run by hand; the output
is committed, so tests never need ../shared at run time).

    python3 tests/fuzz/make_corpus.py [SHARED_CORPUS_DIR]

Seeds: data/*.bib and the shared corpus (../shared/corpus by default; large
files cut at entry boundaries), plus hand-written hostile inputs for every
libbtparse trigger of section 7 of ../shared/notes/btparse-and-cmark.md.
Every file in tests/fuzz/corpus/ is replaced except the fixed crash inputs
(regression-*, see README.md), which are kept. Big generated inputs (100k-deep braces, ...)
are not here but in gen_seeds.cmake, written into the build tree.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "corpus")
SPEC = os.path.join(os.path.dirname(SHARED), "mustache-spec")
OUT = os.path.join(HERE, "corpus")
MAX_BIB = 12_000  # bytes of one real .bib seed


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def chunks(text, limit):
    """Split a .bib text at lines starting with @ into pieces <= limit bytes
    (a single longer entry stays whole)."""
    parts = re.split(r"(?m)^(?=@)", text)
    out, cur = [], ""
    for p in parts:
        if cur and len((cur + p).encode("utf-8", "surrogateescape")) > limit:
            out.append(cur)
            cur = ""
        cur += p
    if cur:
        out.append(cur)
    return out


def name_fields(text):
    """Values of author/editor fields (brace- or quote-delimited)."""
    vals = []
    for m in re.finditer(r"(?i)\b(author|editor)\s*=\s*([{\"])", text):
        i, depth = m.end(), 1 if m.group(2) == "{" else 0
        start = i
        while i < len(text):
            c = text[i]
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0 and m.group(2) == "{":
                    break
            elif c == '"' and m.group(2) == '"' and depth == 0:
                break
            i += 1
        vals.append(text[start:i])
    return vals


# ---- hostile .bib seeds (section 7 of the btparse notes, and more) ----------
def fields(n, concat=False):
    v = '"a" # "b"' if concat else "{v}"
    return "@article{many,\n" + "".join(f"  f{i} = {v},\n" for i in range(n)) + "  year = 2024\n}\n"


HOSTILE_BIB = {
    "fields_98.bib": fields(98),
    "fields_97_concat.bib": fields(97, True),
    "fields_91.bib": fields(91),
    "string_macros_99.bib": "@string{" + ", ".join(f"m{i} = {{x}}" for i in range(99)) + "}\n"
    "@article{k, title = m98, year = 2024}\n",
    "nul_in_string.bib": b"@article{k,\n  title = {a\x00b},\n  year = 2024\n}\n",
    "nul_outside.bib": b"\x00@article{k, title = {t}}\x00\n",
    "format_string.bib": '@article{k "%s%s%s"}\n',
    "format_string_n.bib": '@article{k, title = {t} "%n%n%x%p"}\n@article{j, title={ok}}\n',
    "at_n_quote.bib": '@N""\n',
    "at_article_quote.bib": '@article"x"\n@string"x"\n@article{ok, title = {fine}, year = 2020}\n',
    "cr_before_brace.bib": b"@article{k,\n  title = {abc\r},\n  note = \"x\r\",\n  year = 2024\n}\n",
    "cr_only_lines.bib": b"@article{k,\r  title = {Line\rendings},\r  author = {A. B\r and C. D},\r  year = 2024\r}\r",
    "crlf.bib": b"@article{k,\r\n  title = {CRLF\r\n file},\r\n  year = 2024\r\n}\r\n",
    "degenerate_names.bib": "@article{k,\n  author = {Smith,,John and , and ,Smith, and Smith, , John and a,,b"
    " and ,,, and {} and others and van der and a},\n  title = {T},\n  year = 2024\n}\n",
    "names_double_space.bib": "@article{k,\n  author = {  and A  and  B and   and},\n  editor = { and },\n  year = 2024\n}\n",
    "preamble_macro.bib": "@string{foo = {bar}}\n@preamble{ foo # \"x\" # undefinedmacro }\n"
    "@article{k, title = foo, year = 2024}\n",
    "undefined_macro.bib": "@article{k, title = nosuchmacro, journal = alsonone # \"x\", year = 2024}\n",
    "self_macro.bib": "@string{a = a # a}\n@string{b = b}\n@article{k, title = a, note = b}\n",
    "crossref_loop.bib": "@article{a, crossref = {b}, title = {A}}\n@article{b, crossref = {a}, title = {B}}\n"
    "@article{c, crossref = {c}}\n@inproceedings{d, crossref = {nowhere}}\n",
    "duplicate_keys.bib": "@article{k, title = {one}, title = {two}, year = 2020}\n@article{k, title = {three}}\n",
    "unterminated_quote.bib": '@article{k, title = "never closed,\n  year = 2024\n}\n' + "filler text " * 170 + "\n",
    "unbalanced_comment.bib": "@comment(unbalanced {\n@article{k, title = {t}}\n",
    "mixed_delims.bib": "@article(k, title = {a}, year = \"2024\")\n@book{j, title = \"b\" }\n",
    "truncated.bib": "@article{k,\n  title = {Trunc",
    "at_only.bib": "@",
    "at_brace_soup.bib": "@{@{{@}@{}}@@{,}=@{{\n",
    "invalid_utf8.bib": b"@article{k,\n  title = {\xff\xfe bad \xc3\x28 \xe2\x82 \xf0\x9f\x98},\n  author = {J\xe9r\xf4me Dupont},\n  year = 2024\n}\n",
    "bom.bib": b"\xef\xbb\xbf@article{k, title = {With a BOM}, year = 2024}\n",
    "links.bib": "@article{k,\n  title = {Links},\n  url = {javascript:alert(1)},\n  pdf = {JaVaScRiPt:alert(1)},\n"
    "  html = { data:text/html,x},\n  code = {java\tscript:x},\n  doi = {10.1000/\"><script>},\n"
    "  eprint = {2101.00001}, archiveprefix = {arXiv},\n  year = 2024\n}\n",
    "html_injection.bib": "@article{k,\n  title = {<script>alert(\"x\")</script> & \\& \"q\" 'a'},\n"
    "  author = {<b>Bold</b>, Mallory and O'Neil, Ann},\n  abbr = {<i>X</i>},\n  year = 2024\n}\n",
    "markdown_injection.bib": "@article{k,\n  title = {*not* _em_ [link](http://x) `code` <div> # h\\_1},\n"
    "  author = {**Bold**, A.},\n  url = {http://a.b/c) [x](y},\n  year = 2024\n}\n",
    "marks_annotations.bib": "@article{k,\n  author = {Um*, Taegeon and Oh*\\dag, Byungsoo and Einstein*\u2020\u2021\u00a7\u00b6, A. and B $^*$ C},\n"
    "  author+an = {1=equal; 2=equal,highlight; 3=corresponding; 99=equal; x=y; ;=;},\n  year = 2024\n}\n",
    "dates.bib": "@article{a, year = {-5}, month = 13}\n@article{b, year = {99999999999999999999}, month = {Feb.}}\n"
    "@article{c, date = {2024-02-30/2025}, year = {}}\n@article{d, year = {2O24}, month = dec}\n",
    "empty_fields.bib": "@article{k, title = {}, author = {}, editor = \"\", year = {}, journal = {}}\n@misc{,}\n@misc{}\n",
    "front_matter.bib": "---\nlayout: page\ntitle: x\n---\n% comment\n@article{k, title = {T}}\ntrailing junk { } @\n",
}

HOSTILE_NAMES = {
    "double_commas.txt": "Smith,,John",
    "comma_space_comma.txt": "Smith, , John",
    "leading_comma.txt": ",Smith",
    "trailing_comma.txt": "Smith,",
    "only_commas.txt": ",,,",
    "three_commas.txt": "von Last, Jr, First, Extra",
    "others.txt": "others",
    "and_others.txt": "A. Author and others",
    "lowercase_last.txt": "Jean van der",
    "single_lower.txt": "a",
    "double_space_and.txt": "A  and  B",
    "leading_and.txt": " and A",
    "and_and.txt": "and and and",
    "braces.txt": "{Barnes and Noble, Inc.} and {\\relax Ch}ristopher {\\'E}mile",
    "unbalanced_open.txt": "{Smith, John and Doe",
    "unbalanced_close.txt": "Smith}, John} and Doe",
    "marks.txt": "Um*, Taegeon and Oh*\\dag, Byungsoo and Einstein*\u2020, A. and B C\\textdaggerdbl and D $^*$",
    "accents.txt": "M{\\\"u}ller, J{\\\"o}rg and {\\c{C}}etinkaya, Bekir and Aks{\\i}n, {\\\"O}zge",
    "invalid_utf8.txt": b"J\xe9r\xf4me \xff and \xc3",
    "control_chars.txt": b"A\x01B and C\x1fD\tE\nF",
    "tilde.txt": "D.~E. Knuth and Jr., Sammy Davis",
    "hyphen.txt": "Jean-Paul Sartre and Ludwig van Beethoven and Charles Louis Xavier Joseph de la Vallee Poussin",
    "ifmmode.txt": "Dra\\ifmmode \\check{s}\\else \\v{s}\\fi{}ar, M. and \\ifmmode \\check{C}\\else \\v{C}\\fi{}i\\ifmmode \\check{z}\\else \\v{z}\\fi{}ek, Jakub and \\ifmmode A",
}

HOSTILE_LATEX = {
    "accents.tex": "\\'e \\`a \\^o \\\"u \\~n \\=a \\.z \\u{g} \\v{s} \\H{o} \\c{c} \\k{a} \\r{a} \\d{a} \\b{a} \\t{oo}",
    "accents_braced.tex": "{\\'e} \\'{e} {\\'{e}} \\'{\\i} {\\\"\\i} \\c c \\v{}",
    "special_letters.tex": "\\ss \\o \\O \\aa \\AA \\ae \\AE \\oe \\OE \\l \\L \\i \\j \\ss{} {\\ss}tra{\\ss}e",
    "escapes.tex": "\\& \\% \\$ \\# \\_ \\{ \\} \\textbackslash \\\\ ~ -- --- `` '' ` ' \\ldots \\dots",
    "emphasis.tex": "\\emph{a \\textbf{b \\textit{c}}} {\\em d} {\\bf e} {\\it f} \\textsc{g} \\texttt{h} \\textsuperscript{i} \\textsubscript{j}",
    "math.tex": "$x^2$ $$E=mc^2$$ \\(a_b\\) \\[\\sum_i\\] $\\alpha$ $ unclosed",
    "math_markers.tex": "$\\emph{x}$ \\(\\url{http://a}\\) $a$$b$ $$$",
    "unbalanced_open.tex": "{{{\\emph{a",
    "unbalanced_close.tex": "}}a}\\emph}b}}",
    "url_href.tex": "\\url{http://example.com/a_b%20c} \\href{https://x.org}{\\emph{text}} \\href{javascript:alert(1)}{x}",
    "url_broken.tex": "\\url{ \\url \\href{a} \\href{}{} \\url{\\emph{x}} \\href{\\url{a}}{\\href{b}{c}}",
    "invalid_utf8.tex": b"\xff\xfe \xc3\x28 \xe2\x82 \xf0\x9f\x98 \xed\xa0\x80 \xc0\xaf",
    "nul_bytes.tex": b"a\x00b\\'\x00e{\x00}",
    "markers_in_input.tex": b"\x01\x02\x05\x16\x17\x18 x \x0e\x0f",
    "control_words.tex": "\\relax \\foo{bar} \\newline \\par \\\\[2pt] \\noindent \\mbox{a b} \\hspace{1em} \\unknown",
    "backslash_end.tex": "trailing backslash \\",
    "accent_end.tex": "\\'",
    "combining.tex": "e\u0301 A\u030a \u212b \ufb01 \U0001f600 \u00a0\u2009",
    "quotes_dashes.tex": "``quoted'' ,,low`` \"a\" -- --- ---- - ~~ ~",
    "dag_marks.tex": "\\dag \\ddag \\textdagger \\textdaggerdbl \\S \\P \\copyright \\textregistered",
    "nested_groups.tex": "{\\bf {\\it {\\sc {\\tt x}}}} \\emph{\\emph{\\emph{y}}}",
    "percent_comment.tex": "a % comment\nb \\% c",
    "siunitx.tex": "\\SI{3}{\\kilo\\metre\\per\\second} \\qty{5}{GB} \\si{\\square\\metre\\tothe{3}} \\num{1e-3} \\num{1e99999999999} \\ang{1;2;3} \\SIrange[range-phrase=--,range-units=single]{1}{5}{\\kelvin} \\SIlist{1;2;3}{\\metre} \\numproduct{1 x 2} \\SI{1}{\\furlong}",
    "siunitx_broken.tex": "\\SI{ \\SI[ \\si \\num{} \\SI{}{} \\SI{1}{\\SI{2}{m}} \\numlist{;;} \\SI{1}{^} \\SI{1}{m^{",
    "chem.tex": "\\ch{H2O} \\ce{SO4^2-} \\ch{^{8}Li} \\ch{Li_{1-x}} \\ch{A -> B <=> C} \\ch{LiCl . 7 D2O} \\ch{$\\beta$-LiGa} \\ch{{\\emph{R}}NiO3} \\ch{a<b} \\ch{",
    "ifmmode.tex": "Dra\\ifmmode \\check{s}\\else \\v{s}\\fi{}ar $\\ifmmode a\\else b\\fi$ \\ifmmode x \\ifmmode \\else \\fi \\textmu\\textohm\\textcelsius\\textalpha\\textOmega",
}

QUERIES = [
    "@article[year>=2020]", "@*[selected=true]", "!@misc", "@inproceedings[author~=Oh || note=award], @article",
    "@*[author~=Oh, year!=2021]", "@*[key=a2024]", "@*[note]", "@*[selected=true]*", '@*[title!~"^[A-Z]"]',
    '@*[title="alpha"]', "@*[title^=G || title~=^Z]", "@*[year<2021]", "@*[year>2021 && month=May]",
    "@article, @phdthesis", "@entry[title=\u00c9ta]", "@*[=1]", "@*[title~=(]", "@*[year 2020]",
    "@article[year>=2020", "", " ", "[", "@", "@*", "@*[", "!", "!!@article", "@*[a=b]]",
    "@*[title~=(a+)+$]", "@*[title~=(a|aa)*b]", "@*[title~=\\(]", '@*[title="unterminated]',
    "@*[year>=99999999999999999999]", "@*[year>-1 && year<=2024 || month!=jan]",
    "@*[" + " && ".join(f"f{i}=v" for i in range(50)) + "]", ",".join(["@article"] * 50),
    "year:desc,month:desc,title", "-year,author,key,type,abbr", "year,type", "none", "type",
    "article,inproceedings,misc", "@*[author~=\u00d6zkan]", "@*[title~=[[:alpha:]]{2,}]",
    "@*[title~=\\1]", "@*[title~=(.*)\\1]",
]


def main():
    # fixed crash inputs (regression-*) stay; everything else is regenerated
    for dp, _, fs in os.walk(OUT):
        for x in fs:
            if not x.startswith("regression-"):
                os.remove(os.path.join(dp, x))
    bibs = {}
    for d in (os.path.join(ROOT, "data"), SHARED):
        for f in sorted(os.listdir(d)):
            if f.endswith(".bib"):
                with open(os.path.join(d, f), encoding="utf-8", errors="surrogateescape") as fh:
                    bibs[f] = fh.read()

    # parse: every real .bib (large ones cut into a few pieces) + hostile seeds
    for f, text in bibs.items():
        pieces = chunks(text, MAX_BIB)
        for i, p in enumerate(pieces[:2]):
            name = f if len(pieces) == 1 else f.replace(".bib", f"-part{i + 1}.bib")
            write("parse", name, p.encode("utf-8", "surrogateescape"))
    for f, data in HOSTILE_BIB.items():
        write("parse", f, data)

    # render: option byte + .bib (each real file once, cycling the options)
    for n, (f, text) in enumerate(bibs.items()):
        opt = bytes([[0x00, 0x03, 0x05, 0x0a, 0x12, 0x1f][n % 6]])
        write("render", f, opt + chunks(text, MAX_BIB)[0].encode("utf-8", "surrogateescape"))
    for n, (f, data) in enumerate(HOSTILE_BIB.items()):
        if isinstance(data, str):
            data = data.encode("utf-8")
        write("render", f, bytes([[0x1f, 0x02, 0x0d, 0x14][n % 4]]) + data)

    # names: the author/editor values of the real files + hostile lists
    seen = set()
    for f, text in bibs.items():
        for i, v in enumerate(name_fields(text)):
            if v in seen:
                continue
            seen.add(v)
            write("names", f"{f[:-4]}-{i:03d}.txt", v.encode("utf-8", "surrogateescape"))
    for f, data in HOSTILE_NAMES.items():
        write("names", f, data)

    # latex: hand-written strings + the titles of the real files
    for f, data in HOSTILE_LATEX.items():
        write("latex", f, data)
    n = 0
    for f, text in bibs.items():
        for m in re.finditer(r"(?im)^\s*(title|booktitle|journal|note|annotation)\s*=\s*\{(.*)\},?\s*$", text):
            if "\\" in m.group(2) or "$" in m.group(2):
                write("latex", f"{f[:-4]}-{n:03d}.tex", m.group(2).encode("utf-8", "surrogateescape"))
                n += 1

    # query: the query alone (built-in bibliography), or query NUL bib
    for i, q in enumerate(QUERIES):
        write("query", f"query-{i:03d}.txt", q)
    write("query", "with-bib-pubs.bin", b"@*[selected=true] || @article[year>=2023]\x00" + bibs["pubs.bib"].encode())
    write("query", "with-bib-hostile.bin", b"@*[author~=Oh]\x00" + HOSTILE_BIB["marks_annotations.bib"].encode())

    # template: the Mustache spec's templates with their data (TEMPLATE NUL JSON)
    # plus templates using the partials of fuzz_template.c
    import json
    n = 0
    for f in sorted(os.listdir(SPEC)) if os.path.isdir(SPEC) else []:
        if f.endswith(".json"):
            for t in json.load(open(os.path.join(SPEC, f), encoding="utf-8"))["tests"]:
                data = json.dumps(t.get("data", {})).encode()
                write("template", f"spec-{f[:-5]}-{n:03d}.bin", t["template"].encode() + b"\x00" + data)
                n += 1
    for i, tpl in enumerate([
        "{{title}} {{{title}}} {{&title}} {{year}} {{real}} {{yes}} {{nothing}} {{obj.inner.deep}}",
        "{{#authors}}{{name}}{{#me}}!{{/me}}{{^marks}}-{{/marks}}{{/authors}}{{^none}}none{{/none}}",
        "{{>q}}{{>self}}{{>p}}{{>bad}}{{>missing}}", "{{=<% %>=}}<% title %><%={{ }}=%>{{title}}",
        "{{! comment }}{{#list}}{{.}}{{#name}}{{name}}{{/name}}{{/list}}", "{{#unclosed}}", "{{/closed}}",
        "{{", "}}", "{{{title}}", "{{=a b=}}", "{{#a}}{{/b}}", "{{#" * 150 + "x" + "}}" * 150,
        "\u00e9\u4e2d{{title}}\n  {{#list}}\n  {{.}}\n  {{/list}}\n"]):
        write("template", f"template-{i:03d}.txt", tpl)

    total = sum(os.path.getsize(os.path.join(dp, x)) for dp, _, fs in os.walk(OUT) for x in fs)
    count = sum(len(fs) for _, _, fs in os.walk(OUT))
    print(f"{count} files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
