/* render_json.c - --format json: pubrender's own record model as JSON
   (documented in README.md, "JSON output"), built with jansson. Also the
   jansson helpers render_csl.c shares. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "render.h"
#include "text.h"

/* ---- shared helpers ---- */

/* s with every invalid UTF-8 sequence replaced by U+FFFD (malloc'd). */
static char *valid_utf8(const char *s) {
  pr_buf b = {0};
  const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
  while (*p) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(p, -1, &cp);
    if (n <= 0) {
      pr_buf_puts(&b, "\xef\xbf\xbd");
      p++;
    } else {
      pr_buf_put(&b, (const char *)p, (size_t)n);
      p += n;
    }
  }
  return pr_buf_take(&b);
}

json_t *pr_json_str(const char *s) {
  json_t *j = json_string(s);
  if (j) return j;
  /* jansson refuses invalid UTF-8; anything else is out of memory */
  char *fixed = valid_utf8(s);
  if (!fixed) return NULL;
  j = json_string(fixed);
  free(fixed);
  return j;
}

int pr_json_set(json_t *obj, const char *key, json_t *val) {
  if (!val) return -1;
  return json_object_set_new(obj, key, val);
}

int pr_json_set_str(json_t *obj, const char *key, const char *s) {
  return s ? pr_json_set(obj, key, pr_json_str(s)) : 0;
}

int pr_json_append(json_t *arr, json_t *val) {
  if (!val) return -1;
  return json_array_append_new(arr, val);
}

static int to_buf(const char *data, size_t len, void *ctx) {
  pr_buf *b = ctx;
  pr_buf_put(b, data, len);
  return b->failed ? -1 : 0;
}

/* An array written one element at a time, laid out as jansson's
   JSON_INDENT(2) writes the whole array, without ever holding it all:
   make(i) builds element i, which is dumped and freed at once. */
pr_status pr_json_dump_array(pr_buf *out, size_t n, json_t *(*make)(size_t i, void *ctx),
                             void *ctx) {
  if (n == 0) {
    pr_buf_puts(out, "[]\n");
    return out->failed ? PR_ERR_NOMEM : PR_OK;
  }
  pr_buf_puts(out, "[\n");
  pr_buf one = {0};
  for (size_t i = 0; i < n; i++) {
    json_t *e = make(i, ctx);
    one.len = 0;
    int bad = !e || json_dump_callback(e, to_buf, &one, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(e);
    if (bad || one.failed) {
      pr_buf_free(&one);
      return PR_ERR_NOMEM;
    }
    pr_buf_puts(out, "  "); /* the array's indent before each line of the record */
    for (const char *p = one.data, *end = one.data + one.len; p < end;) {
      const char *nl = memchr(p, '\n', (size_t)(end - p));
      const char *stop = nl ? nl + 1 : end;
      pr_buf_put(out, p, (size_t)(stop - p));
      if (nl) pr_buf_puts(out, "  ");
      p = stop;
    }
    pr_buf_puts(out, i + 1 < n ? ",\n" : "\n");
    pr_buf_drain(out);
  }
  pr_buf_free(&one);
  pr_buf_puts(out, "]\n");
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

pr_status pr_json_dump(json_t *root, pr_buf *out) {
  if (json_dump_callback(root, to_buf, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
    return PR_ERR_NOMEM;
  pr_buf_putc(out, '\n');
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

char *pr_plain_text(const char *latex) {
  char *m = pr_latex_to_marked(latex, strlen(latex), NULL, NULL);
  if (!m) return NULL;
  char *p = pr_marked_to_plain(m);
  free(m);
  return p;
}

/* ---- the model ---- */

static json_t *name_json(const pr_options *o, const pr_name *n) {
  json_t *j = json_object();
  if (!j) return NULL;
  pr_buf scratch = {0};
  const char *marks = pr_name_marks_for(o, n, &scratch);
  int rc = pr_json_set_str(j, "first", n->first) || pr_json_set_str(j, "von", n->more->von) ||
           pr_json_set_str(j, "last", n->last) || pr_json_set_str(j, "jr", n->more->jr) ||
           pr_json_set_str(j, "display", n->display) || pr_json_set_str(j, "marks", marks);
  pr_buf_free(&scratch);
  if (rc ||
      pr_json_set(j, "others", json_boolean(n->others)) ||
      pr_json_set(j, "highlight", json_boolean(!n->others && pr_name_is_highlighted(o, n)))) {
    json_decref(j);
    return NULL;
  }
  return j;
}

static json_t *names_json(const pr_options *o, const pr_entry *e, const char *field) {
  json_t *a = json_array();
  if (!a) return NULL;
  size_t n = pr_entry_name_count(e, field);
  for (size_t i = 0; i < n; i++)
    if (pr_json_append(a, name_json(o, pr_entry_name(e, field, i)))) {
      json_decref(a);
      return NULL;
    }
  return a;
}

static json_t *field_json(const pr_field *f) {
  json_t *j = json_object();
  char *text = pr_plain_text(f->value);
  if (!j || !text || pr_json_set_str(j, "raw", f->value) || pr_json_set_str(j, "text", text) ||
      pr_json_set(j, "line", json_integer(f->line))) {
    json_decref(j);
    free(text);
    return NULL;
  }
  free(text);
  return j;
}

static json_t *fields_json(const pr_entry *e) {
  json_t *j = json_object();
  if (!j) return NULL;
  for (size_t i = 0; i < e->nfields; i++) {
    const pr_field *f = &e->fields[i];
    char *name = valid_utf8(f->name); /* keys must be UTF-8 too */
    int rc = name ? pr_json_set(j, name, field_json(f)) : -1;
    free(name);
    if (rc) {
      json_decref(j);
      return NULL;
    }
  }
  return j;
}

static json_t *entry_json(const pr_options *o, const pr_entry *e) {
  json_t *j = json_object();
  if (!j) return NULL;
  int rc = pr_json_set_str(j, "key", e->key) || pr_json_set_str(j, "type", e->type) ||
           pr_json_set_str(j, "file", e->file ? e->file : "") ||
           pr_json_set(j, "line", json_integer(e->line)) ||
           pr_json_set(j, "year", e->year ? json_integer(e->year) : json_null()) ||
           pr_json_set(j, "month", e->month ? json_integer(e->month) : json_null()) ||
           pr_json_set(j, "fields", fields_json(e));
  static const char *const lists[] = {"author", "editor"};
  for (size_t l = 0; l < 2 && !rc; l++)
    if (pr_entry_find_field(e, lists[l])) rc = pr_json_set(j, lists[l], names_json(o, e, lists[l]));
  if (rc) {
    json_decref(j);
    return NULL;
  }
  return j;
}

typedef struct json_list { const pr_options *o; const pr_entry **v; } json_list;

static json_t *make_entry(size_t i, void *ctx) {
  json_list *l = ctx;
  return entry_json(l->o, l->v[i]);
}

pr_status pr_render_json(pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                         pr_buf *out) {
  (void)bib;
  json_list l = {o, v};
  return pr_json_dump_array(out, n, make_entry, &l);
}
