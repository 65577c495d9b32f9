/* read.h - reading text: a document's bytes to UTF-8, the prescan that
   defuses what libbtparse cannot survive, the parse (btparse_glue.c, the
   only file that calls bt_*), name lists split by BibTeX's rules, LaTeX to
   marked text, Markdown fields as cmark reads them. Nothing here knows the
   bibliography: entries go to a pr_read_sink, findings to a pr_diags. */
#ifndef PR_READ_H
#define PR_READ_H
#include "util/util.h"

/* ---- marked text (latex.c) ----
 * Marked text is NUL-terminated NFC UTF-8 in which a few C0 control bytes
 * (never present in converted text: the converter turns every input control
 * character into a space) delimit inline structure. Renderers walk it; the
 * plain-text form drops the markers. Spans nest properly.
 *
 *   PR_MK_EMPH_ON  ... PR_MK_EMPH_OFF     \emph, \textit, \textsl, {\em ..}, {\it ..}
 *   PR_MK_BOLD_ON  ... PR_MK_BOLD_OFF     \textbf, {\bf ..}
 *   PR_MK_MATH_ON  ... PR_MK_MATH_OFF     $..$, \(..\), $$..$$, \[..\]: the TeX source, verbatim
 *   PR_MK_SUP_ON   ... PR_MK_SUP_OFF      \textsuperscript
 *   PR_MK_SUB_ON   ... PR_MK_SUB_OFF      \textsubscript
 *   PR_MK_SC_ON    ... PR_MK_SC_OFF       \textsc, {\sc ..}
 *   PR_MK_CODE_ON  ... PR_MK_CODE_OFF     \texttt, {\tt ..}
 *   PR_MK_LINK_ON url PR_MK_LINK_MID text PR_MK_LINK_OFF   \url{u} (text = u), \href{u}{t}
 *   PR_MK_BR                              a line break (<br>); no spaces around it
 *   PR_MK_SMALL_ON ... PR_MK_SMALL_OFF    <small>
 *   PR_MK_U_ON     ... PR_MK_U_OFF        <u>, <ins>
 *   PR_MK_S_ON     ... PR_MK_S_OFF        <s>, <del>, <strike>
 *   PR_MK_NOCASE_ON ... PR_MK_NOCASE_OFF  case-protected text, only when asked for
 *                                         (pr_latex_hooks.nocase): BibTeX's rule, a
 *                                         brace group at brace level 1 that does not
 *                                         start with a backslash ({GPUs}, The {B}ayesian,
 *                                         \emph{in vivo}'s argument); a "special
 *                                         character" group ({\"U}ber, {\em x}, {\TeX})
 *                                         and an accent's argument (\'{E}) are not.
 *                                         Every walker but CSL-JSON's ignores them
 *                                         (the plain text drops them).
 *
 * Inline HTML (README, "Inline HTML"): the tags of a fixed subset become the
 * same markers as their LaTeX counterparts (<i> <em> as \emph, <b> <strong>
 * as \textbf, <sub> <sup>, <code> <tt> as \texttt, <a href> as \href), and
 * the four above; any other tag, and a closing tag without its opening
 * one, stays as text. Attributes but a's href are dropped. HTML character
 * references (&amp; &#233; &#xE9; and a few named ones) are decoded to
 * text; one that would decode to a control character becomes U+FFFD.
 */

#define PR_MK_EMPH_ON  '\x01'
#define PR_MK_EMPH_OFF '\x02'
#define PR_MK_BOLD_ON  '\x03'
#define PR_MK_BOLD_OFF '\x04'
#define PR_MK_MATH_ON  '\x05'
#define PR_MK_MATH_OFF '\x06'
#define PR_MK_NOCASE_ON  '\x07'
#define PR_MK_NOCASE_OFF '\x08'
#define PR_MK_SUP_ON   '\x0e'
#define PR_MK_SUP_OFF  '\x0f'
#define PR_MK_SUB_ON   '\x10'
#define PR_MK_SUB_OFF  '\x11'
#define PR_MK_SC_ON    '\x12'
#define PR_MK_SC_OFF   '\x13'
#define PR_MK_CODE_ON  '\x14'
#define PR_MK_CODE_OFF '\x15'
#define PR_MK_LINK_ON  '\x16'
#define PR_MK_LINK_MID '\x17'
#define PR_MK_LINK_OFF '\x18'
#define PR_MK_BR       '\x19'
#define PR_MK_SMALL_ON '\x1a'
#define PR_MK_SMALL_OFF '\x1b'
#define PR_MK_U_ON     '\x1c'
#define PR_MK_U_OFF    '\x1d'
#define PR_MK_S_ON     '\x1e'
#define PR_MK_S_OFF    '\x1f'
/* The last marker byte: every byte above it is text. */
#define PR_MK_LAST     '\x1f'

