/* test_api_ffi.c - the parts of the API another language holds on to:
   - diagnostic codes, keys and fields, exact, for each kind of finding
     (parsing: on the bib; rendering: in the caller's report);
   - pr_render_entries: exactly the entries given, in that order, in one
     group numbered from 1; an entry of another bib is PR_ERR_ARG;
   - a report collects over several renders, each finding once, and lists
     the template files read;
   - pr_error through pr_error_new and its getters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "harness.h"

typedef struct { char *s; size_t n; } sbuf;
static int collect(const char *data, size_t len, void *ctx) {
  sbuf *b = ctx;
  char *p = realloc(b->s, b->n + len + 1);
  if (!p) return 1;
  memcpy(p + b->n, data, len);
  b->n += len;
  p[b->n] = '\0';
  b->s = p;
  return 0;
}

/* One finding expected: its code, key and field (NULL: none), severity and line. */
typedef struct {
  const char *code, *key, *field;
  pr_severity sev;
  unsigned line;
} want;

/* The diagnostic of d[0..n) with code and key (NULL key: any), or NULL. */
static const pr_diag *find(const pr_diag *const *d, size_t n, const char *code, const char *key) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(pr_diag_code(d[i]), code) == 0 &&
        (!key || (pr_diag_key(d[i]) && strcmp(pr_diag_key(d[i]), key) == 0)))
      return d[i];
  return NULL;
}

static void check_wants(const pr_diag *const *d, size_t n, const want *w, size_t nw) {
  CHECK_INT(n, nw); /* nothing more than the expected findings */
  for (size_t i = 0; i < nw; i++) {
    const pr_diag *x = find(d, n, w[i].code, w[i].key);
    if (!x) {
      printf("  no diagnostic %s for %s\n", w[i].code, w[i].key ? w[i].key : "(no key)");
      for (size_t k = 0; k < n; k++)
        printf("    have: %s %s %s: %s\n", pr_diag_code(d[k]),
               pr_diag_key(d[k]) ? pr_diag_key(d[k]) : "-",
               pr_diag_field(d[k]) ? pr_diag_field(d[k]) : "-", pr_diag_message(d[k]));
      CHECK(x != NULL);
      continue;
    }
    if (w[i].key) CHECK_STR(pr_diag_key(x), w[i].key);
    else CHECK(pr_diag_key(x) == NULL);
    if (w[i].field) CHECK_STR(pr_diag_field(x), w[i].field);
    else CHECK(pr_diag_field(x) == NULL);
    CHECK_INT(pr_diag_severity(x), w[i].sev);
    CHECK_INT(pr_diag_line(x), w[i].line);
    CHECK_INT(pr_diag_column(x), 0);
  }
}

static const char *codes_bib =
    "@misc{m1, title = {T}, journal = nosuch}\n"                        /* 1 */
    "@misc{r1, title = {A}, title = {B}}\n"                             /* 2 */
    "@misc{d1, title = {A}}\n"                                          /* 3 */
    "@misc{d1, title = {B}}\n"                                          /* 4 */
    "@misc{e1, title = {E}}\n"                                          /* 5 */
    "@misc{e1, title = {E}}\n"                                          /* 6 */
    "@inproceedings{c1, title = {C}, crossref = {nope}}\n"              /* 7 */
    "@misc{l1, title = {\\frobnicate{x}}}\n"                            /* 8 */
    "@misc{y1, title = {Y}, year = {Someday}}\n"                        /* 9 */
    "@misc{n1, title = {N}, author = {A, B, C, D}}\n"                   /* 10 */
    "@misc{a1, title = {An}, author = {Ann Lee}, author+an = {1=nomark}}\n" /* 11 */
    "@misc{s1, title = {S} junk}\n"                                     /* 12 */
    "@misc{u1, title = {U}, year = 2020, url = {javascript:alert(1)},\n" /* 13 */
    "  html = {www.example.org/u}}\n";                                  /* 14 */

