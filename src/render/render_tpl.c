/* render_tpl.c - HTML and Markdown output through Mustache templates: the
   built-in ones (templates/, compiled in) or a user's directory laid out
   the same way, where any file missing falls back to the built-in one.
   A Markdown flavour's folder (markdown-kramdown/, markdown-gfm/) holds
   only the files that differ from markdown/. Templates given in memory
   (pr_options_set_template) come before all of these. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/render.h"
#include "util/readfile.h"

struct pr_builtin_file { const char *name, *data; size_t len; };
extern const struct pr_builtin_file pr_builtin_files[];

/* Template sources read while compiling one format's templates. */
typedef struct tpl_src {
  const char *dir;          /* the user's template directory, or NULL */
  const char *format;       /* "html" / "markdown" / "markdown-gfm" ... */
  const char *base;         /* the folder a flavour falls back to, or NULL */
  char *root;               /* dir with every link resolved (owned), once known */
  int root_known;           /* root has been looked for (NULL: dir does not exist) */
  char *text;               /* last file read from dir (owned) */
  char *path;               /* its name for error messages (owned) */
  char *refused;            /* why the last file asked for is refused (owned), or NULL */
  pr_report *rep;           /* where the files read are listed (NULL: nowhere) */
  const pr_options *o;      /* its templates from memory (NULL: none) */
} tpl_src;

static void src_clear(tpl_src *s) {
  free(s->root);
  free(s->text);
  free(s->path);
  free(s->refused);
}

/* A file of the user's template directory: a regular file of at most
   16 MiB (readfile.h), or NULL with why[] saying what is wrong. */
static char *read_file(const char *path, size_t *len, char *why, size_t nwhy) {
  char *data = NULL;
  if (pr_read_whole(path, PR_READ_MAX_SMALL, &data, len, why, nwhy) == 0) return data;
  return NULL;
}

/* a, b and c joined: owned, NULL when out of memory. */
static char *join3(const char *a, const char *b, const char *c) {
  size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
  char *r = malloc(na + nb + nc + 1);
  if (!r) return NULL;
  memcpy(r, a, na);
  memcpy(r + na, b, nb);
  memcpy(r + na + nb, c, nc + 1);
  return r;
}

/* Refuse the file being looked up: what, then the reason (errno's when err). */
static void refuse(tpl_src *s, const char *what, int err) {
  free(s->refused);
  s->refused = err ? join3(what, ": ", strerror(err)) : pr_strdup(what);
  if (!s->refused) s->refused = pr_strdup("out of memory");
}

/* The user's file path (DIR/REL) resolved, when it lies inside the
   template directory once every link is followed: owned. NULL when there
   is no such file (then the built-in one is used), or when it is refused
   (s->refused set): a link or a folder leading out of the directory. */
static char *resolve_inside(tpl_src *s, const char *path) {
  if (!s->root_known) {
    s->root_known = 1;
    s->root = realpath(s->dir, NULL);
  }
  if (!s->root) return NULL; /* no such directory: nothing in it */
  char *real = realpath(path, NULL);
  if (!real) {
    if (errno != ENOENT && errno != ENOTDIR) refuse(s, "cannot open it", errno);
    return NULL;
  }
  size_t n = strlen(s->root);
  if (n > 0 && s->root[n - 1] == '/') n--; /* the directory is / */
  if (strncmp(real, s->root, n) != 0 || real[n] != '/') {
    refuse(s, "it is a link (or in a folder linked) out of the template directory", 0);
    free(real);
    return NULL;
  }
  return real;
}

/* Add the user's file s->path to the files the render read. */
static void note_read(tpl_src *s) {
  if (s->rep) (void)pr_report_add_file(s->rep, s->path); /* out of memory: not listed */
}

/* The text of one file: the user's when there is one, else the built-in
   one. NULL when neither exists, or when the user's is refused. */
