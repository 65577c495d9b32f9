/* encoding.c - input bytes to UTF-8: a BOM is dropped, Latin-1 is
   converted on request, and invalid UTF-8 is reported (once per line, with
   the line) and replaced by U+FFFD, so nothing downstream sees bad bytes. */
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

char *pr_decode_input(pr_bib *bib, const char *file, const char *data, size_t len,
                      pr_encoding enc, size_t *outlen) {
  const unsigned char *s = (const unsigned char *)data;
  if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) s += 3, len -= 3;
  pr_buf b = {0};
  unsigned line = 1, reported = 0;
  size_t run = 0; /* start of the pending run of good bytes */
  for (size_t i = 0; i < len;) {
    if (s[i] == '\n') line++;
    if (s[i] < 0x80) { i++; continue; }
    size_t k = enc == PR_ENCODING_LATIN1 ? 0 : utf8_len(s + i, len - i);
    if (k) { i += k; continue; }
    pr_buf_put(&b, (const char *)s + run, i - run);
    if (enc == PR_ENCODING_LATIN1) {
      pr_buf_putc(&b, (char)(0xc0 | (s[i] >> 6)));
      pr_buf_putc(&b, (char)(0x80 | (s[i] & 0x3f)));
    } else {
      pr_buf_puts(&b, "\xef\xbf\xbd");
      if (reported != line &&
          pr_bib_diagf(bib, PR_ERROR, file, line,
                       "invalid UTF-8 (byte 0x%02x), read as U+FFFD; if the file is Latin-1, "
                       "use --encoding latin1",
                       s[i])) {
        pr_buf_free(&b);
        return NULL;
      }
      reported = line;
    }
    run = ++i;
  }
  pr_buf_put(&b, (const char *)s + run, len - run);
  *outlen = b.len;
  return pr_buf_take(&b);
}