static void test_codes(void) {
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(bib, codes_bib, strlen(codes_bib), "codes.bib", NULL), PR_OK);
  const char bad[] = "@misc{v1, title = {caf\xff}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, bad, sizeof bad - 1, "bad.bib", NULL), PR_OK);
  static const want parse[] = {
      {"undefined-macro", "m1", "journal", PR_WARNING, 1},
      {"repeated-field", "r1", "title", PR_WARNING, 2},
      {"duplicate-key", "d1", NULL, PR_WARNING, 4},
      {"repeated-entry", "e1", NULL, PR_WARNING, 6},
      {"crossref-not-found", "c1", "crossref", PR_WARNING, 7},
      {"unknown-latex-command", "l1", "title", PR_WARNING, 8},
      {"unknown-year-word", "y1", "year", PR_WARNING, 9},
      {"name-extra-commas", "n1", "author", PR_WARNING, 10},
      {"annotation-no-mark", "a1", "author+an", PR_WARNING, 11},
      {"syntax-error", "s1", NULL, PR_ERROR, 12},
      {"invalid-utf8", NULL, NULL, PR_ERROR, 1},
  };
  size_t n = pr_bib_diag_count(bib);
  const pr_diag **d = calloc(n + 1, sizeof *d);
  for (size_t i = 0; i < n; i++) d[i] = pr_bib_diag(bib, i);
  check_wants(d, n, parse, sizeof parse / sizeof *parse);
  CHECK_INT(pr_bib_error_count(bib), 2);
  const pr_diag *utf = find(d, n, "invalid-utf8", NULL);
  CHECK(utf && strcmp(pr_diag_file(utf), "bad.bib") == 0);
  free(d);

  /* rendering: HTML drops the javascript: link and guesses the scheme of
     the html link; CSL-JSON drops its URL in its own words */
  pr_options *o = pr_options_new();
  pr_report *rep = pr_report_new();
  sbuf out = {0};
  CHECK_INT(pr_render(bib, o, collect, &out, rep, NULL), PR_OK);
  static const want html[] = {
      {"unsafe-url", "u1", "url", PR_WARNING, 13},
      {"url-without-scheme", "u1", "html", PR_WARNING, 14},
  };
  n = pr_report_diag_count(rep);
  d = calloc(n + 1, sizeof *d);
  for (size_t i = 0; i < n; i++) d[i] = pr_report_diag(rep, i);
  check_wants(d, n, html, 2);
  free(d);
  CHECK_INT(pr_report_error_count(rep), 0);
  CHECK_INT(pr_report_file_count(rep), 0); /* built-in templates are no files */
  /* the same report again, then CSL-JSON (which drops the url too, saying
     the same, and keeps the html link out of CSL): each finding once */
  const pr_diag *first = pr_report_diag(rep, 0);
  CHECK_INT(pr_render(bib, o, collect, &out, rep, NULL), PR_OK);
  CHECK_INT(pr_report_diag_count(rep), 2);
  pr_options_set_format(o, PR_FORMAT_CSL_JSON);
  pr_report *csl = pr_report_new();
  CHECK_INT(pr_render(bib, o, collect, &out, csl, NULL), PR_OK);
  CHECK_INT(pr_report_diag_count(csl), 1);
  CHECK_STR(pr_diag_code(pr_report_diag(csl, 0)), "unsafe-url");
  CHECK_STR(pr_diag_key(pr_report_diag(csl, 0)), "u1");
  CHECK_STR(pr_diag_field(pr_report_diag(csl, 0)), "url");
  {
    const pr_diag *both[2] = {pr_report_diag(rep, 0), pr_report_diag(rep, 1)};
    const pr_diag *html_url = find(both, 2, "unsafe-url", "u1");
    CHECK(html_url && strcmp(pr_diag_message(pr_report_diag(csl, 0)),
                             pr_diag_message(html_url)) == 0);
  }
  pr_report_free(csl);
  CHECK_INT(pr_render(bib, o, collect, &out, rep, NULL), PR_OK);
  CHECK_INT(pr_report_diag_count(rep), 2);
  CHECK(pr_report_diag(rep, 0) == first);
  /* a template directory: the files read, each once, in the order read */
  pr_report *tr = pr_report_new();
  pr_options_set_format(o, PR_FORMAT_HTML);
  CHECK_INT(pr_options_set_template_dir(o, "templates", NULL), PR_OK);
  CHECK_INT(pr_render(bib, o, collect, &out, tr, NULL), PR_OK);
  CHECK_INT(pr_report_file_count(tr), 3);
  CHECK_STR(pr_report_file(tr, 0), "templates/html/list.mustache");
  CHECK_STR(pr_report_file(tr, 1), "templates/html/entry.mustache");
  CHECK_STR(pr_report_file(tr, 2), "templates/html/author.mustache"); /* its partial */
  CHECK(pr_report_file(tr, 3) == NULL);
  CHECK_INT(pr_report_diag_count(tr), 2);
  pr_report_free(tr);
  free(out.s);
  pr_report_free(rep);
  pr_options_free(o);
  pr_bib_free(bib);
}