static const char *source1(tpl_src *s, const char *rel, size_t *len, const char **file) {
  free(s->path);
  s->path = NULL;
  if (s->dir) {
    if (!(s->path = join3(s->dir, "/", rel))) {
      refuse(s, "out of memory", 0);
      return NULL;
    }
    char *real = resolve_inside(s, s->path);
    if (real) {
      char why[200];
      s->text = read_file(real, len, why, sizeof why);
      free(real);
      if (!s->text) {
        refuse(s, why, 0);
        return NULL;
      }
      note_read(s);
      *file = s->path;
      return s->text;
    }
    if (s->refused) return NULL;
  }
  for (const struct pr_builtin_file *b = pr_builtin_files; b->name; b++)
    if (strcmp(b->name, rel) == 0) {
      free(s->path);
      if (!(s->path = join3("templates/", rel, ""))) {
        refuse(s, "out of memory", 0);
        return NULL;
      }
      *file = s->path;
      *len = b->len;
      return b->data;
    }
  return NULL;
}

/* The text of name in the format's folder ("entry.mustache"), or of name
   itself when folder is 0 ("pubrender.css"). A flavour's file missing (the
   user's and the built-in one) comes from the base folder, the user's
   first: DIR/markdown-gfm/F, templates/markdown-gfm/F, DIR/markdown/F,
   templates/markdown/F. NULL when there is none or it is refused
   (s->refused says why; s->path names it). */
static const char *source(tpl_src *s, const char *name, int folder, size_t *len,
                          const char **file) {
  free(s->text);
  free(s->refused);
  s->text = s->refused = NULL;
  /* a template from memory first: one for markdown serves every flavour */
  if (s->o && s->o->nmem_templates) {
    const char *dir = s->base ? s->base : s->format;
    char *rel = folder ? join3(dir, "/", name) : pr_strdup(name);
    if (!rel) {
      refuse(s, "out of memory", 0);
      return NULL;
    }
    const pr_mem_template *m = pr_options_find_template(s->o, rel);
    free(rel);
    if (m) {
      *len = m->len;
      *file = m->source;
      return m->text;
    }
  }
  const char *text = NULL;
  for (int i = 0; i < (folder ? 2 : 1) && !text && !s->refused; i++) {
    const char *dir = !folder ? NULL : i == 0 ? s->format : s->base;
    if (folder && !dir) break;
    char *rel = folder ? join3(dir, "/", name) : pr_strdup(name);
    if (!rel) {
      refuse(s, "out of memory", 0);
      break;
    }
    text = source1(s, rel, len, file);
    free(rel);
  }
  return text;
}

static const char *partial(const char *name, size_t *len, const char **file,
                           const char **refused, void *ctx) {
  tpl_src *s = ctx;
  if (!pr_template_name_ok(name)) {
    *refused = "a partial's name is letters, digits, '_', '-' and '.' (not first), "
               "in parts separated by '/'";
    return NULL;
  }
  char *file_name = join3(name, ".mustache", "");
  if (!file_name) {
    *refused = "out of memory";
    return NULL;
  }
  const char *text = source(s, file_name, 1, len, file);
  free(file_name);
  if (!text && s->refused) {
    /* the reason names the file: FILE: why */
    char *why = join3(s->path ? s->path : "", ": ", s->refused);
    free(s->refused);
    s->refused = why;
    *refused = why ? why : "out of memory";
  }
  return text;
}

static pr_tpl *compile(tpl_src *s, const char *name, const pr_format_ops *f, pr_error *err,
                       char **file_out) {
  size_t len = 0;
  const char *file = NULL;
  char *rel = join3(name, ".mustache", "");
  const char *text = rel ? source(s, rel, 1, &len, &file) : NULL;
  free(rel);
  if (!text) {
    char *what = join3(f->name, "/", name);
    char *where = what ? join3(what, ".mustache", "") : NULL;
    if (s->refused)
      pr_set_error(err, PR_ERR_INPUT, s->path ? s->path : "", 0, "template refused: %s",
                   s->refused);
    else if (where)
      pr_set_error(err, PR_ERR_INPUT, where, 0, "template not found");
    else
      pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
    free(what);
    free(where);
    return NULL;
  }
  /* compile from a copy: the partial callback reuses s->text */
  char *copy = pr_strndup(text, len);
  char *where = pr_strdup(file);
  pr_tpl *t = copy && where ? pr_tpl_compile(copy, len, where, partial, s, err) : NULL;
  free(copy);
  if (file_out && t) *file_out = where;
  else free(where);
  if (t) pr_tpl_set_escape(t, f->escape);
  return t;
}

