/* mustache.c - Mustache templates (render.h): a one-pass compiler from
   template text to a flat list of instructions per template body (the main
   template and each partial, compiled once and referred to by index, so
   recursive partials work), and a renderer over pr_val data (val.h).

   Compiling uses no recursion (open sections are an explicit stack);
   rendering recurses once per section or partial being rendered, at most
   PR_TPL_MAX_DEPTH deep. Compiling is linear in the template; rendering is
   linear in the template and the data for real templates, and its work is
   bounded for every template (pr_tpl_budget): a section nested inside
   itself would double it with every level. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render/render.h"

#define NONE SIZE_MAX
#define MAX_DELIM 32 /* longest delimiter: keeps searching for it linear */
#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- compiled form ---- */

enum { OP_TEXT, OP_VAR, OP_RAW, OP_SECTION, OP_INVERTED, OP_PARTIAL };

typedef struct tpl_op {
  unsigned char kind;
  unsigned char bol;        /* first thing on its line: gets the partial indentation */
  unsigned char standalone; /* partial on a line of its own: indents the partial */
  unsigned nparts;          /* parts of a dotted name; 0 for "." */
  size_t plen;              /* tags: length of the name's first part */
  size_t off, len;          /* text: the text in src; tags: the name in src */
  size_t at;                /* tags: offset of the tag, for errors */
  size_t name;              /* tags: the name's parts, NUL-separated, in names */
  size_t arg;               /* section: index of the op after its body; partial: body */
  size_t ind_off, ind_len;  /* standalone partial: its indentation in src */
} tpl_op;

typedef struct tpl_body {
  char *file; /* for errors */
  char *src;
  size_t len;
  tpl_op *ops;
  size_t nops;
  char *names;
} tpl_body;

struct pr_tpl {
  tpl_body *bodies; /* [0] is the template, then its partials */
  size_t n, cap;
  pr_tpl_escape_fn esc;
};

/* ---- errors and positions ---- */

/* 1-based line and column (in UTF-8 characters) of src[off]. */
static void line_col(const char *src, size_t off, unsigned *line, unsigned *col) {
  unsigned l = 1, c = 1;
  for (size_t i = 0; i < off; i++) {
    if (src[i] == '\n') l++, c = 1;
    else if (((unsigned char)src[i] & 0xC0) != 0x80) c++;
  }
  *line = l;
  *col = c;
}

/* Fill err for the tag at src[off]; returns -1. */
static int fail(pr_error *err, pr_status code, const char *file, const char *src, size_t off,
                const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 6, 7)))
#endif
    ;
