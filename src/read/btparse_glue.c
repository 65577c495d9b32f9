/* btparse_glue.c - the only file that talks to libbtparse.
 *
 * libbtparse 0.89 is process-global, prints to stderr, and exits, aborts
 * or corrupts memory on some inputs (see ../shared/notes, section 7). We
 * make it safe to call from a library by:
 *  - one mutex around every bt_* call;
 *  - hooks: our own versions of functions libbtparse calls through its GOT
 *    (print_error, zzsyn, fields, field, zzs_strdup, usage_error,
 *    internal_error), installed into libbtparse's relocated slots by
 *    got_patch.c, so they work whatever the link order: its messages come
 *    to us, its fatal paths longjmp back here, its format-string bug is
 *    defused, its field limit is enforced before it overflows a fixed
 *    stack, and macro names live in a growable arena instead of a fixed
 *    pool. If they cannot be installed, we refuse to parse;
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
#include <btparse.h>
#include "read/read.h"

#define MAX_TOKEN_ECHO 200   /* bytes of a bad token echoed in a message */

static pthread_mutex_t bt_lock = PTHREAD_MUTEX_INITIALIZER;
static int bt_ready;                 /* bt_initialize() has run */

/* State of the document being parsed; only touched under bt_lock. */
/* A message waiting to become a diagnostic; code NULL: from btparse (its
   class says which), field (owned) NULL: about no one field. */
typedef struct pending { int cls, line; char *msg; const char *code; char *field; } pending;
static struct {
  pending *v;
  size_t n, cap;
  int oom;
} diags;
static jmp_buf *fatal_jmp;           /* where fatal btparse errors go */
static int sink_reports_redefinitions; /* the sink is told each macro (and warns of
                                          a redefinition itself) */
static int field_count, fields_cut;

static void pending_addx(int cls, int line, const char *code, const char *field,
                         const char *msg) {
  if (diags.n == diags.cap) {
    size_t cap = diags.cap ? diags.cap * 2 : 16;
    pending *v = realloc(diags.v, cap * sizeof *v);
    if (!v) { diags.oom = 1; return; }
    diags.v = v;
    diags.cap = cap;
  }
  char *m = pr_strdup(msg ? msg : ""), *fd = field ? pr_strdup(field) : NULL;
  if (!m || (field && !fd)) {
    free(m);
    free(fd);
    diags.oom = 1;
    return;
  }
  diags.v[diags.n] = (pending){cls, line, m, code, fd};
  diags.n++;
}

static void pending_add(int cls, int line, const char *msg) {
  pending_addx(cls, line, NULL, NULL, msg);
}

/* ---- hooks: our versions of libbtparse internals ----
   got_patch.c points libbtparse's own references to these names at the
   functions below (whatever the link order); while no pubrender call is
   running (fatal_jmp is NULL), each forwards to btparse's original, so
   another user of libbtparse in the process sees its usual behaviour. */

typedef void (*print_error_fn)(bt_error *);
typedef void (*zzsyn_fn)(char *, int, char *, void *, int, int, char *);
typedef void (*rule_fn)(AST **);
typedef char *(*strdup_fn)(char *);
typedef void (*fatal_fn)(char *, ...);
typedef void (*postprocess_fn)(AST *, btshort);
static struct {
  postprocess_fn postprocess_entry;
  print_error_fn print_error;
  zzsyn_fn zzsyn;
  rule_fn fields, field;
  strdup_fn zzs_strdup;
  fatal_fn usage_error, internal_error;
} real;

static void hook_print_error(bt_error *err) {
  if (!fatal_jmp) { real.print_error(err); return; }
  pending_add(err->errclass, err->line, err->message);
}

/* The parser processes each entry's strings with the options of its
   metatype. Regular entries are read raw (BTO_MINIMAL) and processed by
   bare_words(); the parser's own pass with no options would only leak a
   byte per macro-valued field (its strdup("") for a value it leaves
   alone), so it is skipped: the entry type is lower-cased as it would do. */
