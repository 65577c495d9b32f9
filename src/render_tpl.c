/* render_tpl.c - HTML and Markdown output through Mustache templates: the
   built-in ones (templates/, compiled in) or a user's directory laid out
   the same way, where any file missing falls back to the built-in one.
   A Markdown flavour's folder (markdown-kramdown/, markdown-gfm/) holds
   only the files that differ from markdown/. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "readfile.h"
#include "render.h"

struct pr_builtin_file { const char *name, *data; size_t len; };
extern const struct pr_builtin_file pr_builtin_files[];

/* Template sources read while compiling one format's templates. */
typedef struct tpl_src {
  const char *dir;          /* the user's template directory, or NULL */
  const char *format;       /* "html" / "markdown" / "markdown-gfm" ... */
  const char *base;         /* the folder a flavour falls back to, or NULL */
  char *text;               /* last file read from dir (owned) */
  char path[1024];          /* its name for error messages */
  pr_bib *bib;              /* where "file not readable" is reported */
  pr_error read_err;        /* the first file of dir that exists but cannot be read */
} tpl_src;

/* A file of the user's template directory (a regular file of at most
   16 MiB), or NULL. One that is missing falls back to the built-in file;
   one that exists but cannot be read (a device, a FIFO, a directory, too
   large) is an error, kept in s->read_err for compile() to report. */
static char *read_file(tpl_src *s, const char *path, size_t *len) {
  char *data = NULL, why[200];
  if (pr_read_whole(path, PR_READ_MAX_SMALL, &data, len, why, sizeof why) == 0) return data;
  if (errno != ENOENT && errno != ENOTDIR && !s->read_err.code)
    pr_set_error(&s->read_err, PR_ERR_INPUT, path, 0, "template: %s", why);
  return NULL;
}

/* The text of one file: the user's when there is one, else the built-in
   one. */
static const char *source1(tpl_src *s, const char *rel, size_t *len, const char **file) {
  if (s->dir) {
    snprintf(s->path, sizeof s->path, "%s/%s", s->dir, rel);
    if ((s->text = read_file(s, s->path, len))) {
      *file = s->path;
      return s->text;
    }
  }
  for (const struct pr_builtin_file *b = pr_builtin_files; b->name; b++)
    if (strcmp(b->name, rel) == 0) {
      snprintf(s->path, sizeof s->path, "templates/%s", rel);
      *file = s->path;
      *len = b->len;
      return b->data;
    }
  return NULL;
}

/* The text of name in the format's folder ("entry.mustache"), or of rel
   itself when folder is 0 ("pubrender.css"). A flavour's file missing (the
   user's and the built-in one) comes from the base folder, the user's
   first: DIR/markdown-gfm/F, templates/markdown-gfm/F, DIR/markdown/F,
   templates/markdown/F. */
static const char *source(tpl_src *s, const char *name, int folder, size_t *len,
                          const char **file) {
  free(s->text);
  s->text = NULL;
  char rel[300];
  snprintf(rel, sizeof rel, "%s%s%s", folder ? s->format : "", folder ? "/" : "", name);
  const char *text = source1(s, rel, len, file);
  if (!text && folder && s->base) {
    snprintf(rel, sizeof rel, "%s/%s", s->base, name);
    text = source1(s, rel, len, file);
  }
  return text;
}

static const char *partial(const char *name, size_t *len, const char **file, void *ctx) {
  tpl_src *s = ctx;
  char file_name[300];
  snprintf(file_name, sizeof file_name, "%s.mustache", name);
  return source(s, file_name, 1, len, file);
}

static pr_tpl *compile(tpl_src *s, const char *name, const pr_format_ops *f, pr_error *err) {
  char rel[300];
  size_t len = 0;
  const char *file = NULL;
  snprintf(rel, sizeof rel, "%s.mustache", name);
  const char *text = source(s, rel, 1, &len, &file);
  snprintf(rel, sizeof rel, "%s/%s.mustache", f->name, name);
  if (s->read_err.code) {
    if (err) *err = s->read_err;
    return NULL;
  }
  if (!text) {
    pr_set_error(err, PR_ERR_INPUT, rel, 0, "template not found");
    return NULL;
  }
  /* compile from a copy: the partial callback reuses s->text */
  char *copy = pr_strndup(text, len);
  char *where = pr_strdup(file);
  pr_tpl *t = copy && where ? pr_tpl_compile(copy, len, where, partial, s, err) : NULL;
  free(copy);
  free(where);
  if (t && s->read_err.code) { /* a partial could not be read */
    if (err) *err = s->read_err;
    pr_tpl_free(t);
    return NULL;
  }
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
  pr_val_add(a, &j, PR_KEY("start_attr"), pr_val_bool(g->start != 1 || o->reverse_numbers));
  pr_val_add(a, &j, PR_KEY("reversed"), pr_val_bool(o->reverse_numbers));
  pr_val_add(a, &j, PR_KEY("list"), pr_val_bool(g->n > 0 || !g->heading));
  pr_val_add(a, &j, PR_KEY("last"), pr_val_bool(last));
  pr_val_add(a, &j, PR_KEY("items"), pr_val_copy(a, mark, (size_t)n));
  return j;
}

