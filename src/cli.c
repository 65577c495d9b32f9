/* cli.c - the pubrender command: argument parsing, files, exit codes.
   Uses only the public API. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pubrender.h>
#include "cli.h"


static const char usage_text[] =
    "Usage: pubrender [OPTIONS] FILE.bib...\n"
    "Render BibTeX files as a publication list (newest first).\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   html (default), markdown, json (pubrender's records) or\n"
    "                        csl-json (for pandoc --citeproc, Zotero, citation-js); also\n"
    "                        inferred from -o's extension (.md, .html, .json, .csl.json)\n"
    "  -o, --output FILE     write to FILE (atomically: never left half-written; a link's\n"
    "                        target; a FIFO or device directly); FILE is left untouched\n"
    "                        (content and mtime) when the result is the same, and kept\n"
    "                        as it is when an entry has an error; never an input\n"
    "      --keep-going      with -o: write FILE even when an entry has an error\n"
    "      --check           with -o: write nothing; exit 0 if FILE is up to date,\n"
    "                        1 (with a short summary of the difference) if not\n"
    "      --depfile DEP     with -o: write DEP, a Make rule listing every file read\n"
    "      --watch           with -o: render again whenever an input changes, until\n"
    "                        interrupted (Ctrl-C, SIGTERM)\n"
    "      --standalone      a complete HTML page with a stylesheet, not a fragment\n"
    "      --css FILE        also write the stylesheet (pubrender.css, or --template's) to\n"
    "                        FILE (- for standard output); with no .bib, only that\n"
    "      --markdown-flavor F  commonmark (default: pure, no HTML), kramdown (Jekyll)\n"
    "                        or gfm (GitHub): marks in <sup>, abstract and BibTeX in <details>\n"
    "      --encoding ENC    input encoding: utf-8 (default; a BOM is skipped) or latin1\n"
    "      --highlight NAME  highlight the page owner's name (repeatable; any spelling\n"
    "                        of the same person matches: \"Oh, B.\", \"B. Oh\", ...)\n"
    "      --legend MARK=TEXT  the legend of a mark (repeatable); defaults:\n"
    "                        \"*=Equal Contribution\", \"\xe2\x80\xa0=Corresponding Author\";\n"
    "                        MARK= with no text removes it\n"
    "\n"
    "Selecting, ordering, grouping:\n"
    "      --query Q         only entries matching Q, in jekyll-scholar's language:\n"
    "                        '@article[year>=2020]', '@*[selected=true]', '!@misc',\n"
    "                        operators = != ^= ~= !~ < <= > >=, && (or ,), ||\n"
    "      --sort KEYS       e.g. 'year:desc,month:desc' (the default), 'title', 'author';\n"
    "                        any field; stable: file order breaks ties\n"
    "      --group-by G      none (default), year, type or year,type: headings\n"
    "      --heading-level N the groups' heading level (default 2)\n"
    "      --numbering N     continuous (default) or per-group\n"
    "      --reverse-numbers count down (HTML)\n"
    "      --type-name T=NAME  the heading of entry type T (repeatable)\n"
    "      --type-order LIST the order of type groups, e.g. article,inproceedings,misc\n"
    "\n";
/* in two parts: C99 compilers need only support 4095-character strings */
static const char usage_text2[] =
    "Site settings (al-folio's files work as they are):\n"
    "      --config FILE     settings in YAML (keys: the long options above); by default\n"
    "                        pubrender.yml next to the first .bib; options override it\n"
    "      --venues FILE     al-folio's venues.yml: abbr badge colours and links\n"
    "      --coauthors FILE  al-folio's coauthors.yml: links for co-authors' names\n"
    "      --max-authors N   show N authors, the rest behind \"and K more authors\"\n"
    "      --link-prefix P   prefix for site-relative links (pdf = {paper.pdf}); or\n"
    "                        FIELD=P for one field (pdf=/assets/pdf/), repeatable\n"
    "      --template DIR    templates laid out like templates/ (html/entry.mustache, ...);\n"
    "                        any file missing there comes from the built-in set\n"
    "\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "FILE may be - for standard input. Diagnostics go to standard error as\n"
    "file:line: error: message.\n"
    "\n"
    "Exit status: 0 clean, 1 some entry had an error (the others are rendered;\n"
    "with --check: FILE is not up to date), 2 usage error or unreadable file.\n"
    "\n"
    "Examples:\n"
    "  pubrender pubs.bib > pubs.html\n"
    "  pubrender --highlight \"Byungsoo Oh\" -o pubs.html pubs.bib\n"
    "  pubrender --format markdown pubs.bib > pubs.md\n"
    "  pubrender --format csl-json -o pubs.csl.json pubs.bib\n"
    "  pubrender --standalone -o index.html pubs.bib\n"
    "  pubrender --css pubrender.css                # the stylesheet for an embedded fragment\n"
    "  pubrender -f markdown --markdown-flavor kramdown -o _includes/pubs.md pubs.bib\n"
    "  pubrender --legend '*=Joint first authors' pubs.bib > pubs.html\n"
    "  pubrender --check -o pubs.html pubs.bib     # in CI: fails if not regenerated\n"
    "  pubrender --watch -o pubs.html pubs.bib     # local preview while editing\n"
    "  cat pubs.bib | pubrender - > pubs.html\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "pubrender: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'pubrender --help'.\n");
  return EXIT_USAGE;
}