static void hook_postprocess_entry(AST *top, btshort options) {
  if (fatal_jmp && options == BTO_MINIMAL && top && top->metatype == BTE_REGULAR) {
    for (char *p = top->text; p && *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return;
  }
  real.postprocess_entry(top, options);
}

/* The syntax-error reporter uses the offending token as a printf format:
   double every '%' and cap the length before the real one sees it. */
static unsigned long syntax_errors;  /* btparse's parser errors (the prescan should leave none) */
static void hook_zzsyn(char *text, int tok, char *egroup, void *eset, int etok, int k,
                       char *bad) {
  if (fatal_jmp && tok != 1) syntax_errors++; /* 1 is the end of input: "expected @" after junk */
  char safe[2 * MAX_TOKEN_ECHO + 4];
  size_t o = 0, i = 0;
  for (; bad && bad[i] && i < MAX_TOKEN_ECHO; i++) {
    if (bad[i] == '%') safe[o++] = '%';
    safe[o++] = bad[i];
  }
  if (bad && bad[i]) { memcpy(safe + o, "...", 3); o += 3; }
  safe[o] = '\0';
  real.zzsyn(text, tok, egroup, eset, etok, k, safe);
}

/* The grammar recurses once per field on a fixed attribute stack. contents()
   calls fields() and fields() calls field() through the GOT (the recursion
   fields->fields is direct), so count field() calls per top-level fields()
   and stop consuming past the limit: the parser then reports a syntax
   error and resynchronises at the next @. */
static void hook_fields(AST **root) {
  field_count = 0;
  real.fields(root);
}

static void hook_field(AST **root) {
  if (fatal_jmp && ++field_count > PR_MAX_FIELDS) { fields_cut = 1; return; }
  real.field(root);
}

/* Macro names: a growable arena instead of btparse's fixed 400 KB pool. */
typedef struct arena { struct arena *next; size_t used, cap; char data[]; } arena;
static arena *names_arena;

static void fatal(int cls, const char *fmt, va_list ap);
static void fatalf(int cls, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal(cls, fmt, ap);
  va_end(ap);
}

static char *hook_zzs_strdup(char *s) {
  if (!fatal_jmp) return real.zzs_strdup(s);
  size_t n = strlen(s) + 1;
  if (!names_arena || names_arena->cap - names_arena->used < n) {
    size_t cap = n > 65536 ? n : 65536;
    arena *a = malloc(sizeof *a + cap);
    if (!a) fatalf(BTERR_INTERNAL, "out of memory for macro names");
    a->next = names_arena;
    a->used = 0;
    a->cap = cap;
    names_arena = a;
  }
  char *p = names_arena->data + names_arena->used;
  memcpy(p, s, n);
  names_arena->used += n;
  return p;
}

static void arena_free(void) {
  while (names_arena) {
    arena *next = names_arena->next;
    free(names_arena);
    names_arena = next;
  }
}

/* Fatal paths: record the message and unwind to the running pubrender
   call; outside one, behave as btparse does. */
static void fatal(int cls, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!fatal_jmp) {
    (cls == BTERR_USAGEERR ? real.usage_error : real.internal_error)("%s", msg);
    abort(); /* not reached: both end the process */
  }
  pending_add(cls, 0, msg);
  longjmp(*fatal_jmp, 1);
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

/* DLG lexer errors go through this pointer, not through print_error. */
extern void (*zzerr)(const char *);
extern int zzline;
static unsigned long lexer_errors;  /* counts lexer_error calls */
static void lexer_error(const char *s) {
  lexer_errors++;
  pending_add(BTERR_LEXWARN, zzline, s ? s : "lexical error");
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
  if (!m) { diags.oom = 1; return; }
  pending_add(BTERR_SYNTAX, zzline, m);
  free(m);
}

static int hook_vfprintf(FILE *f, const char *fmt, va_list ap) {
  if (!fatal_jmp) return vfprintf(f, fmt, ap);
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
  if (!fatal_jmp) return fputs(s, f);
  captured(s, strlen(s));
  return 1;
}
static int hook_puts(const char *s) {
  if (!fatal_jmp) return puts(s);
  captured(s, strlen(s));
  return 1;
}
static size_t hook_fwrite(const void *p, size_t size, size_t n, FILE *f) {
  if (!fatal_jmp) return fwrite(p, size, n, f);
  if (size && n <= SIZE_MAX / size) captured(p, size * n);
  return n;
}
static int hook_putchar(int c) { return fatal_jmp ? c : putchar(c); }
static void hook_perror(const char *s) {
  if (!fatal_jmp) { perror(s); return; }
  captured(s ? s : "", s ? strlen(s) : 0);
}

/* Find btparse's originals, then point its references at our hooks. 1 when
   every hook is in place. */
static int install_hooks(void) {
  static const char *const names[] = {"print_error", "zzsyn", "fields", "field",
                                      "zzs_strdup", "usage_error", "internal_error",
                                      "bt_postprocess_entry"};
  typedef void (*any_fn)(void);
  any_fn fns[] = {(any_fn)hook_print_error, (any_fn)hook_zzsyn,       (any_fn)hook_fields,
                  (any_fn)hook_field,       (any_fn)hook_zzs_strdup,  (any_fn)hook_usage_error,
                  (any_fn)hook_internal_error, (any_fn)hook_postprocess_entry};
  void **reals[] = {(void **)&real.print_error, (void **)&real.zzsyn,
                    (void **)&real.fields,      (void **)&real.field,
                    (void **)&real.zzs_strdup,  (void **)&real.usage_error,
                    (void **)&real.internal_error, (void **)&real.postprocess_entry};
  enum { N = sizeof names / sizeof *names };
  /* the C library's output functions it calls (not all need be there) */
  static const char *const out_names[] = {"__fprintf_chk", "__printf_chk", "fputs", "puts",
                                          "fwrite", "putchar", "perror"};
  any_fn out_fns[] = {(any_fn)hook_fprintf_chk, (any_fn)hook_printf_chk, (any_fn)hook_fputs,
                      (any_fn)hook_puts,        (any_fn)hook_fwrite,      (any_fn)hook_putchar,
                      (any_fn)hook_perror};
  enum { NOUT = sizeof out_names / sizeof *out_names };
  void *lib = dlopen("libbtparse.so.2", RTLD_LAZY | RTLD_NOLOAD);
  if (!lib) return 0;
  int ok = 1;
  for (size_t i = 0; i < N; i++) ok &= (*reals[i] = dlsym(lib, names[i])) != NULL;
  dlclose(lib);
  pr_got_hook hooks[N + NOUT];
  size_t patched[N + NOUT];
  for (size_t i = 0; i < N; i++) hooks[i] = (pr_got_hook){names[i], fns[i]};
  for (size_t i = 0; i < NOUT; i++) hooks[N + i] = (pr_got_hook){out_names[i], out_fns[i]};
  if (!ok || !pr_got_patch("libbtparse.so", hooks, N + NOUT, patched)) return 0;
  for (size_t i = 0; i < N; i++) ok &= patched[i] > 0;
  return ok;
}

/* Install the hooks once; 1 when they are in place. Call under bt_lock. */
static int hooks_ready(void) {
  static int state = -1;
  if (state < 0) state = install_hooks();
  return state;
}

/* ---- per-document setup ---- */

static void reset_btparse(void) {
  static char *months[][2] = {
      {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
      {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
      {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
  if (bt_ready) bt_cleanup();
  arena_free();
  bt_initialize();
  bt_ready = 1;
  zzerr = lexer_error;
  for (size_t i = 0; i < 12; i++) bt_add_macro_text(months[i][0], months[i][1], NULL, 0);
  /* regular entries come raw (bare_words() looks at their macros), then
     are processed with BTO_FULL */
  bt_set_stringopts(BTE_REGULAR, BTO_MINIMAL);
  bt_set_stringopts(BTE_MACRODEF, BTO_MACRO);
  bt_set_stringopts(BTE_PREAMBLE, BTO_FULL);
  bt_set_stringopts(BTE_COMMENT, 0);
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
  if (sink_reports_redefinitions) return 1; /* the sink's warning names both places */
  const char *name = p->msg + sizeof over - 1;
  for (size_t i = 0; i < 12; i++)
    if (strncmp(name, months[i], 3) == 0 && strcmp(name + 3, "\"") == 0) return 1;
  return 0;
}

static void diags_clear(void) {
  for (size_t i = 0; i < diags.n; i++) free(diags.v[i].msg), free(diags.v[i].field);
  diags.n = 0;
}

/* Move btparse's messages to out. For a skipped entry the first error
   says so, and later errors about it (the parser's follow-on complaints
   while it skips to the next @) are left out. */
static int flush_diags(pr_diags *out, const char *file, const char *key, const char *skipped_key,
                       int free_text) {
  int rc = diags.oom ? -1 : 0, skipped = skipped_key != NULL;
  for (size_t i = 0; i < diags.n; i++) {
    pending *p = &diags.v[i];
    if (is_noise(p, free_text)) continue;
    int is_err = p->cls >= BTERR_LEXERR;
    const char *code = p->code ? p->code : is_err ? "syntax-error" : "bibtex-warning";
    if (strncmp(p->msg, "undefined macro", 15) == 0) { /* in an @string: as BibTeX, a warning */
      rc |= pr_diagx(out, PR_WARNING, "undefined-macro", NULL, NULL, file,
                     (unsigned)(p->line > 0 ? p->line : 0),
                     "%s (expands to nothing; define it with @string before its first use, "
                         "or write it in braces)",
                         p->msg);
      continue;
    }
    if (is_err && skipped && !skipped_key) continue;
    if (is_err && skipped_key) {
      rc |= pr_diagx(out, PR_ERROR, code, key, p->field, file,
                     (unsigned)(p->line > 0 ? p->line : 0), "%s (%s skipped)", p->msg,
                     skipped_key);
      skipped_key = NULL;
    } else {
      rc |= pr_diagx(out, is_err ? PR_ERROR : PR_WARNING, code, key, p->field, file,
                     (unsigned)(p->line > 0 ? p->line : 0), "%s", p->msg);
    }
  }
  diags_clear();
  diags.oom = 0;
  return rc;
}

/* A macro defined as one undefined macro has no text, and btparse then
   crashes (strlen(NULL)) when a later value concatenates it: define such
   macros as "" (the undefined macro was reported already). */
static void define_empty_macros(AST *ast) {
  char *name = NULL;
  for (AST *f = NULL; (f = bt_next_field(ast, f, &name));) {
    char *text = NULL;
    bt_next_value(f, NULL, NULL, &text);
    if (!text && name) {
      bt_delete_macro(name);
      bt_add_macro_text(name, "", NULL, 0);
    }
  }
}

static void diags_truncate(size_t n);

/* Hand the sink each macro an @string defined, with the text btparse now
   holds for it (after define_empty_macros). */
static int tell_macros(const pr_read_sink *sink, AST *ast, const char *file) {
  char *name = NULL;
  for (AST *f = NULL; (f = bt_next_field(ast, f, &name));) {
    if (!name) continue;
    char *low = pr_strdup(name);
    if (!low) return -1;
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    size_t before = diags.n;
    const char *text = bt_macro_text(low, NULL, 0);
    diags_truncate(before);
    int rc = text ? sink->macro(sink->macro_ctx, low, text, file, (unsigned)f->line) : 0;
    free(low);
    if (rc) return -1;
  }
  return 0;
}

/* Define the macros the document starts with. */
static void replay_macros(const pr_read_sink *sink) {
  size_t before = diags.n;
  for (size_t i = 0; i < sink->nmacros; i++)
    bt_add_macro_text((char *)sink->macros[i].name, (char *)sink->macros[i].text, NULL, 0);
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
  while (diags.n > n) {
    diags.n--;
    free(diags.v[diags.n].msg);
    free(diags.v[diags.n].field);
  }
}

/* Turn each undefined macro of a raw regular entry into the word as
   written, queueing a warning for each, then process the entry as BTO_FULL
   would have (expand, paste, collapse). */
static void bare_words(AST *ast, const char *key) {
  static const char *const abbr[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
  char *name = NULL;
  for (AST *f = NULL; (f = bt_next_field(ast, f, &name));) {
    bt_nodetype t;
    char *text;
    for (AST *v = NULL; (v = bt_next_value(f, v, &t, &text));) {
      if (t != BTAST_MACRO || !text) continue;
      char *low = pr_strdup(text); /* macros are looked up in lower case */
      if (!low) { diags.oom = 1; continue; }
      for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
      size_t before = diags.n;
      int defined = bt_macro_text(low, NULL, 0) != NULL;
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
  bt_postprocess_entry(ast, BTO_FULL);
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
  char *key = bt_entry_key(ast), *name = NULL, *fk, *ft;
  size_t n = 0;
  for (AST *f = NULL; (f = bt_next_field(ast, f, &name));) n++;
  const char *k = checked(key ? key : "", repair, &fk);
  void *e = sink->begin(sink->ctx, checked(bt_entry_type(ast), repair, &ft), k, file,
                        (unsigned)ast->line, n);
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
  for (AST *f = NULL; !rc && (f = bt_next_field(ast, f, &name));) {
    char *text = NULL, *fn, *fv;
    bt_next_value(f, NULL, NULL, &text);
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
      if (!rep_line) rep_line = (unsigned)f->line, first_line = seen_line[old];
      continue;
    }
    if (nseen < sizeof seen / sizeof *seen) seen_line[nseen] = (unsigned)f->line, seen[nseen++] = interned;
    rc = sink->field(sink->ctx, e, interned, checked(text ? text : "", repair, &fv),
                     (unsigned)f->line);
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

/* btparse reads a FILE: ours reads the document's memory (no copy), and
   gives back the pages behind it. Its locking is off: only the thread
   holding bt_lock uses it (getc's locking costs a quarter of the parse). */
/* ---- the prescan ahead of the parser (pr_bib_set_threads) ----
   normalise() runs on a thread of its own, into findings of its own, and
   tells how far the text is final; the parser's stream reads only that far
   (waiting when it catches up). Its findings are put before the parser's
   afterwards, where the one-thread run has them. */
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
} ahead;

/* Published in steps of 256 KB: a lock per entry would cost more than it gives. */
#define AHEAD_STEP ((size_t)256 << 10)

static void ahead_progress(void *ctx, size_t done) {
  ahead *a = ctx;
  if (done - a->told < AHEAD_STEP) return;
  a->told = done;
  pthread_mutex_lock(&a->mu);
  a->ready = done;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
}

typedef struct stream_src {
  pr_input *in;
  size_t pos;
  ahead *ahead;            /* NULL: the text is final */
} stream_src;

static ssize_t stream_read(void *cookie, char *buf, size_t n) {
  stream_src *s = cookie;
  size_t end = s->in->len;
  if (s->ahead) {
    ahead *a = s->ahead;
    pthread_mutex_lock(&a->mu);
    while (!a->done && a->ready <= s->pos) pthread_cond_wait(&a->cv, &a->mu);
    int stop = a->done && a->rc; /* out of memory: the rest is not checked, not parsed */
    if (!a->done) end = a->ready;
    else s->ahead = NULL;
    pthread_mutex_unlock(&a->mu);
    if (stop) {
      s->pos = s->in->len;
      return 0;
    }
  }
  size_t k = end - s->pos;
  if (k > n) k = n;
  memcpy(buf, s->in->text + s->pos, k);
  s->pos += k;
  if ((s->pos & ((1u << 20) - 1)) < k) pr_input_release(s->in, s->pos); /* each MB */
  return (ssize_t)k;
}

static FILE *open_stream(stream_src *src) {
  cookie_io_functions_t io = {stream_read, NULL, NULL, NULL};
  FILE *f = fopencookie(src, "r", io);
  if (f) __fsetlocking(f, FSETLOCKING_BYCALLER);
  return f;
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
  a->rc = rc;
  a->ready = a->in->len;
  a->done = 1;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
  return NULL;
}

/* Start the prescan of in on a thread: 0, or -1 (then nothing was started). */
static int ahead_start(ahead *a, pthread_t *tid, const pr_read_sink *sink, const char *file,
                       pr_input *in) {
  *a = (ahead){.file = file, .in = in};
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
  free(a->macros);
  return rc;
}

pr_status pr_bt_parse(const pr_read_sink *sink, pr_input *in, const char *file, pr_error *err) {
  const char *name = file;
  pr_diags *out = sink->diags;
  /* the macros are copied while the parser's sink has not changed them yet
     (names only: the prescan needs no more) */
  ahead a;
  pthread_t tid;
  size_t at = out->n;
  int use_ahead = sink->threads != 1 && in->len >= PR_PAR_MIN_BYTES && !out->dedupe &&
                  ahead_start(&a, &tid, sink, file, in) == 0;
  if (!use_ahead && normalise(sink, file, in->text, in->len, NULL, NULL)) goto oom;

  pthread_mutex_lock(&bt_lock);
  if (!hooks_ready()) {
    pthread_mutex_unlock(&bt_lock);
    if (use_ahead) ahead_finish(&a, tid, out, at);
    pr_set_error(err, PR_ERR_INTERNAL, name, 0,
                 "cannot install pubrender's hooks into libbtparse (is it libbtparse.so.2 "
                 "0.89?); refusing to parse rather than let it print or exit");
    return PR_ERR_INTERNAL;
  }
  stream_src src = {in, 0, use_ahead ? &a : NULL};
  FILE *f = open_stream(&src);
  if (!f) {
    pthread_mutex_unlock(&bt_lock);
    if (use_ahead) ahead_finish(&a, tid, out, at);
    pr_set_error(err, PR_ERR_IO, name, 0, "cannot buffer input: %s", strerror(errno));
    return PR_ERR_IO;
  }
  jmp_buf jb;
  volatile int nomem = 0, failed = 0;
  fatal_jmp = &jb;
  sink_reports_redefinitions = sink->macro != NULL;
  if (setjmp(jb) == 0) {
    reset_btparse();
    replay_macros(sink);
    for (;;) {
      boolean ok = TRUE;
      fields_cut = 0;
      unsigned long lexer_errors_before = lexer_errors;
      AST *ast = bt_parse_entry(f, (char *)file, 0, &ok);
      if (!ast) {
        if (flush_diags(out, file, NULL, NULL, 0)) nomem = 1;
        if (feof(f)) break;
        continue;
      }
      bt_metatype mt = bt_entry_metatype(ast);
      char *key = mt == BTE_REGULAR ? bt_entry_key(ast) : NULL;
      if (fields_cut) { /* replaces the syntax error the cut provokes */
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
                 key ? key : bt_entry_type(ast));
        if (key) strcat(label, "'");
      }
      if ((diags.n || diags.oom) &&
          flush_diags(out, file, key, ok ? NULL : label,
                      mt == BTE_COMMENT || (ok && mt == BTE_REGULAR)))
        nomem = 1;
      if (ok && mt == BTE_REGULAR &&
          take_entry(sink, ast, file, lexer_errors != lexer_errors_before))
        nomem = 1;
      if (mt == BTE_MACRODEF) {
        define_empty_macros(ast);
        if (sink->macro && tell_macros(sink, ast, file)) nomem = 1;
      }
      if (mt == BTE_PREAMBLE && ok && sink->preamble) {
        char *text = bt_get_text(ast);
        if (text && sink->preamble(sink->ctx, text, file, (unsigned)ast->line)) nomem = 1;
        free(text);
      }
      bt_free_ast(ast);
      if (nomem) break;
    }
  } else {
    failed = 1;
  }
  fatal_jmp = NULL;
  fclose(f);
  bt_parse_entry(NULL, NULL, 0, NULL);
  if (failed) {
    /* btparse's state after a fatal error is unknown: start afresh. */
    bt_cleanup();
    arena_free();
    bt_ready = 0;
    for (size_t i = 0; i < diags.n; i++)
      if (pr_diagx(out, PR_ERROR, "fatal-parse-error", NULL, NULL, file,
                   (unsigned)(diags.v[i].line > 0 ? diags.v[i].line : 0),
                   "%s (the rest of the document was not read)", diags.v[i].msg))
        nomem = 1;
    diags_clear();
  }
  pthread_mutex_unlock(&bt_lock);
  if (use_ahead && ahead_finish(&a, tid, out, at)) nomem = 1;

  if (nomem) goto oom;
  return PR_OK;
oom:
  pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
  return PR_ERR_NOMEM;
}

unsigned long pr_bt_syntax_errors(void) {
  pthread_mutex_lock(&bt_lock);
  unsigned long n = syntax_errors;
  pthread_mutex_unlock(&bt_lock);
  return n;
}
