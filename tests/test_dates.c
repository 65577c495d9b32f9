#define _POSIX_C_SOURCE 200809L
/* test_dates.c - dates as BibTeX and biblatex files write them (issue 16
   item 1, README "Dates"): for each shape the CSL-JSON "issued", the first
   year (sorting, grouping, queries), the month, the year label, and the
   bad-date warning for a value that is not a date. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

static pr_bib *parse(const char *text) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "d.bib", &err), PR_OK);
  return bib;
}

/* The "issued" member of bib's only entry in CSL-JSON, compact ("null" when absent). */
static char *issued(pr_bib *bib) {
  pr_options *o = pr_options_new();
  pr_error err;
  char *out = NULL, *s = NULL;
  size_t len = 0;
  CHECK_INT(pr_options_set_format(o, PR_FORMAT_CSL_JSON), PR_OK);
  CHECK_INT(pr_render_string(bib, o, &out, &len, NULL, &err), PR_OK);
  json_t *a = out ? json_loads(out, 0, NULL) : NULL;
  json_t *i = a ? json_object_get(json_array_get(a, 0), "issued") : NULL;
  s = i ? json_dumps(i, JSON_COMPACT | JSON_PRESERVE_ORDER) : strdup("null");
  json_decref(a);
  free(out);
  pr_options_free(o);
  return s;
}

/* The year label of the only entry, as the view shows it. */
static char *label(const pr_bib *bib) {
  pr_date d;
  const char *lit, *bad, *why;
  char buf[48];
  pr_entry_read_date(pr_bib_entry(bib, 0), "", &d, &lit, &bad, &why);
  pr_date_label(&d, buf, sizeof buf);
  return strdup(buf);
}

typedef struct date_case {
  const char *fields, *issued, *label;
  int year, month;
} date_case;

