/* nfc_check.c - checks the NFC shortcut of src/read/latex.c (nfc_inert, copied
 * here: keep in sync by hand) against utf8proc: for
 * every code point it calls inert, NFC must leave it unchanged alone and
 * next to other inert characters and to plain letters.
 *   cc -O2 bench/nfc_check.c -lutf8proc && ./a.out
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static bool nfc_inert(int32_t cp) {
  if (cp < 0x300 && !getenv("FULL")) return true;
  if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
      (cp >= 0xD7B0 && cp <= 0xD7FF))
    return false;
  const utf8proc_property_t *p = utf8proc_get_property(cp);
  if (p->category == UTF8PROC_CATEGORY_CN || p->combining_class || p->comp_exclusion)
    return false;
  if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return false; /* a second */
  if (p->decomp_seqindex != UINT16_MAX && !p->decomp_type) { /* canonical decomposition */
    utf8proc_int32_t d[8];
    int bound = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bound);
    if (k < 2 || k > 8) return false;
    const utf8proc_property_t *q = utf8proc_get_property(d[0]);
    if (q->combining_class || (q->comb_index != UINT16_MAX && (q->comb_index & 0x8000)))
      return false;
    /* recomposes to itself (not a singleton such as U+212B, U+1F71) */
    if (utf8proc_normalize_utf32(d, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE) != 1 || d[0] != cp)
      return false;
  }
  return true;
}


static int same(const int32_t *cps, int n) {
  utf8proc_uint8_t buf[64];
  size_t len = 0;
  for (int i = 0; i < n; i++) len += (size_t)utf8proc_encode_char(cps[i], buf + len);
  utf8proc_uint8_t *out = NULL;
  utf8proc_ssize_t k = utf8proc_map(buf, (utf8proc_ssize_t)len, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  int ok = k == (utf8proc_ssize_t)len && memcmp(out, buf, len) == 0;
  free(out);
  return ok;
}

int main(void) {
  static int32_t inert[0x110000];
  int n = 0, bad = 0;
  for (int32_t cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    if (cp < 0x300 && !nfc_inert(cp)) { printf("U+%04X below 0x300 not inert\n", cp); bad++; }
    if (nfc_inert(cp)) inert[n++] = cp;
  }
  const int32_t probes[] = {'a', 'e', 0xE9, 0xC5, 0x3B1, 0x1100, 0xAC00, 0x0B47, 0x0CC6, 0x0915};
  for (int i = 0; i < n; i++) {
    int32_t c = inert[i];
    int32_t one[1] = {c};
    if (!same(one, 1)) { printf("U+%04X alone\n", c); bad++; continue; }
    for (size_t j = 0; j < sizeof probes / sizeof *probes; j++) {
      int32_t p = probes[j];
      if (!nfc_inert(p)) continue;
      int32_t ab[2] = {p, c}, ba[2] = {c, p};
      if (!same(ab, 2) || !same(ba, 2)) { printf("U+%04X next to U+%04X\n", c, p); bad++; }
    }
    int32_t cc[2] = {c, c};
    if (!same(cc, 2)) { printf("U+%04X twice\n", c); bad++; }
    int32_t nb[2] = {c, inert[(int)(((long)i * 7919 + 13) % n)]}; /* a pseudo-random neighbour */
    if (!same(nb, 2)) { printf("U+%04X U+%04X\n", nb[0], nb[1]); bad++; }
  }
  printf("%d inert code points, %d problems\n", n, bad);
  return bad != 0;
}
