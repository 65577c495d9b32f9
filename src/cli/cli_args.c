/* cli_args.c - the command line into a run: the options of cli_options.def
   (getopt_long's table, one handler each, --help), the configuration file,
   and the checks of what goes together. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <pubrender.h>
#include "cli.h"

typedef struct {
  run_ctx *c;
  pr_options *o;
  const char *config, *template_dir, *site;
  int no_config, format_given, per_group, reversed;
  pr_format format;
  cli_run *run;
} args;

/* A handler: 0, or the exit status when the option ends the command
   (reported; -1: --help or --version, exit 0). */
typedef int (*opt_fn)(args *a, char *arg);

#define SECTION(TITLE)
#define OPT(ID, LONG, SHORT, ARG, HELP, DOC) static int opt_##ID(args *a, char *arg);
#include "cli_options.def"
#undef OPT
#undef SECTION

typedef struct {
  const char *name;   /* NULL: a section, title in help */
  int short_name;
  const char *arg, *help;
  opt_fn fn;
} cli_option;

static const cli_option options[] = {
#define SECTION(TITLE) {NULL, 0, NULL, TITLE, NULL},
#define OPT(ID, LONG, SHORT, ARG, HELP, DOC) {LONG, SHORT, ARG, HELP, opt_##ID},
#include "cli_options.def"
#undef OPT
#undef SECTION
};
enum { NOPTIONS = sizeof options / sizeof *options, LONG_ONLY = 256 };

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "pubrender: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'pubrender --help'.\n");
  return EXIT_USAGE;
}

static int library_error(const pr_error *err) {
  char msg[700];
  fprintf(stderr, "%s\n", pr_error_format(err, msg, sizeof msg));
  return EXIT_USAGE;
}

/* ---- --help ---- */

/* text from column `col`, wrapped before column 80, continuing at column 24 */
static void put_wrapped(const char *text, int col) {
  enum { INDENT = 24, WIDTH = 79 };
  int fresh = col <= INDENT; /* nothing on this line after the indent yet */
  for (const char *p = text; *p;) {
    size_t word = strcspn(p, " ");
    int cols = 0; /* the word's width on a terminal: UTF-8 continuation bytes take none */
    for (size_t i = 0; i < word; i++) cols += ((unsigned char)p[i] & 0xc0) != 0x80;
    if (!fresh && col + 1 + cols > WIDTH) {
      printf("\n%*s", INDENT, "");
      col = INDENT;
      fresh = 1;
    }
    if (!fresh) {
      putchar(' ');
      col++;
    }
    fwrite(p, 1, word, stdout);
    col += cols;
    fresh = 0;
    p += word;
    while (*p == ' ') p++;
  }
  putchar('\n');
}

static void print_help(void) {
  fputs("Usage: pubrender [OPTIONS] FILE.bib...\n"
        "Render BibTeX files as a publication list (newest first).\n", stdout);
  for (size_t i = 0; i < NOPTIONS; i++) {
    const cli_option *op = &options[i];
    if (!op->name) {
      printf("\n%s:\n", op->help);
      continue;
    }
    char label[64];
    int n = snprintf(label, sizeof label, "  %c%c%s--%s%s%s", op->short_name ? '-' : ' ',
                     op->short_name ? op->short_name : ' ', op->short_name ? ", " : "  ",
                     op->name, op->arg ? " " : "", op->arg ? op->arg : "");
    if (n + 2 > 24) {
      printf("%s ", label); /* and one more space before the text */
      put_wrapped(op->help, n + 1);
    } else {
      printf("%-24s", label);
      put_wrapped(op->help, 24);
    }
  }
  fputs("\n"
        "FILE may be - for standard input. Diagnostics go to standard error as\n"
        "file:line: error: message (or warning:).\n"
        "\n"
        "Exit status: 0 clean, 1 some entry had an error (the others are rendered;\n"
        "with --check: FILE is not up to date; with --strict: also a warning),\n"
        "2 usage error or unreadable file.\n"
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
        "  pubrender --strict -q -o pubs.html pubs.bib # in CI: any warning fails\n"
        "  pubrender --watch -o pubs.html pubs.bib     # local preview while editing\n"
        "  pubrender --site . -o _includes/pubs.html   # an al-folio site, as it is\n"
        "  cat pubs.bib | pubrender - > pubs.html\n",
        stdout);
}

/* ---- the handlers, in the table's order ---- */

