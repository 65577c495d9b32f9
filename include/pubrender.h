/* pubrender.h - BibTeX to publication lists (HTML, Markdown, JSON, CSL-JSON).
 *
 * The whole public API. Everything is prefixed pr_ / PR_. Types are opaque.
 *
 * Ownership, in short:
 *  - pr_bib owns its entries, names and diagnostics; every const char * a
 *    getter returns is borrowed and valid until pr_bib_free().
 *  - functions returning char * hand over ownership: free with pr_free().
 *  - every *_free(NULL) is a no-op.
 *
 * Errors: functions that can fail return pr_status and fill an optional
 * pr_error (NULL = don't tell me). Problems inside a .bib file are not
 * failures of the call: they are kept as diagnostics on the pr_bib, the bad
 * entry is skipped and every other entry kept. The library never writes to
 * stdout or stderr and never exits the process.
 *
 * Threads: any function may be called from any thread; BibTeX parsing is
 * serialised internally (libbtparse is process-global), one pr_bib or
 * pr_options must not be changed from two threads at once.
 */
#ifndef PUBRENDER_H
#define PUBRENDER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(PR_STATIC_DEFINE) || !defined(__GNUC__)
#define PR_EXPORT
#else
#define PR_EXPORT __attribute__((visibility("default")))
#endif

#define PR_VERSION_MAJOR 0
#define PR_VERSION_MINOR 1
#define PR_VERSION_PATCH 0
#define PR_VERSION_STRING "0.1.0"

/* The run-time version; equals PR_VERSION_STRING when header and library match. */
PR_EXPORT const char *pr_version_string(void);

/* ---- status and errors ------------------------------------------------ */

typedef enum pr_status {
  PR_OK = 0,
  PR_ERR_NOMEM,    /* out of memory */
  PR_ERR_IO,       /* a file could not be read or written; a sink failed */
  PR_ERR_INPUT,    /* the input cannot be parsed at all (see the message) */
  PR_ERR_ARG,      /* invalid argument */
  PR_ERR_INTERNAL  /* the BibTeX backend failed in a way it cannot recover from */
} pr_status;

typedef struct pr_error {
  pr_status code;
  unsigned line;        /* 1-based; 0 = unknown */
  unsigned column;      /* 1-based, in characters; 0 = unknown */
  char source[256];     /* file name, or the name given for a buffer */
  char message[256];    /* UTF-8, no trailing newline */
} pr_error;

/* A static description of a status code. */
PR_EXPORT const char *pr_strerror(pr_status code);

/* Free memory the library handed over (strings from *_string functions). */
PR_EXPORT void pr_free(void *p);

/* ---- parsing ------------------------------------------------------------ */

typedef struct pr_bib pr_bib;       /* a bibliography: entries from one or more documents */
typedef struct pr_entry pr_entry;   /* borrowed view of one entry of a pr_bib */
typedef struct pr_name pr_name;     /* borrowed view of one author/editor */

typedef enum pr_severity { PR_WARNING = 1, PR_ERROR = 2 } pr_severity;

/* One finding about the input. Borrowed from the pr_bib. */
typedef struct pr_diag {
  pr_severity severity;
  const char *file;     /* name of the document */
  unsigned line;        /* 1-based; 0 = unknown */
  unsigned column;      /* 1-based; 0 = unknown (btparse reports no columns) */
  const char *message;  /* UTF-8, no trailing newline */
} pr_diag;

/* A new, empty bibliography. Returns NULL when out of memory. */
PR_EXPORT pr_bib *pr_bib_new(void);
PR_EXPORT void pr_bib_free(pr_bib *bib);

/* The encoding of the documents added from now on. UTF-8 (the default):
   a BOM is skipped, invalid bytes are errors naming the line and are read
   as U+FFFD. Latin-1: every byte is converted. */
typedef enum pr_encoding { PR_ENCODING_UTF8 = 0, PR_ENCODING_LATIN1 } pr_encoding;
PR_EXPORT pr_status pr_bib_set_encoding(pr_bib *bib, pr_encoding enc);

/* Parse one BibTeX document and append its entries. @string macros are
   local to the document; jan..dec are predefined. Text outside entries
   (e.g. Jekyll front matter) is ignored. Entries with errors are skipped
   and reported as diagnostics; the call still returns PR_OK. name is used
   in diagnostics (may be NULL: "<buffer>").
   Then, over the whole bibliography: a later entry with a key already
   present (keys compare case-insensitively, as in BibTeX) is dropped with
   a warning naming both places; crossref fields inherit the parent's
   missing fields (booktitle from the parent's title for in* types; chains
   are followed, a cycle is an error); LaTeX commands the converter does not
   know get one warning per command name. */
PR_EXPORT pr_status pr_bib_add_buffer(pr_bib *bib, const char *data, size_t len,
                                      const char *name, pr_error *err);
/* As above, from a file; path "-" reads standard input. */
PR_EXPORT pr_status pr_bib_add_file(pr_bib *bib, const char *path, pr_error *err);

/* Entries, in the order of the input. */
PR_EXPORT size_t pr_bib_count(const pr_bib *bib);
PR_EXPORT const pr_entry *pr_bib_entry(const pr_bib *bib, size_t i);
/* Look up by key (case-insensitive, as in BibTeX), NULL if none. */
PR_EXPORT const pr_entry *pr_bib_find(const pr_bib *bib, const char *key);

