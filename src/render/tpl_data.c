/* tpl_data.c - the data a template sees for one entry: every piece already
   written in the output format (HTML or CommonMark), so templates only
   arrange them. The names are documented in the README ("Templates").

   The data is a pr_val tree in the context's arena, rebuilt for each entry
   over the memory the previous one used. Only the keys that the entry
   template (or a partial it reaches) names are built: a key no tag names
   cannot change the output, and some cost a Markdown or cmark rendering
   (abstract_html in HTML output, abstract in Markdown output). */
#include <stdlib.h>
#include <string.h>
#include "render/render.h"

/* Every key of the entry's data and of its authors and links. */
enum {
  K_KEY, K_TYPE, K_NUMBER, K_YEAR, K_MARKER, K_ABBR, K_TITLE, K_VENUE, K_LEGEND, K_AUTHORS,
  K_MORE_AUTHORS, K_MORE_COUNT, K_MORE_LABEL, K_MORE, K_HAS_AUTHORS, K_ROLE, K_SELECTED,
  K_ABBR_URL, K_ABBR_COLOR, K_ABBR_TEXT_COLOR, K_PREVIEW, K_BIBTEX, K_ABSTRACT, K_AWARD,
  K_AWARD_NAME, K_ADDITIONAL_INFO, K_NOTE, K_VENUE_LINE, K_ABSTRACT_HTML, K_BIBTEX_HTML,
  K_LINKS, K_HAS_LINKS, K_ID, K_ID_PREFIX, K_INDENT,
  /* authors */
  K_NAME, K_ME, K_MARKS, K_SEP, K_URL, K_CUT, K_CUT_AUTHORS, K_CUT_COUNT, K_CUT_LABEL, K_CUT_SEP,
  /* links (and K_SEP) */
  K_LABEL, K_HREF, K_LINK,
  K_COUNT
};

#define KEY(s) {s, sizeof s - 1}
static const struct { const char *name; size_t len; } keys[K_COUNT] = {
    KEY("key"), KEY("type"), KEY("number"), KEY("year"), KEY("marker"), KEY("abbr"),
    KEY("title"), KEY("venue"), KEY("legend"), KEY("authors"), KEY("more_authors"),
    KEY("more_count"), KEY("more_label"), KEY("more"), KEY("has_authors"), KEY("role"),
    KEY("selected"), KEY("abbr_url"), KEY("abbr_color"), KEY("abbr_text_color"),
    KEY("preview"), KEY("bibtex"), KEY("abstract"), KEY("award"), KEY("award_name"),
    KEY("additional_info"), KEY("note"), KEY("venue_line"), KEY("abstract_html"),
    KEY("bibtex_html"), KEY("links"), KEY("has_links"), KEY("id"), KEY("id_prefix"),
    KEY("indent"), KEY("name"), KEY("me"), KEY("marks"), KEY("sep"), KEY("url"), KEY("cut"),
    KEY("cut_authors"), KEY("cut_count"), KEY("cut_label"), KEY("cut_sep"), KEY("label"),
    KEY("href"), KEY("link")};
#undef KEY

#define BIT(k) (1ULL << (k))
_Static_assert(K_COUNT <= 64, "pr_view_ctx's keys has a bit per key");

/* The keys that need the authors' layout. */
#define AUTHOR_KEYS                                                                            \
  (BIT(K_AUTHORS) | BIT(K_MORE_AUTHORS) | BIT(K_MORE_COUNT) | BIT(K_MORE_LABEL) | BIT(K_MORE) | \
   BIT(K_HAS_AUTHORS))

/* Does the template read key k? */
static int wants(const pr_view_ctx *c, int k) { return (c->keys & BIT(k)) != 0; }