/* One group's entries through the entry template, onto out. */
static pr_status render_entries(pr_view_ctx *view, const pr_options *o, const pr_group *g,
                                const pr_tpl *entry, pr_buf *out, pr_error *err) {
  for (size_t i = 0; i < g->n; i++) {
    size_t number = o->reverse_numbers ? g->start - i : g->start + i;
    const pr_val *e = pr_view_data(view, g->v[i], number);
    if (!e) return PR_ERR_NOMEM;
    pr_status st = pr_tpl_render(entry, e, out, err);
    if (st != PR_OK) return st;
    pr_buf_drain(out);
  }
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

/* Copy the rendered list to out, rendering each group's entries where its
   items placeholder stands. */
static pr_status expand_items(pr_view_ctx *view, const pr_options *o, const pr_plan *plan,
                              const pr_tpl *entry, const pr_buf *shell, pr_buf *out,
                              pr_error *err) {
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
    pr_status st = render_entries(view, o, &plan->groups[g], entry, out, err);
    if (st != PR_OK) return st;
    s = stop + 1;
  }
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}

static pr_status render_with(pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             const pr_format_ops *f, pr_buf *out, pr_error *err) {
  tpl_src src = {o->template_dir, f->name, base_folder(f), NULL, "", bib, {0}};
  pr_status st = PR_ERR_NOMEM;
  pr_tpl *list = compile(&src, "list", f, err);
  pr_tpl *entry = list ? compile(&src, "entry", f, err) : NULL;
  pr_view_ctx view;
  pr_view_ctx_init(&view, bib, o, f, entry);
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
  if (arena.failed) goto done;
  st = pr_tpl_render(list, &data, &shell, err);
  if (st == PR_OK && (!o->standalone || f != &pr_format_html)) {
    st = expand_items(&view, o, plan, entry, &shell, out, err);
    goto done;
  }
  /* the standalone page: the fragment as {{{body}}}, the stylesheet as {{{css}}} */
  if (st == PR_OK) st = expand_items(&view, o, plan, entry, &shell, &body, err);
  size_t csslen = 0;
  const char *cssfile;
  const char *css = source(&src, "pubrender.css", 0, &csslen, &cssfile);
  /* copied: compiling the page reuses src's buffer */
  css_s = css ? pr_strndup(css, csslen) : NULL;
  page = st == PR_OK ? compile(&src, "page", f, err) : NULL;
  if (st == PR_OK && !page) st = err ? err->code : PR_ERR_INPUT;
  if (page && !body.failed && css_s) {
    pr_val_add(&arena, &data, PR_KEY("body"), pr_val_strn(body.data ? body.data : "", body.len));
    pr_val_add(&arena, &data, PR_KEY("css"), pr_val_strn(css_s, csslen));
    pr_val_add(&arena, &data, PR_KEY("title"), pr_val_str("Publications"));
    st = arena.failed ? PR_ERR_NOMEM : pr_tpl_render(page, &data, out, err);
  } else if (st == PR_OK) {
    st = PR_ERR_NOMEM;
  }
done:
  free(css_s);
  pr_tpl_free(page);
  pr_buf_free(&body);
  pr_buf_free(&shell);
  pr_buf_free(&scratch);
  pr_val_arena_free(&arena);
  pr_view_ctx_clear(&view);
  pr_tpl_free(entry);
  pr_tpl_free(list);
  free(src.text);
  return st;
}

pr_status pr_render_html(pr_bib *bib, const pr_options *o, const pr_plan *plan, pr_buf *out,
                         pr_error *err) {
  return render_with(bib, o, plan, &pr_format_html, out, err);
}

pr_status pr_render_markdown(pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *out, pr_error *err) {
  const pr_format_ops *f = o->md_flavor == PR_MD_KRAMDOWN ? &pr_format_markdown_kramdown
                         : o->md_flavor == PR_MD_GFM      ? &pr_format_markdown_gfm
                                                          : &pr_format_markdown;
  return render_with(bib, o, plan, f, out, err);
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
  tpl_src src = {o->template_dir, "", NULL, NULL, "", NULL, {0}};
  size_t n = 0;
  const char *file = NULL;
  const char *css = source(&src, "pubrender.css", 0, &n, &file);
  pr_status st = PR_OK;
  if (src.read_err.code) {
    if (err) *err = src.read_err;
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
  free(src.text);
  return st;
}