/* Diagnostics, in the order they were found. */
PR_EXPORT size_t pr_bib_diag_count(const pr_bib *bib);
PR_EXPORT const pr_diag *pr_bib_diag(const pr_bib *bib, size_t i);
/* Number of diagnostics with severity PR_ERROR. */
PR_EXPORT size_t pr_bib_error_count(const pr_bib *bib);
/* "file:line: error: message" into buf (always NUL-terminated); returns buf. */
PR_EXPORT char *pr_diag_format(const pr_diag *d, char *buf, size_t size);

/* Entry type ("article", lower case), key, source file and line of the @. */
PR_EXPORT const char *pr_entry_type(const pr_entry *e);
PR_EXPORT const char *pr_entry_key(const pr_entry *e);
PR_EXPORT const char *pr_entry_file(const pr_entry *e);
PR_EXPORT unsigned pr_entry_line(const pr_entry *e);

/* Fields (names lower case), raw BibTeX text after macro expansion and #
   concatenation (LaTeX still in it). pr_entry_field returns NULL when the
   entry has no such field. */
PR_EXPORT size_t pr_entry_field_count(const pr_entry *e);
PR_EXPORT const char *pr_entry_field_name(const pr_entry *e, size_t i);
PR_EXPORT const char *pr_entry_field_value(const pr_entry *e, size_t i);
PR_EXPORT const char *pr_entry_field(const pr_entry *e, const char *name);

/* A field converted from LaTeX to plain UTF-8 (NFC): accents, dashes,
   quotes, escapes, braces removed; math kept as \( .. \). Owned: free with
   pr_free(). NULL if the field is missing or memory ran out. */
PR_EXPORT char *pr_entry_field_text(const pr_entry *e, const char *name);

/* Year and month (1..12) for ordering; 0 when absent or unparsable. */
PR_EXPORT int pr_entry_year(const pr_entry *e);
PR_EXPORT int pr_entry_month(const pr_entry *e);

/* Names of a name-list field ("author", "editor"). */
PR_EXPORT size_t pr_entry_name_count(const pr_entry *e, const char *field);
PR_EXPORT const pr_name *pr_entry_name(const pr_entry *e, const char *field, size_t i);

/* Name parts as plain UTF-8 (LaTeX converted, marks removed); "" when the
   part is empty. */
PR_EXPORT const char *pr_name_first(const pr_name *n);
PR_EXPORT const char *pr_name_von(const pr_name *n);
PR_EXPORT const char *pr_name_last(const pr_name *n);
PR_EXPORT const char *pr_name_jr(const pr_name *n);
/* "First von Last, Jr"; "et al." for "others". */
PR_EXPORT const char *pr_name_display(const pr_name *n);
/* The contribution marks of this name as UTF-8 symbols ("*", "*\xe2\x80\xa0"),
   from marks written on the name and from biblatex +an annotations. */
PR_EXPORT const char *pr_name_marks(const pr_name *n);
/* 1 for "and others". */
PR_EXPORT int pr_name_is_others(const pr_name *n);
/* 1 when a biblatex annotation (highlight) asks for this name to be highlighted. */
PR_EXPORT int pr_name_annotated_highlight(const pr_name *n);

/* ---- rendering ------------------------------------------------------------ */

typedef enum pr_format {
  PR_FORMAT_HTML = 0,   /* an HTML fragment (default) */
  PR_FORMAT_MARKDOWN,   /* CommonMark */
  PR_FORMAT_JSON,       /* pubrender's record model as a JSON array (README: "JSON output") */
  PR_FORMAT_CSL_JSON    /* CSL-JSON, as pandoc --citeproc, citeproc-js, citation-js and
                           Zotero read it (README: "CSL-JSON output") */
} pr_format;

typedef struct pr_options pr_options;

/* Defaults: HTML fragment, newest first, legends "*" = "Equal Contribution",
   "\xe2\x80\xa0" (dagger) = "Corresponding Author". NULL when out of memory. */
PR_EXPORT pr_options *pr_options_new(void);
PR_EXPORT void pr_options_free(pr_options *o);
PR_EXPORT pr_status pr_options_set_format(pr_options *o, pr_format f);
/* A complete HTML page with a default stylesheet instead of a fragment
   (HTML only; the other formats ignore it). */
PR_EXPORT void pr_options_set_standalone(pr_options *o, int on);
/* Add a name variant of the page owner ("Byungsoo Oh", "Oh, B."); it matches
   the same person written in another order, with initials, other case or
   accents. */
PR_EXPORT pr_status pr_options_add_highlight(pr_options *o, const char *name);
/* The legend text for a mark symbol (UTF-8, e.g. "*"); NULL text removes it. */
PR_EXPORT pr_status pr_options_set_legend(pr_options *o, const char *mark, const char *text);

/* Output sink: return non-zero to stop (the render then fails with PR_ERR_IO). */
typedef int (*pr_write_fn)(const char *data, size_t len, void *ctx);

/* Render all entries of bib, newest first (year, then month; file order
   breaks ties), in the options' format; JSON and CSL-JSON are one array in
   that order. Problems found while rendering (e.g. an unsafe URL dropped)
   are appended to bib's diagnostics as warnings, which is why bib is not
   const. */
PR_EXPORT pr_status pr_render(pr_bib *bib, const pr_options *o,
                              pr_write_fn write, void *ctx, pr_error *err);
/* The same into a new NUL-terminated string; free with pr_free(). */
PR_EXPORT pr_status pr_render_string(pr_bib *bib, const pr_options *o,
                                     char **out, size_t *len, pr_error *err);

#ifdef __cplusplus
}
#endif
#endif /* PUBRENDER_H */
