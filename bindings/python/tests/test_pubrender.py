"""The pubrender package on the built library: values read back from the
corpus files, the output compared with the CLI's, errors, warnings, memory."""
import json
import os
import re
import subprocess
import sys
import warnings

import pytest

import pubrender
from conftest import ALFOLIO, COAUTHORS, PUBS, ROOT, VENUES, cli


# ---- loading ---------------------------------------------------------------

def test_version_matches_the_c_project_and_pyproject():
    cmake = open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8").read()
    want = re.search(r"project\(pubrender VERSION ([0-9.]+)", cmake).group(1)
    pyproject = open(os.path.join(ROOT, "bindings", "python", "pyproject.toml"),
                     encoding="utf-8").read()
    assert re.search(r'^version = "([0-9.]+)"', pyproject, re.M).group(1) == want
    assert pubrender.__version__ == want
    assert pubrender.library_version == want
    assert os.path.samefile(pubrender.library_path, os.environ["PUBRENDER_LIB"])


def _import_in_child(env_lib, code="import pubrender; print(pubrender.library_path)"):
    env = dict(os.environ, PUBRENDER_LIB=env_lib)
    return subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)


def test_without_pubrender_lib_the_build_tree_is_used_first():
    env = {k: v for k, v in os.environ.items() if k != "PUBRENDER_LIB"}
    code = "import pubrender, pubrender._lib as l; print(pubrender.library_path); print(l.candidates())"
    r = subprocess.run([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode == 1 and "this package needs" in r.stderr:
        pytest.skip("the checkout's first build tree holds another version: " + r.stderr)
    assert r.returncode == 0, r.stderr
    path, cands = r.stdout.split("\n")[:2]
    # build/ first, then build-*/ in order; a tree whose library does not
    # load (an older build without this version's functions) is passed over
    trees = ["build"] + sorted(d for d in os.listdir(ROOT) if d.startswith("build-"))
    libs = [os.path.join(ROOT, d, "libpubrender.so") for d in trees
            if os.path.exists(os.path.join(ROOT, d, "libpubrender.so"))]
    assert path in libs
    assert cands.startswith("[%r" % libs[0])


def test_a_missing_library_is_a_clear_import_error(tmp_path):
    r = _import_in_child(str(tmp_path / "libnothere.so"))
    assert r.returncode == 1
    assert "ImportError: pubrender: cannot load libpubrender: %s" % (tmp_path / "libnothere.so") \
        in r.stderr


def test_another_library_is_not_taken_for_pubrender():
    libc = "libc.so.6"
    r = _import_in_child(libc)
    assert r.returncode == 1
    assert "libc.so.6: not a libpubrender" in r.stderr


def test_a_library_of_another_version_is_refused(tmp_path):
    # a copy of the package that expects another version, on the same library
    import shutil
    pkg = tmp_path / "pubrender"
    shutil.copytree(os.path.join(ROOT, "bindings", "python", "src", "pubrender"), pkg)
    lib = pkg / "_lib.py"
    lib.write_text(lib.read_text(encoding="utf-8").replace(
        'EXPECTED_VERSION = "', 'EXPECTED_VERSION = "9.', 1), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    r = subprocess.run([sys.executable, "-c", "import pubrender"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    assert r.returncode == 1
    v = pubrender.library_version
    assert ("ImportError: pubrender: %s is libpubrender %s, this package needs 9.%s"
            % (os.environ["PUBRENDER_LIB"], v, v)) in r.stderr


# ---- parsing ---------------------------------------------------------------

def test_alfolio_entries_fields_and_names():
    bib = pubrender.parse(ALFOLIO)
    assert [e.key for e in bib] == ["varga2019tides", "varga2021currents", "okafor2022mixing",
                                    "Varga.PRL.2023", "sato2024sensing", "varga2025preprint",
                                    "varga2018thesis", "einstein2020old"]
    assert bib.diagnostics == []
    e = bib["varga.prl.2023"]          # keys compare case-insensitively
    assert (e.key, e.id, e.type, e.year, e.month) == ("Varga.PRL.2023", "Varga.PRL.2023",
                                                      "article", 2023, 5)
    lines = open(ALFOLIO, encoding="utf-8").read().split("\n")
    assert (e.file, e.line) == (ALFOLIO, lines.index("@article{Varga.PRL.2023,") + 1)
    # raw values: the @string expanded, LaTeX kept
    assert e.fields["publisher"] == "Lakeside Physical Society,"
    assert e.fields["journal"] == "Lake Phys. Lett.,"
    assert e.fields["doi"] == "10.5555/LPL.47.777"
    assert e.fields["author"] == 'Varga*†, I. and Okafor*, C. and Sato, Hiroshi and Dubois, Ana{\\"i}s'
    assert e.text("author") == "Varga*†, I. and Okafor*, C. and Sato, Hiroshi and Dubois, Anaïs"
    assert e.text("nosuchfield") is None
    assert [(n.first, n.last, n.marks, n.display) for n in e.authors] == [
        ("I.", "Varga", "*†", "I. Varga"), ("C.", "Okafor", "*", "C. Okafor"),
        ("Hiroshi", "Sato", "", "Hiroshi Sato"), ("Anaïs", "Dubois", "", "Anaïs Dubois")]
    s = bib["sato2024sensing"]
    assert s.text("title") == "Sensing CO\\(_2\\) Flux at the Water’s Edge"
    assert [(n.display, n.others) for n in s.names["author"]] == [
        ("Hiroshi Sato", False), ("Ines Varga", False), ("et al.", True)]
    assert "sato2024sensing" in bib and "nosuch" not in bib
    with pytest.raises(KeyError):
        bib["nosuch"]


def test_pubs_macros_and_marks():
    bib = pubrender.parse(PUBS)
    text = open(PUBS, encoding="utf-8").read()
    assert len(bib) == len(re.findall(r"^@(?!string)\w+\{", text, re.M)) == 6
    assert bib.diagnostics == []
    metis = bib["um2024metis"]
    assert metis.fields["booktitle"] == "USENIX Annual Technical Conference (USENIX ATC)"
    assert metis.text("title") == "Metis: Fast Automatic Distributed Training on Heterogeneous GPUs"
    assert [(n.last, n.marks) for n in metis.authors[:4]] == [
        ("Um", "*"), ("Oh", "*"), ("Kang", "*"), ("Lee", "")]
    assert len(metis.authors) == 9


NAME_PARTS = ("first", "von", "last", "jr", "display", "marks", "others")


@pytest.mark.parametrize("path", [ALFOLIO, PUBS])
def test_every_entry_equals_the_cli_json_records(path):
    bib = pubrender.parse(path)
    records = json.loads(cli(["-f", "json", path]))
    by_id = {e.id: e for e in bib}
    assert sorted(by_id) == sorted(r["id"] for r in records)
    for r in records:
        e = by_id[r["id"]]
        assert (e.key, e.type, e.file, e.line, e.year, e.month) == (
            r["key"], r["type"], r["file"], r["line"], r.get("year") or 0, r.get("month") or 0)
        assert e.fields == {k: v["raw"] for k, v in r["fields"].items()}
        assert {k: e.text(k) for k in e.fields} == {k: v["text"] for k, v in r["fields"].items()}
        for field, names in e.names.items():
            assert [tuple(getattr(n, p) for p in NAME_PARTS) for n in names] == [
                tuple(x[p] for p in NAME_PARTS) for x in r.get(field, [])]


def test_text_input_name_and_diagnostics():
    bib = pubrender.parse("@misc{k1, title = {Caf{\\'e}}, year = 2020, journal = nosuch}\n"
                          "@misc{k1, title = {Other}, year = 2021}\n", name="mem.bib")
    assert [(e.key, e.id) for e in bib] == [("k1", "k1"), ("k1", "k1-2")]
    assert bib["k1"].text("title") == "Café"
    codes = [(d.severity, d.code, d.file, d.line, d.key, d.field) for d in bib.diagnostics]
    assert codes == [("warning", "undefined-macro", "mem.bib", 1, "k1", "journal"),
                     ("warning", "duplicate-key", "mem.bib", 2, "k1", None)]
    assert str(bib.diagnostics[0]).startswith("mem.bib:1: warning: ")
    assert bib.errors == []


def test_entry_errors_are_diagnostics_and_the_rest_is_kept():
    bib = pubrender.parse("@misc{ok, title={A}}\n@misc{bad, title={B}\n@misc{ok2, title={C}}\n")
    assert [d.severity for d in bib.errors] == ["error"]
    assert bib.errors[0].file == "<buffer>"
    assert "ok" in bib


def test_warnings_true_gives_python_warnings():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        pubrender.parse("@misc{k, title={T}, journal = nosuch}\n", name="w.bib", warnings=True)
    assert [(x.category, str(x.message).split(": ")[0]) for x in w] == [
        (pubrender.PubrenderWarning, "w.bib:1")]
    assert "[undefined-macro]" in str(w[0].message)
    assert w[0].filename == __file__   # points at the caller


def test_a_missing_file_raises_error_with_its_path():
    with pytest.raises(pubrender.Error) as ei:
        pubrender.parse("/nonexistent/x.bib")
    e = ei.value
    assert (e.code, e.status, e.file) == ("PR_ERR_IO", 2, "/nonexistent/x.bib")
    assert e.message == "cannot open: No such file or directory"
    assert str(e) == "/nonexistent/x.bib: cannot open: No such file or directory"


def test_a_closed_bibliography_refuses_use():
    bib = pubrender.parse(PUBS)
    e = bib.entries[0]
    bib.close()
    bib.close()
    with pytest.raises(ValueError):
        pubrender.render(bib)
    with pytest.raises(ValueError):
        e.text("title")


# ---- rendering -------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "markdown", "json", "csl-json", "view-json"])
def test_render_equals_the_cli(fmt):
    bib = pubrender.parse(ALFOLIO)
    out = pubrender.render(bib, fmt, highlight=["Ines Varga"], group_by="year", max_authors=3,
                           venues=VENUES, coauthors=COAUTHORS)
    assert out == cli(["-f", fmt, "--highlight", "Ines Varga", "--group-by", "year",
                       "--max-authors", "3", "--venues", VENUES, "--coauthors", COAUTHORS,
                       ALFOLIO])
    assert out.diagnostics == []


def test_render_query_sort_and_owner():
    bib = pubrender.parse(PUBS)
    html = pubrender.render(bib, highlight="Byungsoo Oh", query="@inproceedings[year>=2023]",
                            sort="year")
    ids = re.findall(r'id="pubrender-([^"]+)"', html)
    want = [e.id for e in sorted((e for e in bib if e.type == "inproceedings" and e.year >= 2023),
                                 key=lambda e: e.year)]
    assert ids == want and len(ids) >= 2
    assert html.count('<strong class="pubrender-me">') == len(ids)
    assert html == cli(["--highlight", "Byungsoo Oh", "--query", "@inproceedings[year>=2023]",
                        "--sort", "year", PUBS])


def test_render_entries_exactly_those_in_that_order():
    bib = pubrender.parse(ALFOLIO)
    md = pubrender.render(bib, "markdown", entries=["einstein2020old", "varga2019tides"])
    assert re.findall(r"^\d+\.\s+(?:\\\[\w+\\\] )?\*\*(.*?)\*\*", md, re.M) == [
        "Of Lakes and Light", "Tides of the Inner Lakes: A Field Guide"]
    assert pubrender.render(bib, "json", entries=[]) == "[]\n"
    with pytest.raises(KeyError):
        pubrender.render(bib, entries=["nosuch"])


def test_render_report_diagnostics_and_warnings():
    bib = pubrender.parse("@misc{u1, title = {U}, year = 2019, url = {javascript:alert(1)}}\n",
                          name="u.bib")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        html = pubrender.render(bib, warnings=True)
    assert "javascript" not in html
    assert [(d.code, d.key, d.field, d.file, d.line) for d in html.diagnostics] == [
        ("unsafe-url", "u1", "url", "u.bib", 1)]
    assert len(w) == 1 and "[unsafe-url]" in str(w[0].message)
    assert bib.diagnostics == []   # a render adds nothing to the bib


def test_render_errors_carry_the_position():
    bib = pubrender.parse(PUBS)
    with pytest.raises(pubrender.Error) as ei:
        pubrender.render(bib, query="@article[")
    assert (ei.value.code, ei.value.column) == ("PR_ERR_ARG", 10)
    with pytest.raises(pubrender.Error) as ei:
        pubrender.render(bib, venues="/nonexistent/venues.yml")
    assert (ei.value.code, ei.value.file) == ("PR_ERR_IO", "/nonexistent/venues.yml")
    with pytest.raises(ValueError):
        pubrender.render(bib, "pdf")


def test_render_with_a_config_file(tmp_path):
    cfg = tmp_path / "pubrender.yml"
    cfg.write_text("highlight: Ines Varga\ngroup-by: type\n", encoding="utf-8")
    bib = pubrender.parse(ALFOLIO)
    html = pubrender.render(bib, config=cfg)
    assert html == cli(["--config", str(cfg), ALFOLIO])
    assert re.findall(r'<h2 class="pubrender-group[^"]*">([^<]+)</h2>', html) == [
        "Journal Articles", "Conference Papers", "Books", "Theses", "Other"]
    assert '<strong class="pubrender-me">Ines Varga</strong>' in html
    # an argument wins over the configuration file
    flat = pubrender.render(bib, config=cfg, group_by="none")
    assert flat == cli(["--config", str(cfg), "--group-by", "none", ALFOLIO])
    assert "<h2" not in flat and '<strong class="pubrender-me">Ines Varga</strong>' in flat
    bad = tmp_path / "bad.yml"
    bad.write_text("highlight: A\nnosuchkey: 1\n", encoding="utf-8")
    with pytest.raises(pubrender.Error) as ei:
        pubrender.render(bib, config=bad)
    assert (ei.value.code, ei.value.file, ei.value.line, ei.value.column) == (
        "PR_ERR_INPUT", str(bad), 2, 1)


# ---- the display model -------------------------------------------------------

def test_display_model_agrees_with_view_json():
    bib = pubrender.parse(ALFOLIO)
    opts = dict(highlight=["Ines Varga"], group_by="year", max_authors=3, venues=VENUES,
                coauthors=COAUTHORS)
    groups = pubrender.display_model(bib, **opts)
    view = json.loads(pubrender.render(bib, "view-json", **opts))
    assert [g["heading"] for g in groups] == ["2025", "2024", "2023", "2022", "2021", "2020",
                                              "2019", "2018"]
    items = [it for g in groups for it in g["items"]]
    assert [it["key"] for it in items] == [e.key for e in sorted(bib, key=lambda e: -e.year)]
    prl = next(it for it in items if it["key"] == "Varga.PRL.2023")
    assert prl["id"] == "pubrender-Varga.PRL.2023" and prl["selected"] is True
    assert prl["year"] == "2023"
    assert prl["title"]["text"] == "Can a Thermocline Be Predicted from the Shore Alone?"
    assert prl["badge"] == {"text": "LPS", "url": "https://example.org/lps/", "color": None,
                            "text_color": None}
    assert [(a["text"], a["owner"], a["marks"], a["url"], a["hidden"]) for a in prl["authors"]] \
        == [("I. Varga", True, "*†", None, False),
            ("C. Okafor", False, "*", "https://example.org/people/okafor", False),
            ("Hiroshi Sato", False, "", "https://example.org/people/sato", False),
            ("Anaïs Dubois", False, "", None, True)]
    assert prl["more_authors"] == 1
    assert [l["label"] for l in prl["links"]][:3] == ["HTML", "PDF", "Supp"]
    assert {"label": "DOI", "url": "https://doi.org/10.5555/LPL.47.777"} in prl["links"]
    jlp = next(it for it in items if it["key"] == "okafor2022mixing")
    assert jlp["badge"]["color"] == "#00369f" and jlp["badge"]["text_color"] == "#fff"
    assert jlp["venue"]["html"] == "<em>Journal of Lake Physics</em>, vol. 12, no. 3, pp. 101–119, 2022"
    # each value equals the view-json's (the same model streamed)
    assert [g.get("heading") for g in view] == [g["heading"] for g in groups]
    assert [(g["level"], g["start"]) for g in view] == [(g["level"], g["start"]) for g in groups]
    for v, it in zip([v for g in view for v in g["items"]], items, strict=True):
        for k in ("key", "id", "number", "marker", "type", "year", "selected", "links",
                  "preview"):
            assert it[k] == v.get(k), k
        for k in ("title", "venue", "legend", "abstract", "award", "award_name",
                  "additional_info", "bibtex"):
            assert it[k] == ({"text": v[k], "html": v[k + "_html"]} if k in v else None), k
        assert it["badge"] == ({kk: v["badge"].get(kk) for kk in it["badge"]}
                               if "badge" in v else None)
        assert [(a["text"], a["html"], a["owner"], a["marks"], a["url"], a["hidden"], a["sep"])
                for a in it["authors"]] == [
            (a["name"], a["name_html"], a["owner"], a["marks"], a.get("url"), a["hidden"],
             a["sep"]) for a in v["authors"]]
        assert it["more_authors"] == v["more_count"]
    assert groups.diagnostics == []


# ---- @string scope (README "@string scope") ---------------------------------

def test_string_scope_shared_by_default_and_per_file(tmp_path):
    abbrev = tmp_path / "abbrev.bib"
    abbrev.write_text('@string{cr = "Crypto"}\n', encoding="utf-8")
    papers = tmp_path / "papers.bib"
    papers.write_text("@misc{p, note = cr # \" 2020\"}\n", encoding="utf-8")
    with pubrender.parse([abbrev, papers]) as bib:
        assert bib.string_scope == "shared"
        assert bib["p"].fields["note"] == "Crypto 2020"
        assert bib.diagnostics == []
    with pubrender.parse((str(abbrev), str(papers)), string_scope="file") as bib:
        assert bib["p"].fields["note"] == "cr 2020"
        assert [(d.code, d.file, d.line, d.key) for d in bib.diagnostics] == [
            ("undefined-macro", str(papers), 1, "p")]
    with pubrender.Bibliography() as bib:
        bib.add('@string{cr = "Crypto"}\n', name="a.bib")
        bib.string_scope = "file"
        bib.add("@misc{own, note = cr}\n", name="b.bib")
        bib.string_scope = "shared"
        diags = bib.add('@string{cr = "CRYPTO"}\n@misc{later, note = cr}\n', name="c.bib")
        assert bib["own"].fields["note"] == "cr"
        assert bib["later"].fields["note"] == "CRYPTO"
        assert [(d.code, d.file, d.line, d.key) for d in diags] == [
            ("macro-redefined", "c.bib", 1, "cr")]
        assert "a.bib:1" in diags[0].message
    with pytest.raises(ValueError):
        pubrender.parse("@misc{k}\n", string_scope="global")
