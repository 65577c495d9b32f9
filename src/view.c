/* view.c - the data a template sees for one entry: every piece already
   written in the output format (HTML or CommonMark), so templates only
   arrange them. The names are documented in the README ("Templates"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
  int rc = set(a, "name", piece(f->text, n->display));
  rc |= set(a, "me", json_boolean(pr_name_is_highlighted(o, n)));
  rc |= set(a, "marks", piece(f->text, n->marks));
  rc |= set(a, "sep", json_string(sep));
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
  json_t *authors = json_array();
  for (size_t i = 0; authors && i < v.nauthors && !rc; i++) {
    json_t *a = author_json(o, f, pr_entry_name(e, "author", i), pr_author_sep(i, v.nauthors));
    rc = !a || json_array_append_new(authors, a);
  }
  rc |= !authors || set(j, "authors", authors) ||
        set(j, "has_authors", json_boolean(v.nauthors > 0));
  json_t *links = links_json(f, &v);
  rc |= !links || set(j, "links", links) || set(j, "has_links", json_boolean(v.nlinks > 0));
  pr_view_clear(&v);
  if (rc) {
    json_decref(j);
    return NULL;
  }
  return j;
}
