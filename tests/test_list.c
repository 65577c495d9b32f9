/* test_list.c - the display model through the public header alone
   (pr_list_build and its accessors, linked against the shared library):
   exact values on tests/corpus/alfolio-site.bib and data/pubs.bib (owner,
   marks, the --max-authors cut, links, badge colour, venue, year label,
   groups and headings), the values against the golden HTML the built-in
   templates write, --format view-json against the accessors, and every
   accessor on NULL and out of range. Run from the source directory. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "pubrender.h"

#define SITE "tests/corpus/alfolio-site.bib"
#define PUBS "data/pubs.bib"

static pr_bib *load(const char *path) {
  pr_bib *b = pr_bib_new();
  pr_error err = {0};
  if (pr_bib_add_file(b, path, &err) != PR_OK) {
    printf("cannot read %s: %s\n", path, err.message);
    exit(1);
  }
  return b;
}

/* The options of the golden own_alfolio_full (tests/CMakeLists.txt). */
static pr_options *site_options(const char *group_by, int max_authors, const char *owner) {
  pr_options *o = pr_options_new();
  pr_error err = {0};
  CHECK(pr_options_set_group_by(o, group_by, &err) == PR_OK);
  CHECK(pr_options_set_max_authors(o, max_authors) == PR_OK);
  CHECK(pr_options_add_highlight(o, owner) == PR_OK);
  CHECK(pr_options_load_coauthors(o, "tests/corpus/alfolio-site-coauthors.yml", &err) == PR_OK);
  CHECK(pr_options_load_venues(o, "tests/corpus/alfolio-site-venues.yml", &err) == PR_OK);
  return o;
}