/* An option that only turns on a setting of the run. */
#define FLAG_OPTION(id) \
  static int opt_##id(args *a, char *arg) { \
    (void)arg; \
    a->c->id = 1; \
    return 0; \
  }
FLAG_OPTION(keep_going)
FLAG_OPTION(check)
FLAG_OPTION(watch)
FLAG_OPTION(quiet)
FLAG_OPTION(strict)
FLAG_OPTION(all_warnings)

static int parse_format(const char *s, pr_format *f) {
  if (strcasecmp(s, "html") == 0) *f = PR_FORMAT_HTML;
  else if (strcasecmp(s, "markdown") == 0 || strcasecmp(s, "md") == 0) *f = PR_FORMAT_MARKDOWN;
  else if (strcasecmp(s, "json") == 0) *f = PR_FORMAT_JSON;
  else if (strcasecmp(s, "csl-json") == 0 || strcasecmp(s, "csljson") == 0) *f = PR_FORMAT_CSL_JSON;
  else if (strcasecmp(s, "view-json") == 0) *f = PR_FORMAT_VIEW_JSON;
  else return -1;
  return 0;
}

static int opt_format(args *a, char *arg) {
  if (parse_format(arg, &a->format))
    return usage_error("unknown format '%s' (use html, markdown, json, csl-json or view-json)", arg);
  a->format_given = 1;
  return 0;
}

static int opt_output(args *a, char *arg) {
  a->c->output = arg;
  return 0;
}

static int opt_depfile(args *a, char *arg) {
  a->c->depfile = arg;
  return 0;
}

static int opt_standalone(args *a, char *arg) {
  (void)arg;
  pr_options_set_standalone(a->o, 1);
  return 0;
}

static int opt_css(args *a, char *arg) {
  a->run->css = arg;
  return 0;
}

static int opt_markdown_flavor(args *a, char *arg) {
  pr_md_flavor fl = PR_MD_COMMONMARK;
  if (strcasecmp(arg, "kramdown") == 0) fl = PR_MD_KRAMDOWN;
  else if (strcasecmp(arg, "gfm") == 0) fl = PR_MD_GFM;
  else if (strcasecmp(arg, "commonmark") != 0)
    return usage_error("unknown Markdown flavour '%s' (use commonmark, kramdown or gfm)", arg);
  pr_options_set_markdown_flavor(a->o, fl);
  return 0;
}

static int opt_encoding(args *a, char *arg) {
  if (strcasecmp(arg, "utf-8") == 0 || strcasecmp(arg, "utf8") == 0)
    a->c->encoding = PR_ENCODING_UTF8;
  else if (strcasecmp(arg, "latin1") == 0 || strcasecmp(arg, "latin-1") == 0 ||
           strcasecmp(arg, "iso-8859-1") == 0)
    a->c->encoding = PR_ENCODING_LATIN1;
  else
    return usage_error("unknown encoding '%s' (use utf-8 or latin1)", arg);
  return 0;
}

static int opt_string_scope(args *a, char *arg) {
  if (strcasecmp(arg, "shared") == 0)
    a->c->string_scope = PR_STRINGS_SHARED;
  else if (strcasecmp(arg, "file") == 0)
    a->c->string_scope = PR_STRINGS_PER_FILE;
  else
    return usage_error("unknown @string scope '%s' (use shared or file)", arg);
  return 0;
}

static int opt_highlight(args *a, char *arg) {
  if (pr_options_add_highlight(a->o, arg) != PR_OK)
    return usage_error("--highlight needs one person's name, got '%s'", arg);
  return 0;
}

static int opt_legend(args *a, char *arg) {
  char *eq = strchr(arg, '=');
  if (!eq || eq == arg) return usage_error("--legend needs MARK=TEXT, got '%s'", arg);
  *eq = '\0';
  pr_options_set_legend(a->o, arg, eq[1] ? eq + 1 : NULL);
  return 0;
}

/* A malformed --query or --sort: the message, then the text with a caret
   under the offending character. */
static int option_error(const char *opt, const char *text, const pr_error *err) {
  fprintf(stderr, "pubrender: %s: %s\n", opt, err->message);
  if (err->column > 0) fprintf(stderr, "  %s\n  %*s^\n", text, (int)err->column - 1, "");
  fprintf(stderr, "Try 'pubrender --help'.\n");
  return EXIT_USAGE;
}

static int opt_query(args *a, char *arg) {
  pr_error err;
  return pr_options_set_query(a->o, arg, &err) == PR_OK ? 0 : option_error("--query", arg, &err);
}

