/* cli_files.c - the command's files: writing output atomically and only
   when it changed, reading, the inputs a run depends on, Make depfiles. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>
#include "cli.h"
#include "util/readfile.h"

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

/* ---- where an output goes ---- */

enum { MAX_LINKS = 40 }; /* Linux's own limit on a chain of symbolic links */

/* The directory part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

/* The text of the symbolic link at path, malloc'd, or NULL (errno). */
static char *link_text(const char *path) {
  for (size_t cap = 256;; cap *= 2) {
    char *buf = malloc(cap);
    if (!buf) return NULL;
    ssize_t n = readlink(path, buf, cap);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < cap) {
      buf[n] = '\0';
      return buf;
    }
    free(buf);
  }
}

/* 1 when the link at path lives in /proc (/dev/stdout, /proc/self/fd/N):
   its text names an open file, and replacing that name would lose what the
   file description is for (an append, a pipe's reader). */
static int is_proc_link(const char *path) {
  char *dir = dir_of(path);
  struct statfs fs;
  int proc = dir && statfs(dir, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
  free(dir);
  return proc;
}

/* Where writing path lands: *file is the path of the file itself, after
   every symbolic link (a dangling link: the file it would create), malloc'd;
   *direct is 1 when that file must be written in place, not replaced: a FIFO,
   a device, a directory (the open fails), or a file reached through /proc.
   -1 (errno) when the links loop or memory runs out. */
int output_target(const char *path, char **file, int *direct) {
  *direct = 0;
  *file = NULL;
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) *direct = 1;
  char *cur = strdup(path);
  for (int hops = 0; cur; hops++) {
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) break;
    if (hops == MAX_LINKS) {
      free(cur);
      errno = ELOOP;
      return -1;
    }
    if (is_proc_link(cur)) {
      *direct = 1;
      break;
    }
    char *text = link_text(cur), *next = NULL;
    if (!text) {
      int saved = errno;
      free(cur);
      errno = saved;
      return -1;
    }
    if (text[0] != '/') {
      char *dir = dir_of(cur);
      if (dir && asprintf(&next, "%s/%s", dir, text) < 0) next = NULL;
      free(dir);
      free(text);
    } else {
      next = text;
    }
    free(cur);
    cur = next;
  }
  if (!cur) {
    errno = ENOMEM;
    return -1;
  }
  if (*direct) { /* written through the name given */
    free(cur);
    cur = strdup(path);
    if (!cur) return -1;
  }
  *file = cur;
  return 0;
}

