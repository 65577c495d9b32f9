/* list.c - the display model as the public API (pubrender.h, "the display
   model"): pr_list_build keeps the view (view.c) of every entry of the
   list, with each text value both plain and written as the built-in HTML
   template writes it (pr_view_put, shared with view_json.c). */
#include <stdlib.h>
#include <string.h>
#include "render/render.h"

/* ---- one text value of a view, plain or in a format ---- */

/* LaTeX source converted to marked text and written by f (NULL: plain). */
static void put_latex(pr_buf *out, const pr_format_ops *f, const char *latex) {
  char *m = pr_latex_to_marked(latex, strlen(latex), NULL, NULL);
  if (!m) {
    out->failed = 1;
    return;
  }
  if (f) {
    f->marked(out, m);
  } else {
    char *p = pr_marked_to_plain(m);
    if (p) pr_buf_puts(out, p);
    else out->failed = 1;
    free(p);
  }
  free(m);
}

/* Marked text written by f (NULL: plain). */
static void put_marked(pr_buf *out, const pr_format_ops *f, const char *m) {
  if (f) {
    f->marked(out, m);
    return;
  }
  char *p = pr_marked_to_plain(m);
  if (p) pr_buf_puts(out, p);
  else out->failed = 1;
  free(p);
}

/* Plain text written by f (NULL: as it is). */
static void put_text(pr_buf *out, const pr_format_ops *f, const char *s) {
  if (f) f->text(out, s);
  else pr_buf_puts(out, s);
}

int pr_view_put(pr_buf *out, const pr_format_ops *f, const pr_view *v, int field) {
  switch ((pr_item_field)field) {
  case PR_ITEM_TITLE:
  case PR_ITEM_ABBR:
  case PR_ITEM_VENUE: {
    const char *m = field == PR_ITEM_TITLE ? v->title : field == PR_ITEM_ABBR ? v->abbr : v->venue;
    if (!m) return 0;
    put_marked(out, f, m);
    return 1;
  }
  case PR_ITEM_LEGEND: /* an entry's annotation (Markdown allowed) replaces the default legend */
    if (v->annotation) {
      if (f) f->annotation(out, v->annotation);
      else put_latex(out, NULL, v->annotation);
      return 1;
    }
    if (!v->legend) return 0;
    put_text(out, f, v->legend);
    return 1;
  case PR_ITEM_ROLE:
  case PR_ITEM_MORE_LABEL: {
    const char *s = field == PR_ITEM_ROLE ? v->role : v->nmore ? v->more_label : NULL;
    if (!s || !*s) return 0;
    put_text(out, f, s);
    return 1;
  }
  case PR_ITEM_ADDITIONAL_INFO:
  case PR_ITEM_AWARD: {
    const char *s = field == PR_ITEM_AWARD ? v->award : v->additional_info;
    if (!s) return 0;
    if (f) f->markdown(out, s);
    else put_latex(out, NULL, s);
    return 1;
  }
  case PR_ITEM_NOTE:
  case PR_ITEM_ABSTRACT: {
    const char *s = field == PR_ITEM_NOTE ? v->note : v->abstract;
    if (!s) return 0;
    put_latex(out, f, s);
    return 1;
  }
  case PR_ITEM_AWARD_NAME:
    if (!v->award) return 0;
    if (v->award_name) put_latex(out, f, v->award_name);
    else put_text(out, f, "Awarded");
    return 1;
  case PR_ITEM_BIBTEX:
    if (!v->bibtex) return 0;
    if (f) pr_tpl_escape_html(out, v->bibtex, strlen(v->bibtex));
    else pr_buf_puts(out, v->bibtex);
    return 1;
  }
  return 0;
}

/* ---- the list ---- */

typedef struct list_author {
  const pr_name *name;
  const char *text, *html, *marks, *url, *sep, *cut_label, *cut_sep;
  size_t cut;
  int me, hidden;
} list_author;

typedef struct list_link { const char *label, *url; } list_link;

struct pr_item {
  const pr_entry *entry;
  const char *id, *marker, *year_label;
  size_t number;
  int selected;
  const char *text[PR_VIEW_NFIELDS], *html[PR_VIEW_NFIELDS];
  const char *badge_url, *badge_color, *badge_text_color, *preview;
  list_author *authors;
  size_t nauthors, nmore;
  list_link *links;
  size_t nlinks;
};

typedef struct list_group {
  const char *heading;
  int level;
  size_t start, first, n;   /* its items: items[first .. first + n) */
} list_group;

struct pr_list {
  pr_val_arena mem;          /* every string and array of the list */
  pr_item *items;
  size_t nitems;
  list_group *groups;
  size_t ngroups;
};

/* A copy of s in the list (NULL stays NULL). */
static const char *dup(pr_list *l, const char *s) {
  return s ? pr_val_arena_strndup(&l->mem, s, strlen(s)) : NULL;
}

/* The text of field of v written by f (NULL: plain), copied into l; NULL
   when v has none. */
