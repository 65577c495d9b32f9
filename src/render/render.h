/* render.h - writing a list out: Mustache templates (mustache.c) over the
   template data of each entry (tpl_data.c), the HTML and Markdown pieces
   (format_*.c), the template files (render_tpl.c), JSON and CSL-JSON
   (render_json.c, render_csl.c), and pr_render (render.c). */
#ifndef PR_RENDER_H
#define PR_RENDER_H
#include "view/view.h"

/* ---- Mustache (mustache.c) ----
   Mustache templates (the spec's required modules:
   interpolation, sections, inverted sections, comments, partials, set
   delimiters; no lambdas) over pr_val data (val.h).

   Compile once, render many times:

     pr_tpl *t = pr_tpl_compile(src, len, "entry.html", partials, ctx, &err);
     for each record: pr_tpl_render(t, record, &out, &err);
     pr_tpl_free(t);

   Data: any pr_val (object, array, string, integer, real, true/false,
   null; a NULL root reads as null); the root may be any of them. It is
   only read, so one tree may be rendered from several threads. Names
   resolve as the spec says: the first part of a dotted name through the
   context stack (innermost first), the other parts only inside the value
   found.

   Interpolation: strings as they are (escaped for {{x}}, raw for {{{x}}} and
   {{&x}}); integers in decimal; reals in the shortest form that reads back
   the same (1.21 -> "1.21", 2.0 -> "2"); true/false as "true"/"false"; null,
   missing names, objects and arrays as "".

   Truthiness (sections and inverted sections), as JavaScript and mustache.js
   read JSON: falsey are a missing name, null, false, 0, "" and []; every
   other value (including {}) is truthy. An array is iterated; any other
   truthy value is pushed on the context stack and the section rendered once.

   Threads: a compiled template is read-only while rendering, so one pr_tpl
   may be rendered from several threads at once (set the escape function
   before that). No global state. */
/* Deepest nesting of sections and partials while rendering (a recursive
   partial recurses once per level of its data); deeper is an error. */
#define PR_TPL_MAX_DEPTH 100

/* The work of rendering: bytes written plus PR_TPL_TAG_COST for every tag
   and text run executed. A render (or the renders sharing one
   pr_tpl_budget) may do PR_TPL_WORK_BASE units of work, plus
   PR_TPL_WORK_PER_DATA for every byte of the data it was given (a string's
   bytes, one per value), so real templates over any data never reach it
   while a section nested inside itself, whose work doubles with every
   level, stops with an error after a fraction of a second. */
#define PR_TPL_WORK_BASE ((size_t)64 << 20)
#define PR_TPL_WORK_PER_DATA 16
#define PR_TPL_TAG_COST 8

/* Work shared by several renders (e.g. all those of one publication list,
   so that many entries cannot each use up a whole allowance): start it as
   {0} and pass it to every pr_tpl_render_budget. */
typedef struct pr_tpl_budget {
  size_t used;     /* work done so far */
  size_t allowed;  /* 0: not started (PR_TPL_WORK_BASE) */
} pr_tpl_budget;

/* Longest partial name; longer is an error. */
#define PR_TPL_MAX_PARTIAL_NAME 255

typedef struct pr_tpl pr_tpl;

/* The source of the partial called name (not NUL-terminated: its length in
   *len), or NULL when there is none (it then renders as ""). *file may be
   set to the name to use in error messages (default: the partial's name).
   The text is copied; it need only live until the callback is called again
   or pr_tpl_compile returns. Called at most once per partial name, and
   only for names of at most PR_TPL_MAX_PARTIAL_NAME bytes without control
   characters (others are errors). To refuse a name (it would leave the
   template directory, say), return NULL with *refused set to the reason
   (it need only live until the callback is called again): compiling then
   fails with "partial 'NAME' refused: REASON" at the tag. */
typedef const char *(*pr_tpl_partial_fn)(const char *name, size_t *len, const char **file,
                                         const char **refused, void *ctx);

/* Write s[0..n) escaped (or not) to out. */
typedef void (*pr_tpl_escape_fn)(pr_buf *out, const char *s, size_t n);

/* Compile src[0..len) and, through partials (may be NULL: no partials),
   every partial it reaches, each once. name names the template in errors
   (NULL: "<template>"). On error returns NULL and fills err: code
   PR_ERR_INPUT, source = the template's or partial's file, line and column
   (1-based, columns in characters) of the offending tag, and a message such
   as "unclosed section 'authors' opened at 3:5"; PR_ERR_NOMEM when out of
   memory. */
pr_tpl *pr_tpl_compile(const char *src, size_t len, const char *name, pr_tpl_partial_fn partials,
                       void *ctx, pr_error *err);

/* How {{x}} is escaped: pr_tpl_escape_html (the default) or NULL for none
   (e.g. Markdown output whose data is already escaped). */
void pr_tpl_set_escape(pr_tpl *t, pr_tpl_escape_fn esc);

/* & < > " ' as &amp; &lt; &gt; &quot; &#39;. */
void pr_tpl_escape_html(pr_buf *out, const char *s, size_t n);

/* Render t with data, appending to out. PR_OK; PR_ERR_INPUT when sections
   and partials nest deeper than PR_TPL_MAX_DEPTH or the work allowed (see
   PR_TPL_WORK_BASE) is used up (err names the tag); PR_ERR_NOMEM when out
   ran out of memory. out keeps what was written. */
