/* pieces.c - the sink for one piece of a document parsed on another
   thread (pr_read_sink's fork and join): a bib of its own takes the
   piece's entries and findings; its macros and preambles are recorded,
   each with how many findings came before it, and handed to the
   document's sink in that order when the piece is joined. */
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

typedef struct piece_event {
  char *name, *text;       /* a macro (name and text), or a preamble (name NULL) */
  const char *file;
  unsigned line;
  size_t ndiags;           /* the piece's findings before it */
} piece_event;

typedef struct piece {
  pr_bib *bib;
  piece_event *ev;
  size_t nev, capev;
  pr_macro_env start;      /* the document sink's macros when the piece was forked */
} piece;

static void *p_begin(void *ctx, const char *type, const char *key, const char *file,
                     unsigned line, size_t nfields) {
  return pr_entry_new(((piece *)ctx)->bib, type, key, file, line, nfields);
}
static const char *p_name(void *ctx, const char *field) {
  return pr_bib_field_name(((piece *)ctx)->bib, field);
}
static int p_field(void *ctx, void *e, const char *name, const char *value, unsigned line) {
  return pr_entry_add_field(((piece *)ctx)->bib, e, name, value, line);
}
static int p_end(void *ctx, void *e) { return pr_bib_append(((piece *)ctx)->bib, e); }

static int record(piece *p, const char *name, const char *text, const char *file, unsigned line) {
  if (p->nev == p->capev) {
    size_t cap = p->capev ? p->capev * 2 : 64;
    piece_event *v = realloc(p->ev, cap * sizeof *v);
    if (!v) return -1;
    p->ev = v;
    p->capev = cap;
  }
  piece_event *e = &p->ev[p->nev];
  *e = (piece_event){name ? pr_strdup(name) : NULL, pr_strdup(text), file, line,
                     p->bib->diags.n};
  if (!e->text || (name && !e->name)) {
    free(e->name);
    free(e->text);
    return -1;
  }
  p->nev++;
  return 0;
}
static int p_macro(void *ctx, const char *name, const char *text, const char *file,
                   unsigned line) {
  return record(ctx, name, text, file, line);
}
static int p_preamble(void *ctx, const char *text, const char *file, unsigned line) {
  return record(ctx, NULL, text, file, line);
}

static void piece_free(piece *p) {
  for (size_t i = 0; i < p->nev; i++) free(p->ev[i].name), free(p->ev[i].text);
  free(p->ev);
  pr_macro_env_free(&p->start);
  pr_bib_free(p->bib);
  free(p);
}

int pr_piece_fork(const pr_read_sink *sink, pr_read_sink *out) {
  piece *p = calloc(1, sizeof *p);
  if (!p || !(p->bib = pr_bib_new())) {
    free(p);
    return -1;
  }
  /* a copy: the document's own may change while the piece is parsed */
  pr_macro_env *m = &p->start;
  m->index.borrow = 1; /* the names are the env's */
  if (sink->nmacros && !(m->v = calloc(sink->nmacros, sizeof *m->v))) goto fail;
  for (; m->n < sink->nmacros; m->n++) {
    const pr_macro_def *d = &sink->macros[m->n];
    char *n = pr_strdup(d->name), *t = pr_strdup(d->text);
    m->v[m->n] = (pr_macro_def){n, t, d->file, d->len, d->line};
    if (!n || !t || pr_map_put(&m->index, n, m->n)) {
      m->n++;
      goto fail;
    }
  }
  *out = (pr_read_sink){.ctx = p,
                        .diags = &p->bib->diags,
                        .begin = p_begin,
                        .name = p_name,
                        .field = p_field,
                        .end = p_end,
                        .macros = m->v,
                        .nmacros = m->n,
                        .macro_index = &m->index,
                        .macro = sink->macro ? p_macro : NULL,
                        .macro_ctx = p,
                        .preamble = sink->preamble ? p_preamble : NULL,
                        .threads = 1};
  return 0;
fail:
  piece_free(p);
  return -1;
}

int pr_piece_join(const pr_read_sink *sink, pr_read_sink *in, int keep) {
  piece *p = in->ctx;
  pr_bib *bib = sink->ctx;
  int rc = 0;
  size_t moved = 0;
  for (size_t i = 0; keep && !rc && i < p->nev; i++) {
    piece_event *e = &p->ev[i];
    rc = pr_diags_move(sink->diags, &p->bib->diags, moved, e->ndiags) ||
         (e->name ? sink->macro(sink->macro_ctx, e->name, e->text, e->file, e->line)
                  : sink->preamble(sink->ctx, e->text, e->file, e->line));
    moved = e->ndiags;
  }
  if (keep && !rc) rc = pr_diags_move(sink->diags, &p->bib->diags, moved, p->bib->diags.n);
  for (size_t i = 0; keep && !rc && i < p->bib->n; i++) {
    pr_entry *e = p->bib->entries[i];
    for (unsigned f = 0; !rc && f < e->nfields; f++)
      rc = !(e->fields[f].name = pr_bib_field_name(bib, e->fields[f].name));
    if (!rc) rc = pr_bib_append(bib, e);
  }
  if (keep) pr_arena_take(&bib->mem, &p->bib->mem);
  piece_free(p);
  return rc ? -1 : 0;
}