/* Write all of data to fd; 0 or -1 (errno). */
static int write_all(int fd, const char *data, size_t len) {
  for (size_t off = 0; off < len;) {
    ssize_t w = write(fd, data + off, len - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    off += (size_t)w;
  }
  return 0;
}

/* A FIFO, a device or standard output: opened and written as it is. O_APPEND
   so that a file behind /dev/stdout keeps what the shell's >> put there
   (and a new or truncated one starts at 0 anyway). */
static int write_direct(const char *path, const char *data, size_t len) {
  int fd = open(path, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return -1;
  int ok = write_all(fd, data, len) == 0;
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = 0;
    saved = errno;
  }
  errno = saved;
  return ok ? 0 : -1;
}

/* Replace file with data through a temporary file in the same directory and
   rename(2), so readers see the old file or the new one, never a part. A
   signal while writing removes the temporary file. */
static int replace_file(const char *file, const char *data, size_t len) {
  size_t n = strlen(file);
  char *tmp = malloc(n + 16);
  if (!tmp) return -1;
  memcpy(tmp, file, n);
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
  fchmod(fd, stat(file, &st) == 0 ? (st.st_mode & 07777) : (0666 & ~mask));
  int ok = write_all(fd, data, len) == 0;
  int saved = errno;
  if (close(fd) != 0) ok = 0;
  if (ok && rename(tmp, file) != 0) ok = 0;
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

/* Write data to path: a regular file (or a new one) is replaced atomically,
   and left alone (content and mtime, so make, Jekyll and CI see no change)
   when it already holds data; a symbolic link stays and its target is
   replaced, beside the target (a dangling link: the target is created); a
   FIFO, a device or /dev/stdout is written directly, always. *written tells
   whether it wrote. */
int write_if_changed(const char *path, const char *data, size_t len, int *written) {
  *written = 0;
  char *file;
  int direct;
  if (output_target(path, &file, &direct) != 0) return -1;
  int rc = 0;
  if (direct || !same_content(file, data, len)) {
    *written = 1;
    rc = direct ? write_direct(file, data, len) : replace_file(file, data, len);
  }
  int saved = errno;
  free(file);
  errno = saved;
  return rc;
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

/* Every file a template directory can give a render, DIR/pubrender.css and
   DIR/FOLDER/NAME.mustache (templates and partials): inputs for the check
   of outputs made before a render says which it read. */
void note_template_dir(pathlist *l, const char *dir) {
  char *path = NULL;
  if (asprintf(&path, "%s/pubrender.css", dir) >= 0 && access(path, F_OK) == 0)
    note_input(l, path);
  free(path);
  DIR *top = opendir(dir);
  for (struct dirent *e; top && (e = readdir(top));) {
    char *sub = NULL;
    DIR *d = e->d_name[0] != '.' && asprintf(&sub, "%s/%s", dir, e->d_name) >= 0
                 ? opendir(sub) : NULL;
    for (struct dirent *f; d && (f = readdir(d));) {
      size_t n = strlen(f->d_name);
      if (n > 9 && strcmp(f->d_name + n - 9, ".mustache") == 0 &&
          asprintf(&path, "%s/%s", sub, f->d_name) >= 0) {
        note_input(l, path);
        free(path);
      }
    }
    if (d) closedir(d);
    free(sub);
  }
  if (top) closedir(top);
}

/* ---- depfiles: one text that GNU make and Ninja read alike ----
   Both read '\ ' as a space (2N+1 backslashes and a space: N backslashes and
   a space), '\#' as '#', '\:' as ':' and '$$' as '$'; any other backslash
   stays. Ninja ends a name at any byte outside [A-Za-z0-9+,/_:.~()}{%=@[]!-]
   and 0x80-0xFF, except for those escapes, and make has no escape at all for
   a few more: such names are refused, never written wrong. */

/* Why name cannot be written in a depfile, or NULL when it can: a printf
   format whose %s is the byte at fault (*ch). */
static const char *make_path_refusal(const char *name, unsigned char *ch) {
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
    *ch = *c;
    if (*c < 0x20 || *c == 0x7f)
      return "it holds a control character (%s), which neither make nor Ninja can "
             "read in a file name";
    if (strchr("\"&'*;<>?^`|", *c)) return "Ninja ends a file name at '%s' and has no escape for it";
    if (*c == '[') return "make reads '[' as a wildcard pattern, and Ninja has no escape for it";
    if (*c == '%')
      return "make reads a target holding '%%' as a pattern rule, and Ninja has no escape for it";
    if (*c == '=') return "make reads '=' in a rule as a variable assignment, with no escape";
    if (*c == ')' && (c[1] == ' ' || !c[1]))
      return "make reads a word ending in ')' as an archive member, lib(member)";
    if (*c == '\\') {
      size_t k = strspn((const char *)c, "\\");
      *ch = c[k];
      if (!c[k]) return "make and Ninja read a backslash at the end of a name differently";
      if (c[k] == '#' || c[k] == ':' || c[k] == '$')
        return "make and Ninja read a backslash before '%s' differently";
      c += k - 1;
    }
  }
  size_t n = strlen(name);
  if (n && name[n - 1] == ':') return "Ninja reads a name ending in ':' as a target";
  /* make reads "./x" as "x", then expands a leading ~ and knows .PHONY etc. */
  const char *s = name;
  while (s[0] == '.' && s[1] == '/' && s[2]) {
    s += 2;
    while (*s == '/') s++;
  }
  if (s[0] == '~') return "make expands a leading '~' to a home directory";
  if (s[0] == '.' && s[1] && strspn(s + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == strlen(s + 1))
    return "make reads it as one of its special targets";
  return NULL;
}

/* A name in a Make rule, escaped (make_path_refusal() said it can be). */
static void put_make_path(char **p, const char *path) {
  for (const char *c = path; *c; c++) {
    if (*c == '\\') { /* a run of k before a space: 2k, and '\ ' follows */
      size_t k = strspn(c, "\\");
      size_t out = c[k] == ' ' ? 2 * k : k;
      memset(*p, '\\', out);
      *p += out;
      c += k - 1;
      continue;
    }
    if (*c == ' ' || *c == '#' || *c == ':') *(*p)++ = '\\';
    if (*c == '$') *(*p)++ = '$';
    *(*p)++ = *c;
  }
}

/* "TARGET: IN1 IN2\n" plus "IN:\n" for each input (as gcc -MP does, so make
   does not fail when an input is deleted). 0 and the text in *text
   (malloc'd), or -1: *bad is the name that cannot be written and *why says
   why (malloc'd; NULL when memory ran out), or *bad is NULL when memory
   ran out. */
int depfile_text(const char *target, const pathlist *in, char **text, size_t *len,
                 const char **bad, char **why) {
  *text = NULL;
  *bad = NULL;
  *why = NULL;
  size_t cap = 2 * strlen(target) + 8;
  for (size_t i = 0; i <= in->n; i++) {
    const char *name = i < in->n ? in->v[i] : target;
    unsigned char ch = 0;
    const char *refusal = make_path_refusal(name, &ch);
    if (refusal) {
      char one[2] = {(char)ch, '\0'}, *shown = shown_name(one);
      if (asprintf(why, refusal, shown) < 0) *why = NULL;
      free(shown);
      *bad = name;
      return -1;
    }
    if (i < in->n) cap += 4 * strlen(name) + 16;
  }
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
  *text = buf;
  *len = (size_t)(p - buf);
  return 0;
}

/* ---- outputs that are inputs ---- */

/* A file name for a message: control characters (a newline would start a
   new diagnostic or a CI workflow command) shown as \n, \t, \xHH. */
char *shown_name(const char *name) {
  size_t n = strlen(name);
  char *out = malloc(4 * n + 1), *p = out;
  if (!out) return strdup("(out of memory)");
  for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
    if (*c >= 0x20 && *c != 0x7f) *p++ = (char)*c;
    else if (*c == '\n') p += sprintf(p, "\\n");
    else if (*c == '\t') p += sprintf(p, "\\t");
    else if (*c == '\r') p += sprintf(p, "\\r");
    else p += sprintf(p, "\\x%02x", *c);
  }
  *p = '\0';
  return out;
}

/* What a path names: an existing regular file by device and inode (through
   links, ./x, ../d/x and hard links alike); a file not there yet by the
   absolute path it would be created at. Neither for anything else (a FIFO,
   a device: writing one does not clobber it). */
typedef struct {
  int known;
  dev_t dev;
  ino_t ino;
  char *where;
} file_id;

static void identify(const char *path, file_id *id) {
  memset(id, 0, sizeof *id);
  struct stat st;
  if (stat(path, &st) == 0) {
    if (S_ISREG(st.st_mode)) {
      id->known = 1;
      id->dev = st.st_dev;
      id->ino = st.st_ino;
    }
    return;
  }
  char *file;
  int direct;
  if (output_target(path, &file, &direct) != 0) return;
  char *dir = dir_of(file), *real = dir ? realpath(dir, NULL) : NULL;
  const char *slash = strrchr(file, '/');
  if (real && asprintf(&id->where, "%s/%s", real, slash ? slash + 1 : file) < 0)
    id->where = NULL;
  free(real);
  free(dir);
  free(file);
}

static int same_file(const file_id *a, const file_id *b) {
  if (a->known && b->known) return a->dev == b->dev && a->ino == b->ino;
  return a->where && b->where && strcmp(a->where, b->where) == 0;
}

/* 0 when no output is an input or another output; else says which (naming
   both) and returns -1. */
int check_outputs(const named_path *out, size_t nout, const pathlist *in) {
  int rc = 0;
  file_id *id = calloc(nout + 1, sizeof *id);
  if (!id) return 0;
  for (size_t i = 0; i < nout; i++) identify(out[i].path, &id[i]);
  for (size_t i = 0; i < nout && rc == 0; i++) {
    for (size_t j = 0; j < i && rc == 0; j++) {
      if (!same_file(&id[i], &id[j])) continue;
      char *a = shown_name(out[j].path), *b = shown_name(out[i].path);
      fprintf(stderr, "pubrender: %s %s and %s %s are the same file; nothing written\n",
              out[j].opt, a, out[i].opt, b);
      free(a);
      free(b);
      rc = -1;
    }
    for (size_t k = 0; k < in->n && rc == 0 && id[i].known; k++) {
      file_id input;
      identify(in->v[k], &input);
      if (input.known && same_file(&id[i], &input)) {
        char *a = shown_name(out[i].path), *b = shown_name(in->v[k]);
        fprintf(stderr, "pubrender: %s %s is the input %s (the same file); nothing written\n",
                out[i].opt, a, b);
        free(a);
        free(b);
        rc = -1;
      }
      free(input.where);
    }
  }
  for (size_t i = 0; i < nout; i++) free(id[i].where);
  free(id);
  return rc;
}
