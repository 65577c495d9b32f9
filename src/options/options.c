/* options.c - pr_options: what a render is asked to do, set through setters. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "options/options.h"

/* ---- options ---- */

pr_options *pr_options_new(void) {
  pr_options *o = calloc(1, sizeof *o);
  if (!o) return NULL;
  o->heading_level = 2;
  o->threads = 1;
  o->sel.undated_heading = "Undated";
  o->hl_index.borrow = 1;
  if (pr_options_set_legend(o, "*", "Equal Contribution") ||
      pr_options_set_legend(o, "\xe2\x80\xa0", "Corresponding Author")) {
    pr_options_free(o);
    return NULL;
  }
  /* one author marked * is no equal contribution (often: the corresponding
     author); a * legend the user sets is shown for one */
  o->legends[0].need = 2;
  return o;
}

void pr_options_free(pr_options *o) {
  if (!o) return;
  for (size_t i = 0; i < o->nhl; i++) {
    free(o->hl[i].last);
    free(o->hl[i].first);
  }
  free(o->hl);
  pr_map_free(&o->hl_index);
  for (size_t i = 0; i < o->nlegends; i++) {
    free(o->legends[i].mark);
    free(o->legends[i].text);
  }
  free(o->legends);
  pr_query_free(o->sel.query);
  pr_sort_spec_clear(&o->sel.sort);
  for (size_t i = 0; i < o->sel.ntype_names; i++) {
    free(o->sel.type_names[i].mark);
    free(o->sel.type_names[i].text);
  }
  free(o->sel.type_names);
  for (size_t i = 0; i < o->sel.ntype_order; i++) free(o->sel.type_order[i]);
  free(o->sel.type_order);
  pr_options_free_config(o);
  pr_options_free_templates(o);
  free(o->id_prefix);
  free(o);
}

pr_status pr_options_set_query(pr_options *o, const char *query, pr_error *err) {
  if (!o) return PR_ERR_ARG;
  pr_query *q = NULL;
  pr_status st = query ? pr_query_parse(query, &q, err) : PR_OK;
  if (st != PR_OK) return st;
  pr_query_free(o->sel.query);
  o->sel.query = q;
  return PR_OK;
}

pr_status pr_options_set_sort(pr_options *o, const char *keys, pr_error *err) {
  if (!o || !keys) return PR_ERR_ARG;
  return pr_sort_spec_parse(&o->sel.sort, keys, err);
}

pr_status pr_options_set_group_by(pr_options *o, const char *groups, pr_error *err) {
  if (!o || !groups) return PR_ERR_ARG;
  int y = 0, t = 0;
  if (strcmp(groups, "year") == 0) y = 1;
  else if (strcmp(groups, "type") == 0) t = 1;
  else if (strcmp(groups, "year,type") == 0) y = t = 1;
  else if (strcmp(groups, "none") != 0) {
    pr_set_error(err, PR_ERR_ARG, "group-by", 0,
                 "unknown grouping '%s' (use none, year, type or year,type)", groups);
    return PR_ERR_ARG;
  }
  o->sel.group_year = y;
  o->sel.group_type = t;
  return PR_OK;
}

void pr_options_set_numbering(pr_options *o, int per_group, int reversed) {
  if (!o) return;
  o->sel.number_per_group = per_group != 0;
  o->sel.reverse_numbers = reversed != 0;
}

pr_status pr_options_set_heading_level(pr_options *o, int level) {
  if (!o || level < 1 || level > 6) return PR_ERR_ARG;
  o->heading_level = level;
  return PR_OK;
}

pr_status pr_options_set_threads(pr_options *o, unsigned n) {
  if (!o || n > PR_MAX_THREADS) return PR_ERR_ARG;
  o->threads = n;
  return PR_OK;
}

unsigned pr_options_get_threads(const pr_options *o) { return o ? o->threads : 1; }

pr_status pr_options_set_type_name(pr_options *o, const char *type, const char *name) {
  if (!o || !type || !name) return PR_ERR_ARG;
  pr_legend *v = realloc(o->sel.type_names, (o->sel.ntype_names + 1) * sizeof *v);
  if (!v) return PR_ERR_NOMEM;
  o->sel.type_names = v;
  pr_legend l = {pr_key_fold(type), pr_strdup(name), 0};
  if (!l.mark || !l.text) {
    free(l.mark);
    free(l.text);
    return PR_ERR_NOMEM;
  }
  memmove(v + 1, v, o->sel.ntype_names * sizeof *v); /* the latest setting wins */
  v[0] = l;
  o->sel.ntype_names++;
  return PR_OK;
}

