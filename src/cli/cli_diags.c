/* cli_diags.c - the command's messages about the input: diagnostics on
   standard error (--quiet, --strict, repeated warnings counted, not
   printed), and the line that says what -o did. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

enum { SHOWN_PER_KIND = 5 }; /* warnings of one kind in one file printed before counting */

/* n with thousands separators: 61919 -> "61,919". */
const char *count_text(size_t n, char buf[32]) {
  char digits[24];
  int len = snprintf(digits, sizeof digits, "%zu", n), o = 0;
  for (int i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
  return buf;
}

/* "1 entry", "2 entries", "61,919 warnings". */
static const char *counted(size_t n, const char *one, const char *many, char buf[64]) {
  char num[32];
  snprintf(buf, 64, "%s %s", count_text(n, num), n == 1 ? one : many);
  return buf;
}

/* The kind of a warning, from its message: what it says before the first
   quoted value, number, parenthesis or colon, once a leading "entry 'KEY'"
   and ", field 'NAME'" are taken off: "duplicate key 'x' (first at ...)"
   is "duplicate key", "entry 'k', field 'title': unknown LaTeX command
   \foo (...)" is "unknown LaTeX command". A message that starts with a value
   is its own kind, cut at 60 bytes. Into out (size > 1). */
static void warning_kind(const char *msg, char *out, size_t size) {
  const char *p = msg;
  static const char *const prefixes[] = {"entry '", ", field '"};
  for (size_t i = 0; i < 2; i++) {
    size_t n = strlen(prefixes[i]);
    const char *end;
    if (strncmp(p, prefixes[i], n) == 0 && (end = strchr(p + n, '\'')) != NULL) p = end + 1;
  }
  if (p != msg && strncmp(p, ": ", 2) == 0) p += 2;
  size_t n = strcspn(p, "'\"(\\0123456789:;,");
  while (n && p[n - 1] == ' ') n--;
  if (!n) { /* no words before a value: the whole message, cut on a character */
    p = msg;
    n = strlen(p);
    if (n > 60) {
      n = 60;
      while (n && ((unsigned char)p[n] & 0xc0) == 0x80) n--;
    }
  }
  if (n >= size) n = size - 1;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* The groups of warnings seen, "FILE\0KIND" -> how many, in order of their
   first warning, with an open-addressing index by hash. */
typedef struct {
  char *key;      /* file, '\0', kind, '\0' */
  size_t len;     /* of key, both '\0's included */
  size_t count;
} group;

typedef struct {
  group *v;
  size_t n, cap;
  size_t *index;  /* slots: group number + 1, 0 empty */
  size_t slots;
} groups;

static size_t hash_key(const char *key, size_t len) {
  size_t h = 5381;
  for (size_t i = 0; i < len; i++) h = h * 33 + (unsigned char)key[i];
  return h;
}

/* The group of key (len bytes), added when new; NULL when memory runs out. */
static group *find_group(groups *g, const char *key, size_t len) {
  if (2 * (g->n + 1) > g->slots) { /* grow and rehash */
    size_t slots = g->slots ? 2 * g->slots : 64;
    size_t *index = calloc(slots, sizeof *index);
    if (!index) return NULL;
    for (size_t i = 0; i < g->n; i++) {
      size_t s = hash_key(g->v[i].key, g->v[i].len) & (slots - 1);
      while (index[s]) s = (s + 1) & (slots - 1);
      index[s] = i + 1;
    }
    free(g->index);
    g->index = index;
    g->slots = slots;
  }
  size_t s = hash_key(key, len) & (g->slots - 1);
  for (; g->index[s]; s = (s + 1) & (g->slots - 1)) {
    group *c = &g->v[g->index[s] - 1];
    if (c->len == len && memcmp(c->key, key, len) == 0) return c;
  }
  if (g->n == g->cap) {
    size_t cap = g->cap ? 2 * g->cap : 16;
    group *v = realloc(g->v, cap * sizeof *v);
    if (!v) return NULL;
    g->v = v;
    g->cap = cap;
  }
  char *copy = malloc(len);
  if (!copy) return NULL;
  memcpy(copy, key, len);
  g->v[g->n] = (group){copy, len, 0};
  g->index[s] = ++g->n;
  return &g->v[g->n - 1];
}

/* Print what the run found (errors always; warnings unless --quiet without
   --strict, after SHOWN_PER_KIND of a kind in a file counted unless
   --all-warnings) and say how many of each there were. */
void print_diags(const run_ctx *c, const pr_bib *bib, const pr_report *report, size_t *warnings,
                 size_t *errors) {
  int show = !c->quiet || c->strict;
  groups g = {0};
  *warnings = c->own_warnings;
  *errors = 0;
  size_t nbib = pr_bib_diag_count(bib), n = nbib + pr_report_diag_count(report);
  for (size_t i = 0; i < n; i++) {
    const pr_diag *d = i < nbib ? pr_bib_diag(bib, i) : pr_report_diag(report, i - nbib);
    char msg[1400];
    if (pr_diag_severity(d) == PR_ERROR) {
      ++*errors;
    } else {
      ++*warnings;
      if (!show) continue;
      if (!c->all_warnings) {
        const char *file = pr_diag_file(d) ? pr_diag_file(d) : "<buffer>";
        size_t fl = strlen(file);
        char key[1400];
        if (fl > 1000) fl = 1000;
        memcpy(key, file, fl);
        key[fl] = '\0';
        warning_kind(pr_diag_message(d), key + fl + 1, sizeof key - fl - 1);
        group *gr = find_group(&g, key, fl + 1 + strlen(key + fl + 1) + 1);
        if (gr && ++gr->count > SHOWN_PER_KIND) continue;
      }
    }
    if (pr_diag_severity(d) == PR_ERROR || show)
      fprintf(stderr, "%s\n", pr_diag_format(d, msg, sizeof msg));
  }
  for (size_t i = 0; i < g.n; i++) {
    if (g.v[i].count > SHOWN_PER_KIND) {
      const char *key = g.v[i].key;
      char num[32], *file = shown_name(key), *kind = shown_name(key + strlen(key) + 1);
      size_t more = g.v[i].count - SHOWN_PER_KIND;
      fprintf(stderr, "%s: warning: %s more '%s' warning%s not shown (--all-warnings shows "
              "them)\n", file, count_text(more, num), kind, more == 1 ? "" : "s");
      free(file);
      free(kind);
    }
    free(g.v[i].key);
  }
  free(g.v);
  free(g.index);
}

/* A warning of the command's own (not the library's): counted with the
   others, printed unless --quiet. */
void cli_warning(run_ctx *c, const char *file, unsigned line, const char *msg) {
  c->own_warnings++;
  if (c->quiet && !c->strict) return;
  char *name = shown_name(file);
  fprintf(stderr, "%s:%u: warning: %s\n", name, line, msg);
  free(name);
}

/* "pubrender: pubs.html: 6 entries, 0 warnings, 0 errors; written" (or
   unchanged), unless --quiet. */
void report_output(const run_ctx *c, size_t entries, size_t warnings, size_t errors,
                   int written) {
  if (c->quiet) return;
  char e[64], w[64], x[64], *name = shown_name(c->output);
  fprintf(stderr, "pubrender: %s: %s, %s, %s; %s\n", name, counted(entries, "entry", "entries", e),
          counted(warnings, "warning", "warnings", w), counted(errors, "error", "errors", x),
          written ? "written" : "unchanged");
  free(name);
}
