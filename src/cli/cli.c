/* cli.c - the pubrender command: main (arguments, then one run or the
   watch loop). Uses only the public API. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <pubrender.h>
#include "cli.h"

/* --css FILE: the stylesheet on its own (like -o: atomically, left
   untouched when unchanged; with --check only compared). */
static int write_css(const char *path, const pr_options *o, int check) {
  char *css = NULL;
  size_t len = 0;
  pr_error err;
  if (pr_stylesheet(o, &css, &len, &err) != PR_OK) {
    char msg[700];
    fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
    return EXIT_USAGE;
  }
  int rc = EXIT_CLEAN, written;
  if (strcmp(path, "-") == 0) {
    if (fwrite(css, 1, len, stdout) != len || fflush(stdout) != 0) {
      fprintf(stderr, "pubrender: cannot write to standard output: %s\n", strerror(errno));
      rc = EXIT_USAGE;
    }
  } else if (check) {
    if (!same_content(path, css, len)) {
      fprintf(stderr, "pubrender: %s is not up to date\n", path);
      rc = EXIT_INPUT;
    }
  } else if (write_if_changed(path, css, len, &written) != 0) {
    fprintf(stderr, "pubrender: cannot write %s: %s\n", path, strerror(errno));
    rc = EXIT_USAGE;
  }
  pr_free(css);
  return rc;
}

int main(int argc, char **argv) {
  run_ctx ctx = {.encoding = -1, .string_scope = -1};
  cli_run run = {0};
  if (!(ctx.opts = pr_options_new())) {
    fprintf(stderr, "pubrender: out of memory\n");
    return EXIT_USAGE;
  }
  /* the command uses every core unless told (--threads, threads:) */
  pr_options_set_threads(ctx.opts, 0);
  int rc = parse_args(argc, argv, &ctx, &run);
  /* --css: the stylesheet first; with no .bib that is all */
  if (rc == EXIT_CLEAN && !run.done && run.css) rc = write_css(run.css, ctx.opts, ctx.check);
  if (rc == EXIT_CLEAN && !run.done && ctx.ninputs > 0)
    rc = ctx.watch ? watch_loop(&ctx) : render_once(&ctx);
  pathlist_clear(&ctx.read);
  pr_site_free(ctx.site);
  free(ctx.site_inputs);
  pr_options_free(ctx.opts);
  return rc;
}
