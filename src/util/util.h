/* util.h - the bottom layer: buffers, arenas, maps, the template value tree
   (val.h), a document's bytes, errors and diagnostics, UTF-8 and URL checks.
   Depends on nothing of pubrender but the public types of pubrender.h. */
#ifndef PR_UTIL_H
#define PR_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "pubrender.h"
#include "util/val.h"

/* ---- growable byte buffer (buf.c) ---- */
typedef struct pr_buf {
  char *data;
  size_t len, cap;
  int failed;            /* an allocation failed (or the sink did): contents are incomplete */
  pr_write_fn sink;      /* NULL, or where pr_buf_drain hands the contents */
  void *sink_ctx;
  int sink_failed;       /* the sink returned non-zero */
} pr_buf;

void pr_buf_put(pr_buf *b, const char *s, size_t n);
void pr_buf_puts(pr_buf *b, const char *s);
void pr_buf_putc(pr_buf *b, char c);
void pr_buf_printf(pr_buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Take the NUL-terminated contents (NULL if an allocation failed); b is reset. */
char *pr_buf_take(pr_buf *b);
void pr_buf_free(pr_buf *b);
/* With a sink: once 64 KB or more are held, hand them to the sink and start
   over, so long output is never held whole. Call only where nothing will
   look back at what was written. Without a sink, nothing happens. */
void pr_buf_drain(pr_buf *b);
/* Hand everything held to the sink. 0, or -1 when the sink failed. */
int pr_buf_flush(pr_buf *b);
char *pr_strdup(const char *s);
char *pr_strndup(const char *s, size_t n);
/* How many '\n' bytes s[0..n) holds. */
size_t pr_count_newlines(const char *s, size_t n);

/* ---- arena (buf.c): many small allocations that are freed together ---- */
typedef struct pr_arena_chunk pr_arena_chunk;
typedef struct pr_arena {
  pr_arena_chunk *head;
} pr_arena;
/* n bytes, 8-byte aligned, uninitialised; NULL when out of memory. */
void *pr_arena_alloc(pr_arena *a, size_t n);
/* A NUL-terminated copy (the empty string is a shared static ""). Arena
   strings are never written to. NULL when out of memory. */
char *pr_arena_strndup(pr_arena *a, const char *s, size_t n);
char *pr_arena_strdup(pr_arena *a, const char *s);
void pr_arena_free(pr_arena *a);
/* Give src's memory to dst (freed with it); src is left empty. */
void pr_arena_take(pr_arena *dst, pr_arena *src);

/* ---- string map (map.c) ---- */
typedef struct pr_map {
  char **keys;
  size_t *vals;
  size_t n, cap;
  int borrow;            /* set before use: keys are the caller's, not copied or freed */
} pr_map;
/* 1 and *val when key is present, else 0. */
int pr_map_get(const pr_map *m, const char *key, size_t *val);
/* Insert or replace (the key is copied unless the map borrows). 0, or -1
   when out of memory. */
int pr_map_put(pr_map *m, const char *key, size_t val);
void pr_map_free(pr_map *m);


/* ---- errors (error.c) ---- */
void pr_set_error(pr_error *err, pr_status code, const char *source, unsigned line,
                  const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Escape, in place, what err's source and message quote from input (file
   names, YAML values, template text): control characters and the
   characters that reorder or break lines become visible escapes (see
   pr_escape_put). pr_set_error does it; call it after filling a pr_error
   another way. */
void pr_error_escape(pr_error *err);
/* Append s to b with C0 controls, DEL and C1 controls (U+0080..U+009F),
   U+2028/U+2029, the bidirectional marks, embeddings, overrides and
   isolates (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069) and bytes
   that are not UTF-8 written as \n, \t, \r, \xHH or \uHHHH: a diagnostic
   is one line on a terminal or in a CI log, whatever its text quotes. */
void pr_escape_put(pr_buf *b, const char *s);
/* A key as BibTeX compares it (ASCII lower case), malloc'd. */
char *pr_key_fold(const char *key);

/* ---- diagnostics (diag.c) ----
   A list of findings. Each pr_diag is allocated once with its text (file
   name, key and field copied) and never moved or changed: a pointer stays
   valid until pr_diags_free. With dedupe set (a report's list), a finding
   already in the list is not added again. */
struct pr_diag {
  pr_severity severity;
  const char *code;                /* static kebab-case string (README: diagnostic codes) */
  const char *file;                /* "" when none */
  const char *key, *field;         /* NULL when none */
  const char *message;
  unsigned line, column;           /* 0 = unknown */
};
typedef struct pr_diags {
  pr_diag **v;
  size_t n, cap, nerrors;
  int dedupe;
  pr_map seen;                     /* with dedupe: the findings added */
} pr_diags;
/* Add a finding: code a static string (never NULL for a new call site),
   the entry key and field name it is about (either may be NULL), message
   formatted printf-style, file may be NULL. Message, file, key and field
   are escaped (pr_escape_put) after invalid UTF-8 is repaired. 0, or -1
   when out of memory. */
int pr_diagx(pr_diags *d, pr_severity sev, const char *code, const char *key, const char *field,
             const char *file, unsigned line, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 8, 9)))
#endif
    ;
