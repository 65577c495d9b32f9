/* diag.c - diagnostics (findings about the input), the list that holds
   them, and the pr_report a render fills. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

static int reserve(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, c * size);
  if (!p) return -1;
  *v = p;
  *cap = c;
  return 0;
}

/* A diagnostic and its text in one allocation, which never moves: a
   pr_diag pointer stays valid until pr_diags_free(). */
typedef struct diag_block {
  pr_diag d;
  char text[]; /* message, file, key, field (each escaped, NUL-terminated) */
} diag_block;

/* Append s escaped and its NUL to b; the offset where it starts. */
static size_t put_part(pr_buf *b, const char *s) {
  size_t at = b->len;
  pr_escape_put(b, s);
  pr_buf_putc(b, '\0');
  return at;
}

/* With dedupe: 0 the first time d sees this finding (it is remembered), 1
   when seen before, -1 out of memory. parts: its escaped message, file,
   key and field, each NUL-terminated (key and field only when given). */
static int first_time(pr_diags *d, pr_severity sev, unsigned line, unsigned column,
                      const char *code, const char *parts, size_t len) {
  pr_buf k = {0};
  pr_buf_printf(&k, "%d:%u:%u\x1f%s\x1f", (int)sev, line, column, code);
  pr_buf_put(&k, parts, len);
  char *ks = NULL;
  if (!k.failed) {
    /* the parts are NUL-separated: make them a string */
    for (size_t i = 0; i < k.len; i++)
      if (k.data[i] == '\0') k.data[i] = '\x1f';
    ks = pr_buf_take(&k);
  } else {
    pr_buf_free(&k);
  }
  int seen = ks && pr_map_get(&d->seen, ks, NULL);
  if (!ks || (!seen && pr_map_put(&d->seen, ks, 0))) seen = -1;
  free(ks);
  return seen;
}

int pr_vdiagx(pr_diags *d, pr_severity sev, const char *code, const char *key, const char *field,
              const char *file, unsigned line, unsigned column, const char *fmt, va_list ap) {
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  /* a message quotes input, and a quote may be cut inside a character;
     then what it quotes is escaped, and so are the file name, key and field */
  char *fixed = pr_utf8_repair(msg);
  pr_buf b = {0};
  size_t at_msg = put_part(&b, fixed ? fixed : msg);
  free(fixed);
  size_t at_file = put_part(&b, file ? file : "");
  size_t at_key = key ? put_part(&b, key) : 0;
  size_t at_field = field ? put_part(&b, field) : 0;
  if (b.failed) {
    pr_buf_free(&b);
    return -1;
  }
  if (d->dedupe) {
    /* a finding while rendering (a dropped link) is recorded once per
       report: the same entry may be looked at more than once */
    int seen = first_time(d, sev, line, column, code, b.data, b.len);
    if (seen) {
      pr_buf_free(&b);
      return seen < 0 ? -1 : 0;
    }
  }
  diag_block *blk = NULL;
  if (reserve((void **)&d->v, &d->cap, d->n, sizeof *d->v) ||
      !(blk = malloc(sizeof *blk + b.len))) {
    pr_buf_free(&b);
    return -1;
  }
  memcpy(blk->text, b.data, b.len);
  pr_buf_free(&b);
  blk->d.severity = sev;
  blk->d.code = code ? code : "unspecified";
  blk->d.message = blk->text + at_msg;
  blk->d.file = blk->text + at_file;
  blk->d.key = key ? blk->text + at_key : NULL;
  blk->d.field = field ? blk->text + at_field : NULL;
  blk->d.line = line;
  blk->d.column = column;
  d->v[d->n++] = &blk->d;
  if (sev == PR_ERROR) d->nerrors++;
  return 0;
}

int pr_diagx(pr_diags *d, pr_severity sev, const char *code, const char *key, const char *field,
             const char *file, unsigned line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = pr_vdiagx(d, sev, code, key, field, file, line, 0, fmt, ap);
  va_end(ap);
  return rc;
}

