/* test_authors.c - the author line of an entry (issue 13 items 4 and 7):
   --max-authors keeps the authors' order and shows each place where some
   were left out; the automatic legend only says what the marks mean. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

/* The author line of the only entry of bib (with "author = {authors}" and
   the extra fields), rendered in format f with the options set up as
   given: in HTML the whole <div class="pubrender-authors"> element, in
   Markdown the line after the title (its 4-space indent removed). */
static char *line_of(pr_format f, const char *authors, const char *extra, const char *hl,
                     int max, const char *legend_mark, const char *legend_text) {
  char text[4096];
  snprintf(text, sizeof text, "@misc{k, title = {T}, author = {%s}%s%s, year = 2020}\n", authors,
           extra ? ", " : "", extra ? extra : "");
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "a.bib", &err), PR_OK);
  pr_options_set_format(o, f);
  if (hl) CHECK_INT(pr_options_add_highlight(o, hl), PR_OK);
  if (max) CHECK_INT(pr_options_set_max_authors(o, max), PR_OK);
  if (legend_mark) CHECK_INT(pr_options_set_legend(o, legend_mark, legend_text), PR_OK);
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, NULL, &err), PR_OK);
  pr_options_free(o);
  pr_bib_free(bib);
  char *line = NULL;
  if (out && f == PR_FORMAT_HTML) {
    char *s = strstr(out, "<div class=\"pubrender-authors\">"), *e = s ? strchr(s, '\n') : NULL;
    if (e) line = pr_strndup(s, (size_t)(e - s));
  } else if (out) {
    char *s = strchr(out, '\n'), *e = s ? strchr(s + 1, '\n') : NULL;
    if (e && e - s > 5) line = pr_strndup(s + 5, (size_t)(e - s - 5));
  }
  free(out);
  return line ? line : pr_strdup("(no author line)");
}

#define SPAN(x) "<span class=\"pubrender-author\">" x "</span>"
#define ME(x) "<strong class=\"pubrender-me\">" x "</strong>"
#define SUP(x) "<sup class=\"pubrender-mark\">" x "</sup>"
#define DIV(x) "<div class=\"pubrender-authors\">" x "</div>"
#define LEGEND(x) " <span class=\"pubrender-legend\">" x "</span>"

static void check_line(pr_format f, const char *authors, const char *extra, const char *hl,
                       int max, const char *want) {
  char *got = line_of(f, authors, extra, hl, max, NULL, NULL);
  CHECK_STR(got, want);
  free(got);
}

/* Item 7: "* = Equal Contribution" needs two authors marked *. */
static void test_legend(void) {
  const pr_format H = PR_FORMAT_HTML, M = PR_FORMAT_MARKDOWN;
  /* one author marked *: no legend (a corresponding author, by a common convention) */
  check_line(H, "Dupree*, Paul", NULL, NULL, 0, DIV(SPAN("Paul Dupree") SUP("*")));
  check_line(H, "Dupree*, Paul and Roe, Ann", NULL, NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe")));
  check_line(M, "Dupree*, Paul and Roe, Ann", NULL, NULL, 0, "Paul Dupree\\* and Ann Roe  ");
  /* two: the legend, once */
  check_line(H, "Dupree*, Paul and Roe*, Ann", NULL, NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe") SUP("*")
                     LEGEND("(* = Equal Contribution)")));
  check_line(M, "Dupree*, Paul and Roe*, Ann and Poe, Al", NULL, NULL, 0,
             "Paul Dupree\\*, Ann Roe\\*, and Al Poe (\\* = Equal Contribution)  ");
  /* a biblatex "equal" annotation on one author is no equal contribution either */
  check_line(H, "Dupree, Paul and Roe, Ann", "author+an = {1=equal}", NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe")));
  check_line(H, "Dupree, Paul and Roe, Ann", "author+an = {1=equal; 2=equal}", NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe") SUP("*")
                     LEGEND("(* = Equal Contribution)")));
  /* one corresponding author is the usual case: its legend stays */
  check_line(H, "Dupree\\dag, Paul and Roe, Ann", NULL, NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("\xe2\x80\xa0") " and " SPAN("Ann Roe")
                     LEGEND("(\xe2\x80\xa0 = Corresponding Author)")));
  /* one * and one †: only the † legend */
  check_line(H, "Dupree*\\dag, Paul and Roe*, Ann and Poe\\dag, Al", NULL, NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*\xe2\x80\xa0") ", " SPAN("Ann Roe") SUP("*") ", and "
                     SPAN("Al Poe") SUP("\xe2\x80\xa0")
                         LEGEND("(* = Equal Contribution, \xe2\x80\xa0 = Corresponding Author)")));
  check_line(H, "Dupree*\\dag, Paul and Roe, Ann", NULL, NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*\xe2\x80\xa0") " and " SPAN("Ann Roe")
                     LEGEND("(\xe2\x80\xa0 = Corresponding Author)")));
  /* the annotation field still replaces the legend, for one marked author too */
  check_line(H, "Dupree*, Paul and Roe, Ann", "annotation = {* Corresponding author}", NULL, 0,
             DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe")
                     LEGEND("* Corresponding author")));
  /* a * legend the user gives is shown for one author */
  char *got = line_of(H, "Dupree*, Paul and Roe, Ann", NULL, NULL, 0, "*", "Corresponding author");
  CHECK_STR(got, DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe")
                         LEGEND("(* = Corresponding author)")));
  free(got);
  got = line_of(H, "Dupree*, Paul and Roe, Ann", NULL, NULL, 0, "*", "Equal Contribution");
  CHECK_STR(got, DIV(SPAN("Paul Dupree") SUP("*") " and " SPAN("Ann Roe")
                         LEGEND("(* = Equal Contribution)")));
  free(got);
  /* and removing it removes it for two */
  got = line_of(M, "Dupree*, Paul and Roe*, Ann", NULL, NULL, 0, "*", NULL);
  CHECK_STR(got, "Paul Dupree\\* and Ann Roe\\*  ");
  free(got);
}

