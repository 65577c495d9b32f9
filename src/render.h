/* render.h - internal: what the output formats share. */
#ifndef PR_RENDER_H
#define PR_RENDER_H
#include "internal.h"
#include "val.h"

#define PR_MAX_LINKS 16

/* The pieces of a view that cost something to build, for pr_view_ctx's
   need: a piece left out stays NULL. Links are always built (a dropped one
   is warned about whatever the template shows). */
#define PR_VIEW_ABBR   0x01u   /* abbr */
#define PR_VIEW_TITLE  0x02u   /* title */
#define PR_VIEW_VENUE  0x04u   /* venue */
#define PR_VIEW_LEGEND 0x08u   /* legend */
#define PR_VIEW_STYLE  0x10u   /* abbr_url, abbr_color, abbr_text_color */
#define PR_VIEW_PREVIEW 0x20u  /* preview */
#define PR_VIEW_BIBTEX 0x40u   /* bibtex */
#define PR_VIEW_ALL    0x7fu
#define PR_VIEW_FIELD_IDS 128   /* a power of two */

/* What building views (and the template data made from them) reuses from
   one entry to the next: the arena their strings live in, reset for each
   entry, and scratch buffers, so an entry costs no allocation once the
   first few are done. Set up by pr_view_ctx_init (view.c). */
/* The end of the warning about a link that is dropped. */
#define PR_LINK_DROPPED "dropped (only http, https, mailto or a relative path are allowed)"

typedef struct pr_view_ctx {
  pr_bib *bib;                     /* where dropped links are warned about */
  int failed;                      /* out of memory outside an entry's data */
  const pr_options *o;
  const struct pr_format_ops *f;   /* template data: the output format */
  unsigned need;                   /* PR_VIEW_* pieces to build */
  unsigned long long keys;         /* template data: the keys the template reads */
  pr_val_arena arena;
  pr_buf scratch, tmp;
  pr_buf awarded;                  /* template data: "Awarded" in the format, made once */
  /* field name -> which field of the view it is (render.c), learnt as the
     names are met: the bib interns field names, so a name is found by its
     address, without comparing strings */
  struct { const char *name; int id; } field_ids[PR_VIEW_FIELD_IDS];
  size_t nfield_ids;
} pr_view_ctx;

/* One entry as every format shows it. Text members are marked text
   (text.h), NULL when absent or not needed; the strings are in the
   context's arena or borrowed from the entry, valid until the next entry. */
typedef struct pr_view {
  const pr_entry *entry;
  const char *abbr, *title, *venue;
  size_t nauthors;
  const char *legend;            /* plain text, e.g. "(* = Equal Contribution)" */
  struct { const char *label, *href; } links[PR_MAX_LINKS];
  size_t nlinks;
  /* al-folio's vocabulary */
  const char *abbr_url;          /* from the venues file; safe, percent-encoded */
  const char *abbr_color;        /* from the venues file, checked to be a colour */
  const char *abbr_text_color;   /* black or white, whichever reads best on it */
  const char *preview;           /* image href */
  const char *bibtex;            /* when bibtex_show is true: the entry as BibTeX */
  int selected;
  const char *abstract, *award, *award_name, *annotation, *additional_info, *note;  /* LaTeX */
} pr_view;

/* Build the view of e (the arena is not reset here: the caller does that
   between entries); unsafe links are dropped with a warning on c->bib.
   Returns 0, or -1 when out of memory. */
int pr_view_build(pr_view *v, pr_view_ctx *c, const pr_entry *e);

/* ---- ordering (sort.c) ---- */
/* Order v by spec, stably (file order breaks ties). 0, or -1 when out of
   memory. */
int pr_sort_entries(const pr_entry **v, size_t n, const pr_sort_spec *spec);
pr_status pr_sort_spec_parse(pr_sort_spec *s, const char *text, pr_error *err);
void pr_sort_spec_clear(pr_sort_spec *s);
/* The entries of bib newest first (malloc'd array of borrowed pointers). */
const pr_entry **pr_sorted_entries(const pr_bib *bib);

/* ---- what is rendered (plan.c) ---- */
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
int pr_plan_build(pr_plan *p, const pr_bib *bib, const pr_options *o, pr_error *err);
void pr_plan_clear(pr_plan *p);
const char *pr_type_heading(const pr_options *o, const char *type);
int pr_name_is_highlighted(const pr_options *o, const pr_name *n);
const char *pr_legend_text(const pr_options *o, const char *mark);
/* The entry as clean BibTeX (bibtex_out.c), malloc'd. */
char *pr_bibtex_source(const pr_entry *e);
/* Text between author i and author i+1 of n: ", ", " and ", ", and ". */
const char *pr_author_sep(size_t i, size_t n);
/* Does the URL have an allowed scheme (http, https, mailto, or none)? */
int pr_url_is_safe(const char *url);
/* The href for a link field (a doi gets https://doi.org/), malloc'd; NULL if
   empty or unsafe. */