pr_status pr_tpl_render(const pr_tpl *t, const pr_val *data, pr_buf *out, pr_error *err);
/* The same, the work counted in b (NULL: a budget of its own). */
pr_status pr_tpl_render_budget(const pr_tpl *t, const pr_val *data, pr_buf *out,
                               pr_tpl_budget *b, pr_error *err);

/* Does a tag of t or of a partial it reaches (a variable, section or
   inverted section) name name[0..len), as the whole name or one part of a
   dotted name? When not, no value under that key can change what t
   renders, so the caller need not build it. */
int pr_tpl_mentions(const pr_tpl *t, const char *name, size_t len);

void pr_tpl_free(pr_tpl *t);

/* ---- output formats (format_html.c, format_md.c) ----
   How pieces of an entry are written in an output
   format (HTML or CommonMark) before a template puts them together. */

typedef struct pr_format_ops {
  const char *name;                                   /* template folder */
  void (*marked)(pr_buf *out, const char *marked);    /* marked text (read.h) */
  void (*text)(pr_buf *out, const char *plain);       /* plain text, escaped */
  void (*link)(pr_buf *out, const char *label, const char *href); /* a safe link */
  /* a field where al-folio allows Markdown (award, annotation,
     additional_info; abstract is text), given as LaTeX source */
  void (*markdown)(pr_buf *out, const char *latex);
  /* an entry's annotation (the legend of its marks), as al-folio writes it:
     Markdown where "<br>" breaks the line and a mark starting a line is a
     mark, not a list bullet */
  void (*annotation)(pr_buf *out, const char *latex);
  pr_tpl_escape_fn escape;                            /* for {{x}}; NULL: none */
  /* a checked URL (pr_url_is_safe) as a template value (url, href,
     abbr_url, preview); NULL: as it is */
  void (*url)(pr_buf *out, const char *url);
} pr_format_ops;

extern const pr_format_ops pr_format_html;
extern const pr_format_ops pr_format_markdown;
/* Markdown flavours: folder markdown-kramdown / markdown-gfm, falling back
   to markdown; text escapes what the dialect would read as syntax. */
extern const pr_format_ops pr_format_markdown_kramdown;
extern const pr_format_ops pr_format_markdown_gfm;

/* url as a Markdown link destination that every reader (CommonMark, GFM,
   kramdown, pandoc) takes literally and ends where it ends, appended to b
   (format_md.c). */
void pr_md_dest(pr_buf *b, const char *url);

/* Marked text as HTML (also used for the pieces of other HTML). */
void pr_html_marked(pr_buf *out, const char *marked);

/* ---- template data (tpl_data.c) and template files (render_tpl.c) ---- */
/* HTML and Markdown through the templates (render_tpl.c); template errors
   fill err with the template's file, line and column. bib is only read;
   findings and the template files read go to rep (never NULL). */
pr_status pr_render_html(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                         pr_buf *out, pr_report *rep, pr_error *err);
pr_status pr_render_markdown(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *out, pr_report *rep, pr_error *err);
struct pr_format_ops;
struct pr_tpl;
/* Set c up for the template data of entries written in format f through
   the template entry (view.c): only what entry (with its partials) reads
   is built. */
void pr_view_ctx_init(pr_view_ctx *c, pr_diags *diags, const pr_options *o,
                      const struct pr_format_ops *f, const struct pr_tpl *entry);
void pr_view_ctx_clear(pr_view_ctx *c);
/* The template data of entry e, numbered number: an object in c's arena,
   valid until the next call. Resets the arena. NULL when out of memory. */
const pr_val *pr_view_data(pr_view_ctx *c, const pr_entry *e, size_t number);
/* ---- the display model (list.c, view_json.c) ---- */
/* The text values of a view: pr_item_field's values (pubrender.h). */
#define PR_VIEW_NFIELDS ((int)PR_ITEM_BIBTEX + 1)
/* The text value field (a pr_item_field) of v appended to out, written by
   f as the built-in templates write it (NULL: plain UTF-8): 1, or 0 when v
   has no such value (out unchanged). out is marked failed when out of
   memory. */
int pr_view_put(pr_buf *out, const pr_format_ops *f, const pr_view *v, int field);
/* --format view-json: the display model of plan as JSON (README, "View
   JSON"), one group at a time, each group's items one at a time. */
pr_status pr_render_view_json(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                              pr_buf *out, pr_report *rep);

/* pubrender's record model as JSON (render_json.c) and CSL-JSON
   (render_csl.c): one array of the entries v[0..n) in that order. */
pr_status pr_render_json(const pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                         pr_buf *out, pr_diags *diags);
/* CSL-JSON's findings (a dropped link) go to diags. */
pr_status pr_render_csl(const pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                        pr_buf *out, pr_diags *diags);

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
#define PR_JSON_MAX_DEFERRED 24  /* a record's name lists (PR_NAME_FIELDS); the mark's
                                    character, '0' + k, is then one jansson never escapes */
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
typedef struct json_t *(*pr_json_make_fn)(size_t i, void *ctx, pr_diags *diags,
                                          pr_json_deferred *d, size_t *nd);
/* With threads > 1 (pr_par_threads), blocks of elements are made on that
   many workers, worker t with ctxs[t] (else ctxs[0] on this thread), and
   written in order: the same text and findings (into diags) either way. */
pr_status pr_json_dump_array(pr_buf *out, size_t n, pr_json_make_fn make, void *const *ctxs,
                             unsigned threads, pr_diags *diags);
/* LaTeX to plain UTF-8 (pr_latex_to_marked, then pr_marked_to_plain);
   malloc'd, NULL when out of memory. */
char *pr_plain_text(const char *latex);

#endif
