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
 * '!=' compare strings, '^=' tests a prefix, '~=' and '!~' match a POSIX
 * extended regular expression, '<' '<=' '>' '>=' compare the leading
 * integers (as Ruby's to_i). The trailing '*' al-folio writes
 * ("@*[selected=true]*") is accepted. Errors give the 1-based column.
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef enum { OP_PRESENT, OP_EQ, OP_NE, OP_PREFIX, OP_MATCH, OP_NOMATCH,
               OP_LT, OP_LE, OP_GT, OP_GE } op_t;

typedef struct cond {
  char *field, *value;
  op_t op;
  regex_t re;
  int has_re;
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

static int fail(parser *p, const char *what) {
  if (p->err) {
    pr_set_error(p->err, PR_ERR_ARG, "query", 1, "%s at column %zu", what, p->i + 1);
    p->err->column = (unsigned)(p->i + 1);
  }
  return -1;
}

static void skip_ws(parser *p) {
  while (isspace((unsigned char)p->s[p->i])) p->i++;
}

static int word_char(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '+' || c == ':' || c == '.';
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

/* A value: quoted, or up to the next ',', '&&', '||' or ']'. */
static char *parse_value(parser *p) {
  skip_ws(p);
  char q = p->s[p->i];
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
  while (end > start && isspace((unsigned char)p->s[end - 1])) end--;
  return pr_strndup(p->s + start, end - start);
}

static int add_cond(parser *p, selector *sel, int group) {
  skip_ws(p);
  cond c = {0};
  c.group = group;
  if (!(c.field = take_word(p))) return fail(p, "expected a field name");
  for (char *f = c.field; *f; f++) *f = (char)tolower((unsigned char)*f);
  skip_ws(p);
  if (parse_op(p, &c.op)) {
    int numeric = c.op == OP_LT || c.op == OP_LE || c.op == OP_GT || c.op == OP_GE;
    if (numeric && p->s[p->i] && strchr("<>=!", p->s[p->i])) { /* "year>>1" */
      free(c.field);
      return fail(p, "unexpected character");
    }
    if (!(c.value = parse_value(p))) { free(c.field); return -1; }
    if (c.op == OP_MATCH || c.op == OP_NOMATCH) {
      if (regcomp(&c.re, c.value, REG_EXTENDED | REG_NOSUB) != 0) {
        free(c.field);
        free(c.value);
        return fail(p, "invalid regular expression before");
      }
      c.has_re = 1;
    }
  }
  cond *v = realloc(sel->conds, (sel->nconds + 1) * sizeof *v);
  if (!v) { free(c.field); free(c.value); if (c.has_re) regfree(&c.re); return -1; }
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
    for (char *t = sel.type; *t; t++) *t = (char)tolower((unsigned char)*t);
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
    for (size_t i = 0; i < sel.nconds; i++) {
      free(sel.conds[i].field);
      free(sel.conds[i].value);
      if (sel.conds[i].has_re) regfree(&sel.conds[i].re);
    }
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
    for (size_t i = 0; i < q->sel[s].nconds; i++) {
      cond *c = &q->sel[s].conds[i];
      free(c->field);
      free(c->value);
      if (c->has_re) regfree(&c->re);
    }
    free(q->sel[s].conds);
    free(q->sel[s].type);
  }
  free(q->sel);
  free(q);
}

pr_status pr_query_parse(const char *text, pr_query **out, pr_error *err) {
  *out = NULL;
  if (!text) return PR_ERR_ARG;
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

static int cond_holds(const cond *c, const pr_entry *e) {
  char *actual = field_text(e, c->field);
  int r;
  switch (c->op) {
  case OP_PRESENT: r = actual != NULL; break;
  case OP_EQ: r = actual && strcmp(actual, c->value) == 0; break;
  case OP_NE: r = !actual || strcmp(actual, c->value) != 0; break;
  case OP_PREFIX: r = actual && strncmp(actual, c->value, strlen(c->value)) == 0; break;
  case OP_MATCH: r = actual && regexec(&c->re, actual, 0, NULL, 0) == 0; break;
  case OP_NOMATCH: r = !actual || regexec(&c->re, actual, 0, NULL, 0) != 0; break;
  default: {
    long a = actual ? strtol(actual, NULL, 10) : 0, b = strtol(c->value, NULL, 10);
    r = actual && (c->op == OP_LT ? a < b : c->op == OP_LE ? a <= b : c->op == OP_GT ? a > b
                                                                               : a >= b);
  }
  }
  free(actual);
  return r;
}

static int selector_matches(const selector *s, const pr_entry *e) {
  int type_ok = !s->type || strcmp(s->type, e->type) == 0;
  if (s->negate ? type_ok : !type_ok) return 0;
  if (!s->nconds) return 1;
  /* any '||' group whose conditions all hold */
  for (size_t i = 0; i < s->nconds;) {
    int group = s->conds[i].group, all = 1;
    for (; i < s->nconds && s->conds[i].group == group; i++)
      if (all && !cond_holds(&s->conds[i], e)) all = 0;
    if (all) return 1;
  }
  return 0;
}

int pr_query_match(const pr_query *q, const pr_entry *e) {
  if (!q) return 1;
  for (size_t i = 0; i < q->nsel; i++)
    if (selector_matches(&q->sel[i], e)) return 1;
  return 0;
}
