/* buf.c - growable byte buffer, arena and string helpers. */
#define _GNU_SOURCE /* madvise */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "util/util.h"

static int grow(pr_buf *b, size_t need) {
  if (b->failed) return -1;
  if (b->len + need + 1 <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + need + 1) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) { b->failed = 1; return -1; }
  b->data = p;
  b->cap = cap;
  return 0;
}

void pr_buf_put(pr_buf *b, const char *s, size_t n) {
  if (n == 0 || grow(b, n) != 0) return;
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void pr_buf_puts(pr_buf *b, const char *s) { pr_buf_put(b, s, strlen(s)); }

void pr_buf_putc(pr_buf *b, char c) { pr_buf_put(b, &c, 1); }

void pr_buf_printf(pr_buf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    pr_buf_put(b, tmp, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) { b->failed = 1; return; }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  pr_buf_put(b, big, (size_t)n);
  free(big);
}

char *pr_buf_take(pr_buf *b) {
  char *p = NULL;
  if (!b->failed) {
    if (!b->data) { b->data = malloc(1); if (b->data) b->data[0] = '\0'; }
    p = b->data;
    b->data = NULL;
  }
  pr_buf_free(b);
  return p;
}

void pr_buf_free(pr_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

int pr_buf_flush(pr_buf *b) {
  if (!b->sink || b->failed) return b->sink_failed ? -1 : 0;
  if (b->len && b->sink(b->data, b->len, b->sink_ctx) != 0) {
    b->sink_failed = b->failed = 1;
    return -1;
  }
  b->len = 0;
  return 0;
}

void pr_buf_drain(pr_buf *b) {
  if (b->sink && b->len >= 65536) pr_buf_flush(b);
}

char *pr_strndup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *pr_strdup(const char *s) { return pr_strndup(s, strlen(s)); }

/* ---- arena ---- */

struct pr_arena_chunk {
  struct pr_arena_chunk *next;
  size_t used, cap;
  _Alignas(8) char data[];
};

#define ARENA_CHUNK ((size_t)1 << 20) /* above malloc's mmap threshold: no heap churn */
/* An arena's later chunks: one transparent huge page each (x86-64 and
   aarch64 with 4 KiB pages), asked for with MADV_HUGEPAGE, so that filling
   one costs one page fault instead of 512 (page faults are dear on a VM).
   A large bibliography's records fill hundreds of them; a small one never
   gets past its first chunk, which stays ordinary. With the input in huge
   pages too (input.c), the 50 MB benchmark went from 37,500 page faults to
   5,700 and from 1.43 to 1.10 s (HTML), for 3 MiB more peak RSS. */
#define ARENA_HUGE ((size_t)2 << 20)

static pr_arena_chunk *new_chunk(int later) {
  pr_arena_chunk *c = NULL;
  size_t cap = ARENA_CHUNK;
#ifdef MADV_HUGEPAGE
  /* glibc maps about twice the size for the alignment (address space, not
     memory); when that is refused (a tight RLIMIT_AS), an ordinary chunk */
  void *m = NULL;
  if (later && posix_memalign(&m, ARENA_HUGE, ARENA_HUGE) == 0) {
    madvise(m, ARENA_HUGE, MADV_HUGEPAGE); /* a hint: without huge pages it is memory as any */
    c = m;
    cap = ARENA_HUGE - sizeof *c;
  }
#else
  (void)later;
#endif
  if (!c && !(c = malloc(sizeof *c + ARENA_CHUNK))) return NULL;
  c->used = 0;
  c->cap = cap;
  return c;
}

/* n bytes aligned to align (1 or 8). */
static void *arena_alloc(pr_arena *a, size_t n, size_t align) {
  pr_arena_chunk *c = a->head;
  if (c) c->used = (c->used + align - 1) & ~(align - 1);
  if (c && c->used > c->cap) c->used = c->cap;
  if (!c || c->cap - c->used < n) {
    if (n > ARENA_CHUNK / 4) { /* a big one gets a chunk of its own, behind the head */
      pr_arena_chunk *big = malloc(sizeof *big + n);
      if (!big) return NULL;
      big->used = big->cap = n;
      if (c) { big->next = c->next; c->next = big; }
      else { big->next = NULL; a->head = big; }
      return big->data;
    }
    if (!(c = new_chunk(a->head != NULL))) return NULL;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->data + c->used;
  c->used += n;
  return p;
}

void *pr_arena_alloc(pr_arena *a, size_t n) { return arena_alloc(a, (n + 7) & ~(size_t)7, 8); }

char *pr_arena_strndup(pr_arena *a, const char *s, size_t n) {
  if (n == 0) return (char *)"";
  char *p = arena_alloc(a, n + 1, 1); /* strings need no alignment */
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *pr_arena_strdup(pr_arena *a, const char *s) { return pr_arena_strndup(a, s, strlen(s)); }

void pr_arena_take(pr_arena *dst, pr_arena *src) {
  if (!src->head) return;
  pr_arena_chunk *tail = src->head;
  while (tail->next) tail = tail->next;
  if (dst->head) { /* behind dst's head, which stays the one allocated from */
    tail->next = dst->head->next;
    dst->head->next = src->head;
  } else {
    dst->head = src->head;
  }
  src->head = NULL;
}

void pr_arena_free(pr_arena *a) {
  while (a->head) {
    pr_arena_chunk *next = a->head->next;
    free(a->head);
    a->head = next;
  }
}

size_t pr_count_newlines(const char *s, size_t n) {
  size_t lines = 0;
  for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++) lines++;
  return lines;
}
