/* format_md.c - marked text (read.h) as CommonMark: each piece is built
   as a cmark node tree and rendered by cmark, so any text from the .bib is
   escaped by cmark itself; templates put the pieces together. Characters
   that a Markdown dialect reads as syntax where CommonMark does not are
   written as numeric character references, which every reader reads as the
   character: { in every flavour (kramdown's attribute lists and extensions,
   pandoc's attributes and raw {=html}, Jekyll's Liquid {{ and {%, whichever
   reader gets the file), and in the kramdown and GFM flavours also $$ math,
   | tables and ~~ strikethrough. A { in code (where references are not
   read) ends the code span. Link destinations are written so that every
   reader takes them literally (pr_md_dest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmark.h>
#include "render/render.h"

typedef struct md {
  int failed;
  const char *special;  /* characters written as &#N; in text */
  /* when set, a node added to its parent goes before it (the pieces that
     replace one node of a parsed field), not at the end */
  cmark_node *before;
} md;

static cmark_node *node(md *st, cmark_node_type t) {
  cmark_node *n = cmark_node_new(t);
  if (!n) st->failed = 1;
  return n;
}

/* Append child to parent (or put it before st->before, a child of parent);
   on failure free child and remember. */
static cmark_node *add(md *st, cmark_node *parent, cmark_node *child) {
  if (!child) return NULL;
  int ok = st->before && cmark_node_parent(st->before) == parent
               ? cmark_node_insert_before(st->before, child)
               : cmark_node_append_child(parent, child);
  if (!ok) {
    cmark_node_free(child);
    st->failed = 1;
    return NULL;
  }
  return child;
}

static void text_plain(md *st, cmark_node *parent, const char *s, size_t len);

/* The character c as a character reference (an inline HTML node, which
   cmark writes as it is). */
static void char_ref(md *st, cmark_node *parent, char c) {
  char ref[8];
  snprintf(ref, sizeof ref, "&#%d;", (unsigned char)c);
  cmark_node *h = node(st, CMARK_NODE_HTML_INLINE);
  if (h && !cmark_node_set_literal(h, ref)) st->failed = 1;
  add(st, parent, h);
}

/* Text, the flavour's special characters as character references. */
static void text_n(md *st, cmark_node *parent, const char *s, size_t len) {
  size_t from = 0;
  for (size_t i = 0; i < len && !st->failed; i++) {
    if (!s[i] || !strchr(st->special, s[i])) continue;
    text_plain(st, parent, s + from, i - from);
    char_ref(st, parent, s[i]);
    from = i + 1;
  }
  text_plain(st, parent, s + from, len - from);
}

/* Code: a code span for each run without {, which comes between them as a
   character reference (a code span shows references as they are written,
   and Jekyll's Liquid reads {{ and {% in it). */
static void code_n(md *st, cmark_node *parent, const char *s) {
  while (*s && !st->failed) {
    size_t n = strcspn(s, "{");
    char *lit = n ? pr_strndup(s, n) : NULL;
    cmark_node *code = n ? node(st, CMARK_NODE_CODE) : NULL;
    if (n && (!lit || !code || !cmark_node_set_literal(code, lit))) st->failed = 1;
    free(lit);
    add(st, parent, code);
    if (s[n]) char_ref(st, parent, s[n++]);
    s += n;
  }
}

/* Point link at url, written as a destination every reader takes
   literally. */
static void set_dest(md *st, cmark_node *link, const char *url) {
  pr_buf d = {0};
  pr_md_dest(&d, url);
  char *s = pr_buf_take(&d);
  if (!s || !cmark_node_set_url(link, s)) st->failed = 1;
  free(s);
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
  while (s[n] && (unsigned char)s[n] > PR_MK_LAST) n++;
  return n;
}

/* Whether the flavour writes raw inline HTML (kramdown and GFM, known by
   the ~ they escape; CommonMark's output has none). */
static int allows_html(const md *st) { return strchr(st->special, '~') != NULL; }

