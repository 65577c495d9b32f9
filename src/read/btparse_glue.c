/* btparse_glue.c - the only file that talks to libbtparse.
 *
 * libbtparse 0.89 is process-global, prints to stderr, and exits, aborts
 * or corrupts memory on some inputs (see ../shared/notes, section 7). We
 * make it safe to call from a library by:
 *  - one parse at a time per copy of libbtparse (btparse_api.h): the
 *    linked copy behind its lock, others loaded into link namespaces of
 *    their own (btparse_ns.c) for the pieces of a large document;
 *  - hooks: our own versions of functions libbtparse calls through its GOT
 *    (print_error, zzsyn, fields, field, zzs_strdup, usage_error,
 *    internal_error), installed into each copy's relocated slots by
 *    got_patch.c, so they work whatever the link order: its messages come
 *    to us, its fatal paths longjmp back here, its format-string bug is
 *    defused, its field limit is enforced before it overflows a fixed
 *    stack, and macro names live in a growable arena instead of a fixed
 *    pool. If they cannot be installed, we refuse to parse. The state of
 *    the parse in progress is the calling thread's (G);
 *  - normalising the input first: NUL bytes and CRs never reach btparse,
 *    and prescan.c defuses entry shapes that make it print and fail;
 *  - resetting btparse per document (bt_cleanup + bt_initialize): its
 *    state is not trusted across documents. @string macros that a document
 *    is to see from earlier ones (shared scope, README "@string scope")
 *    are the sink's: they are defined again after the reset, and each
 *    macro a document defines is handed to the sink.
 * The library exports no symbol but its pr_ API.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <ctype.h>
#include "read/btparse_api.h"
#include "read/read.h"

#define MAX_TOKEN_ECHO 200   /* bytes of a bad token echoed in a message */

/* A message waiting to become a diagnostic; code NULL: from btparse (its
   class says which), field (owned) NULL: about no one field. */
typedef struct pending { int cls, line; char *msg; const char *code; char *field; } pending;

/* The parse running on this thread (G), with the copy of btparse it uses. */
typedef struct glue {
  pr_bt_inst *bt;
  struct {
    pending *v;
    size_t n, cap;
    int oom;
  } diags;
  jmp_buf *fatal_jmp;                /* where fatal btparse errors go */
  int sink_reports_redefinitions;    /* the sink is told each macro (and warns of
                                        a redefinition itself) */
  int field_count, fields_cut;
  unsigned long lexer_errors;        /* counts lexer_error calls */
  unsigned long eof_errors;          /* syntax errors at the end of the input */
  int failed;                        /* a fatal error ended the parse */
  /* a piece of a document: its text comes after prefix_lines lines of the
     @strings before it (parsed again for their macros, nothing else), and
     line_offset is added to the lines after them */
  unsigned prefix_lines;
  long line_offset;
} glue;
static __thread glue *G;

static unsigned long syntax_errors;  /* btparse's parser errors (the prescan should leave none) */

/* A line of the document from one of the copy's. */
static unsigned doc_line(int line) { return line > 0 ? (unsigned)(line + G->line_offset) : 0; }

static void pending_addx(int cls, int line, const char *code, const char *field,
                         const char *msg) {
  if (G->diags.n == G->diags.cap) {
    size_t cap = G->diags.cap ? G->diags.cap * 2 : 16;
    pending *v = realloc(G->diags.v, cap * sizeof *v);
    if (!v) { G->diags.oom = 1; return; }
    G->diags.v = v;
    G->diags.cap = cap;
  }
  char *m = pr_strdup(msg ? msg : ""), *fd = field ? pr_strdup(field) : NULL;
  if (!m || (field && !fd)) {
    free(m);
    free(fd);
    G->diags.oom = 1;
    return;
  }
  G->diags.v[G->diags.n] = (pending){cls, line, m, code, fd};
  G->diags.n++;
}

static void pending_add(int cls, int line, const char *msg) {
  pending_addx(cls, line, NULL, NULL, msg);
}

/* ---- hooks: our versions of libbtparse internals ----
   got_patch.c points each copy's own references to these names at the
   functions below (whatever the link order); while no pubrender call is
   running on the thread (G is NULL), each forwards to the linked copy's
   original, so another user of libbtparse in the process sees its usual
   behaviour. */

static const pr_bt_real *real(void) { return G ? &G->bt->real : &pr_bt_inst0()->real; }

static void hook_print_error(bt_error *err) {
  if (!G) { real()->print_error(err); return; }
  pending_add(err->errclass, err->line, err->message);
}

/* The parser processes each entry's strings with the options of its
   metatype. Regular entries are read raw (BTO_MINIMAL) and processed by
   bare_words(); the parser's own pass with no options would only leak a
   byte per macro-valued field (its strdup("") for a value it leaves
   alone), so it is skipped: the entry type is lower-cased as it would do. */