static void test_shapes(void) {
  static const date_case cases[] = {
      /* BibTeX year ranges and open ranges, as real files write them */
      {"year = \"1991--1992\"", "{\"date-parts\":[[1991],[1992]]}", "1991\xe2\x80\x93" "1992", 1991, 0},
      {"year = \"1987--date{}\"", "{\"date-parts\":[[1987],[0]]}", "1987\xe2\x80\x93", 1987, 0},
      {"year = {1987--present}", "{\"date-parts\":[[1987],[0]]}", "1987\xe2\x80\x93", 1987, 0},
      {"year = {1991-92}", "{\"date-parts\":[[1991],[1992]]}", "1991\xe2\x80\x93" "1992", 1991, 0},
      {"year = {1999-00}", "{\"date-parts\":[[1999],[2000]]}", "1999\xe2\x80\x93" "2000", 1999, 0},
      {"year = {1991/1992}", "{\"date-parts\":[[1991],[1992]]}", "1991\xe2\x80\x93" "1992", 1991, 0},
      {"year = {2019\xe2\x80\x93" "2020}", "{\"date-parts\":[[2019],[2020]]}", "2019\xe2\x80\x93" "2020", 2019, 0},
      {"year = {2019\\textendash 2020}", "{\"date-parts\":[[2019],[2020]]}", "2019\xe2\x80\x93" "2020", 2019, 0},
      {"year = {1991 -- 1992}", "{\"date-parts\":[[1991],[1992]]}", "1991\xe2\x80\x93" "1992", 1991, 0},
      {"year = {{2020--}}", "{\"date-parts\":[[2020],[0]]}", "2020\xe2\x80\x93", 2020, 0},
      {"year = {1991--1991}", "{\"date-parts\":[[1991]]}", "1991", 1991, 0},
      {"year = 2024", "{\"date-parts\":[[2024]]}", "2024", 2024, 0},
      {"year = {c. 1900}", "{\"date-parts\":[[1900]],\"circa\":true}", "c. 1900", 1900, 0},
      {"year = {2020a}", "{\"literal\":\"2020a\"}", "2020", 2020, 0},
      {"year = {Preprint}", "{\"literal\":\"Preprint\"}", "", 0, 0},
      /* biblatex dates (EDTF subset, biblatex manual 2.3.8) */
      {"date = {2020-05-12}", "{\"date-parts\":[[2020,5,12]]}", "2020", 2020, 5},
      {"date = {2020-05/2021}", "{\"date-parts\":[[2020,5],[2021]]}", "2020\xe2\x80\x93" "2021", 2020, 5},
      {"date = {2020-05-12/2020-05-14}", "{\"date-parts\":[[2020,5,12],[2020,5,14]]}", "2020", 2020, 5},
      {"date = {2020~}", "{\"date-parts\":[[2020]],\"circa\":true}", "c. 2020", 2020, 0},
      {"date = {2020?}", "{\"date-parts\":[[2020]]}", "2020?", 2020, 0},
      {"date = {2020%}", "{\"date-parts\":[[2020]],\"circa\":true}", "c. 2020?", 2020, 0},
      {"date = {../2021}", "{\"date-parts\":[[0],[2021]]}", "\xe2\x80\x93" "2021", 2021, 0},
      {"date = {/2021}", "{\"date-parts\":[[0],[2021]]}", "\xe2\x80\x93" "2021", 2021, 0},
      {"date = {2021/..}", "{\"date-parts\":[[2021],[0]]}", "2021\xe2\x80\x93", 2021, 0},
      {"date = {2021/}", "{\"date-parts\":[[2021],[0]]}", "2021\xe2\x80\x93", 2021, 0},
      {"date = {-0044}", "{\"date-parts\":[[-45]]}", "45 BC", -45, 0},
      /* biblatex's unspecified digits (EDTF level 1): a decade, a century as ranges */
      {"date = {199X}", "{\"date-parts\":[[1990],[1999]]}", "1990\xe2\x80\x93" "1999", 1990, 0},
      {"date = {19XX}", "{\"date-parts\":[[1900],[1999]]}", "1900\xe2\x80\x93" "1999", 1900, 0},
      {"date = {199x~}", "{\"date-parts\":[[1990],[1999]],\"circa\":true}", "c. 1990\xe2\x80\x93" "1999", 1990, 0},
      {"date = {2020-XX}", "{\"date-parts\":[[2020]]}", "2020", 2020, 0},
      {"date = {2020-XX-XX}", "{\"date-parts\":[[2020]]}", "2020", 2020, 0},
      {"date = {2020-10-XX}", "{\"date-parts\":[[2020,10]]}", "2020", 2020, 10},
      {"date = {0000}", "{\"date-parts\":[[-1]]}", "1 BC", -1, 0},
      {"date = {-0099-07-12/-0043-03-15}", "{\"date-parts\":[[-100,7,12],[-44,3,15]]}",
       "100 BC\xe2\x80\x93" "44 BC", -100, 7},
      {"date = {2020-21}", "{\"date-parts\":[[2020]],\"season\":1}", "2020", 2020, 0},
      {"date = {2020-05-12T10:30:00}", "{\"date-parts\":[[2020,5,12]]}", "2020", 2020, 5},
      {"date = {2020-02-29}", "{\"date-parts\":[[2020,2,29]]}", "2020", 2020, 2},
      {"date = {1984/1986}, year = 1984", "{\"date-parts\":[[1984],[1986]]}", "1984\xe2\x80\x93" "1986", 1984, 0},
      /* months with ranges and days, as the corpora write them */
      {"year = 1991, month = jun # \"--\" # jul", "{\"date-parts\":[[1991,6],[1991,7]]}", "1991", 1991, 6},
      {"year = 1991, month = {June--July}", "{\"date-parts\":[[1991,6],[1991,7]]}", "1991", 1991, 6},
      {"year = 1991, month = {5}, day = {12}", "{\"date-parts\":[[1991,5,12]]}", "1991", 1991, 5},
      {"year = 1991, month = {12~}", "{\"date-parts\":[[1991,12]]}", "1991", 1991, 12},
      {"year = 2020, month = oct # \"-\" # nov", "{\"date-parts\":[[2020,10],[2020,11]]}", "2020", 2020, 10},
      {"year = 2020, month = nov # \"\\slash \" # dec", "{\"date-parts\":[[2020,11],[2020,12]]}", "2020", 2020, 11},
      {"year = 2020, month = dec # \"--\" # jan", "{\"date-parts\":[[2020,12],[2021,1]]}", "2020\xe2\x80\x93" "2021", 2020, 12},
      {"year = 2020, month = jun # \"~24--26,\"", "{\"date-parts\":[[2020,6,24],[2020,6,26]]}", "2020", 2020, 6},
      {"year = 2020, month = aug # \"~31~--~\" # sep # \"~4,\"", "{\"date-parts\":[[2020,8,31],[2020,9,4]]}", "2020", 2020, 8},
      {"year = 2020, month = may # \" 2 - \" # may # \" 7\"", "{\"date-parts\":[[2020,5,2],[2020,5,7]]}", "2020", 2020, 5},
      {"year = 2020, month = {10--15 Jul}", "{\"date-parts\":[[2020,7,10],[2020,7,15]]}", "2020", 2020, 7},
      {"year = 2020, month = \"1~\" # mar", "{\"date-parts\":[[2020,3,1]]}", "2020", 2020, 3},
      {"year = 2020, month = {September 2--3}", "{\"date-parts\":[[2020,9,2],[2020,9,3]]}", "2020", 2020, 9},
      {"year = 2020, month = {MAY-JUN}", "{\"date-parts\":[[2020,5],[2020,6]]}", "2020", 2020, 5},
      {"year = 2020, month = {11--12}", "{\"date-parts\":[[2020,11],[2020,12]]}", "2020", 2020, 11},
      {"year = 2020, month = {Sep.}", "{\"date-parts\":[[2020,9]]}", "2020", 2020, 9},
      {"year = 2020, month = {Autumn}", "{\"date-parts\":[[2020]],\"season\":3}", "2020", 2020, 0},
      {"year = 2020, month = jun, day = {12--14}", "{\"date-parts\":[[2020,6,12],[2020,6,14]]}", "2020", 2020, 6},
      {"year = 1991, endyear = 1993", "{\"date-parts\":[[1991],[1993]]}", "1991\xe2\x80\x93" "1993", 1991, 0},
      /* not dates: the year when one can be read, CSL's literal */
      {"date = {2020-13-45}", "{\"literal\":\"2020-13-45\"}", "2020", 2020, 0},
      {"date = {2021-02-29}", "{\"literal\":\"2021-02-29\"}", "2021", 2021, 0},
      {"date = {2020-13-01}, year = 2019", "{\"date-parts\":[[2019]]}", "2019", 2019, 0},
      {"year = {19xx}", "{\"literal\":\"19xx\"}", "", 0, 0},
      {"year = {1992--1991}", "{\"literal\":\"1992\xe2\x80\x93" "1991\"}", "", 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[200];
    snprintf(text, sizeof text, "@misc{k, %s}", cases[i].fields);
    pr_bib *bib = parse(text);
    char *got = issued(bib), *lab = label(bib);
    CHECK_STR(got, cases[i].issued);
    CHECK_STR(lab, cases[i].label);
    CHECK_INT(pr_entry_year(pr_bib_entry(bib, 0)), cases[i].year);
    CHECK_INT(pr_entry_month(pr_bib_entry(bib, 0)), cases[i].month);
    if (strcmp(got ? got : "", cases[i].issued) || strcmp(lab, cases[i].label))
      printf("  (case %s)\n", cases[i].fields);
    free(got);
    free(lab);
    pr_bib_free(bib);
  }
}

/* Bad dates: a warning with the code bad-date naming entry and field, the
   value as written; never a crash. */
static void test_bad(void) {
  static const struct { const char *fields, *field, *message; } cases[] = {
      {"date = {2020-13-45}", "date",
       "entry 'k', field 'date': '2020-13-45' is not a date pubrender reads (the month is not "
       "01-12 or a season 21-24): its year is used; CSL-JSON gets it as a literal"},
      {"year = {19xx}", "year",
       "entry 'k', field 'year': '19xx' is not a date pubrender reads (not a year (digits, or a "
       "range such as 1991--1992)): shown as written, under a heading of its own, sorted as "
       "newer than every numbered year"},
      {"date = {199X/2001}", "date",
       "entry 'k', field 'date': '199X/2001' is not a date pubrender reads (a decade or century "
       "(199X, 19XX) in a range): CSL-JSON gets it as a literal; the entry is undated"},
      {"date = {1XXX}", "date",
       "entry 'k', field 'date': '1XXX' is not a date pubrender reads (a year is 4 digits "
       "(YYYY, -YYYY before 1 AD)): CSL-JSON gets it as a literal; the entry is undated"},
      {"date = {circa 1900}", "date",
       "entry 'k', field 'date': 'circa 1900' is not a date pubrender reads (a year is 4 digits "
       "(YYYY, -YYYY before 1 AD)): CSL-JSON gets it as a literal; the entry is undated"},
      {"year = 2020, month = {juniper}", "month",
       "entry 'k', field 'month': 'juniper' is not a date pubrender reads (not a month (a name, "
       "Jan..Dec, or 1..12; a range June--July; days June 24--26)): left out of the date"},
      {"year = 2020, month = feb, day = {30}", "day",
       "entry 'k', field 'day': '30' is not a date pubrender reads (not a day (1..31, or a range "
       "12--14)): left out of the date"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[200];
    snprintf(text, sizeof text, "@misc{k,\n %s}", cases[i].fields);
    pr_bib *bib = parse(text);
    CHECK_INT(pr_bib_diag_count(bib), 1);
    const pr_diag *d = pr_bib_diag(bib, 0);
    CHECK_STR(pr_diag_code(d), "bad-date");
    CHECK_STR(pr_diag_key(d), "k");
    CHECK_STR(pr_diag_field(d), cases[i].field);
    CHECK_INT(pr_diag_line(d), 2);
    CHECK_STR(pr_diag_message(d), cases[i].message);
    pr_bib_free(bib);
  }
  /* hostile: long, odd values give a warning, not a crash */
  char big[5000];
  memset(big, '9', sizeof big);
  memcpy(big, "@misc{k, year = {", 17);
  strcpy(big + sizeof big - 3, "}}");
  pr_bib *bib = parse(big);
  CHECK_INT(pr_entry_year(pr_bib_entry(bib, 0)), 0);
  pr_bib_free(bib);
  bib = parse("@misc{k, date = {----/////~~~???..}, month = {-}, day = {-}, year = {/}}");
  CHECK_INT(pr_entry_year(pr_bib_entry(bib, 0)), 0);
  pr_bib_free(bib);
}

/* The first year orders and groups; a query compares it, also from date. */
static void test_select(void) {
  pr_bib *bib = parse("@misc{a, title = {A}, year = {1991--1992}}\n"
                      "@misc{b, title = {B}, date = {2020-05/2021}}\n"
                      "@misc{c, title = {C}, year = {1995}}\n");
  pr_options *o = pr_options_new();
  pr_error err;
  char *out = NULL;
  size_t len = 0;
  CHECK_INT(pr_options_set_format(o, PR_FORMAT_MARKDOWN), PR_OK);
  CHECK_INT(pr_options_set_group_by(o, "year", &err), PR_OK);
  CHECK_INT(pr_options_set_query(o, "@*[year>=1991]", &err), PR_OK);
  CHECK_INT(pr_render_string(bib, o, &out, &len, NULL, &err), PR_OK);
  const char *h20 = out ? strstr(out, "## 2020\n") : NULL, *h95 = out ? strstr(out, "## 1995\n") : NULL;
  const char *h91 = out ? strstr(out, "## 1991\n") : NULL;
  CHECK(h20 && h95 && h91 && h20 < h95 && h95 < h91);
  CHECK(out && strstr(out, "1991\xe2\x80\x93" "1992") && strstr(out, "2020\xe2\x80\x93" "2021"));
  free(out);
  CHECK_INT(pr_options_set_query(o, "@*[year>=1996]", &err), PR_OK);
  CHECK_INT(pr_render_string(bib, o, &out, &len, NULL, &err), PR_OK);
  CHECK(out && strstr(out, "**B**") && !strstr(out, "**A**") && !strstr(out, "**C**"));
  free(out);
  pr_options_free(o);
  pr_bib_free(bib);
}

int main(void) {
  test_shapes();
  test_bad();
  test_select();
  return tests_done();
}
