/* query.c - jekyll-scholar's (bibtex-ruby's) entry query language.
 *
 *   query     := selector (sep selector)*          any selector may match
 *   selector  := ['!'] '@' ('*' | type) ['[' conds ']'] ['*']
 *   conds     := group ('||' group)*               any group may match
 *   group     := cond ((',' | '&&') cond)*          all conditions must hold
 *   cond      := field [op value]                   no op: the field is present
 *   op        := '=' | '!=' | '/=' | '^=' | '~=' | '!~' | '<' | '<=' | '>' | '>='
 *
 * sep is ',' or '||' or white space. '@entry' is the same as '@*'. Values
 * may be quoted with ' or ". Fields are compared on their text (LaTeX
 * converted); 'key' is the entry key and 'type' the type field. '=' and
 * '!=' compare strings, '^=' tests a prefix, '~=' and '!~' match a PCRE2
 * regular expression (Perl/Ruby syntax, UTF-8 and Unicode aware, '^' and
 * '$' at line ends as in Ruby), '<' '<=' '>' '>=' compare the leading
 * integers (as Ruby's to_i). The trailing '*' al-folio writes
 * ("@*[selected=true]*") is accepted. Errors give the 1-based column (in
 * characters). Nothing here depends on the C locale.
 *
 * A regular expression is bounded three ways, so a pattern or a field
 * written to be slow fails fast with an error naming the condition and
 * the entry: its length (PR_QUERY_RE_MAX), PCRE2's own limits per start
 * position (match steps, backtracking depth, heap), and a step budget for
 * the whole match counted by auto-callouts (PCRE2's match limit restarts
 * at every start position, so on its own it lets work grow with the
 * field's length times the limit).
 */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "select/select.h"

/* Limits of one regular expression (README: --query). */
#define PR_QUERY_RE_MAX 4096                 /* bytes of pattern */
#define PR_QUERY_RE_NEST 64                  /* nested parentheses */
#define PR_QUERY_MATCH_LIMIT 1000000u        /* PCRE2 match steps per start position */
#define PR_QUERY_DEPTH_LIMIT 50000u          /* PCRE2 backtracking depth */
#define PR_QUERY_HEAP_LIMIT 16384u           /* PCRE2 backtracking memory, KiB */
#define PR_QUERY_STEPS_BASE 100000u          /* steps of one match: this ... */
#define PR_QUERY_STEPS_PER_BYTE 200u         /* ... plus this per byte of the field */

/* ASCII classes: the language is ASCII, and <ctype.h> would follow the locale. */
static int is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static int is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static char to_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

typedef enum { OP_PRESENT, OP_EQ, OP_NE, OP_PREFIX, OP_MATCH, OP_NOMATCH,
               OP_LT, OP_LE, OP_GT, OP_GE } op_t;

typedef struct cond {
  char *field, *value;
  op_t op;
  pcre2_code *re;
  char *text;          /* the condition as written, for errors (owned) */
  size_t textlen;
  int group;           /* index of the '||' group within the selector */
} cond;

typedef struct selector {
  int negate;
  char *type;          /* NULL: any type */
  cond *conds;
  size_t nconds;
} selector;

struct pr_query {
  selector *sel;
  size_t nsel;
};

typedef struct parser {
  const char *s;
  size_t i;
  pr_error *err;
} parser;

/* The 1-based column, in characters, of byte offset off of s. */
static unsigned column_of(const char *s, size_t off) {
  unsigned col = 1;
  for (size_t i = 0; i < off && s[i]; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80) col++;
  return col;
}

static int fail_at(parser *p, size_t off, const char *what, const char *detail) {
  if (p->err) {
    unsigned col = column_of(p->s, off);
    pr_set_error(p->err, PR_ERR_ARG, "query", 1, "%s%s%s%s at column %u", what,
                 detail ? " (" : "", detail ? detail : "", detail ? ")" : "", col);
    p->err->column = col;
  }
  return -1;
}

static int fail(parser *p, const char *what) { return fail_at(p, p->i, what, NULL); }

static void skip_ws(parser *p) {
  while (is_space(p->s[p->i])) p->i++;
}

static int word_char(char c) {
  return is_alnum(c) || c == '_' || c == '-' || c == '+' || c == ':' || c == '.';
}

static char *take_word(parser *p) {
  size_t start = p->i;
  while (word_char(p->s[p->i])) p->i++;
  return p->i > start ? pr_strndup(p->s + start, p->i - start) : NULL;
}

