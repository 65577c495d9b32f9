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
#include "read/read.h"

#define MATH_BASE 0xE000

/* Length of an HTML line break tag at s (<br>, <br/>, <br />), or 0. */
static size_t br_tag(const char *s) {
  static const char *const tags[] = {"<br>", "<br/>", "<br />"};
  for (size_t i = 0; i < 3; i++)
    if (strncasecmp(s, tags[i], strlen(tags[i])) == 0) return strlen(tags[i]);
  return 0;
}

/* The inline HTML subset's marks (read.h) as the tags written into the
   cmark source, which pr_md_parse turns into nodes (adopt_tags): the only
   raw HTML the source has, since a '<' of the text is written &lt;
   (character references are left to cmark, which reads them). */
const char *pr_mark_tag(char m) {
  switch (m) {
  case PR_MK_EMPH_ON: return "<em>";
  case PR_MK_EMPH_OFF: return "</em>";
  case PR_MK_BOLD_ON: return "<strong>";
  case PR_MK_BOLD_OFF: return "</strong>";
  case PR_MK_SUP_ON: return "<sup>";
  case PR_MK_SUP_OFF: return "</sup>";
  case PR_MK_SUB_ON: return "<sub>";
  case PR_MK_SUB_OFF: return "</sub>";
  case PR_MK_SMALL_ON: return "<small>";
  case PR_MK_SMALL_OFF: return "</small>";
  case PR_MK_U_ON: return "<u>";
  case PR_MK_U_OFF: return "</u>";
  case PR_MK_S_ON: return "<s>";
  case PR_MK_S_OFF: return "</s>";
  case PR_MK_BR: return "<br>";
  default: return NULL;
  }
}

/* A Markdown autolink (<scheme:...> or <user@host>) at s, which keeps its '<'. */
static int autolink_at(const char *s) {
  size_t i = 1, n = 0;
  while (s[i] && !strchr(" <>\t\n", s[i]) && (unsigned char)s[i] > PR_MK_LAST) i++, n++;
  if (s[i] != '>' || !n) return 0;
  const char *colon = memchr(s + 1, ':', n);
  return (colon && colon > s + 2) || memchr(s + 1, '@', n) != NULL;
}

/* A link's destination onto src, between < and >: whitespace, <, > and
   the backslash percent-encoded, & as a reference (cmark decodes both). */
static void put_dest(pr_buf *src, const char *u, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)u[i];
    if (c == '&') pr_buf_puts(src, "&amp;");
    else if (c <= ' ' || c == '<' || c == '>' || c == '\\') {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      pr_buf_put(src, e, 3);
    } else pr_buf_putc(src, (char)c);
  }
}