static int opt_sort(args *a, char *arg) {
  pr_error err;
  return pr_options_set_sort(a->o, arg, &err) == PR_OK ? 0 : option_error("--sort", arg, &err);
}

static int opt_group_by(args *a, char *arg) {
  pr_error err;
  return pr_options_set_group_by(a->o, arg, &err) == PR_OK ? 0 : usage_error("%s", err.message);
}

static int opt_group_order(args *a, char *arg) {
  int order = !strcasecmp(arg, "desc") || !strcasecmp(arg, "descending")  ? -1
              : !strcasecmp(arg, "asc") || !strcasecmp(arg, "ascending") ? 1
                                                                          : 0;
  if (!order) return usage_error("--group-order is desc or asc, got '%s'", arg);
  pr_options_set_group_order(a->o, order);
  return 0;
}

static int opt_heading_level(args *a, char *arg) {
  if (pr_options_set_heading_level(a->o, atoi(arg)) != PR_OK)
    return usage_error("--heading-level needs 1 to 6, got '%s'", arg);
  return 0;
}

static int opt_threads(args *a, char *arg) {
  char *end;
  long n = strtol(arg, &end, 10);
  if (!*arg || *end || n < 0 || n > PR_MAX_THREADS ||
      pr_options_set_threads(a->o, (unsigned)n) != PR_OK)
    return usage_error("--threads needs 0 (one per core) to 64, got '%s'", arg);
  return 0;
}

static int opt_numbering(args *a, char *arg) {
  if (strcmp(arg, "continuous") != 0 && strcmp(arg, "per-group") != 0)
    return usage_error("--numbering is continuous or per-group, got '%s'", arg);
  a->per_group = strcmp(arg, "per-group") == 0;
  pr_options_set_numbering(a->o, a->per_group, a->reversed);
  return 0;
}

static int opt_reverse_numbers(args *a, char *arg) {
  (void)arg;
  a->reversed = 1;
  pr_options_set_numbering(a->o, a->per_group, a->reversed);
  return 0;
}

static int opt_type_name(args *a, char *arg) {
  char *eq = strchr(arg, '=');
  if (!eq || eq == arg || !eq[1]) return usage_error("--type-name needs TYPE=NAME, got '%s'", arg);
  *eq = '\0';
  pr_options_set_type_name(a->o, arg, eq + 1);
  return 0;
}

static int opt_type_order(args *a, char *arg) {
  pr_options_set_type_order(a->o, arg);
  return 0;
}

/* --site, --config and --no-config are read in a first pass (read_config). */
static int opt_site(args *a, char *arg) {
  a->site = arg;
  return 0;
}

static int opt_config(args *a, char *arg) {
  a->config = arg;
  return 0;
}

static int opt_no_config(args *a, char *arg) {
  (void)arg;
  a->no_config = 1;
  return 0;
}

static int opt_venues(args *a, char *arg) {
  pr_error err;
  return pr_options_load_venues(a->o, arg, &err) == PR_OK ? 0 : library_error(&err);
}

static int opt_coauthors(args *a, char *arg) {
  pr_error err;
  return pr_options_load_coauthors(a->o, arg, &err) == PR_OK ? 0 : library_error(&err);
}

static int opt_max_authors(args *a, char *arg) {
  char *end;
  long n = strtol(arg, &end, 10);
  if (*end || n < 0 || n > 100000 || pr_options_set_max_authors(a->o, (int)n) != PR_OK)
    return usage_error("--max-authors needs a number (0: all), got '%s'", arg);
  return 0;
}

/* PREFIX for every field, or FIELD=PREFIX for one */
static int opt_link_prefix(args *a, char *arg) {
  char *eq = strchr(arg, '='), *slash = strchr(arg, '/');
  if (eq && eq > arg && (!slash || eq < slash)) {
    *eq = '\0';
    pr_options_set_field_link_prefix(a->o, arg, eq + 1);
  } else {
    pr_options_set_link_prefix(a->o, arg);
  }
  return 0;
}

static int opt_id_prefix(args *a, char *arg) {
  pr_status st = pr_options_set_id_prefix(a->o, arg);
  if (st == PR_ERR_NOMEM) return usage_error("%s", "out of memory");
  if (st != PR_OK)
    return usage_error("--id-prefix '%s': an HTML id prefix is at most 64 bytes of UTF-8 with no "
                       "space, control character, quote, <, >, &, #, %% or backquote",
                       arg);
  return 0;
}