/* A malformed --query or --sort: the message, then the text with a caret
   under the offending character. */
static int option_error(const char *opt, const char *text, const pr_error *err) {
  fprintf(stderr, "pubrender: %s: %s\n", opt, err->message);
  if (err->column > 0) fprintf(stderr, "  %s\n  %*s^\n", text, (int)err->column - 1, "");
  fprintf(stderr, "Try 'pubrender --help'.\n");
  return EXIT_USAGE;
}

static int parse_format(const char *s, pr_format *f) {
  if (strcasecmp(s, "html") == 0) *f = PR_FORMAT_HTML;
  else if (strcasecmp(s, "markdown") == 0 || strcasecmp(s, "md") == 0) *f = PR_FORMAT_MARKDOWN;
  else if (strcasecmp(s, "json") == 0) *f = PR_FORMAT_JSON;
  else if (strcasecmp(s, "csl-json") == 0 || strcasecmp(s, "csljson") == 0) *f = PR_FORMAT_CSL_JSON;
  else return -1;
  return 0;
}

/* Format from an output file's extension; -1 when it says nothing. */
static int format_from_name(const char *path, pr_format *f) {
  const char *dot = strrchr(path, '.');
  if (!dot || strchr(dot, '/')) return -1;
  size_t n = strlen(path);
  if (n >= 9 && strcasecmp(path + n - 9, ".csl.json") == 0) *f = PR_FORMAT_CSL_JSON;
  else if (strcasecmp(dot, ".json") == 0) *f = PR_FORMAT_JSON;
  else if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0) *f = PR_FORMAT_MARKDOWN;
  else if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0) *f = PR_FORMAT_HTML;
  else return -1;
  return 0;
}

/* ---- one run: read the inputs, render, write ---- */


/* The settings files a run depends on: configuration, venues, co-authors
   (the templates and partials a render read are known after it). */
static void note_settings(run_ctx *c) {
  for (size_t i = 0; i < pr_options_file_count(c->opts); i++)
    note_input(&c->read, pr_options_file(c->opts, i));
}

