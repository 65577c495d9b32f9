/* test_scope.c - @string scope across documents (README "@string scope"):
   shared by default (BibTeX's rule for \bibliography{a,b}), per file as an
   option; redefinitions warn naming both places; the months stay
   predefined and silently redefinable; a later document's macro never
   reaches an earlier document's entries; the expansion limits count the
   macros a document inherits. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "model/model.h"

static void add(pr_bib *bib, const char *name, const char *text) {
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), name, &err), PR_OK);
}

static const char *field(const pr_bib *bib, const char *key, const char *name) {
  const char *v = pr_entry_field(pr_bib_find(bib, key), name);
  return v ? v : "(none)";
}

static const char *diag_line(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static void test_shared_default(void) {
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_get_string_scope(bib), PR_STRINGS_SHARED);
  add(bib, "abbrev.bib",
      "@string{cr = \"Crypto\"}\n"
      "@string{lncs = {Lecture Notes in Computer Science}, jan = \"Jan.\"}\n"
      "@misc{early, note = late # \"!\"}\n");
  add(bib, "papers.bib",
      "@inproceedings{p1, booktitle = cr # \" 2020\", series = lncs, month = jan}\n"
      "@string{late = \"defined in the second file\"}\n"
      "@string{cr20 = cr # \" '20\"}\n"
      "@misc{p2, note = late, title = cr20, month = feb}\n");
  add(bib, "more.bib", "@misc{m, note = late # \"; \" # cr20}\n");
  CHECK_INT(pr_bib_count(bib), 4);
  /* the first document's macros in the second, the months' redefinition too */
  CHECK_STR(field(bib, "p1", "booktitle"), "Crypto 2020");
  CHECK_STR(field(bib, "p1", "series"), "Lecture Notes in Computer Science");
  CHECK_STR(field(bib, "p1", "month"), "Jan.");
  CHECK_STR(field(bib, "p2", "month"), "February");
  CHECK_STR(field(bib, "p2", "title"), "Crypto '20");
  CHECK_STR(field(bib, "p2", "note"), "defined in the second file");
  /* both earlier documents' in the third */
  CHECK_STR(field(bib, "m", "note"), "defined in the second file; Crypto '20");
  /* a macro of the second document never reaches the first one's entries */
  CHECK_STR(field(bib, "early", "note"), "late!");
  CHECK_INT(pr_bib_diag_count(bib), 1);
  const pr_diag *d = pr_bib_diag(bib, 0);
  CHECK_STR(pr_diag_code(d), "undefined-macro");
  CHECK_STR(pr_diag_file(d), "abbrev.bib");
  CHECK_STR(pr_diag_key(d), "early");
  CHECK_INT(pr_bib_error_count(bib), 0);
  CHECK_INT(pr_bib_file_scope(bib, "abbrev.bib"), PR_STRINGS_SHARED);
  pr_bib_free(bib);
}

static void test_redefinition(void) {
  pr_bib *bib = pr_bib_new();
  add(bib, "a.bib", "@string{cr = \"Crypto\"}\n@string{same = \"S\"}\n@misc{a1, note = cr}\n");
  add(bib, "b.bib",
      "@misc{b1, note = cr}\n"
      "@string{cr = \"CRYPTO\"}\n"
      "@string{same = \"S\", mar = \"Mar.\"}\n"
      "@misc{b2, note = cr, month = mar}\n"
      "@string{cr = \"Crypto again\"}\n"
      "@string{mar = \"Mrz.\"}\n"
      "@misc{b3, note = cr, month = mar}\n");
  CHECK_STR(field(bib, "a1", "note"), "Crypto");   /* entries already added never change */
  CHECK_STR(field(bib, "b1", "note"), "Crypto");
  CHECK_STR(field(bib, "b2", "note"), "CRYPTO");
  CHECK_STR(field(bib, "b2", "month"), "Mar.");
  CHECK_STR(field(bib, "b3", "note"), "Crypto again");
  CHECK_STR(field(bib, "b3", "month"), "Mrz.");
  /* two warnings: the same text again and the months are silent */
  CHECK_INT(pr_bib_diag_count(bib), 2);
  const pr_diag *d = pr_bib_diag(bib, 0);
  CHECK_STR(pr_diag_code(d), "macro-redefined");
  CHECK_INT(pr_diag_severity(d), PR_WARNING);
  CHECK_STR(pr_diag_key(d), "cr");
  CHECK(pr_diag_field(d) == NULL);
  CHECK_STR(pr_diag_file(d), "b.bib");
  CHECK_INT(pr_diag_line(d), 2);
  CHECK_STR(diag_line(bib, 0), "b.bib:2: warning: @string 'cr' redefined (defined before at "
                               "a.bib:1); the new text applies from here on");
  CHECK_STR(diag_line(bib, 1), "b.bib:5: warning: @string 'cr' redefined (first defined at "
                               "line 2); the new text applies from here on");
  d = pr_bib_diag(bib, 1);
  CHECK_STR(pr_diag_code(d), "macro-redefined");
  CHECK_INT(pr_diag_line(d), 5);
  pr_bib_free(bib);
}