#define MORE(label, names) \
  "<details class=\"pubrender-more-authors\"><summary>" label "</summary>" names "</details>"

/* Item 4: the order is kept; every place where authors were left out shows. */
static void test_max_authors(void) {
  const pr_format H = PR_FORMAT_HTML, M = PR_FORMAT_MARKDOWN;
  const char *six = "Branco, Ana and Coppa, Bea and D'Angelo, Cid and Eco, Dan and Fo, Eve and "
                    "Venticinque, Salvatore";
  /* the owner last of six, --max-authors 3: the two left out stay before the owner */
  check_line(H, six, NULL, "Salvatore Venticinque", 3,
             DIV(SPAN("Ana Branco") ", " SPAN("Bea Coppa") ", " SPAN("Cid D’Angelo") ", "
                 MORE("2 more authors", SPAN("Dan Eco") ", " SPAN("Eve Fo")) ", and "
                 ME("Salvatore Venticinque")));
  check_line(M, six, NULL, "Salvatore Venticinque", 3,
             "Ana Branco, Bea Coppa, Cid D’Angelo, 2 more authors, and **Salvatore Venticinque**  ");
  /* the owner in the middle: a cut before, and the rest at the end */
  check_line(H, six, NULL, "Dan Eco", 2,
             DIV(SPAN("Ana Branco") ", " SPAN("Bea Coppa") ", " MORE("1 more author", SPAN("Cid D’Angelo"))
                 ", " ME("Dan Eco") ", " MORE("and 2 more authors", SPAN("Eve Fo") " and "
                 SPAN("Salvatore Venticinque"))));
  check_line(M, six, NULL, "Dan Eco", 2,
             "Ana Branco, Bea Coppa, 1 more author, **Dan Eco**, and 2 more authors  ");
  /* two owners (two spellings of two people), cuts between them */
  char *got = NULL;
  {
    char text[] = "@misc{k, title = {T}, author = {A A and B B and C C and D D and E E and F F "
                  "and G G}, year = 2020}\n";
    pr_bib *bib = pr_bib_new();
    pr_options *o = pr_options_new();
    pr_error err;
    CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "a.bib", &err), PR_OK);
    pr_options_set_format(o, M);
    CHECK_INT(pr_options_add_highlight(o, "D D"), PR_OK);
    CHECK_INT(pr_options_add_highlight(o, "G G"), PR_OK);
    CHECK_INT(pr_options_set_max_authors(o, 1), PR_OK);
    CHECK_INT(pr_render_string(bib, o, &got, NULL, NULL, &err), PR_OK);
    CHECK_STR(got, "1.  **T**  \n    A A, 2 more authors, **D D**, 2 more authors, and **G G**  \n"
                   "    2020\n");
    pr_free(got);
    pr_options_free(o);
    pr_bib_free(bib);
  }
  /* the owner within the first N: one cut at the end, as before */
  check_line(H, six, NULL, "Bea Coppa", 3,
             DIV(SPAN("Ana Branco") ", " ME("Bea Coppa") ", " SPAN("Cid D’Angelo") ", "
                 MORE("and 3 more authors", SPAN("Dan Eco") ", " SPAN("Eve Fo") ", and "
                 SPAN("Salvatore Venticinque"))));
  /* no owner: the first N, then the rest */
  check_line(M, six, NULL, NULL, 4, "Ana Branco, Bea Coppa, Cid D’Angelo, Dan Eco, and 2 more authors  ");
  /* the owner right after the first N: nothing left out before it */
  check_line(M, "A A and B B and C C", NULL, "B B", 1, "A A, **B B**, and 1 more author  ");
  check_line(M, "A A and B B and C C", NULL, "C C", 2, "A A, B B, and **C C**  ");
  check_line(M, "A A and B B and C C", NULL, "C C", 1, "A A, 1 more author, and **C C**  ");
  /* as many as N or fewer: all, no cut */
  check_line(M, "A A and B B and C C", NULL, "C C", 3, "A A, B B, and **C C**  ");
  check_line(M, "A A and others", NULL, NULL, 1, "A A, and 1 more author  ");
  check_line(M, "A A and B B and others", NULL, NULL, 2, "A A, B B, and 1 more author  ");
  check_line(M, "A A and B B and others", NULL, NULL, 3, "A A, B B et al.  ");
  check_line(M, "A A and B B and C C and others", NULL, "C C", 1,
             "A A, 1 more author, **C C**, and 1 more author  ");
}

int main(void) {
  test_legend();
  test_max_authors();
  return tests_done();
}
