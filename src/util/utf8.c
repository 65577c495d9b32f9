/* utf8.c - repairing invalid UTF-8 (what a message quotes may be cut inside a
   character). */
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

/* Length of the longest valid UTF-8 prefix of s[0..n). */
static size_t valid_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
  for (;;) {
    i = pr_skip_ascii(s, i, n);
    if (i == n) return n;
    size_t k = pr_utf8_len(s + i, n - i);
    if (!k) return i;
    i += k;
  }
}

char *pr_utf8_repair(const char *s) {
  size_t n = strlen(s), i = valid_prefix((const unsigned char *)s, n);
  if (i == n) return NULL;
  pr_buf b = {0};
  while (i < n) {
    pr_buf_put(&b, s, i);
    pr_buf_puts(&b, "\xef\xbf\xbd");
    s += i + 1;
    n -= i + 1;
    while (n && ((unsigned char)*s & 0xc0) == 0x80) s++, n--; /* the rest of the bad sequence */
    i = valid_prefix((const unsigned char *)s, n);
  }
  pr_buf_put(&b, s, n);
  return b.failed ? NULL : pr_buf_take(&b);
}