/* Called once per occurrence of a control sequence the converter does not
   know (name without the backslash, NUL-terminated). */
typedef void (*pr_unknown_cmd_fn)(const char *name, void *ctx);

/* Called once per problem with inline HTML, with a sentence saying what
   was done (e.g. "HTML tag <script> shown as text ..."). */
typedef void (*pr_markup_warn_fn)(const char *msg, void *ctx);

typedef struct pr_latex_hooks {
  pr_unknown_cmd_fn unknown; /* may be NULL */
  pr_markup_warn_fn html;    /* may be NULL */
  void *ctx;                 /* passed to both */
  int keep_refs;             /* HTML character references left as written (a
                                Markdown field: cmark reads them, also in link
                                destinations); an a's href still decodes them */
  int nocase;                /* write PR_MK_NOCASE_ON/OFF around case-protected
                                text (CSL-JSON's rich text); off, the text is the
                                same without them */
} pr_latex_hooks;

/* Convert LaTeX source (a BibTeX field value after macro expansion) of
   length n to marked text. Whitespace is collapsed and trimmed; ~ becomes
   U+00A0; bidi embedding, override and isolate controls are removed. Returns a malloc'd string (free with free()), or NULL when out
   of memory. unknown may be NULL. */
char *pr_latex_to_marked(const char *s, size_t n, pr_unknown_cmd_fn unknown, void *ctx);

/* The same, reporting inline HTML problems too (hooks may be NULL). */
char *pr_latex_to_marked_hooks(const char *s, size_t n, const pr_latex_hooks *hooks);

/* Marked text to plain UTF-8: markers dropped, math written as \( .. \),
   a link as its text, a line break as a space. Returns a malloc'd string or NULL when out of memory. */
char *pr_marked_to_plain(const char *m);


/* Resolves TeX's \ifmmode A\else B\fi for text (outside math): B, and
   nothing of A (no \else: nothing). Used before a name list is split, as
   the converter does it in running text. Returns a malloc'd copy of
   s[0..n), or NULL when out of memory. */
char *pr_latex_text_mode(const char *s, size_t n);

/* Index of the '}' matching the '{' at s[p] (a backslash escapes the
 * next byte), or n when unterminated (texgroup.c; for latex.c, texmacro.c
 * and siunitx.c). */
size_t pr_tex_group_end(const char *s, size_t n, size_t p);

/* ---- siunitx and chemistry (siunitx.c) ----
 * The commands of siunitx (\SI \qty \si \unit \num \ang, the ranges,
 * lists and products) and \ch / \ce (chemformula, mhchem) rewritten as the
 * LaTeX source of the text TeX typesets, for the converter to read. name
 * [0..len) is the command's name; s[p..n) follows it (after its spaces).
 * Writes the rewriting to out and returns the index just after the
 * command's arguments; (size_t)-1, nothing written, when name is not one
 * of these commands or no braced argument follows. */
size_t pr_siunitx_rewrite(const char *name, size_t len, const char *s, size_t n, size_t p,
                          pr_buf *out);

/* ---- encoding (encoding.c) ---- */
/* Make in's text UTF-8: a BOM is skipped, Latin-1 converted, invalid UTF-8
   reported on d and replaced by U+FFFD. Valid UTF-8 is left in place;
   otherwise in is replaced by the converted copy. 0, or -1 when out of
   memory. */
int pr_decode_input(pr_diags *d, const char *file, pr_input *in, pr_encoding enc);

/* ---- prescan (prescan.c) ---- */
/* Fields (or @string macros) per entry: btparse overflows a fixed stack at
   97 (96 with '#'). The prescan refuses entries with more; a hook in
   btparse_glue.c enforces it again. */
#define PR_MAX_FIELDS 90
/* Defuse, in place, input shapes that btparse cannot survive (text[len] is
   NUL, and no NUL byte comes before it); each one is
   reported on d as an error. Returns 0, or -1 when out of memory. */
int pr_prescan(pr_diags *d, const char *file, char *text, size_t len);

/* An @string macro: its name (lower case), its text (expanded and pasted,
   as btparse holds it) and where it was defined. */
typedef struct pr_macro_def {
  const char *name, *text, *file;
  size_t len;                      /* of text */
  unsigned line;
} pr_macro_def;
/* pr_prescan for a document that starts with macros[0..n) defined (the
   @string macros of earlier documents, shared scope): their sizes count
   in the limits as a definition in the document would. index (may be NULL)
   maps each name to its place in macros: then nothing is copied. */
