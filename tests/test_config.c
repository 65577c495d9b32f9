/* test_config.c - pubrender.yml and al-folio's venues.yml / coauthors.yml:
   exact lookups, every configuration key applied, every error with its
   exact "file:line:column: message". Runs from the source tree
   (fixtures in tests/config/). */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

#define DIR "tests/config/"

/* "source:line:column: message" (line and column left out when 0). */
static const char *fmt_err(const pr_error *e) {
  static char buf[600];
  if (!e->line) snprintf(buf, sizeof buf, "%s: %s", e->source, e->message);
  else if (!e->column) snprintf(buf, sizeof buf, "%s:%u: %s", e->source, e->line, e->message);
  else snprintf(buf, sizeof buf, "%s:%u:%u: %s", e->source, e->line, e->column, e->message);
  return buf;
}

/* The names of one entry, to look co-authors up. */
static const char *names_bib =
    "@article{n, title = {T}, year = 1935, author = {"
    "Podolsky, B. and Boris Yakovlevich Podolsky and Bach, C. P. E. and Bach, J. S. and "
    "Schr{\\\"o}dinger, Erwin and Schrödinger, Erwin and Nobody, Jane and Rosen, Nathan and "
    "Bach, J. and Bach, Anna and Podolsky and ADAMS, E. P. and Carl Philipp Emanuel Bach and "
    "Przibram, K. and Lorentz, H. and others}}\n";

static const char *url_of(const pr_options *o, const pr_entry *e, size_t i) {
  return pr_coauthor_url(o, pr_entry_name(e, "author", i));
}

