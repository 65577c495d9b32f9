#include <stdio.h>
#include <pubrender.h>

static int to_stdout(const char *data, size_t len, void *ctx) {
  return fwrite(data, 1, len, ctx) == len ? 0 : 1;
}

int main(int argc, char **argv) {
  pr_bib *bib = pr_bib_new();
  pr_options *opts = pr_options_new();
  pr_error err;
  if (argc < 2 || pr_bib_add_file(bib, argv[1], &err) != PR_OK) {
    fprintf(stderr, "%s\n", argc < 2 ? "usage: hello FILE.bib" : err.message);
    return 2;
  }
  for (size_t i = 0; i < pr_bib_count(bib); i++) {        /* the records */
    const pr_entry *e = pr_bib_entry(bib, i);
    const pr_name *first = pr_entry_name(e, "author", 0);
    fprintf(stderr, "%s (%d): %s\n", pr_entry_key(e), pr_entry_year(e),
            first ? pr_name_last(first) : "-");
  }
  pr_options_add_highlight(opts, "Byungsoo Oh");
  pr_status st = pr_render(bib, opts, to_stdout, stdout, NULL, &err);  /* HTML */
  pr_options_free(opts);
  pr_bib_free(bib);
  return st == PR_OK ? 0 : 1;
}
