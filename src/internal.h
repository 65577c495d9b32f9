/* internal.h - the library's private data model and helpers. */
#ifndef PR_INTERNAL_H
#define PR_INTERNAL_H

#include <stddef.h>
#include "pubrender.h"

/* ---- growable byte buffer (buf.c) ---- */
typedef struct pr_buf {
  char *data;
  size_t len, cap;
  int failed;            /* an allocation failed (or the sink did): contents are incomplete */
  pr_write_fn sink;      /* NULL, or where pr_buf_drain hands the contents */
  void *sink_ctx;
  int sink_failed;       /* the sink returned non-zero */
} pr_buf;

void pr_buf_put(pr_buf *b, const char *s, size_t n);
void pr_buf_puts(pr_buf *b, const char *s);
void pr_buf_putc(pr_buf *b, char c);
void pr_buf_printf(pr_buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Take the NUL-terminated contents (NULL if an allocation failed); b is reset. */
char *pr_buf_take(pr_buf *b);
void pr_buf_free(pr_buf *b);
/* With a sink: once 64 KB or more are held, hand them to the sink and start
   over, so long output is never held whole. Call only where nothing will
   look back at what was written. Without a sink, nothing happens. */
void pr_buf_drain(pr_buf *b);
/* Hand everything held to the sink. 0, or -1 when the sink failed. */
int pr_buf_flush(pr_buf *b);
char *pr_strdup(const char *s);
char *pr_strndup(const char *s, size_t n);

/* ---- arena (buf.c): many small allocations that are freed together ---- */
typedef struct pr_arena_chunk pr_arena_chunk;
typedef struct pr_arena {
  pr_arena_chunk *head;
} pr_arena;
/* n bytes, 8-byte aligned, uninitialised; NULL when out of memory. */
void *pr_arena_alloc(pr_arena *a, size_t n);
/* A NUL-terminated copy (the empty string is a shared static ""). Arena
   strings are never written to. NULL when out of memory. */
char *pr_arena_strndup(pr_arena *a, const char *s, size_t n);
char *pr_arena_strdup(pr_arena *a, const char *s);
void pr_arena_free(pr_arena *a);

/* ---- string map (map.c) ---- */
typedef struct pr_map {
  char **keys;
  size_t *vals;
  size_t n, cap;
  int borrow;            /* set before use: keys are the caller's, not copied or freed */
} pr_map;
/* 1 and *val when key is present, else 0. */
int pr_map_get(const pr_map *m, const char *key, size_t *val);
/* Insert or replace (the key is copied unless the map borrows). 0, or -1
   when out of memory. */
int pr_map_put(pr_map *m, const char *key, size_t val);
void pr_map_free(pr_map *m);

/* ---- data model (bib.c) ----
   Everything an entry holds (the entry, its fields, names and their text)
   lives in its bibliography's arena and is freed with it: a parse makes
   one allocation per megabyte, not a dozen per field. Strings in the model
   are shared (field names are interned; an inherited field points at its
   parent's text; empty strings are one static "") and never written to. */
typedef struct pr_field {
  const char *name;   /* lower case, interned */
  const char *value;  /* raw text after macro expansion */
  unsigned line;
} pr_field;

/* A name's rarer parts: most names have no von, jr, marks or keywords and
   share one static pr_name_more of empty strings, so a name costs 40 bytes. */
typedef struct pr_name_more {
  const char *von, *jr;            /* plain text, "" when empty */
  const char *marks;               /* UTF-8 mark symbols, "" when none */
  const char *written;             /* the marks written on the name */
  const char *keywords;            /* biblatex +an keywords (not highlight), or NULL */
} pr_name_more;

struct pr_name {
  const char *first, *last;        /* plain text, "" when empty */
  const char *display;             /* "First von Last, Jr" */
  const pr_name_more *more;        /* never NULL */
  unsigned char others;
  unsigned char highlight;         /* annotated "highlight" */
};

typedef struct pr_namelist {
  const char *field;               /* "author" / "editor" */
  pr_name *names;
  size_t n;
} pr_namelist;

/* Laid out small (104 bytes): a large bibliography holds many. */
struct pr_entry {
  const char *type, *key;
  const char *id;                  /* its id when not its key (a repeated key), else NULL */
  const char *file;                /* owned by the bib's file list */
  pr_field *fields;
  unsigned nfields, capfields;
  unsigned line;
  int year;
  pr_namelist lists[2];            /* author, editor */
  unsigned order;                  /* position in the bib */
  signed char month;
  unsigned char nlists;
  unsigned char xref_state;        /* crossref: 0 not yet, 1 resolving, 2 done */
  unsigned char year_word;         /* year is a word (years.c): 0 no, 1 a known one, 2 other text */
  unsigned char hashed;            /* its content is in the bib's contents map */
};

struct pr_bib {
  pr_entry **entries;
  size_t n, cap;
  pr_diag **diags;                 /* each allocated once and never moved or changed */
  size_t ndiags, capdiags, nerrors;
  pr_map diag_seen;                /* those found while rendering, so none is recorded twice */
  int rendering;                   /* pr_render is running (render.c) */
  char **files;                    /* document names, owned */
  size_t nfiles;
  pr_encoding encoding;
  pr_arena mem;                    /* the entries and all they hold */
  pr_map field_names;              /* field name -> its interned copy (a pointer) */
  pr_map short_values;             /* field values up to 64 bytes, interned likewise */
  pr_map keys;                     /* folded key -> its first definition (a pr_entry *) */
  pr_map contents;                 /* "folded key\x1fcontent hash" -> a pr_entry * (repeated keys) */
  pr_entry **dups;                 /* entries kept under a key already defined, in order */
  size_t ndups, capdups;
  pr_map unknown_cmds;             /* LaTeX commands already warned about */
  char **tpl_files;                /* template directory files the last render read (render_tpl.c) */
  size_t ntpl_files;
};
/* Forget the files of pr_bib_template_file (render_tpl.c). */
void pr_bib_clear_template_files(pr_bib *bib);

/* Add a diagnostic (message formatted printf-style). Returns 0, or -1 when
   out of memory. */
int pr_bib_diagf(pr_bib *bib, pr_severity sev, const char *file, unsigned line,
                 const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* A key as BibTeX compares it (ASCII lower case), malloc'd. */
char *pr_key_fold(const char *key);
/* Register a document name; returns the bib-owned copy or NULL. */
const char *pr_bib_add_file_name(pr_bib *bib, const char *name);
/* Append an entry. Returns 0 or -1. */
int pr_bib_append(pr_bib *bib, pr_entry *e);
/* A new entry in bib's arena, with room for nfields fields (more grow it). */
pr_entry *pr_entry_new(pr_bib *bib, const char *type, const char *key, const char *file,
                       unsigned line, size_t nfields);
/* The interned copy of a field name (NULL when out of memory): names are
   compared as pointers. */
const char *pr_bib_field_name(pr_bib *bib, const char *name);
/* Add a field: name interned (pr_bib_field_name), value copied. 0, or -1
   when out of memory. */
int pr_entry_add_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                       unsigned line);
/* Add a field whose name and value are already bib's (crossref inheritance). */
int pr_entry_share_field(pr_bib *bib, pr_entry *e, const char *name, const char *value,
                         unsigned line);
const pr_field *pr_entry_find_field(const pr_entry *e, const char *name);
/* Fill year/month from year/month/date fields. */
void pr_entry_compute_date(pr_entry *e);

/* years.c: a year field that is a word ("Preprint", "In press"): 0 when
   raw is a number or says there is no date ("n.d."), 1 for a status word
   pubrender knows, 2 for other text without digits. */
int pr_year_word_kind(const char *raw);
/* The word as written (LaTeX converted), malloc'd; NULL when e's year is not a word. */
char *pr_entry_year_word(const pr_entry *e);
/* A warning for a year that is text pubrender does not know; -1 out of memory. */
int pr_check_year(pr_bib *bib, const pr_entry *e);
/* sort.c: the year that orders e: its number, PR_WORD_YEAR for a word (newer
   than every number), 0 for none. */
#define PR_WORD_YEAR 1000000L
long pr_year_rank(const pr_entry *e);
void pr_set_error(pr_error *err, pr_status code, const char *source, unsigned line,
                  const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Escape, in place, what err's source and message quote from input (file
   names, YAML values, template text): control characters and the
   characters that reorder or break lines become visible escapes (see
   pr_escape_put). pr_set_error does it; call it after filling a pr_error
   another way. */
void pr_error_escape(pr_error *err);
/* Append s to b with C0 controls, DEL and C1 controls (U+0080..U+009F),
   U+2028/U+2029, the bidirectional marks, embeddings, overrides and
   isolates (U+061C, U+200E/F, U+202A..U+202E, U+2066..U+2069) and bytes
   that are not UTF-8 written as \n, \t, \r, \xHH or \uHHHH: a diagnostic
   is one line on a terminal or in a CI log, whatever its text quotes. */
void pr_escape_put(pr_buf *b, const char *s);

/* ---- a document's bytes (input.c) ---- */
/* The text of one document in anonymous memory of its own: text[0..len),
   NUL-terminated, writable (the steps before the parser work in place). */
typedef struct pr_input {
  char *text;
  size_t len;
  char *base;                      /* the mapping: base[0..cap) */
  size_t cap, released;            /* base[0..released) handed back */
} pr_input;
/* len bytes of uninitialised text. 0, or -1 when out of memory. */
int pr_input_alloc(pr_input *in, size_t len);
/* A copy of data. 0, or -1 when out of memory. */
int pr_input_from_buffer(pr_input *in, const char *data, size_t len);
/* All of fd (a file: one read of its size; else until EOF), at most max
   bytes. 0, or -1 with errno (EFBIG: more than max); the first failure
   (a read error, no memory) ends it. */
int pr_input_read_fd(pr_input *in, int fd, size_t max);
/* The caller is done with text[0..upto): its whole pages are given back. */
void pr_input_release(pr_input *in, size_t upto);
void pr_input_free(pr_input *in);

/* ---- encoding (encoding.c) ---- */
/* Make in's text UTF-8: a BOM is skipped, Latin-1 converted, invalid UTF-8
   reported on bib and replaced by U+FFFD. Valid UTF-8 is left in place;
   otherwise in is replaced by the converted copy. 0, or -1 when out of
   memory. */
int pr_decode_input(pr_bib *bib, const char *file, pr_input *in, pr_encoding enc);
/* s with each invalid UTF-8 sequence replaced by U+FFFD, malloc'd; NULL when
   s is valid UTF-8 (nothing to repair) or out of memory. */
char *pr_utf8_repair(const char *s);

/* ---- after parsing (resolve.c) ---- */
/* Finish the entries from index first on: duplicate keys, crossref,
   dates, names, unknown LaTeX commands. 0, or -1 when out of memory. */
int pr_resolve_new_entries(pr_bib *bib, size_t first);

/* ---- prescan (prescan.c) ---- */
/* Fields (or @string macros) per entry: btparse overflows a fixed stack at
   97 (96 with '#'). The prescan refuses entries with more; a hook in
   btparse_glue.c enforces it again. */
#define PR_MAX_FIELDS 90
/* Defuse, in place, input shapes that btparse cannot survive (text[len] is
   NUL, and no NUL byte comes before it); each one is
   reported on bib as an error. Returns 0, or -1 when out of memory. */
int pr_prescan(pr_bib *bib, const char *file, char *text, size_t len);

/* ---- GOT patching (got_patch.c) ---- */
typedef struct pr_got_hook {
  const char *name;   /* a symbol the library refers to */
  void (*fn)(void);   /* what its references should point at */
} pr_got_hook;
/* Point the references of the loaded library whose path contains soname at
   the hooks; patched[i] counts the slots now pointing at hooks[i].fn.
   Returns 1 if the library is loaded, else 0. */
int pr_got_patch(const char *soname, const pr_got_hook *hooks, size_t n, size_t *patched);

/* ---- btparse (btparse_glue.c: the only file that calls bt_*) ---- */

/* Parse a document (UTF-8, normalised in place: NUL bytes are reported and
   read as spaces) and append its entries to bib; the pages of in are given
   back as the parser passes them. file is a name registered with
   pr_bib_add_file_name. */
pr_status pr_bt_parse(pr_bib *bib, pr_input *in, const char *file, pr_error *err);
/* How many syntax errors btparse's own parser has met in this process. The
   prescan hands it only entries it parses cleanly, so this stays 0: the
   parse fuzz target checks that the two agree. */
unsigned long pr_bt_syntax_errors(void);

/* ---- name lists (namesplit.c: BibTeX's rules, without btparse) ---- */

/* A name's parts as raw LaTeX, "" when empty. They live in the block of
   the array that holds the name and may be shortened in place. */
typedef struct pr_raw_name {
  char *first, *von, *last, *jr;
} pr_raw_name;
/* Split a name list ("A and B and others") into names. Returns the count
   (>= 0) and in *out an array (NULL when the count is 0) that holds the
   names and their text in one allocation (free with pr_raw_names_free), or
   -1 when out of memory. Warnings (a name with more than two commas, an
   unmatched brace) go to bib (may be NULL) at file:line. Thread-safe: no
   global state (the bt_ in the name is from when libbtparse did this). */
long pr_bt_split_names(const char *list, pr_bib *bib, const char *file, unsigned line,
                       pr_raw_name **out);
/* The same, the warnings naming the entry key and field ("entry 'K',
   field 'author': name 2 has ..."). */
long pr_bt_split_names_in(const char *list, pr_bib *bib, const char *file, unsigned line,
                          const char *key, const char *field, pr_raw_name **out);
void pr_raw_names_free(pr_raw_name *v, size_t n);

/* ---- names (names.c) ---- */

/* Build the entry's author/editor lists from its fields, applying marks and
   biblatex +an annotations. Returns 0 or -1 when out of memory. */
int pr_entry_build_names(pr_bib *bib, pr_entry *e);
/* Fold text for matching: LaTeX converted, accents stripped, case folded,
   punctuation to spaces, collapsed. malloc'd. */
char *pr_fold(const char *text);
/* n's von+last and first names folded as pr_fold does, for matching (not
   stored with the name: most renders never match a name). malloc'd into
   *key and *first; 0, or -1 when out of memory. */
int pr_name_fold(const pr_name *n, char **key, char **first);
/* 1 if the folded name (key, first) is the same person as the variant
   (last/first as folded by pr_fold): equal keys, and first names equal
   token by token or as initials. */
int pr_folded_matches(const char *key, const char *first, const char *v_last,
                      const char *v_first);
/* How many times this thread called pr_folded_matches: the tests check with
   it that matching a name does not grow with the number of highlights. */
extern _Thread_local unsigned long long pr__folded_match_calls;
/* Owner matching (--highlight; README "How --highlight finds the owner"):
   a name's parts normalized into its family ("schaposnik massolo") and
   given names ("fidel i.", "tian-hua"), malloc'd; 0, or -1 when out of
   memory. pr_spec_match_key takes parts with LaTeX, pr_match_key plain
   text, pr_name_match_key a parsed name. */
int pr_match_key(const char *von, const char *last, const char *first, char **family,
                 char **given);
int pr_spec_match_key(const char *von, const char *last, const char *first, char **family,
                      char **given);
int pr_name_match_key(const pr_name *n, char **family, char **given);
/* The last word of a normalized family: every match shares it (the index). */
const char *pr_family_index(const char *family);
/* 1 if the written name (family, given) is the owner's (s_family,
   s_given), all normalized; counted in pr__folded_match_calls. */
int pr_names_match(const char *family, const char *given, const char *s_family,
                   const char *s_given);
/* The same for a name (never for "others"). */
int pr_name_matches(const pr_name *n, const char *v_last, const char *v_first);
/* The marks of n as the options show them: written marks, then the marks
   of its +an keywords (the options' annotations, else the defaults).
   Borrowed from n or from scratch (free scratch with pr_buf_free). */
const char *pr_name_marks_for(const pr_options *o, const pr_name *n, pr_buf *scratch);

/* ---- rendering (render*.c) ---- */
typedef struct pr_highlight {
  char *last, *first;   /* normalized family and given names (pr_spec_match_key) */
  size_t next;          /* 1 + the next highlight with the same last, or 0 */
} pr_highlight;

typedef struct pr_legend {
  char *mark, *text;
  size_t need; /* legends: authors carrying the mark before it is shown (0: one) */
} pr_legend;

typedef struct pr_sort_key {
  char *field;            /* lower case: year, month, title, author, key, type, any field */
  int desc;
} pr_sort_key;

typedef struct pr_sort_spec {
  pr_sort_key *keys;
  size_t n;               /* 0: newest first */
} pr_sort_spec;

/* pr_query_match, telling a limit apart: 1 match, 0 no match, -1 when a
   regular expression hit a limit (err: PR_ERR_INPUT naming the condition
   and the entry), -2 when memory ran out. */
int pr_query_match_err(const pr_query *q, const pr_entry *e, pr_error *err);

struct pr_options {
  pr_format format;
  int standalone;
  pr_query *query;                 /* NULL: all entries */
  pr_sort_spec sort;
  int group_year, group_type;
  int group_order;                 /* year groups: 0 as the sort has years, 1 oldest, -1 newest first */
  int number_per_group, reverse_numbers;
  int heading_level;               /* 1..6, default 2 */
  const char *undated_heading;     /* static text */
  pr_legend *type_names;           /* mark = type, text = heading */
  size_t ntype_names;
  char **type_order;
  size_t ntype_order;
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
  char *id_prefix;                 /* before each HTML id; NULL: "pubrender-" (entry_id.c) */
  int md_flavor;                   /* pr_md_flavor: Markdown flavour (render_tpl.c) */
  struct pr_annotation *annotations; /* biblatex +an keyword -> mark symbol */
  size_t nannotations;
  int encoding_set;                /* encoding given (config or setter) */
  pr_encoding encoding;
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