static void test_coauthors(void) {
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_options_load_coauthors(o, DIR "alfolio-coauthors.yml", &err), PR_OK);
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(bib, names_bib, strlen(names_bib), "n.bib", &err), PR_OK);
  const pr_entry *e = pr_bib_find(bib, "n");
  CHECK(e != NULL);
  if (!e) return;
  CHECK_INT(pr_entry_name_count(e, "author"), 16);
  const char *podolsky = "https://en.wikipedia.org/wiki/Boris_Podolsky";
  const char *cpe = "https://en.wikipedia.org/wiki/Carl_Philipp_Emanuel_Bach";
  const char *js = "https://en.wikipedia.org/wiki/Johann_Sebastian_Bach";
  const char *schr = "https://en.wikipedia.org/wiki/Erwin_Schr%C3%B6dinger";
  CHECK_STR(url_of(o, e, 0), podolsky);                       /* Podolsky, B. */
  CHECK_STR(url_of(o, e, 1), podolsky);                       /* Boris Yakovlevich */
  CHECK_STR(url_of(o, e, 2), cpe);                            /* Bach, C. P. E. */
  CHECK_STR(url_of(o, e, 3), js);                             /* Bach, J. S. */
  CHECK_STR(url_of(o, e, 4), schr);                           /* Schr{\"o}dinger */
  CHECK_STR(url_of(o, e, 5), schr);                           /* Schrödinger (UTF-8) */
  CHECK(url_of(o, e, 6) == NULL);                             /* Nobody, Jane */
  CHECK_STR(url_of(o, e, 7), "https://en.wikipedia.org/wiki/Nathan_Rosen");
  CHECK_STR(url_of(o, e, 8), js);                             /* Bach, J.: initials */
  CHECK(url_of(o, e, 9) == NULL);                             /* Bach, Anna */
  CHECK(url_of(o, e, 10) == NULL);                            /* Podolsky: no first name */
  CHECK_STR(url_of(o, e, 11), "https://en.wikipedia.org/wiki/Edwin_Plimpton_Adams");
  CHECK_STR(url_of(o, e, 12), cpe);                           /* First Last order */
  CHECK_STR(url_of(o, e, 13), "https://link.springer.com/article/10.1007/s00016-019-00242-z");
  CHECK_STR(url_of(o, e, 14), "https://en.wikipedia.org/wiki/Hendrik_Lorentz"); /* H. ~ Hendrik Antoon */
  CHECK(url_of(o, e, 15) == NULL);                            /* others */
  CHECK(pr_coauthor_url(o, NULL) == NULL);
  CHECK_INT(pr_options_file_count(o), 1);
  CHECK_STR(pr_options_file(o, 0), DIR "alfolio-coauthors.yml");

  /* without a co-authors file: nothing */
  pr_options *none = pr_options_new();
  CHECK(url_of(none, e, 0) == NULL);
  pr_options_free(none);

  /* from a buffer: a key with accents and capitals, firstname as one string,
     von in the key, an exact variant preferred over an initials match */
  static const char *yml =
      "Schrödinger:\n  - firstname: Annemarie\n    url: /annemarie\n"
      "beethoven:\n  - firstname: [Ludwig]\n    url: /ludwig\n"
      "curie:\n  - firstname: [M.]\n    url: /m\n  - firstname: [Marie]\n    url: /marie\n";
  static const char *bib2 =
      "@misc{m, author = {Schrodinger, Annemarie and Ludwig van Beethoven and Curie, Marie and "
      "Curie, Maurice}}\n";
  CHECK_INT(pr_options_load_coauthors_buffer(o, yml, strlen(yml), "c.yml", &err), PR_OK);
  pr_bib *b2 = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(b2, bib2, strlen(bib2), "m.bib", &err), PR_OK);
  const pr_entry *m = pr_bib_find(b2, "m");
  CHECK_STR(url_of(o, m, 0), "/annemarie");
  CHECK_STR(url_of(o, m, 1), "/ludwig");
  CHECK_STR(url_of(o, m, 2), "/marie");
  CHECK_STR(url_of(o, m, 3), "/m");
  CHECK(url_of(o, e, 0) == NULL); /* the new file replaced the old one */
  pr_bib_free(b2);
  /* apostrophes: ' and ’ are one (the converter makes ’ of '), and dropped */
  static const char *yml3 = "O'Brien:\n  - firstname: [Conan]\n    url: /conan\n"
                            "D’Angelo:\n  - firstname: [Cid]\n    url: /cid\n";
  static const char *bib3 = "@misc{a, author = {O’Brien, Conan and D'Angelo, Cid and OBrien, Conan "
                            "and Conan O{'}Brien}}\n";
  CHECK_INT(pr_options_load_coauthors_buffer(o, yml3, strlen(yml3), "c.yml", &err), PR_OK);
  pr_bib *b3 = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(b3, bib3, strlen(bib3), "a.bib", &err), PR_OK);
  const pr_entry *a3 = pr_bib_find(b3, "a");
  CHECK_STR(url_of(o, a3, 0), "/conan");
  CHECK_STR(url_of(o, a3, 1), "/cid");
  CHECK_STR(url_of(o, a3, 2), "/conan");
  CHECK_STR(url_of(o, a3, 3), "/conan");
  pr_bib_free(b3);
  pr_bib_free(bib);
  pr_options_free(o);
}

static void test_venues(void) {
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK(pr_venue_find(o, "AJP") == NULL);
  CHECK_INT(pr_options_load_venues(o, DIR "alfolio-venues.yml", &err), PR_OK);
  const pr_venue *v = pr_venue_find(o, "AJP");
  CHECK(v != NULL);
  if (v) {
    CHECK_STR(v->url, "https://aapt.scitation.org/journal/ajp");
    CHECK_STR(v->color, "#00369f");
  }
  v = pr_venue_find(o, "PhysRev");
  CHECK(v && v->color == NULL);
  if (v) CHECK_STR(v->url, "https://journals.aps.org/");
  v = pr_venue_find(o, "Vision");
  CHECK(v && v->url == NULL);
  if (v) CHECK_STR(v->color, "#009f36");
  CHECK(pr_venue_find(o, "ajp") == NULL);   /* exact, as al-folio looks it up */
  CHECK(pr_venue_find(o, "Nature") == NULL);
  CHECK(pr_venue_find(o, NULL) == NULL);
  /* a failed load leaves the venues as they were */
  static const char *bad = "AJP: [1, 2]\n";
  CHECK_INT(pr_options_load_venues_buffer(o, bad, strlen(bad), "v.yml", &err), PR_ERR_INPUT);
  CHECK_STR(fmt_err(&err), "v.yml:1:6: venue 'AJP' must be a mapping with url and color, not a list");
  CHECK(pr_venue_find(o, "AJP") != NULL);
  /* an empty file is no venues */
  CHECK_INT(pr_options_load_venues_buffer(o, "", 0, "e.yml", &err), PR_OK);
  CHECK(pr_venue_find(o, "AJP") == NULL);
  pr_options_free(o);
}