static int write_stdout(const char *data, size_t len, void *ctx) {
  (void)ctx;
  return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* The template files the last render of bib read (also when it failed). */
static void note_templates(run_ctx *c, const pr_bib *bib) {
  for (size_t i = 0; i < pr_bib_template_file_count(bib); i++)
    note_input(&c->read, pr_bib_template_file(bib, i));
}

/* 1 when path's name says BibTeX (.bib, .bibtex): pubrender never writes
   one, and such an input may hold no entries yet without a warning. */
static int bibtex_name(const char *path) {
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

int render_once(run_ctx *c, int *what) {
  *what = OUT_NONE;
  pathlist_clear(&c->read);
  pr_bib *bib = pr_bib_new();
  if (!bib) {
    fprintf(stderr, "pubrender: out of memory\n");
    return EXIT_USAGE;
  }
  if (c->encoding >= 0) pr_bib_set_encoding(bib, (pr_encoding)c->encoding);
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
        !bibtex_name(c->inputs[i])) {
      char *name = shown_name(c->inputs[i]);
      fprintf(stderr, "%s:1: warning: no entries found \xe2\x80\x94 is this a .bib file?\n",
              name);
      free(name);
    }
  }
  pr_error err;
  /* Standard output is written as the list is rendered, not held whole:
     a 50 MB bibliography's page need not be in memory at once. -o and
     --check compare the whole text with the file's. */
  int to_stdout = !c->output && !c->check;
  pr_status st = to_stdout ? pr_render(bib, c->opts, write_stdout, NULL, &err)
                           : pr_render_string(bib, c->opts, &out, &len, &err);
  if (to_stdout && st == PR_OK && fflush(stdout) != 0) st = PR_ERR_IO;
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    char msg[1400];
    fprintf(stderr, "%s\n", pr_diag_format(pr_bib_diag(bib, i), msg, sizeof msg));
  }
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
  note_templates(c, bib);
  prepared = 1;
  if ((rc = prepare_outputs(c, &dep, &deplen)) != EXIT_CLEAN) goto finish;
  size_t errors = pr_bib_error_count(bib);
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
  } else if (c->output && errors > 0 && !c->keep_going) {
    /* Keep the last good file: a build or CI step fails, and a later run
       does not take the file as up to date. */
    fprintf(stderr, "pubrender: %s not written: %zu error%s in the input "
            "(--keep-going writes it anyway)\n", c->output, errors, errors == 1 ? "" : "s");
    *what = OUT_KEPT;
  } else if (c->output) {
    int written;
    if (write_if_changed(c->output, out, len, &written) != 0) {
      fprintf(stderr, "pubrender: cannot write %s: %s\n", c->output, strerror(errno));
      rc = EXIT_USAGE;
      goto finish;
    }
    *what = written ? OUT_WRITTEN : OUT_UNCHANGED;
  }
  if (rc == EXIT_CLEAN && errors > 0) rc = EXIT_INPUT;
finish:
  /* The dependencies are known even when the run failed: the next build
     must rerun when any of these files changes. */
  note_templates(c, bib);
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
  pr_bib_free(bib);
  return rc;
}

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

