/* test_select.c - query, sort and group: exact orders, ties, missing years. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render.h"

static const char *corpus =
    "@article{a1, title = {Zeta}, author = {Oh, Byungsoo}, year = 2021, journal = {J},"
    " selected = {true}}\n"
    "@inproceedings{p1, title = {alpha}, author = {Kim, Goeun and Oh, B.}, year = 2023,"
    " month = may}\n"
    "@misc{m1, title = {Beta}, author = {Um, Taegeon}, note = {award}}\n"
    "@article{a2, title = {\\'Eta}, author = {\\\"Ozkan, Ali}, year = 2023, month = jan,"
    " selected = {true}}\n"
    "@inproceedings{p2, title = {Gamma}, author = {Abe, Sam}, year = 2021}\n"
    "@phdthesis{t1, title = {Delta}, author = {Oh, Byungsoo}, year = 2019, school = {KAIST}}\n";

static pr_bib *load(void) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, corpus, strlen(corpus), "s.bib", &err), PR_OK);
  return bib;
}

/* Keys of the plan for the given settings, space-separated; groups shown
   as "[heading]". */
static const char *plan_keys(pr_bib *bib, const char *query, const char *sort,
                             const char *group) {
  static char buf[512];
  pr_options *o = pr_options_new();
  pr_error err;
  if (query) CHECK_INT(pr_options_set_query(o, query, &err), PR_OK);
  if (sort) CHECK_INT(pr_options_set_sort(o, sort, &err), PR_OK);
  if (group) CHECK_INT(pr_options_set_group_by(o, group, &err), PR_OK);
  pr_plan p;
  CHECK_INT(pr_plan_build(&p, bib, o), 0);
  buf[0] = '\0';
  for (size_t g = 0; g < p.ngroups; g++) {
    if (p.groups[g].heading) {
      strcat(buf, buf[0] ? " [" : "[");
      strcat(buf, p.groups[g].heading);
      strcat(buf, "]");
    }
    for (size_t i = 0; i < p.groups[g].n; i++) {
      if (buf[0]) strcat(buf, " ");
      strcat(buf, pr_entry_key(p.groups[g].v[i]));
    }
  }
  pr_plan_clear(&p);
  pr_options_free(o);
  return buf;
}

static void test_queries(void) {
  pr_bib *bib = load();
  CHECK_STR(plan_keys(bib, "@article", NULL, NULL), "a2 a1");
  CHECK_STR(plan_keys(bib, "!@article", NULL, NULL), "p1 p2 t1 m1");
  CHECK_STR(plan_keys(bib, "@*[selected=true]*", NULL, NULL), "a2 a1");
  CHECK_STR(plan_keys(bib, "@article[year>=2022]", NULL, NULL), "a2");
  CHECK_STR(plan_keys(bib, "@*[year<2021]", NULL, NULL), "t1");
  CHECK_STR(plan_keys(bib, "@*[year>2021 && month=May]", NULL, NULL), "p1");
  CHECK_STR(plan_keys(bib, "@*[note]", NULL, NULL), "m1");
  CHECK_STR(plan_keys(bib, "@*[title^=G || title~=^Z]", NULL, NULL), "a1 p2");
  CHECK_STR(plan_keys(bib, "@*[author~=Oh, year!=2021]", NULL, NULL), "p1 t1");
  CHECK_STR(plan_keys(bib, "@article, @phdthesis", NULL, NULL), "a2 a1 t1");
  CHECK_STR(plan_keys(bib, "@entry[title=Éta]", NULL, NULL), "a2");
  CHECK_STR(plan_keys(bib, "@*[key=p2]", NULL, NULL), "p2");
  CHECK_STR(plan_keys(bib, "@*[title!~\"^[A-Z]\"]", NULL, NULL), "p1 a2");
  CHECK_STR(plan_keys(bib, "@*[title=\"alpha\"]", NULL, NULL), "p1");
  CHECK_STR(plan_keys(bib, "@book", NULL, NULL), "");
  /* malformed: a usage error pointing at the character */
  static const struct { const char *q; const char *msg; unsigned col; } bad[] = {
      {"@article[year>=2020", "missing ']' at column 20", 20},
      {"article", "expected '@' at column 1", 1},
      {"@*[=1]", "expected a field name at column 4", 4},
      {"@*[year 2020]", "unexpected character at column 9", 9},
      {"@*[title~=(]", "invalid regular expression before at column 12", 12},
      {"", "empty query at column 1", 1},
      {"@*[year>>1]", "unexpected character at column 9", 9},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    pr_query *q = NULL;
    pr_error err;
    CHECK_INT(pr_query_parse(bad[i].q, &q, &err), PR_ERR_ARG);
    CHECK(q == NULL);
    CHECK_STR(err.message, bad[i].msg);
    CHECK_INT(err.column, bad[i].col);
  }
  pr_bib_free(bib);
}

