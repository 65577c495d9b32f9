/* readfile.c - reading whole files with a type check and a size cap (see
   readfile.h). */
#define _POSIX_C_SOURCE 200809L
#include "util/readfile.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO or pipe";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a file";
}

/* "16 MiB", "1 GiB" */
static void limit_text(size_t max, char *buf, size_t size) {
  if (max >= ((size_t)1 << 30) && max % ((size_t)1 << 30) == 0)
    snprintf(buf, size, "%zu GiB", max >> 30);
  else if (max >= ((size_t)1 << 20) && max % ((size_t)1 << 20) == 0)
    snprintf(buf, size, "%zu MiB", max >> 20);
  else
    snprintf(buf, size, "%zu-byte", max);
}

static void too_large(size_t max, const char *size, char *why, size_t whysize) {
  char lim[32];
  limit_text(max, lim, sizeof lim);
  snprintf(why, whysize, "larger than the %s limit%s%s%s", lim, size ? " (" : "",
           size ? size : "", size ? " bytes)" : "");
  errno = EFBIG;
}

int pr_open_regular(const char *path, size_t max, size_t *size, char *why, size_t whysize) {
  /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever */
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    int e = errno;
    snprintf(why, whysize, "cannot open: %s", strerror(e));
    errno = e;
    return -1;
  }
  struct stat st;
  int e = 0;
  if (fstat(fd, &st) != 0) {
    e = errno;
    snprintf(why, whysize, "cannot read: %s", strerror(e));
  } else if (!S_ISREG(st.st_mode)) {
    e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
    snprintf(why, whysize, "not a regular file (%s)", kind(st.st_mode));
  } else if ((unsigned long long)st.st_size > max) {
    char n[32];
    snprintf(n, sizeof n, "%lld", (long long)st.st_size);
    too_large(max, n, why, whysize);
    e = EFBIG;
  }
  if (e) {
    close(fd);
    errno = e;
    return -1;
  }
  /* back to blocking reads (no effect on a regular file, but stated) */
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  *size = (size_t)st.st_size;
  return fd;
}

int pr_read_fd_all(int fd, size_t max, char **buf, size_t *cap, size_t *len, char *why,
                   size_t whysize) {
  for (;;) {
    if (*len + 1 >= *cap) { /* full: grow by doubling, to max + 2 at most (max + 1
                               bytes prove a file too large, plus the NUL) */
      size_t want = *cap < 32768 ? 65536 : *cap * 2;
      if (want > max + 2 || want < *cap) want = max + 2;
      char *b = realloc(*buf, want);
      if (!b) {
        snprintf(why, whysize, "out of memory");
        errno = ENOMEM;
        return -1;
      }
      *buf = b;
      *cap = want;
    }
    size_t room = *cap - *len - 1;
    if (room > max + 1 - *len) room = max + 1 - *len; /* one past max proves too large */
    ssize_t k = read(fd, *buf + *len, room);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      int e = errno;
      snprintf(why, whysize, "cannot read: %s", strerror(e));
      errno = e;
      return -1;
    }
    if (k == 0) break;
    *len += (size_t)k;
    if (*len > max) {
      too_large(max, NULL, why, whysize);
      return -1;
    }
  }
  (*buf)[*len] = '\0';
  return 0;
}

int pr_read_whole(const char *path, size_t max, char **data, size_t *len, char *why,
                  size_t whysize) {
  size_t size;
  int fd = pr_open_regular(path, max, &size, why, whysize);
  if (fd < 0) return -1;
  /* +2: room for the NUL and for a read of 0 that proves the end */
  size_t cap = size + 2, n = 0;
  char *buf = malloc(cap);
  int rc = -1, e = ENOMEM;
  if (!buf) snprintf(why, whysize, "out of memory");
  else if ((rc = pr_read_fd_all(fd, max, &buf, &cap, &n, why, whysize)) != 0) e = errno;
  close(fd);
  if (rc != 0) {
    free(buf);
    errno = e;
    return -1;
  }
  *data = buf;
  *len = n;
  return 0;
}
