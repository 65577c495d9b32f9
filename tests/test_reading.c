/* test_reading.c - what reading a .bib keeps (issue 13): repeated keys and
   their ids, the id prefix, bare words, and the diagnostics' text. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render.h"

static pr_bib *parse(const char *text) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "r.bib", &err), PR_OK);
  return bib;
}

static const char *diag(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static char *render(pr_bib *bib, pr_format f, const char *prefix) {
  pr_options *o = pr_options_new();
  pr_options_set_format(o, f);
  if (prefix) CHECK_INT(pr_options_set_id_prefix(o, prefix), PR_OK);
  pr_options_set_sort(o, "none", NULL);
  char *out = NULL;
  pr_error err;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, &err), PR_OK);
  pr_options_free(o);
  return out ? out : strdup("");
}

/* How many times needle occurs in hay. */
static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

static void test_repeated_keys(void) {
  pr_bib *bib = parse("@inbook{Pinho2018, title = {Chapter}, year = 2018}\n"
                      "@article{Pinho2018, title = {Article}, year = 2018}\n"
                      "@ARTICLE{PINHO2018, YEAR = 2018, Title = {Article}}\n"
                      "@article{Pinho2018, title = {Article}, year = 2019}\n");
  CHECK_INT(pr_bib_count(bib), 3);
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 0)), "Pinho2018");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 1)), "Pinho2018-2");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 2)), "Pinho2018-3");
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 1)), "Pinho2018");
  CHECK_STR(pr_entry_type(pr_bib_find(bib, "pinho2018")), "inbook");
  CHECK_INT(pr_bib_diag_count(bib), 3);
  CHECK_STR(diag(bib, 0), "r.bib:2: warning: duplicate key 'Pinho2018' (first at r.bib:1): a "
                          "different entry, kept with id 'Pinho2018-2'");
  CHECK_STR(diag(bib, 1), "r.bib:3: warning: duplicate key 'PINHO2018': the same entry as at "
                          "r.bib:2 (shown once)");
  CHECK_STR(diag(bib, 2), "r.bib:4: warning: duplicate key 'Pinho2018' (first at r.bib:1): a "
                          "different entry, kept with id 'Pinho2018-3'");
  char *h = render(bib, PR_FORMAT_HTML, NULL);
  CHECK_INT(count(h, "id=\"pubrender-Pinho2018\""), 1);
  CHECK_INT(count(h, "id=\"pubrender-Pinho2018-2\""), 1);
  CHECK_INT(count(h, "id=\"pubrender-Pinho2018-3\""), 1);
  free(h);
  char *j = render(bib, PR_FORMAT_JSON, NULL);
  CHECK_INT(count(j, "\"key\": \"Pinho2018\""), 3);
  CHECK_INT(count(j, "\"id\": \"Pinho2018-3\""), 1);
  free(j);
  char *c = render(bib, PR_FORMAT_CSL_JSON, NULL);
  CHECK_INT(count(c, "\"id\": \"Pinho2018\""), 1);
  CHECK_INT(count(c, "\"id\": \"Pinho2018-2\""), 1);
  free(c);
  pr_bib_free(bib);
}

/* A generated id steps over real keys, also those of a later document. */
static void test_ids_never_collide(void) {
  pr_bib *bib = parse("@misc{a, title = {1}}\n@misc{a, title = {2}}\n@misc{A-3, title = {3}}\n"
                      "@misc{a, title = {4}}\n");
  CHECK_INT(pr_bib_count(bib), 4);
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 1)), "a-2");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 3)), "a-4");
  pr_error err;
  const char *more = "@misc{a-2, title = {5}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, more, strlen(more), "s.bib", &err), PR_OK);
  CHECK_INT(pr_bib_count(bib), 5);
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 1)), "a-4");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 3)), "a-5");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 4)), "a-2");
  CHECK_STR(diag(bib, pr_bib_diag_count(bib) - 2),
            "r.bib:2: warning: duplicate key 'a': its id 'a-2' is now the key of s.bib:1, so it "
            "has id 'a-4'");
  CHECK_STR(diag(bib, pr_bib_diag_count(bib) - 1),
            "r.bib:4: warning: duplicate key 'a': its id 'a-4' is now taken, so it has id 'a-5'");
  /* an exact repeat in another document is shown once */
  const char *again = "@misc{a, title = {2}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, again, strlen(again), "t.bib", &err), PR_OK);
  CHECK_INT(pr_bib_count(bib), 5);
  CHECK_STR(diag(bib, pr_bib_diag_count(bib) - 1),
            "t.bib:1: warning: duplicate key 'a': the same entry as at r.bib:2 (shown once)");
  pr_bib_free(bib);
}

/* Crossref to a repeated key inherits from its first definition. */
static void test_crossref_first(void) {
  pr_bib *bib = parse("@book{B, title = {First Book}}\n@book{B, title = {Second Book}}\n"
                      "@incollection{c, title = {C}, crossref = {b}}\n");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "c"), "booktitle"), "First Book");
  pr_bib_free(bib);
}

static void test_id_prefix(void) {
  pr_options *o = pr_options_new();
  static const char *const bad[] = {"a b", "a\"", "a'", "<", ">", "&", "#x", "%20", "`", "\t",
                                    "\x7f", "\xc3", "\xed\xa0\x80",
                                    "01234567890123456789012345678901234567890123456789012345678901234"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    CHECK_INT(pr_options_set_id_prefix(o, bad[i]), PR_ERR_ARG);
  CHECK_INT(pr_options_set_id_prefix(o, "pub:é-"), PR_OK);
  pr_options_free(o);
  pr_bib *bib = parse("@misc{k1, title = {T}}\n");
  char *h = render(bib, PR_FORMAT_HTML, "");
  CHECK_INT(count(h, " id=\"k1\""), 1);
  free(h);
  h = render(bib, PR_FORMAT_HTML, "pub:é-");
  CHECK_INT(count(h, " id=\"pub:é-k1\""), 1);
  free(h);
  h = render(bib, PR_FORMAT_HTML, NULL);
  CHECK_INT(count(h, " id=\"pubrender-k1\""), 1);
  free(h);
  pr_bib_free(bib);
}

int main(void) {
  test_repeated_keys();
  test_ids_never_collide();
  test_crossref_first();
  test_id_prefix();
  return tests_done();
}
