/* namesplit_old.c - for tests only: pubrender's name splitter as it was
 * before src/read/namesplit.c (libbtparse's bt_split_name behind a sanitiser,
 * then re-split by BibTeX's von rule when a word starts with a brace), so
 * test_namesplit.c can compare the two on every name it can find. The code
 * below is the old src/read/btparse_glue.c names section, unchanged but for the
 * entry point, which calls btparse directly (a test is single-threaded and
 * its input never reaches btparse's fatal paths: the sanitiser sees to
 * that) and hands back the warnings btparse printed.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <fcntl.h>
#include <btparse.h>
#include "render/render.h"
#include "namesplit_old.h"


/* Collapse and trim whitespace (bt_split_list aborts on doubled spaces). */
static char *collapse_ws(const char *in) {
  size_t n = strlen(in), o = 0;
  char *out = malloc(n + 1);
  if (!out) return NULL;
  for (const char *p = in; *p; p++) {
    int space = isspace((unsigned char)*p);
    if (!space) out[o++] = *p;
    else if (o > 0 && out[o - 1] != ' ') out[o++] = ' ';
  }
  while (o > 0 && out[o - 1] == ' ') o--;
  out[o] = '\0';
  return out;
}

/* Collapse whitespace and drop commas that would make an empty name part
   (leading, trailing, doubled, at brace depth 0): bt_split_name overruns
   buffers on empty parts. */
static char *sanitise_name(const char *in) {
  size_t n = strlen(in);
  char *out = malloc(2 * n + 1); /* a space may follow every comma */
  if (!out) return NULL;
  size_t o = 0;
  int depth = 0, after_comma = 1;
  for (const char *p = in; *p; p++) {
    char c = *p;
    if (c == '{') depth++;
    else if (c == '}' && depth > 0) depth--;
    if (isspace((unsigned char)c)) {
      if (o > 0 && out[o - 1] != ' ') out[o++] = ' ';
      continue;
    }
    if (depth == 0 && c == ',') {
      if (after_comma) continue;
      while (o > 0 && out[o - 1] == ' ') o--;
      out[o++] = ',';
      after_comma = 1;
      continue;
    }
    if (after_comma && o > 0 && out[o - 1] == ',') out[o++] = ' ';
    after_comma = 0;
    out[o++] = c;
  }
  while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == ',')) o--;
  out[o] = '\0';
  size_t s = 0;
  while (out[s] == ' ') s++;
  memmove(out, out + s, o - s + 1);
  return out;
}

static char *join_part(bt_name *nm, int part) {
  size_t n = 0;
  for (int i = 0; i < nm->part_len[part]; i++) n += strlen(nm->parts[part][i]) + 1;
  char *out = malloc(n + 1), *w = out;
  if (!out) return NULL;
  for (int i = 0; i < nm->part_len[part]; i++) {
    if (i) *w++ = ' ';
    size_t k = strlen(nm->parts[part][i]);
    memcpy(w, nm->parts[part][i], k);
    w += k;
  }
  *w = '\0';
  return out;
}

static char *join_range(char **toks, int from, int to) {
  pr_buf b = {0};
  for (int i = from; i < to; i++) {
    if (i > from) pr_buf_putc(&b, ' ');
    pr_buf_puts(&b, toks[i]);
  }
  return pr_buf_take(&b);
}

/* BibTeX's case of a word: its first letter at brace depth 0 decides; a
   special character ({\'e}, {\ae}) counts with its letter, and any other
   brace group is skipped. libbtparse reads a leading group differently, so
   "Jean {d}e la Fontaine" and "{\\'e}l" lost their von. 1: lower. */
static int bibtex_lower(const char *w) {
  static const char *const foreign[] = {"oe", "OE", "ae", "AE", "aa", "AA",
                                        "o",  "O",  "l",  "L",  "ss", "i", "j"};
  for (const char *p = w; *p; p++) {
    if (isalpha((unsigned char)*p)) return islower((unsigned char)*p) != 0;
    if (*p != '{') continue;
    if (p[1] == '\\') {
      const char *c = p + 2, *e = c;
      while (isalpha((unsigned char)*e)) e++;
      for (size_t k = 0; k < sizeof foreign / sizeof *foreign; k++)
        if (strlen(foreign[k]) == (size_t)(e - c) && strncmp(c, foreign[k], (size_t)(e - c)) == 0)
          return islower((unsigned char)*c) != 0;
      for (const char *q = e == c ? c + 1 : e; *q && *q != '}'; q++)
        if (isalpha((unsigned char)*q)) return islower((unsigned char)*q) != 0;
      return 0;
    }
    int depth = 0; /* skip the plain group */
    for (; *p; p++) {
      if (*p == '{') depth++;
      else if (*p == '}' && --depth == 0) break;
    }
    if (!*p) return 0;
  }
  return 0;
}

/* Re-split first/von/last by BibTeX's rule when a word starts with a brace
   group (the shape where libbtparse disagrees with BibTeX). */