static const char *piece(pr_list *l, pr_buf *b, const pr_format_ops *f, const pr_view *v,
                         int field) {
  b->len = 0;
  if (!pr_view_put(b, f, v, field)) return NULL;
  if (b->failed) {
    l->mem.failed = 1;
    return NULL;
  }
  return pr_val_arena_strndup(&l->mem, b->data ? b->data : "", b->len);
}

/* The item of view v, its strings copied into l. */
static void item_from(pr_list *l, pr_buf *b, pr_item *it, const pr_view *v) {
  it->entry = v->entry;
  b->len = 0;
  pr_buf_puts(b, v->id_prefix);
  pr_buf_puts(b, v->id);
  it->id = b->failed ? NULL : pr_val_arena_strndup(&l->mem, b->data, b->len);
  if (b->failed) l->mem.failed = 1;
  it->marker = dup(l, v->marker);
  if (v->year_label) {
    b->len = 0;
    put_marked(b, NULL, v->year_label);
    it->year_label = b->failed ? NULL : pr_val_arena_strndup(&l->mem, b->data, b->len);
    if (b->failed) l->mem.failed = 1;
  }
  it->number = v->number;
  it->selected = v->selected;
  for (int k = 0; k < PR_VIEW_NFIELDS; k++) {
    it->text[k] = piece(l, b, NULL, v, k);
    it->html[k] = piece(l, b, &pr_format_html, v, k);
  }
  if (v->abbr) {
    it->badge_url = dup(l, v->abbr_url);
    it->badge_color = dup(l, v->abbr_color);
    it->badge_text_color = dup(l, v->abbr_text_color);
  }
  it->preview = dup(l, v->preview);
  it->nauthors = v->nnames;
  it->nmore = v->nmore;
  it->authors = pr_val_arena_alloc(&l->mem, (v->nnames ? v->nnames : 1) * sizeof *it->authors);
  for (size_t i = 0; it->authors && i < v->nnames; i++) {
    const pr_view_author *va = &v->authors[i];
    list_author *a = &it->authors[i];
    a->name = va->name;
    a->text = dup(l, va->name->display);
    b->len = 0;
    pr_format_html.text(b, va->name->display);
    a->html = b->failed ? NULL : pr_val_arena_strndup(&l->mem, b->data ? b->data : "", b->len);
    if (b->failed) l->mem.failed = 1;
    a->marks = dup(l, va->marks ? va->marks : "");
    a->url = dup(l, va->url);
    a->sep = dup(l, va->sep);
    a->cut = va->cut;
    a->cut_label = dup(l, va->cut_label);
    a->cut_sep = dup(l, va->cut_sep);
    a->me = va->me;
    a->hidden = va->hidden;
  }
  it->nlinks = v->nlinks;
  it->links = pr_val_arena_alloc(&l->mem, (v->nlinks ? v->nlinks : 1) * sizeof *it->links);
  for (size_t i = 0; it->links && i < v->nlinks; i++) {
    it->links[i].label = dup(l, v->links[i].label);
    it->links[i].url = dup(l, v->links[i].href);
  }
}

/* The items and groups of plan into l. 0, or -1 when out of memory. */
static int fill(pr_list *l, const pr_plan *plan, const pr_options *o, pr_diags *diags) {
  pr_view_ctx c;
  pr_buf b = {0};
  pr_view_ctx_setup(&c, diags, o, PR_VIEW_ALL, 1, 1);
  size_t n = 0;
  for (size_t g = 0; g < plan->ngroups; g++) n += plan->groups[g].n;
  l->items = pr_val_arena_alloc(&l->mem, (n ? n : 1) * sizeof *l->items);
  l->groups = pr_val_arena_alloc(&l->mem, (plan->ngroups ? plan->ngroups : 1) * sizeof *l->groups);
  int rc = !l->items || !l->groups || c.failed ? -1 : 0;
  if (l->items) memset(l->items, 0, (n ? n : 1) * sizeof *l->items);
  for (size_t g = 0; g < plan->ngroups && !rc; g++) {
    const pr_group *gr = &plan->groups[g];
    list_group *lg = &l->groups[l->ngroups++];
    lg->heading = dup(l, gr->heading);
    lg->level = gr->level;
    lg->start = gr->start;
    lg->first = l->nitems;
    lg->n = gr->n;
    for (size_t i = 0; i < gr->n && !rc; i++) {
      size_t number = o->sel.reverse_numbers ? gr->start - i : gr->start + i;
      pr_view v;
      pr_val_arena_reset(&c.arena); /* the view's strings are copied into l */
      if (pr_view_build(&v, &c, gr->v[i], number)) rc = -1;
      else item_from(l, &b, &l->items[l->nitems++], &v);
    }
  }
  if (l->mem.failed || b.failed) rc = -1;
  pr_buf_free(&b);
  pr_view_ctx_release(&c);
  return rc;
}