/* Raw inline HTML of our own (a tag of the inline subset). */
static void html_inline(md *st, cmark_node *parent, const char *tag) {
  cmark_node *h = node(st, CMARK_NODE_HTML_INLINE);
  if (h && !cmark_node_set_literal(h, tag)) st->failed = 1;
  add(st, parent, h);
}

/* The HTML tag of a subset mark that Markdown has no syntax for, or NULL. */
static const char *html_only_tag(char c) {
  int markdown_has_it = c == PR_MK_EMPH_ON || c == PR_MK_EMPH_OFF || c == PR_MK_BOLD_ON ||
                        c == PR_MK_BOLD_OFF;
  return markdown_has_it ? NULL : pr_mark_tag(c);
}

/* Marked text to inline nodes under parent. Spans without a CommonMark
   equivalent (small caps, super/subscript, small, u, s) become their text,
   or in a flavour that allows raw HTML (kramdown, GFM) the HTML tags
   (not small caps); a line break is a space, or <br>. */
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
    if (html_only_tag(c)) {
      if (allows_html(st)) html_inline(st, cur, html_only_tag(c));
      else if (c == PR_MK_BR) text(st, cur, " ");
    } else if (c == PR_MK_EMPH_ON || c == PR_MK_BOLD_ON) {
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
        code_n(st, cur, plain);
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
        if (target) set_dest(st, target, url);
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
  md st = {0, special, NULL};
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
  pr_md_put_utf8(out, s, n);
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
  set_dest(st, link, href);
  text(st, link, label);
}

static void md_math(pr_buf *b, const char *tex, size_t len, const void *special) {
  pr_buf t = {0};
  pr_buf_puts(&t, "\\(");
  pr_buf_put(&t, tex, len);
  pr_buf_puts(&t, "\\)");
  char *s = pr_buf_take(&t);
  if (s) fragment(b, special, fill_text, s, NULL);
  else b->failed = 1;
  free(s);
}

/* Does the node need rewriting for the Markdown output? Raw HTML and line
   breaks go; text with a special character, code with { and code blocks
   are written again by fix(). */
static int needs_fix(md *st, cmark_node *n) {
  const char *lit = cmark_node_get_literal(n);
  switch (cmark_node_get_type(n)) {
  case CMARK_NODE_HTML_BLOCK: case CMARK_NODE_HTML_INLINE: case CMARK_NODE_LINEBREAK:
  case CMARK_NODE_CODE_BLOCK: return 1;
  case CMARK_NODE_CUSTOM_INLINE: return !allows_html(st); /* an inline HTML subset tag */
  case CMARK_NODE_TEXT: return lit && lit[strcspn(lit, st->special)];
  case CMARK_NODE_CODE: return lit && strchr(lit, '{');
  default: return 0;
  }
}

/* Replace n (needs_fix) by what the Markdown output writes for it; a code
   block becomes code in a paragraph (the field is written on one line). */
static void fix(md *st, cmark_node *n) {
  cmark_node_type t = cmark_node_get_type(n);
  cmark_node *parent = cmark_node_parent(n);
  char *lit = cmark_node_get_literal(n) ? pr_strdup(cmark_node_get_literal(n)) : NULL;
  st->before = n;
  if (t == CMARK_NODE_CUSTOM_INLINE) { /* its children stay, the tags go */
    for (cmark_node *c; (c = cmark_node_first_child(n));)
      if (!cmark_node_insert_before(n, c)) {
        st->failed = 1;
        break;
      }
  } else if (t == CMARK_NODE_LINEBREAK) {
    text_plain(st, parent, " ", 1);
  } else if (t == CMARK_NODE_TEXT && lit) {
    text_n(st, parent, lit, strlen(lit));
  } else if (t == CMARK_NODE_CODE && lit) {
    code_n(st, parent, lit);
  } else if (t == CMARK_NODE_CODE_BLOCK && lit) {
    cmark_node *para = add(st, parent, node(st, CMARK_NODE_PARAGRAPH));
    for (char *p = lit; *p; p++)
      if (*p == '\n') *p = ' ';
    st->before = NULL;
    if (para) code_n(st, para, lit);
  }
  st->before = NULL;
  free(lit);
  cmark_node_free(n); /* unlinks it */
}

