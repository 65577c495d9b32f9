/* encoding.c - input bytes to UTF-8: a BOM is dropped, Latin-1 is
   converted on request, and invalid UTF-8 is reported (once per line, with
   the line) and replaced by U+FFFD, so nothing downstream sees bad bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned min;
  if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80;
  else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800;
  else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000;
  else return 0;
  if (n < len) return 0;
  unsigned cp = c & (0xff >> (len + 1));
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

/* Index of the first byte of s[i..len) that is not ASCII, or len. */
static size_t skip_ascii(const unsigned char *s, size_t i, size_t len) {
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    if (w & 0x8080808080808080ULL) break;
  }
  while (i < len && s[i] < 0x80) i++;
  return i;
}

/* Line of offset i, counting on from (*at, *line). */
static unsigned line_of(const unsigned char *s, size_t i, size_t *at, unsigned *line) {
  for (const unsigned char *p = s + *at, *end = s + i;
       (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    (*line)++;
  *at = i;
  return *line;
}

int pr_decode_input(pr_bib *bib, const char *file, pr_input *in, pr_encoding enc) {
  if (in->len >= 3 && memcmp(in->text, "\xef\xbb\xbf", 3) == 0) in->text += 3, in->len -= 3;
  const unsigned char *s = (const unsigned char *)in->text;
  size_t len = in->len, i = 0;
  for (;;) { /* the common case: valid UTF-8, nothing to copy */
    i = skip_ascii(s, i, len);
    if (i == len) return 0;
    size_t k = enc == PR_ENCODING_LATIN1 ? 0 : utf8_len(s + i, len - i);
    if (!k) break;
    i += k;
  }
  pr_buf b = {0};
  unsigned line = 1, reported = 0;
  size_t counted = 0, run = 0; /* start of the pending run of good bytes */
  while (i < len) {
    if (s[i] < 0x80) { i++; continue; }
    size_t k = enc == PR_ENCODING_LATIN1 ? 0 : utf8_len(s + i, len - i);
    if (k) { i += k; continue; }
    pr_buf_put(&b, (const char *)s + run, i - run);
    if (enc == PR_ENCODING_LATIN1) {
      pr_buf_putc(&b, (char)(0xc0 | (s[i] >> 6)));
      pr_buf_putc(&b, (char)(0x80 | (s[i] & 0x3f)));
    } else {
      pr_buf_puts(&b, "\xef\xbf\xbd");
      line_of(s, i, &counted, &line);
      if (reported != line &&
          pr_bib_diagf(bib, PR_ERROR, file, line,
                       "invalid UTF-8 (byte 0x%02x), read as U+FFFD; if the file is Latin-1, "
                       "use --encoding latin1",
                       s[i])) {
        pr_buf_free(&b);
        return -1;
      }
      reported = line;
    }
    run = ++i;
  }
  pr_buf_put(&b, (const char *)s + run, len - run);
  pr_input out;
  if (b.failed || pr_input_from_buffer(&out, b.data ? b.data : "", b.len)) {
    pr_buf_free(&b);
    return -1;
  }
  pr_buf_free(&b);
  pr_input_free(in);
  *in = out;
  return 0;
}

/* Length of the longest valid UTF-8 prefix of s[0..n). */
static size_t valid_prefix(const unsigned char *s, size_t n) {
  size_t i = 0;
  for (;;) {
    i = skip_ascii(s, i, n);
    if (i == n) return n;
    size_t k = utf8_len(s + i, n - i);
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