void pr_view_ctx_init(pr_view_ctx *c, pr_diags *diags, const pr_options *o,
                      const pr_format_ops *f, const pr_tpl *entry) {
  unsigned long long want = 0;
  for (int k = 0; k < K_COUNT; k++)
    if (pr_tpl_mentions(entry, keys[k].name, keys[k].len)) want |= BIT(k);
  static const struct { unsigned long long keys; unsigned need; } needs[] = {
      {BIT(K_ABBR), PR_VIEW_ABBR},
      {BIT(K_TITLE), PR_VIEW_TITLE},
      {BIT(K_VENUE) | BIT(K_VENUE_LINE), PR_VIEW_VENUE},
      {BIT(K_LEGEND), PR_VIEW_LEGEND},
      {BIT(K_ABBR_URL) | BIT(K_ABBR_COLOR) | BIT(K_ABBR_TEXT_COLOR), PR_VIEW_STYLE},
      {BIT(K_PREVIEW), PR_VIEW_PREVIEW},
      {BIT(K_BIBTEX) | BIT(K_BIBTEX_HTML), PR_VIEW_BIBTEX},
      {AUTHOR_KEYS, PR_VIEW_AUTHORS},
      {BIT(K_MARKS), PR_VIEW_MARKS},
      {BIT(K_URL), PR_VIEW_URLS},
      {BIT(K_MORE_LABEL) | BIT(K_CUT_LABEL), PR_VIEW_LABELS},
      {BIT(K_MARKER) | BIT(K_INDENT), PR_VIEW_MARKER},
      {BIT(K_YEAR), PR_VIEW_YEAR}};
  unsigned need = 0;
  for (size_t i = 0; i < sizeof needs / sizeof *needs; i++)
    if (want & needs[i].keys) need |= needs[i].need;
  pr_view_ctx_setup(c, diags, o, need, (want & BIT(K_ABBR_URL)) != 0, (want & BIT(K_URL)) != 0);
  c->f = f;
  c->keys = want;
  /* award_name without the field, the same in every entry (in Markdown a
     cmark rendering each time) */
  if (wants(c, K_AWARD_NAME)) f->text(&c->awarded, "Awarded");
}

void pr_view_ctx_clear(pr_view_ctx *c) {
  pr_view_ctx_release(c);
  pr_buf_free(&c->awarded);
}

/* obj[k] = val (when the template reads k). */
static void add(pr_view_ctx *c, pr_val *obj, int k, pr_val val) {
  if (wants(c, k)) pr_val_add(&c->arena, obj, keys[k].name, keys[k].len, val);
}

/* obj[k] = the string s (borrowed: it outlives the entry's data); nothing
   when s is NULL. */
static void add_str(pr_view_ctx *c, pr_val *obj, int k, const char *s) {
  if (s) add(c, obj, k, pr_val_str(s));
}

/* obj[k] = what c->scratch holds (copied), which is then emptied. */
static void add_scratch(pr_view_ctx *c, pr_val *obj, int k) {
  pr_buf *s = &c->scratch;
  if (s->failed) c->arena.failed = 1;
  else add(c, obj, k, s->len ? pr_val_copy(&c->arena, s->data, s->len) : pr_val_strn("", 0));
  s->len = 0;
  s->failed = 0;
}

/* obj[k] = the checked URL s as the format writes it in a template
   (Markdown: a literal link destination); nothing when s is NULL. */
static void add_url(pr_view_ctx *c, pr_val *obj, int k, const char *s) {
  if (!s || !c->f->url) {
    add_str(c, obj, k, s);
  } else if (wants(c, k)) {
    c->f->url(&c->scratch, s);
    add_scratch(c, obj, k);
  }
}

typedef void (*piece_fn)(pr_buf *out, const char *s);

/* obj[k] = s written by fn; nothing when s is NULL. */
static void add_piece(pr_view_ctx *c, pr_val *obj, int k, piece_fn fn, const char *s) {
  if (!s || !wants(c, k)) return;
  fn(&c->scratch, s);
  add_scratch(c, obj, k);
}

/* obj[k] = the LaTeX text s converted (pr_latex_to_marked) and written in
   the format; nothing when s is NULL. */
static void add_latex(pr_view_ctx *c, pr_val *obj, int k, const char *s) {
  if (!s || !wants(c, k)) return;
  char *m = pr_latex_to_marked(s, strlen(s), NULL, NULL);
  if (!m) c->arena.failed = 1;
  else add_piece(c, obj, k, c->f->marked, m);
  free(m);
}

/* n in decimal, appended to b. */
static void put_size(pr_buf *b, size_t n) {
  char d[24];
  size_t k = sizeof d;
  do d[--k] = (char)('0' + n % 10); while ((n /= 10) > 0);
  pr_buf_put(b, d + k, sizeof d - k);
}

static pr_val author_val(pr_view_ctx *c, const pr_view_author *va) {
  const pr_format_ops *f = c->f;
  pr_val a = pr_val_object();
  pr_val_reserve(&c->arena, &a, 10);
  add_piece(c, &a, K_NAME, f->text, va->name->display);
  add(c, &a, K_ME, pr_val_bool(va->me));
  if (wants(c, K_MARKS)) {
    f->text(&c->scratch, va->marks ? va->marks : "");
    add_scratch(c, &a, K_MARKS);
  }
  add(c, &a, K_SEP, pr_val_str(va->sep));
  if (wants(c, K_URL)) {
    if (va->url) add_url(c, &a, K_URL, va->url);
    else add(c, &a, K_URL, pr_val_bool(0));
  }
  return a;
}