/* The same with a column and a va_list. */
int pr_vdiagx(pr_diags *d, pr_severity sev, const char *code, const char *key, const char *field,
              const char *file, unsigned line, unsigned column, const char *fmt, va_list ap);
void pr_diags_free(pr_diags *d);
/* Move the findings src[from..to) to the end of dst, in order, as if
   they had been added to dst (with dst's dedupe, one already in dst is
   dropped). src keeps the others; pr_diags_free it as usual. 0, or -1
   when out of memory. */
int pr_diags_move(pr_diags *dst, pr_diags *src, size_t from, size_t to);
/* Put all of src's findings into dst (which must not dedupe) before its
   finding at, in order; src is left empty. 0, or -1 when out of memory
   (src unchanged). */
int pr_diags_insert(pr_diags *dst, size_t at, pr_diags *src);

/* ---- ordered blocks on threads (par.c) ---- */
#define PR_PAR_MIN_ITEMS PR_PAR_MIN_ENTRIES
#define PR_PAR_MAX_THREADS PR_MAX_THREADS
/* How many workers a render asked for asked threads (pr_options_set_threads:
   0 one per core) uses for n items: 1 means none (render on the caller's
   thread), as for fewer than PR_PAR_MIN_ITEMS items. */
unsigned pr_par_threads(unsigned asked, size_t n);
typedef struct pr_par_job {
  size_t n;                 /* items */
  size_t block;             /* items per block (> 0) */
  unsigned threads;         /* workers (> 0) */
  int dedupe;               /* the blocks' pr_diags dedupe */
  /* On worker t (0..threads-1): items [first, first + count) into out and
     diags (both empty). Only reads what the workers share; 0, or -1 (the
     run stops). */
  int (*work)(void *ctx, unsigned t, size_t first, size_t count, pr_buf *out, pr_diags *diags);
  /* On the calling thread, for every block in order: hand out and diags on
     (pr_diags_move). 0, or -1 (the run stops). */
  int (*emit)(void *ctx, size_t first, size_t count, pr_buf *out, pr_diags *diags);
  void *ctx;
} pr_par_job;
/* Run j: 0, or -1 when a work or emit call failed or no thread could be
   started (before any emit: the caller may then render on its own). Every
   worker has ended when it returns. */
int pr_par_run(const pr_par_job *j);

/* What one or more render calls found (pubrender.h), owned by the caller:
   the render's findings (deduplicated) and the template files read. */
struct pr_report {
  pr_diags diags;
  char **files;
  size_t nfiles;
};
/* Add a template file read (each once). 0, or -1 when out of memory. */
int pr_report_add_file(pr_report *r, const char *path);
/* Free what r holds, leaving it empty (for a report on the stack). */
void pr_report_clear(pr_report *r);

/* ---- UTF-8 (utf8.c) ---- */
/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static inline size_t pr_utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned min;
  if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000;
  else return 0;
  if (n < len) return 0;
  unsigned cp = c & (0xff >> (len + 1));
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

/* Index of the first byte of s[i..len) that is not ASCII, or len. */
static inline size_t pr_skip_ascii(const unsigned char *s, size_t i, size_t len) {
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

/* s with each invalid UTF-8 sequence replaced by U+FFFD, malloc'd; NULL when
   s is valid UTF-8 (nothing to repair) or out of memory. */
char *pr_utf8_repair(const char *s);

/* ---- URLs (url.c) ---- */
/* Does the URL have an allowed scheme (http, https, mailto, or none)? */
int pr_url_is_safe(const char *url);

/* ---- a document's bytes (input.c) ---- */
/* The text of one document in anonymous memory of its own: text[0..len),
   NUL-terminated, writable (the steps before the parser work in place). */
typedef struct pr_input {
  char *text;
  size_t len;
  char *base;                      /* the mapping: base[0..cap) */
  size_t cap;
} pr_input;
/* len bytes of uninitialised text. 0, or -1 when out of memory. */
int pr_input_alloc(pr_input *in, size_t len);
/* A copy of data. 0, or -1 when out of memory. */
int pr_input_from_buffer(pr_input *in, const char *data, size_t len);
/* All of fd (a file: one read of its size; else until EOF), at most max
   bytes. 0, or -1 with errno (EFBIG: more than max); the first failure
   (a read error, no memory) ends it. */
int pr_input_read_fd(pr_input *in, int fd, size_t max);
/* The caller is done with text[from..to): the whole pages inside it are
   given back (a page shared with text outside the range is kept). */
void pr_input_release(pr_input *in, size_t from, size_t to);
void pr_input_free(pr_input *in);

/* ---- GOT patching (got_patch.c) ---- */
typedef struct pr_got_hook {
  const char *name;   /* a symbol the library refers to */
  void (*fn)(void);   /* what its references should point at */
} pr_got_hook;
/* Point the references of the loaded library whose path contains soname
   (and, when base is not 0, which is loaded at base: one copy of several,
   dlmopen) at the hooks; patched[i] counts the slots now pointing at
   hooks[i].fn. Returns 1 if the library is loaded, else 0. */
int pr_got_patch(const char *soname, uintptr_t base, const pr_got_hook *hooks, size_t n,
                 size_t *patched);
/* The same for the library a dlopen or dlmopen handle names (whatever its
   link namespace). */
int pr_got_patch_handle(void *handle, const pr_got_hook *hooks, size_t n, size_t *patched);

#endif
