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

/* A Markdown field as cmark source (md_source.c): LaTeX converted, math
   replaced by private-use placeholders; with annotation, "<br>" is a hard
   break and a mark starting a line is not a bullet. */
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
/* Copy s[0..n) to b with each placeholder written by math(). */
void pr_md_put_back(pr_buf *b, const char *s, size_t n, const pr_md_src *src,
                    void (*math)(pr_buf *b, const char *tex, size_t len));

/* Marked text as HTML (also used for the pieces of other HTML). */
void pr_html_marked(pr_buf *out, const char *marked);

#endif
