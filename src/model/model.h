/* model.h - the bibliography: entries, fields, names, diagnostics, and what
   happens after parsing (duplicate keys, crossref, dates, names). Built on
   read/ (which hands it the parsed entries through a pr_read_sink). */
#ifndef PR_MODEL_H
#define PR_MODEL_H
#include "read/read.h"

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

/* A date (years.c). Years in CSL's count (1 BC is -1, there is no year 0);
   a month 1..12, or a season 21..24 (EDTF: spring, summer, autumn, winter);
   a day 1..31; 0 when not given. */
typedef struct pr_ymd {
  int y;
  signed char m, d;
} pr_ymd;

typedef struct pr_date {
  pr_ymd from, to;                 /* to: the end of a range (range set), else zeros */
  unsigned char range;             /* from..to, or an open range */
  unsigned char open_start, open_end; /* "../2021", "2021/..", "1987--" (the other end zero) */
  unsigned char circa, uncertain;  /* "2020~" (and "%"), "2020?" (and "%") */
} pr_date;

/* What pr_entry_read_date found. */
typedef enum pr_date_kind {
  PR_DATE_NONE,                    /* no date field */
  PR_DATE_OK,                      /* a date, in *d */
  PR_DATE_LITERAL                  /* text that is not a date (a status word, "2020a",
                                      a bad value): CSL gets it as written; d->from.y
                                      is its year when one can be read, else 0 */
} pr_date_kind;

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

/* The name fields BibTeX and biblatex define (biblatex's data model: every
   field of datatype name), in the order the lists are kept and listed:
   author, editor, editora ... sortname (names.c). */
#define PR_NAME_FIELDS 19
extern const char *const pr_name_fields[PR_NAME_FIELDS];

typedef struct pr_namelist {
  pr_name *names;
  unsigned n;
  unsigned char field;             /* its index in pr_name_fields */
} pr_namelist;

/* Laid out small (112 bytes): a large bibliography holds many. Most entries
   have at most two name lists (author, editor): those are kept in it, any
   more in an array of the bib's arena. */
struct pr_entry {
  const char *type, *key;
  const char *id;                  /* its id when not its key (a repeated key), else NULL */
  const char *file;                /* owned by the bib's file list */
  pr_field *fields;
  unsigned nfields, capfields;
  unsigned line;
  int year;
  pr_namelist lists[2];            /* its first two name lists, in pr_name_fields order */
  pr_namelist *more_lists;         /* the others (nlists - 2), or NULL */
  unsigned order;                  /* position in the bib */
  signed char month;
  unsigned char nlists;
  unsigned char xref_state;        /* crossref: 0 not yet, 1 resolving, 2 done */
  unsigned char year_word;         /* year is a word (years.c): 0 no, 1 a known one, 2 other text */
  unsigned char hashed;            /* its content is in the bib's contents map */
  unsigned char date_bad;          /* a date field pubrender cannot read (years.c) */
};

/* @string macros by name: each name once, with its latest definition
   (strings malloc'd, owned). */
typedef struct pr_macro_env {
  pr_macro_def *v;
  size_t n, cap;
  pr_map index;                    /* name -> its index in v */
} pr_macro_env;

struct pr_bib {
  pr_entry **entries;
  size_t n, cap;
  pr_diags diags;                  /* of parsing; each allocated once, never moved or changed */
  char **files;                    /* document names, owned */
  size_t nfiles;
  pr_encoding encoding;
  unsigned threads;                /* pr_bib_set_threads (1 by default) */
  pr_arena mem;                    /* the entries and all they hold */
  pr_map field_names;              /* field name -> its interned copy (a pointer) */
  pr_map short_values;             /* field values up to 64 bytes, interned likewise */
  pr_map keys;                     /* folded key -> its first definition (a pr_entry *) */
  pr_map contents;                 /* "folded key\x1fcontent hash" -> a pr_entry * (repeated keys) */
  pr_entry **dups;                 /* entries kept under a key already defined, in order */
  size_t ndups, capdups;
  pr_map unknown_cmds;             /* LaTeX commands already warned about */
  /* @string scope (load.c; README "@string scope") */
  pr_string_scope string_scope;    /* of the documents added from now on */
  pr_macro_env macros;             /* the macros of the documents read with PR_STRINGS_SHARED */
  unsigned char *file_scopes;      /* per files[i]: the pr_string_scope it was read with
                                      (the last time, if added twice) */
  struct pr_tex_doc *tex_docs;     /* per document added, its @preamble macros (preamble.c) */
  size_t ntex_docs;
};
/* The pr_string_scope the document named file (an entry's file) was read
   with: PR_STRINGS_SHARED when it saw the macros (and, README, the
   @preamble macros) of the shared documents before it and handed its own
   on; PR_STRINGS_PER_FILE when its macros were its own. PR_STRINGS_SHARED
   for a name bib never read. */
