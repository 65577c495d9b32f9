/* error.c - status texts, pr_error, and escaping what messages quote. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

const char *pr_version_string(void) { return PUBRENDER_VERSION_STRING; }

const char *pr_strerror(pr_status code) {
  switch (code) {
  case PR_OK: return "success";
  case PR_ERR_NOMEM: return "out of memory";
  case PR_ERR_IO: return "input/output error";
  case PR_ERR_INPUT: return "input cannot be parsed";
  case PR_ERR_ARG: return "invalid argument";
  case PR_ERR_INTERNAL: return "internal error in the BibTeX backend";
  }
  return "unknown status";
}

void pr_free(void *p) { free(p); }

/* ---- escaping what messages quote ---- */

/* The code point of the UTF-8 sequence at s (*n its length), or -1 when
   the bytes there are not UTF-8 (overlong forms and surrogates too). */
static long utf8_at(const unsigned char *s, size_t *n) {
  unsigned char c = s[0];
  long cp, min;
  size_t len;
  if (c < 0x80) { *n = 1; return c; }
  if (c >= 0xc2 && c <= 0xdf) len = 2, cp = c & 0x1f, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef) len = 3, cp = c & 0x0f, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, cp = c & 0x07, min = 0x10000;
  else return -1;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  *n = len;
  return cp;
}

/* Characters a message must not carry as they are. */
static int needs_escape(long cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
         cp == 0x200f || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape for the character (or bad byte, cp < 0) at s: into out
   (room for 8), its length returned; 0 when it needs none. *n is the
   number of input bytes it stands for. */
static size_t escape_at(const unsigned char *s, size_t *n, char out[8]) {
  long cp = utf8_at(s, n);
  if (cp < 0) {
    *n = 1;
    return (size_t)snprintf(out, 8, "\\x%02x", s[0]);
  }
  if (!needs_escape(cp)) return 0;
  if (cp == '\n') return (size_t)snprintf(out, 8, "\\n");
  if (cp == '\t') return (size_t)snprintf(out, 8, "\\t");
  if (cp == '\r') return (size_t)snprintf(out, 8, "\\r");
  if (cp < 0x80) return (size_t)snprintf(out, 8, "\\x%02lx", cp);
  return (size_t)snprintf(out, 8, "\\u%04lx", cp);
}

void pr_escape_put(pr_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    size_t plain = 0, n;
    char esc[8];
    while (p[plain] >= 0x20 && p[plain] < 0x7f) plain++; /* ASCII text, the usual case */
    pr_buf_put(b, (const char *)p, plain);
    p += plain;
    if (!*p) break;
    size_t k = escape_at(p, &n, esc);
    if (k) pr_buf_put(b, esc, k);
    else pr_buf_put(b, (const char *)p, n);
    p += n;
  }
}

/* A bounded writer into a caller's buffer: what does not fit is left out
   whole (a character or an escape is never cut), and the text is always
   NUL-terminated. */
typedef struct bounded {
  char *buf;
  size_t size, len;
  int full;
} bounded;

static void bput(bounded *w, const char *s, size_t n) {
  if (w->full || n >= w->size - w->len) {
    w->full = 1;
    return;
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
  w->buf[w->len] = '\0';
}

/* s escaped (as pr_escape_put) into w. */
static void bput_escaped(bounded *w, const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p && !w->full) {
    size_t n;
    char esc[8];
    size_t k = escape_at(p, &n, esc);
    if (k) bput(w, esc, k);
    else bput(w, (const char *)p, n);
    p += n;
  }
}

static void bputf(bounded *w, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void bputf(bounded *w, const char *fmt, ...) {
  char tmp[64];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) bput(w, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Replace the NUL-terminated text in field[size] by its escaped form, cut
   to fit (never inside a character or an escape). */
static void escape_field(char *field, size_t size) {
  pr_buf b = {0};
  pr_escape_put(&b, field);
  if (b.failed) { /* out of memory: keep what is safe as it is */
    for (char *p = field; *p; p++)
      if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = '?';
  } else if (b.len) {
    bounded w = {field, size, 0, 0};
    field[0] = '\0';
    bput_escaped(&w, b.data); /* escaped text escapes to itself: this only cuts */
  }
  pr_buf_free(&b);
}

void pr_error_escape(pr_error *err) {
  if (!err) return;
  err->source[sizeof err->source - 1] = '\0';
  err->message[sizeof err->message - 1] = '\0';
  escape_field(err->source, sizeof err->source);
  escape_field(err->message, sizeof err->message);
}

void pr_set_error(pr_error *err, pr_status code, const char *source, unsigned line,
                  const char *fmt, ...) {
  if (!err) return;
  err->code = code;
  err->line = line;
  err->column = 0;
  snprintf(err->source, sizeof err->source, "%s", source ? source : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  pr_error_escape(err);
}

/* "place: severity: message" into buf, every part escaped. */
static char *format_line(char *buf, size_t size, const char *file, unsigned line,
                         unsigned column, const char *sev, const char *message) {
  if (!buf || size == 0) return buf;
  bounded w = {buf, size, 0, 0};
  buf[0] = '\0';
  bput_escaped(&w, file);
  if (line) bputf(&w, ":%u", line);
  if (line && column) bputf(&w, ":%u", column);
  bputf(&w, ": %s: ", sev);
  bput_escaped(&w, message);
  return buf;
}

char *pr_error_format(const pr_error *e, char *buf, size_t size) {
  if (!e) {
    if (buf && size) buf[0] = '\0';
    return buf;
  }
  /* the fields may have been filled without pr_set_error: bounded reads */
  char src[sizeof e->source], msg[sizeof e->message];
  snprintf(src, sizeof src, "%.*s", (int)sizeof e->source - 1, e->source);
  snprintf(msg, sizeof msg, "%.*s", (int)sizeof e->message - 1, e->message);
  return format_line(buf, size, src[0] ? src : "pubrender", e->line, e->column, "error", msg);
}

char *pr_diag_format(const pr_diag *d, char *buf, size_t size) {
  if (!d) {
    if (buf && size) buf[0] = '\0';
    return buf;
  }
  return format_line(buf, size, d->file ? d->file : "", d->line, d->column,
                     d->severity == PR_ERROR ? "error" : "warning",
                     d->message ? d->message : "");
}

char *pr_key_fold(const char *key) {
  char *k = pr_strdup(key);
  for (char *p = k; p && *p; p++) *p = (char)tolower((unsigned char)*p);
  return k;
}

/* ---- pr_error for callers that do not lay the struct out (FFI) ---- */

pr_error *pr_error_new(void) { return calloc(1, sizeof(pr_error)); }
void pr_error_free(pr_error *e) { free(e); }
pr_status pr_error_code(const pr_error *e) { return e ? e->code : PR_OK; }
unsigned pr_error_line(const pr_error *e) { return e ? e->line : 0; }
unsigned pr_error_column(const pr_error *e) { return e ? e->column : 0; }
/* the fields may have been filled by hand without their NUL: read them
   only up to it (pr_error_escape puts one there) */
const char *pr_error_source(const pr_error *e) {
  return e && memchr(e->source, '\0', sizeof e->source) ? e->source : "";
}
const char *pr_error_message(const pr_error *e) {
  return e && memchr(e->message, '\0', sizeof e->message) ? e->message : "";
}