/* The plan's keys for options o, groups as "[heading]". */
static const char *plan_keys(const pr_bib *bib, const pr_options *o) {
  static char buf[512];
  pr_plan p;
  buf[0] = '\0';
  CHECK_INT(pr_plan_build(&p, bib, &o->sel, NULL), 0);
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
  return buf;
}

static const char *plan_bib =
    "@article{a1, title = {Beta}, author = {Einstein, A.}, year = 1935}\n"
    "@article{a2, title = {Alpha}, author = {Podolsky, B.}, year = 1935}\n"
    "@article{a3, title = {Old}, author = {Planck, Max}, year = 1920}\n"
    "@misc{m1, title = {Talk}, author = {Rosen, N.}, year = 1935}\n"
    "@book{b1, title = {Book}, author = {Bach, J. S.}, year = 1940}\n";

static void test_full_config(void) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  pr_status st = pr_options_load_config(o, DIR "full/pubrender.yml", &err);
  CHECK_INT(st, PR_OK);
  if (st != PR_OK) printf("  %s\n", fmt_err(&err));
  CHECK_INT(o->format, PR_FORMAT_MARKDOWN);
  CHECK_INT(o->standalone, 1);
  CHECK_INT(o->nhl, 2);
  CHECK_STR(pr_legend_text(o, "*"), "Joint first authors");
  CHECK(pr_legend_text(o, "\xe2\x80\xa0") == NULL);           /* removed with ~ */
  CHECK_STR(pr_legend_text(o, "\xe2\x80\xa1"), "Student");
  CHECK_INT(o->sel.group_year, 1);
  CHECK_INT(o->sel.group_type, 0);
  CHECK_INT(o->sel.number_per_group, 1);
  CHECK_INT(o->sel.reverse_numbers, 1);
  CHECK_INT(o->heading_level, 3);
  CHECK_STR(pr_type_heading(&o->sel, "article"), "Papers");
  CHECK_STR(pr_type_heading(&o->sel, "misc"), "Talks");
  CHECK_INT(o->sel.ntype_order, 2);
  if (o->sel.ntype_order == 2) {
    CHECK_STR(o->sel.type_order[0], "misc");
    CHECK_STR(o->sel.type_order[1], "article");
  }
  pr_encoding enc = PR_ENCODING_UTF8;
  CHECK_INT(pr_options_get_encoding(o, &enc), 1);
  CHECK_INT(enc, PR_ENCODING_LATIN1);
  CHECK_INT(o->max_authors, 5);
  CHECK_STR(o->link_prefix, "/assets/pdf/");
  CHECK_STR(o->template_dir, DIR "full/../../../templates");
  CHECK_STR(pr_annotation_mark(o, "equal"), "*");
  CHECK_STR(pr_annotation_mark(o, "student"), "\xe2\x80\xa1");
  CHECK(pr_annotation_mark(o, "corresponding") == NULL);
  const pr_venue *v = pr_venue_find(o, "AJP");
  CHECK(v && v->color && strcmp(v->color, "#00369f") == 0);
  CHECK_INT(pr_options_file_count(o), 3);
  CHECK_STR(pr_options_file(o, 0), DIR "full/pubrender.yml");
  CHECK_STR(pr_options_file(o, 1), DIR "full/../alfolio-venues.yml");
  CHECK_STR(pr_options_file(o, 2), DIR "full/../alfolio-coauthors.yml");
  CHECK(pr_options_file(o, 3) == NULL);

  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(bib, plan_bib, strlen(plan_bib), "p.bib", &err), PR_OK);
  /* query keeps articles from 1930 and misc; sorted year:desc then title;
     grouped by year */
  CHECK_STR(plan_keys(bib, o), "[1935] a2 a1 m1");
  /* the highlight and co-author settings reach the names */
  const pr_entry *a1 = pr_bib_find(bib, "a1"), *a2 = pr_bib_find(bib, "a2");
  CHECK_INT(pr_name_is_highlighted(o, pr_entry_name(a1, "author", 0)), 1);
  CHECK_INT(pr_name_is_highlighted(o, pr_entry_name(a2, "author", 0)), 1);
  CHECK_STR(pr_coauthor_url(o, pr_entry_name(a2, "author", 0)),
            "https://en.wikipedia.org/wiki/Boris_Podolsky");

  /* command-line flags come after the file and override it */
  CHECK_INT(pr_options_set_group_by(o, "type", &err), PR_OK);
  CHECK_STR(plan_keys(bib, o), "[Talks] m1 [Papers] a2 a1");
  pr_bib_free(bib);
  pr_options_free(o);

  /* found next to the .bib */
  char *found = pr_options_find_config(DIR "full/pubs.bib");
  CHECK_STR(found, DIR "full/pubrender.yml");
  pr_free(found);
  CHECK(pr_options_find_config(DIR "pubs.bib") == NULL);
  CHECK(pr_options_find_config("-") == NULL);
  CHECK(pr_options_find_config(NULL) == NULL);
}

