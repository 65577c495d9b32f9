/* val.c - the template data's values and the bump arena they live in
   (val.h). */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

/* ---- the arena ---- */

#define FIRST_CHUNK 8192
#define ALIGN alignof(max_align_t)

struct pr_val_chunk {
  pr_val_chunk *next;
  size_t size;               /* bytes in data */
  max_align_t data[];        /* aligned for any value */
};

void *pr_val_arena_alloc(pr_val_arena *a, size_t n) {
  if (a->failed) return NULL;
  if (n == 0) n = 1;
  for (;;) {
    if (a->cur) {
      size_t at = (a->used + ALIGN - 1) & ~(ALIGN - 1);
      if (at <= a->cur->size && n <= a->cur->size - at) {
        a->used = at + n;
        return (char *)a->cur->data + at;
      }
      if (a->cur->next) { /* kept from before a reset: use it (skipped when too small) */
        a->cur = a->cur->next;
        a->used = 0;
        continue;
      }
    }
    /* a new last chunk, twice the size of the one before (so few of them),
       or as large as the request */
    size_t size = a->cur ? a->cur->size * 2 : FIRST_CHUNK;
    if (size < n) size = n;
    pr_val_chunk *c =
        size <= SIZE_MAX - sizeof(pr_val_chunk) ? malloc(sizeof(pr_val_chunk) + size) : NULL;
    if (!c) {
      a->failed = 1;
      return NULL;
    }
    c->next = NULL;
    c->size = size;
    if (a->cur) a->cur->next = c;
    else a->head = c;
    a->cur = c;
    a->used = 0;
  }
}

char *pr_val_arena_strndup(pr_val_arena *a, const char *s, size_t n) {
  char *p = n < SIZE_MAX ? pr_val_arena_alloc(a, n + 1) : NULL;
  if (!p) {
    a->failed = 1;
    return NULL;
  }
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

void pr_val_arena_reset(pr_val_arena *a) {
  a->cur = a->head;
  a->used = 0;
  a->failed = 0;
}

void pr_val_arena_free(pr_val_arena *a) {
  for (pr_val_chunk *c = a->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  memset(a, 0, sizeof *a);
}

/* ---- values ---- */

pr_val pr_val_copy(pr_val_arena *a, const char *s, size_t n) {
  char *p = pr_val_arena_strndup(a, s, n);
  return p ? pr_val_strn(p, n) : pr_val_null();
}

int pr_val_reserve(pr_val_arena *a, pr_val *v, size_t cap) {
  if (cap <= v->cap) return 0;
  size_t size = v->kind == PR_VAL_OBJECT ? sizeof(pr_member) : sizeof(pr_val);
  void *p = cap <= SIZE_MAX / size ? pr_val_arena_alloc(a, cap * size) : NULL;
  if (!p) {
    a->failed = 1;
    return -1;
  }
  /* the old items stay in the arena unused until it is reset */
  if (v->n) memcpy(p, v->kind == PR_VAL_OBJECT ? (void *)v->u.members : (void *)v->u.items,
                   v->n * size);
  if (v->kind == PR_VAL_OBJECT) v->u.members = p;
  else v->u.items = p;
  v->cap = cap;
  return 0;
}

static int grow(pr_val_arena *a, pr_val *v) {
  return v->n < v->cap ? 0 : pr_val_reserve(a, v, v->cap ? 2 * v->cap : 4);
}

int pr_val_push(pr_val_arena *a, pr_val *arr, pr_val item) {
  if (arr->kind != PR_VAL_ARRAY || grow(a, arr)) return -1;
  arr->u.items[arr->n++] = item;
  return 0;
}

int pr_val_add(pr_val_arena *a, pr_val *obj, const char *key, size_t klen, pr_val val) {
  if (obj->kind != PR_VAL_OBJECT || grow(a, obj)) return -1;
  obj->u.members[obj->n++] = (pr_member){key, klen, val};
  return 0;
}
