/* text.h - internal: LaTeX to "marked text" and helpers on it.
 *
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
 *
 * Inline HTML (README, "Inline HTML"): the tags of a fixed subset become the
 * same markers as their LaTeX counterparts (<i> <em> as \emph, <b> <strong>
 * as \textbf, <sub> <sup>, <code> <tt> as \texttt, <a href> as \href), and
 * the four above; any other tag, and a closing tag without its opening
 * one, stays as text. Attributes but a's href are dropped. HTML character
 * references (&amp; &#233; &#xE9; and a few named ones) are decoded to
 * text; one that would decode to a control character becomes U+FFFD.
 */
#ifndef PR_TEXT_H
#define PR_TEXT_H
#include <stddef.h>

#define PR_MK_EMPH_ON  '\x01'
#define PR_MK_EMPH_OFF '\x02'
#define PR_MK_BOLD_ON  '\x03'
#define PR_MK_BOLD_OFF '\x04'
#define PR_MK_MATH_ON  '\x05'
#define PR_MK_MATH_OFF '\x06'
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

#endif