static void hook_postprocess_entry(AST *top, btshort options) {
  if (G && options == BTO_MINIMAL && top && top->metatype == BTE_REGULAR) {
    for (char *p = top->text; p && *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return;
  }
  real()->postprocess_entry(top, options);
}

/* The syntax-error reporter uses the offending token as a printf format:
   double every '%' and cap the length before the real one sees it. */
static void hook_zzsyn(char *text, int tok, char *egroup, void *eset, int etok, int k,
                       char *bad) {
  if (G && tok != 1) __atomic_fetch_add(&syntax_errors, 1, __ATOMIC_RELAXED);
  if (G && tok == 1) G->eof_errors++; /* 1 is the end of input: "expected @" after junk */
  char safe[2 * MAX_TOKEN_ECHO + 4];
  size_t o = 0, i = 0;
  for (; bad && bad[i] && i < MAX_TOKEN_ECHO; i++) {
    if (bad[i] == '%') safe[o++] = '%';
    safe[o++] = bad[i];
  }
  if (bad && bad[i]) { memcpy(safe + o, "...", 3); o += 3; }
  safe[o] = '\0';
  real()->zzsyn(text, tok, egroup, eset, etok, k, safe);
}

/* The grammar recurses once per field on a fixed attribute stack. contents()
   calls fields() and fields() calls field() through the GOT (the recursion
   fields->fields is direct), so count field() calls per top-level fields()
   and stop consuming past the limit: the parser then reports a syntax
   error and resynchronises at the next @. */
static void hook_fields(AST **root) {
  if (G) G->field_count = 0;
  real()->fields(root);
}

static void hook_field(AST **root) {
  if (G && ++G->field_count > PR_MAX_FIELDS) { G->fields_cut = 1; return; }
  real()->field(root);
}

/* Macro names: a growable arena instead of btparse's fixed 400 KB pool
   (one per copy: the names live as long as its macros). */
struct pr_bt_arena { struct pr_bt_arena *next; size_t used, cap; char data[]; };
typedef struct pr_bt_arena arena;

static void fatal(int cls, const char *fmt, va_list ap);
static void fatalf(int cls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal(cls, fmt, ap);
  va_end(ap);
}

static char *hook_zzs_strdup(char *s) {
  if (!G) return real()->zzs_strdup(s);
  size_t n = strlen(s) + 1;
  arena *names = G->bt->names;
  if (!names || names->cap - names->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    arena *a = malloc(sizeof *a + cap);
    if (!a) fatalf(BTERR_INTERNAL, "out of memory for macro names");
    a->next = names;
    a->used = 0;
    a->cap = cap;
    G->bt->names = names = a;
  }
  char *p = names->data + names->used;
  memcpy(p, s, n);
  names->used += n;
  return p;
}

static void arena_free(pr_bt_inst *bt) {
  while (bt->names) {
    arena *next = bt->names->next;
    free(bt->names);
    bt->names = next;
  }
}

/* Fatal paths: record the message and unwind to the running pubrender
   call; outside one, behave as btparse does. */
static void fatal(int cls, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!G || !G->fatal_jmp) {
    (cls == BTERR_USAGEERR ? real()->usage_error : real()->internal_error)("%s", msg);
    abort(); /* not reached: both end the process */
  }
  pending_add(cls, 0, msg);
  longjmp(*G->fatal_jmp, 1);
}

static void hook_usage_error(char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal(BTERR_USAGEERR, fmt, ap);
  va_end(ap);
}

static void hook_internal_error(char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal(BTERR_INTERNAL, fmt, ap);
  va_end(ap);
}

/* DLG lexer errors go through the copy's zzerr, not through print_error. */
static void lexer_error(const char *s) {
  G->lexer_errors++;
  pending_add(BTERR_LEXWARN, *G->bt->zzline, s ? s : "lexical error");
}

/* Output: btparse prints some messages itself, not through print_error
   (PCCTS's "semantic error; failed predicate", debugging dumps). Its calls
   of the C library's output functions are pointed here too: during a
   pubrender call the text becomes a diagnostic, outside one it is printed
   as btparse would. The prescan keeps btparse away from every input known
   to print; this makes "the library never prints" independent of that. */
static void captured(const char *text, size_t n) {
  while (n && (text[n - 1] == '\n' || text[n - 1] == ' ')) n--;
  if (!n) return;
  char *m = pr_strndup(text, n);
  if (!m) { G->diags.oom = 1; return; }
  pending_add(BTERR_SYNTAX, *G->bt->zzline, m);
  free(m);
}

