/* bib.c - the bibliography object: entries, fields, diagnostics, getters. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "internal.h"
#include "readfile.h"
#include "text.h"

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

/* ---- the bib ---- */

pr_bib *pr_bib_new(void) {
  pr_bib *bib = calloc(1, sizeof(pr_bib));
  if (bib) bib->field_names.borrow = bib->short_values.borrow = bib->keys.borrow = 1;
  return bib;
}

void pr_bib_free(pr_bib *bib) {
  if (!bib) return;
  pr_arena_free(&bib->mem);
  pr_map_free(&bib->field_names);
  pr_map_free(&bib->short_values);
  free(bib->entries);
  for (size_t i = 0; i < bib->ndiags; i++) free(bib->diags[i]);
  free(bib->diags);
  pr_map_free(&bib->diag_seen);
  for (size_t i = 0; i < bib->nfiles; i++) free(bib->files[i]);
  free(bib->files);
  pr_map_free(&bib->keys);
  pr_map_free(&bib->contents);
  free(bib->dups);
  pr_map_free(&bib->unknown_cmds);
  pr_bib_clear_template_files(bib);
  free(bib);
}

static int reserve(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, c * size);
  if (!p) return -1;
  *v = p;
  *cap = c;
  return 0;
}

const char *pr_bib_add_file_name(pr_bib *bib, const char *name) {
  for (size_t i = 0; i < bib->nfiles; i++)
    if (strcmp(bib->files[i], name) == 0) return bib->files[i];
  char **v = realloc(bib->files, (bib->nfiles + 1) * sizeof *v);
  if (!v) return NULL;
  bib->files = v;
  if (!(v[bib->nfiles] = pr_strdup(name))) return NULL;
  return v[bib->nfiles++];
}

/* A diagnostic and its text in one allocation, which never moves: a
   pr_diag pointer stays valid until pr_bib_free(). */
typedef struct diag_block {
  pr_diag d;
  char text[]; /* the message, then the file name when it needed escaping */
} diag_block;

int pr_bib_diagf(pr_bib *bib, pr_severity sev, const char *file, unsigned line,
                 const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  file = file ? file : "";
  /* a message quotes input, and a quote may be cut inside a character;
     then what it quotes is escaped, and so is the file name */
  char *fixed = pr_utf8_repair(msg);
  pr_buf b = {0};
  pr_escape_put(&b, fixed ? fixed : msg);
  free(fixed);
  size_t msg_len = b.len;
  pr_buf_putc(&b, '\0');
  pr_escape_put(&b, file);
  pr_buf_putc(&b, '\0');
  if (b.failed) {
    pr_buf_free(&b);
    return -1;
  }
  const char *efile = b.data + msg_len + 1;
  size_t file_len = strlen(efile);
  int file_escaped = strcmp(efile, file) != 0;
  if (bib->rendering) {
    /* a finding while rendering (a dropped link) is recorded once: a
       second render finds the same ones again */
    pr_buf key = {0};
    pr_buf_printf(&key, "%d:%u\x1f%s\x1f", (int)sev, line, efile);
    pr_buf_put(&key, b.data, msg_len);
    char *k = pr_buf_take(&key);
    int seen = k && pr_map_get(&bib->diag_seen, k, NULL);
    if (!k || (!seen && pr_map_put(&bib->diag_seen, k, 0))) seen = -1;
    free(k);
    if (seen) {
      pr_buf_free(&b);
      return seen < 0 ? -1 : 0;
    }
  }
  diag_block *blk = NULL;
  if (reserve((void **)&bib->diags, &bib->capdiags, bib->ndiags, sizeof *bib->diags) ||
      !(blk = malloc(sizeof *blk + msg_len + 1 + (file_escaped ? file_len + 1 : 0)))) {
    pr_buf_free(&b);
    return -1;
  }
  memcpy(blk->text, b.data, msg_len);
  blk->text[msg_len] = '\0';
  if (file_escaped) memcpy(blk->text + msg_len + 1, efile, file_len + 1);
  pr_buf_free(&b);
  blk->d.severity = sev;
  blk->d.file = file_escaped ? blk->text + msg_len + 1 : file;
  blk->d.line = line;
  blk->d.column = 0;
  blk->d.message = blk->text;
  bib->diags[bib->ndiags++] = &blk->d;
  if (sev == PR_ERROR) bib->nerrors++;
  return 0;
}