static int fail(pr_error *err, pr_status code, const char *file, const char *src, size_t off,
                const char *fmt, ...) {
  if (!err) return -1;
  err->code = code;
  snprintf(err->source, sizeof err->source, "%s", file);
  if (src) line_col(src, off, &err->line, &err->column);
  else err->line = err->column = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- the compiler ---- */

typedef struct tag {
  size_t start, end;  /* the whole tag, delimiters included */
  char type;          /* 0 (variable), '{', '&', '#', '^', '/', '!', '>', '=' */
  size_t noff, nlen;  /* its content, trimmed */
} tag;

typedef struct parser {
  pr_tpl *t;
  const char *src, *file;
  size_t len, pos;          /* pos: where the text not yet compiled begins */
  char open[MAX_DELIM + 1], close[MAX_DELIM + 2], close_brace[MAX_DELIM + 2],
      close_eq[MAX_DELIM + 2];
  size_t olen, clen;
  int tag_on_line;          /* a tag is on the line being read */
  int at_bol;               /* the next op starts a line */
  tpl_op *ops;
  size_t nops, capops;
  size_t *open_sections;    /* indices of the section ops not closed yet */
  size_t nopen, capopen;
  pr_buf names;
  pr_map *cache;            /* partial name -> body index (NONE: no such partial) */
  pr_tpl_partial_fn partials;
  void *ctx;
  pr_error *err;
} parser;

static int is_blank(char c) { return c == ' ' || c == '\t'; }
static int is_space(char c) { return is_blank(c) || c == '\n' || c == '\r'; }

/* First occurrence of needle[0..n) in s[from..len), or NONE. */
static size_t find(const char *s, size_t len, size_t from, const char *needle, size_t n) {
  while (from + n <= len) {
    const char *c = memchr(s + from, needle[0], len - from - n + 1);
    if (!c) return NONE;
    from = (size_t)(c - s);
    if (memcmp(c, needle, n) == 0) return from;
    from++;
  }
  return NONE;
}

static int nomem(parser *p) {
  return fail(p->err, PR_ERR_NOMEM, p->file, NULL, 0, "out of memory");
}

static void set_delims(parser *p, const char *open, size_t olen, const char *close, size_t clen) {
  memcpy(p->open, open, olen);
  p->olen = olen;
  memcpy(p->close, close, clen);
  p->clen = clen;
  p->close_brace[0] = '}';
  memcpy(p->close_brace + 1, close, clen);
  p->close_eq[0] = '=';
  memcpy(p->close_eq + 1, close, clen);
}

/* Append an op; its index, or NONE when out of memory. */
static size_t add_op(parser *p, const tpl_op *op) {
  if (p->nops == p->capops) {
    size_t cap = p->capops ? p->capops * 2 : 16;
    tpl_op *v = realloc(p->ops, cap * sizeof *v);
    if (!v) return NONE;
    p->ops = v;
    p->capops = cap;
  }
  p->ops[p->nops] = *op;
  return p->nops++;
}

/* Text src[from..to) as an op. */
static int emit_text(parser *p, size_t from, size_t to) {
  if (from >= to) return 0;
  tpl_op op = {.kind = OP_TEXT, .bol = (unsigned char)p->at_bol, .off = from, .len = to - from};
  if (add_op(p, &op) == NONE) return nomem(p);
  p->at_bol = p->src[to - 1] == '\n';
  return 0;
}

/* Read the tag whose open delimiter is at start. */
static int read_tag(parser *p, size_t start, tag *g) {
  size_t i = start + p->olen;
  g->start = start;
  g->type = i < p->len && strchr("{&#^/!>=", p->src[i]) && p->src[i] ? p->src[i] : 0;
  if (g->type) i++;
  const char *needle = g->type == '{' ? p->close_brace : g->type == '=' ? p->close_eq : p->close;
  size_t nlen = p->clen + (g->type == '{' || g->type == '=');
  size_t e = find(p->src, p->len, i, needle, nlen);
  if (e == NONE)
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, start, "unclosed tag: no '%.*s' after '%.*s'",
                (int)nlen, needle, (int)(i - start), p->src + start);
  g->end = e + nlen;
  while (i < e && is_space(p->src[i])) i++;
  while (e > i && is_space(p->src[e - 1])) e--;
  g->noff = i;
  g->nlen = e - i;
  return 0;
}

/* Is g alone on its line (only blanks around it)? Then *ls is where the
   line starts and *next where the next line does. */
static int standalone(const parser *p, const tag *g, size_t *ls, size_t *next) {
  if (!strchr("#^/!>=", g->type) || !g->type) return 0;
  size_t s = g->start, e = g->end;
  while (s > p->pos && is_blank(p->src[s - 1])) s--;
  if (s > p->pos ? p->src[s - 1] != '\n' : p->tag_on_line) return 0;
  while (e < p->len && is_blank(p->src[e])) e++;
  if (e < p->len && p->src[e] == '\n') e++;
  else if (e + 1 < p->len && p->src[e] == '\r' && p->src[e + 1] == '\n') e += 2;
  else if (e < p->len) return 0;
  *ls = s;
  *next = e;
  return 1;
}

/* The tag's name, checked, stored in names with dots as NUL: op->name, nparts. */
static int add_name(parser *p, const tag *g, tpl_op *op, int dotted) {
  const char *s = p->src + g->noff;
  if (g->nlen == 0)
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, g->start, "empty tag name");
  for (size_t i = 0; i < g->nlen; i++)
    if (is_space(s[i]))
      return fail(p->err, PR_ERR_INPUT, p->file, p->src, g->start,
                  "tag name '%.*s' contains a space", (int)g->nlen, s);
  op->off = g->noff;
  op->len = g->nlen;
  op->at = g->start;
  op->name = p->names.len;
  op->nparts = 1;
  if (dotted && g->nlen == 1 && s[0] == '.') {
    op->nparts = 0;
    return 0;
  }
  op->plen = g->nlen;
  for (size_t i = 0; i < g->nlen; i++) {
    int dot = dotted && s[i] == '.';
    if (dot && op->nparts == 1) op->plen = i;
    pr_buf_putc(&p->names, dot ? '\0' : s[i]);
    op->nparts += dot;
  }
  pr_buf_putc(&p->names, '\0');
  return p->names.failed ? nomem(p) : 0;
}

