/* render_html.c - the HTML fragment and the standalone page. Every piece of
   text from the .bib goes through esc(); markup comes only from here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "render.h"
#include "text.h"

#define P "pubrender"   /* the one class prefix */

static void esc_n(pr_buf *b, const char *s, size_t n) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep;
    switch (s[i]) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = "&quot;"; break;
    case '\'': rep = "&#39;"; break;
    default: continue;
    }
    pr_buf_put(b, s + start, i - start);
    pr_buf_puts(b, rep);
    start = i + 1;
  }
  pr_buf_put(b, s + start, n - start);
}

static void esc(pr_buf *b, const char *s) { esc_n(b, s, strlen(s)); }

/* Length of the text up to the next marker byte. */
static size_t run(const char *s) {
  size_t n = 0;
  while (s[n] && ((unsigned char)s[n] > PR_MK_LINK_OFF || s[n] == '\t' || s[n] == '\n')) n++;
  return n;
}

/* Marked text to HTML. Links in the text become <a> only when safe. */
static void marked_html(pr_buf *b, const char *m) {
  while (*m) {
    size_t n = run(m);
    if (n) {
      esc_n(b, m, n);
      m += n;
      continue;
    }
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
      esc_n(b, m, len);
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
        esc(b, url);
        pr_buf_puts(b, "\">");
      }
      free(url);
      m = mid + 1;
      const char *end = strchr(m, PR_MK_LINK_OFF);
      size_t len = end ? (size_t)(end - m) : strlen(m);
      char *text = pr_strndup(m, len);
      if (text) marked_html(b, text);
      free(text);
      if (safe) pr_buf_puts(b, "</a>");
      m += len + (end ? 1 : 0);
      break;
    }
    default: break; /* stray marker */
    }
  }
}

static void authors_html(pr_buf *b, const pr_options *o, const pr_view *v) {
  const pr_entry *e = v->entry;
  pr_buf_puts(b, "<div class=\"" P "-authors\">");
  for (size_t i = 0; i < v->nauthors; i++) {
    const pr_name *n = pr_entry_name(e, "author", i);
    int hl = pr_name_is_highlighted(o, n);
    pr_buf_puts(b, hl ? "<strong class=\"" P "-me\">" : "<span class=\"" P "-author\">");
    esc(b, n->display);
    pr_buf_puts(b, hl ? "</strong>" : "</span>");
    if (*n->marks) {
      pr_buf_puts(b, "<sup class=\"" P "-mark\">");
      esc(b, n->marks);
      pr_buf_puts(b, "</sup>");
    }
    pr_buf_puts(b, pr_author_sep(i, v->nauthors));
  }
  if (v->legend) {
    pr_buf_puts(b, " <span class=\"" P "-legend\">");
    esc(b, v->legend);
    pr_buf_puts(b, "</span>");
  }
  pr_buf_puts(b, "</div>\n");
}

static void entry_html(pr_buf *b, const pr_options *o, const pr_view *v) {
  const pr_entry *e = v->entry;
  pr_buf_puts(b, "<li class=\"" P "-entry " P "-type-");
  esc(b, e->type);
  pr_buf_puts(b, "\" id=\"" P "-");
  esc(b, e->key);
  pr_buf_puts(b, "\">\n");
  if (v->abbr) {
    pr_buf_puts(b, "<span class=\"" P "-abbr\">");
    marked_html(b, v->abbr);
    pr_buf_puts(b, "</span>\n");
  }
  if (v->title) {
    pr_buf_puts(b, "<div class=\"" P "-title\">");
    marked_html(b, v->title);
    pr_buf_puts(b, "</div>\n");
  }
  if (v->nauthors) authors_html(b, o, v);
  if (v->venue) {
    pr_buf_puts(b, "<div class=\"" P "-venue\">");
    marked_html(b, v->venue);
    pr_buf_puts(b, "</div>\n");
  }
  if (v->nlinks) {
    pr_buf_puts(b, "<div class=\"" P "-links\">");
    for (size_t i = 0; i < v->nlinks; i++) {
      pr_buf_puts(b, i ? " <a class=\"" P "-link\" href=\"" : "<a class=\"" P "-link\" href=\"");
      esc(b, v->links[i].href);
      pr_buf_puts(b, "\">");
      pr_buf_puts(b, v->links[i].label);
      pr_buf_puts(b, "</a>");
    }
    pr_buf_puts(b, "</div>\n");
  }
  pr_buf_puts(b, "</li>\n");
}

/* templates/pubrender.css, compiled in (see CMakeLists.txt). */
extern const char pr_default_css[];

static const char page_head[] =
    "<!DOCTYPE html>\n"
    "<html lang=\"en\">\n"
    "<head>\n"
    "<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Publications</title>\n"
    "<style>\n";
static const char page_body[] = "</style>\n</head>\n<body>\n<main>\n<h1>Publications</h1>\n";
static const char page_tail[] = "</main>\n</body>\n</html>\n";

pr_status pr_render_html(pr_bib *bib, const pr_options *o, const pr_plan *plan, pr_buf *out) {
  if (o->standalone) {
    pr_buf_puts(out, page_head);
    pr_buf_puts(out, pr_default_css);
    pr_buf_puts(out, page_body);
  }
  pr_buf_puts(out, "<div class=\"" P "\">\n");
  for (size_t g = 0; g < plan->ngroups; g++) {
    const pr_group *grp = &plan->groups[g];
    if (grp->heading) {
      char tag[16];
      int level = o->heading_level + grp->level;
      snprintf(tag, sizeof tag, "h%d", level > 6 ? 6 : level);
      pr_buf_printf(out, "<%s class=\"" P "-group " P "-group-%d\">", tag, grp->level + 1);
      esc(out, grp->heading);
      pr_buf_printf(out, "</%s>\n", tag);
    }
    if (!grp->n && grp->heading) continue;
    pr_buf_puts(out, "<ol class=\"" P "-list\"");
    if (grp->start != 1 || o->reverse_numbers) pr_buf_printf(out, " start=\"%zu\"", grp->start);
    pr_buf_puts(out, o->reverse_numbers ? " reversed>\n" : ">\n");
    for (size_t i = 0; i < grp->n; i++) {
      pr_view view;
      if (pr_view_build(&view, bib, o, grp->v[i])) {
        pr_view_clear(&view);
        return PR_ERR_NOMEM;
      }
      entry_html(out, o, &view);
      pr_view_clear(&view);
    }
    pr_buf_puts(out, "</ol>\n");
  }
  pr_buf_puts(out, "</div>\n");
  if (o->standalone) pr_buf_puts(out, page_tail);
  return out->failed ? PR_ERR_NOMEM : PR_OK;
}
