/* view.c - the data a template sees for one entry: every piece already
   written in the output format (HTML or CommonMark), so templates only
   arrange them. The names are documented in the README ("Templates"). */
#include <stdio.h>
#include <stdlib.h>
#include "text.h"
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include "format.h"
#include "render.h"

typedef void (*piece_fn)(pr_buf *out, const char *s);

/* s written by fn as a JSON string; NULL s gives NULL (the key is left out). */
static json_t *piece(piece_fn fn, const char *s) {
  if (!s) return NULL;
  pr_buf b = {0};
  fn(&b, s);
  char *t = pr_buf_take(&b);
  json_t *j = t ? json_string(t) : NULL;
  free(t);
  return j;
}

static int set(json_t *obj, const char *key, json_t *val) {
  return val ? json_object_set_new(obj, key, val) : 0;
}

static json_t *author_json(const pr_options *o, const pr_format_ops *f, const pr_name *n,
                           const char *sep) {
  json_t *a = json_object();
  if (!a) return NULL;
  const char *url = pr_coauthor_url(o, n);
  char *href = url ? pr_link_href("url", url) : NULL;
  int rc = set(a, "name", piece(f->text, n->display));
  rc |= set(a, "me", json_boolean(pr_name_is_highlighted(o, n)));
  pr_buf scratch = {0};
  rc |= set(a, "marks", piece(f->text, pr_name_marks_for(o, n, &scratch)));
  pr_buf_free(&scratch);
  rc |= set(a, "sep", json_string(sep));
  rc |= set(a, "url", href ? json_string(href) : json_false());
  free(href);
  if (rc) {
    json_decref(a);
    return NULL;
  }
  return a;
}

static json_t *links_json(const pr_format_ops *f, const pr_view *v) {
  json_t *arr = json_array();
  for (size_t i = 0; arr && i < v->nlinks; i++) {
    json_t *l = json_object();
    pr_buf b = {0};
    f->link(&b, v->links[i].label, v->links[i].href);
    char *md = pr_buf_take(&b);
    int rc = !l || !md || set(l, "label", json_string(v->links[i].label)) ||
             set(l, "href", json_string(v->links[i].href)) || set(l, "link", json_string(md)) ||
             set(l, "sep", json_string(i + 1 < v->nlinks ? " " : "")) ||
             json_array_append_new(arr, l);
    free(md);
    if (rc) {
      json_decref(arr);
      return NULL;
    }
  }
  return arr;
}

static json_t *more_label(size_t n) {
  char label[64];
  snprintf(label, sizeof label, "and %zu more author%s", n, n == 1 ? "" : "s");
  return json_string(label);
}

/* The authors shown, and with --max-authors the rest behind "and K more
   authors"; the page owner is never hidden. */
static int authors_json(json_t *j, const pr_options *o, const pr_format_ops *f,
                        const pr_entry *e, const char *field, size_t n) {
  size_t max = o->max_authors > 0 ? (size_t)o->max_authors : n;
  json_t *shown = json_array(), *hidden = json_array();
  const pr_name **sv = calloc(n ? n : 1, sizeof *sv), **hv = calloc(n ? n : 1, sizeof *hv);
  size_t ns = 0, nh = 0;
  int rc = !shown || !hidden || !sv || !hv;
  for (size_t i = 0; !rc && i < n; i++) {
    const pr_name *nm = pr_entry_name(e, field, i);
    if (i < max || pr_name_is_highlighted(o, nm)) sv[ns++] = nm;
    else hv[nh++] = nm;
  }
  for (size_t i = 0; !rc && i < ns; i++) {
    /* "A, B et al.": no comma or "and" before "others" */
    const char *sep = i + 1 < ns && sv[i + 1]->others ? " " : nh ? ", " : pr_author_sep(i, ns);
    json_t *a = author_json(o, f, sv[i], sep);
    rc = !a || json_array_append_new(shown, a);
  }
  for (size_t i = 0; !rc && i < nh; i++) {
    json_t *a = author_json(o, f, hv[i], pr_author_sep(i, nh));
    rc = !a || json_array_append_new(hidden, a);
  }
  free(sv);
  free(hv);
  rc |= !shown || set(j, "authors", shown) || !hidden || set(j, "more_authors", hidden) ||
        set(j, "more_count", json_integer((json_int_t)nh)) ||
        set(j, "more_label", more_label(nh)) ||
        set(j, "more", json_boolean(nh > 0)) || set(j, "has_authors", json_boolean(n > 0));
  return rc;
}

/* A piece of HTML for a raw HTML block of Markdown (the kramdown and GFM
   templates): on one line, so that no blank line ends the block and no line
   needs the list item's indentation; a newline becomes a space, or &#10;
   with keep_lines (inside <pre>, where it is kept); { becomes &#123;, so
   that Jekyll's Liquid never sees {{ or {% in it (BibTeX is full of them). */
