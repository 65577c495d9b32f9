/* val.h - internal: the data a Mustache template sees (render/render.h), as a
   small tree of values: null, false, true, integers, reals, strings (with a
   length: they may hold NUL bytes), arrays, and objects whose keys keep
   their insertion order.

   Values are built in a bump arena (pr_val_arena) that the renderer resets
   between entries: building an entry's data costs no malloc or free per
   node, and dropping it costs nothing at all. A string value either borrows
   its bytes (from text that outlives the render: an entry's fields, a
   string literal) or copies them into the arena.

   A pr_val is a handle passed by value: an array or object value points at
   its items in the arena, so copying the pr_val into a parent (pr_val_push,
   pr_val_add) is cheap; build a child completely before adding it, since
   what is added later to the local copy is not seen by the parent's copy.

   Objects are small (the largest, an entry, has about 30 keys), so a key is
   found by a linear scan comparing lengths first; a key is added without
   checking whether it is already there, and the first one added wins. */
#ifndef PR_VAL_H
#define PR_VAL_H

#include <stddef.h>
#include <string.h>

/* ---- the arena ----
   Unlike the bib's pr_arena (util.h), which holds a bib's entries as
   long as the bib lives, this one is emptied for each entry and its memory
   used again, and it remembers a failed allocation, so a whole tree can be
   built before checking once. */

typedef struct pr_val_chunk pr_val_chunk;

typedef struct pr_val_arena {
  pr_val_chunk *head;  /* every chunk, in the order they are used */
  pr_val_chunk *cur;   /* the chunk being filled */
  size_t used;         /* bytes of cur in use */
  int failed;          /* an allocation failed: what was built is incomplete */
} pr_val_arena;

/* n bytes aligned for any value, or NULL when out of memory (a->failed is
   then set, and every later allocation fails until pr_val_arena_reset). */
void *pr_val_arena_alloc(pr_val_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *pr_val_arena_strndup(pr_val_arena *a, const char *s, size_t n);
/* Forget everything allocated (and the failed flag); the memory is kept
   for what is allocated next. */
void pr_val_arena_reset(pr_val_arena *a);
/* Release the memory; a is empty and usable again. */
void pr_val_arena_free(pr_val_arena *a);

/* ---- values ---- */

typedef enum pr_val_kind {
  PR_VAL_NULL,
  PR_VAL_FALSE,
  PR_VAL_TRUE,
  PR_VAL_INT,
  PR_VAL_REAL,
  PR_VAL_STRING,
  PR_VAL_ARRAY,
  PR_VAL_OBJECT
} pr_val_kind;

typedef struct pr_member pr_member;
typedef struct pr_val {
  pr_val_kind kind;
  size_t n;         /* string: bytes; array: items; object: members */
  size_t cap;       /* array, object: room allocated for items or members */
  union {
    long long i;
    double r;
    const char *s;  /* string: n bytes (NUL-terminated when copied) */
    struct pr_val *items;
    pr_member *members;
  } u;
} pr_val;

struct pr_member {
  const char *key;  /* borrowed: keys are usually string literals */
  size_t klen;
  pr_val val;
};

static inline pr_val pr_val_null(void) { return (pr_val){.kind = PR_VAL_NULL}; }
static inline pr_val pr_val_bool(int b) { return (pr_val){.kind = b ? PR_VAL_TRUE : PR_VAL_FALSE}; }
static inline pr_val pr_val_int(long long i) { return (pr_val){.kind = PR_VAL_INT, .u.i = i}; }
static inline pr_val pr_val_real(double r) { return (pr_val){.kind = PR_VAL_REAL, .u.r = r}; }
/* A string borrowing s[0..n): s must outlive every use of the value. */
static inline pr_val pr_val_strn(const char *s, size_t n) {
  return (pr_val){.kind = PR_VAL_STRING, .n = n, .u.s = s};
}
static inline pr_val pr_val_str(const char *s) { return pr_val_strn(s, strlen(s)); }
static inline pr_val pr_val_array(void) { return (pr_val){.kind = PR_VAL_ARRAY}; }
static inline pr_val pr_val_object(void) { return (pr_val){.kind = PR_VAL_OBJECT}; }

/* A string holding a copy of s[0..n) in the arena; null when out of memory. */
pr_val pr_val_copy(pr_val_arena *a, const char *s, size_t n);
/* Make room for cap items or members in array or object v (optional: they
   grow by doubling). 0, or -1 when out of memory. */
int pr_val_reserve(pr_val_arena *a, pr_val *v, size_t cap);
/* Append item to array arr. 0, or -1 when out of memory. */
int pr_val_push(pr_val_arena *a, pr_val *arr, pr_val item);
/* Add key (key[0..klen), borrowed) = val to object obj; key must not be in
   obj yet. 0, or -1 when out of memory. */
int pr_val_add(pr_val_arena *a, pr_val *obj, const char *key, size_t klen, pr_val val);
/* A key given as a string literal: pr_val_add(a, &o, PR_KEY("title"), v). */
#define PR_KEY(lit) ("" lit), (sizeof(lit) - 1)
/* obj[key], or NULL when obj is not an object or has no such key. Inline:
   the Mustache renderer calls it for every name of every tag. */
static inline const pr_val *pr_val_get(const pr_val *obj, const char *key, size_t klen) {
  if (!obj || obj->kind != PR_VAL_OBJECT) return NULL;
  for (size_t i = 0; i < obj->n; i++) {
    const pr_member *m = &obj->u.members[i];
    if (m->klen == klen && (klen == 0 || (m->key[0] == key[0] && memcmp(m->key, key, klen) == 0)))
      return &m->val;
  }
  return NULL;
}

#endif
