/* fuzz_query.c - the input is "QUERY" or "QUERY\0BIB": a jekyll-scholar
 * query (pr_query_parse, pr_query_match on every entry) and, since the same
 * little languages configure the renderer, the same text as sort keys,
 * grouping and type order, then a render. BIB defaults to a small built-in
 * bibliography with every kind of field a query can test.
 *
 * Checked: no crash, no leak; a refused query reports a column inside the
 * text (or one past its end); pr_query_parse and pr_options_set_query agree
 * on what is valid; the output is valid UTF-8 without NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "fuzz_util.h"

static const char builtin_bib[] =
    "@string{conf = {Conference on Things}}\n"
    "@article{a2024, author = {Oh, Byungsoo and Um*, Taegeon and others}, title = {Alpha},\n"
    "  journal = {J. Things}, year = 2024, month = mar, selected = {true}, note = {award}}\n"
    "@inproceedings{b2020, author = {B. Oh and C. D{\\\"u}rr}, title = {Beta: {GPU}s},\n"
    "  booktitle = conf, year = {2020}, abbr = {ATC}, pdf = {b.pdf}, keywords = {x, y}}\n"
    "@misc{c, title = {Gamma}, howpublished = {arXiv}, eprint = {2101.00001}}\n"
    "@phdthesis{d1999, author = {von Neumann, Jr, John}, title = {Delta}, school = {MIT},\n"
    "  year = 1999, month = {12}}\n"
    "@book{e, editor = {E. Editor}, title = {Epsilon}, publisher = {P}, year = {2O24}}\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *query = fuzz_cstr(data, size);
  if (!query) return 0;
  size_t qlen = strlen(query);
  const char *bibtext = builtin_bib;
  size_t biblen = sizeof builtin_bib - 1;
  if (qlen < size) { /* a NUL: the rest is the bibliography */
    bibtext = (const char *)data + qlen + 1;
    biblen = size - qlen - 1;
  }

  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  if (!bib || !o) goto done;
  pr_bib_add_buffer(bib, bibtext, biblen, "query.bib", NULL);

  pr_error err;
  pr_query *q = NULL;
  pr_status st = pr_query_parse(query, &q, &err);
  if (st == PR_OK) {
    for (size_t i = 0; i < pr_bib_count(bib); i++) {
      int m = pr_query_match(q, pr_bib_entry(bib, i));
      if (m != 0 && m != 1) FUZZ_FAIL("pr_query_match returned %d", m);
    }
    pr_query_free(q);
  } else {
    if (q) FUZZ_FAIL("pr_query_parse failed (%d) but returned a query", (int)st);
    if (err.column > qlen + 1) FUZZ_FAIL("query error column %u past the text (%zu bytes)", err.column, qlen);
    fuzz_check_text("query error message", err.message, strlen(err.message));
  }
  if (pr_bib_count(bib) && pr_query_match(NULL, pr_bib_entry(bib, 0)) != 1)
    FUZZ_FAIL("a NULL query does not match");

  pr_status st2 = pr_options_set_query(o, query, &err);
  if ((st == PR_OK) != (st2 == PR_OK))
    FUZZ_FAIL("pr_query_parse says %d, pr_options_set_query says %d", (int)st, (int)st2);
  pr_options_set_sort(o, query, NULL);
  pr_options_set_group_by(o, query, NULL);
  pr_options_set_type_order(o, query);
  pr_options_set_type_name(o, "article", query);
  pr_options_set_numbering(o, (int)(size & 1), (int)(size & 2));

  static const pr_format formats[] = {PR_FORMAT_HTML, PR_FORMAT_MARKDOWN, PR_FORMAT_JSON};
  for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
    char *out = NULL;
    size_t n = 0;
    pr_options_set_format(o, formats[i]);
    if (pr_render_string(bib, o, &out, &n, NULL, NULL) == PR_OK) fuzz_check_text("rendered output", out, n);
    pr_free(out);
  }
done:
  pr_options_free(o);
  pr_bib_free(bib);
  free(query);
  return 0;
}
