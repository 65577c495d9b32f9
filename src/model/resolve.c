/* resolve.c - what happens to a document's entries after parsing: duplicate
   keys, crossref inheritance, dates, names, and warnings for LaTeX commands
   the converter does not know. Everything here is linear in the number of
   entries (hash maps, no pairwise scans). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

static int reserve_dups(pr_bib *bib) {
  if (bib->ndups < bib->capdups) return 0;
  size_t cap = bib->capdups ? bib->capdups * 2 : 8;
  pr_entry **v = realloc(bib->dups, cap * sizeof *v);
  if (!v) return -1;
  bib->dups = v;
  bib->capdups = cap;
  return 0;
}

/* ---- repeated keys ----
   A later entry under a key already defined is kept (bibtex-ruby keeps
   both) with an id of its own, unless it repeats an earlier entry of that
   key exactly (same type, same fields and values, in any order): then it is
   shown once. Exact repeats are found by a hash of the content (a map from
   key and hash to an entry, then one comparison), never by comparing every
   pair: 25,000 entries under one key stay linear. */

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 33);
}

static uint64_t str_hash(const char *s, uint64_t h) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
  return h;
}

/* The same for entries equal in type and fields, whatever the fields' order
   (an entry's field names are distinct). */
static uint64_t content_hash(const pr_entry *e) {
  uint64_t sum = 0;
  for (size_t i = 0; i < e->nfields; i++)
    sum += mix(str_hash(e->fields[i].value, str_hash(e->fields[i].name, 0xcbf29ce484222325ULL) ^
                                               0x9e3779b97f4a7c15ULL));
  return mix(str_hash(e->type, 0xcbf29ce484222325ULL) ^ mix(sum + e->nfields));
}

static int same_content(const pr_entry *a, const pr_entry *b) {
  if (strcmp(a->type, b->type) != 0 || a->nfields != b->nfields) return 0;
  for (size_t i = 0; i < a->nfields; i++) {
    const pr_field *f = pr_entry_find_field(b, a->fields[i].name);
    if (!f || strcmp(f->value, a->fields[i].value) != 0) return 0;
  }
  return 1;
}

/* "folded key\x1fhash" into b. */
static char *content_key(pr_buf *b, const char *folded, const pr_entry *e) {
  b->len = 0;
  pr_buf_printf(b, "%s\x1f%016llx", folded, (unsigned long long)content_hash(e));
  return b->failed ? NULL : b->data;
}

/* Give each entry kept under a repeated key its id: KEY-N, N from 2 on,
   the first whose folded form is no key of the bibliography and no id given
   already. Over every such entry of the bibliography, so a key that a later
   document brings moves an earlier id out of its way. 0, or -1. */
static int assign_ids(pr_bib *bib) {
  pr_map next = {0}, used = {0}; /* folded key -> next N; generated ids */
  pr_buf b = {0};
  int rc = 0;
  for (size_t i = 0; i < bib->ndups && rc == 0; i++) {
    pr_entry *e = bib->dups[i];
    char *k = pr_key_fold(e->key);
    size_t n = 2;
    if (!k) { rc = -1; break; }
    pr_map_get(&next, k, &n);
    for (;; n++) {
      b.len = 0;
      pr_buf_printf(&b, "%s-%zu", k, n);
      if (b.failed) break;
      if (!pr_map_get(&bib->keys, b.data, NULL) && !pr_map_get(&used, b.data, NULL)) break;
    }
    if (b.failed || pr_map_put(&used, b.data, 0) || pr_map_put(&next, k, n + 1)) rc = -1;
    free(k);
    if (rc) break;
    b.len = 0;
    pr_buf_printf(&b, "%s-%zu", e->key, n); /* the key as written, then the number */
    if (b.failed) rc = -1;
    else if (!e->id || strcmp(e->id, b.data) != 0) {
      const char *id = pr_arena_strdup(&bib->mem, b.data), *was = e->id;
      if (!id) rc = -1;
      e->id = id;
      /* an id given before that a later document's key (or the id that had
         to step over it) has taken */
      const pr_entry *owner = was ? pr_bib_find(bib, was) : NULL;
      if (id && was && owner)
        rc = pr_diagx(&bib->diags, PR_WARNING, "duplicate-key-id", e->key, NULL, e->file, e->line,
                          "duplicate key '%s': its id '%s' is now the key of %s:%u, so it has id "
                          "'%s'",
                          e->key, was, owner->file, owner->line, id);
      else if (id && was)
        rc = pr_diagx(&bib->diags, PR_WARNING, "duplicate-key-id", e->key, NULL, e->file, e->line,
                          "duplicate key '%s': its id '%s' is now taken, so it has id '%s'",
                          e->key, was, id);
    }
  }
  pr_buf_free(&b);
  pr_map_free(&next);
  pr_map_free(&used);
  return rc;
}

