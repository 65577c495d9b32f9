/* render.c - options, ordering, and what every output format shares: the
   view of an entry (title, authors, legend, venue line, links). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "render.h"
#include "text.h"

/* ---- options ---- */

pr_options *pr_options_new(void) {
  pr_options *o = calloc(1, sizeof *o);
  if (!o) return NULL;
  o->heading_level = 2;
  o->undated_heading = "Undated";
  if (pr_options_set_legend(o, "*", "Equal Contribution") ||
      pr_options_set_legend(o, "\xe2\x80\xa0", "Corresponding Author")) {
    pr_options_free(o);
    return NULL;
  }
  return o;
}

void pr_options_free(pr_options *o) {
  if (!o) return;
  for (size_t i = 0; i < o->nhl; i++) {
    free(o->hl[i].last);
    free(o->hl[i].first);
  }
  free(o->hl);
  for (size_t i = 0; i < o->nlegends; i++) {
    free(o->legends[i].mark);
    free(o->legends[i].text);
  }
  free(o->legends);
  pr_query_free(o->query);
  pr_sort_spec_clear(&o->sort);
  for (size_t i = 0; i < o->ntype_names; i++) {
    free(o->type_names[i].mark);
    free(o->type_names[i].text);
  }
  free(o->type_names);
  for (size_t i = 0; i < o->ntype_order; i++) free(o->type_order[i]);
  free(o->type_order);
  pr_options_free_config(o);
  free(o);
}

pr_status pr_options_set_query(pr_options *o, const char *query, pr_error *err) {
  if (!o) return PR_ERR_ARG;
  pr_query *q = NULL;
  pr_status st = query ? pr_query_parse(query, &q, err) : PR_OK;
  if (st != PR_OK) return st;
  pr_query_free(o->query);
  o->query = q;
  return PR_OK;
}

pr_status pr_options_set_sort(pr_options *o, const char *keys, pr_error *err) {
  if (!o || !keys) return PR_ERR_ARG;
  return pr_sort_spec_parse(&o->sort, keys, err);
}

pr_status pr_options_set_group_by(pr_options *o, const char *groups, pr_error *err) {
  if (!o || !groups) return PR_ERR_ARG;
  int y = 0, t = 0;
  if (strcmp(groups, "year") == 0) y = 1;
  else if (strcmp(groups, "type") == 0) t = 1;
  else if (strcmp(groups, "year,type") == 0) y = t = 1;
  else if (strcmp(groups, "none") != 0) {
    pr_set_error(err, PR_ERR_ARG, "group-by", 0,
                 "unknown grouping '%s' (use none, year, type or year,type)", groups);
    return PR_ERR_ARG;
  }
  o->group_year = y;
  o->group_type = t;
  return PR_OK;
}

void pr_options_set_numbering(pr_options *o, int per_group, int reversed) {
  if (!o) return;
  o->number_per_group = per_group != 0;
  o->reverse_numbers = reversed != 0;
}

pr_status pr_options_set_heading_level(pr_options *o, int level) {
  if (!o || level < 1 || level > 6) return PR_ERR_ARG;
  o->heading_level = level;
  return PR_OK;
}

pr_status pr_options_set_type_name(pr_options *o, const char *type, const char *name) {
  if (!o || !type || !name) return PR_ERR_ARG;
  pr_legend *v = realloc(o->type_names, (o->ntype_names + 1) * sizeof *v);
  if (!v) return PR_ERR_NOMEM;
  o->type_names = v;
  pr_legend l = {pr_key_fold(type), pr_strdup(name)};
  if (!l.mark || !l.text) {
    free(l.mark);
    free(l.text);
    return PR_ERR_NOMEM;
  }
  memmove(v + 1, v, o->ntype_names * sizeof *v); /* the latest setting wins */
  v[0] = l;
  o->ntype_names++;
  return PR_OK;
}

pr_status pr_options_set_type_order(pr_options *o, const char *types) {
  if (!o || !types) return PR_ERR_ARG;
  char *copy = pr_key_fold(types);
  if (!copy) return PR_ERR_NOMEM;
  for (size_t i = 0; i < o->ntype_order; i++) free(o->type_order[i]);
  free(o->type_order);
  o->type_order = NULL;
  o->ntype_order = 0;
  char *save = NULL;
  pr_status st = PR_OK;
  for (char *t = strtok_r(copy, ", ", &save); t && st == PR_OK; t = strtok_r(NULL, ", ", &save)) {
    char **v = realloc(o->type_order, (o->ntype_order + 1) * sizeof *v);
    if (!v || !(v[o->ntype_order] = pr_strdup(t))) st = PR_ERR_NOMEM;
    if (v) o->type_order = v;
    if (st == PR_OK) o->ntype_order++;
  }
  free(copy);
  return st;
}

