/* cli_watch.c - --watch: render again whenever an input changes. */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "cli.h"

/* An input and the watch on its directory (wd -1: the directory is gone,
   or cannot be watched). */
typedef struct { int wd; char *path, *name; } watched;

enum { EV_CHANGED = 1, EV_LOST = 2 };
#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)

static void free_watched(watched *w, size_t n) {
  for (size_t i = 0; w && i < n; i++) {
    free(w[i].path);
    free(w[i].name);
  }
  free(w);
}

/* Watch the directories of the inputs, not the files: an editor that saves
   by writing a new file and renaming it over the old one replaces the
   inode a file watch would follow. Called after every render (the inputs
   may have changed) and while a directory is gone. Returns 1 when an
   input's directory is watched again or anew (it was removed and made
   again: what was written there meanwhile has not been seen), else 0;
   *missing: how many inputs have no directory to watch. */
static int watch_inputs(int ifd, const run_ctx *c, watched **w, size_t *nw, size_t *missing) {
  const pathlist *in = &c->read;
  watched *old = *w, *v = calloc(in->n + 1, sizeof *v);
  size_t nold = *nw, n = 0;
  int changed = 0;
  *missing = 0;
  for (size_t i = 0; v && i < in->n; i++) {
    const watched *was = NULL;
    for (size_t k = 0; k < nold && !was; k++)
      if (strcmp(old[k].path, in->v[i]) == 0) was = &old[k];
    char *d = strdup(in->v[i]), *b = strdup(in->v[i]);
    char *path = strdup(in->v[i]), *name = b ? strdup(basename(b)) : NULL;
    int wd = d ? inotify_add_watch(ifd, dirname(d), WATCH_MASK) : -1;
    if (wd < 0 && (!was || was->wd >= 0)) {
      if (errno == ENOENT || errno == ENOTDIR) {
        if (!c->quiet) fprintf(stderr, "pubrender: the directory of %s is gone; waiting for it\n",
                               in->v[i]);
      } else {
        fprintf(stderr, "pubrender: cannot watch %s: %s\n", in->v[i], strerror(errno));
      }
    }
    if (wd >= 0 && was && was->wd != wd) changed = 1;
    free(d);
    free(b);
    if (!path || !name) {
      free(path);
      free(name);
      continue;
    }
    v[n++] = (watched){wd, path, name};
    *missing += wd < 0;
  }
  /* stop watching the directories no input is in any more (one renamed away) */
  for (size_t k = 0; k < nold; k++) {
    int kept = old[k].wd < 0;
    for (size_t i = 0; i < n && !kept; i++) kept = v[i].wd == old[k].wd;
    if (!kept) inotify_rm_watch(ifd, old[k].wd);
  }
  free_watched(old, nold);
  *w = v;
  *nw = v ? n : 0;
  return changed;
}

/* What the buffer of inotify events says: EV_CHANGED when it names one of
   the watched files, EV_LOST when a watched directory was removed or
   renamed. */
static int events_relevant(const char *buf, ssize_t len, const watched *w, size_t nw) {
  int what = 0;
  for (const char *p = buf; p < buf + len;) {
    const struct inotify_event *ev = (const void *)p;
    for (size_t i = 0; i < nw; i++) {
      if (w[i].wd != ev->wd) continue;
      if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) what |= EV_LOST;
      else if (ev->len && strcmp(w[i].name, ev->name) == 0) what |= EV_CHANGED;
    }
    p += sizeof *ev + ev->len;
  }
  return what;
}

/* Render, then render again after every change of an input, until SIGINT or
   SIGTERM (then exit 0; the signals wait while a file is written). A broken
   or missing input is reported and the last good output kept. */
int watch_loop(run_ctx *c) {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  int sfd = -1, ifd = -1, rc = EXIT_CLEAN;
  if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0 ||
      (sfd = signalfd(-1, &mask, SFD_CLOEXEC)) < 0 ||
      (ifd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0) {
    fprintf(stderr, "pubrender: --watch: %s\n", strerror(errno));
    if (sfd >= 0) close(sfd);
    return EXIT_USAGE;
  }
  watched *w = NULL;
  size_t nw = 0, missing = 0;
  render_once(c);
  watch_inputs(ifd, c, &w, &nw, &missing);
  if (!c->quiet)
    fprintf(stderr, "pubrender: watching %zu file%s (Ctrl-C stops)\n", c->read.n,
            c->read.n == 1 ? "" : "s");
  char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    /* while a directory is gone, look for its return 5 times a second */
    struct pollfd fds[2] = {{sfd, POLLIN, 0}, {ifd, POLLIN, 0}};
    int ready = poll(fds, 2, missing ? 200 : -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "pubrender: --watch: %s\n", strerror(errno));
      rc = EXIT_USAGE;
      break;
    }
    if (fds[0].revents) break;  /* SIGINT, SIGTERM, SIGHUP: stop */
    int ev = 0;
    if (fds[1].revents) {
      ssize_t n = read(ifd, buf, sizeof buf);
      if (n > 0) ev = events_relevant(buf, n, w, nw);
    }
    int back = 0;
    if ((ev & EV_LOST) || missing) back = watch_inputs(ifd, c, &w, &nw, &missing);
    if (!(ev & EV_CHANGED) && !back) continue;
    /* Let the editor finish (several writes, a rename): wait until the
       directory has been quiet for 100 ms. Render again as long as a
       directory came back meanwhile. */
    do {
      struct pollfd q = {ifd, POLLIN, 0};
      while (poll(&q, 1, 100) > 0)
        if (read(ifd, buf, sizeof buf) <= 0) break;
      render_once(c);
    } while (watch_inputs(ifd, c, &w, &nw, &missing) && !missing);
  }
  free_watched(w, nw);
  close(ifd);
  close(sfd);
  if (rc == EXIT_CLEAN && !c->quiet) fprintf(stderr, "pubrender: stopped watching\n");
  return rc;
}