/* Smaller settings from buffers: other spellings of the same values. */
static void test_values(void) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  static const char *yml =
      "format: csl-json\nstandalone: False\nhighlight: Byungsoo Oh\nsort: -year\n"
      "group-by: [year, type]\nnumbering: continuous\nreverse-numbers: NO\n"
      "type-order: [Article, misc]\nencoding: UTF-8\nmax-authors: 0\n";
  pr_status st = pr_options_load_config_buffer(o, yml, strlen(yml), "b.yml", &err);
  CHECK_INT(st, PR_OK);
  if (st) printf("  %s\n", fmt_err(&err));
  CHECK_INT(o->format, PR_FORMAT_CSL_JSON);
  CHECK_INT(o->standalone, 0);
  CHECK_INT(o->nhl, 1);
  CHECK_INT(o->sel.group_year, 1);
  CHECK_INT(o->sel.group_type, 1);
  CHECK_INT(o->sel.number_per_group, 0);
  CHECK_INT(o->sel.reverse_numbers, 0);
  CHECK_INT(o->sel.ntype_order, 2);
  if (o->sel.ntype_order) CHECK_STR(o->sel.type_order[0], "article");
  pr_encoding enc = PR_ENCODING_LATIN1;
  CHECK_INT(pr_options_get_encoding(o, &enc), 1);
  CHECK_INT(enc, PR_ENCODING_UTF8);
  CHECK_INT(o->max_authors, 0);
  CHECK_INT(pr_options_file_count(o), 0);   /* a buffer is no file */
  /* an empty configuration changes nothing */
  CHECK_INT(pr_options_load_config_buffer(o, "# nothing yet\n", 14, "e.yml", &err), PR_OK);
  CHECK_INT(o->format, PR_FORMAT_CSL_JSON);
  /* the setters */
  pr_options *d = pr_options_new();
  CHECK(pr_options_get_encoding(d, NULL) == 0);
  CHECK_INT(d->max_authors, 0);
  CHECK(d->link_prefix == NULL && d->template_dir == NULL);
  CHECK_INT(pr_options_set_max_authors(d, 3), PR_OK);
  CHECK_INT(pr_options_set_max_authors(d, -1), PR_ERR_ARG);
  CHECK_INT(d->max_authors, 3);
  CHECK_INT(pr_options_set_link_prefix(d, "/p/"), PR_OK);
  CHECK_STR(d->link_prefix, "/p/");
  CHECK_INT(pr_options_set_link_prefix(d, ""), PR_OK);
  CHECK(d->link_prefix == NULL);
  CHECK_INT(pr_options_set_template_dir(d, "templates", NULL), PR_OK);
  CHECK_STR(d->template_dir, "templates");
  CHECK_INT(pr_options_set_annotation(d, "equal", "#"), PR_OK);
  CHECK_INT(pr_options_set_annotation(d, "equal", "*"), PR_OK);
  CHECK_STR(pr_annotation_mark(d, "equal"), "*");
  CHECK_INT(pr_options_set_annotation(d, "equal", NULL), PR_OK);
  CHECK(pr_annotation_mark(d, "equal") == NULL);
  CHECK_INT(pr_options_set_encoding(d, (pr_encoding)7), PR_ERR_ARG);
  pr_options_free(d);
  pr_options_free(o);
}