static int parse_op(parser *p, op_t *op) {
  static const struct { const char *text; op_t op; } ops[] = {
      {"!=", OP_NE}, {"/=", OP_NE}, {"^=", OP_PREFIX}, {"~=", OP_MATCH}, {"!~", OP_NOMATCH},
      {"<=", OP_LE}, {">=", OP_GE}, {"=", OP_EQ},     {"<", OP_LT},      {">", OP_GT}};
  for (size_t k = 0; k < sizeof ops / sizeof *ops; k++) {
    size_t n = strlen(ops[k].text);
    if (strncmp(p->s + p->i, ops[k].text, n) == 0) {
      p->i += n;
      *op = ops[k].op;
      return 1;
    }
  }
  return 0;
}

/* A value: quoted, or up to the next ',', '&&', '||' or ']'. *at is the
   offset of its first character in the query. */
static char *parse_value(parser *p, size_t *at) {
  skip_ws(p);
  char q = p->s[p->i];
  *at = p->i + (q == '\'' || q == '"');
  if (q == '\'' || q == '"') {
    const char *end = strchr(p->s + p->i + 1, q);
    if (!end) {
      fail(p, "unterminated quoted value");
      return NULL;
    }
    char *v = pr_strndup(p->s + p->i + 1, (size_t)(end - p->s - p->i - 1));
    p->i = (size_t)(end - p->s) + 1;
    return v;
  }
  size_t start = p->i;
  while (p->s[p->i] && p->s[p->i] != ']' && p->s[p->i] != ',' &&
         strncmp(p->s + p->i, "&&", 2) != 0 && strncmp(p->s + p->i, "||", 2) != 0)
    p->i++;
  size_t end = p->i;
  while (end > start && is_space(p->s[end - 1])) end--;
  return pr_strndup(p->s + start, end - start);
}

/* Compile value as the condition's regular expression: UTF-8, Unicode
   classes and case folding, '^'/'$' at line ends (as Ruby), no \C (it
   could split a character), LF the only newline whatever PCRE2's build
   default. Errors point at the pattern's offending character. */
static int compile_re(parser *p, cond *c, size_t at) {
  size_t len = strlen(c->value);
  if (len > PR_QUERY_RE_MAX) {
    char why[64];
    snprintf(why, sizeof why, "longer than %d bytes", PR_QUERY_RE_MAX);
    return fail_at(p, at, "regular expression too long", why);
  }
  pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
  if (!cc) return -1;
  pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
  pcre2_set_bsr(cc, PCRE2_BSR_UNICODE);
  pcre2_set_parens_nest_limit(cc, PR_QUERY_RE_NEST);
  pcre2_set_max_pattern_length(cc, PR_QUERY_RE_MAX);
  int code;
  PCRE2_SIZE off;
  c->re = pcre2_compile((PCRE2_SPTR)c->value, len,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_MULTILINE | PCRE2_NEVER_BACKSLASH_C |
                            PCRE2_MATCH_INVALID_UTF | PCRE2_AUTO_CALLOUT,
                        &code, &off, cc);
  pcre2_compile_context_free(cc);
  if (c->re) return 0;
  if (code == PCRE2_ERROR_NOMEMORY) return -1;
  PCRE2_UCHAR msg[160];
  if (pcre2_get_error_message(code, msg, sizeof msg) < 0) snprintf((char *)msg, sizeof msg, "error %d", code);
  /* off is where PCRE2 noticed the problem; past the pattern's end it
     means the pattern ends too early */
  return fail_at(p, at + (off > len ? len : off), "invalid regular expression", (const char *)msg);
}

static void cond_clear(cond *c) {
  free(c->field);
  free(c->value);
  free(c->text);
  pcre2_code_free(c->re);
}

static int add_cond(parser *p, selector *sel, int group) {
  skip_ws(p);
  cond c = {0};
  c.group = group;
  size_t start = p->i;
  if (!(c.field = take_word(p))) return fail(p, "expected a field name");
  for (char *f = c.field; *f; f++) *f = to_lower(*f);
  skip_ws(p);
  if (parse_op(p, &c.op)) {
    int numeric = c.op == OP_LT || c.op == OP_LE || c.op == OP_GT || c.op == OP_GE;
    if (numeric && p->s[p->i] && strchr("<>=!", p->s[p->i])) { /* "year>>1" */
      cond_clear(&c);
      return fail(p, "unexpected character");
    }
    size_t at;
    if (!(c.value = parse_value(p, &at))) { cond_clear(&c); return -1; }
    if ((c.op == OP_MATCH || c.op == OP_NOMATCH) && compile_re(p, &c, at)) {
      cond_clear(&c);
      return -1;
    }
  }
  c.textlen = p->i - start;
  c.text = pr_strndup(p->s + start, c.textlen);
  cond *v = c.text ? realloc(sel->conds, (sel->nconds + 1) * sizeof *v) : NULL;
  if (!v) { cond_clear(&c); return -1; }
  sel->conds = v;
  sel->conds[sel->nconds++] = c;
  return 0;
}