static json_t *html_line(const char *html, int keep_lines) {
  if (!html) return NULL;
  pr_buf b = {0};
  for (const char *p = html; *p; p++) {
    if (*p == '{') pr_buf_puts(&b, "&#123;");
    else if (*p != '\n') pr_buf_putc(&b, *p);
    else if (keep_lines) pr_buf_puts(&b, "&#10;");
    else if (p[1] && p[1] != '\n' && b.len && b.data[b.len - 1] != ' ') pr_buf_putc(&b, ' ');
  }
  char *t = pr_buf_take(&b);
  json_t *j = t ? json_string(t) : NULL;
  free(t);
  return j;
}

/* The abstract as HTML and the BibTeX HTML-escaped, each on one line. */
static int html_pieces(json_t *j, const pr_view *v) {
  int rc = 0;
  if (v->abstract) {
    pr_buf b = {0};
    pr_format_html.markdown(&b, v->abstract);
    char *h = pr_buf_take(&b);
    rc |= !h || set(j, "abstract_html", html_line(h, 0)) || !json_object_get(j, "abstract_html");
    free(h);
  }
  if (v->bibtex) {
    pr_buf b = {0};
    pr_tpl_escape_html(&b, v->bibtex, strlen(v->bibtex));
    char *h = pr_buf_take(&b);
    rc |= !h || set(j, "bibtex_html", html_line(h, 1)) || !json_object_get(j, "bibtex_html");
    free(h);
  }
  return rc;
}

json_t *pr_view_json(pr_bib *bib, const pr_options *o, const pr_entry *e,
                     const pr_format_ops *f, size_t number) {
  pr_view v;
  json_t *j = json_object();
  if (!j || pr_view_build(&v, bib, o, e)) {
    pr_view_clear(&v);
    json_decref(j);
    return NULL;
  }
  char marker[32];
  int w = snprintf(marker, sizeof marker, "%zu.", number);
  snprintf(marker + w, sizeof marker - (size_t)w, "%*s", w < 4 ? 4 - w : 1, "");
  int rc = set(j, "key", json_string(e->key)) || set(j, "type", json_string(e->type)) ||
           set(j, "number", json_integer((json_int_t)number)) ||
           set(j, "year", e->year ? json_integer(e->year) : json_null()) ||
           set(j, "marker", json_string(marker)) || set(j, "abbr", piece(f->marked, v.abbr)) ||
           set(j, "title", piece(f->marked, v.title)) ||
           set(j, "venue", piece(f->marked, v.venue)) ||
           set(j, "legend", piece(f->text, v.legend));
  /* an edited book without authors shows its editors, marked "(ed.)" */
  size_t neditors = pr_entry_name_count(e, "editor");
  int editors = v.nauthors == 0 && neditors > 0;
  rc |= authors_json(j, o, f, e, editors ? "editor" : "author", editors ? neditors : v.nauthors);
  rc |= set(j, "role", json_string(!editors ? "" : neditors == 1 ? " (ed.)" : " (eds.)"));
  rc |= set(j, "selected", json_boolean(v.selected)) ||
        set(j, "abbr_url", v.abbr_url ? json_string(v.abbr_url) : NULL) ||
        set(j, "abbr_color", v.abbr_color ? json_string(v.abbr_color) : NULL) ||
        set(j, "abbr_text_color", v.abbr_text_color ? json_string(v.abbr_text_color) : NULL) ||
        set(j, "preview", v.preview ? json_string(v.preview) : NULL) ||
        set(j, "bibtex", v.bibtex ? json_string(v.bibtex) : NULL) ||
        set(j, "abstract", piece(f->markdown, v.abstract)) ||
        set(j, "award", piece(f->markdown, v.award)) ||
        set(j, "award_name", piece(f->text, v.award_name ? v.award_name : "Awarded")) ||
        set(j, "additional_info", piece(f->markdown, v.additional_info));
  if (v.note) {
    char *m = pr_latex_to_marked(v.note, strlen(v.note), NULL, NULL);
    rc |= !m || set(j, "note", piece(f->marked, m));
    free(m);
  }
  /* an entry's annotation (Markdown allowed) replaces the default legend */
  if (v.annotation) rc |= set(j, "legend", piece(f->annotation, v.annotation));
  rc |= set(j, "venue_line", json_boolean(v.venue || v.additional_info));
  rc |= html_pieces(j, &v);
  json_t *links = links_json(f, &v);
  rc |= !links || set(j, "links", links) || set(j, "has_links", json_boolean(v.nlinks > 0));
  pr_view_clear(&v);
  if (rc) {
    json_decref(j);
    return NULL;
  }
  return j;
}
