/* prescan.c - a parser in front of btparse that reads each entry with
   btparse's own lexical rules and grammar, and makes sure btparse only ever
   sees entries it can parse cleanly and cheaply:

   - A syntactically broken entry is reported here and blanked (every byte
     but newlines becomes a space) up to where the next entry starts.
     btparse's own recovery from a syntax error is unsafe: it resets its
     lexer and takes the next '@' anywhere, inside strings too, as the
     start of an entry ("@r"..." then makes it print to stderr and fail
     fatally, losing the rest of the document), and an unterminated string
     swallows every later entry. Here the broken entry ends at its closing
     delimiter or at the next line that starts with "@type{" or "@type(",
     whichever comes first, so the entries after it are read.
   - Macro expansion is bounded before btparse does it (see the limits
     below): an @string whose text would be too long is defined empty and
     refused with an error; an entry using it, or with a field too long, is
     refused with an error naming the field.
   - "@type" followed by a quoted string (anything but @comment) would make
     btparse print and fail fatally: the '@' is blanked, with an error. An
     '@' between entries that starts no entry at all (an e-mail address in
     a comment or front matter) is blanked too, silently: btparse's
     recovery from it would swallow the next entry.
   Everything is done in place, keeping the length and the line breaks, so
   btparse's line numbers stay right. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "read/read.h"

/* ---- limits on macro expansion ----
   btparse expands @string macros while it parses, and joins the '#' parts
   of a value by rescanning the joined text once per part. A chain of
   macros that each double the previous one grows exponentially (28 levels
   in 711 bytes made 268 MB and took 16 s; 60 levels crashed btparse in
   strcat), and many '#' parts are quadratic. Real bibliographies use
   macros for journal names and months, a few dozen bytes per use. */
#define MACRO_TEXT_MAX ((size_t)1 << 20)   /* bytes one value may take from macros: 1 MiB */
#define PASTE_WORK_MAX ((size_t)1 << 28)   /* '#' parts x expanded bytes of one value */
#define BUDGET_MIN ((size_t)16 << 20)       /* macro text of a whole document: 16 MiB, */
#define BUDGET_FACTOR 4                     /* or 4 times the document if that is more */
#define POISONED SIZE_MAX                   /* a macro refused for its size */

/* Characters btparse's lexer takes as part of a name (entry type, key,
   field, macro): ASCII letters, digits and most punctuation, and every
   byte of a multi-byte UTF-8 character. '\' and '\'' are not (btparse
   reports "invalid token" and drops them together with the next byte). */
static int name_char(unsigned char c) {
  return c > ' ' && !strchr("\"#%'(),={}@\\", c) && c != 0x7f;
}

typedef enum tok_kind {
  T_EOF, T_NAME, T_NUMBER, T_STRING, T_EQUALS, T_HASH, T_COMMA, T_CLOSE, T_OPEN, T_BAD,
  T_UNCLOSED /* a string the input ends inside */
} tok_kind;

typedef struct token {
  tok_kind kind;
  size_t start, end;   /* s[start..end) */
} token;

typedef struct scan {
  char *s;
  size_t len, i;
  size_t counted;      /* lines are counted up to here, */
  unsigned line;       /* and this is the line there */
  pr_diags *diags;
  const char *file;
  pr_map macros;       /* lower-case macro name -> expanded length, or POISONED */
  const pr_macro_def *defined; /* macros the document starts with, looked up by */
  const pr_map *defined_index; /* name (when not in macros), or NULL */
  pr_buf name;         /* scratch: a lower-cased name */
  size_t budget, used; /* macro text a document may take, and has taken */
  int nomem;
  /* the entry being read */
  size_t at;           /* its '@' */
  int kind;            /* 'r' regular, 's' @string, 'p' @preamble */
  char close;          /* '}' or ')' */
  token type, key;     /* its type, and its key (kind T_EOF: none yet) */
  int named;           /* labelbuf and keybuf are made (named()) */
  char labelbuf[96];   /* "entry 'key'" or "@type", for messages */
  char keybuf[264];    /* the entry's key (for diagnostics), or "" */
  int refused;         /* a limit refused it: blank it once it is read */
} scan;

