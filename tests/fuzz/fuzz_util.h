/* fuzz_util.h - helpers shared by the fuzz targets (header-only).
 *
 * Besides "does not crash, does not leak", the targets check a few
 * documented properties of the output (valid UTF-8, no NUL, nesting of
 * marked text, safe link schemes). A violation calls FUZZ_FAIL, which
 * prints what was wrong and aborts, so libFuzzer saves the input as a crash
 * and the replay programs fail.
 */
#ifndef PR_FUZZ_UTIL_H
#define PR_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_FAIL(...)                                                        \
  do {                                                                        \
    fprintf(stderr, "%s:%d: fuzz check failed: ", __FILE__, __LINE__);      \
    fprintf(stderr, __VA_ARGS__);                                             \
    fputc('\n', stderr);                                                      \
    abort();                                                                  \
  } while (0)

/* A NUL-terminated copy of data, cut at its first NUL byte. NULL only when
   out of memory. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t n = nul ? (size_t)(nul - data) : size;
  char *s = malloc(n + 1);
  if (!s) return NULL;
  memcpy(s, data, n);
  s[n] = '\0';
  return s;
}

/* Read every byte of a string the library handed out (ASan/valgrind then
   catch a dangling or unterminated one); returns its length. */
static inline size_t fuzz_touch(const char *s) {
  if (!s) return 0;
  volatile size_t n = strlen(s);
  return n;
}

/* Offset of the first byte that is not part of valid UTF-8 (no overlongs,
   surrogates or code points past U+10FFFF), or n when it is all valid. */
static inline size_t fuzz_utf8_bad(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    size_t len;
    unsigned cp, min;
    if (c < 0x80) { i++; continue; }
    if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000, cp = c & 0x07;
    else return i;
    if (n - i < len) return i;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += len;
  }
  return n;
}

/* FUZZ_FAIL unless s (n bytes) is valid UTF-8 without NUL bytes. */
static inline void fuzz_check_text(const char *what, const char *s, size_t n) {
  if (!s) return;
  if (memchr(s, 0, n)) FUZZ_FAIL("%s: NUL byte at offset %zu", what, (size_t)((const char *)memchr(s, 0, n) - s));
  size_t bad = fuzz_utf8_bad(s, n);
  if (bad != n) FUZZ_FAIL("%s: invalid UTF-8 at offset %zu (byte 0x%02x)", what, bad, (unsigned char)s[bad]);
}

#endif
