/* resolve.c - what happens to a document's entries after parsing: duplicate
   keys, crossref inheritance, dates, names, and warnings for LaTeX commands
   the converter does not know. Everything here is linear in the number of
   entries (hash maps, no pairwise scans). */
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "render.h"
#include "text.h"

/* Drop later entries whose key is already in the bibliography. */
static int dedupe(pr_bib *bib, size_t first) {
  size_t w = first;
  int rc = 0;
  for (size_t i = first; i < bib->n; i++) {
    pr_entry *e = bib->entries[i];
    char *k = pr_key_fold(e->key);
    /* the map borrows its keys: the entry's own when already folded */
    const char *kept = !k ? NULL : strcmp(k, e->key) == 0 ? e->key : pr_arena_strdup(&bib->mem, k);
    size_t at;
    if (!kept) rc = -1;
    else if (pr_map_get(&bib->keys, k, &at)) {
      const pr_entry *old = bib->entries[at];
      rc |= pr_bib_diagf(bib, PR_WARNING, e->file, e->line,
                         "duplicate key '%s' (first at %s:%u, which is kept; this entry is "
                         "dropped)",
                         e->key, old->file, old->line);
      free(k); /* the entry's memory is the bib's arena's */
      continue;
    } else if (pr_map_put(&bib->keys, kept, w)) {
      rc = -1;
    }
    free(k);
    e->order = w;
    bib->entries[w++] = e;
  }
  bib->n = w;
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
      return pr_bib_diagf(bib, PR_WARNING, child->file, child->line,
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
      rc |= pr_bib_diagf(bib, PR_WARNING, cur->file, x->line,
                         "entry '%s': crossref '%s' not found (nothing inherited)", cur->key,
                         x->value);
      break;
    }
    if (parent->xref_state == 1) {
      rc |= pr_bib_diagf(bib, PR_ERROR, cur->file, x->line,
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

typedef struct unknown_ctx {
  pr_bib *bib;
  const pr_entry *e;
  const pr_field *f;
  int rc;
} unknown_ctx;

static void on_unknown(const char *cmd, void *p) {
  unknown_ctx *c = p;
  if (pr_map_get(&c->bib->unknown_cmds, cmd, NULL)) return;
  if (pr_map_put(&c->bib->unknown_cmds, cmd, 0) ||
      pr_bib_diagf(c->bib, PR_WARNING, c->e->file, c->f->line,
                   "entry '%s', field '%s': unknown LaTeX command \\%s (its argument is kept "
                   "as text; warned once)",
                   c->e->key, c->f->name, cmd))
    c->rc = -1;
}

/* Inline HTML that is not kept as markup (text.h). */
static void on_html(const char *msg, void *p) {
  unknown_ctx *c = p;
  if (!c->rc && pr_bib_diagf(c->bib, PR_WARNING, c->e->file, c->f->line,
                             "entry '%s', field '%s': %s", c->e->key, c->f->name, msg))
    c->rc = -1;
}

/* \href and \url links in text that the renderers will drop as unsafe. */
static int check_links(pr_bib *bib, const pr_entry *e, const pr_field *f, const char *m) {
  for (const char *p = strchr(m, PR_MK_LINK_ON); p; p = strchr(p + 1, PR_MK_LINK_ON)) {
    const char *mid = strchr(p, PR_MK_LINK_MID);
    if (!mid) break;
    char *url = pr_strndup(p + 1, (size_t)(mid - p - 1));
    int bad = url && !pr_url_is_safe(url);
    int rc = !url || (bad && pr_bib_diagf(bib, PR_WARNING, e->file, f->line,
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

static int check_latex(pr_bib *bib, const pr_entry *e) {
  unknown_ctx c = {bib, e, NULL, 0};
  for (size_t i = 0; i < e->nfields && c.rc == 0; i++) {
    c.f = &e->fields[i];
    if (!strpbrk(c.f->value, "\\<") || is_verbatim_field(c.f->name)) continue;
    pr_latex_hooks hooks = {on_unknown, on_html, &c, 0};
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
  if (!c->rc && pr_bib_diagf(c->bib, PR_WARNING, c->e->file, c->f->line,
                             image ? "entry '%s', field '%s': image '%s' dropped, its "
                                     "description kept (a Markdown field shows no images)"
                                   : "entry '%s', field '%s': link '%s' dropped, its text kept "
                                     "(only http, https, mailto or a relative path are allowed)",
                             c->e->key, c->f->name, url))
    c->rc = -1;
}

static const char *const markdown_fields[] = {"abstract", "award", "additional_info",
                                              "annotation"};

static int is_markdown_field(const char *name) {
  for (size_t k = 0; k < sizeof markdown_fields / sizeof *markdown_fields; k++)
    if (strcmp(name, markdown_fields[k]) == 0) return 1;
  return 0;
}

static int check_markdown(pr_bib *bib, const pr_entry *e) {
  const char *const *fields = markdown_fields;
  unknown_ctx c = {bib, e, NULL, 0};
  for (size_t i = 0; i < e->nfields && !c.rc; i++) {
    c.f = &e->fields[i];
    for (size_t k = 0; k < sizeof markdown_fields / sizeof *markdown_fields; k++)
      /* without [ or < there is no link or image to parse for */
      if (strcmp(c.f->name, fields[k]) == 0 && strpbrk(c.f->value, "[<") &&
          pr_md_check(c.f->value, k == 3, on_md_drop, &c))
        c.rc = -1;
  }
  return c.rc;
}

int pr_resolve_new_entries(pr_bib *bib, size_t first) {
  if (dedupe(bib, first)) return -1;
  for (size_t i = first; i < bib->n; i++)
    if (bib->entries[i]->xref_state == 0 && resolve_crossref(bib, bib->entries[i])) return -1;
  for (size_t i = first; i < bib->n; i++) {
    pr_entry *e = bib->entries[i];
    pr_entry_compute_date(e);
    if (pr_entry_build_names(bib, e) || check_latex(bib, e) || check_markdown(bib, e)) return -1;
  }
  return 0;
}
