"""ffi_cffi.py HEADER.i LIBPUBRENDER.so VERSION - pubrender.h as a Python
program sees it through cffi: the preprocessed header (PUBRENDER_ macros
empty) goes to ffi.cdef as it is, the library is dlopened, and the program
parses a small .bib, renders it (into a string and through a callback) and
reads diagnostics through the accessors only: no struct is laid out here."""
import sys

import cffi

header, so, version = sys.argv[1], sys.argv[2], sys.argv[3]
ffi = cffi.FFI()
ffi.cdef(open(header, encoding="utf-8").read())
lib = ffi.dlopen(so)
failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)


def s(p):
    return None if p == ffi.NULL else ffi.string(p).decode("utf-8")


check(s(lib.pr_version_string()) == version, "pr_version_string is " + version)

bib = lib.pr_bib_new()
err = lib.pr_error_new()
data = (b"@misc{k1, title = {Caf{\\'e}}, year = 2020, journal = nosuch}\n"
        b"@misc{u1, title = {U}, year = 2019, url = {javascript:alert(1)}}\n")
check(lib.pr_bib_add_buffer(bib, data, len(data), b"ffi.bib", err) == lib.PR_OK, "parse")
check(lib.pr_bib_count(bib) == 2, "two entries")
check(lib.pr_bib_diag_count(bib) == 1, "one parse diagnostic")
d = lib.pr_bib_diag(bib, 0)
check(s(lib.pr_diag_code(d)) == "undefined-macro", "code undefined-macro")
check(s(lib.pr_diag_key(d)) == "k1", "key k1")
check(s(lib.pr_diag_field(d)) == "journal", "field journal")
check(s(lib.pr_diag_file(d)) == "ffi.bib" and lib.pr_diag_line(d) == 1, "ffi.bib:1")
check(lib.pr_diag_severity(d) == lib.PR_WARNING, "a warning")
check(s(lib.pr_entry_field_text(lib.pr_bib_find(bib, b"k1"), b"title")) == "Café",
      "the title as text")

o = lib.pr_options_new()
rep = lib.pr_report_new()
out, n = ffi.new("char **"), ffi.new("size_t *")
check(lib.pr_render_string(bib, o, out, n, rep, err) == lib.PR_OK, "pr_render_string")
html = ffi.buffer(out[0], n[0])[:]
lib.pr_free(out[0])
check(b"Caf\xc3\xa9" in html and b"javascript" not in html, "the HTML")
check(lib.pr_report_diag_count(rep) == 1, "one render finding")
r = lib.pr_report_diag(rep, 0)
check(s(lib.pr_diag_code(r)) == "unsafe-url" and s(lib.pr_diag_key(r)) == "u1" and
      s(lib.pr_diag_field(r)) == "url", "unsafe-url u1 url")
check(lib.pr_bib_diag_count(bib) == 1, "the render added nothing to the bib")

pieces = []


@ffi.callback("int(const char *, size_t, void *)")
def sink(p, size, ctx):
    pieces.append(ffi.buffer(p, size)[:])
    return 0


check(lib.pr_render(bib, o, sink, ffi.NULL, ffi.NULL, err) == lib.PR_OK, "pr_render")
check(b"".join(pieces) == html, "the callback gets the same bytes")

# one entry, through an array of entry pointers
pieces.clear()
v = ffi.new("const pr_entry *[]", [lib.pr_bib_find(bib, b"k1")])
check(lib.pr_render_entries(bib, o, v, 1, sink, ffi.NULL, ffi.NULL, err) == lib.PR_OK,
      "pr_render_entries")
one = b"".join(pieces)
check(b"Caf\xc3\xa9" in one and b"pubrender-u1" not in one, "only k1")

# an error read through the getters
check(lib.pr_bib_add_file(bib, b"/nonexistent/x.bib", err) == lib.PR_ERR_IO, "missing file")
check(lib.pr_error_code(err) == lib.PR_ERR_IO and
      s(lib.pr_error_source(err)) == "/nonexistent/x.bib", "the error's code and source")

lib.pr_report_free(rep)
lib.pr_options_free(o)
lib.pr_error_free(err)
lib.pr_bib_free(bib)
print("cffi: %s" % ("ok" if not failures else "%d failed" % failures))
sys.exit(1 if failures else 0)
