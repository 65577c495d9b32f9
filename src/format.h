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
/* The HTML tag (<em>, </sup>, <br>, ...) of an inline subset mark (text.h),
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
/* url as a Markdown link destination that every reader (CommonMark, GFM,
   kramdown, pandoc) takes literally and ends where it ends, appended to b
   (format_md.c). */
void pr_md_dest(pr_buf *b, const char *url);

/* Marked text as HTML (also used for the pieces of other HTML). */
void pr_html_marked(pr_buf *out, const char *marked);

#endif