int pr_diags_move(pr_diags *dst, pr_diags *src, size_t from, size_t to) {
  for (size_t i = from; i < to && i < src->n; i++) {
    pr_diag *g = src->v[i];
    if (!g) continue;
    if (dst->dedupe) {
      /* the parts as pr_vdiagx laid them out */
      diag_block *blk = (diag_block *)g;
      const char *last = g->field ? g->field : g->key ? g->key : g->file;
      size_t len = (size_t)(last - blk->text) + strlen(last) + 1;
      int seen = first_time(dst, g->severity, g->line, g->column, g->code, blk->text, len);
      if (seen < 0) return -1;
      if (seen) continue; /* stays in src, freed with it */
    }
    if (reserve((void **)&dst->v, &dst->cap, dst->n, sizeof *dst->v)) return -1;
    dst->v[dst->n++] = g;
    if (g->severity == PR_ERROR) dst->nerrors++;
    src->v[i] = NULL;
  }
  return 0;
}

int pr_diags_insert(pr_diags *dst, size_t at, pr_diags *src) {
  if (!src->n) return 0;
  if (at > dst->n) at = dst->n;
  size_t need = dst->n + src->n;
  if (need > dst->cap) {
    pr_diag **v = realloc(dst->v, need * sizeof *v);
    if (!v) return -1;
    dst->v = v;
    dst->cap = need;
  }
  memmove(dst->v + at + src->n, dst->v + at, (dst->n - at) * sizeof *dst->v);
  memcpy(dst->v + at, src->v, src->n * sizeof *src->v);
  dst->n = need;
  dst->nerrors += src->nerrors;
  free(src->v);
  pr_map_free(&src->seen);
  *src = (pr_diags){0};
  return 0;
}

void pr_diags_free(pr_diags *d) {
  for (size_t i = 0; i < d->n; i++) free(d->v[i]);
  free(d->v);
  pr_map_free(&d->seen);
  *d = (pr_diags){0};
}

/* ---- accessors ---- */

pr_severity pr_diag_severity(const pr_diag *d) { return d ? d->severity : PR_WARNING; }
const char *pr_diag_file(const pr_diag *d) { return d ? d->file : NULL; }
unsigned pr_diag_line(const pr_diag *d) { return d ? d->line : 0; }
unsigned pr_diag_column(const pr_diag *d) { return d ? d->column : 0; }
const char *pr_diag_message(const pr_diag *d) { return d ? d->message : NULL; }
const char *pr_diag_code(const pr_diag *d) { return d ? d->code : NULL; }
const char *pr_diag_key(const pr_diag *d) { return d ? d->key : NULL; }
const char *pr_diag_field(const pr_diag *d) { return d ? d->field : NULL; }

/* ---- reports ---- */

pr_report *pr_report_new(void) {
  pr_report *r = calloc(1, sizeof *r);
  if (r) r->diags.dedupe = 1;
  return r;
}

void pr_report_clear(pr_report *r) {
  pr_diags_free(&r->diags);
  r->diags.dedupe = 1;
  for (size_t i = 0; i < r->nfiles; i++) free(r->files[i]);
  free(r->files);
  r->files = NULL;
  r->nfiles = 0;
}

void pr_report_free(pr_report *r) {
  if (!r) return;
  pr_report_clear(r);
  free(r);
}

int pr_report_add_file(pr_report *r, const char *path) {
  for (size_t i = 0; i < r->nfiles; i++)
    if (strcmp(r->files[i], path) == 0) return 0;
  char **v = realloc(r->files, (r->nfiles + 1) * sizeof *v);
  if (!v) return -1;
  r->files = v;
  if (!(v[r->nfiles] = pr_strdup(path))) return -1;
  r->nfiles++;
  return 0;
}

size_t pr_report_diag_count(const pr_report *r) { return r ? r->diags.n : 0; }
const pr_diag *pr_report_diag(const pr_report *r, size_t i) {
  return r && i < r->diags.n ? r->diags.v[i] : NULL;
}
size_t pr_report_error_count(const pr_report *r) { return r ? r->diags.nerrors : 0; }
size_t pr_report_file_count(const pr_report *r) { return r ? r->nfiles : 0; }
const char *pr_report_file(const pr_report *r, size_t i) {
  return r && i < r->nfiles ? r->files[i] : NULL;
}
