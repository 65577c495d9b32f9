/* format_md.c - marked text (text.h) as CommonMark: each piece is built
   as a cmark node tree and rendered by cmark, so any text from the .bib is
   escaped by cmark itself; templates put the pieces together. The kramdown
   and GFM flavours also write characters those dialects read as syntax
   where CommonMark does not (kramdown: $$ math, | tables, { attribute lists
   and Liquid, ~~ strikethrough with Jekyll's GFM input; GFM: ~ strikethrough)
   as numeric character references, which all three read as the character. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark.h>
#include "format.h"
#include "render.h"
#include "text.h"

typedef struct md {
  int failed;
  const char *special;  /* characters written as &#N; in text; NULL: none */
} md;

static cmark_node *node(md *st, cmark_node_type t) {
  cmark_node *n = cmark_node_new(t);
  if (!n) st->failed = 1;
  return n;
}

/* Append child to parent; on failure free child and remember. */
static cmark_node *add(md *st, cmark_node *parent, cmark_node *child) {
  if (!child) return NULL;
  if (!cmark_node_append_child(parent, child)) {
    cmark_node_free(child);
    st->failed = 1;
    return NULL;
  }
  return child;
}

static void text_plain(md *st, cmark_node *parent, const char *s, size_t len);

/* Text; with a flavour, its special characters as character references
   (inline HTML nodes, which cmark writes as they are). */
static void text_n(md *st, cmark_node *parent, const char *s, size_t len) {
  size_t from = 0;
  for (size_t i = 0; st->special && i < len && !st->failed; i++) {
    if (!s[i] || !strchr(st->special, s[i])) continue;
    text_plain(st, parent, s + from, i - from);
    char ref[8];
    snprintf(ref, sizeof ref, "&#%d;", (unsigned char)s[i]);
    cmark_node *h = node(st, CMARK_NODE_HTML_INLINE);
    if (h && !cmark_node_set_literal(h, ref)) st->failed = 1;
    add(st, parent, h);
    from = i + 1;
  }
  text_plain(st, parent, s + from, len - from);
}

static void text_plain(md *st, cmark_node *parent, const char *s, size_t len) {
  if (!len) return;
  char *lit = pr_strndup(s, len);
  cmark_node *t = node(st, CMARK_NODE_TEXT);
  if (!lit || !t) {
    free(lit);
    cmark_node_free(t);
    st->failed = 1;
    return;
  }
  cmark_node_set_literal(t, lit);
  free(lit);
  add(st, parent, t);
}

static void text(md *st, cmark_node *parent, const char *s) { text_n(st, parent, s, strlen(s)); }

static size_t run(const char *s) {
  size_t n = 0;
  while (s[n] && (unsigned char)s[n] > PR_MK_LINK_OFF) n++;
  return n;
}

/* Marked text to inline nodes under parent. Spans without a CommonMark
   equivalent (small caps, super/subscript) become their text. */
static void marked_md(md *st, cmark_node *parent, const char *m) {
  cmark_node *stack[64];
  size_t depth = 0;
  cmark_node *cur = parent;
  while (*m && !st->failed) {
    size_t n = run(m);
    if (n) {
      text_n(st, cur, m, n);
      m += n;
      continue;
    }
    char c = *m++;
    if (c == PR_MK_EMPH_ON || c == PR_MK_BOLD_ON) {
      cmark_node *span = add(st, cur, node(st, c == PR_MK_EMPH_ON ? CMARK_NODE_EMPH
                                                                  : CMARK_NODE_STRONG));
      if (span && depth < sizeof stack / sizeof *stack) {
        stack[depth++] = cur;
        cur = span;
      }
    } else if ((c == PR_MK_EMPH_OFF || c == PR_MK_BOLD_OFF) && depth) {
      cur = stack[--depth];
    } else if (c == PR_MK_MATH_ON || c == PR_MK_CODE_ON) {
      char off = c == PR_MK_MATH_ON ? PR_MK_MATH_OFF : PR_MK_CODE_OFF;
      const char *end = strchr(m, off);
      size_t len = end ? (size_t)(end - m) : strlen(m);
      char *src = pr_strndup(m, len);
      char *plain = src ? pr_marked_to_plain(src) : NULL;
      if (plain && c == PR_MK_MATH_ON) {
        text(st, cur, "\\(");
        text(st, cur, plain);
        text(st, cur, "\\)");
      } else if (plain) {
        cmark_node *code = node(st, CMARK_NODE_CODE);
        if (code) cmark_node_set_literal(code, plain);
        add(st, cur, code);
      } else {
        st->failed = 1;
      }
      free(src);
      free(plain);
      m += len + (end ? 1 : 0);
    } else if (c == PR_MK_LINK_ON) {
      const char *mid = strchr(m, PR_MK_LINK_MID);
      const char *end = mid ? strchr(mid, PR_MK_LINK_OFF) : NULL;
      if (!mid || !end) break;
      char *url = pr_strndup(m, (size_t)(mid - m));
      char *label = pr_strndup(mid + 1, (size_t)(end - mid - 1));
      cmark_node *target = cur;
      if (url && label && pr_url_is_safe(url)) {
        target = add(st, cur, node(st, CMARK_NODE_LINK));
        if (target) cmark_node_set_url(target, url);
      }
      if (target && label) marked_md(st, target, label);
      if (!url || !label) st->failed = 1;
      free(url);
      free(label);
      m = end + 1;
    }
    /* SC, SUP, SUB and stray markers: their text is kept, the marker dropped */
  }
}


typedef void (*fill_fn)(md *st, cmark_node *para, const char *a, const char *b);

/* Render one paragraph built by fill as a CommonMark fragment (no final
   newline) onto out. */
