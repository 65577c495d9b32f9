/* test_select.c - query, sort and group: exact orders, ties, missing years. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "render/render.h"

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
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
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
      {"@*[title~=(]", "invalid regular expression (missing closing parenthesis) at column 12", 12},
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
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
  CHECK_INT(p.ngroups, 4);
  CHECK_STR(p.groups[0].heading, "Talks");
  CHECK_STR(p.groups[1].heading, "Theses");
  CHECK_STR(p.groups[2].heading, "Conference Papers");
  CHECK_STR(p.groups[3].heading, "Journal Articles");
  pr_plan_clear(&p);
  /* numbering runs on, restarts, or counts down */
  CHECK_INT(pr_options_set_group_by(o, "year", &err), PR_OK);
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
  CHECK_INT(p.groups[1].start, 3);
  CHECK_INT(p.groups[3].start, 6);
  pr_plan_clear(&p);
  pr_options_set_numbering(o, 1, 0);
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
  CHECK_INT(p.groups[1].start, 1);
  pr_plan_clear(&p);
  pr_options_set_numbering(o, 0, 1);
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
  CHECK_INT(p.groups[0].start, 6);
  CHECK_INT(p.groups[1].start, 4);
  pr_plan_clear(&p);
  CHECK_INT(pr_options_set_group_by(o, "decade", &err), PR_ERR_ARG);
  CHECK_STR(err.message, "unknown grouping 'decade' (use none, year, type or year,type)");
  pr_options_free(o);
  pr_bib_free(bib);
}

/* ---- issue 12: regular expressions are PCRE2's, bounded ---- */

static const char *re_corpus =
    "@misc{v2, title = {Version 2}}\n"
    "@misc{dday, title = {d-day}}\n"
    "@misc{cafe, title = {caf\\'e}}\n"
    "@misc{upper, title = {CAF\\'E}}\n"
    "@misc{eta, title = {\xc3\x89ta \xd9\xa3}}\n"   /* "Éta ٣" (an Arabic-Indic three) */
    "@misc{strasse, title = {Stra\xc3\x9f" "e}}\n";

static pr_bib *load_re(void) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, re_corpus, strlen(re_corpus), "re.bib", &err), PR_OK);
  return bib;
}

/* Keys a query selects, in file order. */
static const char *re_keys(pr_bib *bib, const char *query) {
  static char buf[256];
  pr_query *q = NULL;
  pr_error err;
  buf[0] = '\0';
  CHECK_INT(pr_query_parse(query, &q, &err), PR_OK);
  if (!q) return "(parse error)";
  for (size_t i = 0; i < pr_bib_count(bib); i++)
    if (pr_query_match(q, pr_bib_entry(bib, i))) {
      if (buf[0]) strcat(buf, " ");
      strcat(buf, pr_entry_key(pr_bib_entry(bib, i)));
    }
  pr_query_free(q);
  return buf;
}

/* Ruby's syntax (jekyll-scholar's), UTF-8 aware, whatever the locale. */
static void check_re_syntax(pr_bib *bib) {
  CHECK_STR(re_keys(bib, "@*[title~=\\d]"), "v2 eta");           /* not a literal d */
  CHECK_STR(re_keys(bib, "@*[title~=\"[0-9]\"]"), "v2");
  CHECK_STR(re_keys(bib, "@*[title~=^d]"), "dday");
  CHECK_STR(re_keys(bib, "@*[title~=(?i)caf\xc3\xa9]"), "cafe upper");
  CHECK_STR(re_keys(bib, "@*[title~=(?i)^\xc3\xa9ta]"), "eta");     /* é folds to É */
  CHECK_STR(re_keys(bib, "@*[title~=^caf.$]"), "cafe");              /* one character */
  CHECK_STR(re_keys(bib, "@*[title~=\"^[[:upper:]]{4}$\"]"), "upper");
  CHECK_STR(re_keys(bib, "@*[title~=^\\p{Lu}\\w{2}\\s]"), "eta");
  CHECK_STR(re_keys(bib, "@*[title~=\\bday\\b]"), "dday");
  CHECK_STR(re_keys(bib, "@*[title!~(?i)caf]"), "v2 dday eta strasse");
  CHECK_STR(re_keys(bib, "@*[title~=\"^(?<w>[a-z])\\k<w>*-\"]"), "dday");
}

