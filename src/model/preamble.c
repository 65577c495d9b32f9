/* preamble.c - the macros a document's @preamble defines, expanded in the
 * fields of its entries (README, "@preamble macros").
 *
 * Each document added gets a record; its @preambles' definitions go there
 * as the parse meets them. Once the document is read, the fields of its
 * entries are expanded with the definitions of every record so far (the
 * whole document's, wherever its @preamble is, as TeX reads the .bbl, and
 * those of the shared-scope documents added before it), or, for a document
 * read with PR_STRINGS_PER_FILE, with its own only. Entries added before
 * are never changed.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

int pr_preamble_begin(pr_bib *bib, const char *file, pr_string_scope scope) {
  pr_tex_doc *v = realloc(bib->tex_docs, (bib->ntex_docs + 1) * sizeof *v);
  if (!v) return -1;
  bib->tex_docs = v;
  v[bib->ntex_docs++] = (pr_tex_doc){file, scope, NULL};
  return 0;
}

void pr_preamble_free(pr_bib *bib) {
  for (size_t i = 0; i < bib->ntex_docs; i++) pr_texmacros_free(bib->tex_docs[i].macros);
  free(bib->tex_docs);
  bib->tex_docs = NULL;
  bib->ntex_docs = 0;
}

typedef struct {
  pr_bib *bib;
  const char *file;
  unsigned line;
  int oom;
} warn_ctx;

static void on_warn(void *ctx, const char *msg) {
  warn_ctx *w = ctx;
  if (pr_diagx(&w->bib->diags, PR_WARNING, "preamble-macro", NULL, NULL, w->file, w->line,
               "@preamble: %s", msg))
    w->oom = 1;
}

int pr_preamble_add(void *ctx, const char *text, const char *file, unsigned line) {
  pr_bib *bib = ctx;
  if (!bib->ntex_docs) return 0; /* not from pr_bib_add_*: nothing to apply it to */
  pr_tex_doc *d = &bib->tex_docs[bib->ntex_docs - 1];
  if (!d->macros && !(d->macros = pr_texmacros_new())) return -1;
  warn_ctx w = {bib, file, line, 0};
  return pr_texmacros_parse(d->macros, text, strlen(text), on_warn, &w) || w.oom ? -1 : 0;
}

int pr_preamble_apply(pr_bib *bib, size_t first) {
  size_t nsets = bib->ntex_docs, defined = 0;
  size_t from = nsets && bib->tex_docs[nsets - 1].scope == PR_STRINGS_PER_FILE ? nsets - 1 : 0;
  const pr_texmacros *small[16], **sets = small;
  if (nsets - from > 16 && !(sets = malloc((nsets - from) * sizeof *sets))) return -1;
  size_t k = 0;
  for (size_t i = from; i < nsets; i++)
    if (bib->tex_docs[i].macros &&
        (i == nsets - 1 || bib->tex_docs[i].scope == PR_STRINGS_SHARED)) {
      sets[k++] = bib->tex_docs[i].macros;
      defined += pr_texmacros_count(bib->tex_docs[i].macros);
    }
  int rc = 0;
  for (size_t i = first; defined && i < bib->n && !rc; i++) {
    pr_entry *e = bib->entries[i];
    for (size_t f = 0; f < e->nfields && !rc; f++) {
      const char *v = e->fields[f].value;
      char *out = NULL;
      switch (pr_texmacros_expand(sets, k, v, strlen(v), &out)) {
      case PR_TEXMACRO_SAME: break;
      case PR_TEXMACRO_EXPANDED: {
        char *copy = pr_arena_strdup(&bib->mem, out);
        free(out);
        if (!copy) rc = -1;
        else e->fields[f].value = copy;
        break;
      }
      case PR_TEXMACRO_LIMIT:
        rc = pr_diagx(&bib->diags, PR_ERROR, "macro-expansion-limit", e->key, e->fields[f].name,
                      e->file, e->fields[f].line,
                      "entry '%s', field '%s': expanding the @preamble's macros goes on past "
                      "%d passes or 16 times its length (a recursive definition?): the field is "
                      "kept unexpanded",
                      e->key, e->fields[f].name, PR_TEXMACRO_PASSES);
        break;
      case PR_TEXMACRO_NOMEM: rc = -1; break;
      }
    }
  }
  if (sets != small) free(sets);
  return rc;
}
