/* view.c - one entry as every format shows it (pr_view): title, authors,
   legend, venue line, badge, links; which names are the owner's. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <math.h>
#include <stdint.h>
#include "view/view.h"

/* ---- highlight and marks ---- */

/* The work does not grow with the number of highlights: the name is
   normalized once and compared only with those of its family's last word. */
int pr_name_is_highlighted(const pr_options *o, const pr_name *n) {
  if (n->highlight) return 1;
  if (!o->nhl || n->others) return 0;
  char *family, *given;
  if (pr_name_match_key(n, &family, &given)) return 0;
  size_t i = 0;
  int m = 0;
  if (pr_map_get(&o->hl_index, pr_family_index(family), &i))
    for (; i && !m; i = o->hl[i - 1].next)
      m = pr_names_match(family, given, o->hl[i - 1].last, o->hl[i - 1].first);
  free(family);
  free(given);
  return m;
}

const char *pr_legend_text(const pr_options *o, const char *mark) {
  for (size_t i = 0; i < o->nlegends; i++)
    if (strcmp(o->legends[i].mark, mark) == 0) return o->legends[i].text;
  return NULL;
}

/* "(* = Equal Contribution, † = Corresponding Author)" for the marks the
   authors carry that have a legend, in the options' legend order, appended
   to b (nothing when none has); marks is scratch space. The default
   "* = Equal Contribution" needs two authors marked *; any other legend,
   and a * legend the user set, one. */
static void legend_for(pr_buf *b, pr_buf *marks, const pr_options *o, const pr_entry *e) {
  size_t start = b->len;
  size_t na = pr_entry_name_count(e, "author");
  for (size_t l = 0; l < o->nlegends; l++) {
    size_t need = o->legends[l].need ? o->legends[l].need : 1, used = 0;
    for (size_t i = 0; i < na && used < need; i++)
      used += strstr(pr_name_marks_for(o, pr_entry_name(e, "author", i), marks),
                     o->legends[l].mark) != NULL;
    if (used < need) continue;
    pr_buf_puts(b, b->len > start ? ", " : "(");
    pr_buf_puts(b, o->legends[l].mark);
    pr_buf_puts(b, " = ");
    pr_buf_puts(b, o->legends[l].text);
  }
  if (b->len > start) pr_buf_putc(b, ')');
}

const char *pr_name_marks_for(const pr_options *o, const pr_name *n, pr_buf *scratch) {
  if (!o || !o->nannotations || !n->more->keywords) return n->more->marks;
  pr_buf_free(scratch);
  pr_buf_puts(scratch, n->more->written);
  char *kws = pr_strdup(n->more->keywords), *save = NULL;
  for (char *kw = kws ? strtok_r(kws, " ", &save) : NULL; kw; kw = strtok_r(NULL, " ", &save)) {
    const char *mark = pr_annotation_mark(o, kw);
    if (!mark) mark = pr_default_mark(kw);
    if (mark && !(scratch->data && strstr(scratch->data, mark))) pr_buf_puts(scratch, mark);
  }
  free(kws);
  return scratch->data && !scratch->failed ? scratch->data : "";
}

/* ---- the entry view ---- */

/* The fields the view reads, found in one pass over the entry's fields:
   an entry has a dozen or two, and looking each of these names up would
   scan them some forty times. The link fields come last, in the order of
   link_labels. */
enum {
  F_ABBR, F_TITLE, F_SUBTITLE, F_BOOKTITLE, F_PUBLISHER, F_JOURNAL, F_JOURNALTITLE, F_VOLUME,
  F_NUMBER, F_ISSUE, F_PAGES, F_TYPE, F_SCHOOL, F_INSTITUTION, F_HOWPUBLISHED, F_ORGANIZATION,
  F_EPRINT, F_EPRINTTYPE, F_ARCHIVEPREFIX, F_PREVIEW, F_BIBTEX_SHOW, F_SELECTED, F_ABSTRACT,
  F_AWARD, F_AWARD_NAME, F_ANNOTATION, F_ADDITIONAL_INFO, F_NOTE, F_LINKS, NLINK_FIELDS = 13,
  F_COUNT = F_LINKS + NLINK_FIELDS
};