pr_string_scope pr_bib_file_scope(const pr_bib *bib, const char *file);
/* Free a macro environment (bib.c). */
void pr_macro_env_free(pr_macro_env *env);
/* A document's @preamble definitions (NULL: none). */
typedef struct pr_tex_doc {
  const char *file;
  pr_string_scope scope;           /* the document was read with */
  pr_texmacros *macros;
} pr_tex_doc;
/* Start the record of the next document, read with scope (preamble.c).
   0, or -1 when out of memory. */
int pr_preamble_begin(pr_bib *bib, const char *file, pr_string_scope scope);
/* The sink's preamble callback: the definitions of text go to the current
   document's record; what cannot be read is a warning. */
int pr_preamble_add(void *bib, const char *text, const char *file, unsigned line);
/* Expand the macros of the @preambles in the fields of entries first..n-1:
   those of the current document and of the shared-scope documents added
   before it, or, when the current one was read with PR_STRINGS_PER_FILE,
   only its own. A field over the limits keeps its value, with an error.
   0, or -1 when out of memory. */
int pr_preamble_apply(pr_bib *bib, size_t first);
void pr_preamble_free(pr_bib *bib);
/* The sink through which pr_bt_parse hands bib its entries. */
void pr_bib_sink(pr_bib *bib, pr_read_sink *sink);
/* The sink's fork and join (pieces.c): a piece of a document parsed on
   another thread goes into a bib of its own, then into sink's (its ctx). */
int pr_piece_fork(const pr_read_sink *sink, pr_read_sink *piece);
int pr_piece_join(const pr_read_sink *sink, pr_read_sink *piece, int keep);
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
/* Fill year (the first year: sorting, grouping, queries), month and
   year_word from the date, year, month and day fields (years.c); the
   whole date is pr_entry_read_date's. */
void pr_entry_compute_date(pr_entry *e);
/* years.c: the date of e from <prefix>date (biblatex's EDTF subset), else
   <prefix>year, <prefix>month, <prefix>day, <prefix>end{year,month,day}
   (prefix "" for the publication date, "event", "orig", "url"). *literal
   is the field whose text CSL gets for PR_DATE_LITERAL; *bad (NULL when
   none) a field that is not a date and deserves a warning, *why saying
   what is wrong. Never fails. */
pr_date_kind pr_entry_read_date(const pr_entry *e, const char *prefix, pr_date *d,
                                const char **literal, const char **bad, const char **why);
/* The years of d as shown (year label, venue line): "2020", "1991–1992",
   "1987–", "–2021", "c. 2020", "2020?", "45 BC", NUL-terminated in buf
   (48 bytes are enough); "" when d has no year. */
void pr_date_label(const pr_date *d, char *buf, size_t size);

/* years.c: a year field that is a word ("Preprint", "In press"): 0 when
   raw is a number or says there is no date ("n.d."), 1 for a status word
   pubrender knows, 2 for other text without digits. */
int pr_year_word_kind(const char *raw);
/* The word as written (LaTeX converted), malloc'd; NULL when e's year is not a word. */
char *pr_entry_year_word(const pr_entry *e);
/* A warning for a year that is text pubrender does not know, or a date
   field it cannot read (bad-date); -1 out of memory. */
int pr_check_year(pr_bib *bib, const pr_entry *e);

/* ---- after parsing (resolve.c) ---- */
/* Finish the entries from index first on: duplicate keys, crossref,
   dates, names, unknown LaTeX commands. 0, or -1 when out of memory. */
int pr_resolve_new_entries(pr_bib *bib, size_t first);

/* ---- names (names.c) ---- */

/* Build the entry's name lists (one per name field it has, pr_name_fields)
   from its fields, applying marks and biblatex +an annotations. Returns 0
   or -1 when out of memory. */
int pr_entry_build_names(pr_bib *bib, pr_entry *e);
/* The index of a name field in pr_name_fields, or -1 when name is none. */
int pr_name_field_index(const char *name);
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

/* The mark a biblatex +an keyword shows by default ("equal" -> "*"), or NULL. */
const char *pr_default_mark(const char *kw);

/* ---- the entry as BibTeX (bibtex_out.c) ---- */
/* The entry as clean BibTeX, malloc'd. */
char *pr_bibtex_source(const pr_entry *e);

#endif
