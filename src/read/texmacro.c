/* texmacro.c - macros an @preamble defines (\def, \newcommand and its
 * kin), read from its text and expanded in a field's LaTeX (read.h).
 *
 * Pure text work. Reading: one pass over the preamble, each definition
 * recognised by its command; what cannot be read is reported. Expanding:
 * passes over the text, each replacing every defined command (with its
 * arguments) by its body, until a pass replaces nothing. Bounded: at most
 * PR_TEXMACRO_PASSES passes and an output of at most a fixed multiple of
 * the input, so a recursive or exponential definition ends in
 * PR_TEXMACRO_LIMIT, never a hang.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "read/read.h"

typedef struct macro {
  char *name;    /* without the backslash */
  char *body;
  char *opt;     /* the default of an optional first argument, or NULL */
  unsigned nargs;
  bool provide;  /* \providecommand: only where nothing else defines it */
} macro;

struct pr_texmacros {
  macro *v;
  size_t n, cap;
};

pr_texmacros *pr_texmacros_new(void) { return calloc(1, sizeof(pr_texmacros)); }

void pr_texmacros_free(pr_texmacros *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n; i++) free(m->v[i].name), free(m->v[i].body), free(m->v[i].opt);
  free(m->v);
  free(m);
}

size_t pr_texmacros_count(const pr_texmacros *m) { return m ? m->n : 0; }

static bool alpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static size_t skip_ws(const char *s, size_t n, size_t p) {
  while (p < n && ws((unsigned char)s[p])) p++;
  return p;
}


/* Index of the ']' closing the '[' at s[p] (outside braces), or n. */
static size_t opt_end(const char *s, size_t n, size_t p) {
  size_t depth = 0;
  for (p++; p < n; p++) {
    if (s[p] == '\\') p++;
    else if (s[p] == '{') depth++;
    else if (s[p] == '}' && depth) depth--;
    else if (s[p] == ']' && !depth) return p;
  }
  return n;
}

/* The control sequence at s[p] ('\\'): its name's length (a control word's
   letters, or one byte), 0 when none. */
static size_t cs_len(const char *s, size_t n, size_t p) {
  if (p + 1 >= n || s[p] != '\\') return 0;
  size_t e = p + 1;
  if (!alpha((unsigned char)s[e])) return 1;
  while (e < n && alpha((unsigned char)s[e])) e++;
  return e - p - 1;
}

static void warnf(pr_texmacro_warn_fn warn, void *ctx, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warnf(pr_texmacro_warn_fn warn, void *ctx, const char *fmt, ...) {
  if (!warn) return;
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  warn(ctx, msg);
}

static int add(pr_texmacros *m, const char *name, size_t nlen, const char *body, size_t blen,
               unsigned nargs, const char *opt, size_t olen, bool has_opt, bool provide) {
  if (provide)
    for (size_t i = 0; i < m->n; i++)
      if (strlen(m->v[i].name) == nlen && memcmp(m->v[i].name, name, nlen) == 0) return 0;
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 8;
    macro *v = realloc(m->v, cap * sizeof *v);
    if (!v) return -1;
    m->v = v;
    m->cap = cap;
  }
  macro d = {pr_strndup(name, nlen), pr_strndup(body, blen),
             has_opt ? pr_strndup(opt, olen) : NULL, nargs, provide};
  if (!d.name || !d.body || (has_opt && !d.opt)) {
    free(d.name), free(d.body), free(d.opt);
    return -1;
  }
  m->v[m->n++] = d;
  return 0;
}

/* \def\name<params>{body} after the \def at p (its name's end). The
   parameters must be #1#2... in order; anything else (delimited ones) is
   reported and the definition skipped. Returns where reading goes on. */