int pr_bib_append(pr_bib *bib, pr_entry *e) {
  if (reserve((void **)&bib->entries, &bib->cap, bib->n, sizeof *bib->entries)) return -1;
  e->order = bib->n;
  bib->entries[bib->n++] = e;
  return 0;
}

pr_status pr_bib_set_encoding(pr_bib *bib, pr_encoding enc) {
  if (!bib || (enc != PR_ENCODING_UTF8 && enc != PR_ENCODING_LATIN1)) return PR_ERR_ARG;
  bib->encoding = enc;
  return PR_OK;
}

/* Decode, parse, then resolve what the new entries refer to. Takes in. */
static pr_status add_document(pr_bib *bib, pr_input *in, const char *name, pr_error *err) {
  const char *file = pr_bib_add_file_name(bib, name);
  size_t first = bib->n;
  pr_status st = PR_ERR_NOMEM;
  if (file && pr_decode_input(bib, file, in, bib->encoding) == 0)
    st = pr_bt_parse(bib, in, file, err);
  pr_input_free(in);
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

size_t pr_bib_count(const pr_bib *bib) { return bib ? bib->n : 0; }

const pr_entry *pr_bib_entry(const pr_bib *bib, size_t i) {
  return bib && i < bib->n ? bib->entries[i] : NULL;
}

char *pr_key_fold(const char *key) {
  char *k = pr_strdup(key);
  for (char *p = k; p && *p; p++) *p = (char)tolower((unsigned char)*p);
  return k;
}

const pr_entry *pr_bib_find(const pr_bib *bib, const char *key) {
  if (!bib || !key) return NULL;
  char *k = pr_key_fold(key);
  size_t at;
  int found = k && pr_map_get(&bib->keys, k, &at);
  free(k);
  return found ? (const pr_entry *)at : NULL;
}

size_t pr_bib_diag_count(const pr_bib *bib) { return bib ? bib->ndiags : 0; }
const pr_diag *pr_bib_diag(const pr_bib *bib, size_t i) {
  return bib && i < bib->ndiags ? bib->diags[i] : NULL;
}
size_t pr_bib_error_count(const pr_bib *bib) { return bib ? bib->nerrors : 0; }

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

/* ---- entries ---- */

pr_entry *pr_entry_new(pr_bib *bib, const char *type, const char *key, const char *file,
                       unsigned line, size_t nfields) {
  pr_entry *e = pr_arena_alloc(&bib->mem, sizeof *e);
  if (!e) return NULL;
  memset(e, 0, sizeof *e);
  e->type = pr_arena_strdup(&bib->mem, type);
  e->key = pr_arena_strdup(&bib->mem, key);
  e->file = file;
  e->line = line;
  e->capfields = nfields ? nfields : 4;
  e->fields = pr_arena_alloc(&bib->mem, e->capfields * sizeof *e->fields);
  return e->type && e->key && e->fields ? e : NULL;
}

/* The interned copy of s, in bib's arena (the map borrows it). */
static const char *intern(pr_bib *bib, pr_map *m, const char *s) {
  size_t at;
  if (pr_map_get(m, s, &at)) return (const char *)at;
  char *copy = pr_arena_strdup(&bib->mem, s);
  if (!copy || pr_map_put(m, copy, (size_t)copy)) return NULL;
  return copy;
}

const char *pr_bib_field_name(pr_bib *bib, const char *name) {
  return intern(bib, &bib->field_names, name);
}

int pr_entry_share_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                         unsigned line) {
  if (e->nfields == e->capfields) { /* the old array stays in the arena */
    size_t cap = e->capfields * 2;
    pr_field *v = pr_arena_alloc(&bib->mem, cap * sizeof *v);
    if (!v) return -1;
    memcpy(v, e->fields, e->nfields * sizeof *v);
    e->fields = v;
    e->capfields = cap;
  }
  e->fields[e->nfields++] = (pr_field){name, value, line};
  return 0;
}

