/* plan.c - what gets rendered, in which order and groups: the query
   selects, the sort keys order (newest first by default), and the grouping
   (none, year, type, year then type) splits the list under headings, with
   the numbers each group's list starts at. */
#define _GNU_SOURCE /* qsort_r */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "select/select.h"

static const char *const default_type_order[] = {
    "article",  "inproceedings", "conference",    "incollection", "inbook",
    "book",     "proceedings",   "collection",    "phdthesis",    "mastersthesis",
    "thesis",   "techreport",    "report",        "patent",       "online",
    "software", "dataset",       "unpublished",   "misc"};

static const struct { const char *type, *name; } default_type_names[] = {
    {"article", "Journal Articles"},     {"inproceedings", "Conference Papers"},
    {"conference", "Conference Papers"}, {"incollection", "Book Chapters"},
    {"inbook", "Book Chapters"},         {"book", "Books"},
    {"proceedings", "Proceedings"},      {"collection", "Edited Volumes"},
    {"phdthesis", "Theses"},             {"mastersthesis", "Theses"},
    {"thesis", "Theses"},                {"techreport", "Technical Reports"},
    {"report", "Reports"},               {"patent", "Patents"},
    {"online", "Online"},                {"software", "Software"},
    {"dataset", "Datasets"},             {"unpublished", "Manuscripts"},
    {"misc", "Other"}};

const char *pr_type_heading(const pr_select_spec *o, const char *type) {
  for (size_t i = 0; i < o->ntype_names; i++)
    if (strcmp(o->type_names[i].mark, type) == 0) return o->type_names[i].text;
  for (size_t i = 0; i < sizeof default_type_names / sizeof *default_type_names; i++)
    if (strcmp(default_type_names[i].type, type) == 0) return default_type_names[i].name;
  return type;
}

/* Position of a type's heading in the type order: configured, else the
   default; unknown types after all known ones, by the heading text. */
static size_t type_rank(const pr_select_spec *o, const char *type) {
  const char *heading = pr_type_heading(o, type);
  if (o->ntype_order) {
    for (size_t i = 0; i < o->ntype_order; i++)
      if (strcmp(o->type_order[i], type) == 0 ||
          strcmp(pr_type_heading(o, o->type_order[i]), heading) == 0)
        return i;
    return o->ntype_order;
  }
  size_t n = sizeof default_type_order / sizeof *default_type_order;
  for (size_t i = 0; i < n; i++)
    if (strcmp(pr_type_heading(o, default_type_order[i]), heading) == 0) return i;
  return n;
}

/* An entry's place in the grouped list: 24 bytes, one per entry. */
typedef struct grouped {
  const pr_entry *e;
  const char *theading;
  unsigned pos;      /* position in the sorted list */
  unsigned trank;    /* type rank */
  unsigned wrank;    /* a year that is a word: 1 + its index in the plan's words, else 0 */
} grouped;

typedef struct group_order {
  int by_year, year_desc; /* years newest first */
} group_order;

/* The group's year: 0 no year (goes last), PR_WORD_YEAR a word (newer than any number). */
static long group_year_of(const group_order *o, const grouped *g) {
  return o->by_year ? pr_year_rank(g->e) : 1;
}

static int same_year(const group_order *o, const grouped *a, const grouped *b) {
  return group_year_of(o, a) == group_year_of(o, b) && (!o->by_year || a->wrank == b->wrank);
}