static size_t read_def(pr_texmacros *m, const char *s, size_t n, size_t p, const char *cmd,
                       pr_texmacro_warn_fn warn, void *ctx, int *oom) {
  p = skip_ws(s, n, p);
  size_t nl = cs_len(s, n, p);
  if (!nl) {
    warnf(warn, ctx, "\\%s not followed by a command name: not read", cmd);
    return p;
  }
  const char *name = s + p + 1;
  p += 1 + nl;
  unsigned nargs = 0;
  bool simple = true;
  size_t a = p;
  while (p < n && s[p] != '{') {
    if (s[p] == '#' && p + 1 < n && s[p + 1] == (char)('1' + nargs) && nargs < 9) {
      nargs++;
      p += 2;
    } else {
      simple = false;
      p++;
    }
  }
  if (p >= n) {
    warnf(warn, ctx, "\\%s\\%.*s has no {body}: not read", cmd, (int)nl, name);
    return n;
  }
  size_t e = pr_tex_group_end(s, n, p);
  if (!simple) {
    warnf(warn, ctx,
          "\\%s\\%.*s%.*s has delimited parameters, which pubrender does not read: not "
          "expanded",
          cmd, (int)nl, name, (int)(p - a > 40 ? 40 : p - a), s + a);
  } else if (e < n && add(m, name, nl, s + p + 1, e - p - 1, nargs, NULL, 0, false, false)) {
    *oom = 1;
  }
  if (e >= n) warnf(warn, ctx, "\\%s\\%.*s: its {body} is not closed: not read", cmd, (int)nl, name);
  return e < n ? e + 1 : n;
}

/* \newcommand*{\name}[n][default]{body} (also \renewcommand,
   \providecommand, \DeclareRobustCommand) after the command at p. */
static size_t read_newcommand(pr_texmacros *m, const char *s, size_t n, size_t p, const char *cmd,
                              bool provide, pr_texmacro_warn_fn warn, void *ctx, int *oom) {
  p = skip_ws(s, n, p);
  if (p < n && s[p] == '*') p = skip_ws(s, n, p + 1);
  size_t nl, at;
  if (p < n && s[p] == '{') {
    at = skip_ws(s, n, p + 1);
    nl = cs_len(s, n, at);
    size_t close = nl ? skip_ws(s, n, at + 1 + nl) : n;
    if (!nl || close >= n || s[close] != '}') {
      warnf(warn, ctx, "\\%s not followed by {\\name}: not read", cmd);
      return p + 1;
    }
    p = close + 1;
  } else {
    at = p;
    nl = cs_len(s, n, at);
    if (!nl) {
      warnf(warn, ctx, "\\%s not followed by a command name: not read", cmd);
      return p;
    }
    p = at + 1 + nl;
  }
  const char *name = s + at + 1;
  unsigned nargs = 0;
  const char *opt = NULL;
  size_t olen = 0;
  bool has_opt = false;
  p = skip_ws(s, n, p);
  if (p < n && s[p] == '[') {
    size_t e = opt_end(s, n, p), d = skip_ws(s, n, p + 1);
    if (e >= n || d + 1 != e || s[d] < '0' || s[d] > '9') {
      warnf(warn, ctx, "\\%s{\\%.*s}: its [number of arguments] is not a digit: not read", cmd,
            (int)nl, name);
      return e < n ? e + 1 : n;
    }
    nargs = (unsigned)(s[d] - '0');
    p = skip_ws(s, n, e + 1);
    if (p < n && s[p] == '[') {
      e = opt_end(s, n, p);
      if (e >= n) {
        warnf(warn, ctx, "\\%s{\\%.*s}: its [default] is not closed: not read", cmd, (int)nl, name);
        return n;
      }
      has_opt = nargs > 0;
      opt = s + p + 1;
      olen = e - p - 1;
      p = skip_ws(s, n, e + 1);
    }
  }
  if (p >= n || s[p] != '{') {
    warnf(warn, ctx, "\\%s{\\%.*s} has no {body}: not read", cmd, (int)nl, name);
    return p;
  }
  size_t e = pr_tex_group_end(s, n, p);
  if (e >= n) {
    warnf(warn, ctx, "\\%s{\\%.*s}: its {body} is not closed: not read", cmd, (int)nl, name);
    return n;
  }
  if (add(m, name, nl, s + p + 1, e - p - 1, nargs, opt, olen, has_opt, provide)) *oom = 1;
  return e + 1;
}

static bool is(const char *s, size_t n, const char *word) {
  return strlen(word) == n && memcmp(s, word, n) == 0;
}

