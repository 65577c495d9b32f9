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

enum { EXIT_CLEAN = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "Usage: pubrender [OPTIONS] FILE.bib...\n"
    "Render BibTeX files as a publication list (newest first).\n"
    "\n"
    "Options:\n"
    "  -f, --format FORMAT   html (default), markdown, json (pubrender's records) or\n"
    "                        csl-json (for pandoc --citeproc, Zotero, citation-js); also\n"
    "                        inferred from -o's extension (.md, .html, .json, .csl.json)\n"
    "  -o, --output FILE     write to FILE (atomically: never left half-written); FILE\n"
    "                        is left untouched (content and mtime) when the result is\n"
    "                        the same, and kept as it is when an entry has an error\n"
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
    "      --link-prefix P   prefix for site-relative links (pdf = {paper.pdf})\n"
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

/* The whole content of a regular file, NUL-terminated, or NULL (errno set;
   ENOENT when it does not exist). */
static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EISDIR;
    return NULL;
  }
  size_t cap = (size_t)st.st_size + 1, n = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) break;
    if (n + 1 >= cap) {
      char *b = realloc(buf, cap *= 2);
      if (!b) { free(buf); buf = NULL; break; }
      buf = b;
    }
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { free(buf); buf = NULL; break; }
    if (r == 0) break;
    n += (size_t)r;
  }
  int saved = errno;
  close(fd);
  errno = saved;
  if (buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

/* 1 when path is a regular file holding exactly data. */
static int same_content(const char *path, const char *data, size_t len) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size != len) return 0;
  size_t n;
  char *old = read_file(path, &n);
  int same = old && n == len && memcmp(old, data, len) == 0;
  free(old);
  return same;
}

/* write_atomically(), but leaves the file alone (content and mtime, so make,
   Jekyll and CI see no change) when it already holds data. *written tells
   which happened. */
static int write_if_changed(const char *path, const char *data, size_t len, int *written) {
  *written = 0;
  if (same_content(path, data, len)) return 0;
  *written = 1;
  return write_atomically(path, data, len);
}

/* ---- the files a run read (for --depfile and --watch) ---- */
typedef struct {
  char **v;
  size_t n;
} pathlist;

static void pathlist_clear(pathlist *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

/* Every file a run reads goes through here: .bib files, and any template or
   configuration file an option names. */
static void note_input(pathlist *l, const char *path) {
  if (strcmp(path, "-") == 0) return;
  for (size_t i = 0; i < l->n; i++)
    if (strcmp(l->v[i], path) == 0) return;
  char **v = realloc(l->v, (l->n + 1) * sizeof *v);
  char *copy = strdup(path);
  if (!v || !copy) {
    free(copy);
    if (v) l->v = v;
    return;
  }
  l->v = v;
  l->v[l->n++] = copy;
}

/* A path in a Make rule: space and # escaped with \, $ doubled. */
static void put_make_path(char **p, const char *path) {
  for (const char *c = path; *c; c++) {
    if (*c == ' ' || *c == '#' || *c == '\t') *(*p)++ = '\\';
    if (*c == '$') *(*p)++ = '$';
    *(*p)++ = *c;
  }
}

/* "TARGET: IN1 IN2\n" plus "IN:\n" for each input (as gcc -MP does, so make
   does not fail when an input is deleted), written only when changed. */
static int write_depfile(const char *depfile, const char *target, const pathlist *in) {
  size_t cap = 2 * strlen(target) + 8;
  for (size_t i = 0; i < in->n; i++) cap += 4 * strlen(in->v[i]) + 8;
  char *buf = malloc(cap), *p = buf;
  if (!buf) return -1;
  put_make_path(&p, target);
  *p++ = ':';
  for (size_t i = 0; i < in->n; i++) {
    memcpy(p, " \\\n ", 4);
    p += 4;
    put_make_path(&p, in->v[i]);
  }
  *p++ = '\n';
  for (size_t i = 0; i < in->n; i++) {
    *p++ = '\n';
    put_make_path(&p, in->v[i]);
    *p++ = ':';
    *p++ = '\n';
  }
  int written, rc = write_if_changed(depfile, buf, (size_t)(p - buf), &written);
  free(buf);
  return rc;
}

/* ---- --check: a short summary of how FILE differs ---- */
typedef struct { const char *s; size_t n; } line;

static size_t split_lines(const char *d, size_t len, line **out) {
  size_t n = 0, cap = 64;
  line *v = malloc(cap * sizeof *v);
  for (size_t i = 0; v && i < len;) {
    const char *nl = memchr(d + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - d) : len;
    if (n == cap) {
      line *w = realloc(v, (cap *= 2) * sizeof *v);
      if (!w) { free(v); v = NULL; break; }
      v = w;
    }
    v[n].s = d + i;
    v[n].n = end - i;
    n++;
    i = end + 1;
  }
  *out = v;
  return v ? n : 0;
}

static int line_cmp(const void *a, const void *b) {
  const line *x = a, *y = b;
  size_t n = x->n < y->n ? x->n : y->n;
  int c = memcmp(x->s, y->s, n);
  return c ? c : (x->n > y->n) - (x->n < y->n);
}

static void print_line(const char *prefix, const line *l) {
  int n = l->n > 100 ? 100 : (int)l->n;
  fprintf(stderr, "  %s %.*s%s\n", prefix, n, l->s, l->n > 100 ? "..." : "");
}

/* "FILE: out of date: 3 lines added, 1 removed; first difference at line 12"
   with that line as it is and as it would be. */
static void diff_summary(const char *path, const char *old, size_t oldlen, const char *cur,
                         size_t curlen) {
  line *a, *b;
  size_t na = split_lines(old, oldlen, &a), nb = split_lines(cur, curlen, &b);
  if (!a || !b) {
    fprintf(stderr, "pubrender: %s is not up to date\n", path);
    free(a);
    free(b);
    return;
  }
  size_t first = 0;
  while (first < na && first < nb && line_cmp(&a[first], &b[first]) == 0) first++;
  /* Lines only in one of them, counted as multisets (sorted copies). */
  line *sa = malloc((na + 1) * sizeof *sa), *sb = malloc((nb + 1) * sizeof *sb);
  size_t removed = 0, added = 0;
  if (sa && sb) {
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    qsort(sa, na, sizeof *sa, line_cmp);
    qsort(sb, nb, sizeof *sb, line_cmp);
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
      int c = i == na ? 1 : j == nb ? -1 : line_cmp(&sa[i], &sb[j]);
      if (c == 0) i++, j++;
      else if (c < 0) removed++, i++;
      else added++, j++;
    }
  }
  fprintf(stderr, "pubrender: %s is not up to date: %zu line%s added, %zu removed; "
          "first difference at line %zu\n", path, added, added == 1 ? "" : "s", removed,
          first + 1);
  if (first < na) print_line("-", &a[first]);
  if (first < nb) print_line("+", &b[first]);
  fprintf(stderr, "Regenerate it: run the same command without --check.\n");
  free(sa);
  free(sb);
  free(a);
  free(b);
}