/* ---- --watch ---- */
void cli_report(const run_ctx *c, int what) {
  if (what == OUT_WRITTEN) fprintf(stderr, "pubrender: wrote %s\n", c->output);
  if (what == OUT_UNCHANGED) fprintf(stderr, "pubrender: %s unchanged\n", c->output);
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
      {"standalone", no_argument, NULL, 'S'},    {"highlight", required_argument, NULL, 'H'},
      {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
      {"legend", required_argument, NULL, 'L'},  {"encoding", required_argument, NULL, 'E'},
      {"check", no_argument, NULL, 'C'},         {"depfile", required_argument, NULL, 'D'},
      {"keep-going", no_argument, NULL, 'K'},    {"watch", no_argument, NULL, 'W'},
      {"query", required_argument, NULL, 'q'},   {"sort", required_argument, NULL, 's'},
      {"group-by", required_argument, NULL, 'g'}, {"heading-level", required_argument, NULL, 'l'},
      {"numbering", required_argument, NULL, 'n'}, {"reverse-numbers", no_argument, NULL, 'r'},
      {"type-name", required_argument, NULL, 't'}, {"type-order", required_argument, NULL, 'T'},
      {"config", required_argument, NULL, 'c'},  {"venues", required_argument, NULL, 'v'},
      {"coauthors", required_argument, NULL, 'a'}, {"max-authors", required_argument, NULL, 'm'},
      {"link-prefix", required_argument, NULL, 'p'}, {"template", required_argument, NULL, 'P'},
      {"css", required_argument, NULL, 'Y'},     {"markdown-flavor", required_argument, NULL, 'M'},
      {NULL, 0, NULL, 0}};
  run_ctx ctx = {.encoding = -1};
  pr_options *opts = ctx.opts = pr_options_new();
  if (!opts) {
    fprintf(stderr, "pubrender: out of memory\n");
    return EXIT_USAGE;
  }
  int format_given = 0, rc = EXIT_CLEAN, c, numbering_per_group = 0, reverse_numbers = 0;
  pr_format format = PR_FORMAT_HTML;
  /* First pass: the configuration file (--config, or pubrender.yml next to
     the first .bib), so that every command-line option overrides it. */
  const char *config = NULL, *css = NULL, *template_dir = NULL;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1)
    if (c == 'c') config = optarg;
  char *found = !config && optind < argc ? pr_options_find_config(argv[optind]) : NULL;
  if (config || found) {
    pr_error err;
    if (pr_options_load_config(opts, config ? config : found, &err) != PR_OK) {
      char msg[700];
      fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
      pr_free(found);
      rc = EXIT_USAGE;
      goto done;
    }
  }
  pr_free(found);
  opterr = 1;
  optind = 0; /* GNU getopt: start again from the beginning */
  while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': break; /* read above */
    case 'v':
    case 'a': {
      pr_error err;
      pr_status st = c == 'v' ? pr_options_load_venues(opts, optarg, &err)
                              : pr_options_load_coauthors(opts, optarg, &err);
      if (st != PR_OK) {
        char msg[700];
        fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
        rc = EXIT_USAGE;
        goto done;
      }
      break;
    }
    case 'm': {
      char *end;
      long n = strtol(optarg, &end, 10);
      if (*end || n < 0 || n > 100000 || pr_options_set_max_authors(opts, (int)n) != PR_OK) {
        rc = usage_error("--max-authors needs a number (0: all), got '%s'", optarg);
        goto done;
      }
      break;
    }
    case 'p': {
      /* PREFIX for every field, or FIELD=PREFIX for one */
      char *eq = strchr(optarg, '='), *slash = strchr(optarg, '/');
      if (eq && eq > optarg && (!slash || eq < slash)) {
        *eq = '\0';
        pr_options_set_field_link_prefix(opts, optarg, eq + 1);
      } else {
        pr_options_set_link_prefix(opts, optarg);
      }
      break;
    }
    case 'P': {
      struct stat st;
      if (stat(optarg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = usage_error("--template needs a directory, got '%s'", optarg);
        goto done;
      }
      pr_options_set_template_dir(opts, optarg);
      template_dir = optarg;
      break;
    }
    case 'f':
      if (parse_format(optarg, &format)) {
        rc = usage_error("unknown format '%s' (use html, markdown, json or csl-json)", optarg);
        goto done;
      }
      format_given = 1;
      break;
    case 'o': ctx.output = optarg; break;
    case 'S': pr_options_set_standalone(opts, 1); break;
    case 'H': {
      pr_status st = pr_options_add_highlight(opts, optarg);
      if (st != PR_OK) {
        rc = usage_error("--highlight needs one person's name, got '%s'", optarg);
        goto done;
      }
      break;
    }
    case 'L': {
      char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg) {
        rc = usage_error("--legend needs MARK=TEXT, got '%s'", optarg);
        goto done;
      }
      *eq = '\0';
      pr_options_set_legend(opts, optarg, eq[1] ? eq + 1 : NULL);
      break;
    }
    case 'E':
      if (strcasecmp(optarg, "utf-8") == 0 || strcasecmp(optarg, "utf8") == 0) {
        ctx.encoding = PR_ENCODING_UTF8;
      } else if (strcasecmp(optarg, "latin1") == 0 || strcasecmp(optarg, "latin-1") == 0 ||
                 strcasecmp(optarg, "iso-8859-1") == 0) {
        ctx.encoding = PR_ENCODING_LATIN1;
      } else {
        rc = usage_error("unknown encoding '%s' (use utf-8 or latin1)", optarg);
        goto done;
      }
      break;
    case 'q':
    case 's': {
      pr_error err;
      pr_status st = c == 'q' ? pr_options_set_query(opts, optarg, &err)
                              : pr_options_set_sort(opts, optarg, &err);
      if (st != PR_OK) {
        rc = option_error(c == 'q' ? "--query" : "--sort", optarg, &err);
        goto done;
      }
      break;
    }
    case 'g': {
      pr_error err;
      if (pr_options_set_group_by(opts, optarg, &err) != PR_OK) {
        rc = usage_error("%s", err.message);
        goto done;
      }
      break;
    }
    case 'l':
      if (pr_options_set_heading_level(opts, atoi(optarg)) != PR_OK) {
        rc = usage_error("--heading-level needs 1 to 6, got '%s'", optarg);
        goto done;
      }
      break;
    case 'n':
      if (strcmp(optarg, "continuous") != 0 && strcmp(optarg, "per-group") != 0) {
        rc = usage_error("--numbering is continuous or per-group, got '%s'", optarg);
        goto done;
      }
      numbering_per_group = strcmp(optarg, "per-group") == 0;
      pr_options_set_numbering(opts, numbering_per_group, reverse_numbers);
      break;
    case 'r':
      reverse_numbers = 1;
      pr_options_set_numbering(opts, numbering_per_group, reverse_numbers);
      break;
    case 't': {
      char *eq = strchr(optarg, '=');
      if (!eq || eq == optarg || !eq[1]) {
        rc = usage_error("--type-name needs TYPE=NAME, got '%s'", optarg);
        goto done;
      }
      *eq = '\0';
      pr_options_set_type_name(opts, optarg, eq + 1);
      break;
    }
    case 'T': pr_options_set_type_order(opts, optarg); break;
    case 'Y': css = optarg; break;
    case 'M': {
      pr_md_flavor fl = PR_MD_COMMONMARK;
      if (strcasecmp(optarg, "kramdown") == 0) fl = PR_MD_KRAMDOWN;
      else if (strcasecmp(optarg, "gfm") == 0) fl = PR_MD_GFM;
      else if (strcasecmp(optarg, "commonmark") != 0) {
        rc = usage_error("unknown Markdown flavour '%s' (use commonmark, kramdown or gfm)", optarg);
        goto done;
      }
      pr_options_set_markdown_flavor(opts, fl);
      break;
    }
    case 'C': ctx.check = 1; break;
    case 'D': ctx.depfile = optarg; break;
    case 'K': ctx.keep_going = 1; break;
    case 'W': ctx.watch = 1; break;
    case 'h':
      fputs(usage_text, stdout);
      fputs(usage_text2, stdout);
      goto done;
    case 'V': printf("pubrender %s\n", pr_version_string()); goto done;
    default: rc = EXIT_USAGE; fprintf(stderr, "Try 'pubrender --help'.\n"); goto done;
    }
  }
  /* No output may be a .bib, an input or another output: checked before
     anything is written (again after the render, with every template
     and partial read). */
  {
    named_path outs[3];
    size_t nout = 0;
    if (ctx.output) outs[nout++] = (named_path){"-o", ctx.output};
    if (ctx.depfile) outs[nout++] = (named_path){"--depfile", ctx.depfile};
    if (css && strcmp(css, "-") != 0) outs[nout++] = (named_path){"--css", css};
    for (size_t i = 0; i < nout; i++)
      if (bibtex_name(outs[i].path)) {
        char *name = shown_name(outs[i].path);
        fprintf(stderr, "pubrender: %s %s: pubrender writes no BibTeX; refusing to "
                "overwrite a .bib file (are the output and the input swapped?)\n",
                outs[i].opt, name);
        free(name);
        rc = EXIT_USAGE;
        goto done;
      }
    for (int i = optind; i < argc; i++) note_input(&ctx.read, argv[i]);
    note_settings(&ctx);
    if (template_dir) note_template_dir(&ctx.read, template_dir);
    if (check_outputs(outs, nout, &ctx.read) != 0) {
      rc = EXIT_USAGE;
      goto done;
    }
  }
  /* --css: the stylesheet first; with no .bib that is all */
  if (css && (rc = write_css(css, opts, ctx.check)) != EXIT_CLEAN) goto done;
  if (css && optind >= argc) goto done;
  if (optind >= argc) {
    rc = usage_error("%s", "no input file (use - for standard input)");
    goto done;
  }
  const char *needs_o = ctx.check ? "--check" : ctx.watch ? "--watch"
                      : ctx.depfile ? "--depfile" : NULL;
  if (needs_o && !ctx.output) {
    rc = usage_error("%s needs -o FILE", needs_o);
    goto done;
  }
  if (ctx.check && ctx.watch) {
    rc = usage_error("%s", "--check and --watch do not go together");
    goto done;
  }
  ctx.inputs = argv + optind;
  ctx.ninputs = argc - optind;
  for (int i = 0; ctx.watch && i < ctx.ninputs; i++)
    if (strcmp(ctx.inputs[i], "-") == 0) {
      rc = usage_error("%s", "--watch cannot watch standard input (-)");
      goto done;
    }
  if (!format_given && ctx.output && format_from_name(ctx.output, &format) == 0)
    format_given = 1;
  if (format_given) pr_options_set_format(opts, format); /* else the config's, or HTML */
  pr_encoding enc;
  if (ctx.encoding < 0 && pr_options_get_encoding(opts, &enc)) ctx.encoding = (int)enc;
  if (ctx.watch) {
    rc = watch_loop(&ctx);
  } else {
    int what;
    rc = render_once(&ctx, &what);
  }
done:
  pathlist_clear(&ctx.read);
  pr_options_free(opts);
  return rc;
}