/* The line of offset at (offsets asked for only grow, except the start of
   the entry being read, which is never before the last one counted). */
static unsigned line_at(scan *sc, size_t at) {
  if (at < sc->counted) { /* back to the entry's start: count again from it */
    unsigned l = sc->line;
    for (const char *p = sc->s + at, *end = sc->s + sc->counted;
         (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
      l--;
    return l;
  }
  for (const char *p = sc->s + sc->counted, *end = sc->s + at;
       (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    sc->line++;
  sc->counted = at;
  return sc->line;
}

static int cut_utf8(const char *s, size_t n, size_t max, int *more);

/* The entry's label and key, made when a message first needs them (before
   any of its text is blanked). */
static const char *named(scan *sc) {
  if (!sc->named) {
    int more, n = cut_utf8(sc->s + sc->type.start, sc->type.end - sc->type.start, 64, &more);
    snprintf(sc->labelbuf, sizeof sc->labelbuf, "@%.*s", n, sc->s + sc->type.start);
    sc->keybuf[0] = '\0';
    if (sc->key.kind != T_EOF) {
      const char *k = sc->s + sc->key.start;
      size_t kl = sc->key.end - sc->key.start;
      n = cut_utf8(k, kl, 64, &more);
      snprintf(sc->labelbuf, sizeof sc->labelbuf, "entry '%.*s'", n, k);
      n = cut_utf8(k, kl, sizeof sc->keybuf - 1, &more);
      snprintf(sc->keybuf, sizeof sc->keybuf, "%.*s", n, k);
    }
    sc->named = 1;
  }
  return sc->labelbuf;
}

static void report(scan *sc, size_t at, const char *code, const char *field, const char *fmt,
                   ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
static void report(scan *sc, size_t at, const char *code, const char *field, const char *fmt,
                   ...) {
  char msg[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  named(sc);
  if (pr_diagx(sc->diags, PR_ERROR, code, sc->keybuf[0] ? sc->keybuf : NULL, field, sc->file,
               line_at(sc, at), "%s", msg))
    sc->nomem = 1;
}

/* Every byte of s[from..to) but newlines becomes a space. */
static void blank(scan *sc, size_t from, size_t to) {
  for (char *p = sc->s + from, *end = sc->s + to; p < end; p++)
    if (*p != '\n') *p = ' ';
}

/* ---- the lexer, as btparse's inside an entry ---- */

/* Skip a string from its opener at s[i]: {..} balanced, or ".." ending at a
   '"' at brace depth 0 (a '}' too many is btparse's lexical error, not a
   syntax error: it reports it and the depth stays 0). Returns the offset
   after it; *closed is 0 when the input ends first. */
static size_t skip_string(const char *s, size_t i, size_t len, int *closed) {
  size_t depth = 0;
  *closed = 1;
  if (s[i] == '{') {
    for (; (i += strcspn(s + i, "{}")) < len; i++)
      if (s[i] == '{') depth++;
      else if (--depth == 0) return i + 1;
  } else {
    for (i++; (i += strcspn(s + i, "{}\"")) < len; i++) {
      if (s[i] == '{') depth++;
      else if (s[i] == '}') depth -= depth > 0;
      else if (depth == 0) return i + 1;
    }
  }
  *closed = 0;
  return len;
}

/* Past white space and %-comments (a '%' comment needs its newline: at
   the end of the input without one it is a bad token). */
static void skip_blank(scan *sc) {
  const char *s = sc->s;
  size_t len = sc->len, i = sc->i;
  for (;;) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) i++;
    const char *nl = i < len && s[i] == '%' ? memchr(s + i, '\n', len - i) : NULL;
    if (!nl) break;
    i = (size_t)(nl - s) + 1;
  }
  sc->i = i;
}

static token next_token(scan *sc) {
  skip_blank(sc);
  const char *s = sc->s;
  size_t len = sc->len, i = sc->i;
  token t = {T_EOF, i, i};
  if (i >= len) return t;
  unsigned char c = (unsigned char)s[i];
  int closed;
  t.end = i + 1;
  switch (c) {
  case '{': case '"':
    t.end = skip_string(s, i, len, &closed);
    t.kind = closed ? T_STRING : T_UNCLOSED;
    break;
  case '}': case ')': t.kind = T_CLOSE; break;
  case '(': t.kind = T_OPEN; break;
  case '=': t.kind = T_EQUALS; break;
  case '#': t.kind = T_HASH; break;
  case ',': t.kind = T_COMMA; break;
  default:
    if (!name_char(c)) {
      t.kind = T_BAD;
      break;
    }
    while (t.end < len && name_char((unsigned char)s[t.end])) t.end++;
    t.kind = T_NUMBER;
    for (size_t k = i; k < t.end; k++)
      if (!isdigit((unsigned char)s[k])) { t.kind = T_NAME; break; }
  }
  sc->i = t.end;
  return t;
}

/* At most max bytes of s[0..n), not cutting a UTF-8 character; *more is
   set when that is not all of it. */
static int cut_utf8(const char *s, size_t n, size_t max, int *more) {
  *more = n > max;
  if (n > max) {
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80) n--;
  }
  return (int)n;
}

/* A token for a message: "year", "{x}", or the end of the input. */
static const char *describe(const scan *sc, const token *t, char *buf, size_t size) {
  if (t->kind == T_EOF) return "the end of the input";
  int more, n = cut_utf8(sc->s + t->start, t->end - t->start, 40, &more);
  snprintf(buf, size, "\"%.*s%s\"", n, sc->s + t->start, more ? "..." : "");
  return buf;
}

/* The token's text lower-cased in sc->name (NULL when out of memory). */
static const char *lower_name(scan *sc, const token *t) {
  sc->name.len = 0;
  for (size_t k = t->start; k < t->end; k++)
    pr_buf_putc(&sc->name, (char)tolower((unsigned char)sc->s[k]));
  pr_buf_putc(&sc->name, '\0');
  if (sc->name.failed) sc->nomem = 1;
  return sc->name.failed ? NULL : sc->name.data;
}

/* ---- an entry ---- */

/* The offset of the next line, after from, that starts an entry ('@',
   a name and '{' or '(', spaces allowed between), or len. */
static size_t next_entry_line(const scan *sc, size_t from) {
  const char *s = sc->s, *nl;
  size_t len = sc->len;
  while ((nl = memchr(s + from, '\n', len - from)) != NULL) {
    size_t i = (size_t)(nl - s) + 1, at;
    from = i;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i >= len || s[i] != '@') continue;
    at = i++;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    size_t name = i;
    while (i < len && name_char((unsigned char)s[i])) i++;
    if (i == name) continue;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    if (i < len && (s[i] == '{' || s[i] == '(')) return at;
  }
  return len;
}

/* A syntax error at token bad: report it, then blank the entry from its
   '@' to its end (its closing delimiter, or the next line that starts an
   entry, whichever comes first), and go on after it. */
static void broken(scan *sc, token bad, const char *expected) {
  char found[64];
  if (bad.kind == T_UNCLOSED)
    report(sc, bad.start, "unclosed-string", NULL, "this %s string is never closed (%s skipped)",
           sc->s[bad.start] == '"' ? "\"...\"" : sc->s[bad.start] == '(' ? "(...)" : "{...}",
           named(sc));
  else
    report(sc, bad.start, "syntax-error", NULL, "found %s, expected %s (%s skipped)", describe(sc, &bad, found, sizeof found),
           expected, named(sc));
  size_t end = bad.end;
  for (token t = bad; t.kind != T_CLOSE; t = next_token(sc)) {
    if (t.kind == T_EOF || t.kind == T_UNCLOSED) { end = sc->len; break; }
    end = t.end;
  }
  size_t next = next_entry_line(sc, sc->at);
  if (next < end) end = next;
  blank(sc, sc->at, end);
  sc->i = end;
}

/* What a value is made of, for the limits. */
typedef struct value_info {
  size_t start, end;       /* its text */
  size_t parts;            /* simple values joined by '#' */
  size_t literal;          /* bytes of strings and numbers (an upper bound) */
  size_t from_macros;      /* bytes of the macros it uses */
  char poisoned[72];       /* a refused macro it uses, or "" */
} value_info;

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX / 4 - b ? SIZE_MAX / 4 : a + b; }

static int simple_value(tok_kind k) { return k == T_STRING || k == T_NUMBER || k == T_NAME; }

/* Read a value whose first token is t; returns the token after it, or the
   bad one with *ok = 0. */
static token read_value(scan *sc, token t, value_info *v, int *ok) {
  memset(v, 0, sizeof *v);
  v->start = t.start;
  for (;;) {
    if (!simple_value(t.kind)) {
      *ok = 0;
      return t;
    }
    v->parts++;
    v->end = t.end;
    if (t.kind == T_STRING) v->literal = add_sat(v->literal, t.end - t.start - 2);
    else if (t.kind == T_NUMBER) v->literal = add_sat(v->literal, t.end - t.start);
    else {
      size_t n = 0;
      const char *name = lower_name(sc, &t);
      size_t at;
      if (name && !pr_map_get(&sc->macros, name, &n) && sc->defined_index &&
          pr_map_get(sc->defined_index, name, &at))
        n = sc->defined[at].len;
      if (name && n == POISONED) {
        if (!v->poisoned[0]) snprintf(v->poisoned, sizeof v->poisoned, "%.64s", name);
        n = 0;
      }
      v->from_macros = add_sat(v->from_macros, n);
    }
    token next = next_token(sc);
    if (next.kind != T_HASH) {
      *ok = 1;
      return next;
    }
    t = next_token(sc);
  }
}

/* What is wrong with a value's size, or NULL. */
static const char *too_big(const scan *sc, const value_info *v, char *buf, size_t size) {
  size_t total = add_sat(v->literal, v->from_macros);
  if (v->poisoned[0])
    snprintf(buf, size, "uses macro '%s', which was refused for its size", v->poisoned);
  else if (v->from_macros > MACRO_TEXT_MAX)
    snprintf(buf, size, "would take %zu bytes from macros (pubrender's limit is %zu, 1 MiB)",
             v->from_macros, MACRO_TEXT_MAX);
  else if (v->parts > 1 && total > 0 && v->parts > PASTE_WORK_MAX / total)
    snprintf(buf, size, "joins %zu '#' parts into %zu bytes (pubrender's limit is %zu for parts "
             "times bytes)", v->parts, total, PASTE_WORK_MAX);
  else if (v->from_macros > sc->budget - sc->used)
    snprintf(buf, size, "would take the document's text from macros past %zu bytes (pubrender's "
             "limit: 16 MiB, or %d times the document's size if that is more)", sc->budget,
             BUDGET_FACTOR);
  else
    return NULL;
  return buf;
}

/* Check a value against the limits: a macro over them is defined empty
   (its value rewritten to {}) and remembered as refused; an entry with a
   field over them, or using a refused macro, is refused. */
static void check_value(scan *sc, token name, const value_info *v) {
  char why[300], nm[72];
  int more, n = cut_utf8(sc->s + name.start, name.end - name.start, 64, &more);
  snprintf(nm, sizeof nm, "%.*s", n, sc->s + name.start);
  char lower[72]; /* the field as pr_diag_field gives it: lower case */
  for (size_t k = 0; k < sizeof lower; k++)
    if (!(lower[k] = (char)tolower((unsigned char)nm[k]))) break;
  const char *problem = too_big(sc, v, why, sizeof why);
  const char *key = sc->kind == 's' ? lower_name(sc, &name) : NULL;
  if (!problem) {
    sc->used += v->from_macros;
    if (key && pr_map_put(&sc->macros, key, add_sat(v->literal, v->from_macros))) sc->nomem = 1;
    return;
  }
  if (sc->kind != 's') {
    if (!sc->refused)
      report(sc, name.start, "value-too-large", sc->kind == 'p' ? NULL : lower, "%s%s%s %s (%s skipped)", sc->kind == 'p' ? "the value" : "field '",
             sc->kind == 'p' ? "" : nm, sc->kind == 'p' ? "" : "'", problem, named(sc));
    sc->refused = 1;
    return;
  }
  if (key && pr_map_put(&sc->macros, key, POISONED)) sc->nomem = 1;
  if (!v->poisoned[0])
    report(sc, name.start, "macro-too-large", NULL, "@string '%s' %s: it is defined empty, and every entry using it is "
           "skipped", nm, problem);
  blank(sc, v->start, v->end);
  if (v->end - v->start >= 2) memcpy(sc->s + v->start, "{}", 2);
  else sc->s[v->start] = '0';
}

/* The fields of a regular entry or an @string, up to the closing
   delimiter. 0 when the entry is broken (handled). */
static int read_fields(scan *sc) {
  const char *what = sc->kind == 's' ? "a macro name" : "a field name";
  char expected[160];
  token t = next_token(sc);
  for (unsigned nfields = 0; t.kind != T_CLOSE; nfields++) {
    if (nfields == PR_MAX_FIELDS && !sc->refused) {
      report(sc, sc->at, "too-many-fields", NULL, "too many fields (pubrender reads at most %d) (%s skipped)", PR_MAX_FIELDS,
             named(sc));
      sc->refused = 1;
    }
    if (t.kind != T_NAME) {
      snprintf(expected, sizeof expected, "%s or \"%c\"", what, sc->close);
      broken(sc, t, expected);
      return 0;
    }
    token name = t;
    char nm[72];
    int more, n = cut_utf8(sc->s + name.start, name.end - name.start, 64, &more);
    snprintf(nm, sizeof nm, "%.*s", n, sc->s + name.start);
    t = next_token(sc);
    if (t.kind != T_EQUALS) {
      snprintf(expected, sizeof expected, "\"=\" after '%s'", nm);
      broken(sc, t, expected);
      return 0;
    }
    value_info v;
    int ok;
    t = read_value(sc, next_token(sc), &v, &ok);
    if (!ok) {
      snprintf(expected, sizeof expected, "a value for '%s' ({...}, \"...\", a number or a macro)",
               nm);
      broken(sc, t, expected);
      return 0;
    }
    check_value(sc, name, &v);
    if (t.kind == T_COMMA) t = next_token(sc);
    else if (t.kind != T_CLOSE) {
      snprintf(expected, sizeof expected, "\",\" or \"%c\" after the value of '%s'", sc->close, nm);
      broken(sc, t, expected);
      return 0;
    }
  }
  return 1;
}

/* The body of @comment, a {...} or (...) string, from its opener. */
static int read_comment(scan *sc) {
  const char *s = sc->s;
  size_t i = sc->i, len = sc->len;
  int closed = 1;
  if (s[i] == '{') {
    i = skip_string(s, i, len, &closed);
  } else {
    size_t depth = 0;
    for (; i < len; i++)
      if (s[i] == '(') depth++;
      else if (s[i] == ')' && --depth == 0) break;
    closed = i < len;
    i += closed;
  }
  if (closed) {
    sc->i = i;
    return 'c';
  }
  broken(sc, (token){T_UNCLOSED, sc->i, len}, "");
  return 0;
}

/* An entry from its '@' (at sc->i): its kind ('r', 's', 'p' or 'c') when
   it is read whole and left as it is, else 0. */
static int read_entry(scan *sc) {
  size_t at = sc->i;
  sc->at = at;
  sc->i++;
  sc->refused = 0;
  token type = next_token(sc);
  skip_blank(sc);
  char c = sc->i < sc->len ? sc->s[sc->i] : '\0';
  if (type.kind != T_NAME || (c != '{' && c != '(' && c != '"')) {
    /* "me@example.org" in text between entries: not an entry, but
       btparse would take it for one and, recovering, swallow the next
       entry. Text outside entries is a comment: blank the '@'. */
    sc->s[at] = ' ';
    sc->i = at + 1;
    return 0;
  }
  size_t tl = type.end - type.start;
  const char *tn = sc->s + type.start;
  sc->type = type;
  sc->key.kind = T_EOF;
  sc->named = 0;
  if (tl == 7 && strncasecmp(tn, "comment", 7) == 0) {
    if (c != '"') return read_comment(sc); /* @comment"..." is a lexical error btparse survives */
    return 0;
  }
  if (c == '"') {
    sc->s[at] = ' ';
    report(sc, at, "syntax-error", NULL, "'%s' must be followed by '{' or '(', not a quoted string (entry skipped)",
           named(sc));
    return 0;
  }
  sc->kind = tl == 6 && strncasecmp(tn, "string", 6) == 0     ? 's'
             : tl == 8 && strncasecmp(tn, "preamble", 8) == 0 ? 'p'
                                                                : 'r';
  sc->close = c == '{' ? '}' : ')';
  sc->i++;
  if (sc->kind == 'r') {
    token key = next_token(sc);
    if (key.kind != T_NAME && key.kind != T_NUMBER) {
      broken(sc, key, "the entry's key");
      return 0;
    }
    sc->key = key;
    sc->named = 0;
    token comma = next_token(sc);
    if (comma.kind != T_COMMA) {
      broken(sc, comma, "\",\"");
      return 0;
    }
  }
  if (sc->kind == 'p') {
    value_info v;
    int ok;
    token t = read_value(sc, next_token(sc), &v, &ok);
    if (!ok || t.kind != T_CLOSE) {
      char expected[80];
      snprintf(expected, sizeof expected, ok ? "\"%c\"" : "a value", sc->close);
      broken(sc, t, expected);
      return 0;
    }
    check_value(sc, type, &v);
  } else if (!read_fields(sc)) {
    return 0;
  }
  if (sc->refused) {
    blank(sc, at, sc->i);
    return 0;
  }
  return sc->kind;
}

int pr_prescan(pr_diags *diags, const char *file, char *s, size_t len) {
  return pr_prescan_with(diags, file, s, len, NULL, 0, NULL);
}

int pr_prescan_with(pr_diags *diags, const char *file, char *s, size_t len,
                    const pr_macro_def *defined, size_t ndefined, const pr_map *index) {
  return pr_prescan_progress(diags, file, s, len, defined, ndefined, index, NULL, NULL);
}

int pr_prescan_progress(pr_diags *diags, const char *file, char *s, size_t len,
                        const pr_macro_def *defined, size_t ndefined, const pr_map *index,
                        pr_prescan_progress_fn progress, void *ctx) {
  static const char *const months[][2] = {
      {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
      {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
      {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
  scan sc = {0};
  sc.s = s;
  sc.len = len;
  sc.line = 1;
  sc.diags = diags;
  sc.file = file;
  sc.budget = len > BUDGET_MIN / BUDGET_FACTOR ? len * BUDGET_FACTOR : BUDGET_MIN;
  if (len > SIZE_MAX / 8) sc.budget = SIZE_MAX / 8;
  for (size_t m = 0; m < 12 && !sc.nomem; m++)
    if (pr_map_put(&sc.macros, months[m][0], strlen(months[m][1]))) sc.nomem = 1;
  if (index) {
    sc.defined = defined;
    sc.defined_index = index;
  } else {
    for (size_t m = 0; m < ndefined && !sc.nomem; m++)
      if (pr_map_put(&sc.macros, defined[m].name, defined[m].len)) sc.nomem = 1;
  }
  while (sc.i < len && !sc.nomem) {
    /* top level: '@' starts an entry; a '%' that starts a word comments
       out the rest of the line (one inside a word does not); the rest is
       skipped a word at a time */
    char c = s[sc.i];
    size_t start = sc.i;
    int kind = 0;
    if (c == '@') {
      kind = read_entry(&sc);
    } else if (c == ' ' || c == '\t' || c == '\n') {
      sc.i++;
      kind = ' ';
    } else {
      const char *nl = c == '%' ? memchr(s + sc.i, '\n', len - sc.i) : NULL;
      sc.i = nl ? (size_t)(nl - s) + 1 : sc.i + 1 + strcspn(s + sc.i + 1, " \t\n@");
    }
    if (progress) progress(ctx, start, sc.i, kind);
  }
  pr_map_free(&sc.macros);
  pr_buf_free(&sc.name);
  return sc.nomem ? -1 : 0;
}