/* ---- one run: read the inputs, render, write ---- */
typedef struct {
  const char *template_dir; /* --template, NULL: built-in */
  char **inputs;            /* the .bib files of the command line */
  int ninputs;
  pr_options *opts;
  int encoding;             /* -1: not given */
  const char *output, *depfile;
  int check, keep_going, watch;
  pathlist read;            /* the files the last run read */
} run_ctx;

/* What happened to the output, for --watch's messages. */
enum { OUT_NONE, OUT_WRITTEN, OUT_UNCHANGED, OUT_KEPT };

/* The settings files a run depends on: configuration, venues, co-authors,
   and the user's templates that exist. */
static void note_settings(run_ctx *c) {
  static const char *const templates[] = {"html/list.mustache", "html/entry.mustache",
                                          "html/page.mustache", "markdown/list.mustache",
                                          "markdown/entry.mustache", "pubrender.css",
                                          "markdown-kramdown/list.mustache",
                                          "markdown-kramdown/entry.mustache",
                                          "markdown-gfm/list.mustache",
                                          "markdown-gfm/entry.mustache"};
  for (size_t i = 0; i < pr_options_file_count(c->opts); i++)
    note_input(&c->read, pr_options_file(c->opts, i));
  for (size_t i = 0; c->template_dir && i < sizeof templates / sizeof *templates; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", c->template_dir, templates[i]);
    if (access(path, R_OK) == 0) note_input(&c->read, path);
  }
}

