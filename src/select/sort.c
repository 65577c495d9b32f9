/* sort.c - ordering entries by several keys, each ascending or descending,
   stably (file order breaks ties). Keys are computed once per entry, so a
   sort costs O(n log n) comparisons of ready-made values. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "select/select.h"

void pr_sort_spec_clear(pr_sort_spec *s) {
  for (size_t i = 0; i < s->n; i++) free(s->keys[i].field);
  free(s->keys);
  s->keys = NULL;
  s->n = 0;
}

/* "year:desc,month:desc,title" (also "-year" for descending). */
pr_status pr_sort_spec_parse(pr_sort_spec *s, const char *text, pr_error *err) {
  pr_sort_spec out = {0};
  const char *p = text;
  while (*p) {
    while (*p == ' ' || *p == ',') p++;
    if (!*p) break;
    const char *end = p + strcspn(p, ",");
    const char *colon = memchr(p, ':', (size_t)(end - p));
    int desc = 0;
    if (*p == '-') { desc = 1; p++; }
    const char *fend = colon ? colon : end;
    while (fend > p && fend[-1] == ' ') fend--;
    if (colon) {
      const char *dir = colon + 1;
      while (*dir == ' ') dir++;
      size_t n = (size_t)(end - dir);
      while (n && dir[n - 1] == ' ') n--;
      if (n == 4 && strncasecmp(dir, "desc", 4) == 0) desc = 1;
      else if (!(n == 3 && strncasecmp(dir, "asc", 3) == 0)) {
        pr_set_error(err, PR_ERR_ARG, "sort", 1, "sort direction must be asc or desc at column %zu",
                     (size_t)(dir - text) + 1);
        if (err) err->column = (unsigned)(dir - text) + 1;
        pr_sort_spec_clear(&out);
        return PR_ERR_ARG;
      }
    }
    if (fend == p) {
      pr_set_error(err, PR_ERR_ARG, "sort", 1, "missing sort key at column %zu",
                   (size_t)(p - text) + 1);
      if (err) err->column = (unsigned)(p - text) + 1;
      pr_sort_spec_clear(&out);
      return PR_ERR_ARG;
    }
    pr_sort_key *v = realloc(out.keys, (out.n + 1) * sizeof *v);
    char *field = v ? pr_strndup(p, (size_t)(fend - p)) : NULL;
    if (!field) {
      free(v ? v : out.keys);
      if (v) out.keys = v;
      pr_sort_spec_clear(&out);
      return PR_ERR_NOMEM;
    }
    for (char *f = field; *f; f++) *f = (char)tolower((unsigned char)*f);
    out.keys = v;
    out.keys[out.n].field = field;
    out.keys[out.n++].desc = desc;
    p = end;
  }
  if (!out.n) {
    pr_set_error(err, PR_ERR_ARG, "sort", 1, "empty sort specification");
    return PR_ERR_ARG;
  }
  pr_sort_spec_clear(s);
  *s = out;
  return PR_OK;
}

long pr_year_rank(const pr_entry *e) {
  return e->year ? e->year : e->year_word ? PR_WORD_YEAR : 0;
}

/* One entry's value for one key: a number, or folded text; missing values
   sort last whatever the direction. */
typedef struct key_val {
  int missing, numeric;
  long num;
  char *text;
} key_val;

typedef struct sort_item {
  const pr_entry *e;
  key_val *vals;
  const pr_sort_spec *spec;  /* qsort passes no context: each item carries it */
} sort_item;