/* Entries from first on: register their keys; for a key already there,
   drop an exact repeat, keep a different entry with an id of its own. The
   warnings come in the order of the entries, once the ids are known. */
static int dedupe(pr_bib *bib, size_t first) {
  size_t n = bib->n - first;
  const pr_entry **twin = calloc(n ? n : 1, sizeof *twin); /* what an exact repeat repeats */
  int rc = twin ? 0 : -1;
  pr_buf ck = {0};
  for (size_t i = first; i < bib->n && rc == 0; i++) {
    pr_entry *e = bib->entries[i];
    char *k = pr_key_fold(e->key);
    size_t at, same;
    const char *c = NULL;
    if (!k) rc = -1;
    else if (!pr_map_get(&bib->keys, k, &at)) {
      /* the map borrows its keys: the entry's own when already folded */
      const char *kept = strcmp(k, e->key) == 0 ? e->key : pr_arena_strdup(&bib->mem, k);
      if (!kept || pr_map_put(&bib->keys, kept, (size_t)e)) rc = -1;
    } else {
      pr_entry *old = (pr_entry *)at;
      if (!old->hashed) { /* the first definition's content, when its key first repeats */
        if (!(c = content_key(&ck, k, old)) || pr_map_put(&bib->contents, c, (size_t)old)) rc = -1;
        old->hashed = 1;
      }
      if (rc == 0 && !(c = content_key(&ck, k, e))) rc = -1;
      if (rc == 0 && pr_map_get(&bib->contents, c, &same) &&
          same_content((const pr_entry *)same, e))
        twin[i - first] = (const pr_entry *)same;
      else if (rc == 0) {
        e->hashed = 1;
        if ((!pr_map_get(&bib->contents, c, NULL) && pr_map_put(&bib->contents, c, (size_t)e)) ||
            reserve_dups(bib))
          rc = -1;
        else bib->dups[bib->ndups++] = e;
      }
    }
    free(k);
  }
  pr_buf_free(&ck);
  if (rc == 0 && bib->ndups) rc = assign_ids(bib);
  /* warn and drop the exact repeats (out of memory: keep every entry) */
  size_t w = first;
  for (size_t i = first; i < bib->n; i++) {
    pr_entry *e = bib->entries[i];
    const pr_entry *t = twin && rc == 0 ? twin[i - first] : NULL;
    if (rc == 0 && t) {
      rc = pr_diagx(&bib->diags, PR_WARNING, "repeated-entry", e->key, NULL, e->file, e->line,
                        "duplicate key '%s': the same entry as at %s:%u (shown once)", e->key,
                        t->file, t->line);
      continue; /* the entry's memory is the bib's arena's */
    }
    if (rc == 0 && e->id) {
      const pr_entry *old = pr_bib_find(bib, e->key);
      rc = pr_diagx(&bib->diags, PR_WARNING, "duplicate-key", e->key, NULL, e->file, e->line,
                        "duplicate key '%s' (first at %s:%u): a different entry, kept with id "
                        "'%s'",
                        e->key, old->file, old->line, e->id);
    }
    e->order = w;
    bib->entries[w++] = e;
  }
  bib->n = w;
  free(twin);
  return rc;
}

static pr_entry *find_folded(pr_bib *bib, const char *key) {
  return (pr_entry *)pr_bib_find(bib, key);
}

static int is_in_type(const char *type) {
  return strcmp(type, "inproceedings") == 0 || strcmp(type, "incollection") == 0 ||
         strcmp(type, "inbook") == 0 || strcmp(type, "conference") == 0;
}

/* An entry inherits at most this many fields in all: a long chain of
   parents with distinct fields cannot make the bibliography quadratic. */
#define MAX_INHERITED 256