int pr_texmacros_parse(pr_texmacros *m, const char *s, size_t n, pr_texmacro_warn_fn warn,
                       void *ctx) {
  static const char *const unread[] = {"let", "futurelet", "catcode", "chardef",
                                       "mathchardef", "countdef", "csname", "DeclareTextCommand",
                                       "DeclareTextSymbol", "newenvironment", "renewenvironment"};
  int oom = 0;
  for (size_t p = 0; p < n && !oom;) {
    size_t nl = cs_len(s, n, p);
    if (!nl) { p++; continue; }
    const char *w = s + p + 1;
    size_t after = p + 1 + nl;
    char cmd[32];
    snprintf(cmd, sizeof cmd, "%.*s", (int)(nl < 31 ? nl : 31), w);
    if (is(w, nl, "def") || is(w, nl, "gdef") || is(w, nl, "edef") || is(w, nl, "xdef")) {
      p = read_def(m, s, n, after, cmd, warn, ctx, &oom); /* \long before it: skipped */
    } else if (is(w, nl, "newcommand") || is(w, nl, "renewcommand") ||
               is(w, nl, "DeclareRobustCommand")) {
      p = read_newcommand(m, s, n, after, cmd, false, warn, ctx, &oom);
    } else if (is(w, nl, "providecommand")) {
      p = read_newcommand(m, s, n, after, cmd, true, warn, ctx, &oom);
    } else {
      for (size_t i = 0; i < sizeof unread / sizeof *unread; i++)
        if (is(w, nl, unread[i])) {
          size_t q = skip_ws(s, n, after), ql = cs_len(s, n, q);
          warnf(warn, ctx, "\\%s%s%.*s is not read (pubrender reads \\def, \\newcommand, "
                "\\renewcommand, \\providecommand and \\DeclareRobustCommand)",
                cmd, ql ? "\\" : "", (int)(ql > 40 ? 40 : ql), s + q + 1);
          break;
        }
      p = after;
    }
  }
  return oom ? -1 : 0;
}

/* ---- expansion ---- */

/* The definition of name[0..nl) the sets give: the last set's last
   definition that is not a \providecommand, else the last one. */
static const macro *find(const pr_texmacros *const *sets, size_t nsets, const char *name,
                         size_t nl) {
  const macro *provided = NULL;
  for (size_t k = nsets; k-- > 0;) {
    const pr_texmacros *m = sets[k];
    for (size_t i = m ? m->n : 0; i-- > 0;) {
      const macro *d = &m->v[i];
      if (strlen(d->name) != nl || memcmp(d->name, name, nl) != 0) continue;
      if (!d->provide) return d;
      if (!provided) provided = d;
    }
  }
  return provided;
}

typedef struct {
  char *b;
  size_t len, cap, max;
  bool over, oom;
} obuf;

static void put(obuf *o, const char *s, size_t n) {
  if (o->over || o->oom) return;
  if (n > o->max - o->len) { o->over = true; return; }
  if (o->len + n + 1 > o->cap) {
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + n + 1) cap *= 2;
    char *b = realloc(o->b, cap);
    if (!b) { o->oom = true; return; }
    o->b = b;
    o->cap = cap;
  }
  memcpy(o->b + o->len, s, n);
  o->len += n;
}

/* 1 when the output ends with a control word (\abc): a letter after it
   would lengthen its name. */
static bool ends_in_word(const obuf *o) {
  size_t i = o->len;
  while (i > 0 && alpha((unsigned char)o->b[i - 1])) i--;
  if (i == o->len || i == 0 || o->b[i - 1] != '\\') return false;
  size_t bs = 0; /* an even run of backslashes before the letters is \\ + text */
  while (i > bs && o->b[i - 1 - bs] == '\\') bs++;
  return bs % 2 == 1;
}

typedef struct { const char *s; size_t n; } span;

/* One argument at s[*p]: {group} (its contents), a control sequence, or
   one character (UTF-8 sequence); empty at the end. */
static span arg_at(const char *s, size_t n, size_t *p) {
  size_t q = skip_ws(s, n, *p);
  span a = {s + q, 0};
  if (q >= n) { *p = q; return a; }
  if (s[q] == '{') {
    size_t e = pr_tex_group_end(s, n, q);
    a.s = s + q + 1;
    a.n = (e < n ? e : n) - q - 1;
    *p = e < n ? e + 1 : n;
  } else if (s[q] == '\\' && cs_len(s, n, q)) {
    a.n = 1 + cs_len(s, n, q);
    *p = q + a.n;
  } else {
    size_t e = q + 1;
    while (e < n && ((unsigned char)s[e] & 0xC0) == 0x80) e++;
    a.n = e - q;
    *p = e;
  }
  return a;
}