static int set_delimiter_tag(parser *p, const tag *g) {
  const char *s = p->src + g->noff;
  size_t a = 0, b, c, n = g->nlen;
  while (a < n && !is_space(s[a]) && s[a] != '=') a++;
  for (b = a; b < n && is_space(s[b]);) b++;
  for (c = b; c < n && !is_space(s[c]) && s[c] != '=';) c++;
  if (a == 0 || b == a || c == b || c != n || a > MAX_DELIM || c - b > MAX_DELIM)
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, g->start,
                "bad set-delimiter tag '%.*s': want two delimiters (up to %d characters, "
                "no spaces or '='), e.g. {{=<%% %%>=}}",
                (int)(g->end - g->start), p->src + g->start, MAX_DELIM);
  set_delims(p, s, a, s + b, c - b);
  return 0;
}

static int open_section(parser *p, const tag *g, tpl_op *op) {
  op->kind = g->type == '#' ? OP_SECTION : OP_INVERTED;
  if (add_name(p, g, op, 1)) return -1;
  if (p->nopen == p->capopen) {
    size_t cap = p->capopen ? p->capopen * 2 : 8;
    size_t *v = realloc(p->open_sections, cap * sizeof *v);
    if (!v) return nomem(p);
    p->open_sections = v;
    p->capopen = cap;
  }
  size_t i = add_op(p, op);
  if (i == NONE) return nomem(p);
  p->open_sections[p->nopen++] = i;
  return 0;
}

static int close_section(parser *p, const tag *g) {
  const char *s = p->src + g->noff;
  if (!p->nopen)
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, g->start,
                "section close '%.*s' without an open section", (int)g->nlen, s);
  tpl_op *op = &p->ops[p->open_sections[p->nopen - 1]];
  if (op->len != g->nlen || memcmp(p->src + op->off, s, g->nlen) != 0) {
    unsigned l, c;
    line_col(p->src, op->at, &l, &c);
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, g->start,
                "section close '%.*s' does not match section '%.*s' opened at %u:%u",
                (int)g->nlen, s, (int)op->len, p->src + op->off, l, c);
  }
  op->arg = p->nops;
  p->nopen--;
  return 0;
}

/* Index of a new body holding a copy of src, or NONE when out of memory. */
static size_t add_body(pr_tpl *t, const char *src, size_t len, const char *file) {
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 4;
    tpl_body *v = realloc(t->bodies, cap * sizeof *v);
    if (!v) return NONE;
    t->bodies = v;
    t->cap = cap;
  }
  tpl_body b = {pr_strdup(file), pr_strndup(src, len), len, NULL, 0, NULL};
  if (!b.file || !b.src) {
    free(b.file);
    free(b.src);
    return NONE;
  }
  t->bodies[t->n] = b;
  return t->n++;
}

/* s[0..n) for an error message: printable ASCII as it is (\ and ' escaped),
   any other byte as \xNN, at most 60 bytes of it, then "..." and the
   length. Owned; NULL when out of memory. */
static char *quote(const char *s, size_t n) {
  pr_buf b = {0};
  for (size_t i = 0; i < n && i < 60; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\\' || c == '\'') pr_buf_printf(&b, "\\%c", c);
    else if (c < 0x20 || c >= 0x7f) pr_buf_printf(&b, "\\x%02x", c);
    else pr_buf_putc(&b, (char)c);
  }
  if (n > 60) pr_buf_printf(&b, "... (%zu bytes)", n);
  pr_buf_putc(&b, '\0');
  return pr_buf_take(&b);
}

/* Fail at the partial tag op whose name is refused for reason why. */
static int refuse_partial(parser *p, const tpl_op *op, const char *why) {
  char *q = quote(p->src + op->off, op->len);
  if (!q) return nomem(p);
  fail(p->err, PR_ERR_INPUT, p->file, p->src, op->at, "partial '%s' refused: %s", q, why);
  free(q);
  return -1;
}

/* The body of partial op: from the cache, or asked for and queued. */
static int find_partial(parser *p, tpl_op *op) {
  const char *name = p->names.data + op->name;
  if (pr_map_get(p->cache, name, &op->arg)) return 0;
  op->arg = NONE;
  size_t len = 0;
  const char *file = NULL, *refused = NULL;
  const char *src = p->partials ? p->partials(name, &len, &file, &refused, p->ctx) : NULL;
  if (!src && refused) return refuse_partial(p, op, refused);
  if (src && (op->arg = add_body(p->t, src, len, file ? file : name)) == NONE) return nomem(p);
  return pr_map_put(p->cache, name, op->arg) ? nomem(p) : 0;
}