/* Each error kind, with its exact text. */
static void check_file_error(const char *path, pr_status code, const char *want) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  CHECK_INT(pr_options_load_config(o, path, &err), code);
  CHECK_STR(fmt_err(&err), want);
  pr_options_free(o);
}

static void check_buffer_error(pr_status (*load)(pr_options *, const char *, size_t,
                                                  const char *, pr_error *),
                               const char *yml, pr_status code, const char *want) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  CHECK_INT(load(o, yml, strlen(yml), "x.yml", &err), code);
  CHECK_STR(fmt_err(&err), want);
  pr_options_free(o);
}

static void test_errors(void) {
  const pr_status IN = PR_ERR_INPUT;
  check_file_error(DIR "errors/unknown-key.yml", IN,
                   DIR "errors/unknown-key.yml:2:1: unknown key 'group_by' (did you mean 'group-by'?)");
  check_file_error(DIR "errors/wrong-type.yml", IN,
                   DIR "errors/wrong-type.yml:2:13: 'standalone' must be true or false, not 'maybe'");
  check_file_error(DIR "errors/heading-level.yml", IN,
                   DIR "errors/heading-level.yml:1:16: 'heading-level' must be an integer, not 'two'");
  /* a bad query: the column of the offending character in the file */
  check_file_error(DIR "errors/bad-query.yml", IN,
                   DIR "errors/bad-query.yml:2:28: invalid query: missing ']'");
  check_file_error(DIR "errors/syntax.yml", IN,
                   DIR "errors/syntax.yml:3:5: YAML syntax error: did not find expected ',' or '}' "
                   "(while parsing a flow mapping that starts at line 2, column 9)");
  check_file_error(DIR "errors/nope.yml", PR_ERR_IO,
                   DIR "errors/nope.yml: cannot open: No such file or directory");
  check_file_error(DIR "errors/venues-missing.yml", PR_ERR_IO,
                   DIR "errors/venues-missing.yml:2:9: venues file '" DIR "errors/nope.yml': "
                   "cannot open: No such file or directory");
  /* an error inside the venues file names that file */
  check_file_error(DIR "errors/venues-bad.yml", IN,
                   DIR "errors/bad-venues.yml:2:8: 'url' of venue 'AJP' must be text, not a list");

  /* configuration, from buffers */
  pr_status (*cfg)(pr_options *, const char *, size_t, const char *, pr_error *) =
      pr_options_load_config_buffer;
  check_buffer_error(cfg, "colour: red\n", IN, "x.yml:1:1: unknown key 'colour'");
  check_buffer_error(cfg, "sort: year\nsort: title\n", IN,
                     "x.yml:2:1: duplicate key 'sort' (first at line 1)");
  check_buffer_error(cfg, "heading-level: 9\n", IN,
                     "x.yml:1:16: 'heading-level' must be from 1 to 6, not '9'");
  check_buffer_error(cfg, "max-authors: -1\n", IN,
                     "x.yml:1:14: 'max-authors' must be 0 or more, not '-1'");
  check_buffer_error(cfg, "max-authors: \"3\"\n", IN,
                     "x.yml:1:14: 'max-authors' must be an integer, not '3'");
  check_buffer_error(cfg, "standalone: \"true\"\n", IN,
                     "x.yml:1:13: 'standalone' must be true or false, not 'true'");
  check_buffer_error(cfg, "query:\n", IN, "x.yml:1:7: 'query' must be text, not empty");
  check_buffer_error(cfg, "query: [a, b]\n", IN, "x.yml:1:8: 'query' must be text, not a list");
  check_buffer_error(cfg, "format: pdf\n", IN,
                     "x.yml:1:9: 'format' must be html, markdown, json, csl-json or view-json, not 'pdf'");
  check_buffer_error(cfg, "numbering: per-year\n", IN,
                     "x.yml:1:12: 'numbering' must be continuous or per-group, not 'per-year'");
  check_buffer_error(cfg, "encoding: ebcdic\n", IN,
                     "x.yml:1:11: 'encoding' must be utf-8 or latin1, not 'ebcdic'");
  check_buffer_error(cfg, "highlight: {Oh: B}\n", IN,
                     "x.yml:1:12: 'highlight' must be a name or a list of names, not a mapping");
  check_buffer_error(cfg, "highlight:\n  - Byungsoo Oh\n  - A and B\n", IN,
                     "x.yml:3:5: 'highlight' needs one person's name, not 'A and B'");
  check_buffer_error(cfg, "legend: \"*=Equal\"\n", IN,
                     "x.yml:1:9: 'legend' must be a mapping of mark to text, not '*=Equal'");
  check_buffer_error(cfg, "legend:\n  \"*\": [Equal]\n", IN,
                     "x.yml:2:8: '*' of 'legend' must be text, not a list");
  check_buffer_error(cfg, "type-names:\n  article:\n", IN,
                     "x.yml:2:11: 'article' of 'type-names' must be text, not empty");
  check_buffer_error(cfg, "type-order: [article, [misc]]\n", IN,
                     "x.yml:1:23: items of 'type-order' must be text, not a list");
  check_buffer_error(cfg, "sort: 'year:up'\n", IN,
                     "x.yml:1:13: invalid sort: sort direction must be asc or desc");
  check_buffer_error(cfg, "group-by: month\n", IN,
                     "x.yml:1:11: invalid group-by: unknown grouping 'month' (use none, year, type "
                     "or year,type)");
  check_buffer_error(cfg, "query: \"@*[title=\\\"x\\\"\"\n", IN,
                     "x.yml:1:8: invalid query: missing ']' at column 13");
  check_buffer_error(cfg, "template: no-such-dir\n", PR_ERR_IO,
                     "x.yml:1:11: template directory 'no-such-dir': No such file or directory");
  check_buffer_error(cfg, "template: README.md\n", PR_ERR_IO,
                     "x.yml:1:11: template directory 'README.md': not a directory");
  check_buffer_error(cfg, "- format: html\n", IN,
                     "x.yml:1:1: a configuration file is a mapping of option names to values, "
                     "not a list");
  check_buffer_error(cfg, "format: html\n---\nformat: json\n", IN,
                     "x.yml:2:1: a second YAML document: the file must hold one");
  check_buffer_error(cfg, "format: 'html\n", IN,
                     "x.yml:2:1: YAML syntax error: found unexpected end of stream (while "
                     "scanning a quoted scalar that starts at line 1, column 9)");
  check_buffer_error(cfg, "format: \xff\n", IN,
                     "x.yml:1:9: YAML: invalid leading UTF-8 octet");
  /* an alias of a collection is refused (no "billion laughs") */
  check_buffer_error(cfg, "legend: &l {\"*\": A}\ntype-names: *l\nannotations: *l\n", IN,
                     "x.yml:1:9: an alias of a list or mapping is not supported here");

  /* al-folio's files: wrong shapes */
  pr_status (*co)(pr_options *, const char *, size_t, const char *, pr_error *) =
      pr_options_load_coauthors_buffer;
  check_buffer_error(co, "adams:\n  firstname: [Edwin]\n  url: /e\n", IN,
                     "x.yml:2:3: 'adams' must be a list of co-authors (- firstname: [...], url: "
                     "...), not a mapping");
  check_buffer_error(co, "adams:\n  - firstname: [Edwin]\n", IN,
                     "x.yml:2:5: a co-author under 'adams' needs 'url'");
  check_buffer_error(co, "adams:\n  - url: /e\n", IN,
                     "x.yml:2:5: a co-author under 'adams' needs 'firstname'");
  check_buffer_error(co, "adams:\n  - firstname: {a: b}\n    url: /e\n", IN,
                     "x.yml:2:16: 'firstname' of a co-author under 'adams' must be a list of "
                     "names, not a mapping");
  check_buffer_error(co, "adams:\n  - firstname: [Edwin, [E.]]\n    url: /e\n", IN,
                     "x.yml:2:24: a first name under 'adams' must be text, not a list");
  check_buffer_error(co, "adams:\n  - firstname: [Edwin]\n    url:\n", IN,
                     "x.yml:3:9: 'url' of a co-author under 'adams' must be text, not empty");
  check_buffer_error(co, "adams:\n  - Edwin\n", IN,
                     "x.yml:2:5: a co-author under 'adams' must be a mapping with firstname and "
                     "url, not 'Edwin'");
  check_buffer_error(co, "adams: []\nadams: []\n", IN,
                     "x.yml:2:1: duplicate key 'adams' (first at line 1)");
  check_buffer_error(co, "[adams]\n", IN,
                     "x.yml:1:1: a co-authors file is a mapping of last names to lists of "
                     "{firstname, url}, not a list");
  check_buffer_error(co, "adams:\n  - firstname: [Edwin\n", IN,
                     "x.yml:3:1: YAML syntax error: did not find expected ',' or ']' (while "
                     "parsing a flow sequence that starts at line 2, column 16)");
  pr_status (*ve)(pr_options *, const char *, size_t, const char *, pr_error *) =
      pr_options_load_venues_buffer;
  check_buffer_error(ve, "AJP:\n  color: {r: 0}\n", IN,
                     "x.yml:2:10: 'color' of venue 'AJP' must be text, not a mapping");
  check_buffer_error(ve, "just text\n", IN,
                     "x.yml:1:1: a venues file is a mapping of abbr to {url, color}, not "
                     "'just text'");

  pr_options *o = pr_options_new();
  pr_error err = {0};
  CHECK_INT(pr_options_load_venues(o, DIR "nope.yml", &err), PR_ERR_IO);
  CHECK_STR(fmt_err(&err), DIR "nope.yml: cannot open: No such file or directory");
  CHECK_INT(pr_options_file_count(o), 0);
  pr_options_free(o);
}