/* The folder a flavour's missing templates come from. */
static const char *base_folder(const pr_format_ops *f) {
  return f == &pr_format_markdown_kramdown || f == &pr_format_markdown_gfm ? "markdown" : NULL;
}

/* {{{items}}} in the list template is this placeholder; the group's entries
   are rendered straight into the output where it stands (expand_items), one
   at a time, so neither a data tree of the whole list nor a copy of its
   text is ever built. */
#define ITEMS_MARK "\x1fpubrender-items:"

/* A group's data, in arena a (buf is scratch space). */
static pr_val group_val(pr_val_arena *a, pr_buf *buf, const pr_options *o, const pr_format_ops *f,
                        const pr_group *g, size_t index, int last) {
  int level = o->heading_level + g->level;
  if (level > 6) level = 6;
  char tag[4] = {'h', (char)('0' + level), 0, 0}, hashes[8] = "######";
  hashes[level] = '\0';
  pr_val j = pr_val_object();
  pr_val_reserve(a, &j, 10);
  if (g->heading) {
    buf->len = 0;
    f->text(buf, g->heading);
    if (buf->failed) a->failed = 1;
    else pr_val_add(a, &j, PR_KEY("heading"), pr_val_copy(a, buf->data ? buf->data : "", buf->len));
  }
  char mark[64];
  int n = snprintf(mark, sizeof mark, ITEMS_MARK "%zu\x1f", index);
  pr_val_add(a, &j, PR_KEY("tag"), pr_val_copy(a, tag, strlen(tag)));
  pr_val_add(a, &j, PR_KEY("hashes"), pr_val_copy(a, hashes, strlen(hashes)));
  pr_val_add(a, &j, PR_KEY("depth"), pr_val_int(g->level + 1));
  pr_val_add(a, &j, PR_KEY("start"), pr_val_int((long long)g->start));
  pr_val_add(a, &j, PR_KEY("start_attr"), pr_val_bool(g->start != 1 || o->sel.reverse_numbers));
  pr_val_add(a, &j, PR_KEY("reversed"), pr_val_bool(o->sel.reverse_numbers));
  pr_val_add(a, &j, PR_KEY("list"), pr_val_bool(g->n > 0 || !g->heading));
  pr_val_add(a, &j, PR_KEY("last"), pr_val_bool(last));
  pr_val_add(a, &j, PR_KEY("items"), pr_val_copy(a, mark, (size_t)n));
  return j;
}

/* A Markdown entry template (a user's) that writes marker but never indent
   indents its continuation lines by a fixed width, which from item 100 on
   (a 5-column marker) puts them out of the list item: a warning when the
   list has such a number. 0, or -1 when out of memory. */
static int warn_indent(pr_diags *diags, const pr_options *o, const pr_plan *plan,
                       const pr_tpl *entry, const char *file) {
  if (!pr_tpl_mentions(entry, "marker", 6) || pr_tpl_mentions(entry, "indent", 6)) return 0;
  size_t top = 0;
  for (size_t g = 0; g < plan->ngroups; g++) {
    const pr_group *gr = &plan->groups[g];
    size_t last = !gr->n ? 0 : o->sel.reverse_numbers ? gr->start : gr->start + gr->n - 1;
    if (last > top) top = last;
  }
  if (top < 100) return 0;
  return pr_diagx(diags, PR_WARNING, "template-marker-indent", NULL, NULL, file, 0,
                      "the entry template writes {{marker}} but not {{indent}}: from item 100 "
                      "on the marker is 5 columns wide and lines indented by 4 spaces fall out "
                      "of the list item; start them with {{indent}}");
}

/* Entry i of group g through the entry template onto out. */
static pr_status render_entry(pr_view_ctx *view, const pr_options *o, const pr_group *g, size_t i,
                              const pr_tpl *entry, pr_tpl_budget *work, pr_buf *out,
                              pr_error *err) {
  size_t number = o->sel.reverse_numbers ? g->start - i : g->start + i;
  const pr_val *e = pr_view_data(view, g->v[i], number);
  if (!e) return PR_ERR_NOMEM;
  return pr_tpl_render_budget(entry, e, out, work, err);
}