static int hook_vfprintf(FILE *f, const char *fmt, va_list ap) {
  if (!G) return vfprintf(f, fmt, ap);
  char buf[512];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  captured(buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
  return n;
}
static int hook_fprintf_chk(FILE *f, int flag, const char *fmt, ...) {
  (void)flag;
  va_list ap;
  va_start(ap, fmt);
  int n = hook_vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}
static int hook_printf_chk(int flag, const char *fmt, ...) {
  (void)flag;
  va_list ap;
  va_start(ap, fmt);
  int n = hook_vfprintf(stdout, fmt, ap);
  va_end(ap);
  return n;
}
static int hook_fputs(const char *s, FILE *f) {
  if (!G) return fputs(s, f);
  captured(s, strlen(s));
  return 1;
}
static int hook_puts(const char *s) {
  if (!G) return puts(s);
  captured(s, strlen(s));
  return 1;
}
static size_t hook_fwrite(const void *p, size_t size, size_t n, FILE *f) {
  if (!G) return fwrite(p, size, n, f);
  if (size && n <= SIZE_MAX / size) captured(p, size * n);
  return n;
}
static int hook_putchar(int c) { return G ? c : putchar(c); }
static void hook_perror(const char *s) {
  if (!G) { perror(s); return; }
  captured(s ? s : "", s ? strlen(s) : 0);
}

/* Find the copy's originals, then point its references at our hooks. 1 when
   every hook is in place (tried once per copy; call with its lock held). */
int pr_bt_install_hooks(pr_bt_inst *bt) {
  if (bt->hooks >= 0) return bt->hooks;
  static const char *const names[] = {"print_error", "zzsyn", "fields", "field",
                                      "zzs_strdup", "usage_error", "internal_error",
                                      "bt_postprocess_entry"};
  typedef void (*any_fn)(void);
  any_fn fns[] = {(any_fn)hook_print_error, (any_fn)hook_zzsyn,       (any_fn)hook_fields,
                  (any_fn)hook_field,       (any_fn)hook_zzs_strdup,  (any_fn)hook_usage_error,
                  (any_fn)hook_internal_error, (any_fn)hook_postprocess_entry};
  pr_bt_real *r = &bt->real;
  void **reals[] = {(void **)&r->print_error, (void **)&r->zzsyn,
                    (void **)&r->fields,      (void **)&r->field,
                    (void **)&r->zzs_strdup,  (void **)&r->usage_error,
                    (void **)&r->internal_error, (void **)&r->postprocess_entry};
  enum { N = sizeof names / sizeof *names };
  /* the C library's output functions it calls (not all need be there) */
  static const char *const out_names[] = {"__fprintf_chk", "__printf_chk", "fputs", "puts",
                                          "fwrite", "putchar", "perror"};
  any_fn out_fns[] = {(any_fn)hook_fprintf_chk, (any_fn)hook_printf_chk, (any_fn)hook_fputs,
                      (any_fn)hook_puts,        (any_fn)hook_fwrite,      (any_fn)hook_putchar,
                      (any_fn)hook_perror};
  enum { NOUT = sizeof out_names / sizeof *out_names };
  void *lib = bt->handle ? bt->handle : dlopen("libbtparse.so.2", RTLD_LAZY | RTLD_NOLOAD);
  if (!lib) return bt->hooks = 0;
  int ok = 1;
  for (size_t i = 0; i < N; i++) ok &= (*reals[i] = dlsym(lib, names[i])) != NULL;
  struct link_map *lm = NULL;
  if (!bt->handle) {
    ok &= dlinfo(lib, RTLD_DI_LINKMAP, &lm) == 0 && lm;
    if (ok) bt->base = (uintptr_t)lm->l_addr;
    dlclose(lib);
  }
  pr_got_hook hooks[N + NOUT];
  size_t patched[N + NOUT];
  for (size_t i = 0; i < N; i++) hooks[i] = (pr_got_hook){names[i], fns[i]};
  for (size_t i = 0; i < NOUT; i++) hooks[N + i] = (pr_got_hook){out_names[i], out_fns[i]};
  if (!ok || !(bt->handle ? pr_got_patch_handle(bt->handle, hooks, N + NOUT, patched)
                            : pr_got_patch("libbtparse.so", bt->base, hooks, N + NOUT, patched)))
    return bt->hooks = 0;
  for (size_t i = 0; i < N; i++) ok &= patched[i] > 0;
  return bt->hooks = ok;
}

/* ---- per-document setup ---- */

static void reset_btparse(void) {
  static char *months[][2] = {
      {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
      {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
      {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
  if (G->bt->ready) G->bt->cleanup();
  arena_free(G->bt);
  G->bt->initialize();
  G->bt->ready = 1;
  *G->bt->zzerr = lexer_error;
  for (size_t i = 0; i < 12; i++) G->bt->add_macro_text(months[i][0], months[i][1], NULL, 0);
  /* regular entries come raw (bare_words() looks at their macros), then
     are processed with BTO_FULL */
  G->bt->set_stringopts(BTE_REGULAR, BTO_MINIMAL);
  G->bt->set_stringopts(BTE_MACRODEF, BTO_MACRO);
  G->bt->set_stringopts(BTE_PREAMBLE, BTO_FULL);
  G->bt->set_stringopts(BTE_COMMENT, 0);
}

/* Messages that are not findings about the user's file: text outside
   entries (a comment in BibTeX, or Jekyll front matter), redefining one of
   the month macros we predefine, btparse's complaint that text after the
   last entry (or a file with no entry) does not start an entry, and
   libbtparse's "possible runaway string" guess (a line inside a string
   that looks like "name =") when the string was not one: inside @comment,
   whose body is free text, and in an entry that parsed (an abstract's
   line "x = 5"; a string that did run away ends in an error, from the
   parser or the prescan). */
static int is_noise(const pending *p, int free_text) {
  static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  static const char over[] = "overriding existing definition of macro \"";
  if (strcmp(p->msg, "at end of input, expected \"@\"") == 0) return 1;
  if (strstr(p->msg, "characters of junk seen at toplevel")) return 1;
  if (free_text && strncmp(p->msg, "possible runaway string", 23) == 0) return 1;
  if (strncmp(p->msg, over, sizeof over - 1) != 0) return 0;
  if (G->sink_reports_redefinitions) return 1; /* the sink's warning names both places */
  const char *name = p->msg + sizeof over - 1;
  for (size_t i = 0; i < 12; i++)
    if (strncmp(name, months[i], 3) == 0 && strcmp(name + 3, "\"") == 0) return 1;
  return 0;
}

static void diags_clear(void) {
  for (size_t i = 0; i < G->diags.n; i++) free(G->diags.v[i].msg), free(G->diags.v[i].field);
  G->diags.n = 0;
}

/* Move btparse's messages to out. For a skipped entry the first error
   says so, and later errors about it (the parser's follow-on complaints
   while it skips to the next @) are left out. */
static int flush_diags(pr_diags *out, const char *file, const char *key, const char *skipped_key,
                       int free_text) {
  int rc = G->diags.oom ? -1 : 0, skipped = skipped_key != NULL;
  for (size_t i = 0; i < G->diags.n; i++) {
    pending *p = &G->diags.v[i];
    if (p->line > 0 && (unsigned)p->line <= G->prefix_lines) continue; /* the piece's prefix */
    if (is_noise(p, free_text)) continue;
    int is_err = p->cls >= BTERR_LEXERR;
    const char *code = p->code ? p->code : is_err ? "syntax-error" : "bibtex-warning";
    if (strncmp(p->msg, "undefined macro", 15) == 0) { /* in an @string: as BibTeX, a warning */
      rc |= pr_diagx(out, PR_WARNING, "undefined-macro", NULL, NULL, file,
                     doc_line(p->line),
                     "%s (expands to nothing; define it with @string before its first use, "
                         "or write it in braces)",
                         p->msg);
      continue;
    }
    if (is_err && skipped && !skipped_key) continue;
    if (is_err && skipped_key) {
      rc |= pr_diagx(out, PR_ERROR, code, key, p->field, file,
                     doc_line(p->line), "%s (%s skipped)", p->msg,
                     skipped_key);
      skipped_key = NULL;
    } else {
      rc |= pr_diagx(out, is_err ? PR_ERROR : PR_WARNING, code, key, p->field, file,
                     doc_line(p->line), "%s", p->msg);
    }
  }
  diags_clear();
  G->diags.oom = 0;
  return rc;
}

/* A macro defined as one undefined macro has no text, and btparse then
   crashes (strlen(NULL)) when a later value concatenates it: define such
   macros as "" (the undefined macro was reported already). */
static void define_empty_macros(AST *ast) {
  char *name = NULL;
  for (AST *f = NULL; (f = G->bt->next_field(ast, f, &name));) {
    char *text = NULL;
    G->bt->next_value(f, NULL, NULL, &text);
    if (!text && name) {
      G->bt->delete_macro(name);
      G->bt->add_macro_text(name, "", NULL, 0);
    }
  }
}

static void diags_truncate(size_t n);

/* Hand the sink each macro an @string defined, with the text btparse now
   holds for it (after define_empty_macros). */
static int tell_macros(const pr_read_sink *sink, AST *ast, const char *file) {
  char *name = NULL;
  for (AST *f = NULL; (f = G->bt->next_field(ast, f, &name));) {
    if (!name) continue;
    char *low = pr_strdup(name);
    if (!low) return -1;
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    size_t before = G->diags.n;
    const char *text = G->bt->macro_text(low, NULL, 0);
    diags_truncate(before);
    int rc = text ? sink->macro(sink->macro_ctx, low, text, file, doc_line(f->line)) : 0;
    free(low);
    if (rc) return -1;
  }
  return 0;
}

/* Define the macros the document starts with. */
static void replay_macros(const pr_read_sink *sink) {
  size_t before = G->diags.n;
  for (size_t i = 0; i < sink->nmacros; i++)
    G->bt->add_macro_text((char *)sink->macros[i].name, (char *)sink->macros[i].text, NULL, 0);
  diags_truncate(before); /* a month's "overriding" message */
}

/* ---- bare words ----
   A value's bare word is a macro (month = jun); one that no @string (and
   no predefined month) defines is, as bibtex-ruby and biber read it, the
   word as written, with a warning whose hint fits the field. */

/* The month a word names (june, Sept., sep, any case): 1..12, or 0. */
static int month_word(const char *w) {
  static const char *const full[] = {"january", "february", "march",     "april",
                                     "may",     "june",     "july",      "august",
                                     "september", "october", "november", "december"};
  size_t n = 0;
  while ((w[n] | 0x20) >= 'a' && (w[n] | 0x20) <= 'z') n++;
  if (n < 3 || (w[n] && w[n] != '.')) return 0;
  for (int i = 0; i < 12; i++)
    if (n <= strlen(full[i]) && strncasecmp(w, full[i], n) == 0) return i + 1;
  return 0;
}

/* Fields pubrender reads as booleans (render.c: true, yes or 1, any case). */
static int is_boolean_field(const char *name) {
  return strcmp(name, "selected") == 0 || strcmp(name, "bibtex_show") == 0;
}

/* Drop the messages btparse queued from n on (a lookup's own warning). */
static void diags_truncate(size_t n) {
  while (G->diags.n > n) {
    G->diags.n--;
    free(G->diags.v[G->diags.n].msg);
    free(G->diags.v[G->diags.n].field);
  }
}

/* Turn each undefined macro of a raw regular entry into the word as
   written, queueing a warning for each, then process the entry as BTO_FULL
   would have (expand, paste, collapse). */
static void bare_words(AST *ast, const char *key) {
  static const char *const abbr[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
  char *name = NULL;
  for (AST *f = NULL; (f = G->bt->next_field(ast, f, &name));) {
    bt_nodetype t;
    char *text;
    for (AST *v = NULL; (v = G->bt->next_value(f, v, &t, &text));) {
      if (t != BTAST_MACRO || !text) continue;
      char *low = pr_strdup(text); /* macros are looked up in lower case */
      if (!low) { G->diags.oom = 1; continue; }
      for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
      size_t before = G->diags.n;
      int defined = G->bt->macro_text(low, NULL, 0) != NULL;
      free(low);
      diags_truncate(before);
      if (defined) continue;
      v->nodetype = BTAST_STRING;
      char hint[160], msg[600], field[72];
      snprintf(field, sizeof field, "%.64s", name ? name : ""); /* as processing will write it */
      for (char *p = field; *p; p++) *p = (char)tolower((unsigned char)*p);
      int m = strcmp(field, "month") == 0 ? month_word(text) : 0;
      if (m) snprintf(hint, sizeof hint, "write {%.64s} or %s", text, abbr[m - 1]);
      else if (is_boolean_field(field))
        snprintf(hint, sizeof hint, "write {%s}", strcasecmp(text, "false") == 0 ? "false" : "true");
      else
        snprintf(hint, sizeof hint,
                 "define it with an @string before this entry, or write it in braces");
      snprintf(msg, sizeof msg, "entry '%.64s', field '%s': undefined macro '%.100s', read as "
               "the word as written (%s)", key ? key : "", field, text, hint);
      pending_addx(BTERR_CONTENT, v->line ? v->line : f->line, "undefined-macro", field, msg);
    }
  }
  G->bt->postprocess_entry(ast, BTO_FULL);
}

/* The text btparse gives for an entry, made valid UTF-8 when the lexer
   recovered from a bad token inside it (it drops the token's first two
   bytes, which may cut a character in two). *fixed is what to free. */
static const char *checked(const char *s, int repair, char **fixed) {
  *fixed = repair && s ? pr_utf8_repair(s) : NULL;
  return *fixed ? *fixed : s;
}

/* Hand a parsed regular entry to the sink. */
static int take_entry(const pr_read_sink *sink, AST *ast, const char *file, int repair) {
  char *key = G->bt->entry_key(ast), *name = NULL, *fk, *ft;
  size_t n = 0;
  for (AST *f = NULL; (f = G->bt->next_field(ast, f, &name));) n++;
  const char *k = checked(key ? key : "", repair, &fk);
  void *e = sink->begin(sink->ctx, checked(G->bt->entry_type(ast), repair, &ft), k, file,
                        doc_line(ast->line), n);
  free(ft);
  if (!e) {
    free(fk);
    return -1;
  }
  /* repeated fields: the first value of each kept, one warning for the entry */
  const char *seen[PR_MAX_FIELDS + 8], *repeated[PR_MAX_FIELDS + 8];
  unsigned seen_line[PR_MAX_FIELDS + 8];
  size_t nseen = 0, nrep = 0;
  unsigned rep_line = 0, first_line = 0;
  int rc = 0;
  for (AST *f = NULL; !rc && (f = G->bt->next_field(ast, f, &name));) {
    char *text = NULL, *fn, *fv;
    G->bt->next_value(f, NULL, NULL, &text);
    const char *interned = sink->name(sink->ctx, checked(name, repair, &fn));
    free(fn);
    if (!interned) {
      rc = -1;
      break;
    }
    size_t old = 0;
    while (old < nseen && seen[old] != interned) old++;
    if (old < nseen) {
      size_t r = 0;
      while (r < nrep && repeated[r] != interned) r++;
      if (r == nrep && nrep < sizeof repeated / sizeof *repeated) repeated[nrep++] = interned;
      if (!rep_line) rep_line = doc_line(f->line), first_line = seen_line[old];
      continue;
    }
    if (nseen < sizeof seen / sizeof *seen) seen_line[nseen] = doc_line(f->line), seen[nseen++] = interned;
    rc = sink->field(sink->ctx, e, interned, checked(text ? text : "", repair, &fv),
                     doc_line(f->line));
    free(fv);
  }
  if (!rc && nrep) {
    pr_buf b = {0};
    for (size_t r = 0; r < nrep; r++) pr_buf_printf(&b, "%s'%s'", r ? ", " : "", repeated[r]);
    rc = b.failed ||
         (nrep == 1
              ? pr_diagx(sink->diags, PR_WARNING, "repeated-field", k, repeated[0], file,
                         rep_line,
                         "entry '%s': repeated field %s (the first value, at line %u, is kept)",
                         k, b.data, first_line)
              : pr_diagx(sink->diags, PR_WARNING, "repeated-field", k, NULL, file, rep_line,
                         "entry '%s': repeated fields %s (the first value of each is kept)", k,
                         b.data));
    pr_buf_free(&b);
  }
  free(fk);
  if (rc) return -1; /* out of memory: the entry is not ended (the sink drops what it began) */
  return sink->end(sink->ctx, e) ? -1 : 0;
}

/* ---- the prescan ahead of the parsers (pr_bib_set_threads) ----
   normalise() runs on a thread of its own, into findings of its own, and
   tells how far the text is final; the parsers' streams read only that far
   (waiting when they catch up). Its findings are put before the parsers'
   afterwards, where the one-thread run has them.
   Pieces: with n > 1 copies of btparse the prescan also cuts the document
   in n pieces, at the first regular entry past each n-th of the text that
   follows a whole entry with only blanks between them, and keeps the
   @string entries it has seen: a piece is parsed by a copy of its own
   after those @strings (its "prefix", parsed for their macros only). */
#define MAX_PIECES (1 + PR_BT_MAX_NS)

typedef struct ahead {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t ready;            /* text[0..ready) is final */
  size_t told;             /* the last ready signalled */
  int done;                /* normalise() has returned */
  int rc;                  /* what it returned */
  pr_diags diags;          /* its findings */
  pr_read_sink sink;       /* the caller's, with a copy of the macros */
  pr_macro_def *macros;    /* the copy (names and sizes) */
  pr_map index;            /* name -> its place in macros (names borrowed) */
  const char *file;
  pr_input *in;
  /* pieces: npieces 1 when the document is not cut */
  unsigned npieces, ncuts;  /* cut[1..ncuts] are decided (under mu), in order */
  size_t target[MAX_PIECES], cut[MAX_PIECES], prefix_len[MAX_PIECES];
  unsigned cut_line[MAX_PIECES];
  int gap_clean;           /* only blanks since the last whole entry */
  pr_buf strings;          /* the whole @string entries so far, each and a newline (under mu) */
  size_t counted;          /* newlines are counted up to here (before anyone releases it) */
  unsigned line;           /* the line there */
} ahead;

/* A piece's prefix is at most 8 MiB of @strings: each piece parses the
   @strings before it again, and holds a copy of them (a document of little
   but @strings is then cut no further). */
#define PREFIX_MAX ((size_t)8 << 20)

/* Published in steps of 256 KB: a lock per entry would cost more than it gives. */
#define AHEAD_STEP ((size_t)256 << 10)

static void count_lines(ahead *a, size_t to) {
  a->line += (unsigned)pr_count_newlines(a->in->text + a->counted, to - a->counted);
  a->counted = to;
}

static void ahead_progress(void *ctx, size_t start, size_t done, int kind) {
  ahead *a = ctx;
  if (a->npieces > 1) {
    if (kind == 'r' && a->gap_clean && a->ncuts + 1 < a->npieces &&
        start >= a->target[a->ncuts + 1] && a->strings.len <= PREFIX_MAX) {
      count_lines(a, start);
      pthread_mutex_lock(&a->mu);
      unsigned k = a->ncuts + 1;
      a->cut[k] = start;
      a->cut_line[k] = a->line;
      a->prefix_len[k] = a->strings.len;
      a->ncuts = k;
      pthread_cond_broadcast(&a->cv);
      pthread_mutex_unlock(&a->mu);
    }
    if (kind == 's') {
      pthread_mutex_lock(&a->mu);
      pr_buf_put(&a->strings, a->in->text + start, done - start);
      pr_buf_put(&a->strings, "\n", 1);
      pthread_mutex_unlock(&a->mu);
    }
    if (kind == 'r' || kind == 's') a->gap_clean = 1;
    else if (kind != ' ') a->gap_clean = 0;
  }
  if (done - a->told < AHEAD_STEP) return;
  a->told = done;
  if (a->npieces > 1) count_lines(a, done);
  pthread_mutex_lock(&a->mu);
  a->ready = done;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
}

/* btparse reads a FILE: ours reads the document's memory (no copy), and
   gives back the pages behind it. Its locking is off: only the thread
   parsing with it uses it (getc's locking costs a quarter of the parse).
   A piece's stream serves its prefix first, then text[pos..) up to the
   next piece's cut. */
typedef struct stream_src {
  pr_input *in;
  const char *prefix;      /* owned */
  size_t prefix_len, prefix_pos;
  size_t pos, end;         /* text[pos..end) is left (end final once ahead is NULL) */
  size_t released;         /* text before it given back, from the piece's start */
  ahead *ahead;            /* NULL: the text is final */
  unsigned piece;
} stream_src;

static ssize_t stream_read(void *cookie, char *buf, size_t n) {
  stream_src *s = cookie;
  if (s->prefix_pos < s->prefix_len) {
    size_t k = s->prefix_len - s->prefix_pos;
    if (k > n) k = n;
    memcpy(buf, s->prefix + s->prefix_pos, k);
    s->prefix_pos += k;
    return (ssize_t)k;
  }
  if (s->ahead) {
    ahead *a = s->ahead;
    unsigned next = s->piece + 1;
    pthread_mutex_lock(&a->mu);
    for (;;) {
      size_t lim = a->done ? s->in->len : a->ready;
      int cut = a->ncuts >= next;
      if (cut && a->cut[next] < lim) lim = a->cut[next];
      if (lim > s->pos || a->done || (cut && a->cut[next] <= s->pos)) {
        s->end = lim;
        if (a->done) s->ahead = NULL; /* no more cuts: end is final */
        break;
      }
      pthread_cond_wait(&a->cv, &a->mu);
    }
    int stop = a->done && a->rc; /* out of memory: the rest is not checked, not parsed */
    pthread_mutex_unlock(&a->mu);
    if (stop) {
      s->pos = s->end;
      return 0;
    }
  }
  size_t k = s->end > s->pos ? s->end - s->pos : 0;
  if (k > n) k = n;
  memcpy(buf, s->in->text + s->pos, k);
  s->pos += k;
  if (s->pos - s->released >= ((size_t)1 << 20)) { /* each MB */
    pr_input_release(s->in, s->released, s->pos);
    s->released = s->pos;
  }
  return (ssize_t)k;
}

/* Bytes normalise() changes: control bytes but tab and newline, and DEL. */
static int is_odd_byte(unsigned char c) {
  return (c < ' ' && c != '\n' && c != '\t') || c == 0x7f;
}

/* Offset of the first byte of s[i..len) that normalise() changes, or len.
   Eight bytes at a time: a word with no byte below 0x20 and none equal to
   0x7f is skipped (the test may flag a word with none; it is then looked at
   byte by byte). */
static size_t skip_plain(const unsigned char *s, size_t i, size_t len) {
  const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
  for (;;) {
    for (; i + 8 <= len; i += 8) {
      uint64_t w, del;
      memcpy(&w, s + i, 8);
      del = w ^ (0x7f * ones);
      if (((w - 0x20 * ones) & ~w & high) | ((del - ones) & ~del & high)) break;
    }
    size_t end = i + 8 < len ? i + 8 : len;
    for (; i < end; i++)
      if (is_odd_byte(s[i])) return i;
    if (i >= len) return len;
  }
}

/* NUL becomes a space (btparse aborts on it) with an error; a CR before LF
   a space and a lone CR a newline (a CR before a closing delimiter overruns
   a buffer in btparse); other control bytes spaces; then the prescan
   defuses entry shapes btparse cannot survive. In place, same length: only
   the pages with such bytes are written. 0, or -1 when out of memory. */
static int normalise(const pr_read_sink *sink, const char *file, char *text, size_t len,
                     pr_prescan_progress_fn progress, void *ctx) {
  pr_diags *out = sink->diags;
  unsigned char *s = (unsigned char *)text;
  size_t counted = 0;
  unsigned line = 1, nul_line = 0;
  for (size_t i = skip_plain(s, 0, len); i < len; i = skip_plain(s, i + 1, len)) {
    if (s[i] == '\r') {
      s[i] = i + 1 < len && s[i + 1] == '\n' ? ' ' : '\n';
    } else if (s[i] == '\0') {
      for (const unsigned char *p = s + counted; (p = memchr(p, '\n', (size_t)(s + i - p))); p++)
        line++;
      counted = i;
      s[i] = ' ';
      if (nul_line != line &&
          pr_diagx(out, PR_ERROR, "nul-byte", NULL, NULL, file, line,
                   "NUL byte in input (read as a space)"))
        return -1;
      nul_line = line;
    } else {
      s[i] = ' '; /* btparse drops a control byte with the byte after it */
    }
  }
  return pr_prescan_progress(out, file, text, len, sink->macros, sink->nmacros, sink->macro_index,
                             progress, ctx);
}

static void *ahead_main(void *arg) {
  ahead *a = arg;
  int rc = normalise(&a->sink, a->file, a->in->text, a->in->len, ahead_progress, a);
  pthread_mutex_lock(&a->mu);
  if (a->strings.failed) rc = -1;
  a->rc = rc;
  a->ready = a->in->len;
  a->done = 1;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
  return NULL;
}

/* Start the prescan of in on a thread, cutting it in npieces: 0, or -1
   (then nothing was started). */
static int ahead_start(ahead *a, pthread_t *tid, const pr_read_sink *sink, const char *file,
                       pr_input *in, unsigned npieces) {
  *a = (ahead){.file = file, .in = in, .npieces = npieces, .line = 1};
  /* piece k > 0 starts when the prescan reaches it, piece 0 at once: the
     first piece is the larger by a tenth of a share */
  for (unsigned k = 1; k < npieces; k++) a->target[k] = in->len / npieces / 10 * (10 * k + 1);
  a->sink = *sink;
  a->sink.diags = &a->diags;
  /* the macros as they are now: the parser's sink may change the caller's */
  if (sink->nmacros && !(a->macros = calloc(sink->nmacros, sizeof *a->macros))) return -1;
  a->index.borrow = 1;
  for (size_t i = 0; i < sink->nmacros; i++) {
    a->macros[i] = (pr_macro_def){sink->macros[i].name, "", "", sink->macros[i].len, 0};
    if (pr_map_put(&a->index, a->macros[i].name, i)) goto fail;
  }
  a->sink.macros = a->macros;
  a->sink.macro_index = &a->index;
  if (pthread_mutex_init(&a->mu, NULL)) goto fail;
  if (pthread_cond_init(&a->cv, NULL)) {
    pthread_mutex_destroy(&a->mu);
    goto fail;
  }
  if (pthread_create(tid, NULL, ahead_main, a) == 0) return 0;
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
fail:
  pr_map_free(&a->index);
  free(a->macros);
  return -1;
}

/* Wait for the prescan; its findings go into out at position at (before
   the parser's). Its normalise() result, or -1 when out of memory. */
static int ahead_finish(ahead *a, pthread_t tid, pr_diags *out, size_t at) {
  pthread_join(tid, NULL);
  int rc = a->rc;
  if (pr_diags_insert(out, at, &a->diags)) rc = -1;
  pr_diags_free(&a->diags);
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  pr_map_free(&a->index);
  pr_buf_free(&a->strings);
  free(a->macros);
  return rc;
}

/* ---- parsing a stream with one copy of btparse ---- */

/* Parse src with g's copy (whose lock the caller holds), entries to sink,
   findings to sink->diags. 0, -1 when out of memory, -2 when the stream
   cannot be opened (errno). A fatal btparse error ends the document with
   a finding (g->failed). */
static int parse_stream(glue *g, const pr_read_sink *sink, stream_src *src, const char *file) {
  pr_bt_inst *bt = g->bt;
  pr_diags *out = sink->diags;
  cookie_io_functions_t io = {stream_read, NULL, NULL, NULL};
  FILE *f = bt->fopencookie(src, "r", io);
  if (!f) return -2;
  bt->fsetlocking(f, FSETLOCKING_BYCALLER);
  jmp_buf jb;
  volatile int nomem = 0;
  g->fatal_jmp = &jb;
  g->sink_reports_redefinitions = sink->macro != NULL;
  G = g;
  if (setjmp(jb) == 0) {
    reset_btparse();
    replay_macros(sink);
    for (;;) {
      boolean ok = TRUE;
      g->fields_cut = 0;
      unsigned long lexer_errors_before = g->lexer_errors;
      AST *ast = bt->parse_entry(f, (char *)file, 0, &ok);
      if (!ast) {
        if (flush_diags(out, file, NULL, NULL, 0)) nomem = 1;
        if (bt->feof(f)) break;
        continue;
      }
      bt_metatype mt = bt->entry_metatype(ast);
      if (ast->line > 0 && (unsigned)ast->line <= g->prefix_lines) {
        /* an @string of the prefix: its macros, nothing else */
        if (mt == BTE_MACRODEF) define_empty_macros(ast);
        diags_clear();
        bt->free_ast(ast);
        continue;
      }
      char *key = mt == BTE_REGULAR ? bt->entry_key(ast) : NULL;
      if (g->fields_cut) { /* replaces the syntax error the cut provokes */
        ok = FALSE;
        diags_clear();
        pending_addx(BTERR_SYNTAX, ast->line, "too-many-fields", NULL,
                     "too many fields (pubrender reads at most 90)");
      }
      if (mt == BTE_REGULAR && ok && !key) {
        ok = FALSE;
        pending_addx(BTERR_SYNTAX, ast->line, "missing-key", NULL, "entry has no key");
      }
      if (ok && mt == BTE_REGULAR) bare_words(ast, key);
      char label[80] = "";
      if (!ok) {
        snprintf(label, sizeof label, "%s%.64s", key ? "entry '" : "@",
                 key ? key : bt->entry_type(ast));
        if (key) strcat(label, "'");
      }
      if ((g->diags.n || g->diags.oom) &&
          flush_diags(out, file, key, ok ? NULL : label,
                      mt == BTE_COMMENT || (ok && mt == BTE_REGULAR)))
        nomem = 1;
      if (ok && mt == BTE_REGULAR &&
          take_entry(sink, ast, file, g->lexer_errors != lexer_errors_before))
        nomem = 1;
      if (mt == BTE_MACRODEF) {
        define_empty_macros(ast);
        if (sink->macro && tell_macros(sink, ast, file)) nomem = 1;
      }
      if (mt == BTE_PREAMBLE && ok && sink->preamble) {
        char *text = bt->get_text(ast);
        if (text && sink->preamble(sink->ctx, text, file, doc_line(ast->line))) nomem = 1;
        bt->free(text);
      }
      bt->free_ast(ast);
      if (nomem) break;
    }
  } else {
    g->failed = 1;
  }
  g->fatal_jmp = NULL;
  bt->fclose(f);
  bt->parse_entry(NULL, NULL, 0, NULL);
  if (g->failed) {
    /* btparse's state after a fatal error is unknown: start afresh. */
    bt->cleanup();
    arena_free(bt);
    bt->ready = 0;
    for (size_t i = 0; i < g->diags.n; i++)
      if (pr_diagx(out, PR_ERROR, "fatal-parse-error", NULL, NULL, file,
                   doc_line(g->diags.v[i].line),
                   "%s (the rest of the document was not read)", g->diags.v[i].msg))
        nomem = 1;
    diags_clear();
  }
  free(g->diags.v);
  G = NULL;
  return nomem ? -1 : 0;
}

/* ---- a document in pieces ---- */

typedef struct piece {
  pr_bt_inst *bt;
  pr_read_sink sink;       /* sink->fork's: entries, findings, macros of its own */
  int forked, rc, failed, started, empty;
  unsigned long eof_errors;
  pthread_t tid;
  ahead *a;
  unsigned k;
  const char *file;
} piece;

/* Parse piece k (k >= 1) once the prescan has cut it (if it does). */
static void *piece_main(void *arg) {
  piece *p = arg;
  ahead *a = p->a;
  stream_src src = {.in = a->in, .ahead = a, .piece = p->k};
  pthread_mutex_lock(&a->mu);
  while (a->ncuts < p->k && !a->done) pthread_cond_wait(&a->cv, &a->mu);
  int have = a->ncuts >= p->k;
  char *prefix = NULL;
  if (have) {
    src.pos = src.released = a->cut[p->k];
    src.prefix_len = a->prefix_len[p->k];
    if ((prefix = malloc(src.prefix_len + 1)) && src.prefix_len)
      memcpy(prefix, a->strings.data, src.prefix_len);
  }
  unsigned cut_line = have ? a->cut_line[p->k] : 0;
  pthread_mutex_unlock(&a->mu);
  if (!have) {
    p->empty = 1;
    return NULL;
  }
  if (!prefix) {
    p->rc = -1;
    return NULL;
  }
  src.prefix = prefix;
  glue g = {.bt = p->bt, .prefix_lines = (unsigned)pr_count_newlines(prefix, src.prefix_len)};
  g.line_offset = (long)cut_line - 1 - (long)g.prefix_lines;
  p->bt->ctype_init(); /* this thread's, in that copy's C library */
  p->rc = parse_stream(&g, &p->sink, &src, p->file);
  p->failed = g.failed;
  p->eof_errors = g.eof_errors;
  free(prefix);
  return NULL;
}

/* How many pieces a document of len bytes is parsed in: 1 unless there
   are threads, another copy of btparse and a sink that takes pieces. */
#define PIECE_MIN_BYTES PR_PAR_MIN_BYTES
static unsigned pieces_for(const pr_read_sink *sink, size_t len) {
  if (sink->threads == 1 || !sink->fork || len < 2 * PIECE_MIN_BYTES || sink->diags->dedupe)
    return 1;
  unsigned n = pr_par_threads(sink->threads, PR_PAR_MIN_ITEMS);
  if (n > MAX_PIECES) n = MAX_PIECES;
  if (n > len / PIECE_MIN_BYTES) n = (unsigned)(len / PIECE_MIN_BYTES);
  return n;
}

/* Parse in npieces pieces (the prescan a's, already started): piece 0 here
   with instance 0 (locked by the caller) into sink, the others on threads
   with the copies in bts[0..npieces-1), each into a sink of its own, then
   joined into sink in order. 0, or -1 when out of memory. */
static int parse_pieces(const pr_read_sink *sink, ahead *a, pthread_t atid, size_t at,
                        pr_bt_inst **bts, unsigned npieces, const char *file) {
  piece ps[MAX_PIECES];
  memset(ps, 0, sizeof ps);
  int nomem = 0;
  ps[0] = (piece){.bt = pr_bt_inst0(), .sink = *sink, .a = a, .file = file};
  for (unsigned k = 1; k < npieces; k++) {
    ps[k] = (piece){.bt = bts[k - 1], .a = a, .k = k, .file = file};
    if (sink->fork(sink, &ps[k].sink)) {
      nomem = 1;
      break;
    }
    ps[k].forked = 1;
  }
  for (unsigned k = 1; k < npieces && !nomem; k++)
    ps[k].started = pthread_create(&ps[k].tid, NULL, piece_main, &ps[k]) == 0;
  if (!nomem) {
    stream_src src = {.in = a->in, .ahead = a};
    glue g = {.bt = ps[0].bt};
    ps[0].rc = parse_stream(&g, &ps[0].sink, &src, file);
    ps[0].failed = g.failed;
    ps[0].eof_errors = g.eof_errors;
  }
  /* a piece not started is parsed here */
  for (unsigned k = 1; k < npieces && !nomem; k++)
    if (!ps[k].started) piece_main(&ps[k]);
  for (unsigned k = 1; k < npieces; k++)
    if (ps[k].started) pthread_join(ps[k].tid, NULL);
  if (ahead_finish(a, atid, sink->diags, at)) nomem = 1;
  /* in order; a fatal error in a piece ends the document there, as it
     would have in one piece */
  int keep = !nomem;
  for (unsigned k = 0; k < npieces; k++) {
    if (k && !ps[k].forked) continue;
    if (ps[k].rc) nomem = 1, keep = 0;
    int ends_early = keep && k + 1 < npieces && !ps[k + 1].empty && !ps[k].failed &&
                     ps[k].eof_errors;
    if (k && sink->join(sink, &ps[k].sink, keep && !ps[k].empty)) nomem = 1, keep = 0;
    if (ends_early &&
        pr_diagx(sink->diags, PR_ERROR, "internal-error", NULL, NULL, file,
                 a->cut_line[k + 1],
                 "pubrender cut the document here for a second parser, but libbtparse read "
                 "the entry before as unfinished: please report this file"))
      nomem = 1;
    if (ps[k].failed) keep = 0;
  }
  return nomem ? -1 : 0;
}

pr_status pr_bt_parse(const pr_read_sink *sink, pr_input *in, const char *file, pr_error *err) {
  const char *name = file;
  pr_diags *out = sink->diags;
  pr_bt_inst *bt = pr_bt_inst0(), *bts[MAX_PIECES - 1];
  unsigned npieces = pieces_for(sink, in->len);
  if (npieces > 1) {
    size_t got = pr_bt_inst_acquire(bts, npieces - 1), usable = 0;
    for (size_t i = 0; i < got; i++) {
      if (pr_bt_install_hooks(bts[i])) bts[usable++] = bts[i];
      else pr_bt_inst_release(bts[i]);
    }
    npieces = 1 + (unsigned)usable;
  }
  /* the macros are copied while the parser's sink has not changed them yet
     (names only: the prescan needs no more) */
  ahead a;
  pthread_t tid;
  size_t at = out->n;
  int use_ahead = sink->threads != 1 && in->len >= PR_PAR_MIN_BYTES && !out->dedupe &&
                  ahead_start(&a, &tid, sink, file, in, npieces) == 0;
  if (!use_ahead) {
    for (unsigned k = 1; k < npieces; k++) pr_bt_inst_release(bts[k - 1]);
    npieces = 1;
  }
  int nomem = !use_ahead && normalise(sink, file, in->text, in->len, NULL, NULL);
  if (nomem) goto oom;

  pthread_mutex_lock(&bt->lock);
  if (!pr_bt_install_hooks(bt)) {
    pthread_mutex_unlock(&bt->lock);
    for (unsigned k = 1; k < npieces; k++) pr_bt_inst_release(bts[k - 1]);
    if (use_ahead) ahead_finish(&a, tid, out, at);
    pr_set_error(err, PR_ERR_INTERNAL, name, 0,
                 "cannot install pubrender's hooks into libbtparse (is it libbtparse.so.2 "
                 "0.89?); refusing to parse rather than let it print or exit");
    return PR_ERR_INTERNAL;
  }
  int rc;
  if (npieces > 1) {
    rc = parse_pieces(sink, &a, tid, at, bts, npieces, file);
    for (unsigned k = 1; k < npieces; k++) pr_bt_inst_release(bts[k - 1]);
  } else {
    stream_src src = {.in = in, .ahead = use_ahead ? &a : NULL, .end = in->len};
    glue g = {.bt = bt};
    rc = parse_stream(&g, sink, &src, file);
    if (use_ahead && ahead_finish(&a, tid, out, at)) rc = -1;
  }
  pthread_mutex_unlock(&bt->lock);
  if (rc == -2) {
    pr_set_error(err, PR_ERR_IO, name, 0, "cannot buffer input: %s", strerror(errno));
    return PR_ERR_IO;
  }
  if (rc) goto oom;
  return PR_OK;
oom:
  pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
  return PR_ERR_NOMEM;
}

unsigned long pr_bt_syntax_errors(void) {
  return __atomic_load_n(&syntax_errors, __ATOMIC_RELAXED);
}