/* Copy the parent's fields that the child lacks. */
static int inherit(pr_bib *bib, pr_entry *child, const pr_entry *parent) {
  for (size_t i = 0; i < parent->nfields; i++) {
    if (child->nfields >= MAX_INHERITED) {
      return pr_diagx(&bib->diags, PR_WARNING, "crossref-too-many-fields", child->key,
                      "crossref", child->file, child->line,
                          "entry '%s': crossref stops at %d fields (the rest is not inherited)",
                          child->key, MAX_INHERITED);
    }
    const pr_field *f = &parent->fields[i];
    const char *name = f->name;
    if (strcmp(name, "crossref") == 0 || strcmp(name, "ids") == 0) continue;
    if (strcmp(name, "title") == 0 && is_in_type(child->type)) {
      if (!pr_entry_find_field(child, "booktitle") && !pr_entry_find_field(parent, "booktitle")) {
        const char *booktitle = pr_bib_field_name(bib, "booktitle");
        if (!booktitle || pr_entry_share_field(bib, child, booktitle, f->value, f->line))
          return -1;
      }
      if (pr_entry_find_field(child, "title")) continue;
    }
    if (!pr_entry_find_field(child, name) &&
        pr_entry_share_field(bib, child, name, f->value, f->line))
      return -1;
  }
  return 0;
}

/* Resolve e's crossref chain: walk up through unresolved parents, then
   inherit from the top down, so every entry is resolved once. A missing
   parent is a warning, a cycle an error; the chain stops there. */
static int resolve_crossref(pr_bib *bib, pr_entry *e) {
  pr_entry **chain = NULL, *top_parent = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  for (pr_entry *cur = e;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 8;
      pr_entry **v = realloc(chain, cap * sizeof *v);
      if (!v) { free(chain); return -1; }
      chain = v;
    }
    chain[n++] = cur;
    cur->xref_state = 1;
    const pr_field *x = pr_entry_find_field(cur, "crossref");
    pr_entry *parent = x ? find_folded(bib, x->value) : NULL;
    if (!x) break;
    if (!parent) {
      rc |= pr_diagx(&bib->diags, PR_WARNING, "crossref-not-found", cur->key, "crossref",
                     cur->file, x->line,
                         "entry '%s': crossref '%s' not found (nothing inherited)", cur->key,
                         x->value);
      break;
    }
    if (parent->xref_state == 1) {
      rc |= pr_diagx(&bib->diags, PR_ERROR, "crossref-cycle", cur->key, "crossref", cur->file,
                     x->line,
                         "entry '%s': crossref cycle through '%s' (nothing inherited from it)",
                         cur->key, parent->key);
      break;
    }
    if (parent->xref_state == 2) {
      top_parent = parent;
      break;
    }
    cur = parent;
  }
  for (size_t i = n; i-- > 0;) {
    pr_entry *p = i + 1 < n ? chain[i + 1] : top_parent;
    if (p && rc == 0) rc = inherit(bib, chain[i], p);
    chain[i]->xref_state = 2;
  }
  free(chain);
  return rc < 0 ? -1 : 0;
}

/* ---- unknown LaTeX commands ---- */

/* Fields whose values are URLs or flags, not LaTeX text. */
static int is_verbatim_field(const char *name) {
  static const char *const names[] = {"url", "doi", "eprint", "file", "pdf", "code", "html",
                                      "slides", "poster", "video", "website", "supp", "blog",
                                      "arxiv", "hal", "preview", "urldate", "crossref"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) return 1;
  return 0;
}

/* On a worker (resolve_entries): which of a block's findings warn about
   which command, for the calling thread to keep only the first in the bib. */
typedef struct cmd_notes {
  size_t *at;              /* the finding's index in the block's */
  char **cmd;
  size_t n, cap;
} cmd_notes;

typedef struct unknown_ctx {
  pr_bib *bib;
  const pr_entry *e;
  const pr_field *f;
  int rc;
  cmd_notes *notes;        /* on a worker; else NULL */
} unknown_ctx;

static int note_cmd(cmd_notes *n, size_t at, const char *cmd) {
  if (n->n == n->cap) {
    size_t cap = n->cap ? 2 * n->cap : 16;
    size_t *a = realloc(n->at, cap * sizeof *a);
    if (a) n->at = a;
    char **c = realloc(n->cmd, cap * sizeof *c);
    if (c) n->cmd = c;
    if (!a || !c) return -1;
    n->cap = cap;
  }
  if (!(n->cmd[n->n] = pr_strdup(cmd))) return -1;
  n->at[n->n++] = at;
  return 0;
}

static void on_unknown(const char *cmd, void *p) {
  unknown_ctx *c = p;
  if (pr_map_get(&c->bib->unknown_cmds, cmd, NULL)) return;
  if (pr_map_put(&c->bib->unknown_cmds, cmd, 0) ||
      pr_diagx(&c->bib->diags, PR_WARNING, "unknown-latex-command", c->e->key, c->f->name,
               c->e->file, c->f->line,
                   "entry '%s', field '%s': unknown LaTeX command \\%s (its argument, or its "
                   "name when it has none, is kept as text; warned once)",
                   c->e->key, c->f->name, cmd) ||
      (c->notes && note_cmd(c->notes, c->bib->diags.n - 1, cmd)))
    c->rc = -1;
}