static int add_partial(parser *p, const tag *g, tpl_op *op, int sa, size_t ls) {
  op->kind = OP_PARTIAL;
  op->standalone = (unsigned char)sa;
  op->ind_off = ls;
  op->ind_len = sa ? g->start - ls : 0;
  if (add_name(p, g, op, 0)) return -1;
  /* a name is a key of the cache and, to most callers, a file name */
  if (op->len > PR_TPL_MAX_PARTIAL_NAME)
    return refuse_partial(p, op, "name longer than " STR(PR_TPL_MAX_PARTIAL_NAME) " bytes");
  for (size_t i = 0; i < op->len; i++)
    if ((unsigned char)p->src[op->off + i] < 0x20 || p->src[op->off + i] == 0x7f)
      return refuse_partial(p, op, "control character in the name");
  if (find_partial(p, op)) return -1;
  return add_op(p, op) == NONE ? nomem(p) : 0;
}

/* Compile tag g; sa: it is standalone, its line starting at ls. */
static int compile_tag(parser *p, const tag *g, int sa, size_t ls) {
  tpl_op op = {.bol = (unsigned char)(sa ? 0 : p->at_bol)};
  int r = 0;
  switch (g->type) {
  case '!': return 0;
  case '=': return set_delimiter_tag(p, g);
  case '/': return close_section(p, g);
  case '#':
  case '^': r = open_section(p, g, &op); break;
  case '>': r = add_partial(p, g, &op, sa, ls); break;
  default:
    op.kind = g->type ? OP_RAW : OP_VAR;
    r = add_name(p, g, &op, 1);
    if (!r && add_op(p, &op) == NONE) r = nomem(p);
  }
  if (!sa) p->at_bol = 0;
  return r;
}

static int parse(parser *p) {
  while (p->pos < p->len) {
    size_t at = find(p->src, p->len, p->pos, p->open, p->olen), ls = 0, next;
    tag g;
    if (at == NONE) {
      if (emit_text(p, p->pos, p->len)) return -1;
      break;
    }
    if (read_tag(p, at, &g)) return -1;
    int sa = standalone(p, &g, &ls, &next);
    if (emit_text(p, p->pos, sa ? ls : at)) return -1;
    p->pos = sa ? next : g.end;
    p->tag_on_line = !sa;
    if (compile_tag(p, &g, sa, ls)) return -1;
  }
  if (p->nopen) {
    const tpl_op *op = &p->ops[p->open_sections[p->nopen - 1]];
    unsigned l, c;
    line_col(p->src, op->at, &l, &c);
    return fail(p->err, PR_ERR_INPUT, p->file, p->src, op->at,
                "unclosed section '%.*s' opened at %u:%u", (int)op->len, p->src + op->off, l, c);
  }
  return 0;
}

/* Compile body bi of t; partials it names are appended to t. */
static int compile_body(pr_tpl *t, size_t bi, pr_map *cache, pr_tpl_partial_fn partials,
                        void *ctx, pr_error *err) {
  parser p = {.t = t, .src = t->bodies[bi].src, .file = t->bodies[bi].file,
              .len = t->bodies[bi].len, .at_bol = 1, .cache = cache,
              .partials = partials, .ctx = ctx, .err = err};
  set_delims(&p, "{{", 2, "}}", 2);
  int r = parse(&p);
  free(p.open_sections);
  if (r) {
    free(p.ops);
    pr_buf_free(&p.names);
    return -1;
  }
  t->bodies[bi].ops = p.ops;
  t->bodies[bi].nops = p.nops;
  t->bodies[bi].names = p.names.data;
  return 0;
}

pr_tpl *pr_tpl_compile(const char *src, size_t len, const char *name, pr_tpl_partial_fn partials,
                       void *ctx, pr_error *err) {
  if (!name) name = "<template>";
  pr_tpl *t = calloc(1, sizeof *t);
  pr_map cache = {0};
  int r = -1;
  if (t && add_body(t, src ? src : "", src ? len : 0, name) != NONE) {
    t->esc = pr_tpl_escape_html;
    r = 0; /* partials found while compiling are appended: compile them too */
    for (size_t bi = 0; r == 0 && bi < t->n; bi++)
      r = compile_body(t, bi, &cache, partials, ctx, err);
  } else {
    fail(err, PR_ERR_NOMEM, name, NULL, 0, "out of memory");
  }
  pr_map_free(&cache);
  if (r) {
    pr_tpl_free(t);
    return NULL;
  }
  return t;
}