/* Markdown fields in Markdown output: parsed by cmark (pr_md_parse: links
   with a target that is not safe and all images become their text), raw
   HTML removed, links written as literal destinations without a title,
   text and code escaped for the flavour as any other piece, hard breaks
   made spaces, and written back on one line (the field sits inside a list
   item). */
static void markdown_field(pr_buf *b, const char *latex, int annotation, const char *special) {
  pr_md_src *src = malloc(sizeof *src);
  if (!src || pr_md_source(latex, annotation, src)) {
    if (src) pr_md_source_free(src);
    free(src);
    b->failed = 1;
    return;
  }
  cmark_node *doc = pr_md_parse(src, NULL, NULL);
  md st = {!doc, special, NULL};
  cmark_node **pending = NULL;
  size_t npending = 0, cap = 0;
  cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
  if (doc && !it) st.failed = 1;
  for (cmark_event_type ev; it && !st.failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    if (cmark_node_get_type(n) == CMARK_NODE_LINK) {
      set_dest(&st, n, cmark_node_get_url(n) ? cmark_node_get_url(n) : "");
      if (!cmark_node_set_title(n, "")) st.failed = 1;
    } else if (needs_fix(&st, n)) {
      if (npending == cap) {
        cap = cap ? 2 * cap : 16;
        cmark_node **v = realloc(pending, cap * sizeof *v);
        if (!v) {
          st.failed = 1;
          break;
        }
        pending = v;
      }
      pending[npending++] = n;
    }
  }
  cmark_iter_free(it);
  for (size_t i = 0; i < npending && !st.failed; i++) fix(&st, pending[i]);
  free(pending);
  char *out_md = st.failed ? NULL : cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
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
    pr_md_put_back(b, out_md, o, src, md_math, special);
  }
  free(out_md);
  pr_md_source_free(src);
  free(src);
}

void pr_md_dest(pr_buf *b, const char *url) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *u = (const unsigned char *)url;
  for (size_t i = 0; u[i]; i++) {
    /* readers decode character references in a destination (kramdown
       passes them to the href, where the browser does) */
    if (u[i] == '&') {
      pr_buf_puts(b, "&amp;");
    } else if (u[i] <= ' ' || u[i] >= 0x7f || strchr("\"'()<>[\\]^`{|}", u[i])) {
      /* ends a destination or escapes in one reader or another
         (kramdown ends it at "\)"); non-ASCII: spaces in some readers */
      char e[3] = {'%', hex[u[i] >> 4], hex[u[i] & 15]};
      pr_buf_put(b, e, 3);
    } else {
      pr_buf_putc(b, (char)u[i]);
    }
  }
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
    markdown_field(b, latex, 0, special);                                               \
  }                                                                                     \
  static void md_annotation##suffix(pr_buf *b, const char *latex) {                     \
    markdown_field(b, latex, 1, special);                                               \
  }
PR_MD_FLAVOUR(, "{")
PR_MD_FLAVOUR(_kramdown, "$|{~")
PR_MD_FLAVOUR(_gfm, "~{")

const pr_format_ops pr_format_markdown = {"markdown", md_marked,   md_text, md_link,
                                          md_markdown, md_annotation, NULL, pr_md_dest};
const pr_format_ops pr_format_markdown_kramdown = {
    "markdown-kramdown", md_marked_kramdown,   md_text_kramdown, md_link_kramdown,
    md_markdown_kramdown, md_annotation_kramdown, NULL, pr_md_dest};
const pr_format_ops pr_format_markdown_gfm = {
    "markdown-gfm",  md_marked_gfm, md_text_gfm, md_link_gfm, md_markdown_gfm,
    md_annotation_gfm, NULL, pr_md_dest};
