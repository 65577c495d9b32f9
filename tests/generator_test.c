/* generator_test.c - a generator author's program: the display model read
   through include/pubrender.h only (no src/ header, linked to the shared
   library) and written as an HTML page of its own design, not through
   JSON nor the built-in templates: <section> per group, <article> per
   entry, the owner in <b>, marks in <sup>, co-authors and links as <a>,
   the badge as a coloured <span>, hidden authors in <details>.

   Every text value comes from pr_item_text (plain UTF-8) and is escaped
   here, except the three whose plain value is Markdown as written
   (additional_info, award, a legend from an annotation): those are written
   as pr_item_html renders them, as a Liquid template writes
   {{ x | markdownify }}. The URLs come from the model's checked ones. The toggles' own
   labels ("Abstract", "BibTeX") are this program's words, marked
   class="chrome"; tests/generator_test.py compares the rest, entry by
   entry, with the visible text of the built-in HTML fragment.

   usage: generator_test [--encoding latin1] [--highlight NAME]...
            [--max-authors N] [--group-by G] [--venues FILE]
            [--coauthors FILE] [--no-config] FILE.bib...
   Exit 0, or 2 with a message on standard error when a call fails. */
#include <pubrender.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *what, const pr_error *err) {
  char buf[600];
  fprintf(stderr, "generator_test: %s: %s\n", what, pr_error_format(err, buf, sizeof buf));
  exit(2);
}

/* s HTML-escaped: text and attribute values alike. */
static void put(const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", stdout); break;
    case '<': fputs("&lt;", stdout); break;
    case '>': fputs("&gt;", stdout); break;
    case '"': fputs("&quot;", stdout); break;
    case '\'': fputs("&#39;", stdout); break;
    default: putchar(*s);
    }
  }
}

/* How many names of the item are written: each must be, once. */
static size_t written;

/* HTML the model wrote, as it is: the fields where the plain value is
   Markdown as written (PR_ITEM_ADDITIONAL_INFO, PR_ITEM_AWARD, a legend
   from an annotation) are shown rendered, from pr_item_html. */
static void raw(const char *html) {
  if (html) fputs(html, stdout);
}

/* One name: the owner in <b>, a co-author's link, then the marks and what
   follows the name. */
static void name(const pr_item *it, size_t a) {
  written++;
  const char *url = pr_item_author_url(it, a);
  int owner = pr_item_author_is_owner(it, a);
  if (owner) fputs("<b>", stdout);
  if (url) fputs("<a href=\"", stdout), put(url), fputs("\">", stdout);
  put(pr_item_author_text(it, a));
  if (url) fputs("</a>", stdout);
  if (owner) fputs("</b>", stdout);
  const char *marks = pr_item_author_marks(it, a);
  if (marks && *marks) fputs("<sup>", stdout), put(marks), fputs("</sup>", stdout);
  put(pr_item_author_sep(it, a));
}

/* Names [from, to) behind a toggle labelled label. */
static void hidden_run(const pr_item *it, size_t from, size_t to, const char *label) {
  fputs("<details><summary>", stdout);
  put(label);
  fputs("</summary>", stdout);
  for (size_t a = from; a < to; a++) {
    if (!pr_item_author_hidden(it, a)) {
      fprintf(stderr, "generator_test: %s: name %zu is in a hidden run but not hidden\n",
              pr_item_id(it), a);
      exit(2);
    }
    name(it, a);
  }
  fputs("</details>", stdout);
}