static const pr_item *find(const pr_list *l, const char *key) {
  for (size_t i = 0; i < pr_list_item_count(l); i++)
    if (strcmp(pr_entry_key(pr_item_entry(pr_list_item(l, i))), key) == 0)
      return pr_list_item(l, i);
  printf("no item %s\n", key);
  return NULL;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

/* Does html contain a + b + c? */
static int has3(const char *html, const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = malloc(n);
  snprintf(s, n, "%s%s%s", a, b, c);
  int r = strstr(html, s) != NULL;
  if (!r) printf("  not in the HTML: %s\n", s);
  free(s);
  return r;
}

/* Every item's id, title, venue, shown authors and links as the golden
   HTML of the built-in template has them. */
static void check_against_golden(const pr_list *l, const char *golden) {
  char *html = slurp(golden);
  CHECK(html != NULL);
  if (!html) return;
  for (size_t i = 0; i < pr_list_item_count(l); i++) {
    const pr_item *it = pr_list_item(l, i);
    CHECK(has3(html, "id=\"", pr_item_id(it), "\">"));
    if (pr_item_html(it, PR_ITEM_TITLE))
      CHECK(has3(html, "<div class=\"pubrender-title\">", pr_item_html(it, PR_ITEM_TITLE),
                 "</div>"));
    if (pr_item_html(it, PR_ITEM_VENUE))
      CHECK(has3(html, "<div class=\"pubrender-venue\">", pr_item_html(it, PR_ITEM_VENUE), ""));
    for (size_t k = 0; k < pr_item_link_count(it); k++) {
      char label[64];
      snprintf(label, sizeof label, "\">%s</a>", pr_item_link_label(it, k));
      CHECK(has3(html, "<a class=\"pubrender-link\" href=\"", pr_item_link_url(it, k), label));
    }
    for (size_t a = 0; a < pr_item_author_count(it); a++) {
      const char *open = pr_item_author_is_owner(it, a) ? "<strong class=\"pubrender-me\">"
                                                        : "<span class=\"pubrender-author\">";
      if (pr_item_author_url(it, a)) {
        char tail[512];
        snprintf(tail, sizeof tail, "\">%s</a>", pr_item_author_html(it, a));
        CHECK(has3(html, open, "<a class=\"pubrender-coauthor\" href=\"", pr_item_author_url(it, a)));
        CHECK(has3(html, pr_item_author_url(it, a), tail, ""));
      } else {
        CHECK(has3(html, open, pr_item_author_html(it, a), ""));
      }
    }
  }
  free(html);
}

static void test_site(void) {
  pr_bib *bib = load(SITE);
  pr_options *o = site_options("year", 3, "Ines Varga");
  pr_list *l = NULL;
  pr_error err = {0};
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  /* one group per year, newest first, numbers running on */
  CHECK_INT(pr_list_group_count(l), 8);
  CHECK_STR(pr_list_group_heading(l, 0), "2025");
  CHECK_STR(pr_list_group_heading(l, 7), "2018");
  CHECK_INT(pr_list_group_level(l, 0), 0);
  CHECK_INT(pr_list_group_start(l, 2), 3);
  CHECK_INT(pr_list_group_item_count(l, 2), 1);
  CHECK_INT(pr_list_item_count(l), 8);
  CHECK(pr_list_group_item(l, 2, 0) == pr_list_item(l, 2));

  const pr_item *prl = find(l, "Varga.PRL.2023");
  CHECK_STR(pr_item_id(prl), "pubrender-Varga.PRL.2023");
  CHECK_INT(pr_item_number(prl), 3);
  CHECK_STR(pr_item_marker(prl), "3.  ");
  CHECK_STR(pr_item_year_label(prl), "2023");
  CHECK_INT(pr_item_selected(prl), 1);
  CHECK_STR(pr_item_text(prl, PR_ITEM_TITLE), "Can a Thermocline Be Predicted from the Shore Alone?");
  CHECK_STR(pr_item_text(prl, PR_ITEM_VENUE), "Lake Phys. Lett.,, vol. 47, no. 10, pp. 777\xe2\x80\x93" "790, 2023");
  CHECK_STR(pr_item_html(prl, PR_ITEM_VENUE),
            "<em>Lake Phys. Lett.,</em>, vol. 47, no. 10, pp. 777\xe2\x80\x93" "790, 2023");
  /* the badge: LPS has a url and no colour */
  CHECK_STR(pr_item_text(prl, PR_ITEM_ABBR), "LPS");
  CHECK_STR(pr_item_badge_url(prl), "https://example.org/lps/");
  CHECK(pr_item_badge_color(prl) == NULL);
  CHECK(pr_item_badge_text_color(prl) == NULL);
  /* the owner first, with the marks written on the name; 4 names, the last hidden */
  CHECK_INT(pr_item_author_count(prl), 4);
  CHECK_STR(pr_item_author_text(prl, 0), "I. Varga");
  CHECK_INT(pr_item_author_is_owner(prl, 0), 1);
  CHECK_STR(pr_item_author_marks(prl, 0), "*\xe2\x80\xa0");
  CHECK(pr_item_author_url(prl, 0) == NULL);
  CHECK_STR(pr_item_author_sep(prl, 0), ", ");
  CHECK_STR(pr_item_author_text(prl, 1), "C. Okafor");
  CHECK_INT(pr_item_author_is_owner(prl, 1), 0);
  CHECK_STR(pr_item_author_marks(prl, 1), "*");
  CHECK_STR(pr_item_author_url(prl, 1), "https://example.org/people/okafor");
  CHECK_STR(pr_item_author_marks(prl, 2), "");
  CHECK_INT(pr_item_author_hidden(prl, 2), 0);
  CHECK_INT(pr_item_author_hidden(prl, 3), 1);
  CHECK_STR(pr_item_author_text(prl, 3), "Ana\xc3\xafs Dubois");
  CHECK_INT(pr_item_more_count(prl), 1);
  CHECK_STR(pr_item_text(prl, PR_ITEM_MORE_LABEL), "and 1 more author");
  CHECK(pr_item_text(prl, PR_ITEM_ROLE) == NULL);
  /* the annotation replaces the legend: Markdown with <br> */
  CHECK_STR(pr_item_html(prl, PR_ITEM_LEGEND), "* Equal contribution<br />\n\xe2\x80\xa0 Corresponding author");
  /* links in al-folio's order: doi expanded, relative pdf kept (no prefix set) */
  CHECK_INT(pr_item_link_count(prl), 11);
  CHECK_STR(pr_item_link_label(prl, 0), "HTML");
  CHECK_STR(pr_item_link_url(prl, 0), "https://example.org/lpl/abstract/47.777");
  CHECK_STR(pr_item_link_label(prl, 1), "PDF");
  CHECK_STR(pr_item_link_url(prl, 1), "varga2023shore.pdf");
  CHECK_STR(pr_item_link_label(prl, 9), "DOI");
  CHECK_STR(pr_item_link_url(prl, 9), "https://doi.org/10.5555/LPL.47.777");
  CHECK_STR(pr_item_text(prl, PR_ITEM_AWARD_NAME), "Best Paper");
  CHECK_STR(pr_item_html(prl, PR_ITEM_AWARD), "Best paper of the Lakeside meeting.");
  CHECK_STR(pr_item_html(prl, PR_ITEM_ABSTRACT),
            "We show that a thermocline’s depth follows from three shore measurements. The "
            "model needs no boat, and its error is below 0.4 m in 12 of 14 lakes.");
  CHECK(pr_item_text(prl, PR_ITEM_BIBTEX) == NULL); /* no bibtex_show */
  CHECK(pr_item_text(prl, PR_ITEM_NOTE) == NULL);

  /* a venue colour and the text colour that reads on it; BibTeX shown */
  const pr_item *mix = find(l, "okafor2022mixing");
  CHECK_STR(pr_item_badge_color(mix), "#00369f");
  CHECK_STR(pr_item_badge_text_color(mix), "#fff");
  CHECK_STR(pr_item_badge_url(mix), "https://example.org/jlp");
  CHECK(pr_item_text(mix, PR_ITEM_LEGEND) == NULL);
  CHECK(strncmp(pr_item_text(mix, PR_ITEM_BIBTEX), "@article{okafor2022mixing,\n", 27) == 0);
  CHECK_STR(pr_item_author_sep(mix, 1), ", and ");
  CHECK_STR(pr_item_author_url(mix, 2), "https://example.org/people/mueller");
  CHECK_STR(pr_item_author_html(mix, 2), "J\xc3\xb6rg M\xc3\xbcller");

  /* "and others": no comma before "et al." */
  const pr_item *sato = find(l, "sato2024sensing");
  CHECK_INT(pr_item_author_count(sato), 3);
  CHECK_STR(pr_item_author_sep(sato, 1), " ");
  CHECK_STR(pr_item_author_text(sato, 2), "et al.");
  CHECK_INT(pr_item_link_count(sato), 1);
  CHECK_STR(pr_item_link_url(sato, 0), "https://arxiv.org/abs/2401.01234");
  CHECK_STR(pr_item_html(sato, PR_ITEM_TITLE),
            "Sensing CO<span class=\"pubrender-math\">\\(_2\\)</span> Flux at the Water’s Edge");
  /* an eprint + archivePrefix arXiv link */
  const pr_item *pre = find(l, "varga2025preprint");
  CHECK_STR(pr_item_link_label(pre, 0), "arXiv");
  CHECK_STR(pr_item_link_url(pre, 0), "https://arxiv.org/abs/2502.00001");
  CHECK_INT(pr_item_more_count(pre), 2);
  CHECK_STR(pr_item_text(pre, PR_ITEM_MORE_LABEL), "and 2 more authors");
  /* a book with a preview */
  CHECK_STR(pr_item_preview(find(l, "varga2021currents")), "currents.png");
  CHECK_STR(pr_item_text(find(l, "varga2018thesis"), PR_ITEM_VENUE),
            "PhD thesis, University of Lakeside, 2018");

  check_against_golden(l, "tests/golden/own_alfolio_full.html");
  pr_list_free(l);
  pr_options_free(o);

  /* --max-authors 1 with an owner third: the hidden name before the owner is a cut */
  o = site_options("none", 1, "J\xc3\xb6rg M\xc3\xbcller");
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  CHECK_INT(pr_list_group_count(l), 1);
  CHECK(pr_list_group_heading(l, 0) == NULL);
  mix = find(l, "okafor2022mixing");
  CHECK_INT(pr_item_author_hidden(mix, 0), 0);
  CHECK_INT(pr_item_author_hidden(mix, 1), 1);
  CHECK_INT(pr_item_author_hidden(mix, 2), 0);
  CHECK_INT(pr_item_author_is_owner(mix, 2), 1);
  CHECK_INT(pr_item_author_cut(mix, 2), 1);
  CHECK_STR(pr_item_author_cut_label(mix, 2), "1 more author");
  CHECK_STR(pr_item_author_cut_sep(mix, 2), ", and ");
  CHECK_STR(pr_item_author_sep(mix, 0), ", ");
  CHECK_STR(pr_item_author_sep(mix, 2), "");
  CHECK_INT(pr_item_author_cut(mix, 0), 0);
  CHECK(pr_item_author_cut_label(mix, 0) == NULL);
  CHECK_INT(pr_item_more_count(mix), 0);
  pre = find(l, "varga2025preprint");
  CHECK_INT(pr_item_author_cut(pre, 4), 3);
  CHECK_STR(pr_item_author_cut_label(pre, 4), "3 more authors");
  /* the same cut as the built-in HTML template writes it */
  char *html = NULL;
  CHECK_INT(pr_render_string(bib, o, &html, NULL, NULL, &err), PR_OK);
  CHECK(html && strstr(html, "<span class=\"pubrender-author\"><a class=\"pubrender-coauthor\" "
                             "href=\"https://example.org/people/okafor\">Chidi Okafor</a></span>, "
                             "<details class=\"pubrender-more-authors\"><summary>1 more "
                             "author</summary><span class=\"pubrender-author\">I. "
                             "Varga</span></details>, and <strong class=\"pubrender-me\">"));
  pr_free(html);
  pr_list_free(l);
  pr_options_free(o);

  /* year, then type: a year heading without items over type groups one level down */
  o = site_options("year,type", 0, "Ines Varga");
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  CHECK_INT(pr_list_group_count(l), 16);
  CHECK_STR(pr_list_group_heading(l, 0), "2025");
  CHECK_INT(pr_list_group_level(l, 0), 0);
  CHECK_INT(pr_list_group_item_count(l, 0), 0);
  CHECK_STR(pr_list_group_heading(l, 1), "Other");
  CHECK_INT(pr_list_group_level(l, 1), 1);
  CHECK_INT(pr_list_group_start(l, 1), 1);
  CHECK_STR(pr_list_group_heading(l, 3), "Conference Papers");
  CHECK_STR(pr_list_group_heading(l, 5), "Journal Articles");
  CHECK_STR(pr_entry_key(pr_item_entry(pr_list_group_item(l, 5, 0))), "Varga.PRL.2023");
  CHECK_INT(pr_list_group_start(l, 15), 8);
  CHECK_STR(pr_list_group_heading(l, 15), "Theses");
  /* no --max-authors: nothing hidden */
  CHECK_INT(pr_item_more_count(find(l, "Varga.PRL.2023")), 0);
  CHECK_INT(pr_item_author_hidden(find(l, "Varga.PRL.2023"), 3), 0);
  pr_list_free(l);
  pr_options_free(o);
  pr_bib_free(bib);
}

static void test_pubs(void) {
  pr_bib *bib = load(PUBS);
  pr_options *o = pr_options_new();
  pr_error err = {0};
  CHECK(pr_options_add_highlight(o, "Byungsoo Oh") == PR_OK);
  pr_list *l = NULL;
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  CHECK_INT(pr_list_item_count(l), pr_bib_count(bib));
  const pr_item *m = pr_list_item(l, 0);
  CHECK_STR(pr_entry_key(pr_item_entry(m)), "um2024metis");
  CHECK_STR(pr_item_id(m), "pubrender-um2024metis");
  CHECK_STR(pr_item_year_label(m), "2024");
  CHECK_STR(pr_item_author_text(m, 1), "Byungsoo Oh");
  CHECK_INT(pr_item_author_is_owner(m, 1), 1);
  CHECK_INT(pr_item_author_is_owner(m, 0), 0);
  CHECK_STR(pr_item_author_marks(m, 0), "*");
  CHECK_STR(pr_item_text(m, PR_ITEM_LEGEND), "(* = Equal Contribution)");
  CHECK_STR(pr_item_text(m, PR_ITEM_VENUE), "In USENIX Annual Technical Conference (USENIX ATC), 2024");
  CHECK_STR(pr_item_html(m, PR_ITEM_VENUE),
            "In <em>USENIX Annual Technical Conference (USENIX ATC)</em>, 2024");
  CHECK_STR(pr_item_link_label(m, 0), "URL");
  CHECK_STR(pr_item_link_url(m, 0), "https://www.usenix.org/conference/atc24/presentation/um");
  size_t last = pr_item_author_count(m) - 1;
  CHECK_STR(pr_item_author_sep(m, last), "");
  CHECK_STR(pr_item_author_sep(m, last - 1), ", and ");
  check_against_golden(l, "tests/golden/pubs.html");
  pr_list_free(l);

  /* the id prefix is part of the id */
  CHECK(pr_options_set_id_prefix(o, "") == PR_OK);
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  CHECK_STR(pr_item_id(pr_list_item(l, 0)), "um2024metis");
  pr_list_free(l);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* --format view-json holds, item for item, what the accessors give. */
static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static int same(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void test_view_json(const char *path, pr_options *o) {
  pr_bib *bib = load(path);
  pr_error err = {0};
  pr_list *l = NULL;
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  CHECK(pr_options_set_format(o, PR_FORMAT_VIEW_JSON) == PR_OK);
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, NULL, &err), PR_OK);
  json_error_t jerr;
  json_t *root = out ? json_loads(out, 0, &jerr) : NULL;
  CHECK(json_is_array(root));
  CHECK_INT(json_array_size(root), pr_list_group_count(l));
  static const struct { pr_item_field f; const char *name, *html; } fields[] = {
      {PR_ITEM_TITLE, "title", "title_html"},       {PR_ITEM_VENUE, "venue", "venue_html"},
      {PR_ITEM_LEGEND, "legend", "legend_html"},    {PR_ITEM_ROLE, "role", NULL},
      {PR_ITEM_MORE_LABEL, "more_label", NULL},     {PR_ITEM_NOTE, "note", "note_html"},
      {PR_ITEM_ADDITIONAL_INFO, "additional_info", "additional_info_html"},
      {PR_ITEM_AWARD, "award", "award_html"},       {PR_ITEM_AWARD_NAME, "award_name", "award_name_html"},
      {PR_ITEM_ABSTRACT, "abstract", "abstract_html"}, {PR_ITEM_BIBTEX, "bibtex", "bibtex_html"}};
  int bad = 0;
  for (size_t g = 0; g < pr_list_group_count(l) && root; g++) {
    json_t *jg = json_array_get(root, g), *items = json_object_get(jg, "items");
    bad += !same(jstr(jg, "heading"), pr_list_group_heading(l, g));
    bad += json_integer_value(json_object_get(jg, "level")) != pr_list_group_level(l, g);
    bad += (size_t)json_integer_value(json_object_get(jg, "start")) != pr_list_group_start(l, g);
    bad += json_array_size(items) != pr_list_group_item_count(l, g);
    for (size_t i = 0; i < json_array_size(items); i++) {
      json_t *ji = json_array_get(items, i);
      const pr_item *it = pr_list_group_item(l, g, i);
      bad += !same(jstr(ji, "id"), pr_item_id(it)) || !same(jstr(ji, "year"), pr_item_year_label(it)) ||
             !same(jstr(ji, "marker"), pr_item_marker(it)) ||
             !same(jstr(ji, "key"), pr_entry_key(pr_item_entry(it))) ||
             !same(jstr(ji, "preview"), pr_item_preview(it)) ||
             (size_t)json_integer_value(json_object_get(ji, "number")) != pr_item_number(it) ||
             json_is_true(json_object_get(ji, "selected")) != pr_item_selected(it) ||
             (size_t)json_integer_value(json_object_get(ji, "more_count")) != pr_item_more_count(it);
      for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
        bad += !same(jstr(ji, fields[k].name), pr_item_text(it, fields[k].f));
        if (fields[k].html) bad += !same(jstr(ji, fields[k].html), pr_item_html(it, fields[k].f));
      }
      json_t *badge = json_object_get(ji, "badge");
      bad += !same(jstr(badge, "text"), pr_item_text(it, PR_ITEM_ABBR)) ||
             !same(jstr(badge, "color"), pr_item_badge_color(it)) ||
             !same(jstr(badge, "url"), pr_item_badge_url(it)) ||
             !same(jstr(badge, "text_color"), pr_item_badge_text_color(it));
      json_t *au = json_object_get(ji, "authors"), *ln = json_object_get(ji, "links");
      bad += json_array_size(au) != pr_item_author_count(it);
      for (size_t a = 0; a < json_array_size(au); a++) {
        json_t *ja = json_array_get(au, a);
        bad += !same(jstr(ja, "name"), pr_item_author_text(it, a)) ||
               !same(jstr(ja, "name_html"), pr_item_author_html(it, a)) ||
               !same(jstr(ja, "marks"), pr_item_author_marks(it, a)) ||
               !same(jstr(ja, "url"), pr_item_author_url(it, a)) ||
               !same(jstr(ja, "sep"), pr_item_author_sep(it, a)) ||
               !same(jstr(ja, "cut_label"), pr_item_author_cut_label(it, a)) ||
               !same(jstr(ja, "cut_sep"), pr_item_author_cut_sep(it, a)) ||
               json_is_true(json_object_get(ja, "owner")) != pr_item_author_is_owner(it, a) ||
               json_is_true(json_object_get(ja, "hidden")) != pr_item_author_hidden(it, a) ||
               (size_t)json_integer_value(json_object_get(ja, "cut")) != pr_item_author_cut(it, a);
      }
      bad += json_array_size(ln) != pr_item_link_count(it);
      for (size_t k = 0; k < json_array_size(ln); k++)
        bad += !same(jstr(json_array_get(ln, k), "label"), pr_item_link_label(it, k)) ||
               !same(jstr(json_array_get(ln, k), "url"), pr_item_link_url(it, k));
      if (bad) {
        printf("view-json differs from the accessors at %s\n", pr_item_id(it));
        bad = 0;
        h_fail++;
      } else {
        h_pass++;
      }
    }
  }
  json_decref(root);
  pr_free(out);
  pr_list_free(l);
  pr_bib_free(bib);
}