static int parse_conds(parser *p, selector *sel) {
  int group = 0;
  for (;;) {
    if (add_cond(p, sel, group)) return -1;
    skip_ws(p);
    if (p->s[p->i] == ']') { p->i++; return 0; }
    if (p->s[p->i] == ',') p->i++;
    else if (strncmp(p->s + p->i, "&&", 2) == 0) p->i += 2;
    else if (strncmp(p->s + p->i, "||", 2) == 0) { p->i += 2; group++; }
    else return fail(p, p->s[p->i] ? "unexpected character" : "missing ']'");
  }
}

static int parse_selector(parser *p, pr_query *q) {
  selector sel = {0};
  if (p->s[p->i] == '!') { sel.negate = 1; p->i++; }
  if (p->s[p->i] != '@') return fail(p, "expected '@'");
  p->i++;
  if (p->s[p->i] == '*') {
    p->i++;
  } else {
    if (!(sel.type = take_word(p))) return fail(p, "expected an entry type or '*' after '@'");
    for (char *t = sel.type; *t; t++) *t = to_lower(*t);
    if (strcmp(sel.type, "entry") == 0) { free(sel.type); sel.type = NULL; }
  }
  int rc = 0;
  if (p->s[p->i] == '[') {
    p->i++;
    rc = parse_conds(p, &sel);
  }
  if (rc == 0 && p->s[p->i] == '*') p->i++; /* al-folio's "@*[selected=true]*" */
  selector *v = rc == 0 ? realloc(q->sel, (q->nsel + 1) * sizeof *v) : NULL;
  if (!v) {
    for (size_t i = 0; i < sel.nconds; i++) cond_clear(&sel.conds[i]);
    free(sel.conds);
    free(sel.type);
    return -1;
  }
  q->sel = v;
  q->sel[q->nsel++] = sel;
  return 0;
}

void pr_query_free(pr_query *q) {
  if (!q) return;
  for (size_t s = 0; s < q->nsel; s++) {
    for (size_t i = 0; i < q->sel[s].nconds; i++) cond_clear(&q->sel[s].conds[i]);
    free(q->sel[s].conds);
    free(q->sel[s].type);
  }
  free(q->sel);
  free(q);
}

pr_status pr_query_parse(const char *text, pr_query **out, pr_error *err) {
  if (out) *out = NULL;
  if (!text || !out) {
    pr_set_error(err, PR_ERR_ARG, "query", 0, !text ? "no query text" : "no place for the query");
    return PR_ERR_ARG;
  }
  pr_query *q = calloc(1, sizeof *q);
  if (!q) return PR_ERR_NOMEM;
  parser p = {text, 0, err};
  skip_ws(&p);
  if (!text[p.i]) {
    fail(&p, "empty query");
    pr_query_free(q);
    return PR_ERR_ARG;
  }
  while (text[p.i]) {
    if (parse_selector(&p, q)) {
      pr_query_free(q);
      return PR_ERR_ARG;
    }
    skip_ws(&p);
    if (text[p.i] == ',') p.i++;
    else if (strncmp(text + p.i, "||", 2) == 0) p.i += 2;
    skip_ws(&p);
  }
  *out = q;
  return PR_OK;
}

/* ---- matching ---- */

/* The text a condition looks at: key, or a field as plain text (malloc'd). */
static char *field_text(const pr_entry *e, const char *field) {
  if (strcmp(field, "key") == 0) return pr_strdup(e->key);
  return pr_entry_field_text(e, field);
}

/* The step budget of one match, counted down by the auto-callouts. */
typedef struct budget {
  unsigned long long left;
} budget;

static int count_step(pcre2_callout_block *block, void *data) {
  (void)block;
  budget *b = data;
  if (!b->left) return PCRE2_ERROR_MATCHLIMIT;
  b->left--;
  return 0;
}

/* The matching state of one pr_query_match call: made on the first
   regular expression, so a query without one allocates nothing. */
typedef struct matcher {
  pcre2_match_context *mc;
  pcre2_match_data *md;
  budget steps;
  int failed;
} matcher;

static void matcher_clear(matcher *m) {
  pcre2_match_data_free(m->md);
  pcre2_match_context_free(m->mc);
}