int pr_md_source(const char *latex, int annotation, pr_md_src *out) {
  memset(out, 0, sizeof *out);
  pr_latex_hooks keep = {NULL, NULL, NULL, 1, 0}; /* cmark reads the character references */
  out->marked = pr_latex_to_marked_hooks(latex, strlen(latex), &keep);
  if (!out->marked) return -1;
  pr_buf src = {0};
  const char *url = NULL; /* of the link whose text is being written */
  size_t url_len = 0;
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
    } else if (*p == PR_MK_BR && annotation) {
      pr_buf_puts(&src, "\\\n"); /* a hard line break */
    } else if (pr_mark_tag(*p)) {
      pr_buf_puts(&src, pr_mark_tag(*p));
    } else if (*p == PR_MK_LINK_ON && !url) { /* [text](<url>) */
      const char *mid = strchr(p, PR_MK_LINK_MID);
      if (!mid || !strchr(mid, PR_MK_LINK_OFF)) break;
      url = p + 1;
      url_len = (size_t)(mid - url);
      pr_buf_putc(&src, '[');
      p = mid;
    } else if (*p == PR_MK_LINK_OFF && url) {
      pr_buf_puts(&src, "](<");
      put_dest(&src, url, url_len);
      pr_buf_puts(&src, ">)");
      url = NULL;
    } else if (url && (*p == '[' || *p == ']')) {
      pr_buf_putc(&src, '\\');
      pr_buf_putc(&src, *p);
    } else if (*p == '<' && !autolink_at(p)) {
      pr_buf_puts(&src, "&lt;"); /* text, never raw HTML */
    } else if ((unsigned char)*p > PR_MK_LAST || *p == '\n') {
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

/* The node a tag of pr_mark_tag's stands for, its children to be added. */
static cmark_node *tag_node(const char *open) {
  if (strcmp(open, "<em>") == 0) return cmark_node_new(CMARK_NODE_EMPH);
  if (strcmp(open, "<strong>") == 0) return cmark_node_new(CMARK_NODE_STRONG);
  cmark_node *n = cmark_node_new(CMARK_NODE_CUSTOM_INLINE);
  char close[16];
  size_t len = strlen(open);
  if (n && len + 1 < sizeof close) {
    close[0] = '<';
    close[1] = '/';
    memcpy(close + 2, open + 1, len - 1);
    close[len + 1] = '\0';
    if (!cmark_node_set_on_enter(n, open) || !cmark_node_set_on_exit(n, close)) {
      cmark_node_free(n);
      return NULL;
    }
  }
  return n;
}

/* The tags of pr_mark_tag's (raw inline HTML nodes) made the nodes they stand
   for: <em> and <strong> emphasis, <br> a hard break, the others custom
   inline nodes that write them (the HTML output writes them, the Markdown
   output where the flavour allows HTML). A tag without its closing tag
   among the nodes that follow it (a Markdown span crossed it) is removed,
   its text kept. 0, or -1 when out of memory. */
static int adopt_tags(cmark_node *doc) {
  cmark_node **tags = NULL;
  size_t n = 0, cap = 0;
  cmark_iter *it = cmark_iter_new(doc);
  if (!it) return -1;
  int failed = 0;
  for (cmark_event_type ev; !failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HTML_INLINE) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 8;
      cmark_node **v = realloc(tags, cap * sizeof *v);
      if (!v) failed = 1;
      else tags = v;
    }
    if (!failed) tags[n++] = node;
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < n && !failed; i++) {
    const char *open = cmark_node_get_literal(tags[i]);
    if (!open || open[1] == '/') continue;
    if (strcmp(open, "<br>") == 0) {
      cmark_node *br = cmark_node_new(CMARK_NODE_LINEBREAK);
      if (!br || !cmark_node_insert_before(tags[i], br)) failed = 1;
      continue;
    }
    size_t len = strlen(open);
    cmark_node *close = cmark_node_next(tags[i]);
    for (int depth = 0; close; close = cmark_node_next(close)) {
      const char *l = cmark_node_get_type(close) == CMARK_NODE_HTML_INLINE
                          ? cmark_node_get_literal(close) : NULL;
      if (!l) continue;
      if (strcmp(l, open) == 0) depth++;
      else if (l[0] == '<' && l[1] == '/' && strncmp(l + 2, open + 1, len - 1) == 0 &&
               !l[len + 1] && depth-- == 0)
        break;
    }
    if (!close) continue;
    cmark_node *span = tag_node(open);
    if (!span || !cmark_node_insert_before(tags[i], span)) {
      cmark_node_free(span);
      failed = 1;
      continue;
    }
    for (cmark_node *c; (c = cmark_node_next(span)) != close && c;)
      if (c == tags[i]) cmark_node_unlink(c); /* freed below */
      else if (!cmark_node_append_child(span, c)) {
        failed = 1;
        break;
      }
  }
  for (size_t i = 0; i < n; i++) cmark_node_free(tags[i]); /* unlinks it */
  free(tags);
  return failed ? -1 : 0;
}

/* The length of a tag of pr_mark_tag's at s, or 0. */
static size_t mark_tag_at(const char *s) {
  for (char m = 1; m <= PR_MK_LAST; m++) {
    const char *t = pr_mark_tag(m);
    if (t && strncmp(s, t, strlen(t)) == 0) return strlen(t);
  }
  return 0;
}

/* Where cmark takes the source as a string (a link's or image's title, a
   code span), the tags of pr_mark_tag's are removed again (<br> a space):
   plain text, as the math there is. 0, or -1 when out of memory. */
static int strip_tags(cmark_node *doc) {
  cmark_iter *it = cmark_iter_new(doc);
  if (!it) return -1;
  int failed = 0;
  for (cmark_event_type ev; !failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (ev != CMARK_EVENT_ENTER) continue;
    int title = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE;
    const char *v = title ? cmark_node_get_title(node)
                    : t == CMARK_NODE_CODE ? cmark_node_get_literal(node) : NULL;
    if (!v || !strchr(v, '<')) continue;
    pr_buf b = {0};
    for (const char *p = v; *p; p++) {
      size_t k = *p == '<' ? mark_tag_at(p) : 0;
      if (k == 4 && strncmp(p, "<br>", 4) == 0) pr_buf_putc(&b, ' ');
      else if (!k) pr_buf_putc(&b, *p);
      p += k ? k - 1 : 0;
    }
    char *clean = pr_buf_take(&b);
    if (!clean || !(title ? cmark_node_set_title(node, clean) : cmark_node_set_literal(node, clean)))
      failed = 1;
    free(clean);
  }
  cmark_iter_free(it);
  return failed ? -1 : 0;
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
  if (!failed && doc && (adopt_tags(doc) || strip_tags(doc))) failed = 1;
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