static void fragment(pr_buf *out, const char *special, fill_fn fill, const char *a,
                     const char *b) {
  md st = {0, special};
  cmark_node *doc = node(&st, CMARK_NODE_DOCUMENT);
  cmark_node *para = doc ? add(&st, doc, node(&st, CMARK_NODE_PARAGRAPH)) : NULL;
  if (para) fill(&st, para, a, b);
  char *s = st.failed || !para ? NULL : cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
  cmark_node_free(doc);
  if (!s) {
    out->failed = 1;
    return;
  }
  size_t n = strlen(s);
  while (n && s[n - 1] == '\n') n--;
  pr_buf_put(out, s, n);
  free(s);
}

static void fill_marked(md *st, cmark_node *para, const char *m, const char *unused) {
  (void)unused;
  marked_md(st, para, m);
}

static void fill_text(md *st, cmark_node *para, const char *s, const char *unused) {
  (void)unused;
  text(st, para, s);
}

static void fill_link(md *st, cmark_node *para, const char *label, const char *href) {
  cmark_node *link = add(st, para, node(st, CMARK_NODE_LINK));
  if (!link) return;
  cmark_node_set_url(link, href);
  text(st, link, label);
}

static void md_math(pr_buf *b, const char *tex, size_t len) {
  pr_buf t = {0};
  pr_buf_puts(&t, "\\(");
  pr_buf_put(&t, tex, len);
  pr_buf_puts(&t, "\\)");
  char *s = pr_buf_take(&t);
  if (s) fragment(b, NULL, fill_text, s, NULL);
  else b->failed = 1;
  free(s);
}

/* Markdown fields in Markdown output: parsed by cmark, raw HTML removed,
   unsafe link targets emptied, hard breaks made spaces, and written back
   on one line (the field sits inside a list item). */
static void markdown_field(pr_buf *b, const char *latex, int annotation) {
  pr_md_src *src = malloc(sizeof *src);
  if (!src || pr_md_source(latex, annotation, src)) {
    if (src) pr_md_source_free(src);
    free(src);
    b->failed = 1;
    return;
  }
  cmark_node *doc = cmark_parse_document(src->text, src->len,
                                         CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
  cmark_node **drop = NULL;
  size_t ndrop = 0, cap = 0;
  cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
  for (cmark_event_type ev; it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev != CMARK_EVENT_ENTER) continue;
    if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_LINEBREAK) {
      if (ndrop == cap) {
        cap = cap ? 2 * cap : 16;
        cmark_node **v = realloc(drop, cap * sizeof *v);
        if (!v) break;
        drop = v;
      }
      drop[ndrop++] = n;
    } else if ((t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) &&
               !pr_url_is_safe(cmark_node_get_url(n) ? cmark_node_get_url(n) : "")) {
      cmark_node_set_url(n, "");
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < ndrop; i++) {
    if (cmark_node_get_type(drop[i]) == CMARK_NODE_LINEBREAK) {
      cmark_node *sp = cmark_node_new(CMARK_NODE_TEXT);
      if (sp) cmark_node_set_literal(sp, " ");
      if (sp && !cmark_node_insert_before(drop[i], sp)) cmark_node_free(sp);
    }
    cmark_node_free(drop[i]); /* unlinks it */
  }
  free(drop);
  char *out_md = doc ? cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0) : NULL;
  cmark_node_free(doc);
  if (!out_md) {
    b->failed = 1;
  } else {
    size_t n = strlen(out_md), o = 0;
    for (size_t i = 0; i < n; i++) { /* one line: newlines to single spaces */
      char c = out_md[i] == '\n' ? ' ' : out_md[i];
      if (c == ' ' && (o == 0 || out_md[o - 1] == ' ')) continue;
      out_md[o++] = c;
    }
    while (o && out_md[o - 1] == ' ') o--;
    pr_md_put_back(b, out_md, o, src, md_math);
  }
  free(out_md);
  pr_md_source_free(src);
  free(src);
}

/* The pieces of one flavour: SPECIAL is the characters it escapes. Empty
   text is an empty paragraph, which cmark writes as nothing: it is not
   built (an author without marks has an empty marks piece). */
#define PR_MD_FLAVOUR(suffix, special)                                                  \
  static void md_marked##suffix(pr_buf *b, const char *m) {                             \
    if (*m) fragment(b, special, fill_marked, m, NULL);                                 \
  }                                                                                     \
  static void md_text##suffix(pr_buf *b, const char *s) {                               \
    if (*s) fragment(b, special, fill_text, s, NULL);                                   \
  }                                                                                     \
  static void md_link##suffix(pr_buf *b, const char *label, const char *href) {         \
    fragment(b, special, fill_link, label, href);                                       \
  }                                                                                     \
  static void md_markdown##suffix(pr_buf *b, const char *latex) {                       \
    markdown_field(b, latex, 0);                                                        \
  }                                                                                     \
  static void md_annotation##suffix(pr_buf *b, const char *latex) {                     \
    markdown_field(b, latex, 1);                                                        \
  }
PR_MD_FLAVOUR(, NULL)
PR_MD_FLAVOUR(_kramdown, "$|{~")
PR_MD_FLAVOUR(_gfm, "~")

const pr_format_ops pr_format_markdown = {"markdown", md_marked,   md_text, md_link,
                                          md_markdown, md_annotation, NULL};
const pr_format_ops pr_format_markdown_kramdown = {
    "markdown-kramdown", md_marked_kramdown,   md_text_kramdown, md_link_kramdown,
    md_markdown_kramdown, md_annotation_kramdown, NULL};
const pr_format_ops pr_format_markdown_gfm = {
    "markdown-gfm",  md_marked_gfm, md_text_gfm, md_link_gfm, md_markdown_gfm,
    md_annotation_gfm, NULL};
