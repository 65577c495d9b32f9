/* md_source.c - a field where al-folio allows Markdown (award, annotation,
   additional_info; not abstract, which it prints as text), prepared for
   cmark: LaTeX converted, and
   math set aside as private-use placeholders (Markdown would eat its
   backslashes and underscores), to be put back by the output format; then
   parsed by cmark with every link whose target is not safe undone and
   every image replaced by its description, the same for every output and
   for the warnings. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmark.h>
#include "format.h"
#include "render.h"
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

/* Replace n by its children, then free it. */
static void unwrap(cmark_node *n) {
  for (cmark_node *c; (c = cmark_node_first_child(n));)
    if (!cmark_node_insert_before(n, c)) break;
  cmark_node_free(n); /* unlinks it */
}

cmark_node *pr_md_parse(const pr_md_src *src, pr_md_drop_fn drop, void *ctx) {
  cmark_node *doc = cmark_parse_document(src->text, src->len,
                                         CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
  cmark_node **undo = NULL;
  size_t n = 0, cap = 0;
  int failed = !it;
  for (cmark_event_type ev; !failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE)) continue;
    /* the URL as every renderer reads it: references and escapes decoded */
    const char *url = cmark_node_get_url(node) ? cmark_node_get_url(node) : "";
    if (t == CMARK_NODE_LINK && pr_url_is_safe(url)) continue;
    if (drop) drop(ctx, t == CMARK_NODE_IMAGE, url);
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      cmark_node **v = realloc(undo, cap * sizeof *v);
      if (!v) failed = 1;
      else undo = v;
    }
    if (!failed) undo[n++] = node;
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < n; i++) unwrap(undo[i]); /* outer first: inner ones move up */
  free(undo);
  if (failed) {
    cmark_node_free(doc);
    return NULL;
  }
  return doc;
}

int pr_md_check(const char *latex, int annotation, pr_md_drop_fn drop, void *ctx) {
  pr_md_src *src = malloc(sizeof *src);
  if (!src || pr_md_source(latex, annotation, src)) {
    if (src) pr_md_source_free(src);
    free(src);
    return -1;
  }
  cmark_node *doc = pr_md_parse(src, drop, ctx);
  int rc = doc ? 0 : -1;
  cmark_node_free(doc);
  pr_md_source_free(src);
  free(src);
  return rc;
}

void pr_md_put_utf8(pr_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    size_t run = i;
    while (run < n && (unsigned char)s[run] < 0xFE) run++;
    pr_buf_put(b, s + i, run - i);
    if (run == n) break;
    pr_buf_puts(b, (unsigned char)s[run] == 0xFE ? "\xEF\xBF\xBE" : "\xEF\xBF\xBF");
    i = run + 1;
  }
}

void pr_md_put_back(pr_buf *b, const char *s, size_t n, const pr_md_src *src,
                    void (*math)(pr_buf *b, const char *tex, size_t len, const void *ctx),
                    const void *ctx) {
  size_t from = 0; /* the text since the last placeholder, copied at once */
  for (size_t i = 0; i + 2 < n; i++) {
    const unsigned char *u = (const unsigned char *)s + i;
    unsigned cp = (u[0] & 0xF0) == 0xE0
                      ? ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu)
                      : 0;
    if (cp >= MATH_BASE && cp < MATH_BASE + src->nmath) {
      pr_md_put_utf8(b, s + from, i - from);
      math(b, src->math[cp - MATH_BASE], src->mathlen[cp - MATH_BASE], ctx);
      i += 2;
      from = i + 1;
    }
  }
  pr_md_put_utf8(b, s + from, n - from);
}
