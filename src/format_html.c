/* format_html.c - marked text (text.h) as HTML: every piece of text is
   escaped, markup comes only from the marker bytes. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmark.h>
#include "format.h"
#include "mustache.h"
#include "render.h"
#include "text.h"

#define P "pubrender"   /* the one class prefix */

/* What pr_html_marked does with a byte: copy it (0), escape it (ESC), or
   stop at it (STOP: a marker, or the end). One table, so that text is read
   once, not once for its markers and again for escaping. */
enum { ESC = 1, STOP = 2 };
static const unsigned char byte_class[256] = {
    [0] = STOP, [1] = STOP, [2] = STOP, [3] = STOP, [4] = STOP, [5] = STOP, [6] = STOP,
    [7] = STOP, [8] = STOP, /* \t and \n are text */ [11] = STOP, [12] = STOP, [13] = STOP,
    [14] = STOP, [15] = STOP, [16] = STOP, [17] = STOP, [18] = STOP, [19] = STOP, [20] = STOP,
    [21] = STOP, [22] = STOP, [23] = STOP, [24] = STOP, /* up to PR_MK_LINK_OFF */
    ['&'] = ESC, ['<'] = ESC, ['>'] = ESC, ['"'] = ESC, ['\''] = ESC};

/* Marked text to HTML. Links in the text become <a> only when safe. */
void pr_html_marked(pr_buf *b, const char *m) {
  while (*m) {
    const char *p = m;
    while (!byte_class[(unsigned char)*p]) p++;
    if (p > m) pr_buf_put(b, m, (size_t)(p - m));
    m = p;
    if (byte_class[(unsigned char)*m] == ESC) {
      pr_tpl_escape_html(b, m++, 1);
      continue;
    }
    if (!*m) break;
    switch (*m++) {
    case PR_MK_EMPH_ON: pr_buf_puts(b, "<em>"); break;
    case PR_MK_EMPH_OFF: pr_buf_puts(b, "</em>"); break;
    case PR_MK_BOLD_ON: pr_buf_puts(b, "<strong>"); break;
    case PR_MK_BOLD_OFF: pr_buf_puts(b, "</strong>"); break;
    case PR_MK_SUP_ON: pr_buf_puts(b, "<sup>"); break;
    case PR_MK_SUP_OFF: pr_buf_puts(b, "</sup>"); break;
    case PR_MK_SUB_ON: pr_buf_puts(b, "<sub>"); break;
    case PR_MK_SUB_OFF: pr_buf_puts(b, "</sub>"); break;
    case PR_MK_SC_ON: pr_buf_puts(b, "<span class=\"" P "-sc\">"); break;
    case PR_MK_SC_OFF: pr_buf_puts(b, "</span>"); break;
    case PR_MK_CODE_ON: pr_buf_puts(b, "<code>"); break;
    case PR_MK_CODE_OFF: pr_buf_puts(b, "</code>"); break;
    case PR_MK_MATH_ON: {
      const char *end = strchr(m, PR_MK_MATH_OFF);
      size_t len = end ? (size_t)(end - m) : strlen(m);
      pr_buf_puts(b, "<span class=\"" P "-math\">\\(");
      pr_tpl_escape_html(b, m, len);
      pr_buf_puts(b, "\\)</span>");
      m += len + (end ? 1 : 0);
      break;
    }
    case PR_MK_LINK_ON: {
      const char *mid = strchr(m, PR_MK_LINK_MID);
      if (!mid) break;
      char *url = pr_strndup(m, (size_t)(mid - m));
      int safe = url && pr_url_is_safe(url);
      if (safe) {
        pr_buf_puts(b, "<a href=\"");
        pr_tpl_escape_html(b, url, strlen(url));
        pr_buf_puts(b, "\">");
      }
      free(url);
      m = mid + 1;
      const char *end = strchr(m, PR_MK_LINK_OFF);
      size_t len = end ? (size_t)(end - m) : strlen(m);
      char *text = pr_strndup(m, len);
      if (text) pr_html_marked(b, text);
      free(text);
      if (safe) pr_buf_puts(b, "</a>");
      m += len + (end ? 1 : 0);
      break;
    }
    default: break; /* stray marker */
    }
  }
}


static void html_marked(pr_buf *b, const char *m) { pr_html_marked(b, m); }

static void html_text(pr_buf *b, const char *s) { pr_tpl_escape_html(b, s, strlen(s)); }

static void html_link(pr_buf *b, const char *label, const char *href) {
  pr_buf_puts(b, "<a class=\"" P "-link\" href=\"");
  html_text(b, href);
  pr_buf_puts(b, "\">");
  html_text(b, label);
  pr_buf_puts(b, "</a>");
}

/* Markdown fields: LaTeX converted, math set aside as private-use
   placeholders (Markdown would eat its backslashes and underscores), the
   text parsed by cmark (pr_md_parse: links with a target that is not safe
   and all images become their text) and rendered in safe mode (raw HTML
   omitted), then the math put back. A single paragraph loses its <p>. */
static void html_math(pr_buf *b, const char *tex, size_t len, const void *unused) {
  (void)unused;
  pr_buf_puts(b, "<span class=\"" P "-math\">\\(");
  pr_tpl_escape_html(b, tex, len);
  pr_buf_puts(b, "\\)</span>");
}

static void markdown_html(pr_buf *b, const char *latex, int annotation) {
  pr_md_src *src = malloc(sizeof *src);
  if (!src || pr_md_source(latex, annotation, src)) {
    if (src) pr_md_source_free(src);
    free(src);
    b->failed = 1;
    return;
  }
  cmark_node *doc = pr_md_parse(src, NULL, NULL);
  char *html = doc ? cmark_render_html(doc, CMARK_OPT_DEFAULT) : NULL;
  cmark_node_free(doc);
  if (!html) b->failed = 1;
  size_t n = html ? strlen(html) : 0;
  const char *h = html ? html : "";
  if (n > 8 && strncmp(h, "<p>", 3) == 0 && strcmp(h + n - 5, "</p>\n") == 0 &&
      !strstr(h + 3, "<p>")) {
    h += 3;
    n -= 8;
  }
  pr_md_put_back(b, h, n, src, html_math, NULL);
  free(html);
  pr_md_source_free(src);
  free(src);
}

static void html_markdown(pr_buf *b, const char *latex) { markdown_html(b, latex, 0); }
static void html_annotation(pr_buf *b, const char *latex) { markdown_html(b, latex, 1); }

const pr_format_ops pr_format_html = {"html",          html_marked,     html_text,
                                      html_link,       html_markdown,   html_annotation,
                                      pr_tpl_escape_html, NULL};
