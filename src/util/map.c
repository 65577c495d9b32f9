/* map.c - a string-keyed hash map (open addressing) from a string
   to a size_t. Used for duplicate keys, crossref lookup and once-only
   warnings, so none of those is quadratic. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

/* Eight bytes at a time (keys are field values up to 64 bytes, names,
   citation keys): a multiply and a rotate per word, mixed at the end. */
static uint64_t hash(const char *s) {
  const uint64_t k = 0x9e3779b97f4a7c15ULL;
  size_t n = strlen(s);
  uint64_t h = n * k, w;
  for (; n >= 8; n -= 8, s += 8) {
    memcpy(&w, s, 8);
    h = ((h ^ w) * k);
    h = (h << 29) | (h >> 35);
  }
  if (n) {
    w = 0;
    for (size_t i = 0; i < n; i++) w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ w) * k;
  }
  h ^= h >> 32;
  h *= k;
  return h ^ (h >> 29);
}

static size_t slot(const pr_map *m, const char *key) {
  size_t i = (size_t)hash(key) & (m->cap - 1);
  while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & (m->cap - 1);
  return i;
}

int pr_map_get(const pr_map *m, const char *key, size_t *val) {
  if (!m->cap) return 0;
  size_t i = slot(m, key);
  if (!m->keys[i]) return 0;
  if (val) *val = m->vals[i];
  return 1;
}

static int grow(pr_map *m) {
  size_t cap = m->cap ? m->cap * 2 : 64;
  pr_map n = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), 0, cap, m->borrow};
  if (!n.keys || !n.vals) {
    free(n.keys);
    free(n.vals);
    return -1;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = slot(&n, m->keys[i]);
    n.keys[j] = m->keys[i];
    n.vals[j] = m->vals[i];
  }
  n.n = m->n;
  free(m->keys);
  free(m->vals);
  *m = n;
  return 0;
}

int pr_map_put(pr_map *m, const char *key, size_t val) {
  if ((m->n + 1) * 4 > m->cap * 3 && grow(m)) return -1; /* at most 3/4 full */
  size_t i = slot(m, key);
  if (!m->keys[i]) {
    if (!(m->keys[i] = m->borrow ? (char *)key : pr_strdup(key))) return -1;
    m->n++;
  }
  m->vals[i] = val;
  return 0;
}

void pr_map_free(pr_map *m) {
  if (!m->borrow)
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
  free(m->keys);
  free(m->vals);
  int borrow = m->borrow;
  memset(m, 0, sizeof *m);
  m->borrow = borrow;
}