pr_status pr_options_set_type_order(pr_options *o, const char *types) {
  if (!o || !types) return PR_ERR_ARG;
  char *copy = pr_key_fold(types);
  if (!copy) return PR_ERR_NOMEM;
  for (size_t i = 0; i < o->sel.ntype_order; i++) free(o->sel.type_order[i]);
  free(o->sel.type_order);
  o->sel.type_order = NULL;
  o->sel.ntype_order = 0;
  char *save = NULL;
  pr_status st = PR_OK;
  for (char *t = strtok_r(copy, ", ", &save); t && st == PR_OK; t = strtok_r(NULL, ", ", &save)) {
    char **v = realloc(o->sel.type_order, (o->sel.ntype_order + 1) * sizeof *v);
    if (!v || !(v[o->sel.ntype_order] = pr_strdup(t))) st = PR_ERR_NOMEM;
    if (v) o->sel.type_order = v;
    if (st == PR_OK) o->sel.ntype_order++;
  }
  free(copy);
  return st;
}

pr_status pr_options_set_format(pr_options *o, pr_format f) {
  if (!o || (f != PR_FORMAT_HTML && f != PR_FORMAT_MARKDOWN && f != PR_FORMAT_JSON &&
             f != PR_FORMAT_CSL_JSON && f != PR_FORMAT_VIEW_JSON))
    return PR_ERR_ARG;
  o->format = f;
  return PR_OK;
}

void pr_options_set_standalone(pr_options *o, int on) {
  if (o) o->standalone = on != 0;
}

pr_status pr_options_add_highlight(pr_options *o, const char *name) {
  if (!o || !name) return PR_ERR_ARG;
  pr_raw_name *raw;
  long n = pr_bt_split_names(name, NULL, "<highlight>", 0, &raw);
  if (n < 0) return PR_ERR_NOMEM;
  if (n != 1) {
    pr_raw_names_free(raw, (size_t)n);
    return PR_ERR_ARG;
  }
  pr_highlight *v = realloc(o->hl, (o->nhl + 1) * sizeof *v);
  if (!v) {
    pr_raw_names_free(raw, 1);
    return PR_ERR_NOMEM;
  }
  o->hl = v;
  pr_highlight h = {NULL, NULL, 0};
  int rc = pr_spec_match_key(raw->von, raw->last, raw->first, &h.last, &h.first);
  pr_raw_names_free(raw, 1);
  if (rc) return PR_ERR_NOMEM;
  if (!*h.last) { /* no family name: it would match nobody */
    free(h.last);
    free(h.first);
    return PR_ERR_ARG;
  }
  /* indexed by the last word of its family, so that a name is compared only
     with the highlights that share it (every match does) */
  const char *index = pr_family_index(h.last);
  size_t head = 0;
  pr_map_get(&o->hl_index, index, &head);
  h.next = head;
  if (pr_map_put(&o->hl_index, index, o->nhl + 1)) {
    free(h.last);
    free(h.first);
    return PR_ERR_NOMEM;
  }
  o->hl[o->nhl++] = h;
  return PR_OK;
}

pr_status pr_options_set_legend(pr_options *o, const char *mark, const char *text) {
  if (!o || !mark || !*mark) return PR_ERR_ARG;
  size_t i = 0;
  while (i < o->nlegends && strcmp(o->legends[i].mark, mark) != 0) i++;
  if (i < o->nlegends && !text) { /* remove */
    free(o->legends[i].mark);
    free(o->legends[i].text);
    memmove(&o->legends[i], &o->legends[i + 1], (o->nlegends - i - 1) * sizeof *o->legends);
    o->nlegends--;
    return PR_OK;
  }
  if (i < o->nlegends) {
    char *t = pr_strdup(text);
    if (!t) return PR_ERR_NOMEM;
    free(o->legends[i].text);
    o->legends[i].text = t;
    o->legends[i].need = 0;
    return PR_OK;
  }
  if (!text) return PR_OK;
  pr_legend *v = realloc(o->legends, (o->nlegends + 1) * sizeof *v);
  if (!v) return PR_ERR_NOMEM;
  o->legends = v;
  pr_legend l = {pr_strdup(mark), pr_strdup(text), 0};
  if (!l.mark || !l.text) {
    free(l.mark);
    free(l.text);
    return PR_ERR_NOMEM;
  }
  o->legends[o->nlegends++] = l;
  return PR_OK;
}

pr_status pr_options_set_group_order(pr_options *o, int order) {
  if (!o || order < -1 || order > 1) return PR_ERR_ARG;
  o->sel.group_order = order;
  return PR_OK;
}