/* issue 12: aliases are counted as copies of what they name; past 1,000,000
   nodes or 16 MiB of text it is an error at the alias, in every loader. */
static void test_alias_limits(void) {
  size_t big = 100000, uses = 200;
  size_t cap = big + uses * 4 + 256;
  char *y = malloc(cap);
  pr_options *o = pr_options_new();
  pr_error err;
  static const struct { const char *head, *tail; unsigned col0; } forms[] = {
      {"oh:\n  - firstname: [&a \"", "]\n    url: https://example.org/\n", 16},
      {"highlight: [&a \"", "]\n", 12},   /* col0: the length before "&a" */
  };
  for (size_t f = 0; f < 2; f++) {
    size_t n = (size_t)snprintf(y, cap, "%s", forms[f].head);
    memset(y + n, 'x', big);
    n += big;
    n += (size_t)snprintf(y + n, cap - n, "\"");
    for (size_t i = 0; i < uses; i++) n += (size_t)snprintf(y + n, cap - n, ", *a");
    n += (size_t)snprintf(y + n, cap - n, "%s", forms[f].tail);
    pr_status st = f == 0 ? pr_options_load_coauthors_buffer(o, y, n, "c.yml", &err)
                          : pr_options_load_config_buffer(o, y, n, "c.yml", &err);
    CHECK_INT(st, PR_ERR_INPUT);
    CHECK_STR(err.message, "aliases expand the file to more than 16 MiB of text");
    CHECK_STR(err.source, "c.yml");
    /* the 167th alias passes 16 MiB (with the anchor's own 100,000 bytes) */
    CHECK_INT(err.line, f == 0 ? 2 : 1);
    CHECK_INT(err.column, forms[f].col0 + 4 + big + 1 + 3 + 166 * 4);
  }
  /* nodes: a list of 10 aliases of a list of 10 ... (lists are also refused
     when walked, but the count comes first) */
  const char *nested = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
  CHECK_INT(pr_options_load_venues_buffer(o, nested, strlen(nested), "v.yml", &err), PR_ERR_INPUT);
  CHECK_STR(err.message, "aliases expand the file to more than 1000000 nodes");
  CHECK_INT(err.line, 6);   /* f's 8th alias: 124,478 nodes before f, 111,111 each */
  CHECK_INT(err.column, 8 + 4 * 7);
  /* a few aliases of scalars are fine */
  const char *fine = "oh:\n  - firstname: [&b Byungsoo, B.]\n    url: &u https://example.org/\n"
                     "kim:\n  - firstname: *b\n    url: *u\n";
  CHECK_INT(pr_options_load_coauthors_buffer(o, fine, strlen(fine), "ok.yml", &err), PR_OK);
  pr_options_free(o);
  free(y);
}