/* ---- a group's entries on threads (pr_par_run) ----
   Each worker builds the data of a block's entries with a view context of
   its own and renders them, each with a budget of its own; what each
   entry wrote, found and cost is kept. The calling thread then goes
   through the block in order with the list's one budget: an entry whose
   cost fits in what the budget still allows is copied out as it was
   rendered; one that would not fit (the budget would take its data's share
   or stop) is rendered again here with the list's budget, exactly as
   without threads, so the output, the findings and a stop at the limit
   are those of the one-thread render. */
typedef struct tpl_piece {
  size_t end;              /* its text ends here in the block's text */
  size_t ndiags;           /* its findings end here in the block's */
  size_t work;             /* its budget's work */
} tpl_piece;

#define TPL_BLOCK 64

typedef struct tpl_par {
  const pr_options *o;
  const pr_group *g;
  const pr_tpl *entry;
  pr_view_ctx *views;      /* per worker */
  tpl_piece *pieces;       /* per entry of the group */
  size_t *done;            /* per block: how many of its entries the worker rendered */
  /* the calling thread's */
  pr_view_ctx *view;
  pr_tpl_budget *work;
  pr_buf *out;
  pr_diags *diags;
  pr_error *err;
  pr_status st;
  size_t emitted;          /* blocks written out */
} tpl_par;

static int tpl_work(void *ctx, unsigned t, size_t first, size_t count, pr_buf *out,
                    pr_diags *diags) {
  tpl_par *p = ctx;
  pr_view_ctx *v = &p->views[t];
  v->diags = diags;
  size_t k = 0;
  for (; k < count; k++) {
    pr_tpl_budget own = {0};
    pr_error err;
    if (render_entry(v, p->o, p->g, first + k, p->entry, &own, out, &err) != PR_OK) break;
    p->pieces[first + k] = (tpl_piece){out->len, diags->n, own.used};
  }
  p->done[first / TPL_BLOCK] = k; /* the rest: rendered again by the caller */
  return 0;
}

static int tpl_emit(void *ctx, size_t first, size_t count, pr_buf *out, pr_diags *diags) {
  tpl_par *p = ctx;
  size_t done = p->done[first / TPL_BLOCK], at = 0, nd = 0;
  p->emitted++;
  pr_tpl_budget *w = p->work;
  for (size_t k = 0; k < count; k++) {
    const tpl_piece *pc = &p->pieces[first + k];
    size_t allowed = w->allowed ? w->allowed : PR_TPL_WORK_BASE;
    if (k < done && w->used <= allowed && pc->work <= allowed - w->used) {
      pr_buf_put(p->out, out->data + at, pc->end - at);
      if (pr_diags_move(p->diags, diags, nd, pc->ndiags)) p->st = PR_ERR_NOMEM;
      w->used += pc->work;
      w->allowed = allowed;
    } else {
      p->st = render_entry(p->view, p->o, p->g, first + k, p->entry, w, p->out, p->err);
    }
    if (k < done) {
      at = pc->end;
      nd = pc->ndiags;
    }
    pr_buf_drain(p->out);
    if (p->st != PR_OK) return -1;
    if (p->out->failed || p->out->sink_failed) {
      p->st = PR_ERR_NOMEM;
      return -1;
    }
  }
  return 0;
}

/* One group's entries through the entry template, onto out: on threads
   when the options ask for them and the group is large enough. */
