/* generator.c - a page generator on top of libpubrender, in one screen:
   parse a .bib held in memory, walk the display model (the list as a page
   shows it) to find the featured entry (selected = {true}), write that one
   with our own markup and the rest, in display order, with pubrender's HTML.

     cc generator.c $(pkg-config --cflags --libs pubrender) -o generator
     # or CMake: find_package(pubrender) and link pubrender::pubrender */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>

static const char bib_text[] =
    "@string{atc = {USENIX Annual Technical Conference}}\n"
    "@inproceedings{um2024metis,\n"
    "  title = {Metis: Fast Automatic Distributed Training on Heterogeneous {GPUs}},\n"
    "  author = {Um*, Taegeon and Oh*, Byungsoo and Jeon, Myeongjae},\n"
    "  booktitle = atc, year = 2024, month = jul, selected = {true}}\n"
    "@article{oh2021,\n"
    "  title = {Caf{\\'e} Scheduling for {Spark} \\& Friends},\n"
    "  author = {Oh, Byungsoo and Lee, Woo-Yeon}, journal = {PVLDB}, year = 2021}\n";

/* Our own markup must escape what comes from the .bib, as pubrender does. */
static void put_html(const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '<': fputs("&lt;", stdout); break;
    case '>': fputs("&gt;", stdout); break;
    case '&': fputs("&amp;", stdout); break;
    case '"': fputs("&quot;", stdout); break;
    default: putchar(*s);
    }
  }
}

static int to_stdout(const char *data, size_t len, void *ctx) {
  return fwrite(data, 1, len, ctx) == len ? 0 : 1;
}

int main(void) {
  pr_error err;
  pr_bib *bib = pr_bib_new();
  if (pr_bib_add_buffer(bib, bib_text, sizeof bib_text - 1, "pubs.bib", &err) != PR_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {   /* problems in the .bib */
    char line[600];
    fprintf(stderr, "%s\n", pr_diag_format(pr_bib_diag(bib, i), line, sizeof line));
  }

  pr_options *opts = pr_options_new();
  pr_options_add_highlight(opts, "Byungsoo Oh");
  pr_list *list = NULL;                                  /* the list as a page shows it */
  pr_status st = pr_list_build(bib, opts, &list, NULL, &err);
  const pr_item *featured = NULL;
  for (size_t i = 0; i < pr_list_item_count(list) && !featured; i++)
    if (pr_item_selected(pr_list_item(list, i))) featured = pr_list_item(list, i);
  if (featured) {                                        /* our own markup */
    fputs("<section class=\"featured\">\n  <h2>", stdout);
    put_html(pr_item_text(featured, PR_ITEM_TITLE));     /* LaTeX -> UTF-8 */
    fputs("</h2>\n  <p>", stdout);
    for (size_t i = 0; i < pr_item_author_count(featured); i++) {
      fputs(i ? ", " : "", stdout);
      put_html(pr_item_author_text(featured, i));
      put_html(pr_item_author_marks(featured, i));
    }
    printf(" (%s)</p>\n</section>\n", pr_item_year_label(featured));
  }

  size_t n = 0, count = pr_list_item_count(list);      /* the rest: pubrender's HTML */
  const pr_entry **rest = malloc((count ? count : 1) * sizeof *rest);
  if (!rest && st == PR_OK) {
    st = PR_ERR_NOMEM;
    snprintf(err.message, sizeof err.message, "out of memory");
  }
  for (size_t i = 0; rest && i < count; i++)
    if (pr_list_item(list, i) != featured) rest[n++] = pr_item_entry(pr_list_item(list, i));
  if (st == PR_OK) st = pr_render_entries(bib, opts, rest, n, to_stdout, stdout, NULL, &err);
  free(rest);
  if (st != PR_OK) fprintf(stderr, "pubrender: %s\n", err.message);
  pr_list_free(list);
  pr_options_free(opts);
  pr_bib_free(bib);
  return st == PR_OK ? 0 : 1;
}
