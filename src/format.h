/* format.h - internal: how pieces of an entry are written in an output
   format (HTML or CommonMark) before a template puts them together. */
#ifndef PR_FORMAT_H
#define PR_FORMAT_H
#include "internal.h"
#include "mustache.h"

typedef struct pr_format_ops {
  const char *name;                                   /* template folder */
  void (*marked)(pr_buf *out, const char *marked);    /* marked text (text.h) */
  void (*text)(pr_buf *out, const char *plain);       /* plain text, escaped */
  void (*link)(pr_buf *out, const char *label, const char *href); /* a safe link */
  /* a field where al-folio allows Markdown (abstract, award, annotation,
     additional_info), given as LaTeX source */
  void (*markdown)(pr_buf *out, const char *latex);
  /* an entry's annotation (the legend of its marks), as al-folio writes it:
     Markdown where "<br>" breaks the line and a mark starting a line is a
     mark, not a list bullet */
  void (*annotation)(pr_buf *out, const char *latex);
  pr_tpl_escape_fn escape;                            /* for {{x}}; NULL: none */
} pr_format_ops;

extern const pr_format_ops pr_format_html;
extern const pr_format_ops pr_format_markdown;
/* Markdown flavours: folder markdown-kramdown / markdown-gfm, falling back
   to markdown; text escapes what the dialect would read as syntax. */
extern const pr_format_ops pr_format_markdown_kramdown;
extern const pr_format_ops pr_format_markdown_gfm;

/* Marked text as HTML (also used for the pieces of other HTML). */
void pr_html_marked(pr_buf *out, const char *marked);

#endif