/* Inline HTML that is not kept as markup (read.h). */
static void on_html(const char *msg, void *p) {
  unknown_ctx *c = p;
  if (!c->rc && pr_diagx(&c->bib->diags, PR_WARNING, "html-dropped", c->e->key, c->f->name,
                         c->e->file, c->f->line, "entry '%s', field '%s': %s", c->e->key,
                         c->f->name, msg))
    c->rc = -1;
}

/* \href and \url links in text that the renderers will drop as unsafe. */
static int check_links(pr_bib *bib, const pr_entry *e, const pr_field *f, const char *m) {
  for (const char *p = strchr(m, PR_MK_LINK_ON); p; p = strchr(p + 1, PR_MK_LINK_ON)) {
    const char *mid = strchr(p, PR_MK_LINK_MID);
    if (!mid) break;
    char *url = pr_strndup(p + 1, (size_t)(mid - p - 1));
    int bad = url && !pr_url_is_safe(url);
    int rc = !url || (bad && pr_diagx(&bib->diags, PR_WARNING, "unsafe-url", e->key, f->name,
                                      e->file, f->line,
                                           "entry '%s', field '%s': link '%s' dropped, its "
                                           "text kept (only http, https, mailto or a relative "
                                           "path are allowed)",
                                           e->key, f->name, url));
    free(url);
    if (rc) return -1;
  }
  return 0;
}

static int is_markdown_field(const char *name);

static int check_latex(pr_bib *bib, const pr_entry *e, cmd_notes *notes) {
  unknown_ctx c = {bib, e, NULL, 0, notes};
  for (size_t i = 0; i < e->nfields && c.rc == 0; i++) {
    c.f = &e->fields[i];
    if (!strpbrk(c.f->value, "\\<") || is_verbatim_field(c.f->name)) continue;
    pr_latex_hooks hooks = {on_unknown, on_html, &c, 0, 0};
    char *m = pr_latex_to_marked_hooks(c.f->value, strlen(c.f->value), &hooks);
    if (!m) return -1;
    /* a Markdown field's links are checked by check_markdown */
    if (!is_markdown_field(c.f->name) && check_links(bib, e, c.f, m)) c.rc = -1;
    free(m);
  }
  return c.rc;
}

/* Links and images the Markdown fields lose (pr_md_parse), as warnings. */
static void on_md_drop(void *p, int image, const char *url) {
  unknown_ctx *c = p;
  if (!c->rc && pr_diagx(&c->bib->diags, PR_WARNING, image ? "markdown-image" : "unsafe-url",
                         c->e->key, c->f->name, c->e->file, c->f->line,
                             image ? "entry '%s', field '%s': image '%s' dropped, its "
                                     "description kept (a Markdown field shows no images)"
                                   : "entry '%s', field '%s': link '%s' dropped, its text kept "
                                     "(only http, https, mailto or a relative path are allowed)",
                             c->e->key, c->f->name, url))
    c->rc = -1;
}

/* abstract is text (al-folio does not markdownify it): not here */
static const char *const markdown_fields[] = {"award", "additional_info", "annotation"};

static int is_markdown_field(const char *name) {
  for (size_t k = 0; k < sizeof markdown_fields / sizeof *markdown_fields; k++)
    if (strcmp(name, markdown_fields[k]) == 0) return 1;
  return 0;
}

static int check_markdown(pr_bib *bib, const pr_entry *e) {
  unknown_ctx c = {bib, e, NULL, 0, NULL};
  for (size_t i = 0; i < e->nfields && !c.rc; i++) {
    c.f = &e->fields[i];
    for (size_t k = 0; k < sizeof markdown_fields / sizeof *markdown_fields; k++)
      /* without [ or < there is no link or image to parse for */
      if (strcmp(c.f->name, markdown_fields[k]) == 0 && strpbrk(c.f->value, "[<") &&
          pr_md_check(c.f->value, k == 2, on_md_drop, &c))
        c.rc = -1;
  }
  return c.rc;
}