static int cmp_grouped(const void *pa, const void *pb, void *ctx) {
  const grouped *a = pa, *b = pb;
  const group_order *o = ctx;
  long ya = group_year_of(o, a), yb = group_year_of(o, b);
  if ((ya == 0) != (yb == 0)) return ya == 0 ? 1 : -1;
  if (ya != yb) return (ya < yb) == o->year_desc ? 1 : -1;
  if (o->by_year && a->wrank != b->wrank) return a->wrank < b->wrank ? -1 : 1;
  if (a->trank != b->trank) return a->trank < b->trank ? -1 : 1;
  int c = strcmp(a->theading, b->theading);
  if (c) return c;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

/* The distinct years that are words, in the order first met in the sorted
   list: each heads one group, written as its first entry has it. */
typedef struct words {
  char **text, **folded;
  size_t n;
} words;

static void words_free(words *w) {
  for (size_t i = 0; i < w->n; i++) {
    free(w->text[i]);
    free(w->folded[i]);
  }
  free(w->text);
  free(w->folded);
}

static int word_rank(words *w, const pr_entry *e, unsigned *rank) {
  char *text = pr_entry_year_word(e), *f = text ? pr_fold(text) : NULL;
  if (!f) {
    free(text);
    return -1;
  }
  for (size_t i = 0; i < w->n; i++)
    if (strcmp(w->folded[i], f) == 0) {
      free(text);
      free(f);
      *rank = (unsigned)i + 1;
      return 0;
    }
  char **t = realloc(w->text, (w->n + 1) * sizeof *t);
  if (t) w->text = t;
  char **fv = t ? realloc(w->folded, (w->n + 1) * sizeof *fv) : NULL;
  if (!fv) {
    free(text);
    free(f);
    return -1;
  }
  w->folded = fv;
  w->text[w->n] = text;
  w->folded[w->n++] = f;
  *rank = (unsigned)w->n;
  return 0;
}

static int add_group(pr_plan *p, const char *heading, int level) {
  pr_group *v = realloc(p->groups, (p->ngroups + 1) * sizeof *v);
  if (!v) return -1;
  p->groups = v;
  pr_group *g = &p->groups[p->ngroups++];
  memset(g, 0, sizeof *g);
  g->level = level;
  if (heading && !(g->heading = pr_strdup(heading))) return -1;
  return 0;
}

void pr_plan_clear(pr_plan *p) {
  for (size_t i = 0; i < p->ngroups; i++) free(p->groups[i].heading);
  free(p->groups);
  free(p->all);
  memset(p, 0, sizeof *p);
}

/* Does the sort put years in descending order (the default)? */
static int years_descending(const pr_select_spec *o) {
  for (size_t k = 0; k < o->sort.n; k++)
    if (strcmp(o->sort.keys[k].field, "year") == 0) return o->sort.keys[k].desc;
  return 1;
}


int pr_plan_build(pr_plan *p, const pr_bib *bib, const pr_select_spec *o, pr_error *err) {
  memset(p, 0, sizeof *p);
  p->all = malloc((bib->n ? bib->n : 1) * sizeof *p->all);
  if (!p->all) return -1;
  for (size_t i = 0; i < bib->n; i++) {
    int m = pr_query_match_err(o->query, bib->entries[i], err);
    if (m < 0) return m == -1 ? -2 : -1;
    if (m) p->all[p->nall++] = bib->entries[i];
  }
  static const pr_sort_key newest[] = {{(char *)"year", 1}, {(char *)"month", 1}};
  pr_sort_spec def = {(pr_sort_key *)newest, 2};
  if (pr_sort_entries(p->all, p->nall, o->sort.n ? &o->sort : &def)) return -1;

  if (!o->group_year && !o->group_type) { /* one list, in sorted order */
    if (add_group(p, NULL, 0)) return -1;
    pr_group *grp = &p->groups[0];
    grp->v = p->all;
    grp->n = p->nall;
    grp->start = o->reverse_numbers && p->nall ? p->nall : 1;
    return 0;
  }
  grouped *g = calloc(p->nall ? p->nall : 1, sizeof *g);
  if (!g) return -1;
  group_order order = {o->group_year,
                       o->group_order ? o->group_order < 0 : years_descending(o)};
  words w = {0};
  int rc = 0;
  for (size_t i = 0; i < p->nall && rc == 0; i++) {
    const pr_entry *e = p->all[i];
    g[i] = (grouped){e, o->group_type ? pr_type_heading(o, e->type) : "", (unsigned)i,
                     o->group_type ? (unsigned)type_rank(o, e->type) : 0, 0};
    if (o->group_year && !e->year && e->year_word) rc = word_rank(&w, e, &g[i].wrank);
  }
  if (rc == 0) qsort_r(g, p->nall, sizeof *g, cmp_grouped, &order);
  size_t number = 1;
  for (size_t i = 0; i < p->nall && rc == 0;) {
    size_t j = i;
    long year = group_year_of(&order, &g[i]);
    while (j < p->nall && same_year(&order, &g[j], &g[i]) && g[j].trank == g[i].trank &&
           strcmp(g[j].theading, g[i].theading) == 0)
      j++;
    char ytext[32];
    if (year < 0) snprintf(ytext, sizeof ytext, "%ld BC", -year); /* CSL's count: -45 is 45 BC */
    else snprintf(ytext, sizeof ytext, "%ld", year);
    const char *yh = g[i].wrank ? w.text[g[i].wrank - 1] : year ? ytext : o->undated_heading;
    int new_year = o->group_year && (i == 0 || !same_year(&order, &g[i - 1], &g[i]));
    if (o->group_year && o->group_type) {
      if (new_year) rc |= add_group(p, yh, 0);
      rc |= add_group(p, g[i].theading, 1);
    } else if (o->group_year) {
      rc |= add_group(p, yh, 0);
    } else if (o->group_type) {
      rc |= add_group(p, g[i].theading, 0);
    } else {
      rc |= add_group(p, NULL, 0);
    }
    if (rc) break;
    pr_group *grp = &p->groups[p->ngroups - 1];
    grp->v = p->all + i;
    grp->n = j - i;
    if (o->number_per_group) number = 1;
    grp->start = o->reverse_numbers ? (o->number_per_group ? grp->n : p->nall - number + 1) : number;
    number += grp->n;
    i = j;
  }
  /* entries in group order (p->all is reused: groups point into it) */
  for (size_t i = 0; i < p->nall; i++) p->all[i] = g[i].e;
  free(g);
  words_free(&w);
  if (rc == 0 && p->nall == 0 && (rc = add_group(p, NULL, 0)) == 0) p->groups[0].start = 1;
  return rc;
}
