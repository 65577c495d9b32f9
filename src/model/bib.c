/* bib.c - the bibliography object: entries, fields, diagnostics, getters. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "model/model.h"

/* ---- the bib ---- */

pr_bib *pr_bib_new(void) {
  pr_bib *bib = calloc(1, sizeof(pr_bib));
  if (bib) bib->field_names.borrow = bib->short_values.borrow = bib->keys.borrow = 1;
  if (bib) bib->threads = 1; /* the library parses on the calling thread unless told */
  return bib;
}

void pr_bib_free(pr_bib *bib) {
  if (!bib) return;
  pr_arena_free(&bib->mem);
  pr_map_free(&bib->field_names);
  pr_map_free(&bib->short_values);
  free(bib->entries);
  pr_diags_free(&bib->diags);
  for (size_t i = 0; i < bib->nfiles; i++) free(bib->files[i]);
  free(bib->files);
  pr_map_free(&bib->keys);
  pr_map_free(&bib->contents);
  free(bib->dups);
  pr_map_free(&bib->unknown_cmds);
  pr_macro_env_free(&bib->macros);
  free(bib->file_scopes);
  pr_preamble_free(bib);
  free(bib);
}

void pr_macro_env_free(pr_macro_env *env) {
  for (size_t i = 0; i < env->n; i++) free((char *)env->v[i].name), free((char *)env->v[i].text);
  free(env->v);
  pr_map_free(&env->index);
  memset(env, 0, sizeof *env);
}

static int reserve(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, c * size);
  if (!p) return -1;
  *v = p;
  *cap = c;
  return 0;
}

const char *pr_bib_add_file_name(pr_bib *bib, const char *name) {
  for (size_t i = 0; i < bib->nfiles; i++)
    if (strcmp(bib->files[i], name) == 0) return bib->files[i];
  char **v = realloc(bib->files, (bib->nfiles + 1) * sizeof *v);
  if (!v) return NULL;
  bib->files = v;
  if (!(v[bib->nfiles] = pr_strdup(name))) return NULL;
  return v[bib->nfiles++];
}

int pr_bib_append(pr_bib *bib, pr_entry *e) {
  if (reserve((void **)&bib->entries, &bib->cap, bib->n, sizeof *bib->entries)) return -1;
  e->order = bib->n;
  bib->entries[bib->n++] = e;
  return 0;
}

pr_status pr_bib_set_encoding(pr_bib *bib, pr_encoding enc) {
  if (!bib || (enc != PR_ENCODING_UTF8 && enc != PR_ENCODING_LATIN1)) return PR_ERR_ARG;
  bib->encoding = enc;
  return PR_OK;
}

pr_status pr_bib_set_threads(pr_bib *bib, unsigned n) {
  if (!bib || n > PR_MAX_THREADS) return PR_ERR_ARG;
  bib->threads = n;
  return PR_OK;
}

size_t pr_bib_count(const pr_bib *bib) { return bib ? bib->n : 0; }

const pr_entry *pr_bib_entry(const pr_bib *bib, size_t i) {
  return bib && i < bib->n ? bib->entries[i] : NULL;
}


const pr_entry *pr_bib_find(const pr_bib *bib, const char *key) {
  if (!bib || !key) return NULL;
  char *k = pr_key_fold(key);
  size_t at;
  int found = k && pr_map_get(&bib->keys, k, &at);
  free(k);
  return found ? (const pr_entry *)at : NULL;
}

size_t pr_bib_diag_count(const pr_bib *bib) { return bib ? bib->diags.n : 0; }
const pr_diag *pr_bib_diag(const pr_bib *bib, size_t i) {
  return bib && i < bib->diags.n ? bib->diags.v[i] : NULL;
}
size_t pr_bib_error_count(const pr_bib *bib) { return bib ? bib->diags.nerrors : 0; }

/* ---- entries ---- */

pr_entry *pr_entry_new(pr_bib *bib, const char *type, const char *key, const char *file,
                       unsigned line, size_t nfields) {
  pr_entry *e = pr_arena_alloc(&bib->mem, sizeof *e);
  if (!e) return NULL;
  memset(e, 0, sizeof *e);
  e->type = pr_arena_strdup(&bib->mem, type);
  e->key = pr_arena_strdup(&bib->mem, key);
  e->file = file;
  e->line = line;
  e->capfields = nfields ? nfields : 4;
  e->fields = pr_arena_alloc(&bib->mem, e->capfields * sizeof *e->fields);
  return e->type && e->key && e->fields ? e : NULL;
}