/* Dates, names and the checks of one entry, into bib (or a worker's copy). */
static int finish_entry(pr_bib *bib, pr_entry *e, cmd_notes *notes) {
  pr_entry_compute_date(e);
  return pr_check_year(bib, e) || pr_entry_build_names(bib, e) || check_latex(bib, e, notes) ||
                 check_markdown(bib, e)
             ? -1
             : 0;
}

/* ---- the entries' dates, names and checks on threads (pr_bib_set_threads) ----
   Each worker finishes blocks of entries with a copy of the bib of its own:
   names in an arena of its own (given to the bib at the end), findings into
   the block's, and the LaTeX commands warned about once per block; the
   calling thread appends the blocks' findings in order, dropping a command's
   warning when the bib has warned about it: what the one-thread run finds. */
#define RESOLVE_BLOCK 256

typedef struct resolve_par {
  pr_bib *bib;
  pr_entry **entries;      /* bib's, from first */
  pr_bib *copies;          /* per worker */
  cmd_notes *notes;        /* per block */
} resolve_par;

static int resolve_work(void *ctx, unsigned t, size_t first, size_t count, pr_buf *out,
                        pr_diags *diags) {
  resolve_par *p = ctx;
  (void)out;
  pr_bib *w = &p->copies[t];
  w->diags = (pr_diags){0};
  pr_map_free(&w->unknown_cmds);
  int rc = 0;
  for (size_t i = first; i < first + count && !rc; i++)
    rc = finish_entry(w, p->entries[i], &p->notes[first / RESOLVE_BLOCK]);
  *diags = w->diags;
  w->diags = (pr_diags){0};
  return rc;
}

static int resolve_emit(void *ctx, size_t first, size_t count, pr_buf *out, pr_diags *diags) {
  resolve_par *p = ctx;
  (void)count;
  (void)out;
  cmd_notes *n = &p->notes[first / RESOLVE_BLOCK];
  size_t k = 0;
  for (size_t j = 0; j < diags->n; j++) {
    if (k < n->n && n->at[k] == j) {
      const char *cmd = n->cmd[k++];
      if (pr_map_get(&p->bib->unknown_cmds, cmd, NULL)) continue; /* warned before */
      if (pr_map_put(&p->bib->unknown_cmds, cmd, 0)) return -1;
    }
    if (pr_diags_move(&p->bib->diags, diags, j, j + 1)) return -1;
  }
  return 0;
}

/* finish_entry for entries[first..n) on threads: 0, -1 out of memory (or
   no thread could start), 1 nothing done (no memory for the copies: the
   caller does it). */
static int resolve_entries(pr_bib *bib, size_t first, unsigned threads) {
  size_t n = bib->n - first, nblocks = (n + RESOLVE_BLOCK - 1) / RESOLVE_BLOCK;
  resolve_par p = {bib, bib->entries + first, calloc(threads, sizeof *p.copies),
                   calloc(nblocks, sizeof *p.notes)};
  int rc = 1;
  if (p.copies && p.notes) {
    for (unsigned t = 0; t < threads; t++) {
      p.copies[t] = *bib; /* read only, but for what is cleared here */
      p.copies[t].mem = (pr_arena){0};
      p.copies[t].diags = (pr_diags){0};
      p.copies[t].unknown_cmds = (pr_map){0};
    }
    pr_par_job j = {n, RESOLVE_BLOCK, threads, 0, resolve_work, resolve_emit, &p};
    rc = pr_par_run(&j) ? -1 : 0;
    for (unsigned t = 0; t < threads; t++) {
      pr_arena_take(&bib->mem, &p.copies[t].mem);
      pr_map_free(&p.copies[t].unknown_cmds);
      pr_diags_free(&p.copies[t].diags);
    }
    for (size_t b = 0; b < nblocks; b++) {
      for (size_t k = 0; k < p.notes[b].n; k++) free(p.notes[b].cmd[k]);
      free(p.notes[b].cmd);
      free(p.notes[b].at);
    }
  }
  free(p.copies);
  free(p.notes);
  return rc;
}

int pr_resolve_new_entries(pr_bib *bib, size_t first) {
  if (dedupe(bib, first)) return -1;
  for (size_t i = first; i < bib->n; i++)
    if (bib->entries[i]->xref_state == 0 && resolve_crossref(bib, bib->entries[i])) return -1;
  unsigned threads = pr_par_threads(bib->threads, bib->n - first);
  if (threads > 1) {
    int rc = resolve_entries(bib, first, threads);
    if (rc <= 0) return rc;
  }
  for (size_t i = first; i < bib->n; i++)
    if (finish_entry(bib, bib->entries[i], NULL)) return -1;
  return 0;
}