static pr_status render_entries(pr_view_ctx *view, const pr_options *o, const pr_group *g,
                                const pr_tpl *entry, pr_tpl_budget *work, pr_buf *out,
                                pr_error *err) {
  unsigned threads = pr_par_threads(o->threads, g->n);
  if (threads > 1) {
    tpl_par p = {o, g, entry, calloc(threads, sizeof *p.views), calloc(g->n, sizeof *p.pieces),
                 calloc((g->n + TPL_BLOCK - 1) / TPL_BLOCK, sizeof *p.done), view, work, out,
                 view->diags, err, PR_OK, 0};
    pr_diags quiet = {.dedupe = 1}; /* the setup's warnings are the caller's view's */
    int rc = -1, ran = 0;
    if (p.views && p.pieces && p.done) {
      for (unsigned t = 0; t < threads; t++) {
        pr_view_ctx_init(&p.views[t], &quiet, o, view->f, entry);
      }
      pr_par_job j = {g->n, TPL_BLOCK, threads, view->diags->dedupe, tpl_work, tpl_emit, &p};
      rc = pr_par_run(&j);
      ran = 1;
      for (unsigned t = 0; t < threads; t++) pr_view_ctx_clear(&p.views[t]);
    }
    pr_diags_free(&quiet);
    free(p.views);
    free(p.pieces);
    free(p.done);
    if (ran && rc == 0) return PR_OK;
    if (ran && p.emitted) return p.st != PR_OK ? p.st : PR_ERR_NOMEM;
    /* no thread or no memory before the first block: on this thread */
  }
  for (size_t i = 0; i < g->n; i++) {
    pr_status st = render_entry(view, o, g, i, entry, work, out, err);
    if (st != PR_OK) return st;
    pr_buf_drain(out);
  }
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

/* Copy the rendered list to out, rendering each group's entries where its
   items placeholder stands. */
static pr_status expand_items(pr_view_ctx *view, const pr_options *o, const pr_plan *plan,
                              const pr_tpl *entry, pr_tpl_budget *work, const pr_buf *shell,
                              pr_buf *out, pr_error *err) {
  const char *s = shell->data ? shell->data : "", *end = s + shell->len;
  size_t marklen = strlen(ITEMS_MARK);
  while (s < end) {
    const char *m = strstr(s, ITEMS_MARK);
    if (!m) m = end;
    pr_buf_put(out, s, (size_t)(m - s));
    if (m == end) break;
    char *stop;
    unsigned long g = strtoul(m + marklen, &stop, 10);
    if (*stop != '\x1f' || g >= plan->ngroups) { /* not ours: copy as it is */
      pr_buf_put(out, m, marklen);
      s = m + marklen;
      continue;
    }
    pr_status st = render_entries(view, o, &plan->groups[g], entry, work, out, err);
    if (st != PR_OK) return st;
    s = stop + 1;
  }
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

static pr_status render_with(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             const pr_format_ops *f, pr_buf *out, pr_report *rep,
                             pr_error *err) {
  (void)bib; /* the entries are the plan's */
  tpl_src src = {.dir = o->template_dir, .format = f->name, .base = base_folder(f), .rep = rep,
                 .o = o};
  /* the work of every render of this list together (render.h) */
  pr_tpl_budget work = {0};
  pr_status st = PR_ERR_NOMEM;
  char *entry_file = NULL;
  pr_tpl *list = compile(&src, "list", f, err, NULL);
  pr_tpl *entry = list ? compile(&src, "entry", f, err, &entry_file) : NULL;
  pr_view_ctx view;
  pr_view_ctx_init(&view, &rep->diags, o, f, entry);
  /* the list's data: {"groups": [...]}, and for the page body, css, title */
  pr_val_arena arena = {0};
  pr_buf scratch = {0}, shell = {0}, body = {0};
  char *css_s = NULL;
  pr_tpl *page = NULL;
  pr_val data = pr_val_object(), groups = pr_val_array();
  if (!list || !entry) {
    st = err ? err->code : PR_ERR_INPUT;
    goto done;
  }
  pr_val_reserve(&arena, &groups, plan->ngroups);
  for (size_t g = 0; g < plan->ngroups; g++)
    pr_val_push(&arena, &groups,
                group_val(&arena, &scratch, o, f, &plan->groups[g], g, g + 1 == plan->ngroups));
  pr_val_add(&arena, &data, PR_KEY("groups"), groups);
  if (arena.failed || (f != &pr_format_html && warn_indent(&rep->diags, o, plan, entry, entry_file)))
    goto done;
  st = pr_tpl_render_budget(list, &data, &shell, &work, err);
  if (st == PR_OK && (!o->standalone || f != &pr_format_html)) {
    st = expand_items(&view, o, plan, entry, &work, &shell, out, err);
    goto done;
  }
  /* the standalone page: the fragment as {{{body}}}, the stylesheet as {{{css}}} */
  if (st == PR_OK) st = expand_items(&view, o, plan, entry, &work, &shell, &body, err);
  size_t csslen = 0;
  const char *cssfile;
  const char *css = st == PR_OK ? source(&src, "pubrender.css", 0, &csslen, &cssfile) : NULL;
  if (st == PR_OK && !css && src.refused) {
    pr_set_error(err, PR_ERR_INPUT, src.path ? src.path : "pubrender.css", 0,
                 "stylesheet refused: %s", src.refused);
    st = PR_ERR_INPUT;
  }
  /* copied: compiling the page reuses src's buffer */
  css_s = css ? pr_strndup(css, csslen) : NULL;
  page = st == PR_OK ? compile(&src, "page", f, err, NULL) : NULL;
  if (st == PR_OK && !page) st = err ? err->code : PR_ERR_INPUT;
  if (page && !body.failed && css_s) {
    pr_val_add(&arena, &data, PR_KEY("body"), pr_val_strn(body.data ? body.data : "", body.len));
    pr_val_add(&arena, &data, PR_KEY("css"), pr_val_strn(css_s, csslen));
    pr_val_add(&arena, &data, PR_KEY("title"), pr_val_str("Publications"));
    st = arena.failed ? PR_ERR_NOMEM : pr_tpl_render_budget(page, &data, out, &work, err);
  } else if (st == PR_OK) {
    st = PR_ERR_NOMEM;
  }
done:
  free(entry_file);
  free(css_s);
  pr_tpl_free(page);
  pr_buf_free(&body);
  pr_buf_free(&shell);
  pr_buf_free(&scratch);
  pr_val_arena_free(&arena);
  pr_view_ctx_clear(&view);
  pr_tpl_free(entry);
  pr_tpl_free(list);
  src_clear(&src);
  return st;
}

pr_status pr_render_html(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                         pr_buf *out, pr_report *rep, pr_error *err) {
  return render_with(bib, o, plan, &pr_format_html, out, rep, err);
}

pr_status pr_render_markdown(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *out, pr_report *rep, pr_error *err) {
  const pr_format_ops *f = o->md_flavor == PR_MD_KRAMDOWN ? &pr_format_markdown_kramdown
                         : o->md_flavor == PR_MD_GFM      ? &pr_format_markdown_gfm
                                                          : &pr_format_markdown;
  return render_with(bib, o, plan, f, out, rep, err);
}

pr_status pr_options_set_markdown_flavor(pr_options *o, pr_md_flavor flavor) {
  if (!o || (flavor != PR_MD_COMMONMARK && flavor != PR_MD_KRAMDOWN && flavor != PR_MD_GFM))
    return PR_ERR_ARG;
  o->md_flavor = (int)flavor;
  return PR_OK;
}

/* pubrender.css on its own: the user's (--template DIR) or the built-in one. */
pr_status pr_stylesheet(const pr_options *o, char **out, size_t *len, pr_error *err) {
  if (!o || !out) {
    pr_set_error(err, PR_ERR_ARG, "", 0, "no options or no output");
    return PR_ERR_ARG;
  }
  *out = NULL;
  tpl_src src = {.dir = o->template_dir, .format = "", .o = o};
  size_t n = 0;
  const char *file = NULL;
  const char *css = source(&src, "pubrender.css", 0, &n, &file);
  pr_status st = PR_OK;
  if (!css && src.refused) {
    pr_set_error(err, PR_ERR_INPUT, src.path ? src.path : "pubrender.css", 0,
                 "stylesheet refused: %s", src.refused);
    st = PR_ERR_INPUT;
  } else if (!css) {
    pr_set_error(err, PR_ERR_INPUT, "pubrender.css", 0, "stylesheet not found");
    st = PR_ERR_INPUT;
  } else if (!(*out = pr_strndup(css, n))) {
    pr_set_error(err, PR_ERR_NOMEM, file, 0, "out of memory");
    st = PR_ERR_NOMEM;
  } else if (len) {
    *len = n;
  }
  src_clear(&src);
  return st;
}