static int render_once(run_ctx *c, int *what) {
  *what = OUT_NONE;
  pathlist_clear(&c->read);
  pr_bib *bib = pr_bib_new();
  if (!bib) {
    fprintf(stderr, "pubrender: out of memory\n");
    return EXIT_USAGE;
  }
  if (c->encoding >= 0) pr_bib_set_encoding(bib, (pr_encoding)c->encoding);
  int rc = EXIT_CLEAN;
  char *out = NULL;
  size_t len = 0;
  for (int i = 0; i < c->ninputs; i++) {
    pr_error err;
    note_input(&c->read, c->inputs[i]);
    if (i == 0) note_settings(c);
    if (pr_bib_add_file(bib, c->inputs[i], &err) != PR_OK) {
      char msg[700];
      fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
      rc = err.code == PR_ERR_IO ? EXIT_USAGE : EXIT_INPUT;
      goto finish;
    }
  }
  pr_error err;
  pr_status st = pr_render_string(bib, c->opts, &out, &len, &err);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    char msg[1400];
    fprintf(stderr, "%s\n", pr_diag_format(pr_bib_diag(bib, i), msg, sizeof msg));
  }
  if (st != PR_OK) { /* a template error names its file, line and column */
    char msg[700];
    fprintf(stderr, "%s\n", pr_error_format(&err, msg, sizeof msg));
    rc = st == PR_ERR_INPUT ? EXIT_USAGE : EXIT_INPUT;
    goto finish;
  }
  size_t errors = pr_bib_error_count(bib);
  if (c->check) {
    size_t oldlen = 0;
    char *old = read_file(c->output, &oldlen);
    if (!old) {
      fprintf(stderr, "pubrender: %s is not up to date: %s\n", c->output,
              errno == ENOENT ? "it does not exist" : strerror(errno));
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
  } else if (fwrite(out, 1, len, stdout) != len || fflush(stdout) != 0) {
    fprintf(stderr, "pubrender: cannot write to standard output: %s\n", strerror(errno));
    rc = EXIT_USAGE;
    goto finish;
  }
  if (rc == EXIT_CLEAN && errors > 0) rc = EXIT_INPUT;
finish:
  /* The dependencies are known even when the run failed: the next build
     must rerun when any of these files changes. */
  if (c->depfile && write_depfile(c->depfile, c->output, &c->read) != 0) {
    fprintf(stderr, "pubrender: cannot write %s: %s\n", c->depfile, strerror(errno));
    rc = EXIT_USAGE;
  }
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
typedef struct { int wd; char *name; } watched;

/* Watch the directories of the inputs, not the files: an editor that saves
   by writing a new file and renaming it over the old one replaces the
   inode a file watch would follow. */
static size_t watch_inputs(int ifd, const pathlist *in, watched **w) {
  for (size_t i = 0; *w && (*w)[i].name; i++) free((*w)[i].name);
  free(*w);
  *w = calloc(in->n + 1, sizeof **w);
  size_t n = 0;
  for (size_t i = 0; *w && i < in->n; i++) {
    char *d = strdup(in->v[i]), *b = strdup(in->v[i]);
    if (d && b) {
      int wd = inotify_add_watch(ifd, dirname(d), IN_CLOSE_WRITE | IN_MOVED_TO);
      if (wd >= 0) {
        (*w)[n].wd = wd;
        (*w)[n].name = strdup(basename(b));
        if ((*w)[n].name) n++;
      } else {
        fprintf(stderr, "pubrender: cannot watch %s: %s\n", in->v[i], strerror(errno));
      }
    }
    free(d);
    free(b);
  }
  return n;
}

/* 1 when the buffer of inotify events names one of the watched files. */
static int events_relevant(const char *buf, ssize_t len, const watched *w) {
  for (const char *p = buf; p < buf + len;) {
    const struct inotify_event *ev = (const void *)p;
    for (size_t i = 0; ev->len && w && w[i].name; i++)
      if (w[i].wd == ev->wd && strcmp(w[i].name, ev->name) == 0) return 1;
    p += sizeof *ev + ev->len;
  }
  return 0;
}

static void report(const run_ctx *c, int what) {
  if (what == OUT_WRITTEN) fprintf(stderr, "pubrender: wrote %s\n", c->output);
  if (what == OUT_UNCHANGED) fprintf(stderr, "pubrender: %s unchanged\n", c->output);
}

/* Render, then render again after every change of an input, until SIGINT or
   SIGTERM (then exit 0; the signals wait while a file is written). A broken
   or missing input is reported and the last good output kept. */
static int watch_loop(run_ctx *c) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  int sfd = -1, ifd = -1, rc = EXIT_CLEAN, what;
  if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 ||
      (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0 ||
      (ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
    fprintf(stderr, "pubrender: --watch: %s\n", strerror(errno));
    if (sfd >= 0) close(sfd);
    return EXIT_USAGE;
  }
  watched *w = NULL;
  render_once(c, &what);
  report(c, what);
  watch_inputs(ifd, &c->read, &w);
  fprintf(stderr, "pubrender: watching %zu file%s (Ctrl-C stops)\n", c->read.n,
          c->read.n == 1 ? "" : "s");
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    struct pollfd fds[2] = {{sfd, POLLIN, 0}, {ifd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "pubrender: --watch: %s\n", strerror(errno));
      rc = EXIT_USAGE;
      break;
    }
    if (fds[0].revents) break;  /* SIGINT, SIGTERM, SIGHUP: stop */
    ssize_t n = read(ifd, buf, sizeof buf);
    if (n <= 0 || !events_relevant(buf, n, w)) continue;
    /* Let the editor finish (several writes, a rename): wait until the
       directory has been quiet for 100 ms. */
    struct pollfd q = {ifd, POLLIN, 0};
    while (poll(&q, 1, 100) > 0)
      if (read(ifd, buf, sizeof buf) <= 0) break;
    render_once(c, &what);
    report(c, what);
    watch_inputs(ifd, &c->read, &w);
  }
  for (size_t i = 0; w && w[i].name; i++) free(w[i].name);
  free(w);
  close(ifd);
  close(sfd);
  if (rc == EXIT_CLEAN) fprintf(stderr, "pubrender: stopped watching\n");
  return rc;
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
  const char *config = NULL, *css = NULL;
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
    case 'p': pr_options_set_link_prefix(opts, optarg); break;
    case 'P': {
      struct stat st;
      if (stat(optarg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = usage_error("--template needs a directory, got '%s'", optarg);
        goto done;
      }
      pr_options_set_template_dir(opts, optarg);
      ctx.template_dir = optarg;
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
