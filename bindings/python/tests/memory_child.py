"""memory_child.py MODE N: the resident set growth (KB) over N rounds after a
warm-up, printed as one integer. MODE "free": parse + render + display model
through the package (everything freed); "keep": the same .bib parsed through
the C functions and never freed (what a leak of the bibliography would be),
so the test knows the measurement sees one."""
import os
import sys

import pubrender
from pubrender._lib import lib

PATH = os.path.join(os.environ["PUBRENDER_ROOT"], "tests", "corpus", "alfolio-site.bib")
mode, n = sys.argv[1], int(sys.argv[2])


def rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def one_free() -> None:
    with pubrender.parse(PATH) as bib:
        pubrender.render(bib, highlight="Ines Varga")
        pubrender.display_model(bib, highlight="Ines Varga")
        bib.entries[0].text("title")
    try:
        pubrender.parse("/nonexistent/x.bib")
    except pubrender.Error:
        pass


kept = []


def one_keep() -> None:
    b = lib.pr_bib_new()
    lib.pr_bib_add_file(b, PATH.encode(), None)
    kept.append(b)


one = one_free if mode == "free" else one_keep
for _ in range(100):
    one_free()
before = rss_kb()
for _ in range(n):
    one()
print(rss_kb() - before)