static pr_val links_val(pr_view_ctx *c, const pr_view *v) {
  pr_val arr = pr_val_array();
  pr_val_reserve(&c->arena, &arr, v->nlinks);
  for (size_t i = 0; i < v->nlinks; i++) {
    pr_val l = pr_val_object();
    pr_val_reserve(&c->arena, &l, 4);
    add_str(c, &l, K_LABEL, v->links[i].label);
    add_url(c, &l, K_HREF, v->links[i].href);
    if (wants(c, K_LINK)) {
      c->f->link(&c->scratch, v->links[i].label, v->links[i].href);
      add_scratch(c, &l, K_LINK);
    }
    add_str(c, &l, K_SEP, i + 1 < v->nlinks ? " " : "");
    pr_val_push(&c->arena, &arr, l);
  }
  return arr;
}

/* The names of the view: those shown (each with the cut left out just
   before it), and those left out at the end ("more"), as the view laid
   them out (view.c). */
static void authors_val(pr_view_ctx *c, pr_val *j, const pr_view *v) {
  if (!(c->keys & AUTHOR_KEYS)) return;
  size_t n = v->nnames, nh = v->nmore;
  const pr_view_author *va = v->authors;
  if (wants(c, K_AUTHORS)) {
    pr_val list = pr_val_array();
    pr_val_reserve(&c->arena, &list, v->nshown);
    for (size_t i = 0; i < n; i++) {
      if (va[i].hidden) continue;
      size_t cut = va[i].cut;
      pr_val a = author_val(c, &va[i]);
      add(c, &a, K_CUT, pr_val_bool(cut > 0));
      if (cut) {
        if (wants(c, K_CUT_AUTHORS)) {
          pr_val hidden = pr_val_array();
          pr_val_reserve(&c->arena, &hidden, cut);
          for (size_t h = i - cut; h < i; h++) pr_val_push(&c->arena, &hidden, author_val(c, &va[h]));
          add(c, &a, K_CUT_AUTHORS, hidden);
        }
        add(c, &a, K_CUT_COUNT, pr_val_int((long long)cut));
        add_str(c, &a, K_CUT_LABEL, va[i].cut_label);
        add(c, &a, K_CUT_SEP, pr_val_str(va[i].cut_sep));
      }
      pr_val_push(&c->arena, &list, a);
    }
    add(c, j, K_AUTHORS, list);
  }
  if (wants(c, K_MORE_AUTHORS)) {
    pr_val hidden = pr_val_array();
    pr_val_reserve(&c->arena, &hidden, nh);
    for (size_t i = n - nh; i < n; i++) pr_val_push(&c->arena, &hidden, author_val(c, &va[i]));
    add(c, j, K_MORE_AUTHORS, hidden);
  }
  add(c, j, K_MORE_COUNT, pr_val_int((long long)nh));
  add_str(c, j, K_MORE_LABEL, v->more_label);
  add(c, j, K_MORE, pr_val_bool(nh > 0));
  add(c, j, K_HAS_AUTHORS, pr_val_bool(n > 0));
}

/* obj[k] = the HTML in c->scratch (which is then emptied) made a piece for
   a raw HTML block of Markdown (the kramdown and GFM templates): on one
   line, so that no blank line ends the block and no line needs the list
   item's indentation; a newline becomes a space, or &#10; with keep_lines
   (inside <pre>, where it is kept); { becomes &#123;, so that Jekyll's
   Liquid never sees {{ or {% in it (BibTeX is full of them). Outside
   <pre> (without keep_lines) the ASCII punctuation that Markdown reads as
   syntax is a character reference too: pandoc's markdown reader reads
   Markdown inside an HTML block, where a text abstract's "[a](b)" would
   become a link. */
static void html_line(pr_view_ctx *c, pr_val *obj, int k, int keep_lines) {
  pr_buf *s = &c->scratch, *b = &c->tmp;
  b->len = 0;
  const char *html = s->data ? s->data : "";
  for (size_t i = 0; i < s->len && !s->failed; i++) {
    char ch = html[i];
    if (ch == '{' || (!keep_lines && ch && strchr("\\`*_[]!$^~|", ch))) {
      pr_buf_puts(b, "&#");
      put_size(b, (unsigned char)ch);
      pr_buf_putc(b, ';');
    } else if (ch != '\n') {
      pr_buf_putc(b, ch);
    } else if (keep_lines) {
      pr_buf_puts(b, "&#10;");
    } else if (i + 1 < s->len && html[i + 1] != '\n' && b->len && b->data[b->len - 1] != ' ') {
      pr_buf_putc(b, ' ');
    }
  }
  if (s->failed || b->failed) c->arena.failed = 1;
  else add(c, obj, k, b->len ? pr_val_copy(&c->arena, b->data, b->len) : pr_val_strn("", 0));
  s->len = 0;
  s->failed = 0;
}

