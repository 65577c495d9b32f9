/* render_json.c - --format json: pubrender's own record model as JSON
   (documented in README.md, "JSON output"), built with jansson. Also the
   jansson helpers render_csl.c shares. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "render/render.h"

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

/* text[0..n) appended to out with the first indent bytes of spaces before
   each of its lines (before the first only when at_start): jansson's
   layout of a value one level deeper. */
static void put_lines(pr_buf *out, const char *text, size_t n, size_t indent, int at_start) {
  static const char spaces[] = "                                                                ";
  if (indent > sizeof spaces - 1) indent = sizeof spaces - 1;
  if (at_start) pr_buf_put(out, spaces, indent);
  for (const char *p = text, *end = text + n; p < end;) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl + 1 : end;
    pr_buf_put(out, p, (size_t)(stop - p));
    if (nl) pr_buf_put(out, spaces, indent);
    p = stop;
    pr_buf_drain(out); /* a record of a million names is long */
  }
}

/* v dumped as jansson does at the top level into one (emptied first). 0, or
   -1 when out of memory. */
static int dump_one(json_t *v, pr_buf *one) {
  one->len = 0;
  return !v || json_dump_callback(v, to_buf, one, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
                 one->failed
             ? -1
             : 0;
}

json_t *pr_json_deferred_mark(size_t k) {
  char s[2] = {'\0', (char)('0' + k)};
  return k < PR_JSON_MAX_DEFERRED ? json_stringn(s, 2) : NULL;
}

/* The deferred array d written to out in place of its mark, as jansson
   would lay it out at indent (the mark's line's indent in out): its items
   made, dumped and freed one at a time. 0, or -1 when out of memory. */
static int put_deferred(pr_buf *out, pr_buf *one, const pr_json_deferred *d, size_t indent) {
  pr_buf_puts(out, "[\n");
  for (size_t i = 0; i < d->n; i++) {
    json_t *it = d->item(i, d->ctx);
    int bad = dump_one(it, one);
    json_decref(it);
    if (bad) return -1;
    put_lines(out, one->data, one->len, indent + 2, 1);
    pr_buf_puts(out, i + 1 < d->n ? ",\n" : "\n");
    pr_buf_drain(out);
  }
  put_lines(out, "]", 1, indent, 1);
  return out->failed ? -1 : 0;
}

/* A record's dump text[0..n) written to out one level deeper (indent 2),
   each deferred mark ("\u0000" and its digit: no other string holds a
   NUL) replaced by its array. 0, or -1 when out of memory. */
static int put_record(pr_buf *out, pr_buf *one, const char *text, size_t n,
                      const pr_json_deferred *d, size_t nd) {
  static const char mark[] = "\"\\u0000";
  const size_t ml = sizeof mark - 1;
  size_t at = 0;
  int at_start = 1;
  for (size_t i = 0; nd && i + ml + 2 <= n; i++) {
    if (text[i] != '"' || memcmp(text + i, mark, ml) != 0 || text[i + ml + 1] != '"') continue;
    size_t k = (size_t)(text[i + ml] - '0');
    if (k >= nd) continue;
    size_t line = i;
    while (line > 0 && text[line - 1] != '\n') line--;
    size_t indent = 2 + strspn(text + line, " ");
    put_lines(out, text + at, i - at, 2, at_start);
    if (put_deferred(out, one, &d[k], indent)) return -1;
    at = i + ml + 2;
    at_start = 0;
    i = at - 1;
  }
  put_lines(out, text + at, n - at, 2, at_start);
  return out->failed ? -1 : 0;
}

/* Element i of the array, with its separator, onto out (rec and one are
   scratch). 0, or -1 when out of memory. */
static int put_element(pr_buf *out, pr_buf *rec, pr_buf *one, size_t i, size_t n,
                       pr_json_make_fn make, void *ctx, pr_diags *diags) {
  pr_json_deferred d[PR_JSON_MAX_DEFERRED];
  size_t nd = 0;
  json_t *e = make(i, ctx, diags, d, &nd);
  int bad = dump_one(e, rec) || put_record(out, one, rec->data, rec->len, d, nd);
  json_decref(e);
  for (size_t k = 0; k < nd; k++)
    if (d[k].release) d[k].release(d[k].ctx);
  pr_buf_puts(out, i + 1 < n ? ",\n" : "\n");
  return bad || out->failed ? -1 : 0;
}

/* The array on threads: blocks of elements on the workers, each worker
   with its own context (ctxs[t]) and scratch, written out in order. */
typedef struct json_par {
  size_t n;
  pr_json_make_fn make;
  void *const *ctxs;
  pr_buf *rec, *one;        /* per worker */
  pr_buf *out;
  pr_diags *diags;
} json_par;

static int par_work(void *ctx, unsigned t, size_t first, size_t count, pr_buf *out,
                    pr_diags *diags) {
  json_par *p = ctx;
  for (size_t i = first; i < first + count; i++)
    if (put_element(out, &p->rec[t], &p->one[t], i, p->n, p->make, p->ctxs[t], diags)) return -1;
  return 0;
}

static int par_emit(void *ctx, size_t first, size_t count, pr_buf *out, pr_diags *diags) {
  json_par *p = ctx;
  (void)first;
  (void)count;
  pr_buf_put(p->out, out->data ? out->data : "", out->len);
  pr_buf_drain(p->out);
  if (pr_diags_move(p->diags, diags, 0, diags->n)) return -1;
  return p->out->failed || p->out->sink_failed ? -1 : 0;
}

/* Elements per block: 64 records, as for HTML. The window holds 2 x threads
   + 2 blocks of text at once: 256 records took 6 MB more peak RSS on the
   50 MB benchmark (JSON 105 -> 99 MiB), in the same time. */
#define JSON_BLOCK 64

/* An array written one element at a time, laid out as jansson's
   JSON_INDENT(2) writes the whole array, without ever holding it all:
   make(i) builds element i, which is dumped and freed at once, and the
   arrays it deferred are written item by item in their places. */
pr_status pr_json_dump_array(pr_buf *out, size_t n, pr_json_make_fn make, void *const *ctxs,
                             unsigned threads, pr_diags *diags) {
  if (n == 0) {
    pr_buf_puts(out, "[]\n");
    return out->failed ? PR_ERR_NOMEM : PR_OK;
  }
  pr_buf_puts(out, "[\n");
  pr_buf rec[PR_MAX_THREADS] = {{0}}, one[PR_MAX_THREADS] = {{0}};
  int bad = 0;
  if (threads > 1) {
    json_par p = {n, make, ctxs, rec, one, out, diags};
    pr_par_job j = {n, JSON_BLOCK, threads, diags->dedupe, par_work, par_emit, &p};
    bad = pr_par_run(&j);
  } else {
    for (size_t i = 0; i < n && !bad; i++) {
      bad = put_element(out, &rec[0], &one[0], i, n, make, ctxs[0], diags);
      pr_buf_drain(out);
    }
  }
  for (unsigned t = 0; t < (threads > 1 ? threads : 1); t++) {
    pr_buf_free(&rec[t]);
    pr_buf_free(&one[t]);
  }
  pr_buf_puts(out, "]\n");
  return bad || out->failed ? PR_ERR_NOMEM : PR_OK;
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

/* A name list written name by name (a record may hold a million names: no
   tree of them is built). */
typedef struct name_list {
  const pr_options *o;
  const pr_entry *e;
  const char *field;
} name_list;

static json_t *name_item(size_t i, void *ctx) {
  const name_list *l = ctx;
  return name_json(l->o, pr_entry_name(l->e, l->field, i));
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

static json_t *entry_json(const pr_options *o, const pr_entry *e, name_list *lists,
                          pr_json_deferred *d, size_t *nd) {
  json_t *j = json_object();
  if (!j) return NULL;
  int rc = pr_json_set_str(j, "key", e->key) || pr_json_set_str(j, "id", pr_entry_id(e)) ||
           pr_json_set_str(j, "type", e->type) ||
           /* standard input as the command line names it (README: JSON output) */
           pr_json_set_str(j, "file", !e->file ? "" : strcmp(e->file, "<stdin>") == 0 ? "-" : e->file) ||
           pr_json_set(j, "line", json_integer(e->line)) ||
           pr_json_set(j, "year", e->year ? json_integer(e->year) : json_null()) ||
           pr_json_set(j, "month", e->month ? json_integer(e->month) : json_null()) ||
           pr_json_set(j, "fields", fields_json(e));
  /* every name field it has, in pr_name_fields order */
  for (size_t l = 0; l < pr_entry_name_field_count(e) && !rc; l++) {
    const char *field = pr_entry_name_field(e, l);
    size_t n = pr_entry_name_count(e, field);
    if (!n) { /* [] */
      rc = pr_json_set(j, field, json_array());
      continue;
    }
    lists[*nd] = (name_list){o, e, field};
    d[*nd] = (pr_json_deferred){n, name_item, &lists[*nd], NULL};
    rc = pr_json_set(j, field, pr_json_deferred_mark(*nd));
    ++*nd;
  }
  if (rc) {
    json_decref(j);
    return NULL;
  }
  return j;
}

typedef struct json_list {
  const pr_options *o;
  const pr_entry **v;
  name_list lists[PR_NAME_FIELDS]; /* the current record's */
} json_list;

static json_t *make_entry(size_t i, void *ctx, pr_diags *diags, pr_json_deferred *d,
                          size_t *nd) {
  json_list *l = ctx;
  (void)diags;
  return entry_json(l->o, l->v[i], l->lists, d, nd);
}

pr_status pr_render_json(const pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                         pr_buf *out, pr_diags *diags) {
  (void)bib;
  unsigned threads = pr_par_threads(o->threads, n);
  json_list *l = calloc(threads, sizeof *l);
  void *ctxs[PR_MAX_THREADS];
  if (!l) return PR_ERR_NOMEM;
  for (unsigned t = 0; t < threads; t++) {
    l[t] = (json_list){o, v, {{0}}};
    ctxs[t] = &l[t];
  }
  pr_status st = pr_json_dump_array(out, n, make_entry, ctxs, threads, diags);
  free(l);
  return st;
}