/* The condition as written, at most 60 bytes (cut at a character). */
static int shown_len(const cond *c) {
  size_t n = c->textlen;
  while (n > 0 && is_space(c->text[n - 1])) n--;
  if (n <= 60) return (int)n;
  n = 57;
  while (n > 0 && ((unsigned char)c->text[n] & 0xc0) == 0x80) n--;
  return (int)n;
}

/* 1 when c's expression matches actual, 0 when not, -1 on a limit (err
   says which), -2 out of memory. */
static int re_matches(const cond *c, const char *actual, const pr_entry *e, matcher *m,
                      pr_error *err) {
  if (!m->mc) {
    m->mc = pcre2_match_context_create(NULL);
    m->md = pcre2_match_data_create(1, NULL);
    if (!m->mc || !m->md) return -2;
    pcre2_set_match_limit(m->mc, PR_QUERY_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mc, PR_QUERY_DEPTH_LIMIT);
    pcre2_set_heap_limit(m->mc, PR_QUERY_HEAP_LIMIT);
    pcre2_set_callout(m->mc, count_step, &m->steps);
  }
  size_t len = strlen(actual);
  m->steps.left = PR_QUERY_STEPS_BASE + (unsigned long long)PR_QUERY_STEPS_PER_BYTE * len;
  int rc = pcre2_match(c->re, (PCRE2_SPTR)actual, len, 0, 0, m->md, m->mc);
  if (rc >= 0) return 1;
  if (rc == PCRE2_ERROR_NOMATCH) return 0;
  if (rc == PCRE2_ERROR_NOMEMORY) return -2;
  const char *why = rc == PCRE2_ERROR_MATCHLIMIT   ? "needs too many steps"
                    : rc == PCRE2_ERROR_DEPTHLIMIT ? "backtracks too deep"
                    : rc == PCRE2_ERROR_HEAPLIMIT  ? "needs too much memory"
                                                   : "failed";
  int shown = shown_len(c);
  pr_set_error(err, PR_ERR_INPUT, e->file, e->line,
               "query condition '%.*s%s': the regular expression %s on field '%s' of entry "
               "'%s' (limits: README, --query)",
               shown, c->text, (size_t)shown < c->textlen ? "..." : "", why, c->field, e->key);
  return -1;
}

static int cond_holds(const cond *c, const pr_entry *e, matcher *m, pr_error *err) {
  char *actual = field_text(e, c->field);
  int r;
  switch (c->op) {
  case OP_PRESENT: r = actual != NULL; break;
  case OP_EQ: r = actual && strcmp(actual, c->value) == 0; break;
  case OP_NE: r = !actual || strcmp(actual, c->value) != 0; break;
  case OP_PREFIX: r = actual && strncmp(actual, c->value, strlen(c->value)) == 0; break;
  case OP_MATCH:
  case OP_NOMATCH:
    r = actual ? re_matches(c, actual, e, m, err) : 0;
    if (r >= 0 && c->op == OP_NOMATCH) r = !r;
    break;
  default: {
    long a = actual ? strtol(actual, NULL, 10) : 0, b = strtol(c->value, NULL, 10);
    int has = actual != NULL;
    if (strcmp(c->field, "year") == 0) { /* the first year, also from a date (years.c) */
      a = e->year;
      has = e->year != 0;
    }
    r = has && (c->op == OP_LT ? a < b : c->op == OP_LE ? a <= b : c->op == OP_GT ? a > b
                                                                               : a >= b);
  }
  }
  free(actual);
  if (r < 0) m->failed = r;
  return r;
}

static int selector_matches(const selector *s, const pr_entry *e, matcher *m, pr_error *err) {
  int type_ok = !s->type || strcmp(s->type, e->type) == 0;
  if (s->negate ? type_ok : !type_ok) return 0;
  if (!s->nconds) return 1;
  /* any '||' group whose conditions all hold */
  for (size_t i = 0; i < s->nconds;) {
    int group = s->conds[i].group, all = 1;
    for (; i < s->nconds && s->conds[i].group == group; i++)
      if (all && cond_holds(&s->conds[i], e, m, err) != 1) all = 0;
    if (m->failed) return m->failed;
    if (all) return 1;
  }
  return 0;
}

int pr_query_match_err(const pr_query *q, const pr_entry *e, pr_error *err) {
  if (!q) return 1;
  matcher m = {0};
  int r = 0;
  for (size_t i = 0; i < q->nsel && r == 0; i++) r = selector_matches(&q->sel[i], e, &m, err);
  matcher_clear(&m);
  return r;
}

int pr_query_match(const pr_query *q, const pr_entry *e) {
  return pr_query_match_err(q, e, NULL) == 1;
}
