/* select.h - which entries a list shows and in what order: --query,
   --sort, and the plan of groups under headings. */
#ifndef PR_SELECT_H
#define PR_SELECT_H
#include "model/model.h"

/* A text for a key: a type's heading, a mark's legend, a field's link prefix. */
typedef struct pr_legend {
  char *mark, *text;
  size_t need; /* legends: authors carrying the mark before it is shown (0: one) */
} pr_legend;

/* ---- queries (query.c) ---- */
/* pr_query_match, telling a limit apart: 1 match, 0 no match, -1 when a
   regular expression hit a limit (err: PR_ERR_INPUT naming the condition
   and the entry), -2 when memory ran out. */
int pr_query_match_err(const pr_query *q, const pr_entry *e, pr_error *err);

/* ---- ordering (sort.c) ---- */
typedef struct pr_sort_key {
  char *field;            /* lower case: year, month, title, author, key, type, any field */
  int desc;
} pr_sort_key;

typedef struct pr_sort_spec {
  pr_sort_key *keys;
  size_t n;               /* 0: newest first */
} pr_sort_spec;
/* sort.c: the year that orders e: its number, PR_WORD_YEAR for a word (newer
   than every number), 0 for none. */
#define PR_WORD_YEAR 1000000L
long pr_year_rank(const pr_entry *e);
/* Order v by spec, stably (file order breaks ties). 0, or -1 when out of
   memory. */
int pr_sort_entries(const pr_entry **v, size_t n, const pr_sort_spec *spec);
pr_status pr_sort_spec_parse(pr_sort_spec *s, const char *text, pr_error *err);
void pr_sort_spec_clear(pr_sort_spec *s);
/* The entries of bib newest first (malloc'd array of borrowed pointers). */
const pr_entry **pr_sorted_entries(const pr_bib *bib);

/* ---- what is rendered (plan.c) ---- */
/* What the options say about selection, order and grouping (a part of
   pr_options, set by its setters). */
typedef struct pr_select_spec {
  pr_query *query;                 /* NULL: all entries */
  pr_sort_spec sort;
  int group_year, group_type;
  int group_order;                 /* year groups: 0 as the sort has years, 1 oldest, -1 newest first */
  int number_per_group, reverse_numbers;
  const char *undated_heading;     /* static text */
  pr_legend *type_names;           /* mark = type, text = heading */
  size_t ntype_names;
  char **type_order;
  size_t ntype_order;
} pr_select_spec;

typedef struct pr_group {
  char *heading;             /* NULL: no heading */
  int level;                 /* 0, or 1 for a type under a year */
  const pr_entry **v;        /* entries (borrowed from the plan) */
  size_t n;
  size_t start;              /* number of the first entry */
} pr_group;

typedef struct pr_plan {
  const pr_entry **all;      /* selected entries in display order */
  size_t nall;
  pr_group *groups;          /* at least one */
  size_t ngroups;
} pr_plan;

/* 0, -1 when out of memory, -2 when the query hit a limit of its regular
   expressions (err filled, PR_ERR_INPUT). */
int pr_plan_build(pr_plan *p, const pr_bib *bib, const pr_select_spec *s, pr_error *err);
void pr_plan_clear(pr_plan *p);
const char *pr_type_heading(const pr_select_spec *s, const char *type);

#endif