static int fix_von(bt_name *nm, const char *item, pr_raw_name *r) {
  int n = nm->part_len[BTN_FIRST] + nm->part_len[BTN_VON] + nm->part_len[BTN_LAST], need = 0;
  if (n < 2 || !strchr(item, '{')) return 0;
  char **t = malloc((size_t)n * sizeof *t);
  if (!t) return -1;
  int k = 0;
  for (int part = BTN_FIRST; part <= BTN_LAST; part++)
    if (part != BTN_JR)
      for (int i = 0; i < nm->part_len[part]; i++) t[k++] = nm->parts[part][i];
  for (int i = 0; i < n; i++) need |= t[i][0] == '{';
  int commas = 0, depth = 0;
  for (const char *p = item; *p; p++) {
    if (*p == '{') depth++;
    else if (*p == '}') depth--;
    else if (*p == ',' && depth == 0) commas++;
  }
  if (!need) { free(t); return 0; }
  int nf = commas ? 0 : nm->part_len[BTN_FIRST]; /* with commas, first is elsewhere */
  int from = commas ? nm->part_len[BTN_FIRST] : 0, vs = -1, ve = -1;
  for (int i = from; i < n - 1; i++)
    if (bibtex_lower(t[i])) {
      if (vs < 0) vs = i;
      ve = i;
    }
  if (commas && vs >= 0) vs = from;   /* "von Last, First": von runs from the start */
  if (!commas) nf = vs >= 0 ? vs : n - 1;
  char *first = commas ? NULL : join_range(t, 0, nf);
  char *von = vs >= 0 ? join_range(t, vs, ve + 1) : pr_strdup("");
  char *last = join_range(t, vs >= 0 ? ve + 1 : (commas ? from : nf), n);
  free(t);
  if ((!commas && !first) || !von || !last) {
    free(first);
    free(von);
    free(last);
    return -1;
  }
  if (!commas) { free(r->first); r->first = first; }
  free(r->von);
  free(r->last);
  r->von = von;
  r->last = last;
  return 0;
}

void old_raw_names_free(pr_raw_name *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    free(v[i].first);
    free(v[i].von);
    free(v[i].last);
    free(v[i].jr);
  }
  free(v);
}

/* Split a collapsed name list into names the way BibTeX does: words are
   separated by spaces at brace depth 0, and a word "and" (any case) ends a
   name ("a and and b" has an empty second name). In place: items[] get the
   starts, each NUL-terminated in s; with items NULL, only counts.
   (libbtparse's bt_split_list needs stack in proportion to the number of
   names and overflows it at a few 100,000.) */
static size_t split_and(char *s, char **items) {
  size_t n = 0;
  int depth = 0;
  char *start = s, *word = s;
  for (char *p = s;; p++) {
    if (*p == '{') depth++;
    else if (*p == '}' && depth > 0) depth--;
    if (*p && (*p != ' ' || depth > 0)) continue;
    /* a word ends at p */
    if (p - word == 3 && strncasecmp(word, "and", 3) == 0) {
      if (items) {
        items[n] = start;
        word[word > start ? -1 : 0] = '\0'; /* ends the name before "and" */
      }
      n++;
      start = *p ? p + 1 : p;
    }
    if (!*p) break;
    word = p + 1;
  }
  if (items) items[n] = start;
  return n + 1;
}

/* Where btparse's messages go while the old splitter runs. */
static FILE *capture;

long old_split_names(const char *list, pr_raw_name **out, char ***items_out, char **warnings) {
  *out = NULL;
  *items_out = NULL;
  *warnings = NULL;
  char *clean = collapse_ws(list);
  if (!clean) return -1;
  long count = 0;
  pr_raw_name *v = NULL;
  char **names = NULL;
  int nomem = 0;
  /* btparse prints its warnings: catch them in a file */
  if (!capture) capture = tmpfile();
  if (!capture) { free(clean); return -1; }
  fflush(stderr);
  if (ftruncate(fileno(capture), 0) || lseek(fileno(capture), 0, SEEK_SET) != 0) nomem = 1;
  int saved = dup(2);
  dup2(fileno(capture), 2);
  size_t nitems = split_and(clean, NULL);
  char **items = nitems ? calloc(nitems, sizeof *items) : NULL;
  if (items) split_and(clean, items);
  if (items) v = calloc(nitems, sizeof *v);
  if (items) names = calloc(nitems, sizeof *names);
  if (nitems && (!items || !v || !names)) nomem = 1;
  for (size_t i = 0; v && names && i < nitems; i++) {
    char *item = sanitise_name(items[i]);
    if (!item) { nomem = 1; break; }
    if (!*item) { free(item); continue; }
    bt_name *nm = bt_split_name(item, "old", 1, (int)i + 1);
    if (nm && nm->tokens) {
      pr_raw_name *r = &v[count];
      names[count++] = pr_strdup(item);
      r->first = join_part(nm, BTN_FIRST);
      r->von = join_part(nm, BTN_VON);
      r->last = join_part(nm, BTN_LAST);
      r->jr = join_part(nm, BTN_JR);
      if (!r->first || !r->von || !r->last || !r->jr || fix_von(nm, item, r)) nomem = 1;
    }
    if (nm) bt_free_name(nm);
    free(item);
    if (nomem) break;
  }
  free(items);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  off_t size = lseek(fileno(capture), 0, SEEK_END);
  char *text = malloc(size > 0 ? (size_t)size + 1 : 1);
  if (text) {
    size_t k = 0;
    if (size > 0 && pread(fileno(capture), text, (size_t)size, 0) == size) k = (size_t)size;
    text[k] = '\0';
  }
  *warnings = text;
  free(clean);
  if (nomem || !text) {
    old_raw_names_free(v, (size_t)count);
    old_items_free(names, (size_t)count);
    free(text);
    *warnings = NULL;
    return -1;
  }
  *out = v;
  *items_out = names;
  return count;
}

void old_items_free(char **items, size_t n) {
  for (size_t i = 0; items && i < n; i++) free(items[i]);
  free(items);
}