char *pr_link_href(const char *field, const char *value);
/* The same, with prefix put before a site-relative path (no scheme, not
   starting with / or #), as al-folio does for pdf = {paper.pdf}; doi, arxiv
   and hal identifiers become their URLs. */
char *pr_link_href_prefixed(const char *field, const char *value, const char *prefix);
/* The same appended to out, with tmp as scratch space (its contents are
   replaced): 1 when there is an href, 0 when the value is empty or unsafe
   (out unchanged), -1 when out of memory. */
int pr_link_href_put(pr_buf *out, pr_buf *tmp, const char *field, const char *value,
                     const char *prefix);

/* HTML and Markdown through the templates (render_tpl.c); template errors
   fill err with the template's file, line and column. */
pr_status pr_render_html(pr_bib *bib, const pr_options *o, const pr_plan *plan, pr_buf *out,
                         pr_error *err);
pr_status pr_render_markdown(pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *out, pr_error *err);
struct pr_format_ops;
struct pr_tpl;
/* Set c up for the template data of entries written in format f through
   the template entry (view.c): only what entry (with its partials) reads
   is built. */
void pr_view_ctx_init(pr_view_ctx *c, pr_bib *bib, const pr_options *o,
                      const struct pr_format_ops *f, const struct pr_tpl *entry);
void pr_view_ctx_clear(pr_view_ctx *c);
/* The template data of entry e, numbered number: an object in c's arena,
   valid until the next call. Resets the arena. NULL when out of memory. */
const pr_val *pr_view_data(pr_view_ctx *c, const pr_entry *e, size_t number);
/* pubrender's record model as JSON (render_json.c) and CSL-JSON
   (render_csl.c): one array of the entries v[0..n) in that order. */
pr_status pr_render_json(pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                         pr_buf *out);
pr_status pr_render_csl(pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                        pr_buf *out);

/* ---- JSON helpers (render_json.c), on jansson's json_t ---- */
struct json_t;
/* A JSON string of s; invalid UTF-8 becomes U+FFFD. NULL when out of memory. */
struct json_t *pr_json_str(const char *s);
/* Set obj[key] = val, taking val (NULL val: fails). 0, or -1 when out of memory. */
int pr_json_set(struct json_t *obj, const char *key, struct json_t *val);
/* Set obj[key] to the string s; nothing when s is NULL. 0 or -1. */
int pr_json_set_str(struct json_t *obj, const char *key, const char *s);
/* Append val to arr, taking val (NULL val: fails). 0 or -1. */
int pr_json_append(struct json_t *arr, struct json_t *val);
/* root pretty-printed (2-space indent, keys in insertion order, UTF-8) and a
   newline, appended to out. */
pr_status pr_json_dump(struct json_t *root, pr_buf *out);
/* An array member of a record that is written item by item when the record
   is dumped (a record may hold a million names): item(i) makes item i of n
   (called in order), release(ctx), when not NULL, is called after the
   record is written. The record holds pr_json_deferred_mark(k) where the
   array goes, k its index among the record's deferred arrays. */
#define PR_JSON_MAX_DEFERRED 4
typedef struct pr_json_deferred {
  size_t n;                                   /* at least 1 */
  struct json_t *(*item)(size_t i, void *ctx);
  void *ctx;
  void (*release)(void *ctx);
} pr_json_deferred;
/* The value standing for deferred array k (< PR_JSON_MAX_DEFERRED); NULL
   when out of memory. */
struct json_t *pr_json_deferred_mark(size_t k);
/* An array of n elements made by make(i, ctx, d, nd), which may defer up to
   PR_JSON_MAX_DEFERRED of the element's arrays (filling d[0..*nd)); each
   element is dumped and freed in turn: the same text as pr_json_dump of the
   whole array with the deferred arrays in place. */
pr_status pr_json_dump_array(pr_buf *out, size_t n,
                             struct json_t *(*make)(size_t i, void *ctx, pr_json_deferred *d,
                                                    size_t *nd),
                             void *ctx);
/* LaTeX to plain UTF-8 (pr_latex_to_marked, then pr_marked_to_plain);
   malloc'd, NULL when out of memory. */
char *pr_plain_text(const char *latex);
#endif
