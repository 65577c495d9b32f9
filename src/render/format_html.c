/* format_html.c - marked text (read.h) as HTML: every piece of text is
   escaped, markup comes only from the marker bytes. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmark.h>
#include "render/render.h"

#define P "pubrender"   /* the one class prefix */

/* What pr_html_marked does with a byte: copy it (0), escape it (ESC), or
   stop at it (STOP: a marker, or the end). One table, so that text is read
   once, not once for its markers and again for escaping. */
enum { ESC = 1, STOP = 2 };
static const unsigned char byte_class[256] = {
    [0] = STOP, [1] = STOP, [2] = STOP, [3] = STOP, [4] = STOP, [5] = STOP, [6] = STOP,
    [7] = STOP, [8] = STOP, /* \t and \n are text */ [11] = STOP, [12] = STOP, [13] = STOP,
    [14] = STOP, [15] = STOP, [16] = STOP, [17] = STOP, [18] = STOP, [19] = STOP, [20] = STOP,
    [21] = STOP, [22] = STOP, [23] = STOP, [24] = STOP, [25] = STOP, [26] = STOP,
    [27] = STOP, [28] = STOP, [29] = STOP, [30] = STOP, [31] = STOP, /* up to PR_MK_LAST */
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
    case PR_MK_BR: pr_buf_puts(b, "<br>"); break;
    case PR_MK_SMALL_ON: pr_buf_puts(b, "<small>"); break;
    case PR_MK_SMALL_OFF: pr_buf_puts(b, "</small>"); break;
    case PR_MK_U_ON: pr_buf_puts(b, "<u>"); break;
    case PR_MK_U_OFF: pr_buf_puts(b, "</u>"); break;
    case PR_MK_S_ON: pr_buf_puts(b, "<s>"); break;
    case PR_MK_S_OFF: pr_buf_puts(b, "</s>"); break;
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

/* The math placeholder (md_source.c: U+E000 + its index, UTF-8) at s, of
   the n bytes there, written as it is or, in a URL, percent-encoded: its
   index in src, and its length in *len; -1 when there is none. */
static long placeholder_at(const char *s, size_t n, const pr_md_src *src, size_t *len) {
  unsigned char u[3];
  if (n >= 3 && (unsigned char)s[0] == 0xEE) {
    memcpy(u, s, 3);
    *len = 3;
  } else if (n >= 9 && s[0] == '%' && s[3] == '%' && s[6] == '%') {
    for (int k = 0; k < 3; k++) {
      char h[3] = {s[3 * k + 1], s[3 * k + 2], 0}, *end;
      u[k] = (unsigned char)strtoul(h, &end, 16);
      if (end != h + 2) return -1;
    }
    *len = 9;
  } else {
    return -1;
  }
  if (u[0] != 0xEE || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80) return -1;
  unsigned cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
  return cp >= 0xE000 && cp < 0xE000 + src->nmath ? (long)(cp - 0xE000) : -1;
}

/* A tag cmark wrote, tag[0..n), with each math placeholder in its
   attributes (a link's title, an image's alt and title, percent-encoded in
   an href or src) put back as the TeX source in plain text, \(..\) (in a
   URL $..$, percent-encoded): an attribute never receives markup. */
static void tag_put_back(pr_buf *b, const char *tag, size_t n, const pr_md_src *src) {
  static const char hex[] = "0123456789ABCDEF";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    long k = placeholder_at(tag + i, n - i, src, &len);
    if (k < 0) continue;
    pr_md_put_utf8(b, tag + run, i - run);
    const char *tex = src->math[k];
    size_t tl = src->mathlen[k];
    if (len == 3) {
      pr_buf_puts(b, "\\(");
      pr_tpl_escape_html(b, tex, tl);
      pr_buf_puts(b, "\\)");
    } else {
      pr_buf_putc(b, '$');
      for (size_t j = 0; j < tl; j++) {
        unsigned char c = (unsigned char)tex[j];
        if (c && c < 0x80 && (isalnum(c) || strchr("-._~!$*+,;=:/?@()", c))) {
          pr_buf_putc(b, (char)c);
        } else {
          char e[3] = {'%', hex[c >> 4], hex[c & 15]};
          pr_buf_put(b, e, 3);
        }
      }
      pr_buf_putc(b, '$');
    }
    i += len - 1;
    run = i + 1;
  }
  pr_md_put_utf8(b, tag + run, n - run);
}

/* cmark's HTML h[0..n) with the math put back: as markup in the text, as
   plain text inside tags. cmark escapes < and > in attribute values and
   percent-encodes them in URLs, so a tag ends at the first '>'. */
static void html_put_back(pr_buf *b, const char *h, size_t n, const pr_md_src *src) {
  size_t i = 0;
  while (i < n) {
    const char *lt = memchr(h + i, '<', n - i);
    size_t text_end = lt ? (size_t)(lt - h) : n;
    pr_md_put_back(b, h + i, text_end - i, src, html_math, NULL);
    if (!lt) break;
    const char *gt = memchr(lt, '>', n - text_end);
    size_t tag_end = gt ? (size_t)(gt - h) + 1 : n;
    tag_put_back(b, lt, tag_end - text_end, src);
    i = tag_end;
  }
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
  html_put_back(b, h, n, src);
  free(html);
  pr_md_source_free(src);
  free(src);
}

static void html_markdown(pr_buf *b, const char *latex) { markdown_html(b, latex, 0); }
static void html_annotation(pr_buf *b, const char *latex) { markdown_html(b, latex, 1); }

const pr_format_ops pr_format_html = {"html",          html_marked,     html_text,
                                      html_link,       html_markdown,   html_annotation,
                                      pr_tpl_escape_html, NULL};
