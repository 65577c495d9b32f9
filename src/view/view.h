/* view.h - one entry as every format shows it (pr_view): its title,
   authors, owner highlight, marks and legend, venue line, badge, links as
   checked URLs. The formats (render/) write it out. */
#ifndef PR_VIEW_H
#define PR_VIEW_H
#include "options/options.h"

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
#define PR_VIEW_AUTHORS 0x80u  /* authors: who is shown, the owner, separators, cuts */
#define PR_VIEW_MARKS  0x100u  /* authors[].marks (with PR_VIEW_AUTHORS) */
#define PR_VIEW_URLS   0x200u  /* authors[].url (with PR_VIEW_AUTHORS) */
#define PR_VIEW_LABELS 0x400u  /* more_label, authors[].cut_label (with PR_VIEW_AUTHORS) */
#define PR_VIEW_MARKER 0x800u  /* marker */
#define PR_VIEW_YEAR   0x1000u /* year_label */
#define PR_VIEW_ALL    0x1fffu
#define PR_VIEW_FIELD_IDS 128   /* a power of two */

/* What building views (and the template data made from them) reuses from
   one entry to the next: the arena their strings live in, reset for each
   entry, and scratch buffers, so an entry costs no allocation once the
   first few are done. Set up by pr_view_ctx_init (view.c). */
/* The end of the warning about a link that is dropped. */
#define PR_LINK_DROPPED "dropped (only http, https, mailto or a relative path are allowed)"

typedef struct pr_view_ctx {
  pr_diags *diags;                 /* where dropped links are warned about */
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

/* One name of the names an entry shows (its authors, else its editors). */
typedef struct pr_view_author {
  const pr_name *name;
  const char *marks;      /* plain, "" when none (PR_VIEW_MARKS; else NULL) */
  const char *url;        /* the co-author link, checked (PR_VIEW_URLS); NULL when none */
  const char *sep;        /* after the name, in the run it is written in */
  size_t cut;             /* shown: how many names are hidden just before it */
  const char *cut_label;  /* "K more authors" when cut (PR_VIEW_LABELS) */
  const char *cut_sep;    /* between the cut and the name, when cut */
  unsigned char me;       /* the page owner */
  unsigned char hidden;   /* --max-authors hides it */
} pr_view_author;

/* One entry as every format shows it: the display model of one entry.
   Text members are marked text (read.h) unless said otherwise, NULL when
   absent or not needed; the strings are in the context's arena or
   borrowed from the entry, valid until the arena is reset. */
typedef struct pr_view {
  const pr_entry *entry;
  const char *id;                /* pr_entry_id */
  const char *id_prefix;         /* the options' id prefix */
  size_t number;
  const char *marker;            /* plain: number as a Markdown list marker, "1.  " */
  const char *year_label;        /* "2024" or the year word ("Preprint"); NULL: none */
  /* the names shown: authors, or editors for an entry without authors */
  const char *names_field;       /* "author" or "editor" */
  size_t nnames;
  pr_view_author *authors;       /* nnames of them (PR_VIEW_AUTHORS; else NULL) */
  size_t nshown;                 /* names not hidden */
  size_t nmore;                  /* hidden after the last shown one */
  const char *more_label;        /* plain: "and K more authors", also for K = 0 (PR_VIEW_LABELS) */
  const char *role;              /* plain: "", " (ed.)" or " (eds.)" */
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

/* Build the view of e, numbered number (the arena is not reset here: the
   caller does that between entries, or keeps every entry's view);
   unsafe links are dropped with a warning on c->diags. Returns 0, or -1
   when out of memory. */
int pr_view_build(pr_view *v, pr_view_ctx *c, const pr_entry *e, size_t number);

/* Set c up for views of the pieces need (PR_VIEW_*) under the options o,
   warnings to diags. venue_urls / coauthor_urls: warn once here about the
   venue / co-author URLs of the data files that would be dropped (when the
   output shows them). */
void pr_view_ctx_setup(pr_view_ctx *c, pr_diags *diags, const pr_options *o, unsigned need,
                       int venue_urls, int coauthor_urls);
/* Free what c holds (its arena too). */
void pr_view_ctx_release(pr_view_ctx *c);

/* A heading level as the group's: o's heading level plus the group's level,
   at most 6. */
int pr_view_heading_level(const pr_options *o, int group_level);

/* ---- owner, marks, legend (view.c) ---- */
int pr_name_is_highlighted(const pr_options *o, const pr_name *n);
const char *pr_legend_text(const pr_options *o, const char *mark);
/* The marks of n as the options show them: written marks, then the marks
   of its +an keywords (the options' annotations, else the defaults).
   Borrowed from n or from scratch (free scratch with pr_buf_free). */
const char *pr_name_marks_for(const pr_options *o, const pr_name *n, pr_buf *scratch);
/* Text between author i and author i+1 of n: ", ", " and ", ", and ". */
const char *pr_author_sep(size_t i, size_t n);

/* ---- links (link.c) ---- */
/* The URL an identifier field's value goes after (doi: https://doi.org/,
   arxiv, hal), or NULL for a field that holds URLs. */
const char *pr_link_identifier_base(const char *field);
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

#endif