void pr_tpl_set_escape(pr_tpl *t, pr_tpl_escape_fn esc) { t->esc = esc; }

void pr_tpl_free(pr_tpl *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->bodies[i].file);
    free(t->bodies[i].src);
    free(t->bodies[i].ops);
    free(t->bodies[i].names);
  }
  free(t->bodies);
  free(t);
}

/* ---- values ---- */

void pr_tpl_escape_html(pr_buf *out, const char *s, size_t n) {
  /* the bytes to escape, found by a table look-up per byte: most text has none */
  static const unsigned char special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1,
                                             ['\''] = 1};
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    if (!special[(unsigned char)s[i]]) continue;
    const char *rep;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    default: rep = "&#39;"; break;
    }
    pr_buf_put(out, s + run, i - run);
    pr_buf_puts(out, rep);
    run = i + 1;
  }
  pr_buf_put(out, s + run, n - run);
}

/* A number as text: integers in decimal, reals in the shortest %g form that
   reads back as the same double. */
static void format_number(const pr_val *v, char *buf, size_t size) {
  if (v->kind == PR_VAL_INT) { /* by hand: snprintf costs more than the rest of a tag */
    char digits[24];
    size_t n = 0;
    unsigned long long u = v->u.i < 0 ? 0ULL - (unsigned long long)v->u.i
                                      : (unsigned long long)v->u.i;
    do digits[n++] = (char)('0' + u % 10); while ((u /= 10) > 0);
    if (v->u.i < 0) digits[n++] = '-';
    for (size_t k = 0; k < n && k + 1 < size; k++) buf[k] = digits[n - 1 - k];
    buf[n < size ? n : size - 1] = '\0';
    return;
  }
  double d = v->u.r;
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, size, "%.*g", prec, d);
    if (strtod(buf, NULL) == d) break;
  }
  for (char *c = buf; *c; c++)
    if (*c == ',') *c = '.'; /* a locale's decimal comma */
}

/* JavaScript's truthiness: missing, null, false, 0, "" and [] are falsey. */
static int truthy(const pr_val *v) {
  switch (v ? v->kind : PR_VAL_NULL) {
  case PR_VAL_NULL:
  case PR_VAL_FALSE: return 0;
  case PR_VAL_STRING:
  case PR_VAL_ARRAY: return v->n > 0;
  case PR_VAL_INT: return v->u.i != 0;
  case PR_VAL_REAL: return v->u.r != 0.0;
  default: return 1;
  }
}

/* ---- the renderer ---- */

typedef struct rstate {
  const pr_tpl *t;
  pr_buf *out;
  pr_buf indent;           /* indentation of the standalone partials being rendered */
  size_t ind_start;        /* the active indentation is indent.data[ind_start..len) */
  const pr_val *stack[PR_TPL_MAX_DEPTH + 1]; /* the context stack */
  size_t n;
  unsigned depth;          /* sections and partials being rendered */
  pr_error *err;
  pr_tpl_budget *budget;   /* the work allowed and done before this render */
  const pr_val *data;      /* the render's data: its size adds to the work allowed */
  int credited;            /* it has been added */
  size_t out0;             /* out->len when the render began */
  size_t tags;             /* ops executed */
} rstate;

static int render_ops(rstate *st, const tpl_body *b, size_t from, size_t to);

/* Resolve the name of op (nparts NUL-separated parts; 0 for ".") as the spec says. */
static const pr_val *lookup(const rstate *st, const tpl_body *b, const tpl_op *op) {
  unsigned nparts = op->nparts;
  if (nparts == 0) return st->stack[st->n - 1];
  const char *name = b->names + op->name;
  size_t len = op->plen;
  const pr_val *v = NULL;
  for (size_t i = st->n; i-- > 0 && !v;) v = pr_val_get(st->stack[i], name, len);
  for (unsigned k = 1; v && k < nparts; k++) {
    name += len + 1;
    len = strlen(name);
    v = pr_val_get(v, name, len);
  }
  return v;
}