int pr_entry_add_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                       unsigned line) {
  /* Short values (venues, publishers, years, months) repeat across a
     bibliography: one copy each (a quarter of the text of real files). */
  const char *v = strlen(value) <= 64 ? intern(bib, &bib->short_values, value)
                                      : pr_arena_strdup(&bib->mem, value);
  return v ? pr_entry_share_field(bib, e, name, v, line) : -1;
}

const pr_field *pr_entry_find_field(const pr_entry *e, const char *name) {
  for (size_t i = 0; e && name && i < e->nfields; i++)
    if (strcmp(e->fields[i].name, name) == 0) return &e->fields[i];
  return NULL;
}

const char *pr_entry_type(const pr_entry *e) { return e ? e->type : NULL; }
const char *pr_entry_key(const pr_entry *e) { return e ? e->key : NULL; }
const char *pr_entry_id(const pr_entry *e) { return e ? (e->id ? e->id : e->key) : NULL; }
const char *pr_entry_file(const pr_entry *e) { return e ? e->file : NULL; }
unsigned pr_entry_line(const pr_entry *e) { return e ? e->line : 0; }
size_t pr_entry_field_count(const pr_entry *e) { return e ? e->nfields : 0; }
const char *pr_entry_field_name(const pr_entry *e, size_t i) {
  return e && i < e->nfields ? e->fields[i].name : NULL;
}
const char *pr_entry_field_value(const pr_entry *e, size_t i) {
  return e && i < e->nfields ? e->fields[i].value : NULL;
}
const char *pr_entry_field(const pr_entry *e, const char *name) {
  const pr_field *f = pr_entry_find_field(e, name);
  return f ? f->value : NULL;
}

char *pr_entry_field_text(const pr_entry *e, const char *name) {
  const char *v = pr_entry_field(e, name);
  if (!v) return NULL;
  char *m = pr_latex_to_marked(v, strlen(v), NULL, NULL);
  if (!m) return NULL;
  char *p = pr_marked_to_plain(m);
  free(m);
  return p;
}

int pr_entry_year(const pr_entry *e) { return e ? e->year : 0; }
int pr_entry_month(const pr_entry *e) { return e ? e->month : 0; }

/* ---- dates ---- */

static int parse_year(const char *s) {
  while (*s && !isdigit((unsigned char)*s)) s++;
  int y = 0, digits = 0;
  while (isdigit((unsigned char)*s) && digits < 6) y = y * 10 + (*s++ - '0'), digits++;
  return digits >= 1 && digits <= 4 ? y : 0;
}

/* A month: a number 1..12 (6, 06) or an English month name or
   abbreviation in any case (June, jun, Sept., sept), braces and spaces
   around it ignored; 0 when it is none. */
static int parse_month(const char *s) {
  static const char *full[] = {"january", "february", "march",     "april",
                               "may",     "june",     "july",      "august",
                               "september", "october", "november", "december"};
  while (*s == ' ' || *s == '{') s++;
  if (isdigit((unsigned char)*s)) {
    int m = atoi(s);
    return m >= 1 && m <= 12 ? m : 0;
  }
  size_t n = 0;
  while (isalpha((unsigned char)s[n])) n++;
  if (n < 3) return 0;
  for (int i = 0; i < 12; i++)
    if (n <= strlen(full[i]) && strncasecmp(s, full[i], n) == 0) return i + 1;
  return 0;
}

void pr_entry_compute_date(pr_entry *e) {
  const char *y = pr_entry_field(e, "year"), *m = pr_entry_field(e, "month");
  const char *d = pr_entry_field(e, "date");
  e->year = y ? parse_year(y) : 0;
  e->month = m ? parse_month(m) : 0;
  if (d && (!e->year || !e->month)) {  /* biblatex date: YYYY[-MM[-DD]][/...] */
    int dy = parse_year(d);
    const char *p = d;
    while (*p == ' ') p++;
    if (!e->year) e->year = dy;
    if (!e->month && strlen(p) >= 7 && p[4] == '-' && dy == e->year) e->month = parse_month(p + 5);
  }
  e->year_word = !e->year && y ? (unsigned char)pr_year_word_kind(y) : 0; /* "Preprint" */
}