static void test_per_file(void) {
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_set_string_scope(bib, (pr_string_scope)7), PR_ERR_ARG);
  CHECK_INT(pr_bib_set_string_scope(NULL, PR_STRINGS_PER_FILE), PR_ERR_ARG);
  add(bib, "shared.bib", "@string{cr = \"Crypto\", jan = \"Jan.\"}\n");
  CHECK_INT(pr_bib_set_string_scope(bib, PR_STRINGS_PER_FILE), PR_OK);
  CHECK_INT(pr_bib_get_string_scope(bib), PR_STRINGS_PER_FILE);
  add(bib, "own.bib",
      "@string{mine = \"Mine\"}\n"
      "@misc{o1, note = cr, title = mine, month = jan}\n"
      "@string{mine = \"Mine 2\"}\n");
  CHECK_STR(field(bib, "o1", "note"), "cr"); /* the word as written */
  CHECK_STR(field(bib, "o1", "title"), "Mine");
  CHECK_STR(field(bib, "o1", "month"), "January"); /* the months are predefined afresh */
  add(bib, "own2.bib", "@misc{o2, note = mine}\n");
  CHECK_STR(field(bib, "o2", "note"), "mine");
  /* back to shared: the shared documents' macros, none of the per-file ones */
  CHECK_INT(pr_bib_set_string_scope(bib, PR_STRINGS_SHARED), PR_OK);
  add(bib, "later.bib", "@misc{l, note = cr, title = mine, month = jan}\n");
  CHECK_STR(field(bib, "l", "note"), "Crypto");
  CHECK_STR(field(bib, "l", "title"), "mine");
  CHECK_STR(field(bib, "l", "month"), "Jan.");
  CHECK_INT(pr_bib_file_scope(bib, "shared.bib"), PR_STRINGS_SHARED);
  CHECK_INT(pr_bib_file_scope(bib, "own.bib"), PR_STRINGS_PER_FILE);
  CHECK_INT(pr_bib_file_scope(bib, "own2.bib"), PR_STRINGS_PER_FILE);
  CHECK_INT(pr_bib_file_scope(bib, "later.bib"), PR_STRINGS_SHARED);
  CHECK_INT(pr_bib_diag_count(bib), 4);
  CHECK_STR(diag_line(bib, 0), "own.bib:2: warning: entry 'o1', field 'note': undefined macro "
                               "'cr', read as the word as written (define it with an @string "
                               "before this entry, or write it in braces)");
  /* a redefinition inside a per-file document warns too */
  CHECK_STR(pr_diag_code(pr_bib_diag(bib, 1)), "macro-redefined");
  CHECK_STR(diag_line(bib, 1), "own.bib:3: warning: @string 'mine' redefined (first defined at "
                               "line 1); the new text applies from here on");
  CHECK_STR(pr_diag_code(pr_bib_diag(bib, 2)), "undefined-macro");
  CHECK_STR(pr_diag_file(pr_bib_diag(bib, 2)), "own2.bib");
  CHECK_STR(pr_diag_file(pr_bib_diag(bib, 3)), "later.bib");
  CHECK_STR(pr_diag_key(pr_bib_diag(bib, 3)), "l");
  CHECK_STR(pr_diag_field(pr_bib_diag(bib, 3)), "title");
  pr_bib_free(bib);
}

/* The limits count inherited macros: a field joining two 600 KB macros of
   an earlier document is over the 1 MiB a value may take from macros. */
static void test_limits_see_inherited_macros(void) {
  size_t n = 600000;
  char *big = malloc(n + 64);
  memcpy(big, "@string{big = {", 15);
  memset(big + 15, 'x', n);
  strcpy(big + 15 + n, "}}\n");
  pr_bib *bib = pr_bib_new();
  add(bib, "big.bib", big);
  add(bib, "use.bib", "@misc{once, note = big}\n@misc{twice, note = big # big}\n");
  CHECK_INT(pr_bib_count(bib), 1);
  CHECK_INT(strlen(field(bib, "once", "note")), n);
  CHECK(pr_bib_find(bib, "twice") == NULL);
  CHECK_INT(pr_bib_diag_count(bib), 1);
  const pr_diag *d = pr_bib_diag(bib, 0);
  CHECK_STR(pr_diag_code(d), "value-too-large");
  CHECK_STR(pr_diag_file(d), "use.bib");
  CHECK_INT(pr_diag_line(d), 2);
  pr_bib_free(bib);
  free(big);
}

/* Many documents each adding macros: every one sees all before it. */
static void test_many_documents(void) {
  pr_bib *bib = pr_bib_new();
  char text[200], name[32];
  for (int i = 0; i < 50; i++) {
    snprintf(name, sizeof name, "f%d.bib", i);
    if (i == 0) snprintf(text, sizeof text, "@string{m0 = \"0\"}\n@misc{k0, note = m0}\n");
    else
      snprintf(text, sizeof text, "@string{m%d = m%d # \",%d\"}\n@misc{k%d, note = m%d}\n", i,
               i - 1, i, i, i);
    add(bib, name, text);
  }
  CHECK_INT(pr_bib_count(bib), 50);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  CHECK_STR(field(bib, "k3", "note"), "0,1,2,3");
  CHECK_INT(strlen(field(bib, "k49", "note")), 1 + 9 * 2 + 40 * 3);
  pr_bib_free(bib);
}

int main(void) {
  test_shared_default();
  test_redefinition();
  test_per_file();
  test_limits_see_inherited_macros();
  test_many_documents();
  return tests_done();
}