/* One pass: every defined command replaced. Returns the replacements made. */
static size_t pass(const pr_texmacros *const *sets, size_t nsets, const char *s, size_t n,
                   obuf *o) {
  size_t count = 0;
  for (size_t i = 0; i < n && !o->over && !o->oom;) {
    size_t nl = cs_len(s, n, i);
    if (!nl) {
      size_t j = i + 1;
      while (j < n && s[j] != '\\') j++;
      put(o, s + i, j - i);
      i = j;
      continue;
    }
    const char *name = s + i + 1;
    size_t p = i + 1 + nl;
    const macro *d = find(sets, nsets, name, nl);
    if (!d) {
      put(o, s + i, p - i);
      i = p;
      /* a URL is read verbatim: no macro is expanded in it */
      if ((nl == 3 && memcmp(name, "url", 3) == 0) || (nl == 4 && memcmp(name, "href", 4) == 0)) {
        size_t q = skip_ws(s, n, i);
        if (q < n && s[q] == '{') {
          size_t e = pr_tex_group_end(s, n, q);
          e = e < n ? e + 1 : n;
          put(o, s + i, e - i);
          i = e;
        }
      }
      continue;
    }
    count++;
    bool word = alpha((unsigned char)name[0]);
    if (word) p = skip_ws(s, n, p);
    span args[9];
    for (unsigned k = 0; k < d->nargs; k++) {
      if (k == 0 && d->opt) {
        if (p < n && s[p] == '[') {
          size_t e = opt_end(s, n, p);
          args[0] = (span){s + p + 1, (e < n ? e : n) - p - 1};
          /* TeX strips the braces around a whole delimited argument */
          if (args[0].n >= 2 && args[0].s[0] == '{' &&
              pr_tex_group_end(args[0].s, args[0].n, 0) == args[0].n - 1)
            args[0] = (span){args[0].s + 1, args[0].n - 2};
          p = e < n ? e + 1 : n;
        } else {
          args[0] = (span){d->opt, strlen(d->opt)};
        }
        continue;
      }
      args[k] = arg_at(s, n, &p);
    }
    for (const char *b = d->body; *b && !o->over && !o->oom;) {
      if (b[0] == '#' && b[1] == '#') {
        put(o, "#", 1);
        b += 2;
      } else if (b[0] == '#' && b[1] >= '1' && b[1] <= '9' && (unsigned)(b[1] - '1') < d->nargs) {
        span a = args[b[1] - '1'];
        if (a.n && alpha((unsigned char)a.s[0]) && ends_in_word(o)) put(o, "{}", 2);
        put(o, a.s, a.n);
        b += 2;
        if (alpha((unsigned char)*b) && ends_in_word(o)) put(o, "{}", 2);
      } else {
        const char *e = b + 1;
        while (*e && *e != '#') e++;
        put(o, b, (size_t)(e - b));
        b = e;
      }
    }
    if (p < n && alpha((unsigned char)s[p]) && ends_in_word(o)) put(o, "{}", 2);
    i = p;
  }
  return count;
}

pr_texmacro_result pr_texmacros_expand(const pr_texmacros *const *sets, size_t nsets,
                                       const char *s, size_t n, char **out) {
  *out = NULL;
  size_t defined = 0;
  for (size_t k = 0; k < nsets; k++) defined += pr_texmacros_count(sets[k]);
  if (!defined || !memchr(s, '\\', n)) return PR_TEXMACRO_SAME;
  size_t max = n < (PR_TEXMACRO_MAX_OUT - 65536) / 16 ? 16 * n + 65536 : PR_TEXMACRO_MAX_OUT;
  char *cur = NULL;
  const char *in = s;
  size_t len = n;
  for (unsigned k = 0;; k++) {
    obuf o = {NULL, 0, 0, max, false, false};
    size_t count = pass(sets, nsets, in, len, &o);
    if (o.oom || o.over || (count && k + 1 >= PR_TEXMACRO_PASSES)) {
      free(o.b);
      free(cur);
      return o.oom ? PR_TEXMACRO_NOMEM : PR_TEXMACRO_LIMIT;
    }
    if (!count) {
      free(o.b);
      break;
    }
    put(&o, "", 0); /* allocates when the expansion is empty */
    if (o.oom) {
      free(cur);
      return PR_TEXMACRO_NOMEM;
    }
    o.b[o.len] = '\0';
    free(cur);
    cur = o.b;
    in = cur;
    len = o.len;
  }
  if (!cur) return PR_TEXMACRO_SAME;
  *out = cur;
  return PR_TEXMACRO_EXPANDED;
}
