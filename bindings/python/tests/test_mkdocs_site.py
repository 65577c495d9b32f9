"""A real `mkdocs build` (Debian's mkdocs) of tests/mkdocs-site with the
pubrender plugin, found through its entry point: a pubrender .dist-info
(METADATA + the entry_points.txt that pyproject.toml declares) in a temporary
directory on PYTHONPATH next to bindings/python/src, as an installed package
would have it. The generated page holds the CLI's fragment for the same
options at each marker, with the owner, marks, co-author and other links."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, cli

SITE = os.path.join(ROOT, "bindings", "python", "tests", "mkdocs-site")
SRC = os.path.join(ROOT, "bindings", "python", "src")


def entry_point() -> str:
    """The mkdocs.plugins entry point as pyproject.toml declares it."""
    text = open(os.path.join(ROOT, "bindings", "python", "pyproject.toml"),
                encoding="utf-8").read()
    m = re.search(r'\[project\.entry-points\."mkdocs\.plugins"\]\n(pubrender = "[^"]+")', text)
    assert m, "pyproject.toml declares the mkdocs.plugins entry point"
    return m.group(1).replace('"', "")


@pytest.fixture
def site(tmp_path):
    import pubrender
    dist = tmp_path / "path" / ("pubrender-%s.dist-info" % pubrender.__version__)
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pubrender\nVersion: %s\n"
                                   % pubrender.__version__, encoding="utf-8")
    (dist / "entry_points.txt").write_text("[mkdocs.plugins]\n%s\n" % entry_point(),
                                           encoding="utf-8")
    shutil.copytree(SITE, tmp_path / "site")
    return tmp_path


def build(tmp, *extra):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp / "path"), SRC]))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f",
                           str(tmp / "site" / "mkdocs.yml"), "-d", str(tmp / "out")] + list(extra),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


def site_cli(*args):
    return cli(["--highlight", "Ana Rivera", "--venues", os.path.join(SITE, "venues.yml"),
                "--coauthors", os.path.join(SITE, "coauthors.yml")] + list(args)
               + [os.path.join(SITE, "papers.bib")])


def test_mkdocs_build_fills_the_markers(site):
    r = build(site, "--strict")
    assert r.returncode == 0, r.stderr
    page = (site / "out" / "publications" / "index.html").read_text(encoding="utf-8")
    # both markers replaced by the CLI's fragment for the same options, in order
    by_year = site_cli("--group-by", "year").strip()
    articles = site_cli("--query", "@article", "--id-prefix", "articles-").strip()
    assert page.index(by_year) < page.index("<h2 id=\"journal-articles\">") \
        < page.index(articles) < page.index("The end.")
    # what the page shows, read from the page
    ids = re.findall(r'<li class="pubrender-entry[^"]*" id="([^"]+)"', page)
    assert ids == ["pubrender-rivera2024static", "pubrender-lindqvist2023plugins",
                   "pubrender-nakamura2021notes", "articles-rivera2024static"]
    assert re.findall(r'<strong class="pubrender-me">([^<]+)</strong>', page) == [
        "Ana Rivera", "A. Rivera", "Ana Rivera", "Ana Rivera"]
    assert page.count('Per Lindqvist</span><sup class="pubrender-mark">*</sup>') == 2
    assert '<a class="pubrender-coauthor" href="https://example.org/people/nakamura">' \
           'Emi Nakamura</a>' in page
    links = re.findall(r'<a class="pubrender-link" href="([^"]+)">([^<]+)</a>', page)
    assert ("https://doi.org/10.5555/jsg.4.1", "DOI") in links
    assert ("https://arxiv.org/abs/2305.01234", "arXiv") in links
    assert ("https://example.org/notes", "URL") in links
    assert "Notes on Möbius Navigation" in page
    assert 'href="https://example.org/jsg" style="background-color: #00369f' in page
    # the marker shown in a code block stays as written (HTML-escaped by Markdown)
    shown = ('<code class="language-markdown">{{ pubrender &quot;papers.bib&quot; '
             'group_by=&quot;year&quot; }}\n</code>')
    assert page.count(shown) == 1
    # no other marker is left
    rest = page.replace(shown, "").replace("pubrender-", "").replace('class="pubrender"', "")
    assert "pubrender" not in rest and "PUBRENDERLIST" not in rest
    # a page without a marker is left alone
    home = (site / "out" / "index.html").read_text(encoding="utf-8")
    assert "A page without a publication list." in home and "pubrender-" not in home


def test_bib_warnings_go_to_the_log_and_strict_fails(site):
    bib = site / "site" / "papers.bib"
    bib.write_text(bib.read_text(encoding="utf-8")
                   + "\n@misc{extra2020, title = {Extra}, year = 2020, journal = nosuch}\n",
                   encoding="utf-8")
    line = bib.read_text(encoding="utf-8").split("\n").index(
        "@misc{extra2020, title = {Extra}, year = 2020, journal = nosuch}") + 1
    r = build(site)
    assert r.returncode == 0, r.stderr
    assert "WARNING" in r.stderr and "%s:%d: warning:" % (bib, line) in r.stderr
    assert "[undefined-macro]" in r.stderr
    # parsed once for the two markers: one warning, not two
    assert r.stderr.count("[undefined-macro]") == 1
    assert 'id="pubrender-extra2020"' in (site / "out" / "publications" / "index.html").read_text(
        encoding="utf-8")
    r = build(site, "--strict")
    assert r.returncode == 1 and "Aborted with 1 warnings in strict mode" in r.stdout + r.stderr


def test_errors_fail_the_build_with_the_place(site):
    page = site / "site" / "docs" / "publications.md"
    page.write_text('{{ pubrender "missing.bib" }}\n', encoding="utf-8")
    r = build(site)
    assert r.returncode == 1
    assert "pubrender: missing.bib not found beside the page, in docs_dir or beside mkdocs.yml" \
        in r.stderr
    page.write_text('{{ pubrender "papers.bib" query="@article[" }}\n', encoding="utf-8")
    r = build(site)
    assert r.returncode == 1
    assert "pubrender: publications.md: query:1:10: expected a field name at column 10" \
        in r.stderr
    page.write_text('{{ pubrender "papers.bib" colour="red" }}\n', encoding="utf-8")
    r = build(site)
    assert r.returncode == 1 and "pubrender: unknown option 'colour=red'" in r.stderr