/* The interned copy of s, in bib's arena (the map borrows it). */
static const char *intern(pr_bib *bib, pr_map *m, const char *s) {
  size_t at;
  if (pr_map_get(m, s, &at)) return (const char *)at;
  char *copy = pr_arena_strdup(&bib->mem, s);
  if (!copy || pr_map_put(m, copy, (size_t)copy)) return NULL;
  return copy;
}

const char *pr_bib_field_name(pr_bib *bib, const char *name) {
  return intern(bib, &bib->field_names, name);
}

int pr_entry_share_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                         unsigned line) {
  if (e->nfields == e->capfields) { /* the old array stays in the arena */
    size_t cap = e->capfields * 2;
    pr_field *v = pr_arena_alloc(&bib->mem, cap * sizeof *v);
    if (!v) return -1;
    memcpy(v, e->fields, e->nfields * sizeof *v);
    e->fields = v;
    e->capfields = cap;
  }
  e->fields[e->nfields++] = (pr_field){name, value, line};
  return 0;
}

int pr_entry_add_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                       unsigned line) {
  /* Short values (venues, publishers, years, months) repeat across a
     bibliography: one copy each (a quarter of the text of real files). */
  const char *v = strlen(value) <= 64 ? intern(bib, &bib->short_values, value)
                                      : pr_arena_strdup(&bib->mem, value);
  return v ? pr_entry_share_field(bib, e, name, v, line) : -1;
}

const pr_field *pr_entry_find_field(const pr_entry *e, const char *name) {
  for (size_t i = 0; e && name && i < e->nfields; i++)
    if (strcmp(e->fields[i].name, name) == 0) return &e->fields[i];
  return NULL;
}

const char *pr_entry_type(const pr_entry *e) { return e ? e->type : NULL; }
const char *pr_entry_key(const pr_entry *e) { return e ? e->key : NULL; }
const char *pr_entry_id(const pr_entry *e) { return e ? (e->id ? e->id : e->key) : NULL; }
const char *pr_entry_file(const pr_entry *e) { return e ? e->file : NULL; }
unsigned pr_entry_line(const pr_entry *e) { return e ? e->line : 0; }
size_t pr_entry_field_count(const pr_entry *e) { return e ? e->nfields : 0; }
const char *pr_entry_field_name(const pr_entry *e, size_t i) {
  return e && i < e->nfields ? e->fields[i].name : NULL;
}
const char *pr_entry_field_value(const pr_entry *e, size_t i) {
  return e && i < e->nfields ? e->fields[i].value : NULL;
}
const char *pr_entry_field(const pr_entry *e, const char *name) {
  const pr_field *f = pr_entry_find_field(e, name);
  return f ? f->value : NULL;
}

char *pr_entry_field_text(const pr_entry *e, const char *name) {
  const char *v = pr_entry_field(e, name);
  if (!v) return NULL;
  char *m = pr_latex_to_marked(v, strlen(v), NULL, NULL);
  if (!m) return NULL;
  char *p = pr_marked_to_plain(m);
  free(m);
  return p;
}

int pr_entry_year(const pr_entry *e) { return e ? e->year : 0; }
int pr_entry_month(const pr_entry *e) { return e ? e->month : 0; }

/* ---- the parser's sink ---- */

static void *sink_begin(void *ctx, const char *type, const char *key, const char *file,
                        unsigned line, size_t nfields) {
  return pr_entry_new(ctx, type, key, file, line, nfields);
}
static const char *sink_name(void *ctx, const char *field) { return pr_bib_field_name(ctx, field); }
static int sink_field(void *ctx, void *e, const char *name, const char *value, unsigned line) {
  return pr_entry_add_field(ctx, e, name, value, line);
}
static int sink_end(void *ctx, void *e) { return pr_bib_append(ctx, e); }

void pr_bib_sink(pr_bib *bib, pr_read_sink *sink) {
  *sink = (pr_read_sink){.ctx = bib, .diags = &bib->diags, .begin = sink_begin,
                         .name = sink_name, .field = sink_field, .end = sink_end,
                         .preamble = pr_preamble_add};
}