static void authors(const pr_item *it) {
  size_t n = pr_item_author_count(it);
  if (n == 0) return;
  size_t more = pr_item_more_count(it);
  if (more > n) {
    fprintf(stderr, "generator_test: %s: more_count %zu of %zu names\n", pr_item_id(it), more, n);
    exit(2);
  }
  fputs("<p class=\"names\">", stdout);
  written = 0;
  for (size_t a = 0; a < n - more; a++) {
    if (pr_item_author_hidden(it, a)) continue;   /* written in the run before a shown name */
    size_t cut = pr_item_author_cut(it, a);
    if (cut) {
      if (cut > a) {
        fprintf(stderr, "generator_test: %s: cut %zu before name %zu\n", pr_item_id(it), cut, a);
        exit(2);
      }
      hidden_run(it, a - cut, a, pr_item_author_cut_label(it, a));
      put(pr_item_author_cut_sep(it, a));
    }
    name(it, a);
  }
  if (more) hidden_run(it, n - more, n, pr_item_text(it, PR_ITEM_MORE_LABEL));
  if (written != n) {
    fprintf(stderr, "generator_test: %s: %zu of its %zu names are shown, cut or more\n",
            pr_item_id(it), written, n);
    exit(2);
  }
  put(pr_item_text(it, PR_ITEM_ROLE));
  const char *legend = pr_item_html(it, PR_ITEM_LEGEND);
  if (legend) fputs(" <small>", stdout), raw(legend), fputs("</small>", stdout);
  fputs("</p>\n", stdout);
}

static void badge(const pr_item *it) {
  const char *text = pr_item_text(it, PR_ITEM_ABBR);
  if (!text) return;
  const char *url = pr_item_badge_url(it), *bg = pr_item_badge_color(it),
             *fg = pr_item_badge_text_color(it);
  fputs("<span class=\"badge\"", stdout);
  if (bg) {
    fputs(" style=\"background:", stdout), put(bg);
    if (fg) fputs(";color:", stdout), put(fg);
    fputs("\"", stdout);
  }
  fputs(">", stdout);
  if (url) fputs("<a href=\"", stdout), put(url), fputs("\">", stdout);
  put(text);
  if (url) fputs("</a>", stdout);
  fputs("</span>\n", stdout);
}

/* A paragraph of the text value f (nothing when the item has none). */
static void para(const pr_item *it, pr_item_field f, const char *cls) {
  const char *t = pr_item_text(it, f);
  if (!t) return;
  printf("<p class=\"%s\">", cls);
  put(t);
  fputs("</p>\n", stdout);
}

static void item(const pr_item *it) {
  printf("<article id=\"");
  put(pr_item_id(it));
  printf("\" data-number=\"%zu\"%s", pr_item_number(it), pr_item_selected(it) ? " data-selected" : "");
  const char *year = pr_item_year_label(it);
  if (year) fputs(" data-year=\"", stdout), put(year), fputs("\"", stdout);
  fputs(">\n", stdout);
  const char *preview = pr_item_preview(it);
  if (preview) fputs("<img src=\"", stdout), put(preview), fputs("\" alt=\"\">\n", stdout);
  badge(it);
  const char *title = pr_item_text(it, PR_ITEM_TITLE);
  if (title) fputs("<h3>", stdout), put(title), fputs("</h3>\n", stdout);
  authors(it);
  /* the venue line: the venue, then additional_info, as one run of text */
  const char *venue = pr_item_text(it, PR_ITEM_VENUE),
             *info = pr_item_html(it, PR_ITEM_ADDITIONAL_INFO);
  if (venue || info) fputs("<p class=\"venue\">", stdout), put(venue), raw(info), fputs("</p>\n", stdout);
  para(it, PR_ITEM_NOTE, "note");
  size_t nl = pr_item_link_count(it);
  if (nl) {
    fputs("<ul class=\"links\">\n", stdout);
    for (size_t k = 0; k < nl; k++) {
      fputs("<li><a href=\"", stdout);
      put(pr_item_link_url(it, k));
      fputs("\">", stdout);
      put(pr_item_link_label(it, k));
      fputs("</a></li>\n", stdout);
    }
    fputs("</ul>\n", stdout);
  }
  const char *award = pr_item_html(it, PR_ITEM_AWARD);
  if (award) {
    fputs("<details><summary>", stdout), put(pr_item_text(it, PR_ITEM_AWARD_NAME));
    fputs("</summary><div>", stdout), raw(award), fputs("</div></details>\n", stdout);
  }
  const char *abstract = pr_item_text(it, PR_ITEM_ABSTRACT);
  if (abstract) {
    fputs("<details><summary class=\"chrome\">Summary</summary><p>", stdout);
    put(abstract);
    fputs("</p></details>\n", stdout);
  }
  const char *bibtex = pr_item_text(it, PR_ITEM_BIBTEX);
  if (bibtex) {
    fputs("<details><summary class=\"chrome\">Cite</summary><pre>", stdout);
    put(bibtex);
    fputs("</pre></details>\n", stdout);
  }
  fputs("</article>\n", stdout);
}

