/* test_name_match.c - how --highlight finds the page owner (issue 13 item
   8; the rule is README's "How --highlight finds the owner"): every pair
   of tests/name_match.tsv (owner's name, name as written in a .bib, match
   or not, and the same with the two swapped), through the options and a
   parsed entry, and al-folio's scholar last_name/first_name form. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

/* Is the only author of "@misc{k, author = {written}}" the owner named spec? */
static int owner(const char *spec, const char *written) {
  pr_buf text = {0};
  pr_buf_printf(&text, "@misc{k, author = {%s}}\n", written);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text.data, text.len, "m.bib", &err), PR_OK);
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_INT(pr_entry_name_count(e, "author"), 1);
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_add_highlight(o, spec), PR_OK);
  const pr_name *n = pr_entry_name(e, "author", 0);
  int r = n ? pr_name_is_highlighted(o, n) : -1;
  pr_options_free(o);
  pr_bib_free(bib);
  pr_buf_free(&text);
  return r;
}

static int yes_no(const char *s) { return strcmp(s, "yes") == 0 ? 1 : strcmp(s, "no") == 0 ? 0 : -1; }

/* Columns: owner, written, yes|no, yes|no (written as the owner, owner as
   written), a note; '#' starts a comment line. */
static void test_table(const char *path) {
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (!f) return;
  char line[1024];
  int rows = 0, yes = 0, no = 0, lineno = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\n")] = '\0';
    if (!*line || *line == '#') continue;
    char *col[5] = {0};
    int nc = 0;
    for (char *p = line; nc < 5; nc++) {
      col[nc] = p;
      char *tab = strchr(p, '\t');
      if (!tab) { nc++; break; }
      *tab = '\0';
      p = tab + 1;
    }
    int fwd = nc >= 4 ? yes_no(col[2]) : -1, rev = nc >= 4 ? yes_no(col[3]) : -1;
    if (fwd < 0 || rev < 0) {
      printf("%s:%d: FAIL: a row needs owner, written, yes|no, yes|no\n", path, lineno);
      h_fail++;
      continue;
    }
    rows++;
    yes += fwd + rev;
    no += 2 - fwd - rev;
    int got = owner(col[0], col[1]);
    if (got == fwd) h_pass++;
    else {
      h_fail++;
      printf("%s:%d: FAIL: owner \"%s\", written \"%s\": %s, want %s\n", path, lineno, col[0],
             col[1], got ? "match" : "no match", fwd ? "match" : "no match");
    }
    got = owner(col[1], col[0]);
    if (got == rev) h_pass++;
    else {
      h_fail++;
      printf("%s:%d: FAIL (swapped): owner \"%s\", written \"%s\": %s, want %s\n", path, lineno,
             col[1], col[0], got ? "match" : "no match", rev ? "match" : "no match");
    }
  }
  fclose(f);
  CHECK(rows >= 60);
  CHECK(yes >= 30 && no >= 30); /* both kinds, plenty of each */
  printf("%d pairs, %d matches and %d non-matches checked\n", rows, yes, no);
}

/* al-folio's `scholar: last_name: [..] first_name: [..]` is every
   "last, first" of the two lists as a highlight (the comma fixes where the
   family name starts, as last_name does); the library has no call of its
   own for the two lists. */
static int alfolio_owner(const char *const *last, const char *const *first, const char *written) {
  pr_buf text = {0};
  pr_buf_printf(&text, "@misc{k, author = {%s}}\n", written);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text.data, text.len, "m.bib", &err), PR_OK);
  pr_options *o = pr_options_new();
  pr_buf spec = {0};
  for (size_t l = 0; last[l]; l++)
    for (size_t f = 0; first[f]; f++) {
      spec.len = 0;
      pr_buf_printf(&spec, "%s, %s", last[l], first[f]);
      CHECK_INT(pr_options_add_highlight(o, spec.data), PR_OK);
    }
  const pr_name *n = pr_entry_name(pr_bib_entry(bib, 0), "author", 0);
  int r = n ? pr_name_is_highlighted(o, n) : -1;
  pr_buf_free(&spec);
  pr_buf_free(&text);
  pr_options_free(o);
  pr_bib_free(bib);
  return r;
}

static void test_alfolio_form(void) {
  /* the form of real sites' _config.yml */
  const char *const akkurt_last[] = {"Akkurt", "Furkan Akkurt", NULL};
  const char *const akkurt_first[] = {"Furkan", "Salih", NULL};
  CHECK_INT(alfolio_owner(akkurt_last, akkurt_first, "Furkan Akkurt, Salih"), 1);
  CHECK_INT(alfolio_owner(akkurt_last, akkurt_first, "Akkurt, Furkan"), 1);
  CHECK_INT(alfolio_owner(akkurt_last, akkurt_first, "Salih Furkan Akkurt"), 1);
  CHECK_INT(alfolio_owner(akkurt_last, akkurt_first, "S. F. Akkurt"), 1);
  CHECK_INT(alfolio_owner(akkurt_last, akkurt_first, "Akkurt, Mehmet"), 0);
  const char *const massolo_last[] = {"Schaposnik Massolo", NULL};
  const char *const massolo_first[] = {"Fidel I.", "F. I.", NULL};
  CHECK_INT(alfolio_owner(massolo_last, massolo_first, "Fidel I. Schaposnik Massolo"), 1);
  CHECK_INT(alfolio_owner(massolo_last, massolo_first, "Schaposnik Massolo, F."), 1);
  CHECK_INT(alfolio_owner(massolo_last, massolo_first, "Massolo, Fidel"), 0);
  CHECK_INT(alfolio_owner(massolo_last, massolo_first, "Schaposnik Massolo, Fidel Ignacio"), 1);
  const char *const ko_last[] = {"Ko", NULL};
  const char *const ko_first[] = {"Steven", "Y.", NULL};
  CHECK_INT(alfolio_owner(ko_last, ko_first, "Ko, Steven Y."), 1);
  CHECK_INT(alfolio_owner(ko_last, ko_first, "Ko, Jihoon"), 0);
  const char *const ding_last[] = {"Ding", NULL};
  const char *const ding_first[] = {"Ning", "N.", "Ning*", "Ning\xe2\x80\xa0", NULL};
  CHECK_INT(alfolio_owner(ding_last, ding_first, "Ding*, Ning"), 1);
  CHECK_INT(alfolio_owner(ding_last, ding_first, "Ning Ding\xe2\x80\xa0"), 1);
  CHECK_INT(alfolio_owner(ding_last, ding_first, "Ding, Ping"), 0);
  /* "N." is an initial, and initials stand for any name: "Ding, N." finds
     Ningyu Ding too (al-folio would not; drop "N." from the list if that is
     someone else) */
  CHECK_INT(alfolio_owner(ding_last, ding_first, "Ding, Ningyu"), 1);
  const char *const pinho_last[] = {"Pinho", NULL};
  const char *const pinho_first[] = {"Ana Lu{\\'i}sa", NULL};
  CHECK_INT(alfolio_owner(pinho_last, pinho_first, "Pinho, A. L."), 1);
  CHECK_INT(alfolio_owner(pinho_last, pinho_first, "Lu\xc3\xadsa Pinho, Ana"), 1);
  CHECK_INT(alfolio_owner(pinho_last, pinho_first, "Pinho, Ana Maria"), 0);
}

int main(int argc, char **argv) {
  test_table(argc > 1 ? argv[1] : "tests/name_match.tsv");
  test_alfolio_form();
  return tests_done();
}
