/* cli_run.c - one run of the pubrender command: read the inputs, render,
   write the outputs. Uses only the public API. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <pubrender.h>
#include "cli.h"

/* The settings files a run depends on: configuration, venues, co-authors
   (the templates and partials a render read are known after it). */
void note_settings(run_ctx *c) {
  for (size_t i = 0; i < pr_options_file_count(c->opts); i++)
    note_input(&c->read, pr_options_file(c->opts, i));
}

static int write_stdout(const char *data, size_t len, void *ctx) {
  (void)ctx;
  return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* The template files the render read (also when it failed). */
static void note_templates(run_ctx *c, const pr_report *report) {
  for (size_t i = 0; i < pr_report_file_count(report); i++)
    note_input(&c->read, pr_report_file(report, i));
}

/* 1 when path's name says BibTeX (.bib, .bibtex): pubrender never writes
   one, and such an input may hold no entries yet without a warning. */
int bibtex_name(const char *path) {
  size_t n = strlen(path);
  return (n >= 4 && strcasecmp(path + n - 4, ".bib") == 0) ||
         (n >= 7 && strcasecmp(path + n - 7, ".bibtex") == 0);
}

/* Before anything is written: no output is an input or another output, and
   the depfile can name every file read. 0 and the depfile's text in *dep
   (NULL without --depfile), or EXIT_USAGE (reported). */
static int prepare_outputs(run_ctx *c, char **dep, size_t *deplen) {
  named_path out[] = {{"-o", c->output}, {"--depfile", c->depfile}};
  size_t nout = c->depfile ? 2 : c->output ? 1 : 0;
  *dep = NULL;
  if (check_outputs(out, nout, &c->read) != 0) return EXIT_USAGE;
  if (!c->depfile) return EXIT_CLEAN;
  const char *bad;
  char *why;
  if (depfile_text(c->output, &c->read, dep, deplen, &bad, &why) == 0) return EXIT_CLEAN;
  if (!bad) {
    fprintf(stderr, "pubrender: out of memory\n");
  } else {
    char *d = shown_name(c->depfile), *b = shown_name(bad);
    fprintf(stderr, "pubrender: --depfile %s cannot name '%s': %s; rename it (nothing "
            "written)\n", d, b, why ? why : "it cannot be written there");
    free(d);
    free(b);
  }
  free(why);
  return EXIT_USAGE;
}

int render_once(run_ctx *c) {
  pathlist_clear(&c->read);
  c->own_warnings = 0;
  for (size_t i = 0; i < pr_site_diag_count(c->site); i++) {
    const pr_diag *d = pr_site_diag(c->site, i);
    if (pr_diag_severity(d) == PR_WARNING)
      cli_warning(c, pr_diag_file(d), pr_diag_line(d), pr_diag_message(d));
  }
  pr_bib *bib = pr_bib_new();
  pr_report *report = bib ? pr_report_new() : NULL;
  if (!report) {
    fprintf(stderr, "pubrender: out of memory\n");
    pr_bib_free(bib);
    return EXIT_USAGE;
  }
  if (c->encoding >= 0) pr_bib_set_encoding(bib, (pr_encoding)c->encoding);
  pr_bib_set_threads(bib, pr_options_get_threads(c->opts));
  if (c->string_scope >= 0) pr_bib_set_string_scope(bib, (pr_string_scope)c->string_scope);
  int rc = EXIT_CLEAN, prepared = 0;
  char *out = NULL, *dep = NULL;
  size_t len = 0, deplen = 0;
  for (int i = 0; i < c->ninputs; i++) {
    pr_error err;
    note_input(&c->read, c->inputs[i]);
    if (i == 0) note_settings(c);
    size_t before = pr_bib_count(bib);
    if (pr_bib_add_file(bib, c->inputs[i], &err) != PR_OK) {
      char msg[700];
      fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
      rc = err.code == PR_ERR_IO ? EXIT_USAGE : EXIT_INPUT;
      goto finish;
    }
    /* An HTML page given where the .bib goes (-o and the input swapped)
       parses as an empty bibliography: say so. */
    if (pr_bib_count(bib) == before && strcmp(c->inputs[i], "-") != 0 &&
        !bibtex_name(c->inputs[i]))
      cli_warning(c, c->inputs[i], 1, "no entries found \xe2\x80\x94 is this a .bib file?");
  }
  pr_error err;
  /* Standard output is written as the list is rendered, not held whole:
     a 50 MB bibliography's page need not be in memory at once. -o and
     --check compare the whole text with the file's. */
  int to_stdout = !c->output && !c->check;
  pr_status st = to_stdout ? pr_render(bib, c->opts, write_stdout, NULL, report, &err)
                           : pr_render_string(bib, c->opts, &out, &len, report, &err);
  if (to_stdout && st == PR_OK && fflush(stdout) != 0) st = PR_ERR_IO;
  size_t warnings, errors;
  print_diags(c, bib, report, &warnings, &errors);
  if (to_stdout && st == PR_ERR_IO) {
    fprintf(stderr, "pubrender: cannot write to standard output: %s\n", strerror(errno));
    rc = EXIT_USAGE;
    goto finish;
  }
  if (st != PR_OK) { /* a template error names its file, line and column */
    char msg[700];
    fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
    rc = st == PR_ERR_INPUT ? EXIT_USAGE : EXIT_INPUT;
    goto finish;
  }
  /* Every file read is known now (templates and partials too): refuse to
     write over any of them, and a depfile that cannot name them. */
  note_templates(c, report);
  prepared = 1;
  if ((rc = prepare_outputs(c, &dep, &deplen)) != EXIT_CLEAN) goto finish;
  /* With --strict a warning fails the run as an error does. */
  size_t failing = errors + (c->strict ? warnings : 0);
  if (c->check) {
    size_t oldlen = 0;
    char *old = read_file(c->output, &oldlen);
    if (!old) {
      int saved = errno;
      struct stat fst;
      fprintf(stderr, "pubrender: %s is not up to date: %s\n", c->output,
              saved == ENOENT ? "it does not exist"
              : stat(c->output, &fst) == 0 && !S_ISREG(fst.st_mode) ? "it is not a regular file"
              : strerror(saved));
      rc = EXIT_INPUT;
    } else if (oldlen != len || memcmp(old, out, len) != 0) {
      diff_summary(c->output, old, oldlen, out, len);
      rc = EXIT_INPUT;
    }
    free(old);
  } else if (c->output && failing > 0 && !c->keep_going) {
    /* Keep the last good file: a build or CI step fails, and a later run
       does not take the file as up to date. */
    char n[32];
    if (errors)
      fprintf(stderr, "pubrender: %s not written: %s error%s in the input "
              "(--keep-going writes it anyway)\n", c->output, count_text(errors, n),
              errors == 1 ? "" : "s");
    else
      fprintf(stderr, "pubrender: %s not written: %s warning%s and --strict "
              "(--keep-going writes it anyway)\n", c->output, count_text(warnings, n),
              warnings == 1 ? "" : "s");
  } else if (c->output) {
    int written;
    if (write_if_changed(c->output, out, len, &written) != 0) {
      fprintf(stderr, "pubrender: cannot write %s: %s\n", c->output, strerror(errno));
      rc = EXIT_USAGE;
      goto finish;
    }
    report_output(c, pr_bib_count(bib), warnings, errors, written);
  }
  if (rc == EXIT_CLEAN && failing > 0) {
    rc = EXIT_INPUT;
    if (!errors && (!c->output || c->check || c->keep_going)) {
      char n[32];
      fprintf(stderr, "pubrender: %s warning%s and --strict: exit status 1\n",
              count_text(warnings, n), warnings == 1 ? "" : "s");
    }
  }
finish:
  /* The dependencies are known even when the run failed: the next build
     must rerun when any of these files changes. */
  note_templates(c, report);
  if (!prepared) {
    int prc = prepare_outputs(c, &dep, &deplen);
    if (prc != EXIT_CLEAN) rc = prc;
  }
  int written;
  if (dep && write_if_changed(c->depfile, dep, deplen, &written) != 0) {
    fprintf(stderr, "pubrender: cannot write %s: %s\n", c->depfile, strerror(errno));
    rc = EXIT_USAGE;
  }
  free(dep);
  pr_free(out);
  pr_report_free(report);
  pr_bib_free(bib);
  return rc;
}
