/* cli.c - the pubrender command: argument parsing, files, exit codes.
   Uses only the public API. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pubrender.h>

enum { EXIT_CLEAN = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: pubrender [OPTIONS] FILE.bib...\n"
    "Render BibTeX files as a publication list (newest first).\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   html (default), markdown, json (pubrender's records) or\n"
    "                        csl-json (for pandoc --citeproc, Zotero, citation-js); also\n"
    "                        inferred from -o's extension (.md, .html, .json, .csl.json)\n"
    "  -o, --output FILE     write to FILE (atomically: never left half-written)\n"
    "      --standalone      a complete HTML page with a stylesheet, not a fragment\n"
    "      --encoding ENC    input encoding: utf-8 (default; a BOM is skipped) or latin1\n"
    "      --highlight NAME  highlight the page owner's name (repeatable; any spelling\n"
    "                        of the same person matches: \"Oh, B.\", \"B. Oh\", ...)\n"
    "      --legend MARK=TEXT  the legend of a mark (repeatable); defaults:\n"
    "                        \"*=Equal Contribution\", \"\xe2\x80\xa0=Corresponding Author\";\n"
    "                        MARK= with no text removes it\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n"
    "\n"
    "FILE may be - for standard input. Diagnostics go to standard error as\n"
    "file:line: error: message.\n"
    "\n"
    "Exit status: 0 clean, 1 some entry had an error (the others are rendered),\n"
    "2 usage error or unreadable file.\n"
    "\n"
    "Examples:\n"
    "  pubrender pubs.bib > pubs.html\n"
    "  pubrender --highlight \"Byungsoo Oh\" -o pubs.html pubs.bib\n"
    "  pubrender --format markdown pubs.bib > pubs.md\n"
    "  pubrender --format csl-json -o pubs.csl.json pubs.bib\n"
    "  pubrender --standalone -o index.html pubs.bib\n"
    "  pubrender --legend '*=Joint first authors' pubs.bib > pubs.html\n"
    "  cat pubs.bib | pubrender - > pubs.html\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "pubrender: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'pubrender --help'.\n");
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

/* The temporary output file while it exists: removed if a signal stops us. */
static char *volatile pending_tmp;

static void on_signal(int sig) {
  if (pending_tmp) unlink(pending_tmp); /* async-signal-safe */
  signal(sig, SIG_DFL);
  raise(sig);
}

static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
  for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
}

/* Write data to path through a temporary file in the same directory and
   rename(2), so readers see the old file or the new one, never a part. A
   signal while writing removes the temporary file. */
static int write_atomically(const char *path, const char *data, size_t len) {
  size_t n = strlen(path);
  char *tmp = malloc(n + 16);
  if (!tmp) return -1;
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".tmp-XXXXXX", 12);
  catch_signals();
  int fd = mkstemp(tmp);
  if (fd < 0) {
    free(tmp);
    return -1;
  }
  pending_tmp = tmp;
  mode_t mask = umask(0);
  umask(mask);
  struct stat st;
  fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~mask));
  int ok = 1;
  for (size_t off = 0; off < len && ok;) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) ok = 0;
    else off += (size_t)w;
  }
  int saved = errno;
  if (close(fd) != 0) ok = 0;
  if (ok && rename(tmp, path) != 0) ok = 0;
  if (!ok) {
    saved = errno ? errno : saved;
    unlink(tmp);
  }
  pending_tmp = NULL;
  free(tmp);
  errno = saved;
  return ok ? 0 : -1;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"format", required_argument, NULL, 'f'},  {"output", required_argument, NULL, 'o'},
      {"standalone", no_argument, NULL, 'S'},    {"highlight", required_argument, NULL, 'H'},
      {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
      {"legend", required_argument, NULL, 'L'},  {"encoding", required_argument, NULL, 'E'},
      {NULL, 0, NULL, 0}};
  pr_options *opts = pr_options_new();
  pr_bib *bib = pr_bib_new();
  if (!opts || !bib) {
    fprintf(stderr, "pubrender: out of memory\n");
    return EXIT_USAGE;
  }
  const char *output = NULL;
  int format_given = 0, rc = EXIT_CLEAN, c;
  pr_format format = PR_FORMAT_HTML;
  while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'f':
      if (parse_format(optarg, &format)) {
        rc = usage_error("unknown format '%s' (use html, markdown, json or csl-json)", optarg);
        goto done;
      }
      format_given = 1;
      break;
    case 'o': output = optarg; break;
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
        pr_bib_set_encoding(bib, PR_ENCODING_UTF8);
      } else if (strcasecmp(optarg, "latin1") == 0 || strcasecmp(optarg, "latin-1") == 0 ||
                 strcasecmp(optarg, "iso-8859-1") == 0) {
        pr_bib_set_encoding(bib, PR_ENCODING_LATIN1);
      } else {
        rc = usage_error("unknown encoding '%s' (use utf-8 or latin1)", optarg);
        goto done;
      }
      break;
    case 'h': fputs(usage_text, stdout); goto done;
    case 'V': printf("pubrender %s\n", pr_version_string()); goto done;
    default: rc = EXIT_USAGE; fprintf(stderr, "Try 'pubrender --help'.\n"); goto done;
    }
  }
  if (optind >= argc) {
    rc = usage_error("%s", "no input file (use - for standard input)");
    goto done;
  }
  if (!format_given && output) format_from_name(output, &format);
  pr_options_set_format(opts, format);

  for (int i = optind; i < argc; i++) {
    pr_error err;
    if (pr_bib_add_file(bib, argv[i], &err) != PR_OK) {
      fprintf(stderr, "%s: error: %s\n", err.source, err.message);
      rc = err.code == PR_ERR_IO ? EXIT_USAGE : EXIT_INPUT;
      goto done;
    }
  }
  char *out = NULL;
  size_t len = 0;
  pr_error err;
  pr_status st = pr_render_string(bib, opts, &out, &len, &err);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    char line[1400];
    fprintf(stderr, "%s\n", pr_diag_format(pr_bib_diag(bib, i), line, sizeof line));
  }
  if (st != PR_OK) {
    fprintf(stderr, "pubrender: %s\n", err.message);
    rc = EXIT_INPUT;
    goto done;
  }
  if (output) {
    if (write_atomically(output, out, len) != 0) {
      fprintf(stderr, "pubrender: cannot write %s: %s\n", output, strerror(errno));
      rc = EXIT_USAGE;
    }
  } else if (fwrite(out, 1, len, stdout) != len || fflush(stdout) != 0) {
    fprintf(stderr, "pubrender: cannot write to standard output: %s\n", strerror(errno));
    rc = EXIT_USAGE;
  }
  pr_free(out);
  if (rc == EXIT_CLEAN && pr_bib_error_count(bib) > 0) rc = EXIT_INPUT;
done:
  pr_bib_free(bib);
  pr_options_free(opts);
  return rc;
}
