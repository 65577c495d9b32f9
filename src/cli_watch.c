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


/* Render, then render again after every change of an input, until SIGINT or
   SIGTERM (then exit 0; the signals wait while a file is written). A broken
   or missing input is reported and the last good output kept. */
int watch_loop(run_ctx *c) {
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
  cli_report(c, what);
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
    cli_report(c, what);
    watch_inputs(ifd, &c->read, &w);
  }
  for (size_t i = 0; w && w[i].name; i++) free(w[i].name);
  free(w);
  close(ifd);
  close(sfd);
  if (rc == EXIT_CLEAN) fprintf(stderr, "pubrender: stopped watching\n");
  return rc;
}