static void put_value(rstate *st, const pr_val *v, int escape) {
  char num[40];
  const char *s = "";
  size_t n = 0;
  switch (v ? v->kind : PR_VAL_NULL) {
  case PR_VAL_STRING: s = v->u.s, n = v->n; break;
  case PR_VAL_INT:
  case PR_VAL_REAL: format_number(v, num, sizeof num), s = num, n = strlen(num); break;
  case PR_VAL_TRUE: s = "true", n = 4; break;
  case PR_VAL_FALSE: s = "false", n = 5; break;
  default: return;
  }
  if (escape && st->t->esc) st->t->esc(st->out, s, n);
  else pr_buf_put(st->out, s, n);
}

/* Text; inside an indented partial, every line of it that begins here is indented. */
static void put_text(rstate *st, const char *s, size_t n) {
  size_t il = st->indent.len - st->ind_start;
  const char *ind = il ? st->indent.data + st->ind_start : "";
  while (n) {
    const char *nl = il ? memchr(s, '\n', n) : NULL;
    size_t k = nl ? (size_t)(nl - s) + 1 : n;
    pr_buf_put(st->out, s, k);
    s += k;
    n -= k;
    if (n) pr_buf_put(st->out, ind, il);
  }
}

static int too_deep(rstate *st, const tpl_body *b, const tpl_op *op) {
  return fail(st->err, PR_ERR_INPUT, b->file, b->src, op->at,
              "%s '%.*s' nested more than %d deep (sections and partials)",
              op->kind == OP_PARTIAL ? "partial" : "section", (int)op->len, b->src + op->off,
              PR_TPL_MAX_DEPTH);
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* The size of the data (PR_TPL_WORK_PER_DATA): 1 per value plus the bytes of
   strings and keys. Values deeper than PR_TPL_MAX_DEPTH are not counted
   (only dotted names reach them). */
static size_t data_size(const pr_val *v, unsigned depth) {
  size_t n = 1;
  if (!v || depth > PR_TPL_MAX_DEPTH) return 0;
  if (v->kind == PR_VAL_STRING) n = add_sat(n, v->n);
  for (size_t i = 0; v->kind == PR_VAL_ARRAY && i < v->n; i++)
    n = add_sat(n, data_size(&v->u.items[i], depth + 1));
  for (size_t i = 0; v->kind == PR_VAL_OBJECT && i < v->n; i++)
    n = add_sat(add_sat(n, v->u.members[i].klen), data_size(&v->u.members[i].val, depth + 1));
  return n;
}

/* The work done so far (the budget's and this render's). */
static size_t work(const rstate *st) {
  size_t tags = st->tags > SIZE_MAX / PR_TPL_TAG_COST ? SIZE_MAX : st->tags * PR_TPL_TAG_COST;
  return add_sat(add_sat(st->budget->used, st->out->len - st->out0), tags);
}

/* 0 while the work is within what is allowed; else fails at op. The data's
   share is added the first time the base is not enough (most renders never
   need it, so never measure their data). */
static int over_budget(rstate *st, const tpl_body *b, const tpl_op *op) {
  pr_tpl_budget *bu = st->budget;
  if (work(st) <= bu->allowed) return 0;
  if (!st->credited) {
    st->credited = 1;
    size_t d = data_size(st->data, 0);
    d = d > SIZE_MAX / PR_TPL_WORK_PER_DATA ? SIZE_MAX : d * PR_TPL_WORK_PER_DATA;
    bu->allowed = add_sat(bu->allowed, d);
    if (work(st) <= bu->allowed) return 0;
  }
  return fail(st->err, PR_ERR_INPUT, b->file, b->src, op->kind == OP_TEXT ? op->off : op->at,
              "rendering stopped here: more work than allowed (%zu MiB plus %d per byte of data; "
              "output bytes plus %d per tag); is a section nested inside itself?",
              PR_TPL_WORK_BASE >> 20, PR_TPL_WORK_PER_DATA, PR_TPL_TAG_COST);
}

/* The body of section op i, with ctx pushed on the context stack (if not NULL). */
static int render_body(rstate *st, const tpl_body *b, size_t i, const pr_val *ctx) {
  if (st->depth >= PR_TPL_MAX_DEPTH) return too_deep(st, b, &b->ops[i]);
  st->tags++; /* an empty body repeated is work too */
  if (over_budget(st, b, &b->ops[i])) return -1;
  st->depth++;
  if (ctx) st->stack[st->n++] = ctx;
  int r = render_ops(st, b, i + 1, b->ops[i].arg);
  if (ctx) st->n--;
  st->depth--;
  return r;
}

static int render_section(rstate *st, const tpl_body *b, size_t i) {
  const tpl_op *op = &b->ops[i];
  const pr_val *v = lookup(st, b, op);
  int yes = truthy(v);
  if (op->kind == OP_INVERTED) return yes ? 0 : render_body(st, b, i, NULL);
  if (!yes) return 0;
  if (v->kind != PR_VAL_ARRAY) return render_body(st, b, i, v);
  for (size_t k = 0; k < v->n; k++)
    if (render_body(st, b, i, &v->u.items[k])) return -1;
  return 0;
}

static int render_partial(rstate *st, const tpl_body *b, const tpl_op *op) {
  if (op->arg == NONE) return 0;
  if (st->depth >= PR_TPL_MAX_DEPTH) return too_deep(st, b, op);
  size_t len = st->indent.len, start = st->ind_start;
  if (op->standalone) pr_buf_put(&st->indent, b->src + op->ind_off, op->ind_len);
  else st->ind_start = st->indent.len; /* an inline partial is not indented */
  st->depth++;
  const tpl_body *pb = &st->t->bodies[op->arg];
  int r = render_ops(st, pb, 0, pb->nops);
  st->depth--;
  st->indent.len = len;
  st->ind_start = start;
  return r;
}

static int render_ops(rstate *st, const tpl_body *b, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    const tpl_op *op = &b->ops[i];
    if (op->bol && st->indent.len > st->ind_start)
      pr_buf_put(st->out, st->indent.data + st->ind_start, st->indent.len - st->ind_start);
    switch (op->kind) {
    case OP_TEXT: put_text(st, b->src + op->off, op->len); break;
    case OP_VAR:
    case OP_RAW: put_value(st, lookup(st, b, op), op->kind == OP_VAR); break;
    case OP_SECTION:
    case OP_INVERTED:
      if (render_section(st, b, i)) return -1;
      i = op->arg - 1;
      break;
    case OP_PARTIAL:
      if (render_partial(st, b, op)) return -1;
      break;
    }
    if (st->out->failed) return fail(st->err, PR_ERR_NOMEM, b->file, NULL, 0, "out of memory");
    st->tags++;
    if (over_budget(st, b, op)) return -1;
  }
  return 0;
}

