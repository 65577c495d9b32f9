/* encoding.c - input bytes to UTF-8: a BOM is dropped, Latin-1 is
   converted on request, and invalid UTF-8 is reported (once per line, with
   the line) and replaced by U+FFFD, so nothing downstream sees bad bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "read/read.h"


/* Line of offset i, counting on from (*at, *line). */
static unsigned line_of(const unsigned char *s, size_t i, size_t *at, unsigned *line) {
  for (const unsigned char *p = s + *at, *end = s + i;
       (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    (*line)++;
  *at = i;
  return *line;
}

int pr_decode_input(pr_diags *diags, const char *file, pr_input *in, pr_encoding enc) {
  if (in->len >= 3 && memcmp(in->text, "\xef\xbb\xbf", 3) == 0) in->text += 3, in->len -= 3;
  const unsigned char *s = (const unsigned char *)in->text;
  size_t len = in->len, i = 0;
  for (;;) { /* the common case: valid UTF-8, nothing to copy */
    i = pr_skip_ascii(s, i, len);
    if (i == len) return 0;
    size_t k = enc == PR_ENCODING_LATIN1 ? 0 : pr_utf8_len(s + i, len - i);
    if (!k) break;
    i += k;
  }
  pr_buf b = {0};
  unsigned line = 1, reported = 0;
  size_t counted = 0, run = 0; /* start of the pending run of good bytes */
  while (i < len) {
    if (s[i] < 0x80) { i++; continue; }
    size_t k = enc == PR_ENCODING_LATIN1 ? 0 : pr_utf8_len(s + i, len - i);
    if (k) { i += k; continue; }
    pr_buf_put(&b, (const char *)s + run, i - run);
    if (enc == PR_ENCODING_LATIN1) {
      pr_buf_putc(&b, (char)(0xc0 | (s[i] >> 6)));
      pr_buf_putc(&b, (char)(0x80 | (s[i] & 0x3f)));
    } else {
      pr_buf_puts(&b, "\xef\xbf\xbd");
      line_of(s, i, &counted, &line);
      if (reported != line &&
          pr_diagx(diags, PR_ERROR, "invalid-utf8", NULL, NULL, file, line,
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
