/* render_md.c - CommonMark output: a cmark node tree rendered by cmark, so
   any text from the .bib is escaped by cmark itself. */
#include <stdlib.h>
#include <string.h>
#include <cmark.h>
#include "render.h"
#include "text.h"

typedef struct md {
  int failed;
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

static void text_n(md *st, cmark_node *parent, const char *s, size_t len) {
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

static void line_break(md *st, cmark_node *para) { add(st, para, node(st, CMARK_NODE_LINEBREAK)); }

static void entry_md(md *st, cmark_node *list, const pr_options *o, const pr_view *v) {
  cmark_node *item = add(st, list, node(st, CMARK_NODE_ITEM));
  cmark_node *para = item ? add(st, item, node(st, CMARK_NODE_PARAGRAPH)) : NULL;
  if (!para) return;
  if (v->abbr) {
    text(st, para, "[");
    marked_md(st, para, v->abbr);
    text(st, para, "] ");
  }
  if (v->title) {
    cmark_node *title = add(st, para, node(st, CMARK_NODE_STRONG));
    if (title) marked_md(st, title, v->title);
  }
  if (v->nauthors) {
    line_break(st, para);
    for (size_t i = 0; i < v->nauthors; i++) {
      const pr_name *n = pr_entry_name(v->entry, "author", i);
      if (pr_name_is_highlighted(o, n)) {
        cmark_node *strong = add(st, para, node(st, CMARK_NODE_STRONG));
        if (strong) text(st, strong, n->display);
      } else {
        text(st, para, n->display);
      }
      text(st, para, n->marks);
      text(st, para, pr_author_sep(i, v->nauthors));
    }
    if (v->legend) {
      text(st, para, " ");
      text(st, para, v->legend);
    }
  }
  if (v->venue) {
    line_break(st, para);
    marked_md(st, para, v->venue);
  }
  if (v->nlinks) {
    line_break(st, para);
    for (size_t i = 0; i < v->nlinks; i++) {
      if (i) text(st, para, " ");
      cmark_node *link = add(st, para, node(st, CMARK_NODE_LINK));
      if (!link) break;
      cmark_node_set_url(link, v->links[i].href);
      text(st, link, v->links[i].label);
    }
  }
}

pr_status pr_render_markdown(pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *out) {
  md st = {0};
  if (plan->nall == 0) return PR_OK;
  cmark_node *doc = node(&st, CMARK_NODE_DOCUMENT);
  for (size_t g = 0; doc && g < plan->ngroups && !st.failed; g++) {
    const pr_group *grp = &plan->groups[g];
    if (grp->heading) {
      cmark_node *h = add(&st, doc, node(&st, CMARK_NODE_HEADING));
      int level = o->heading_level + grp->level;
      if (h) cmark_node_set_heading_level(h, level > 6 ? 6 : level);
      if (h) text(&st, h, grp->heading);
    }
    if (!grp->n) continue;
    cmark_node *list = add(&st, doc, node(&st, CMARK_NODE_LIST));
    if (!list) break;
    cmark_node_set_list_type(list, CMARK_ORDERED_LIST);
    cmark_node_set_list_delim(list, CMARK_PERIOD_DELIM);
    cmark_node_set_list_start(list, (int)grp->start);
    cmark_node_set_list_tight(list, 1);
    for (size_t i = 0; i < grp->n && !st.failed; i++) {
      pr_view view;
      if (pr_view_build(&view, bib, o, grp->v[i])) st.failed = 1;
      else entry_md(&st, list, o, &view);
      pr_view_clear(&view);
    }
  }
  char *md_text = st.failed || !doc ? NULL : cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
  cmark_node_free(doc);
  if (!md_text) return PR_ERR_NOMEM;
  pr_buf_puts(out, md_text);
  free(md_text);
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}