static void test_regex(void) {
  pr_bib *bib = load_re();
  /* the same answers in the C locale and a UTF-8 one */
  const char *locales[] = {"C", "C.UTF-8"};
  for (size_t i = 0; i < 2; i++) {
    if (!setlocale(LC_ALL, locales[i])) {
      printf("note: locale %s not available\n", locales[i]);
      continue;
    }
    check_re_syntax(bib);
  }
  setlocale(LC_ALL, "C");

  /* compile errors: PCRE2's message and the column of the offending character */
  static const struct { const char *q; const char *msg; unsigned col; } bad[] = {
      {"@*[title~=\"((a{1,100}){1,100}){1,100}\"]",
       "invalid regular expression (regular expression is too large) at column 38", 38},
      {"@*[title~=\"a)\"]", "invalid regular expression (unmatched closing parenthesis) at column 13", 13},
      {"@*[title~=\"\xc3\xa9\xc3\xa9[b-a]\"]",
       "invalid regular expression (range out of order in character class) at column 17", 17},
      {"@*[title~=\\C]",
       "invalid regular expression (using \\C is disabled by the application) at column 13", 13},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    pr_query *q = NULL;
    pr_error err;
    clock_t t0 = clock();
    CHECK_INT(pr_query_parse(bad[i].q, &q, &err), PR_ERR_ARG);
    CHECK(clock() - t0 < CLOCKS_PER_SEC);
    CHECK(q == NULL);
    CHECK_STR(err.message, bad[i].msg);
    CHECK_INT(err.column, bad[i].col);
  }
  /* a pattern longer than 4096 bytes: refused before PCRE2 sees it */
  {
    char *long_q = malloc(5000);
    strcpy(long_q, "@*[title~=");
    memset(long_q + 10, 'a', 4097);
    strcpy(long_q + 10 + 4097, "]");
    pr_query *q = NULL;
    pr_error err;
    CHECK_INT(pr_query_parse(long_q, &q, &err), PR_ERR_ARG);
    CHECK_STR(err.message, "regular expression too long (longer than 4096 bytes) at column 11");
    memset(long_q + 10, 'a', 4096);
    strcpy(long_q + 10 + 4096, "]");
    CHECK_INT(pr_query_parse(long_q, &q, &err), PR_OK);
    pr_query_free(q);
    free(long_q);
  }
  /* NULL out: an error, not a crash */
  {
    pr_error err;
    CHECK_INT(pr_query_parse("@article", NULL, &err), PR_ERR_ARG);
    CHECK_STR(err.message, "no place for the query");
    CHECK_INT(pr_query_parse(NULL, NULL, NULL), PR_ERR_ARG);
  }
  pr_bib_free(bib);
}

/* Catastrophic patterns on fields made for them: the render stops at once
   with an error naming the condition and the entry, never runs for
   minutes. The last two are slow per start position but under PCRE2's
   per-position limit, so only the budget of the whole match stops them. */
static void test_regex_limits(void) {
  char as[61], run[4000];
  memset(as, 'a', 60);
  as[60] = '\0';
  size_t n = 0;
  for (int i = 0; i < 150; i++) n += (size_t)snprintf(run + n, sizeof run - n, "aaaaaaaaaaaaaaaaaaaaaa ");
  static const struct { const char *cond; const char *shown; } bombs[] = {
      {"title~=(a*)*b", "title~=(a*)*b"},
      {"title~=(a|aa)*\\1b", "title~=(a|aa)*\\1b"},
      {"title~=((a+)\\2)+b", "title~=((a+)\\2)+b"},
      {"title~=^(\\w+)*\\1b", "title~=^(\\w+)*\\1b"},
      {"title!~(a*)*b", "title!~(a*)*b"},
      {"note~=(a|aa)*z", "note~=(a|aa)*z"},
      {"note~=(a|a)*z", "note~=(a|a)*z"},
  };
  char bibtext[8000];
  snprintf(bibtext, sizeof bibtext,
           "@misc{ok, title = {fine}}\n@misc{bomb, title = {%sc b}, note = {%sz}}\n", as, run);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, bibtext, strlen(bibtext), "bomb.bib", &err), PR_OK);
  for (size_t i = 0; i < sizeof bombs / sizeof *bombs; i++) {
    char *query = malloc(128), want[300];
    snprintf(query, 128, "@*[%s]", bombs[i].cond);
    pr_options *o = pr_options_new();
    CHECK_INT(pr_options_set_query(o, query, &err), PR_OK);
    free(query); /* the query keeps its own copy of the text for errors */
    char *out = NULL;
    clock_t t0 = clock();
    CHECK_INT(pr_render_string(bib, o, &out, NULL, NULL, &err), PR_ERR_INPUT);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs >= 2) printf("%s: %.2f s\n", bombs[i].cond, secs);
    CHECK_TIMED(secs < 2);
    CHECK(out == NULL);
    snprintf(want, sizeof want,
             "query condition '%s': the regular expression needs too many steps on field '%s' "
             "of entry 'bomb' (limits: README, --query)",
             bombs[i].shown, bombs[i].cond[0] == 't' ? "title" : "note");
    CHECK_STR(err.message, want);
    CHECK_STR(err.source, "bomb.bib");
    CHECK_INT(err.line, 2);
    pr_free(out);
    pr_options_free(o);
  }
  /* an ordinary expression on the same long fields still works */
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_query(o, "@*[note~=(?:a{22} )+z$ && title~=a{60}c]", &err), PR_OK);
  pr_plan p;
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, &err), 0);
  CHECK_INT(p.nall, 1);
  pr_plan_clear(&p);
  pr_options_free(o);
  pr_bib_free(bib);
}

int main(void) {
  test_queries();
  test_regex();
  test_regex_limits();
  test_sorting();
  test_grouping();
  return tests_done();
}
