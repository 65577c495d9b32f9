/* md_source.c - a field where al-folio allows Markdown (abstract, award,
   annotation, additional_info), prepared for cmark: LaTeX converted, and
   math set aside as private-use placeholders (Markdown would eat its
   backslashes and underscores), to be put back by the output format. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "format.h"
#include "text.h"

#define MATH_BASE 0xE000

/* Length of an HTML line break tag at s (<br>, <br/>, <br />), or 0. */
static size_t br_tag(const char *s) {
  static const char *const tags[] = {"<br>", "<br/>", "<br />"};
  for (size_t i = 0; i < 3; i++)
    if (strncasecmp(s, tags[i], strlen(tags[i])) == 0) return strlen(tags[i]);
  return 0;
}

int pr_md_source(const char *latex, int annotation, pr_md_src *out) {
  memset(out, 0, sizeof *out);
  out->marked = pr_latex_to_marked(latex, strlen(latex), NULL, NULL);
  if (!out->marked) return -1;
  pr_buf src = {0};
  for (const char *p = out->marked; *p; p++) {
    if (*p == PR_MK_MATH_ON && out->nmath < PR_MD_MATH_MAX) {
      const char *end = strchr(p + 1, PR_MK_MATH_OFF);
      if (!end) break;
      unsigned cp = MATH_BASE + (unsigned)out->nmath;
      char u[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                   (char)(0x80 | (cp & 0x3F))};
      out->math[out->nmath] = p + 1;
      out->mathlen[out->nmath++] = (size_t)(end - p - 1);
      pr_buf_put(&src, u, 3);
      p = end;
    } else if (annotation && br_tag(p)) {
      pr_buf_puts(&src, "\\\n"); /* a hard line break */
      p += br_tag(p) - 1;
      while (p[1] == ' ') p++;
    } else if ((unsigned char)*p > PR_MK_LINK_OFF || *p == '\n') {
      int line_start = src.len == 0 || src.data[src.len - 1] == '\n';
      if (annotation && line_start && strchr("*+-#>", *p)) pr_buf_putc(&src, '\\');
      pr_buf_putc(&src, *p);
    }
  }
  pr_buf_putc(&src, '\0');
  out->len = src.len ? src.len - 1 : 0;
  out->text = pr_buf_take(&src);
  return out->text ? 0 : -1;
}

void pr_md_source_free(pr_md_src *s) {
  free(s->marked);
  free(s->text);
  memset(s, 0, sizeof *s);
}

void pr_md_put_back(pr_buf *b, const char *s, size_t n, const pr_md_src *src,
                    void (*math)(pr_buf *b, const char *tex, size_t len)) {
  for (size_t i = 0; i < n; i++) {
    const unsigned char *u = (const unsigned char *)s + i;
    unsigned cp = i + 2 < n && (u[0] & 0xF0) == 0xE0
                      ? ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu)
                      : 0;
    if (cp >= MATH_BASE && cp < MATH_BASE + src->nmath) {
      math(b, src->math[cp - MATH_BASE], src->mathlen[cp - MATH_BASE]);
      i += 2;
    } else {
      pr_buf_putc(b, s[i]);
    }
  }
}