pr_status pr_options_set_format(pr_options *o, pr_format f) {
  if (!o || (f != PR_FORMAT_HTML && f != PR_FORMAT_MARKDOWN && f != PR_FORMAT_JSON &&
             f != PR_FORMAT_CSL_JSON))
    return PR_ERR_ARG;
  o->format = f;
  return PR_OK;
}

void pr_options_set_standalone(pr_options *o, int on) {
  if (o) o->standalone = on != 0;
}

pr_status pr_options_add_highlight(pr_options *o, const char *name) {
  if (!o || !name) return PR_ERR_ARG;
  pr_raw_name *raw;
  long n = pr_bt_split_names(name, NULL, "<highlight>", 0, &raw);
  if (n < 0) return PR_ERR_NOMEM;
  if (n != 1) {
    pr_raw_names_free(raw, (size_t)n);
    return PR_ERR_ARG;
  }
  pr_highlight *v = realloc(o->hl, (o->nhl + 1) * sizeof *v);
  if (!v) {
    pr_raw_names_free(raw, 1);
    return PR_ERR_NOMEM;
  }
  o->hl = v;
  pr_buf key = {0};
  pr_buf_puts(&key, raw->von);
  pr_buf_putc(&key, ' ');
  pr_buf_puts(&key, raw->last);
  char *k = pr_buf_take(&key);
  pr_highlight h = {k ? pr_fold(k) : NULL, pr_fold(raw->first)};
  free(k);
  pr_raw_names_free(raw, 1);
  if (!h.last || !h.first) {
    free(h.last);
    free(h.first);
    return PR_ERR_NOMEM;
  }
  o->hl[o->nhl++] = h;
  return PR_OK;
}

pr_status pr_options_set_legend(pr_options *o, const char *mark, const char *text) {
  if (!o || !mark || !*mark) return PR_ERR_ARG;
  size_t i = 0;
  while (i < o->nlegends && strcmp(o->legends[i].mark, mark) != 0) i++;
  if (i < o->nlegends && !text) { /* remove */
    free(o->legends[i].mark);
    free(o->legends[i].text);
    memmove(&o->legends[i], &o->legends[i + 1], (o->nlegends - i - 1) * sizeof *o->legends);
    o->nlegends--;
    return PR_OK;
  }
  if (i < o->nlegends) {
    char *t = pr_strdup(text);
    if (!t) return PR_ERR_NOMEM;
    free(o->legends[i].text);
    o->legends[i].text = t;
    return PR_OK;
  }
  if (!text) return PR_OK;
  pr_legend *v = realloc(o->legends, (o->nlegends + 1) * sizeof *v);
  if (!v) return PR_ERR_NOMEM;
  o->legends = v;
  pr_legend l = {pr_strdup(mark), pr_strdup(text)};
  if (!l.mark || !l.text) {
    free(l.mark);
    free(l.text);
    return PR_ERR_NOMEM;
  }
  o->legends[o->nlegends++] = l;
  return PR_OK;
}

/* ---- ordering ---- */

const pr_entry **pr_sorted_entries(const pr_bib *bib) {
  static const pr_sort_key newest[] = {{(char *)"year", 1}, {(char *)"month", 1}};
  pr_sort_spec def = {(pr_sort_key *)newest, 2};
  const pr_entry **v = malloc((bib->n ? bib->n : 1) * sizeof *v);
  if (!v) return NULL;
  for (size_t i = 0; i < bib->n; i++) v[i] = bib->entries[i];
  if (pr_sort_entries(v, bib->n, &def)) {
    free(v);
    return NULL;
  }
  return v;
}

/* ---- highlight and marks ---- */

int pr_name_is_highlighted(const pr_options *o, const pr_name *n) {
  if (n->highlight) return 1;
  for (size_t i = 0; i < o->nhl; i++)
    if (pr_name_matches(n, o->hl[i].last, o->hl[i].first)) return 1;
  return 0;
}

const char *pr_legend_text(const pr_options *o, const char *mark) {
  for (size_t i = 0; i < o->nlegends; i++)
    if (strcmp(o->legends[i].mark, mark) == 0) return o->legends[i].text;
  return NULL;
}