static key_val compute(const pr_entry *e, const char *field) {
  key_val v = {0};
  if (strcmp(field, "year") == 0 || strcmp(field, "month") == 0) {
    v.numeric = 1;
    v.num = field[0] == 'y' ? pr_year_rank(e) : e->month;
    v.missing = v.num == 0;
    return v;
  }
  if (strcmp(field, "none") == 0) { /* jekyll-scholar's sort_by: none: file order */
    v.numeric = 1;
    return v;
  }
  char *raw = NULL;
  if (strcmp(field, "author") == 0 || strcmp(field, "editor") == 0) {
    const pr_name *n = pr_entry_name(e, field, 0);
    if (!n && field[0] == 'a') n = pr_entry_name(e, "editor", 0);
    char *key, *first;
    if (n && pr_name_fold(n, &key, &first) == 0) {
      size_t len = strlen(key) + strlen(first) + 2;
      raw = malloc(len);
      if (raw) snprintf(raw, len, "%s %s", key, first);
      free(key);
      free(first);
    }
    v.text = raw;
  } else {
    const char *src = strcmp(field, "key") == 0 ? e->key : strcmp(field, "type") == 0 ? e->type
                                                                                         : NULL;
    v.text = src ? pr_fold(src) : NULL;
    if (!src) {
      const char *f = pr_entry_field(e, field);
      v.text = f ? pr_fold(f) : NULL;
    }
  }
  v.missing = !v.text || !*v.text;
  if (v.text && isdigit((unsigned char)v.text[0])) {
    char *end;
    v.num = strtol(v.text, &end, 10);
    v.numeric = *end == '\0' || *end == ' ';
  }
  return v;
}

static int compare_items(const void *pa, const void *pb) {
  const sort_item *a = pa, *b = pb;
  const pr_sort_spec *spec = a->spec;
  for (size_t k = 0; k < spec->n; k++) {
    const key_val *x = &a->vals[k], *y = &b->vals[k];
    if (x->missing != y->missing) return x->missing ? 1 : -1;
    if (x->missing) continue;
    int c = x->numeric && y->numeric ? (x->num > y->num) - (x->num < y->num)
                                     : strcmp(x->text ? x->text : "", y->text ? y->text : "");
    if (c) return spec->keys[k].desc ? -c : c;
  }
  return (a->e->order > b->e->order) - (a->e->order < b->e->order);
}

/* Newest first (year, then month, descending; file order breaks ties). */
static int compare_newest(const void *pa, const void *pb) {
  const pr_entry *a = *(const pr_entry *const *)pa, *b = *(const pr_entry *const *)pb;
  long ya = pr_year_rank(a), yb = pr_year_rank(b);
  if ((ya == 0) != (yb == 0)) return ya == 0 ? 1 : -1;
  if (ya != yb) return ya < yb ? 1 : -1;
  if ((a->month == 0) != (b->month == 0)) return a->month == 0 ? 1 : -1;
  if (a->month != b->month) return a->month < b->month ? 1 : -1;
  return (a->order > b->order) - (a->order < b->order);
}

int pr_sort_entries(const pr_entry **v, size_t n, const pr_sort_spec *spec) {
  /* the default order needs no key table: the keys are in the entries */
  if (spec->n == 2 && spec->keys[0].desc && spec->keys[1].desc &&
      strcmp(spec->keys[0].field, "year") == 0 && strcmp(spec->keys[1].field, "month") == 0) {
    qsort(v, n, sizeof *v, compare_newest);
    return 0;
  }
  sort_item *items = calloc(n ? n : 1, sizeof *items);
  key_val *vals = calloc(n * spec->n > 0 ? n * spec->n : 1, sizeof *vals);
  int rc = items && vals ? 0 : -1;
  for (size_t i = 0; i < n && rc == 0; i++) {
    items[i].e = v[i];
    items[i].vals = vals + i * spec->n;
    items[i].spec = spec;
    for (size_t k = 0; k < spec->n; k++) items[i].vals[k] = compute(v[i], spec->keys[k].field);
  }
  if (rc == 0) {
    qsort(items, n, sizeof *items, compare_items);
    for (size_t i = 0; i < n; i++) v[i] = items[i].e;
  }
  for (size_t i = 0; vals && i < n * spec->n; i++) free(vals[i].text);
  free(vals);
  free(items);
  return rc;
}

/* ---- ordering ---- */

const pr_entry **pr_sorted_entries(const pr_bib *bib) {
  static const pr_sort_key newest[] = {{(char *)"year", 1}, {(char *)"month", 1}};
  pr_sort_spec def = {(pr_sort_key *)newest, 2};
  const pr_entry **v = malloc((bib->n ? bib->n : 1) * sizeof *v);
  if (!v) return NULL;
  for (size_t i = 0; i < bib->n; i++) v[i] = bib->entries[i];
  if (pr_sort_entries(v, bib->n, &def)) {
    free(v);
    return NULL;
  }
  return v;
}