pr_status pr_tpl_render(const pr_tpl *t, const pr_val *data, pr_buf *out, pr_error *err) {
  return pr_tpl_render_budget(t, data, out, NULL, err);
}

pr_status pr_tpl_render_budget(const pr_tpl *t, const pr_val *data, pr_buf *out,
                               pr_tpl_budget *budget, pr_error *err) {
  if (!t || !out) {
    fail(err, PR_ERR_ARG, "", NULL, 0, "no template or no output buffer");
    return PR_ERR_ARG;
  }
  pr_tpl_budget own = {0};
  if (!budget) budget = &own;
  if (!budget->allowed) budget->allowed = PR_TPL_WORK_BASE;
  rstate st = {.t = t, .out = out, .err = err, .n = 1, .budget = budget, .data = data,
               .out0 = out->len};
  st.stack[0] = data;
  const tpl_body *b = &t->bodies[0];
  int r = render_ops(&st, b, 0, b->nops);
  budget->used = work(&st);
  if (!r && st.indent.failed) r = fail(err, PR_ERR_NOMEM, b->file, NULL, 0, "out of memory");
  int indent_failed = st.indent.failed;
  pr_buf_free(&st.indent);
  if (!r) return PR_OK;
  return out->failed || indent_failed ? PR_ERR_NOMEM : PR_ERR_INPUT;
}

int pr_tpl_mentions(const pr_tpl *t, const char *name, size_t len) {
  for (size_t bi = 0; t && bi < t->n; bi++) {
    const tpl_body *b = &t->bodies[bi];
    for (size_t i = 0; i < b->nops; i++) {
      const tpl_op *op = &b->ops[i];
      if (op->kind == OP_TEXT || op->kind == OP_PARTIAL || op->nparts == 0) continue;
      const char *part = b->names + op->name;
      for (unsigned k = 0; k < op->nparts; k++) {
        size_t plen = strlen(part);
        if (plen == len && memcmp(part, name, len) == 0) return 1;
        part += plen + 1;
      }
    }
  }
  return 0;
}