pr_status pr_list_build(const pr_bib *bib, const pr_options *o, pr_list **out,
                        pr_report *report, pr_error *err) {
  if (out) *out = NULL;
  if (!bib || !o || !out || report) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0,
                 report ? "pr_list_build: report must be NULL in this version"
                        : "missing argument");
    return PR_ERR_ARG;
  }
  pr_plan plan;
  int built = pr_plan_build(&plan, bib, &o->sel, err);
  if (built == -2) { /* a query limit: err names it */
    pr_plan_clear(&plan);
    return PR_ERR_INPUT;
  }
  pr_list *l = built == 0 ? calloc(1, sizeof *l) : NULL;
  pr_diags diags = {0}; /* not collected without a report */
  int rc = l ? fill(l, &plan, o, &diags) : -1;
  pr_diags_free(&diags);
  pr_plan_clear(&plan);
  if (rc) {
    pr_list_free(l);
    pr_set_error(err, PR_ERR_NOMEM, NULL, 0, "%s", pr_strerror(PR_ERR_NOMEM));
    return PR_ERR_NOMEM;
  }
  *out = l;
  return PR_OK;
}

void pr_list_free(pr_list *l) {
  if (!l) return;
  pr_val_arena_free(&l->mem);
  free(l);
}

/* ---- accessors ---- */

size_t pr_list_group_count(const pr_list *l) { return l ? l->ngroups : 0; }

static const list_group *group_at(const pr_list *l, size_t g) {
  return l && g < l->ngroups ? &l->groups[g] : NULL;
}

const char *pr_list_group_heading(const pr_list *l, size_t g) {
  const list_group *gr = group_at(l, g);
  return gr ? gr->heading : NULL;
}

int pr_list_group_level(const pr_list *l, size_t g) {
  const list_group *gr = group_at(l, g);
  return gr ? gr->level : -1;
}

size_t pr_list_group_start(const pr_list *l, size_t g) {
  const list_group *gr = group_at(l, g);
  return gr ? gr->start : 0;
}

size_t pr_list_group_item_count(const pr_list *l, size_t g) {
  const list_group *gr = group_at(l, g);
  return gr ? gr->n : 0;
}

const pr_item *pr_list_group_item(const pr_list *l, size_t g, size_t i) {
  const list_group *gr = group_at(l, g);
  return gr && i < gr->n ? &l->items[gr->first + i] : NULL;
}

size_t pr_list_item_count(const pr_list *l) { return l ? l->nitems : 0; }

const pr_item *pr_list_item(const pr_list *l, size_t i) {
  return l && i < l->nitems ? &l->items[i] : NULL;
}

const pr_entry *pr_item_entry(const pr_item *it) { return it ? it->entry : NULL; }
const char *pr_item_id(const pr_item *it) { return it ? it->id : NULL; }
size_t pr_item_number(const pr_item *it) { return it ? it->number : 0; }
const char *pr_item_marker(const pr_item *it) { return it ? it->marker : NULL; }
const char *pr_item_year_label(const pr_item *it) { return it ? it->year_label : NULL; }
int pr_item_selected(const pr_item *it) { return it ? it->selected : 0; }

const char *pr_item_text(const pr_item *it, pr_item_field f) {
  return it && (unsigned)f < PR_VIEW_NFIELDS ? it->text[f] : NULL;
}

const char *pr_item_html(const pr_item *it, pr_item_field f) {
  return it && (unsigned)f < PR_VIEW_NFIELDS ? it->html[f] : NULL;
}

const char *pr_item_badge_url(const pr_item *it) { return it ? it->badge_url : NULL; }
const char *pr_item_badge_color(const pr_item *it) { return it ? it->badge_color : NULL; }
const char *pr_item_badge_text_color(const pr_item *it) {
  return it ? it->badge_text_color : NULL;
}
const char *pr_item_preview(const pr_item *it) { return it ? it->preview : NULL; }

size_t pr_item_author_count(const pr_item *it) { return it ? it->nauthors : 0; }

static const list_author *author_at(const pr_item *it, size_t i) {
  return it && i < it->nauthors ? &it->authors[i] : NULL;
}

const pr_name *pr_item_author(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->name : NULL;
}

const char *pr_item_author_text(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->text : NULL;
}

const char *pr_item_author_html(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->html : NULL;
}

int pr_item_author_is_owner(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->me : 0;
}

const char *pr_item_author_marks(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->marks : NULL;
}

const char *pr_item_author_url(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->url : NULL;
}

int pr_item_author_hidden(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->hidden : 0;
}

const char *pr_item_author_sep(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->sep : NULL;
}

size_t pr_item_author_cut(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->cut : 0;
}

const char *pr_item_author_cut_label(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->cut_label : NULL;
}

const char *pr_item_author_cut_sep(const pr_item *it, size_t i) {
  const list_author *a = author_at(it, i);
  return a ? a->cut_sep : NULL;
}

size_t pr_item_more_count(const pr_item *it) { return it ? it->nmore : 0; }

size_t pr_item_link_count(const pr_item *it) { return it ? it->nlinks : 0; }

const char *pr_item_link_label(const pr_item *it, size_t i) {
  return it && i < it->nlinks ? it->links[i].label : NULL;
}

const char *pr_item_link_url(const pr_item *it, size_t i) {
  return it && i < it->nlinks ? it->links[i].url : NULL;
}