/* "(* = Equal Contribution, † = Corresponding Author)" for the marks the
   authors carry that have a legend, in the options' legend order. */
static char *legend_for(const pr_options *o, const pr_entry *e) {
  pr_buf b = {0};
  size_t na = pr_entry_name_count(e, "author");
  for (size_t l = 0; l < o->nlegends; l++) {
    int used = 0;
    for (size_t i = 0; i < na && !used; i++) {
      pr_buf scratch = {0};
      used = strstr(pr_name_marks_for(o, pr_entry_name(e, "author", i), &scratch),
                    o->legends[l].mark) != NULL;
      pr_buf_free(&scratch);
    }
    if (!used) continue;
    pr_buf_puts(&b, b.len ? ", " : "(");
    pr_buf_puts(&b, o->legends[l].mark);
    pr_buf_puts(&b, " = ");
    pr_buf_puts(&b, o->legends[l].text);
  }
  if (!b.len) {
    pr_buf_free(&b);
    return NULL;
  }
  pr_buf_putc(&b, ')');
  return pr_buf_take(&b);
}

/* ---- URLs ---- */

int pr_url_is_safe(const char *url) {
  static const char *allowed[] = {"http", "https", "mailto"};
  char scheme[16];
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)url;
  while (*p && *p <= ' ') p++;   /* browsers skip leading controls and spaces */
  for (; *p; p++) {
    if (*p == '\t' || *p == '\n' || *p == '\r') continue; /* and drop these inside */
    if (*p < ' ' || *p == 0x7f) return 0;
    if (*p == ':') break;
    if (*p == '/' || *p == '?' || *p == '#') return 1;   /* relative: no scheme */
    if (n + 1 < sizeof scheme) scheme[n] = (char)*p;
    n++;
  }
  if (!*p) return 1; /* no colon at all: relative */
  if (n + 1 >= sizeof scheme) return 0; /* no scheme we allow is that long */
  scheme[n] = '\0';
  for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
    if (strcasecmp(scheme, allowed[i]) == 0) return 1;
  return 0;
}

/* A URL as written in a .bib: \url{..} unwrapped, TeX escapes and braces
   removed, surrounding whitespace trimmed. */
static char *clean_url(const char *v) {
  while (isspace((unsigned char)*v)) v++;
  if (strncmp(v, "\\url{", 5) == 0) v += 5;
  pr_buf b = {0};
  for (const char *p = v; *p; p++) {
    if (*p == '{' || *p == '}') continue;
    if (*p == '\\' && p[1] && strchr("%_#&~$", p[1])) p++;
    pr_buf_putc(&b, *p);
  }
  while (b.len && isspace((unsigned char)b.data[b.len - 1])) b.data[--b.len] = '\0';
  return pr_buf_take(&b);
}

/* Bytes a URL may not contain (controls, space, " < > \\ ^ ` { | }) as %XX;
   takes url, returns a new string or NULL. */
static char *percent_encode(char *url) {
  static const char hex[] = "0123456789ABCDEF";
  pr_buf b = {0};
  for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
    if (*p <= 0x20 || *p == 0x7f || strchr("\"<>\\^`{|}", *p)) {
      char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      pr_buf_put(&b, e, 3);
    } else {
      pr_buf_putc(&b, (char)*p);
    }
  }
  free(url);
  return pr_buf_take(&b);
}

char *pr_link_href(const char *field, const char *value) {
  return pr_link_href_prefixed(field, value, NULL);
}

/* Fields whose value is an identifier, not a URL: the link is built. */
static char *identifier_url(const char *field, const char *id) {
  static const struct { const char *field, *base; } ids[] = {
      {"doi", "https://doi.org/"}, {"arxiv", "https://arxiv.org/abs/"},
      {"hal", "https://hal.science/"}};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
    if (strcmp(field, ids[i].field) != 0) continue;
    if (strncasecmp(id, "doi:", 4) == 0) id += 4;
    if (strncasecmp(id, "arxiv:", 6) == 0) id += 6;
    while (*id == ' ') id++;
    pr_buf b = {0};
    pr_buf_puts(&b, ids[i].base);
    pr_buf_puts(&b, id);
    return pr_buf_take(&b);
  }
  return NULL;
}

