/* cli_files.c - the command's files: writing output atomically and only
   when it changed, reading, the inputs a run depends on, Make depfiles,
   and the summary --check prints. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"
#include "readfile.h"

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
int write_atomically(const char *path, const char *data, size_t len) {
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

/* The whole content of a regular file (an output, compared: no limit but
   memory), NUL-terminated, or NULL (errno set; ENOENT when it does not
   exist). */
char *read_file(const char *path, size_t *len) {
  char *data = NULL, why[200];
  return pr_read_whole(path, SIZE_MAX / 2, &data, len, why, sizeof why) == 0 ? data : NULL;
}

/* 1 when path is a regular file holding exactly data. */
int same_content(const char *path, const char *data, size_t len) {
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
int write_if_changed(const char *path, const char *data, size_t len, int *written) {
  *written = 0;
  if (same_content(path, data, len)) return 0;
  *written = 1;
  return write_atomically(path, data, len);
}

/* ---- the files a run read (for --depfile and --watch) ---- */

void pathlist_clear(pathlist *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = 0;
}

/* Every file a run reads goes through here: .bib files, and any template or
   configuration file an option names. */
void note_input(pathlist *l, const char *path) {
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
int write_depfile(const char *depfile, const char *target, const pathlist *in) {
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
void diff_summary(const char *path, const char *old, size_t oldlen, const char *cur,
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