/* Every accessor on NULL and out of range. */
static void test_null(void) {
  pr_list *l = (pr_list *)1;
  pr_error err = {0};
  CHECK_INT(pr_list_build(NULL, NULL, &l, NULL, &err), PR_ERR_ARG);
  CHECK(l == NULL);
  pr_bib *bib = load(PUBS);
  pr_options *o = pr_options_new();
  CHECK_INT(pr_list_build(bib, o, NULL, NULL, &err), PR_ERR_ARG);
  CHECK_INT(pr_list_build(bib, NULL, &l, NULL, &err), PR_ERR_ARG);
  /* with a report: built, what it finds goes to the report (pubs.bib: nothing) */
  pr_report *rep = pr_report_new();
  CHECK_INT(pr_list_build(bib, o, &l, rep, &err), PR_OK);
  CHECK(l != NULL);
  CHECK_INT(pr_report_diag_count(rep), 0);
  pr_list_free(l);
  pr_report_free(rep);
  l = NULL;
  pr_list_free(NULL);

  CHECK_INT(pr_list_group_count(NULL), 0);
  CHECK(pr_list_group_heading(NULL, 0) == NULL);
  CHECK_INT(pr_list_group_level(NULL, 0), -1);
  CHECK_INT(pr_list_group_start(NULL, 0), 0);
  CHECK_INT(pr_list_group_item_count(NULL, 0), 0);
  CHECK(pr_list_group_item(NULL, 0, 0) == NULL);
  CHECK_INT(pr_list_item_count(NULL), 0);
  CHECK(pr_list_item(NULL, 0) == NULL);
  CHECK(pr_item_entry(NULL) == NULL);
  CHECK(pr_item_id(NULL) == NULL);
  CHECK_INT(pr_item_number(NULL), 0);
  CHECK(pr_item_marker(NULL) == NULL);
  CHECK(pr_item_year_label(NULL) == NULL);
  CHECK_INT(pr_item_selected(NULL), 0);
  CHECK(pr_item_text(NULL, PR_ITEM_TITLE) == NULL);
  CHECK(pr_item_html(NULL, PR_ITEM_TITLE) == NULL);
  CHECK(pr_item_badge_url(NULL) == NULL);
  CHECK(pr_item_badge_color(NULL) == NULL);
  CHECK(pr_item_badge_text_color(NULL) == NULL);
  CHECK(pr_item_preview(NULL) == NULL);
  CHECK_INT(pr_item_author_count(NULL), 0);
  CHECK(pr_item_author(NULL, 0) == NULL);
  CHECK(pr_item_author_text(NULL, 0) == NULL);
  CHECK(pr_item_author_html(NULL, 0) == NULL);
  CHECK_INT(pr_item_author_is_owner(NULL, 0), 0);
  CHECK(pr_item_author_marks(NULL, 0) == NULL);
  CHECK(pr_item_author_url(NULL, 0) == NULL);
  CHECK_INT(pr_item_author_hidden(NULL, 0), 0);
  CHECK(pr_item_author_sep(NULL, 0) == NULL);
  CHECK_INT(pr_item_author_cut(NULL, 0), 0);
  CHECK(pr_item_author_cut_label(NULL, 0) == NULL);
  CHECK(pr_item_author_cut_sep(NULL, 0) == NULL);
  CHECK_INT(pr_item_more_count(NULL), 0);
  CHECK_INT(pr_item_link_count(NULL), 0);
  CHECK(pr_item_link_label(NULL, 0) == NULL);
  CHECK(pr_item_link_url(NULL, 0) == NULL);

  /* out of range on a real list */
  CHECK_INT(pr_list_build(bib, o, &l, NULL, &err), PR_OK);
  size_t n = pr_list_item_count(l);
  CHECK(pr_list_item(l, n) == NULL);
  CHECK_INT(pr_list_group_count(l), 1);
  CHECK(pr_list_group_heading(l, 1) == NULL);
  CHECK_INT(pr_list_group_level(l, 1), -1);
  CHECK_INT(pr_list_group_item_count(l, 1), 0);
  CHECK(pr_list_group_item(l, 0, n) == NULL);
  CHECK(pr_list_group_item(l, 1, 0) == NULL);
  const pr_item *it = pr_list_item(l, 0);
  size_t na = pr_item_author_count(it);
  CHECK(pr_item_author(it, 0) == pr_entry_name(pr_item_entry(it), "author", 0));
  CHECK(pr_item_author(it, na) == NULL);
  CHECK(pr_item_author_text(it, na) == NULL);
  CHECK(pr_item_author_html(it, na) == NULL);
  CHECK_INT(pr_item_author_is_owner(it, na), 0);
  CHECK(pr_item_author_marks(it, na) == NULL);
  CHECK(pr_item_author_url(it, na) == NULL);
  CHECK_INT(pr_item_author_hidden(it, na), 0);
  CHECK(pr_item_author_sep(it, na) == NULL);
  CHECK_INT(pr_item_author_cut(it, na), 0);
  CHECK(pr_item_author_cut_label(it, na) == NULL);
  CHECK(pr_item_author_cut_sep(it, na) == NULL);
  CHECK(pr_item_link_label(it, pr_item_link_count(it)) == NULL);
  CHECK(pr_item_link_url(it, pr_item_link_count(it)) == NULL);
  CHECK(pr_item_text(it, (pr_item_field)99) == NULL);
  CHECK(pr_item_html(it, (pr_item_field)-1) == NULL);
  /* the list's strings outlive the bib and the options */
  const char *title = pr_item_text(it, PR_ITEM_TITLE);
  pr_options_free(o);
  pr_bib_free(bib);
  CHECK_STR(title, "Metis: Fast Automatic Distributed Training on Heterogeneous GPUs");
  CHECK_STR(pr_item_id(it), "pubrender-um2024metis");
  pr_list_free(l);
}

int main(void) {
  test_site();
  test_pubs();
  pr_options *o = site_options("year,type", 2, "Ines Varga");
  test_view_json(SITE, o);
  pr_options_free(o);
  o = pr_options_new();
  pr_options_add_highlight(o, "Byungsoo Oh");
  test_view_json(PUBS, o);
  pr_options_free(o);
  test_null();
  return tests_done();
}