char *pr_link_href_prefixed(const char *field, const char *value, const char *prefix) {
  char *url = clean_url(value);
  if (!url || !*url) {
    free(url);
    return NULL;
  }
  char *built = strstr(url, "://") ? NULL : identifier_url(field, url);
  if (!built && !pr_url_is_safe(url)) { /* before a prefix could hide the scheme */
    free(url);
    return NULL;
  }
  if (built) {
    free(url);
    url = built;
  } else if (prefix && *prefix && !strstr(url, "://") && url[0] != '/' && url[0] != '#' &&
             strncasecmp(url, "mailto:", 7) != 0) {
    /* a site-relative path, as al-folio writes pdf = {paper.pdf} */
    pr_buf b = {0};
    pr_buf_puts(&b, prefix);
    pr_buf_puts(&b, url);
    free(url);
    url = pr_buf_take(&b);
    if (!url) return NULL;
  }
  if (!pr_url_is_safe(url)) {
    free(url);
    return NULL;
  }
  return percent_encode(url);
}

/* ---- the entry view ---- */

static char *marked(const pr_entry *e, const char *field) {
  const char *v = pr_entry_field(e, field);
  if (!v) return NULL;
  char *m = pr_latex_to_marked(v, strlen(v), NULL, NULL);
  if (m && !*m) {
    free(m);
    return NULL;
  }
  return m;
}

/* Append marked text of a field, optionally in emphasis, after sep. */
static void put_part(pr_buf *b, const pr_entry *e, const char *field, const char *sep,
                     const char *prefix, int emph) {
  char *m = marked(e, field);
  if (!m) return;
  if (b->len) pr_buf_puts(b, sep);
  if (prefix) pr_buf_puts(b, prefix);
  if (emph) pr_buf_putc(b, PR_MK_EMPH_ON);
  pr_buf_puts(b, m);
  if (emph) pr_buf_putc(b, PR_MK_EMPH_OFF);
  free(m);
}

/* Pages, with a plain hyphen between two numbers read as a range (en dash),
   as biblatex does: "17-30" -> "17–30". */
static void put_pages(pr_buf *b, const pr_entry *e) {
  char *m = marked(e, "pages");
  if (!m) return;
  if (b->len) pr_buf_puts(b, ", ");
  pr_buf_puts(b, "pp. ");
  for (const char *p = m; *p; p++) {
    if (*p == '-' && p > m && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1]))
      pr_buf_puts(b, "\xe2\x80\x93");
    else
      pr_buf_putc(b, *p);
  }
  free(m);
}

static int type_is(const pr_entry *e, const char *const *types) {
  for (; *types; types++)
    if (strcmp(e->type, *types) == 0) return 1;
  return 0;
}

/* The venue line as marked text, e.g. "In <em>Booktitle</em>, 2024". */
static char *venue_for(const pr_entry *e) {
  static const char *const in_book[] = {"inproceedings", "conference", "incollection",
                                        "inbook", NULL};
  static const char *const articles[] = {"article", "periodical", NULL};
  static const char *const theses[] = {"phdthesis", "mastersthesis", "thesis", NULL};
  pr_buf b = {0};
  if (type_is(e, in_book) && pr_entry_field(e, "booktitle")) {
    put_part(&b, e, "booktitle", "", "In ", 1);
    if (strcmp(e->type, "incollection") == 0 || strcmp(e->type, "inbook") == 0)
      put_part(&b, e, "publisher", ", ", NULL, 0);
  } else if (type_is(e, articles)) {
    put_part(&b, e, pr_entry_field(e, "journal") ? "journal" : "journaltitle", "", NULL, 1);
    put_part(&b, e, "volume", ", ", "vol. ", 0);
    put_part(&b, e, pr_entry_field(e, "number") ? "number" : "issue", ", ", "no. ", 0);
    put_pages(&b, e);
  } else if (type_is(e, theses)) {
    const char *kind = strcmp(e->type, "phdthesis") == 0       ? "PhD thesis"
                       : strcmp(e->type, "mastersthesis") == 0 ? "Master's thesis"
                                                               : NULL;
    if (pr_entry_field(e, "type")) put_part(&b, e, "type", "", NULL, 0);
    else pr_buf_puts(&b, kind ? kind : "Thesis");
    put_part(&b, e, pr_entry_field(e, "school") ? "school" : "institution", ", ", NULL, 0);
  } else if (strcmp(e->type, "techreport") == 0) {
    pr_buf_puts(&b, "Technical Report");
    put_part(&b, e, "number", " ", NULL, 0);
    put_part(&b, e, "institution", ", ", NULL, 0);
  } else {
    put_part(&b, e, "booktitle", "", "In ", 1);
    put_part(&b, e, "howpublished", ", ", NULL, 0);
    put_part(&b, e, "publisher", ", ", NULL, 0);
    put_part(&b, e, "organization", ", ", NULL, 0);
  }
  if (e->year) {
    char year[16];
    snprintf(year, sizeof year, "%s%d", b.len ? ", " : "", e->year);
    pr_buf_puts(&b, year);
  }
  if (!b.len) {
    pr_buf_free(&b);
    return NULL;
  }
  return pr_buf_take(&b);
}