int main(int argc, char **argv) {
  pr_error err;
  memset(&err, 0, sizeof err);
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  if (!bib || !o) die("out of memory", NULL);
  int nbib = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    pr_status st = PR_OK;
    if (!strcmp(a, "--no-config")) continue;
    if (a[0] == '-' && a[1] == '-' && !v) {
      fprintf(stderr, "generator_test: %s needs a value\n", a);
      return 2;
    }
    if (!strcmp(a, "--encoding")) st = pr_bib_set_encoding(bib, strcmp(v, "latin1") ? PR_ENCODING_UTF8
                                                                               : PR_ENCODING_LATIN1);
    else if (!strcmp(a, "--highlight")) st = pr_options_add_highlight(o, v);
    else if (!strcmp(a, "--max-authors")) st = pr_options_set_max_authors(o, atoi(v));
    else if (!strcmp(a, "--group-by")) st = pr_options_set_group_by(o, v, &err);
    else if (!strcmp(a, "--venues")) st = pr_options_load_venues(o, v, &err);
    else if (!strcmp(a, "--coauthors")) st = pr_options_load_coauthors(o, v, &err);
    else if (a[0] == '-' && a[1] == '-') {
      fprintf(stderr, "generator_test: unknown option %s\n", a);
      return 2;
    } else {
      if (pr_bib_add_file(bib, a, &err) != PR_OK) die(a, &err);
      nbib++;
      continue;
    }
    if (st != PR_OK) die(a, &err);
    i++;
  }
  if (!nbib) {
    fprintf(stderr, "usage: generator_test [OPTIONS] FILE.bib...\n");
    return 2;
  }
  pr_list *l = NULL;
  if (pr_list_build(bib, o, &l, NULL, &err) != PR_OK) die("pr_list_build", &err);
  size_t total = 0;
  fputs("<!DOCTYPE html>\n<main>\n", stdout);
  for (size_t g = 0; g < pr_list_group_count(l); g++) {
    int level = pr_list_group_level(l, g);
    printf("<section data-level=\"%d\" data-start=\"%zu\">\n", level, pr_list_group_start(l, g));
    const char *h = pr_list_group_heading(l, g);
    if (h) printf("<h%d class=\"group\">", 2 + level), put(h), printf("</h%d>\n", 2 + level);
    for (size_t i = 0; i < pr_list_group_item_count(l, g); i++) {
      const pr_item *it = pr_list_group_item(l, g, i);
      /* the groups' items are the list's items, one after the other */
      if (it != pr_list_item(l, total)) {
        fprintf(stderr, "generator_test: group %zu item %zu is not item %zu of the list\n", g, i,
                total);
        return 2;
      }
      total++;
      item(it);
    }
    fputs("</section>\n", stdout);
  }
  fputs("</main>\n", stdout);
  if (total != pr_list_item_count(l)) {
    fprintf(stderr, "generator_test: the groups hold %zu items, the list %zu\n", total,
            pr_list_item_count(l));
    return 2;
  }
  pr_list_free(l);
  pr_options_free(o);
  pr_bib_free(bib);
  return fflush(stdout) ? 2 : 0;
}