/* progress, when not NULL, is told after each top-level item text[start..done)
   how far the text is final (nothing before done changes any more), and
   what the item was: ' ' a blank, 'r' a regular entry, 's' an @string,
   'p' an @preamble, 'c' an @comment, each read whole and left as it is
   (btparse parses it cleanly), 0 anything else (text between entries, an
   entry blanked or cut short). */
typedef void (*pr_prescan_progress_fn)(void *ctx, size_t start, size_t done, int kind);
int pr_prescan_progress(pr_diags *d, const char *file, char *text, size_t len,
                        const pr_macro_def *macros, size_t n, const pr_map *index,
                        pr_prescan_progress_fn progress, void *ctx);
int pr_prescan_with(pr_diags *d, const char *file, char *text, size_t len,
                    const pr_macro_def *macros, size_t n, const pr_map *index);
/* ---- @preamble macros (texmacro.c) ----
   The definitions an @preamble makes, read from its text: \def\x{..},
   \def\x#1#2{..#1..} (also \gdef, \edef, \xdef, \long\def), and
   \newcommand, \renewcommand, \providecommand, \DeclareRobustCommand
   (with or without *) of {\x} or \x, [n] arguments and a [default] for the
   first. A later definition of a name replaces an earlier one; a
   \providecommand only defines a name nothing else defines. */
typedef struct pr_texmacros pr_texmacros;
pr_texmacros *pr_texmacros_new(void); /* NULL when out of memory */
void pr_texmacros_free(pr_texmacros *m);
size_t pr_texmacros_count(const pr_texmacros *m);
/* Called once per definition that is not read (\let, \catcode, a \def
   with delimited parameters, a malformed \newcommand), with a sentence. */
typedef void (*pr_texmacro_warn_fn)(void *ctx, const char *msg);
/* Read the definitions in text[0..n) into m. 0, or -1 when out of memory. */
int pr_texmacros_parse(pr_texmacros *m, const char *text, size_t n, pr_texmacro_warn_fn warn,
                       void *ctx);
#define PR_TEXMACRO_PASSES 32          /* expansion passes at most */
#define PR_TEXMACRO_MAX_OUT (1u << 24) /* bytes of an expansion at most */
typedef enum {
  PR_TEXMACRO_SAME,     /* nothing defined occurs: *out is NULL */
  PR_TEXMACRO_EXPANDED, /* *out is the expansion (malloc'd) */
  PR_TEXMACRO_LIMIT,    /* over a limit (a recursive definition): *out NULL */
  PR_TEXMACRO_NOMEM
} pr_texmacro_result;
/* s[0..n) with every command the sets define replaced by its body (its
   arguments, {..} or one token, put for #1..#9), again until none is left
   (a later set's definition wins over an earlier one's). Commands in the
   argument of \url and the first of \href are left alone. The output is at
   most 16 n + 64 KiB bytes (and PR_TEXMACRO_MAX_OUT), reached in at most
   PR_TEXMACRO_PASSES passes. */
pr_texmacro_result pr_texmacros_expand(const pr_texmacros *const *sets, size_t nsets,
                                       const char *s, size_t n, char **out);

/* ---- btparse (btparse_glue.c: the only file that calls bt_*) ---- */

/* Where the parse hands what it reads (the bibliography implements it,
   model/bib.c): an entry is begun, given its fields in order (each name
   first interned through name: a field name is then compared by its
   address), and ended (an entry left unended when memory ran out is the
   sink's to drop). Each returns non-zero (NULL for begin, name) when
   memory ran out. Findings go to diags. */