/* biblatex: title, then ": subtitle" when there is one. */
static char *title_for(const pr_entry *e) {
  pr_buf b = {0};
  put_part(&b, e, "title", "", NULL, 0);
  if (b.len) put_part(&b, e, "subtitle", ": ", NULL, 0);
  return b.len ? pr_buf_take(&b) : (pr_buf_free(&b), NULL);
}

/* An arXiv link from biblatex's eprint + eprinttype (or BibTeX's
   archivePrefix), malloc'd; NULL when the entry has none. */
static char *arxiv_href(const pr_entry *e) {
  const char *id = pr_entry_field(e, "eprint");
  const char *kind = pr_entry_field(e, "eprinttype");
  if (!kind) kind = pr_entry_field(e, "archiveprefix");
  if (!id || !kind || strcasecmp(kind, "arxiv") != 0) return NULL;
  pr_buf b = {0};
  pr_buf_puts(&b, "https://arxiv.org/abs/");
  pr_buf_puts(&b, id);
  char *href = pr_buf_take(&b);
  if (href && !pr_url_is_safe(href)) {
    free(href);
    return NULL;
  }
  return href;
}

/* The link buttons, in al-folio's order (then hal, doi, url). */
static const struct { const char *field, *label; } link_fields[] = {
    {"arxiv", "arXiv"},   {"html", "HTML"},     {"pdf", "PDF"},     {"supp", "Supp"},
    {"video", "Video"},   {"blog", "Blog"},     {"code", "Code"},   {"poster", "Poster"},
    {"slides", "Slides"}, {"website", "Website"}, {"hal", "HAL"},   {"doi", "DOI"},
    {"url", "URL"}};

void pr_view_clear(pr_view *v) {
  free(v->abbr_url);
  free(v->preview);
  free(v->bibtex);
  free(v->abbr);
  free(v->title);
  free(v->legend);
  free(v->venue);
  for (size_t i = 0; i < v->nlinks; i++) free(v->links[i].href);
  memset(v, 0, sizeof *v);
}

static int is_true(const char *v) {
  return v && (strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 || strcmp(v, "1") == 0);
}

/* A CSS colour from a venues file: #hex or a plain name, nothing else. */
static const char *safe_color(const char *c) {
  if (!c) return NULL;
  size_t n = strlen(c), i = c[0] == '#';
  if (n < 1 || n > 32) return NULL;
  for (; i < n; i++)
    if (!(c[0] == '#' ? isxdigit((unsigned char)c[i]) : isalpha((unsigned char)c[i]))) return NULL;
  return c;
}

/* The text colour that reads best on a #rgb/#rrggbb background (WCAG
   contrast against black and white); NULL for other colour forms. */
static const char *text_color_on(const char *bg) {
  size_t n = bg ? strlen(bg) : 0;
  if (!bg || bg[0] != '#' || (n != 4 && n != 7)) return NULL;
  double c[3];
  for (int i = 0; i < 3; i++) {
    char h[3] = {bg[n == 4 ? 1 + i : 1 + 2 * i], bg[n == 4 ? 1 + i : 2 + 2 * i], 0};
    double v = (double)strtol(h, NULL, 16) / 255.0;
    c[i] = v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
  }
  double l = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#fff" : "#000";
}