static int opt_template(args *a, char *arg) {
  pr_error err = {0};
  if (pr_options_set_template_dir(a->o, arg, &err) != PR_OK)
    return library_error(&err);
  a->template_dir = arg;
  return 0;
}

static int opt_help(args *a, char *arg) {
  (void)a;
  (void)arg;
  print_help();
  return -1;
}

static int opt_version(args *a, char *arg) {
  (void)a;
  (void)arg;
  printf("pubrender %s\n", pr_version_string());
  return -1;
}

/* ---- the passes over argv ---- */

/* Format from an output file's extension: 0 and *f; 1 when the name has
   no extension (a FIFO, /dev/stdout: HTML); -1 when it has one we do not
   know. */
static int format_from_name(const char *path, pr_format *f) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base) return 1;
  size_t n = strlen(base);
  if (n >= 9 && strcasecmp(base + n - 9, ".csl.json") == 0) *f = PR_FORMAT_CSL_JSON;
  else if (strcasecmp(dot, ".json") == 0) *f = PR_FORMAT_JSON;
  else if (strcasecmp(dot, ".md") == 0 || strcasecmp(dot, ".markdown") == 0) *f = PR_FORMAT_MARKDOWN;
  else if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0) *f = PR_FORMAT_HTML;
  else return -1;
  return 0;
}

/* Every option in argv order: pass 0 only --site, --config and --no-config,
   pass 1 the others. */