#define NAME(s) {s, sizeof s - 1}
static const struct { const char *name; size_t len; } field_names[F_COUNT] = {
    NAME("abbr"), NAME("title"), NAME("subtitle"), NAME("booktitle"), NAME("publisher"),
    NAME("journal"), NAME("journaltitle"), NAME("volume"), NAME("number"), NAME("issue"),
    NAME("pages"), NAME("type"), NAME("school"), NAME("institution"), NAME("howpublished"),
    NAME("organization"), NAME("eprint"), NAME("eprinttype"), NAME("archiveprefix"),
    NAME("preview"), NAME("bibtex_show"), NAME("selected"), NAME("abstract"), NAME("award"),
    NAME("award_name"), NAME("annotation"), NAME("additional_info"), NAME("note"),
    /* link_fields */
    NAME("arxiv"), NAME("html"), NAME("pdf"), NAME("supp"), NAME("video"), NAME("blog"),
    NAME("code"), NAME("poster"), NAME("slides"), NAME("website"), NAME("hal"), NAME("doi"),
    NAME("url")};
#undef NAME

/* The link buttons, in al-folio's order (then hal, doi, url). */
static const char *const link_labels[NLINK_FIELDS] = {
    "arXiv", "HTML", "PDF", "Supp", "Video", "Blog", "Code", "Poster", "Slides", "Website",
    "HAL", "DOI", "URL"};

/* Which of field_names name is, or -1. */
static int field_id(const char *name) {
  size_t len = strlen(name);
  for (int k = 0; k < F_COUNT; k++)
    if (field_names[k].len == len && memcmp(name, field_names[k].name, len) == 0) return k;
  return -1;
}

/* The same through c's cache, keyed by the name's address (a name not
   interned is still found: it only takes a slot of its own). */
static int cached_field_id(pr_view_ctx *c, const char *name) {
  size_t mask = PR_VIEW_FIELD_IDS - 1;
  size_t i = (size_t)(((uintptr_t)name >> 3) * 0x9E3779B97F4A7C15u >> 32) & mask;
  while (c->field_ids[i].name) {
    if (c->field_ids[i].name == name) return c->field_ids[i].id;
    i = (i + 1) & mask;
  }
  int id = field_id(name);
  if (c->nfield_ids < PR_VIEW_FIELD_IDS / 2) { /* kept sparse, so probes stay short */
    c->field_ids[i].name = name;
    c->field_ids[i].id = id;
    c->nfield_ids++;
  }
  return id;
}

/* f[F_x]: the entry's first field named so, or NULL. */
static void find_fields(pr_view_ctx *c, const pr_entry *e, const pr_field *f[F_COUNT]) {
  for (size_t k = 0; k < F_COUNT; k++) f[k] = NULL;
  for (size_t i = 0; i < e->nfields; i++) {
    int k = cached_field_id(c, e->fields[i].name);
    if (k >= 0 && !f[k]) f[k] = &e->fields[i];
  }
}

static const char *value_of(const pr_field *f) { return f ? f->value : NULL; }

/* The marked text of a field value (malloc'd), NULL when v is NULL or
   empty after conversion; b is marked failed when out of memory. */
static char *marked_part(pr_buf *b, const char *v) {
  char *m = v ? pr_latex_to_marked(v, strlen(v), NULL, NULL) : NULL;
  if (v && !m) b->failed = 1;
  if (m && !*m) {
    free(m);
    m = NULL;
  }
  return m;
}

/* Append marked text of a field value, optionally in emphasis, after sep
   (when b has text already) and prefix. */
static void put_part(pr_buf *b, const char *v, const char *sep, const char *prefix, int emph) {
  char *m = marked_part(b, v);
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
static void put_pages(pr_buf *b, const char *v) {
  char *m = marked_part(b, v);
  if (!m) return;
  if (b->len) pr_buf_puts(b, ", ");
  pr_buf_puts(b, "pp. ");
  const char *run = m;
  for (const char *p = m; *p; p++)
    if (*p == '-' && p > m && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1])) {
      pr_buf_put(b, run, (size_t)(p - run));
      pr_buf_puts(b, "\xe2\x80\x93");
      run = p + 1;
    }
  pr_buf_puts(b, run);
  free(m);
}