/* The abstract as HTML (text, as al-folio prints it: LaTeX converted, not
   Markdown) and the BibTeX HTML-escaped, each on one line. */
static void html_pieces(pr_view_ctx *c, pr_val *j, const pr_view *v) {
  if (v->abstract && wants(c, K_ABSTRACT_HTML)) {
    char *m = pr_latex_to_marked(v->abstract, strlen(v->abstract), NULL, NULL);
    if (!m) c->arena.failed = 1;
    else pr_format_html.marked(&c->scratch, m);
    free(m);
    html_line(c, j, K_ABSTRACT_HTML, 0);
  }
  if (v->bibtex && wants(c, K_BIBTEX_HTML)) {
    pr_tpl_escape_html(&c->scratch, v->bibtex, strlen(v->bibtex));
    html_line(c, j, K_BIBTEX_HTML, 1);
  }
}

const pr_val *pr_view_data(pr_view_ctx *c, const pr_entry *e, size_t number) {
  const pr_format_ops *f = c->f;
  pr_val_arena_reset(&c->arena);
  if (c->failed) return NULL;
  pr_view v;
  if (pr_view_build(&v, c, e, number)) return NULL;
  pr_val *j = pr_val_arena_alloc(&c->arena, sizeof *j);
  if (!j) return NULL;
  *j = pr_val_object();
  pr_val_reserve(&c->arena, j, K_NAME); /* the entry's own keys come before K_NAME */
  add_str(c, j, K_KEY, e->key);
  add_str(c, j, K_ID, v.id);
  add_str(c, j, K_ID_PREFIX, v.id_prefix);
  add_str(c, j, K_TYPE, e->type);
  add(c, j, K_NUMBER, pr_val_int((long long)number));
  if (e->year || !e->year_word) add(c, j, K_YEAR, e->year ? pr_val_int(e->year) : pr_val_null());
  else add_piece(c, j, K_YEAR, f->marked, v.year_label); /* a word: "Preprint" */
  if (v.marker) {
    add_str(c, j, K_MARKER, v.marker);
    /* the marker's width in spaces: a list item's continuation lines */
    for (size_t i = 0; v.marker[i]; i++) pr_buf_putc(&c->scratch, ' ');
    add_scratch(c, j, K_INDENT);
  }
  add_piece(c, j, K_ABBR, f->marked, v.abbr);
  add_piece(c, j, K_TITLE, f->marked, v.title);
  add_piece(c, j, K_VENUE, f->marked, v.venue);
  /* an entry's annotation (Markdown allowed) replaces the default legend */
  if (v.annotation) add_piece(c, j, K_LEGEND, f->annotation, v.annotation);
  else add_piece(c, j, K_LEGEND, f->text, v.legend);
  authors_val(c, j, &v);
  add_str(c, j, K_ROLE, v.role);
  add(c, j, K_SELECTED, pr_val_bool(v.selected));
  add_url(c, j, K_ABBR_URL, v.abbr_url);
  add_str(c, j, K_ABBR_COLOR, v.abbr_color);
  add_str(c, j, K_ABBR_TEXT_COLOR, v.abbr_text_color);
  add_url(c, j, K_PREVIEW, v.preview);
  add_str(c, j, K_BIBTEX, v.bibtex);
  add_latex(c, j, K_ABSTRACT, v.abstract); /* text, not Markdown (al-folio prints it so) */
  add_piece(c, j, K_AWARD, f->markdown, v.award);
  if (v.award_name) add_latex(c, j, K_AWARD_NAME, v.award_name);
  else if (c->awarded.failed) c->arena.failed = 1;
  else add(c, j, K_AWARD_NAME, pr_val_strn(c->awarded.data ? c->awarded.data : "", c->awarded.len));
  add_piece(c, j, K_ADDITIONAL_INFO, f->markdown, v.additional_info);
  add_latex(c, j, K_NOTE, v.note);
  add(c, j, K_VENUE_LINE, pr_val_bool(v.venue || v.additional_info));
  html_pieces(c, j, &v);
  if (wants(c, K_LINKS)) add(c, j, K_LINKS, links_val(c, &v));
  add(c, j, K_HAS_LINKS, pr_val_bool(v.nlinks > 0));
  return c->arena.failed ? NULL : j;
}