static void test_sorting(void) {
  pr_bib *bib = load();
  CHECK_STR(plan_keys(bib, NULL, NULL, NULL), "p1 a2 a1 p2 t1 m1");
  CHECK_STR(plan_keys(bib, NULL, "title", NULL), "p1 m1 t1 a2 p2 a1");
  CHECK_STR(plan_keys(bib, NULL, "title:desc", NULL), "a1 p2 a2 t1 m1 p1");
  CHECK_STR(plan_keys(bib, NULL, "author,year:desc", NULL), "p2 p1 a1 t1 a2 m1");
  CHECK_STR(plan_keys(bib, NULL, "year", NULL), "t1 a1 p2 p1 a2 m1");
  CHECK_STR(plan_keys(bib, NULL, "-year,key", NULL), "a2 p1 a1 p2 t1 m1");
  CHECK_STR(plan_keys(bib, NULL, "type,key", NULL), "a1 a2 p1 p2 m1 t1");
  CHECK_STR(plan_keys(bib, NULL, "journal", NULL), "a1 p1 m1 a2 p2 t1");
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_options_set_sort(o, "year:up", &err), PR_ERR_ARG);
  CHECK_STR(err.message, "sort direction must be asc or desc at column 6");
  CHECK_INT(pr_options_set_sort(o, ",", &err), PR_ERR_ARG);
  pr_options_free(o);
  pr_bib_free(bib);
}

static void test_grouping(void) {
  pr_bib *bib = load();
  CHECK_STR(plan_keys(bib, NULL, NULL, "year"),
            "[2023] p1 a2 [2021] a1 p2 [2019] t1 [Undated] m1");
  CHECK_STR(plan_keys(bib, NULL, "year", "year"),
            "[2019] t1 [2021] a1 p2 [2023] p1 a2 [Undated] m1");
  CHECK_STR(plan_keys(bib, NULL, NULL, "type"),
            "[Journal Articles] a2 a1 [Conference Papers] p1 p2 [Theses] t1 [Other] m1");
  CHECK_STR(plan_keys(bib, NULL, NULL, "year,type"),
            "[2023] [Journal Articles] a2 [Conference Papers] p1 [2021] [Journal Articles] a1 "
            "[Conference Papers] p2 [2019] [Theses] t1 [Undated] [Other] m1");
  /* configured type names and order */
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_options_set_group_by(o, "type", &err), PR_OK);
  CHECK_INT(pr_options_set_type_order(o, "misc,phdthesis"), PR_OK);
  CHECK_INT(pr_options_set_type_name(o, "misc", "Talks"), PR_OK);
  pr_plan p;
  CHECK_INT(pr_plan_build(&p, bib, o), 0);
  CHECK_INT(p.ngroups, 4);
  CHECK_STR(p.groups[0].heading, "Talks");
  CHECK_STR(p.groups[1].heading, "Theses");
  CHECK_STR(p.groups[2].heading, "Conference Papers");
  CHECK_STR(p.groups[3].heading, "Journal Articles");
  pr_plan_clear(&p);
  /* numbering runs on, restarts, or counts down */
  CHECK_INT(pr_options_set_group_by(o, "year", &err), PR_OK);
  CHECK_INT(pr_plan_build(&p, bib, o), 0);
  CHECK_INT(p.groups[1].start, 3);
  CHECK_INT(p.groups[3].start, 6);
  pr_plan_clear(&p);
  pr_options_set_numbering(o, 1, 0);
  CHECK_INT(pr_plan_build(&p, bib, o), 0);
  CHECK_INT(p.groups[1].start, 1);
  pr_plan_clear(&p);
  pr_options_set_numbering(o, 0, 1);
  CHECK_INT(pr_plan_build(&p, bib, o), 0);
  CHECK_INT(p.groups[0].start, 6);
  CHECK_INT(p.groups[1].start, 4);
  pr_plan_clear(&p);
  CHECK_INT(pr_options_set_group_by(o, "decade", &err), PR_ERR_ARG);
  CHECK_STR(err.message, "unknown grouping 'decade' (use none, year, type or year,type)");
  pr_options_free(o);
  pr_bib_free(bib);
}

int main(void) {
  test_queries();
  test_sorting();
  test_grouping();
  return tests_done();
}
