/* load.c - adding a document to a bibliography: read, decode, parse, resolve. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "model/model.h"
#include "util/readfile.h"

/* ---- @string scope ----
   BibTeX reads the .bib files of \bibliography{a,b} as one stream: a macro
   of a is defined in b. With PR_STRINGS_SHARED (the default) bib keeps the
   macros of the documents read so, and each later such document starts
   with them (btparse is reset per document: pr_bt_parse defines them
   again). With PR_STRINGS_PER_FILE a document starts with the months only
   and its macros stay its own. Either way a macro defined again with
   another text warns (macro-redefined), naming both places; the months
   may be redefined silently, as in BibTeX. */

pr_status pr_bib_set_string_scope(pr_bib *bib, pr_string_scope scope) {
  if (!bib || (scope != PR_STRINGS_SHARED && scope != PR_STRINGS_PER_FILE)) return PR_ERR_ARG;
  bib->string_scope = scope;
  return PR_OK;
}

pr_string_scope pr_bib_get_string_scope(const pr_bib *bib) {
  return bib ? bib->string_scope : PR_STRINGS_SHARED;
}

pr_string_scope pr_bib_file_scope(const pr_bib *bib, const char *file) {
  for (size_t i = 0; bib && file && bib->file_scopes && i < bib->nfiles; i++)
    if (bib->files[i] == file || strcmp(bib->files[i], file) == 0)
      return (pr_string_scope)bib->file_scopes[i];
  return PR_STRINGS_SHARED;
}

/* The document being parsed: where its macros go. */
typedef struct doc_ctx {
  pr_bib *bib;
  pr_macro_env *env;   /* bib's (shared) or the document's own */
} doc_ctx;

static int is_month(const char *name) {
  static const char months[] = "jan feb mar apr may jun jul aug sep oct nov dec ";
  if (strlen(name) != 3) return 0;
  for (const char *m = months; *m; m += 4)
    if (strncmp(m, name, 3) == 0) return 1;
  return 0;
}

static int sink_macro(void *ctx, const char *name, const char *text, const char *file,
                      unsigned line) {
  doc_ctx *dc = ctx;
  pr_macro_env *env = dc->env;
  size_t at;
  if (pr_map_get(&env->index, name, &at)) {
    pr_macro_def *d = &env->v[at];
    if (strcmp(d->text, text) == 0) { /* the same text: nothing changes */
      d->file = file;
      d->line = line;
      return 0;
    }
    char *t = pr_strdup(text);
    if (!t) return -1;
    int rc = 0;
    if (!is_month(name)) {
      if (d->file == file || strcmp(d->file, file) == 0)
        rc = pr_diagx(&dc->bib->diags, PR_WARNING, "macro-redefined", name, NULL, file, line,
                      "@string '%s' redefined (first defined at line %u); the new text applies "
                      "from here on", name, d->line);
      else
        rc = pr_diagx(&dc->bib->diags, PR_WARNING, "macro-redefined", name, NULL, file, line,
                      "@string '%s' redefined (defined before at %s:%u); the new text applies "
                      "from here on", name, d->file, d->line);
    }
    free((char *)d->text);
    *d = (pr_macro_def){d->name, t, file, strlen(t), line};
    return rc ? -1 : 0;
  }
  if (env->n == env->cap) {
    size_t cap = env->cap ? env->cap * 2 : 64;
    pr_macro_def *v = realloc(env->v, cap * sizeof *v);
    if (!v) return -1;
    env->v = v;
    env->cap = cap;
  }
  char *n = pr_strdup(name), *t = pr_strdup(text);
  if (!n || !t || pr_map_put(&env->index, n, env->n)) {
    free(n);
    free(t);
    return -1;
  }
  env->v[env->n++] = (pr_macro_def){n, t, file, strlen(t), line};
  return 0;
}

/* Remember the scope the document named file is read with. */
static int note_file_scope(pr_bib *bib, const char *file) {
  unsigned char *v = realloc(bib->file_scopes, bib->nfiles);
  if (!v) return -1;
  bib->file_scopes = v;
  for (size_t i = 0; i < bib->nfiles; i++)
    if (bib->files[i] == file) v[i] = (unsigned char)bib->string_scope;
  return 0;
}

/* Decode, parse, then resolve what the new entries refer to. Takes in. */
static pr_status add_document(pr_bib *bib, pr_input *in, const char *name, pr_error *err) {
  const char *file = pr_bib_add_file_name(bib, name);
  size_t first = bib->n;
  pr_status st = PR_ERR_NOMEM;
  pr_macro_env own = {0};
  own.index.borrow = 1;
  doc_ctx dc = {bib, bib->string_scope == PR_STRINGS_PER_FILE ? &own : &bib->macros};
  dc.env->index.borrow = 1; /* the names are the env's */
  pr_read_sink sink;
  pr_bib_sink(bib, &sink);
  sink.macro_ctx = &dc;
  sink.macro = sink_macro;
  sink.macros = dc.env->v;
  sink.nmacros = dc.env->n;
  sink.macro_index = &dc.env->index;
  sink.threads = bib->threads;
  sink.fork = pr_piece_fork;
  sink.join = pr_piece_join;
  if (file && note_file_scope(bib, file) == 0 &&
      pr_preamble_begin(bib, file, bib->string_scope) == 0 &&
      pr_decode_input(&bib->diags, file, in, bib->encoding) == 0)
    st = pr_bt_parse(&sink, in, file, err);
  pr_input_free(in);
  pr_macro_env_free(&own);
  if (st == PR_OK && pr_preamble_apply(bib, first)) st = PR_ERR_NOMEM;
  if (st == PR_OK && pr_resolve_new_entries(bib, first)) st = PR_ERR_NOMEM;
  if (st == PR_ERR_NOMEM) pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
  return st;
}

pr_status pr_bib_add_buffer(pr_bib *bib, const char *data, size_t len, const char *name,
                            pr_error *err) {
  if (!bib || (!data && len)) {
    pr_set_error(err, PR_ERR_ARG, name, 0, "no bibliography or no data");
    return PR_ERR_ARG;
  }
  pr_input in;
  if (pr_input_from_buffer(&in, data, len)) {
    pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
    return PR_ERR_NOMEM;
  }
  return add_document(bib, &in, name ? name : "<buffer>", err);
}

pr_status pr_bib_add_file(pr_bib *bib, const char *path, pr_error *err) {
  if (!bib || !path) {
    pr_set_error(err, PR_ERR_ARG, path, 0, "no bibliography or no path");
    return PR_ERR_ARG;
  }
  /* a named file must be a regular one (a FIFO or device could block or
     never end); standard input may be a pipe, read to its end */
  int is_stdin = strcmp(path, "-") == 0;
  char why[200];
  size_t size;
  int fd = is_stdin ? STDIN_FILENO : pr_open_regular(path, PR_READ_MAX_BIB, &size, why, sizeof why);
  if (fd < 0) {
    pr_set_error(err, PR_ERR_IO, path, 0, "%s", why);
    return PR_ERR_IO;
  }
  pr_input in;
  int rc = pr_input_read_fd(&in, fd, PR_READ_MAX_BIB);
  int saved = errno;
  if (!is_stdin) close(fd);
  if (rc) {
    if (saved == EFBIG)
      pr_set_error(err, PR_ERR_IO, path, 0, "larger than the %zu GiB limit", PR_READ_MAX_BIB >> 30);
    else pr_set_error(err, PR_ERR_IO, path, 0, "cannot read: %s", strerror(saved));
    return PR_ERR_IO;
  }
  return add_document(bib, &in, is_stdin ? "<stdin>" : path, err);
}
