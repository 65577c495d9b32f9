/* input.c - a document's bytes, held once.

   The text is read into anonymous memory of its own rather than malloc's
   heap, for two reasons: everything in front of the parser (decoding,
   normalising, the prescan) works in place on this one copy, and the
   parser can hand back the pages it has read (pr_input_release), so a
   large file is not resident while its records are built. Peak memory is
   then about the size of the records, not records plus input. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/util.h"

static size_t page_size(void) {
  static size_t page;
  if (!page) {
    long p = sysconf(_SC_PAGESIZE);
    page = p > 0 ? (size_t)p : 4096;
  }
  return page;
}

static size_t round_up(size_t n) {
  size_t p = page_size();
  return (n + p - 1) / p * p;
}

#define INPUT_HUGE ((size_t)4 << 20)

/* Make room for cap bytes (keeping the contents). 0, or -1 when out of memory. */
static int reserve(pr_input *in, size_t cap) {
  if (cap <= in->cap) return 0;
  cap = round_up(cap);
  void *p = in->cap ? mremap(in->base, in->cap, cap, MREMAP_MAYMOVE)
                    : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return -1;
#ifdef MADV_HUGEPAGE
  /* a large document in transparent huge pages: reading it then costs a
     page fault per 2 MiB, not per 4 KiB (a hint; pr_input_release still
     gives the pages back, splitting them) */
  if (cap >= INPUT_HUGE) madvise(p, cap, MADV_HUGEPAGE);
#endif
  in->text = in->cap ? (char *)p + (in->text - in->base) : p;
  in->base = p;
  in->cap = cap;
  return 0;
}

int pr_input_alloc(pr_input *in, size_t len) {
  memset(in, 0, sizeof *in);
  if (len == SIZE_MAX || reserve(in, len + 1)) return -1;
  in->len = len;
  in->text[len] = '\0';
  return 0;
}

int pr_input_from_buffer(pr_input *in, const char *data, size_t len) {
  if (pr_input_alloc(in, len)) return -1;
  if (len) memcpy(in->text, data, len);
  return 0;
}

int pr_input_read_fd(pr_input *in, int fd, size_t max) {
  memset(in, 0, sizeof *in);
  struct stat st;
  size_t want = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
                        (unsigned long long)st.st_size <= max
                    ? (size_t)st.st_size + 1 /* +1: a read of 0 proves the end */
                    : 65536;
  if (reserve(in, want)) return -1;
  for (;;) {
    if (in->len + 1 >= in->cap) { /* full: double, to max + 2 at most */
      size_t cap = in->cap * 2 > max + 2 ? max + 2 : in->cap * 2;
      if (reserve(in, cap)) goto fail;
    }
    size_t room = in->cap - in->len - 1;
    if (room > max + 1 - in->len) room = max + 1 - in->len; /* one past max: too large */
    ssize_t k = read(fd, in->base + in->len, room);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) goto fail;
    if (k == 0) break;
    in->len += (size_t)k;
    if (in->len > max) {
      errno = EFBIG;
      goto fail;
    }
  }
  in->text[in->len] = '\0';
  return 0;
fail:;
  int saved = errno;
  pr_input_free(in);
  errno = saved;
  return -1;
}

void pr_input_release(pr_input *in, size_t from, size_t to) {
  if (!in->cap || to <= from) return;
  size_t page = page_size(), off = (size_t)(in->text - in->base);
  size_t start = (off + from + page - 1) / page * page, end = (off + to) / page * page;
  /* anonymous private memory: the pages come back as zeros if touched
     again, which the reader never does (it has read past them) */
  if (end > start) madvise(in->base + start, end - start, MADV_DONTNEED);
}

void pr_input_free(pr_input *in) {
  if (in->cap) munmap(in->base, in->cap);
  memset(in, 0, sizeof *in);
}
