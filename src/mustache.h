/* mustache.h - internal: Mustache templates (the spec's required modules:
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
#ifndef PR_MUSTACHE_H
#define PR_MUSTACHE_H

#include <stddef.h>
#include "internal.h"
#include "val.h"

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

#endif