/* An al-folio site (tests/sites, written for these tests) into options. */
static void test_site(void) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  pr_site *site = NULL;
  pr_status st = pr_site_load(o, "tests/sites/plain", &site, &err);
  CHECK_INT(st, PR_OK);
  if (st) printf("  %s\n", fmt_err(&err));
  CHECK_INT(pr_site_bib_count(site), 1);
  CHECK_STR(pr_site_bib(site, 0), "tests/sites/plain/_bibliography/papers.bib");
  CHECK_INT(pr_site_diag_count(site), 0);
  CHECK_INT(o->sel.group_year, 1);
  CHECK_INT(o->sel.group_type, 0);
  CHECK_INT(o->sel.group_order, -1);        /* group_order: descending */
  CHECK_INT(o->max_authors, 2);         /* max_author_limit at the top level */
  CHECK_INT(o->nhl, 2);                 /* Doe x {Jane, J.} */
  CHECK_INT(o->sel.sort.n, 1);              /* sort_by absent: jekyll-scholar's none */
  if (o->sel.sort.n) CHECK_STR(o->sel.sort.keys[0].field, "none");
  CHECK_INT(pr_options_file_count(o), 3);
  CHECK_STR(pr_options_file(o, 0), "tests/sites/plain/_config.yml");
  CHECK_STR(pr_options_file(o, 1), "tests/sites/plain/_data/venues.yml");
  CHECK_STR(pr_options_file(o, 2), "tests/sites/plain/_data/coauthors.yml");
  CHECK_STR(pr_type_heading(&o->sel, "inproceedings"), "Conference Articles"); /* jekyll-scholar's */
  CHECK_STR(pr_type_heading(&o->sel, "phdthesis"), "Theses");
  pr_site_free(site);
  pr_options_free(o);

  o = pr_options_new();
  CHECK_INT(pr_site_load(o, "tests/sites/years", &site, &err), PR_OK);
  CHECK_STR(pr_site_bib(site, 0), "tests/sites/years/_bibliography/papers.bib"); /* papers */
  CHECK_INT(o->sel.group_year, 0);
  CHECK_INT(o->sel.group_order, 1);         /* jekyll-scholar's ascending */
  CHECK_INT(o->nhl, 1);                 /* last_name: Doe, a string */
  pr_site_free(site);
  /* a directory with no _config.yml */
  CHECK_INT(pr_site_load(o, "tests/sites", &site, &err), PR_ERR_IO);
  CHECK(site == NULL);
  CHECK_STR(err.source, "tests/sites/_config.yml");
  CHECK_INT(pr_site_load(NULL, "x", &site, &err), PR_ERR_ARG);
  pr_site_free(NULL);
  CHECK_INT(pr_site_bib_count(NULL), 0);
  CHECK(pr_site_diag(NULL, 0) == NULL);

  /* group-order in pubrender.yml */
  CHECK_INT(pr_options_load_config_buffer(o, "group-order: asc\n", 17, "g.yml", &err), PR_OK);
  CHECK_INT(o->sel.group_order, 1);
  CHECK_INT(pr_options_load_config_buffer(o, "group-order: up\n", 16, "g.yml", &err), PR_ERR_INPUT);
  CHECK_STR(fmt_err(&err), "g.yml:1:14: 'group-order' must be desc or asc, not 'up'");
  CHECK_INT(pr_options_set_group_order(o, 2), PR_ERR_ARG);
  pr_options_free(o);

  /* years that are words */
  CHECK_INT(pr_year_word_kind("Preprint"), 1);
  CHECK_INT(pr_year_word_kind("{In Press}"), 1);
  CHECK_INT(pr_year_word_kind("to appear"), 1);
  CHECK_INT(pr_year_word_kind("Under-Review."), 1);
  CHECK_INT(pr_year_word_kind("FORTHCOMING"), 1);
  CHECK_INT(pr_year_word_kind("n.d."), 0);
  CHECK_INT(pr_year_word_kind("2024"), 0);
  CHECK_INT(pr_year_word_kind("to appear 2024"), 0);   /* the number is the year */
  CHECK_INT(pr_year_word_kind("?"), 0);
  CHECK_INT(pr_year_word_kind("Someday"), 2);
  CHECK_INT(pr_year_word_kind(NULL), 0);
}

int main(void) {
  test_site();
  test_alias_limits();
  test_coauthors();
  test_venues();
  test_full_config();
  test_values();
  test_errors();
  return tests_done();
}