static int type_is(const pr_entry *e, const char *const *types) {
  for (; *types; types++)
    if (strcmp(e->type, *types) == 0) return 1;
  return 0;
}

/* n in decimal (no snprintf: it costs more than the rest of the line). */
static void put_int(pr_buf *b, long long n);

/* e's years as shown: "2024", a range "1991–1992", "1987–", "c. 2020"
   (years.c, README: "Dates"). */
static void put_years(pr_buf *b, const pr_entry *e) {
  char label[48];
  pr_date d;
  const char *literal, *bad, *why;
  pr_entry_read_date(e, "", &d, &literal, &bad, &why);
  pr_date_label(&d, label, sizeof label);
  if (*label) pr_buf_puts(b, label);
  else put_int(b, e->year);
}

static void put_int(pr_buf *b, long long n) {
  char d[24];
  size_t k = sizeof d;
  unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
  do d[--k] = (char)('0' + u % 10); while ((u /= 10) > 0);
  if (n < 0) d[--k] = '-';
  pr_buf_put(b, d + k, sizeof d - k);
}

/* The venue line as marked text appended to b (which starts empty), e.g.
   "In <em>Booktitle</em>, 2024". */
static void venue_for(pr_buf *b, const pr_entry *e, const pr_field *const *f) {
  static const char *const in_book[] = {"inproceedings", "conference", "incollection",
                                        "inbook", NULL};
  static const char *const articles[] = {"article", "periodical", NULL};
  static const char *const theses[] = {"phdthesis", "mastersthesis", "thesis", NULL};
  if (type_is(e, in_book) && f[F_BOOKTITLE]) {
    put_part(b, value_of(f[F_BOOKTITLE]), "", "In ", 1);
    if (strcmp(e->type, "incollection") == 0 || strcmp(e->type, "inbook") == 0)
      put_part(b, value_of(f[F_PUBLISHER]), ", ", NULL, 0);
  } else if (type_is(e, articles)) {
    put_part(b, value_of(f[F_JOURNAL] ? f[F_JOURNAL] : f[F_JOURNALTITLE]), "", NULL, 1);
    put_part(b, value_of(f[F_VOLUME]), ", ", "vol. ", 0);
    put_part(b, value_of(f[F_NUMBER] ? f[F_NUMBER] : f[F_ISSUE]), ", ", "no. ", 0);
    put_pages(b, value_of(f[F_PAGES]));
  } else if (type_is(e, theses)) {
    const char *kind = strcmp(e->type, "phdthesis") == 0       ? "PhD thesis"
                       : strcmp(e->type, "mastersthesis") == 0 ? "Master’s thesis"
                                                               : NULL;
    if (f[F_TYPE]) put_part(b, value_of(f[F_TYPE]), "", NULL, 0);
    else pr_buf_puts(b, kind ? kind : "Thesis");
    put_part(b, value_of(f[F_SCHOOL] ? f[F_SCHOOL] : f[F_INSTITUTION]), ", ", NULL, 0);
  } else if (strcmp(e->type, "techreport") == 0) {
    pr_buf_puts(b, "Technical Report");
    put_part(b, value_of(f[F_NUMBER]), " ", NULL, 0);
    put_part(b, value_of(f[F_INSTITUTION]), ", ", NULL, 0);
  } else {
    put_part(b, value_of(f[F_BOOKTITLE]), "", "In ", 1);
    put_part(b, value_of(f[F_HOWPUBLISHED]), ", ", NULL, 0);
    put_part(b, value_of(f[F_PUBLISHER]), ", ", NULL, 0);
    put_part(b, value_of(f[F_ORGANIZATION]), ", ", NULL, 0);
  }
  if (e->year) {
    if (b->len) pr_buf_puts(b, ", ");
    put_years(b, e);
  } else if (e->year_word) { /* "Preprint", as written (years.c) */
    put_part(b, pr_entry_field(e, "year"), ", ", NULL, 0);
  }
}