/* abbr badge from the venues file, preview, BibTeX, and the text fields. */
static int vocabulary(pr_view *v, const pr_options *o, const pr_entry *e) {
  const char *abbr = pr_entry_field(e, "abbr");
  const pr_venue *venue = abbr ? pr_venue_find(o, abbr) : NULL;
  if (venue) {
    v->abbr_url = venue->url ? pr_link_href("url", venue->url) : NULL;
    v->abbr_color = safe_color(venue->color);
    v->abbr_text_color = text_color_on(v->abbr_color);
  }
  const char *preview = pr_entry_field(e, "preview");
  if (preview) v->preview = pr_link_href_prefixed("preview", preview, pr_link_prefix_for(o, "preview"));
  if (is_true(pr_entry_field(e, "bibtex_show")) && !(v->bibtex = pr_bibtex_source(e))) return -1;
  v->selected = is_true(pr_entry_field(e, "selected"));
  v->abstract = pr_entry_field(e, "abstract");
  v->award = pr_entry_field(e, "award");
  v->award_name = pr_entry_field(e, "award_name");
  v->annotation = pr_entry_field(e, "annotation");
  v->additional_info = pr_entry_field(e, "additional_info");
  v->note = pr_entry_field(e, "note");
  return 0;
}

int pr_view_build(pr_view *v, pr_bib *bib, const pr_options *o, const pr_entry *e) {
  memset(v, 0, sizeof *v);
  v->entry = e;
  v->abbr = marked(e, "abbr");
  v->title = title_for(e);
  v->nauthors = pr_entry_name_count(e, "author");
  v->legend = legend_for(o, e);
  v->venue = venue_for(e);
  for (size_t i = 0; i < sizeof link_fields / sizeof *link_fields; i++) {
    const pr_field *f = pr_entry_find_field(e, link_fields[i].field);
    if (!f || !f->value[strspn(f->value, " {}")]) continue; /* absent or empty: no link */
    char *href = pr_link_href_prefixed(f->name, f->value, pr_link_prefix_for(o, f->name));
    if (!href) {
      if (pr_bib_diagf(bib, PR_WARNING, e->file, f->line,
                       "entry '%s': %s link '%s' dropped (only http, https, mailto or a "
                       "relative path are allowed)",
                       e->key, f->name, f->value))
        return -1;
      continue;
    }
    v->links[v->nlinks].label = link_fields[i].label;
    v->links[v->nlinks++].href = href;
  }
  char *arxiv = pr_entry_field(e, "arxiv") ? NULL : arxiv_href(e);
  if (arxiv) { /* first, where al-folio puts its arxiv button */
    memmove(&v->links[1], &v->links[0], v->nlinks * sizeof *v->links);
    v->links[0].label = "arXiv";
    v->links[0].href = arxiv;
    v->nlinks++;
  }
  return vocabulary(v, o, e);
}

/* The text between author i and the next one. */
const char *pr_author_sep(size_t i, size_t n) {
  if (i + 1 >= n) return "";
  if (n == 2) return " and ";
  return i + 2 == n ? ", and " : ", ";
}

/* ---- entry points ---- */

pr_status pr_render_string(pr_bib *bib, const pr_options *o, char **out, size_t *len,
                           pr_error *err) {
  if (!bib || !o || !out) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, "missing argument");
    return PR_ERR_ARG;
  }
  *out = NULL;
  pr_plan plan;
  pr_buf b = {0};
  pr_status st = PR_ERR_NOMEM;
  if (pr_plan_build(&plan, bib, o) == 0) {
    switch (o->format) {
    case PR_FORMAT_MARKDOWN: st = pr_render_markdown(bib, o, &plan, &b, err); break;
    case PR_FORMAT_JSON: st = pr_render_json(bib, o, plan.all, plan.nall, &b); break;
    case PR_FORMAT_CSL_JSON: st = pr_render_csl(bib, o, plan.all, plan.nall, &b); break;
    case PR_FORMAT_HTML:
    default: st = pr_render_html(bib, o, &plan, &b, err); break;
    }
  }
  pr_plan_clear(&plan);
  if (st == PR_OK && b.failed) st = PR_ERR_NOMEM;
  if (st != PR_OK) { /* a template error has filled err already */
    pr_buf_free(&b);
    if (st != PR_ERR_INPUT) pr_set_error(err, st, NULL, 0, "%s", pr_strerror(st));
    return st;
  }
  if (len) *len = b.len;
  *out = pr_buf_take(&b);
  return PR_OK;
}

pr_status pr_render(pr_bib *bib, const pr_options *o, pr_write_fn write, void *ctx,
                    pr_error *err) {
  if (!write) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, "no output function");
    return PR_ERR_ARG;
  }
  char *s;
  size_t n;
  pr_status st = pr_render_string(bib, o, &s, &n, err);
  if (st != PR_OK) return st;
  if (n && write(s, n, ctx) != 0) {
    st = PR_ERR_IO;
    pr_set_error(err, st, NULL, 0, "the output function failed");
  }
  free(s);
  return st;
}