static int run_pass(args *a, int argc, char **argv, int pass) {
  struct option longopts[NOPTIONS + 1];
  char shorts[2 * NOPTIONS + 2], *s = shorts;
  size_t n = 0;
  for (size_t i = 0; i < NOPTIONS; i++) {
    const cli_option *op = &options[i];
    if (!op->name) continue;
    int val = op->short_name ? op->short_name : LONG_ONLY + (int)i;
    longopts[n++] = (struct option){op->name, op->arg ? required_argument : no_argument, NULL, val};
    if (op->short_name) {
      *s++ = (char)op->short_name;
      if (op->arg) *s++ = ':';
    }
  }
  longopts[n] = (struct option){NULL, 0, NULL, 0};
  *s = '\0';
  optind = 0; /* GNU getopt: start again from the beginning */
  opterr = pass == 1;
  int ch;
  while ((ch = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
    const cli_option *op = NULL;
    if (ch >= LONG_ONLY && ch < LONG_ONLY + NOPTIONS) op = &options[ch - LONG_ONLY];
    for (size_t i = 0; !op && ch > 0 && ch < LONG_ONLY && i < NOPTIONS; i++)
      if (options[i].name && options[i].short_name == ch) op = &options[i];
    if (!op) {
      if (pass == 0) continue;
      fprintf(stderr, "Try 'pubrender --help'.\n");
      return EXIT_USAGE;
    }
    if ((op->fn == opt_config || op->fn == opt_no_config || op->fn == opt_site) != (pass == 0))
      continue;
    int rc = op->fn(a, optarg);
    if (rc) return rc;
  }
  return 0;
}

/* The configuration file (--config, or pubrender.yml next to the first
   .bib unless --no-config), read before the other options so that each of
   them overrides it. */
static int read_config(args *a, int argc, char **argv) {
  if (a->config && a->no_config)
    return usage_error("%s", "--config and --no-config do not go together");
  const char *first = optind < argc ? argv[optind] : NULL;
  if (a->site) { /* the site first: a configuration file and the options override it */
    pr_error err;
    if (pr_site_load(a->o, a->site, &a->c->site, &err) != PR_OK) return library_error(&err);
    size_t n = pr_site_bib_count(a->c->site), bad = 0;
    for (size_t i = 0; !first && i < pr_site_diag_count(a->c->site); i++) {
      const pr_diag *d = pr_site_diag(a->c->site, i);
      char msg[700];
      if (pr_diag_severity(d) == PR_ERROR && ++bad)
        fprintf(stderr, "%s\n", pr_diag_format(d, msg, sizeof msg));
    }
    if (bad) return EXIT_USAGE; /* a .bib the site names is not there */
    if (!first && n) {
      if (!(a->c->site_inputs = calloc(n, sizeof *a->c->site_inputs))) {
        fprintf(stderr, "pubrender: out of memory\n");
        return EXIT_USAGE;
      }
      for (size_t i = 0; i < n; i++) a->c->site_inputs[i] = (char *)pr_site_bib(a->c->site, i);
      first = a->c->site_inputs[0];
    }
  }
  char *found = !a->config && !a->no_config && first ? pr_options_find_config(first) : NULL;
  int rc = 0;
  if (a->config || found) {
    pr_error err;
    if (pr_options_load_config(a->o, a->config ? a->config : found, &err) != PR_OK)
      rc = library_error(&err);
  }
  pr_free(found);
  return rc;
}

/* What goes together, and no output that is a .bib, an input or another
   output: checked before anything is written (again after the render, with
   every template and partial read). */
static int check_run(args *a, int argc, char **argv) {
  run_ctx *c = a->c;
  int to_stdout = c->output && strcmp(c->output, "-") == 0;
  named_path outs[3];
  size_t nout = 0;
  if (c->output && !to_stdout) outs[nout++] = (named_path){"-o", c->output};
  if (c->depfile) outs[nout++] = (named_path){"--depfile", c->depfile};
  if (a->run->css && strcmp(a->run->css, "-") != 0) outs[nout++] = (named_path){"--css", a->run->css};
  for (size_t i = 0; i < nout; i++)
    if (bibtex_name(outs[i].path)) {
      char *name = shown_name(outs[i].path);
      fprintf(stderr, "pubrender: %s %s: pubrender writes no BibTeX; refusing to "
              "overwrite a .bib file (are the output and the input swapped?)\n",
              outs[i].opt, name);
      free(name);
      return EXIT_USAGE;
    }
  for (int i = optind; i < argc; i++) note_input(&c->read, argv[i]);
  for (size_t i = 0; c->site_inputs && i < pr_site_bib_count(c->site); i++)
    note_input(&c->read, c->site_inputs[i]);
  note_settings(c);
  if (a->template_dir) note_template_dir(&c->read, a->template_dir);
  if (check_outputs(outs, nout, &c->read) != 0) return EXIT_USAGE;
  if (optind >= argc && !a->run->css && !c->site_inputs)
    return usage_error("%s", a->site ? "the site names no .bib file (scholar: bibliography)"
                                     : "no input file (use - for standard input)");
  const char *needs_o = c->check ? "--check" : c->watch ? "--watch"
                      : c->depfile ? "--depfile" : NULL;
  if (needs_o && (!c->output || to_stdout))
    return usage_error(to_stdout ? "%s needs -o FILE, not standard output" : "%s needs -o FILE",
                       needs_o);
  if (c->check && c->watch) return usage_error("%s", "--check and --watch do not go together");
  for (int i = optind; c->watch && i < argc; i++)
    if (strcmp(argv[i], "-") == 0)
      return usage_error("%s", "--watch cannot watch standard input (-)");
  if (!a->format_given && c->output && !to_stdout) {
    int known = format_from_name(c->output, &a->format);
    if (known < 0) {
      char *name = shown_name(c->output);
      fprintf(stderr, "pubrender: -o %s: unknown extension '%s' (pubrender writes .html, .htm, "
              ".md, .markdown, .json or .csl.json); give -f FORMAT to write it anyway\n"
              "Try 'pubrender --help'.\n", name, strrchr(name, '.'));
      free(name);
      return EXIT_USAGE;
    }
    a->format_given = known == 0;
  }
  if (to_stdout) c->output = NULL; /* -o -: standard output, as without -o */
  return 0;
}

int parse_args(int argc, char **argv, run_ctx *c, cli_run *run) {
  args a = {.c = c, .o = c->opts, .run = run, .format = PR_FORMAT_HTML};
  int rc = run_pass(&a, argc, argv, 0);
  if (!rc) rc = read_config(&a, argc, argv);
  if (!rc) rc = run_pass(&a, argc, argv, 1);
  if (rc == -1) {
    run->done = 1;
    return EXIT_CLEAN;
  }
  if (!rc) rc = check_run(&a, argc, argv);
  if (rc) return rc;
  c->inputs = argv + optind;
  c->ninputs = argc - optind;
  if (!c->ninputs && c->site_inputs) {
    c->inputs = c->site_inputs;
    c->ninputs = (int)pr_site_bib_count(c->site);
  }
  if (a.format_given) pr_options_set_format(c->opts, a.format); /* else the config's, or HTML */
  pr_encoding enc;
  if (c->encoding < 0 && pr_options_get_encoding(c->opts, &enc)) c->encoding = (int)enc;
  pr_string_scope scope;
  if (c->string_scope < 0 && pr_options_get_string_scope(c->opts, &scope))
    c->string_scope = (int)scope;
  return EXIT_CLEAN;
}
