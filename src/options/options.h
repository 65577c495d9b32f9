/* options.h - pr_options: what a render is asked to do (set through the
   public setters and the configuration files), with the tables al-folio's
   data files fill (venues, co-authors, annotations). */
#ifndef PR_OPTIONS_H
#define PR_OPTIONS_H
#include "select/select.h"

typedef struct pr_highlight {
  char *last, *first;   /* normalized family and given names (pr_spec_match_key) */
  size_t next;          /* 1 + the next highlight with the same last, or 0 */
} pr_highlight;

struct pr_options {
  pr_format format;
  int standalone;
  pr_select_spec sel;              /* which entries, their order and groups */
  int heading_level;               /* 1..6, default 2 */
  unsigned threads;                /* render threads: 1 (default) one, 0 one per core */
  pr_highlight *hl;
  size_t nhl;
  pr_map hl_index;                 /* last family word (borrowed from hl) -> 1 + first in hl */
  pr_legend *legends;
  size_t nlegends;
  /* configuration files and their options (config.c, coauthors.c) */
  int max_authors;                 /* 0: no limit */
  char *link_prefix;               /* site-relative prefix for pdf etc.; NULL: none */
  pr_legend *field_prefixes;       /* per field (mark = field, text = prefix), before link_prefix */
  size_t nfield_prefixes;
  char *template_dir;              /* NULL: the built-in templates */
  struct pr_mem_template *mem_templates; /* templates from memory (templates.c) */
  size_t nmem_templates;
  char *id_prefix;                 /* before each HTML id; NULL: "pubrender-" (entry_id.c) */
  int md_flavor;                   /* pr_md_flavor: Markdown flavour (render_tpl.c) */
  struct pr_annotation *annotations; /* biblatex +an keyword -> mark symbol */
  size_t nannotations;
  int encoding_set;                /* encoding given (config or setter) */
  pr_encoding encoding;
  int string_scope_set;            /* @string scope given (config or setter) */
  pr_string_scope string_scope;
  struct pr_venue_table *venues;   /* NULL: no venues file */
  struct pr_coauthor_table *coauthors; /* NULL: no co-authors file */
  char **files;                    /* files read into these options, in order */
  size_t nfiles;
};

/* ---- entry ids (entry_id.c) ---- */
/* What comes before pr_entry_id in an HTML id ("pubrender-" by default). */
const char *pr_id_prefix(const pr_options *o);
/* The first byte of an id prefix that is refused, or NULL when none is. */
const char *pr_id_prefix_bad(const char *prefix);

/* ---- templates from memory (templates.c) ---- */
/* One template given by pr_options_set_template. */
typedef struct pr_mem_template {
  char *rel;                       /* the file it stands for: "html/entry.mustache", "pubrender.css" */
  char *source;                    /* the name its errors give */
  char *text;                      /* NUL-terminated copy */
  size_t len;
} pr_mem_template;
/* Room for a rel name: a folder, "/", 255 bytes of name and ".mustache". */
#define PR_TEMPLATE_REL_MAX 300
/* 1 if name can name a template or partial: parts of letters, digits, '_',
   '-' and '.' (not first: no "..", no hidden files), separated by '/'. */
int pr_template_name_ok(const char *name);
/* The template given for rel ("markdown/entry.mustache"), or NULL. */
const pr_mem_template *pr_options_find_template(const pr_options *o, const char *rel);
/* Free the templates (called by pr_options_free). */
void pr_options_free_templates(pr_options *o);

/* ---- configuration files (config.c: YAML; coauthors.c: tables) ---- */
/* A venue of al-folio's venues.yml; either member may be NULL. */
typedef struct pr_venue {
  char *url, *color;
  unsigned url_line;               /* the url's line in the venues file; 0 unknown */
} pr_venue;
typedef struct pr_annotation {
  char *keyword, *mark;            /* "equal" -> "*" */
} pr_annotation;
typedef struct pr_venue_table pr_venue_table;
typedef struct pr_coauthor_table pr_coauthor_table;

/* The venue of an abbr exactly as written (al-folio looks it up so), or NULL. */
/* The prefix for a field's site-relative links (per field, else global). */
const char *pr_link_prefix_for(const pr_options *o, const char *field);
const pr_venue *pr_venue_find(const pr_options *o, const char *abbr);
/* The co-author URL for a name, or NULL: the entries under the name's folded
   last name (von+last tried first, then last alone), the one with a first-name
   variant equal to the folded first name, else the first whose variant
   matches by initials (pr_name_matches). */
const char *pr_coauthor_url(const pr_options *o, const pr_name *n);
/* The mark a biblatex +an keyword is configured to show, or NULL. */
const char *pr_annotation_mark(const pr_options *o, const char *keyword);

pr_venue_table *pr_venue_table_new(void);
void pr_venue_table_free(pr_venue_table *t);
/* Add or replace abbr's venue (url/color may be NULL), read from file (a
   table holds one file's venues) with its url at url_line. 0, or -1 when
   out of memory. */
int pr_venue_table_put(pr_venue_table *t, const char *abbr, const char *url, const char *color,
                       const char *file, unsigned url_line);
pr_coauthor_table *pr_coauthor_table_new(void);
void pr_coauthor_table_free(pr_coauthor_table *t);
/* Add an entry under last (folded here), first-name variants folded here,
   read from file (one file per table) with its url at url_line. 0, or -1
   when out of memory. */
int pr_coauthor_table_add(pr_coauthor_table *t, const char *last, const char *const *firsts,
                          size_t nfirsts, const char *url, const char *file, unsigned url_line);
/* Each venue url (with venues) and co-author url (with coauthors) of o's
   data files, in file order, handed to fn with the file and line it was
   read from; stops at the first non-zero fn returns, and returns it. */
typedef int (*pr_data_url_fn)(void *ctx, const char *file, unsigned line, const char *what,
                              const char *url);
int pr_data_urls(const pr_options *o, int venues, int coauthors, pr_data_url_fn fn, void *ctx);
/* Remember a file read into the options (once). 0, or -1 when out of memory. */
int pr_options_add_file(pr_options *o, const char *path);
/* Free what the configuration added to o (called by pr_options_free). */
void pr_options_free_config(pr_options *o);

#endif