static const char *three =
    "@article{a, title = {Alpha}, year = 2001, journal = {J}}\n"
    "@inproceedings{b, title = {Beta}, year = 2010, booktitle = {B}}\n"
    "@misc{c, title = {Gamma}, year = 2005}\n";

/* s between the first occurrences of from and to, or NULL */
static const char *at(const char *s, const char *what) { return s ? strstr(s, what) : NULL; }

static void test_render_entries(void) {
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(bib, three, strlen(three), "three.bib", NULL), PR_OK);
  const pr_entry *a = pr_bib_find(bib, "a"), *b = pr_bib_find(bib, "b"), *c = pr_bib_find(bib, "c");
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_group_by(o, "year", NULL), PR_OK);

  /* JSON: exactly the entries given, in that order, not newest first */
  pr_options_set_format(o, PR_FORMAT_JSON);
  const pr_entry *v[] = {a, c};
  sbuf out = {0};
  CHECK_INT(pr_render_entries(bib, o, v, 2, collect, &out, NULL, NULL), PR_OK);
  const char *ka = at(out.s, "\"key\": \"a\""), *kc = at(out.s, "\"key\": \"c\"");
  CHECK(ka && kc && ka < kc);
  CHECK(at(out.s, "\"key\": \"b\"") == NULL);
  free(out.s);

  /* HTML: one group without a heading though the options group by year,
     numbered from 1, b (the newest) after a as given */
  pr_options_set_format(o, PR_FORMAT_HTML);
  const pr_entry *w[] = {a, b};
  out = (sbuf){0};
  CHECK_INT(pr_render_entries(bib, o, w, 2, collect, &out, NULL, NULL), PR_OK);
  CHECK(at(out.s, "<h2") == NULL);
  CHECK(at(out.s, "Alpha") && at(out.s, "Beta") && at(out.s, "Alpha") < at(out.s, "Beta"));
  CHECK(at(out.s, "Gamma") == NULL);
  /* the same bytes as the whole list of a bib holding a and b in that
     order, rendered without grouping in file order */
  {
    pr_bib *two = pr_bib_new();
    const char *ab = "@article{a, title = {Alpha}, year = 2001, journal = {J}}\n"
                     "@inproceedings{b, title = {Beta}, year = 2010, booktitle = {B}}\n";
    CHECK_INT(pr_bib_add_buffer(two, ab, strlen(ab), "three.bib", NULL), PR_OK);
    pr_options *plain = pr_options_new();
    CHECK_INT(pr_options_set_sort(plain, "key", NULL), PR_OK);
    char *whole = NULL;
    CHECK_INT(pr_render_string(two, plain, &whole, NULL, NULL, NULL), PR_OK);
    CHECK_STR(out.s, whole);
    pr_free(whole);
    pr_options_free(plain);
    pr_bib_free(two);
  }
  free(out.s);

  /* one entry, as a {% cite %} tag would: numbered 1 */
  pr_options_set_format(o, PR_FORMAT_MARKDOWN);
  out = (sbuf){0};
  CHECK_INT(pr_render_entries(bib, o, &c, 1, collect, &out, NULL, NULL), PR_OK);
  CHECK(out.s && strncmp(out.s, "1. ", 3) == 0 && at(out.s, "Gamma") && !at(out.s, "Alpha"));
  free(out.s);

  /* none: the empty list, as a query matching nothing renders it */
  pr_options_set_format(o, PR_FORMAT_HTML);
  out = (sbuf){0};
  CHECK_INT(pr_render_entries(bib, o, NULL, 0, collect, &out, NULL, NULL), PR_OK);
  {
    pr_options *none = pr_options_new();
    CHECK_INT(pr_options_set_query(none, "@book", NULL), PR_OK);
    char *empty = NULL;
    CHECK_INT(pr_render_string(bib, none, &empty, NULL, NULL, NULL), PR_OK);
    CHECK_STR(out.s ? out.s : "", empty);
    pr_free(empty);
    pr_options_free(none);
  }
  free(out.s);

  /* an entry of another bibliography, or NULL: PR_ERR_ARG, nothing written */
  pr_bib *other = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(other, three, strlen(three), "three.bib", NULL), PR_OK);
  const pr_entry *mixed[] = {a, pr_bib_find(other, "b")};
  pr_error err;
  out = (sbuf){0};
  CHECK_INT(pr_render_entries(bib, o, mixed, 2, collect, &out, NULL, &err), PR_ERR_ARG);
  CHECK_INT(err.code, PR_ERR_ARG);
  CHECK_STR(err.message, "entry 2 of 2 is not an entry of this bibliography");
  CHECK(out.s == NULL);
  const pr_entry *with_null[] = {a, NULL};
  CHECK_INT(pr_render_entries(bib, o, with_null, 2, collect, &out, NULL, &err), PR_ERR_ARG);
  CHECK_STR(err.message, "entry 2 of 2 is NULL");
  pr_bib_free(other);

  /* a render of entries reports what it finds, like pr_render */
  const char *bad = "@misc{x, title = {X}, url = {javascript:1}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, bad, strlen(bad), "bad.bib", NULL), PR_OK);
  const pr_entry *x = pr_bib_find(bib, "x");
  pr_report *rep = pr_report_new();
  out = (sbuf){0};
  CHECK_INT(pr_render_entries(bib, o, &x, 1, collect, &out, rep, NULL), PR_OK);
  CHECK_INT(pr_report_diag_count(rep), 1);
  CHECK_STR(pr_diag_code(pr_report_diag(rep, 0)), "unsafe-url");
  CHECK_STR(pr_diag_key(pr_report_diag(rep, 0)), "x");
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_report_free(rep);
  free(out.s);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* pr_error without laying the struct out: pr_error_new and the getters. */
static void test_error_getters(void) {
  pr_error *e = pr_error_new();
  CHECK(e != NULL);
  CHECK_INT(pr_error_code(e), PR_OK);
  CHECK_STR(pr_error_message(e), "");
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_file(bib, "tests/no/such.bib", e), PR_ERR_IO);
  CHECK_INT(pr_error_code(e), PR_ERR_IO);
  CHECK_STR(pr_error_source(e), "tests/no/such.bib");
  CHECK_STR(pr_error_message(e), "cannot open: No such file or directory");
  CHECK_INT(pr_error_line(e), 0);
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_query(o, "@article[year>=", e), PR_ERR_ARG);
  CHECK_INT(pr_error_code(e), PR_ERR_ARG);
  CHECK(pr_error_column(e) > 0);
  pr_options_free(o);
  pr_bib_free(bib);
  pr_error_free(e);
}

int main(void) {
  test_codes();
  test_render_entries();
  test_error_getters();
  return tests_done();
}