/* An arXiv link from biblatex's eprint + eprinttype (or BibTeX's
   archivePrefix) appended to b: 1 when the entry has one, else 0 (b
   unchanged). */
static int arxiv_href(pr_buf *b, const pr_field *const *f) {
  const char *id = value_of(f[F_EPRINT]);
  const char *kind = value_of(f[F_EPRINTTYPE]);
  if (!kind) kind = value_of(f[F_ARCHIVEPREFIX]);
  if (!id || !kind || strcasecmp(kind, "arxiv") != 0) return 0;
  size_t at = b->len;
  pr_buf_puts(b, "https://arxiv.org/abs/");
  pr_buf_puts(b, id);
  if (b->failed || pr_url_is_safe(b->data + at)) return 1;
  b->len = at;
  b->data[at] = '\0';
  return 0;
}

/* c->scratch (which holds the text of a piece) copied into the arena and
   emptied; NULL when it is empty (the piece is absent) or out of memory
   (the arena's failed flag is then set). */
static const char *take_piece(pr_view_ctx *c) {
  pr_buf *s = &c->scratch;
  const char *p = NULL;
  if (s->failed) c->arena.failed = 1;
  else if (s->len) p = pr_val_arena_strndup(&c->arena, s->data, s->len);
  s->len = 0;
  s->failed = 0;
  return p;
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

/* The href of the link field or preview lf appended to c->scratch: 1 when
   there is one; 0 when lf is absent or empty, or unsafe (dropped with a
   warning naming the entry and the field); -1 when out of memory. */
static int field_href(pr_view_ctx *c, const pr_entry *e, const pr_field *lf) {
  if (!lf || !lf->value[strspn(lf->value, " {}")]) return 0; /* absent or empty: no link */
  int r = pr_link_href_put(&c->scratch, &c->tmp, lf->name, lf->value,
                           pr_link_prefix_for(c->o, lf->name));
  int preview = strcmp(lf->name, "preview") == 0;
  if (r == 0 && pr_diagx(c->diags, PR_WARNING, "unsafe-url", e->key, lf->name, e->file, lf->line,
                             "entry '%s': %s%s '%s' " PR_LINK_DROPPED, e->key, lf->name,
                             preview ? "" : " link", lf->value))
    return -1;
  return r;
}

/* ---- links as users write them (README, "Links") ---- */

/* Does the URL at u start with a scheme ("https:", "mailto:")? */
static int has_scheme(const char *u) {
  size_t i = 0;
  /* (u[i] is tested first: strchr finds the terminating NUL in "+.-") */
  while (isalpha((unsigned char)u[i]) ||
         (i && u[i] && (isdigit((unsigned char)u[i]) || strchr("+.-", u[i]))))
    i++;
  return i > 0 && u[i] == ':';
}

/* Does the value v[0..n) look like a web address without its scheme:
   "www." + a host, or a host with a dot and a letter top-level domain
   followed by a path ("github.com/user/repo")? A site-relative file such
   as "paper.pdf" or "assets/pdf/paper.pdf" does not. */
static int looks_like_host(const char *v, size_t n) {
  static const char *const files[] = {"pdf", "html", "htm", "php", "png", "jpg", "jpeg", "gif",
                                      "svg", "zip", "gz", "txt", "md", "bib", "ps", "doc", "docx",
                                      "ppt", "pptx", "key", "mp4", "mov", "tex", "py", "ipynb"};
  size_t host = 0;
  while (host < n && v[host] != '/' && v[host] != '?' && v[host] != '#') host++;
  if (host >= 4 && strncasecmp(v, "www.", 4) == 0 && host > 4) return 1;
  if (host == n) return 0; /* no path: a file name as likely as a host */
  const char *dot = NULL;
  for (size_t i = 0; i < host; i++) {
    unsigned char ch = (unsigned char)v[i];
    if (ch == '.') dot = v + i;
    else if (!isalnum(ch) && ch != '-') return 0;
  }
  if (!dot || dot == v) return 0;
  size_t tld = (size_t)(v + host - dot - 1);
  if (tld < 2 || tld > 24) return 0;
  for (size_t i = 1; i <= tld; i++)
    if (!isalpha((unsigned char)dot[i])) return 0;
  for (size_t i = 0; i < sizeof files / sizeof *files; i++)
    if (strlen(files[i]) == tld && strncasecmp(dot + 1, files[i], tld) == 0) return 0;
  return 1;
}

/* Does a second URL start at s ("http://", "https://", "www.")? */
static int url_starts(const char *s) {
  return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0 ||
         strncasecmp(s, "www.", 4) == 0;
}

/* The pieces of a link field value: split where whitespace, a comma or a
   semicolon is followed by a URL (a scheme's "http(s)://" or "www."); the
   start of each piece in at[], its length in len[]. Returns the count. */
static size_t split_urls(const char *v, const char **at, size_t *len, size_t max) {
  while (isspace((unsigned char)*v)) v++;
  size_t k = 0;
  const char *start = v;
  for (const char *p = v; *p; p++) {
    if (!isspace((unsigned char)*p) && *p != ',' && *p != ';') continue;
    const char *q = p;
    while (*q && (isspace((unsigned char)*q) || *q == ',' || *q == ';')) q++;
    if (!*q || !url_starts(q) || k + 1 >= max) {
      p = q - 1;
      continue;
    }
    at[k] = start;
    len[k++] = (size_t)(p - start);
    start = q;
    p = q - 1;
  }
  size_t n = strlen(start);
  while (n && isspace((unsigned char)start[n - 1])) n--;
  at[k] = start;
  len[k++] = n;
  return k;
}

/* Adds the link (label, the href in c->scratch) to v; 0, or -1 when out
   of memory. One beyond PR_MAX_LINKS is dropped with a warning. */
static int add_link(pr_view *v, pr_view_ctx *c, const pr_entry *e, const pr_field *lf,
                    const char *label) {
  if (v->nlinks == PR_MAX_LINKS) {
    c->scratch.len = 0;
    return pr_diagx(c->diags, PR_WARNING, "too-many-links", e->key, lf->name, e->file, lf->line,
                        "entry '%s': %s link dropped (more than %d links)", e->key, lf->name,
                        PR_MAX_LINKS) ? -1 : 0;
  }
  v->links[v->nlinks].label = label;
  v->links[v->nlinks++].href = take_piece(c);
  return c->arena.failed ? -1 : 0;
}

/* The links of one link field, as the user meant them: the href of each
   HTML <a href> the value holds; else each URL of a value that holds
   several (with a warning), https:// put before a web address written
   without it (with a warning: a guess). 0, or -1 when out of memory. */
static int field_links(pr_view *v, pr_view_ctx *c, const pr_entry *e, const pr_field *lf,
                       const char *label) {
  if (!lf || !lf->value[strspn(lf->value, " {}")]) return 0;
  const char *val = lf->value;
  if (strpbrk(val, "<") && pr_link_identifier_base(lf->name) == NULL) {
    char *m = pr_latex_to_marked(val, strlen(val), NULL, NULL);
    if (!m) return -1;
    int rc = 0, any = 0;
    for (const char *p = strchr(m, PR_MK_LINK_ON); p && !rc; p = strchr(p + 1, PR_MK_LINK_ON)) {
      const char *mid = strchr(p, PR_MK_LINK_MID);
      if (!mid) break;
      char *url = pr_strndup(p + 1, (size_t)(mid - p - 1));
      pr_field one = *lf;
      one.value = url;
      int r = url ? field_href(c, e, &one) : -1;
      free(url);
      any = 1;
      if (r < 0 || (r > 0 && add_link(v, c, e, lf, label))) rc = -1;
    }
    free(m);
    if (any || rc) return rc;
  }
  const char *at[PR_MAX_LINKS];
  size_t len[PR_MAX_LINKS];
  size_t n = pr_link_identifier_base(lf->name) ? (at[0] = val, len[0] = strlen(val), 1)
                                       : split_urls(val, at, len, PR_MAX_LINKS);
  if (n > 1 && pr_diagx(c->diags, PR_WARNING, "several-urls", e->key, lf->name, e->file, lf->line,
                            "entry '%s': %s '%s' holds %zu URLs: shown as %zu links", e->key,
                            lf->name, val, n, n))
    return -1;
  for (size_t i = 0; i < n; i++) {
    pr_buf piece = {0};
    const char *u = at[i];
    size_t ul = len[i];
    if (strncmp(u, "\\url{", 5) == 0 && ul > 5) { /* looked at unwrapped */
      u += 5;
      ul -= 5;
      if (ul && u[ul - 1] == '}') ul--;
    }
    int guess = !pr_link_identifier_base(lf->name) && !has_scheme(u) && looks_like_host(u, ul);
    if (guess) pr_buf_puts(&piece, "https://");
    pr_buf_put(&piece, u, ul);
    char *pv = pr_buf_take(&piece);
    if (!pv) return -1;
    if (guess && pr_diagx(c->diags, PR_WARNING, "url-without-scheme", e->key, lf->name, e->file,
                          lf->line,
                              "entry '%s': %s '%.*s' has no scheme: linked as '%s' (a guess: "
                              "write the https:// yourself)", e->key, lf->name, (int)ul, u, pv)) {
      free(pv);
      return -1;
    }
    pr_field one = *lf;
    one.value = pv;
    int r = field_href(c, e, &one);
    free(pv);
    if (r < 0 || (r > 0 && add_link(v, c, e, lf, label))) return -1;
  }
  return 0;
}

/* The link buttons, in al-folio's order (a biblatex arXiv eprint first);
   an unsafe one is dropped with a warning. 0, or -1 when out of memory. */
static int links_for(pr_view *v, pr_view_ctx *c, const pr_entry *e, const pr_field *const *f) {
  for (size_t i = 0; i < NLINK_FIELDS; i++)
    if (field_links(v, c, e, f[F_LINKS + i], link_labels[i])) return -1;
  if (!f[F_LINKS] && v->nlinks < PR_MAX_LINKS && arxiv_href(&c->scratch, f)) {
    /* first, where al-folio puts its arxiv button */
    memmove(&v->links[1], &v->links[0], v->nlinks * sizeof *v->links);
    v->links[0].label = "arXiv";
    v->links[0].href = take_piece(c);
    v->nlinks++;
  }
  return c->arena.failed ? -1 : 0;
}

/* n in decimal, appended to b. */
static void put_size(pr_buf *b, size_t n) {
  char d[24];
  size_t k = sizeof d;
  do d[--k] = (char)('0' + n % 10); while ((n /= 10) > 0);
  pr_buf_put(b, d + k, sizeof d - k);
}

/* "and 2 more authors" (at the end) or "2 more authors" (between two
   shown authors), in the arena. */
static const char *more_label(pr_view_ctx *c, size_t k, int at_end) {
  if (at_end) pr_buf_puts(&c->scratch, "and ");
  put_size(&c->scratch, k);
  pr_buf_puts(&c->scratch, k == 1 ? " more author" : " more authors");
  return take_piece(c);
}

/* The names shown, with --max-authors: the first N are shown, then every
   page owner (highlighted) after them; the names left out between two
   shown ones are the "cut" of the next shown one (a toggle at the place
   they were cut, "2 more authors"), those left out after the last shown
   one are "more" ("and 2 more authors"). The separators count a cut as
   one item of the list: "A, B, 2 more authors, and Owner". 0, or -1 when
   out of memory. */
static int authors_for(pr_view *v, pr_view_ctx *c, const pr_entry *e) {
  const pr_options *o = c->o;
  const char *field = v->names_field;
  size_t n = v->nnames;
  size_t max = o->max_authors > 0 ? (size_t)o->max_authors : n;
  pr_view_author *a = pr_val_arena_alloc(&c->arena, (n ? n : 1) * sizeof *a);
  if (!a) return -1;
  memset(a, 0, (n ? n : 1) * sizeof *a);
  v->authors = a;
  /* units: shown names and cuts, in order */
  size_t units = 0, last_shown = 0;
  for (size_t i = 0; i < n; i++) {
    const pr_name *nm = pr_entry_name(e, field, i);
    a[i].name = nm;
    a[i].me = (unsigned char)pr_name_is_highlighted(o, nm);
    a[i].hidden = !(i < max || a[i].me);
    if (!a[i].hidden) {
      units += 1 + (i > 0 && a[i - 1].hidden);
      last_shown = i;
      v->nshown++;
    }
  }
  size_t nh = v->nshown ? n - 1 - last_shown : n; /* left out at the end */
  if (nh) units++;
  v->nmore = nh;
  size_t unit = 0;
  for (size_t i = 0; i < n; i++) {
    if (a[i].hidden) continue;
    size_t cut = 0; /* the names left out just before this one */
    while (cut < i && a[i - 1 - cut].hidden) cut++;
    if (cut) unit++;
    /* "A, B et al.": no comma or "and" before "others" */
    a[i].sep = i + 1 < n && !a[i + 1].hidden && a[i + 1].name->others ? " "
               : nh ? ", " : pr_author_sep(unit, units);
    a[i].cut = cut;
    if (cut) {
      a[i].cut_sep = nh ? ", " : pr_author_sep(unit - 1, units);
      if (c->need & PR_VIEW_LABELS) a[i].cut_label = more_label(c, cut, 0);
      for (size_t h = i - cut; h < i; h++) a[h].sep = h + 1 < i ? ", " : "";
    }
    unit++;
  }
  for (size_t k = 0; k < nh; k++) a[n - nh + k].sep = pr_author_sep(k, nh);
  if (c->need & PR_VIEW_LABELS) v->more_label = more_label(c, nh, 1); /* also "and 0 ..." */
  for (size_t i = 0; i < n && (c->need & (PR_VIEW_MARKS | PR_VIEW_URLS)); i++) {
    if (c->need & PR_VIEW_MARKS) {
      const char *m = pr_name_marks_for(o, a[i].name, &c->tmp);
      a[i].marks = m == a[i].name->more->marks ? m : pr_val_arena_strndup(&c->arena, m, strlen(m));
    }
    const char *url = c->need & PR_VIEW_URLS ? pr_coauthor_url(o, a[i].name) : NULL;
    int r = url ? pr_link_href_put(&c->scratch, &c->tmp, "url", url, NULL) : 0;
    if (r < 0) return -1;
    if (r > 0) a[i].url = take_piece(c);
    c->scratch.len = 0;
  }
  return c->arena.failed ? -1 : 0;
}

/* number as a Markdown list marker, "1." padded with spaces to at least 4
   columns (at least one space). */
static const char *marker_for(pr_view_ctx *c, size_t number) {
  pr_buf *b = &c->scratch;
  put_size(b, number);
  pr_buf_putc(b, '.');
  size_t w = b->len;
  pr_buf_put(b, "    ", w < 4 ? 4 - w : 1);
  return take_piece(c);
}

int pr_view_heading_level(const pr_options *o, int group_level) {
  int level = o->heading_level + group_level;
  return level > 6 ? 6 : level;
}

/* A venue or co-author url of a data file that the view would drop: warned
   about once per render, naming the file and line it was read from (not at
   every entry that uses it). 0, or -1 when out of memory. */
static int warn_data_url(void *ctx, const char *file, unsigned line, const char *what,
                         const char *url) {
  pr_view_ctx *c = ctx;
  int r = pr_link_href_put(&c->scratch, &c->tmp, "url", url, NULL);
  c->scratch.len = 0;
  if (r) return r < 0 ? -1 : 0;
  return pr_diagx(c->diags, PR_WARNING, "unsafe-url", NULL, NULL, file, line,
                  "%s url '%s' " PR_LINK_DROPPED, what, url);
}

void pr_view_ctx_setup(pr_view_ctx *c, pr_diags *diags, const pr_options *o, unsigned need,
                       int venue_urls, int coauthor_urls) {
  memset(c, 0, sizeof *c);
  c->diags = diags;
  c->o = o;
  c->need = need;
  if (pr_data_urls(o, venue_urls, coauthor_urls, warn_data_url, c)) c->failed = 1;
}

void pr_view_ctx_release(pr_view_ctx *c) {
  pr_val_arena_free(&c->arena);
  pr_buf_free(&c->scratch);
  pr_buf_free(&c->tmp);
}

int pr_view_build(pr_view *v, pr_view_ctx *c, const pr_entry *e, size_t number) {
  const pr_options *o = c->o;
  const pr_field *f[F_COUNT];
  find_fields(c, e, f);
  memset(v, 0, sizeof *v);
  v->entry = e;
  v->id = pr_entry_id(e);
  v->id_prefix = pr_id_prefix(o);
  v->number = number;
  c->scratch.len = 0;
  c->scratch.failed = 0;
  if (c->need & PR_VIEW_MARKER) v->marker = marker_for(c, number);
  if (c->need & PR_VIEW_YEAR) {
    if (e->year) put_years(&c->scratch, e);
    else if (e->year_word) put_part(&c->scratch, pr_entry_field(e, "year"), "", NULL, 0);
    v->year_label = take_piece(c);
  }
  if (c->need & PR_VIEW_ABBR) {
    put_part(&c->scratch, value_of(f[F_ABBR]), "", NULL, 0);
    v->abbr = take_piece(c);
  }
  if (c->need & PR_VIEW_TITLE) { /* biblatex: title, then ": subtitle" when there is one */
    put_part(&c->scratch, value_of(f[F_TITLE]), "", NULL, 0);
    if (c->scratch.len) put_part(&c->scratch, value_of(f[F_SUBTITLE]), ": ", NULL, 0);
    v->title = take_piece(c);
  }
  v->nauthors = pr_entry_name_count(e, "author");
  /* an edited book without authors shows its editors, marked "(ed.)" */
  size_t neditors = v->nauthors ? 0 : pr_entry_name_count(e, "editor");
  v->names_field = neditors ? "editor" : "author";
  v->nnames = neditors ? neditors : v->nauthors;
  v->role = !neditors ? "" : neditors == 1 ? " (ed.)" : " (eds.)";
  if ((c->need & PR_VIEW_AUTHORS) && authors_for(v, c, e)) return -1;
  if (c->need & PR_VIEW_LEGEND) {
    legend_for(&c->scratch, &c->tmp, o, e);
    v->legend = take_piece(c);
  }
  if (c->need & PR_VIEW_VENUE) {
    venue_for(&c->scratch, e, f);
    v->venue = take_piece(c);
  }
  if (links_for(v, c, e, f)) return -1;
  /* al-folio's vocabulary: the abbr badge from the venues file, preview,
     BibTeX, and the text fields */
  const char *abbr = value_of(f[F_ABBR]);
  const pr_venue *venue = abbr && (c->need & PR_VIEW_STYLE) ? pr_venue_find(o, abbr) : NULL;
  if (venue) {
    if (venue->url && pr_link_href_put(&c->scratch, &c->tmp, "url", venue->url, NULL) < 0)
      return -1;
    v->abbr_url = take_piece(c);
    v->abbr_color = safe_color(venue->color);
    v->abbr_text_color = text_color_on(v->abbr_color);
  }
  /* an unsafe preview is warned about whatever the template shows, as a link is */
  if (field_href(c, e, f[F_PREVIEW]) < 0) return -1;
  if (c->need & PR_VIEW_PREVIEW) v->preview = take_piece(c);
  c->scratch.len = 0;
  if ((c->need & PR_VIEW_BIBTEX) && is_true(value_of(f[F_BIBTEX_SHOW]))) {
    char *bibtex = pr_bibtex_source(e);
    if (!bibtex) return -1;
    v->bibtex = pr_val_arena_strndup(&c->arena, bibtex, strlen(bibtex));
    free(bibtex);
  }
  v->selected = is_true(value_of(f[F_SELECTED]));
  v->abstract = value_of(f[F_ABSTRACT]);
  v->award = value_of(f[F_AWARD]);
  v->award_name = value_of(f[F_AWARD_NAME]);
  v->annotation = value_of(f[F_ANNOTATION]);
  v->additional_info = value_of(f[F_ADDITIONAL_INFO]);
  v->note = value_of(f[F_NOTE]);
  return c->arena.failed ? -1 : 0;
}

/* The text between author i and the next one. */
const char *pr_author_sep(size_t i, size_t n) {
  if (i + 1 >= n) return "";
  if (n == 2) return " and ";
  return i + 2 == n ? ", and " : ", ";
}
