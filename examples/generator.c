/* generator.c - a page generator on top of libpubrender, in one screen:
   parse a .bib held in memory, walk the records to find the featured entry
   (selected = {true}), write that one with our own markup and the rest with
   pubrender's HTML.

     cc generator.c $(pkg-config --cflags --libs pubrender) -o generator
     # or CMake: find_package(pubrender) and link pubrender::pubrender */
#include <stdio.h>
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

  const pr_entry *featured = NULL;                       /* walk the records */
  for (size_t i = 0; i < pr_bib_count(bib) && !featured; i++) {
    const char *selected = pr_entry_field(pr_bib_entry(bib, i), "selected");
    if (selected && strcmp(selected, "true") == 0) featured = pr_bib_entry(bib, i);
  }
  if (featured) {                                        /* our own markup */
    char *title = pr_entry_field_text(featured, "title");  /* LaTeX -> UTF-8, ours */
    fputs("<section class=\"featured\">\n  <h2>", stdout);
    put_html(title ? title : "");
    fputs("</h2>\n  <p>", stdout);
    pr_free(title);
    for (size_t i = 0; i < pr_entry_name_count(featured, "author"); i++) {
      const pr_name *n = pr_entry_name(featured, "author", i);
      fputs(i ? ", " : "", stdout);
      put_html(pr_name_display(n));
      put_html(pr_name_marks(n));
    }
    printf(" (%d)</p>\n</section>\n", pr_entry_year(featured));
  }

  pr_options *opts = pr_options_new();                   /* the rest: pubrender's HTML */
  pr_options_add_highlight(opts, "Byungsoo Oh");
  char query[300];
  snprintf(query, sizeof query, "@*[key!=\"%s\"]", featured ? pr_entry_key(featured) : "");
  pr_status st = pr_options_set_query(opts, query, &err);
  if (st == PR_OK) st = pr_render(bib, opts, to_stdout, stdout, NULL, &err);
  if (st != PR_OK) fprintf(stderr, "pubrender: %s\n", err.message);
  pr_options_free(opts);
  pr_bib_free(bib);
  return st == PR_OK ? 0 : 1;
}
