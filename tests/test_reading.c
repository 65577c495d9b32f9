/* test_reading.c - what reading a .bib keeps (issue 13): repeated keys and
   their ids, the id prefix, bare words, and the diagnostics' text. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

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
  CHECK_INT(pr_render_string(bib, o, &out, NULL, NULL, &err), PR_OK);
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

/* A bare word is a warning with a hint that fits, and its value the word. */
static void test_bare_words(void) {
  pr_bib *bib = parse("@article{a, title = {T}, year = 2021, month = june, selected = True,\n"
                      "  bibtex_show = False}\n"
                      "@misc{b, title = {U}, year = 2020, month = Sept}\n"
                      "@misc{c, title = {V}, year = 2019, month = {06}}\n"
                      "@misc{d, title = {W}, year = 2018, month = {Sept.}, note = Forthcoming}\n"
                      "@misc{e, title = {X}, year = 2017, month = {juniper}, selected = FALSE}\n");
  CHECK_INT(pr_bib_count(bib), 5);
  CHECK_INT(pr_bib_error_count(bib), 0);
  const pr_entry *a = pr_bib_find(bib, "a");
  CHECK_STR(pr_entry_field(a, "month"), "june");
  CHECK_INT(pr_entry_month(a), 6);
  CHECK_STR(pr_entry_field(a, "selected"), "True");
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "b")), 9);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "c")), 6);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "d")), 9);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "e")), 0);
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "d"), "note"), "Forthcoming");
  CHECK_INT(pr_bib_diag_count(bib), 7);
  CHECK_STR(diag(bib, 6), "r.bib:6: warning: entry 'e', field 'month': 'juniper' is not a date "
                          "pubrender reads (not a month (a name, Jan..Dec, or 1..12; a range "
                          "June--July; days June 24--26)): left out of the date");
  CHECK_STR(diag(bib, 0), "r.bib:1: warning: entry 'a', field 'month': undefined macro 'june', "
                          "read as the word as written (write {june} or jun)");
  CHECK_STR(diag(bib, 1), "r.bib:1: warning: entry 'a', field 'selected': undefined macro "
                          "'True', read as the word as written (write {true})");
  CHECK_STR(diag(bib, 2), "r.bib:2: warning: entry 'a', field 'bibtex_show': undefined macro "
                          "'False', read as the word as written (write {false})");
  CHECK_STR(diag(bib, 3), "r.bib:3: warning: entry 'b', field 'month': undefined macro 'Sept', "
                          "read as the word as written (write {Sept} or sep)");
  CHECK_STR(diag(bib, 4), "r.bib:5: warning: entry 'd', field 'note': undefined macro "
                          "'Forthcoming', read as the word as written (define it with an @string "
                          "before this entry, or write it in braces)");
  CHECK_STR(diag(bib, 5), "r.bib:6: warning: entry 'e', field 'selected': undefined macro "
                          "'FALSE', read as the word as written (write {false})");
  /* True is a boolean: selected; False is not */
  char *h = render(bib, PR_FORMAT_HTML, NULL);
  CHECK_INT(count(h, "pubrender-selected"), 1);
  CHECK_INT(count(h, "id=\"pubrender-a\""), 1);
  free(h);
  pr_bib_free(bib);
  /* the field name in any case */
  bib = parse("@Misc{k, Month = JUNE, Selected = TRUE, title = {T}}\n");
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "k")), 6);
  CHECK_STR(diag(bib, 0), "r.bib:1: warning: entry 'k', field 'month': undefined macro 'JUNE', "
                          "read as the word as written (write {JUNE} or jun)");
  CHECK_STR(diag(bib, 1), "r.bib:1: warning: entry 'k', field 'selected': undefined macro "
                          "'TRUE', read as the word as written (write {true})");
  pr_bib_free(bib);
  /* in an @string: a warning too, the macro empty */
  bib = parse("@string{s = undefinedword}\n@misc{k, title = {T}, note = s}\n");
  CHECK_INT(pr_bib_count(bib), 1);
  CHECK_INT(pr_bib_error_count(bib), 0);
  CHECK_STR(diag(bib, 0), "r.bib:1: warning: undefined macro \"undefinedword\" (expands to "
                          "nothing; define it with @string before its first use, or write it in "
                          "braces)");
  pr_bib_free(bib);
}

/* Repeated fields: one warning per entry; no runaway-string guess on a
   valid value; name warnings name the entry and field. */
static void test_diagnostics(void) {
  pr_bib *bib = parse("@article{r,\n"
                      "  title = {T}, year = 2020,\n"
                      "  abstract = {We show that\n"
                      "  x = 5 holds,\n"
                      "  and y = 6 too.},\n"
                      "  title = {T2}, year = 2021, Title = {T3}, keywords = {a}, keywords = {b},\n"
                      "  author = {Doe, Jr., Jane, Mary and Roe, Rick}}\n"
                      "@misc{s, title = {A}, title = {B}}\n");
  CHECK_INT(pr_bib_count(bib), 2);
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "r"), "title"), "T");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "r"), "keywords"), "a");
  CHECK_INT(pr_bib_diag_count(bib), 3);
  CHECK_STR(diag(bib, 0), "r.bib:6: warning: entry 'r': repeated fields 'title', 'year', "
                          "'keywords' (the first value of each is kept)");
  CHECK_STR(diag(bib, 1), "r.bib:8: warning: entry 's': repeated field 'title' (the first value, "
                          "at line 8, is kept)");
  CHECK_STR(diag(bib, 2), "r.bib:7: warning: entry 'r', field 'author': name 1 has more than two "
                          "commas (BibTeX's forms are 'Last, First' and 'Last, Jr, First'): all "
                          "that follows the second comma is read as the first name");
  CHECK_STR(pr_name_first(pr_entry_name(pr_bib_find(bib, "r"), "author", 0)), "Jane Mary");
  pr_bib_free(bib);
}

int main(void) {
  test_bare_words();
  test_diagnostics();
  test_repeated_keys();
  test_ids_never_collide();
  test_crossref_first();
  test_id_prefix();
  return tests_done();
}