typedef struct pr_read_sink {
  void *ctx;
  pr_diags *diags;
  void *(*begin)(void *ctx, const char *type, const char *key, const char *file, unsigned line,
                 size_t nfields);
  const char *(*name)(void *ctx, const char *field);
  int (*field)(void *ctx, void *entry, const char *name, const char *value, unsigned line);
  int (*end)(void *ctx, void *entry);
  /* @string scope (README "@string scope"): macros[0..nmacros) are defined
     when the document starts (after the predefined months, so one of them
     may redefine a month; read only before the first call of macro), and
     macro, when not NULL, is told each macro the document defines, in
     order, with its text as btparse then holds it (non-zero when out of
     memory). */
  const pr_macro_def *macros;
  size_t nmacros;
  const pr_map *macro_index;       /* name -> its index in macros, or NULL */
  int (*macro)(void *macro_ctx, const char *name, const char *text, const char *file,
               unsigned line);
  void *macro_ctx;
  /* An @preamble's text (its strings joined, macros expanded); may be NULL. */
  int (*preamble)(void *ctx, const char *text, const char *file, unsigned line);
  /* pr_bib_set_threads: > 1 or 0 lets a large document's prescan run on a
     thread of its own, ahead of the parser, and a document of 2 MiB or
     more be parsed in pieces by several copies of btparse (the same
     result) */
  unsigned threads;
  /* Pieces (NULL: none): fork fills *piece with a sink of its own for one
     piece of the document, parsed on another thread (its entries, its
     findings, and its macros and preambles recorded, starting with this
     sink's macros); join then hands what it got to this sink in order (keep)
     or drops it, and frees it. Both are called on this sink's thread; each
     0, or -1 when out of memory. */
  int (*fork)(const struct pr_read_sink *sink, struct pr_read_sink *piece);
  int (*join)(const struct pr_read_sink *sink, struct pr_read_sink *piece, int keep);
} pr_read_sink;

/* Parse a document (UTF-8, normalised in place: NUL bytes are reported and
   read as spaces) and hand its entries to sink; the pages of in are given
   back as the parser passes them. file is the name diagnostics carry (it
   must live as long as they do). */
pr_status pr_bt_parse(const pr_read_sink *sink, pr_input *in, const char *file, pr_error *err);
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
   unmatched brace) go to d (may be NULL) at file:line. Thread-safe: no
   global state (the bt_ in the name is from when libbtparse did this). */
long pr_bt_split_names(const char *list, pr_diags *d, const char *file, unsigned line,
                       pr_raw_name **out);
/* The same, the warnings naming the entry key and field ("entry 'K',
   field 'author': name 2 has ..."). */
long pr_bt_split_names_in(const char *list, pr_diags *d, const char *file, unsigned line,
                          const char *key, const char *field, pr_raw_name **out);
void pr_raw_names_free(pr_raw_name *v, size_t n);

/* A Markdown field as cmark source: LaTeX converted, math
   replaced by private-use placeholders; with annotation, "<br>" is a hard
   break and a mark starting a line is not a bullet. */
/* ---- Markdown fields (md_source.c) ---- */
#define PR_MD_MATH_MAX 1024
typedef struct pr_md_src {
  char *marked;                   /* the converted text the math points into */
  char *text;                     /* the Markdown source */
  size_t len;
  const char *math[PR_MD_MATH_MAX];
  size_t mathlen[PR_MD_MATH_MAX], nmath;
} pr_md_src;
int pr_md_source(const char *latex, int annotation, pr_md_src *out);
void pr_md_source_free(pr_md_src *s);
/* The HTML tag (<em>, </sup>, <br>, ...) of an inline subset mark (read.h),
   or NULL for any other byte (md_source.c). */
const char *pr_mark_tag(char m);
/* What parsing a Markdown field takes out, for a warning: a link whose
   target is not safe (pr_url_is_safe; the link is undone, its text kept),
   or an image (never shown, whatever its source: no remote, tracking or
   data: image comes in from a .bib; its description is kept as text). url
   is the target as every renderer reads it, references and escapes decoded. */
typedef void (*pr_md_drop_fn)(void *ctx, int image, const char *url);
/* src parsed by cmark (invalid UTF-8 read as U+FFFD) with those links and
   images replaced by their text, each reported to drop (may be NULL). NULL
   when out of memory; free with cmark_node_free. Raw HTML is left to the
   output (cmark's HTML omits it, the Markdown output removes it). */
struct cmark_node;
struct cmark_node *pr_md_parse(const pr_md_src *src, pr_md_drop_fn drop, void *ctx);
/* The field's pr_md_parse, only reporting what it drops (the warnings of
   pr_resolve). 0, or -1 when out of memory. */
int pr_md_check(const char *latex, int annotation, pr_md_drop_fn drop, void *ctx);
/* s[0..n) from cmark onto b. cmark writes U+FFFE and U+FFFF (from text or
   a character reference) as the single bytes 0xFE and 0xFF, which are not
   UTF-8: they are put back as the characters. */
void pr_md_put_utf8(pr_buf *b, const char *s, size_t n);
/* pr_md_put_utf8 of s[0..n) with each placeholder written by math(..., ctx). */
void pr_md_put_back(pr_buf *b, const char *s, size_t n, const pr_md_src *src,
                    void (*math)(pr_buf *b, const char *tex, size_t len, const void *ctx),
                    const void *ctx);
#endif
