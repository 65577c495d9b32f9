/* cli_diff.c - what --check prints when FILE is not up to date: the changed
   lines as a bounded unified diff (Myers' O(ND) algorithm on whole lines). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

enum {
  CONTEXT = 3,          /* unchanged lines around a change */
  MAX_SHOWN = 40,       /* diff lines printed (hunk headers, context, - and +) */
  MAX_LINE = 1000,      /* bytes of one line printed */
  MAX_D = 1000          /* edits Myers looks for before it gives up (see below) */
};
#define MAX_WORK 20000000L /* line comparisons, likewise */

/* A line with its '\n' (the last may have none), and a hash of it. */
typedef struct {
  const char *s;
  size_t n;
  uint64_t h;
} line;

/* A change: a_len lines of the old text at a0 replaced by b_len lines of
   the new one at b0 (0-based). */
typedef struct {
  size_t a0, a_len, b0, b_len;
} change;

static line *split_lines(const char *d, size_t len, size_t *count) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++) n += d[i] == '\n';
  line *v = malloc((n + 2) * sizeof *v);
  if (!v) return NULL;
  n = 0;
  for (size_t i = 0; i < len;) {
    const char *nl = memchr(d + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - d) + 1 : len;
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t k = i; k < end; k++) h = (h ^ (unsigned char)d[k]) * 1099511628211u;
    v[n++] = (line){d + i, end - i, h};
    i = end;
  }
  *count = n;
  return v;
}

static int same(const line *a, const line *b) {
  return a->h == b->h && a->n == b->n && memcmp(a->s, b->s, a->n) == 0;
}

/* ---- the edit script ---- */

typedef struct {
  change *v;
  size_t n, cap;
  int oom;
} changes;

/* One line deleted (del) or inserted at (x, y) of the middle part, in
   forward order: merged into the change it continues. */
static void add_edit(changes *c, size_t x, size_t y, int del) {
  change *last = c->n ? &c->v[c->n - 1] : NULL;
  if (!last || x != last->a0 + last->a_len || y != last->b0 + last->b_len) {
    if (c->n == c->cap) {
      size_t cap = c->cap ? 2 * c->cap : 16;
      change *v = realloc(c->v, cap * sizeof *v);
      if (!v) {
        c->oom = 1;
        return;
      }
      c->v = v;
      c->cap = cap;
    }
    last = &c->v[c->n++];
    *last = (change){x, 0, y, 0};
  }
  if (del) last->a_len++;
  else last->b_len++;
}

/* Myers' greedy shortest edit script between a[0..n) and b[0..m), keeping
   each round's furthest points to walk back. 0 and the changes in *out
   (offset by `off`), or -1 when it needs more than MAX_D edits or MAX_WORK
   comparisons (a rewritten file: the caller shows one change instead). */
static int myers(const line *a, size_t n, const line *b, size_t m, size_t off, changes *out) {
  if (n > INT32_MAX / 2 || m > INT32_MAX / 2) return -1;
  int32_t *v = malloc((2 * MAX_D + 3) * sizeof *v);
  int32_t *trace = malloc((size_t)(MAX_D + 1) * (MAX_D + 1) * sizeof *trace);
  if (!v || !trace) {
    free(v);
    free(trace);
    return -1;
  }
  int32_t *V = v + MAX_D + 1; /* V[k], k in [-d-1, d+1] */
  long work = 0;
  int found = -1;
  V[1] = 0;
  for (int d = 0; d <= MAX_D && found < 0 && work <= MAX_WORK; d++) {
    for (int k = -d; k <= d; k += 2) {
      int32_t x = (k == -d || (k != d && V[k - 1] < V[k + 1])) ? V[k + 1] : V[k - 1] + 1;
      int32_t y = x - k;
      while ((size_t)x < n && (size_t)y < m && same(&a[x], &b[y])) x++, y++, work++;
      V[k] = x;
      if ((size_t)x >= n && (size_t)y >= m) found = d;
    }
    memcpy(trace + (size_t)d * d, V - d, (2 * (size_t)d + 1) * sizeof *trace);
  }
  int rc = -1;
  if (found >= 0) {
    /* walk back, collecting the edits (last first) */
    size_t ne = 0;
    struct edit { int32_t x, y; int del; } *e = malloc(((size_t)found + 1) * sizeof *e);
    int32_t x = (int32_t)n, y = (int32_t)m;
    for (int d = found; e && d > 0; d--) {
      const int32_t *P = trace + (size_t)(d - 1) * (d - 1) + (d - 1); /* P[k], |k| < d */
      int k = x - y;
      int down = k == -d || (k != d && P[k - 1] < P[k + 1]);
      int pk = down ? k + 1 : k - 1;
      int32_t px = P[pk], py = px - pk;
      if (down) e[ne++] = (struct edit){px, py, 0};
      else e[ne++] = (struct edit){px, py, 1};
      x = px;
      y = py;
    }
    if (e) {
      for (size_t i = ne; i-- > 0;) add_edit(out, off + (size_t)e[i].x, off + (size_t)e[i].y, e[i].del);
      rc = out->oom ? -1 : 0;
    }
    free(e);
  }
  free(v);
  free(trace);
  return rc;
}

/* ---- printing ---- */

/* Length of the UTF-8 character at s (n bytes left), or 0 when the bytes
   are not one (or it is a C1 control character). */
static size_t utf8_char(const unsigned char *s, size_t n) {
  size_t len = s[0] < 0xc2 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3 : s[0] < 0xf5 ? 4 : 0;
  if (!len || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0) return 0;      /* U+0080..U+009F */
  if (len == 3 && s[0] == 0xe0 && s[1] < 0xa0) return 0;      /* overlong */
  if (len == 3 && s[0] == 0xed && s[1] >= 0xa0) return 0;     /* surrogate */
  if (len == 4 && s[0] == 0xf0 && s[1] < 0x90) return 0;      /* overlong */
  if (len == 4 && s[0] == 0xf4 && s[1] >= 0x90) return 0;     /* > U+10FFFF */
  return len;
}

/* One diff line: the mark, then the line with control characters and bytes
   that are not UTF-8 escaped (\t, \r, \xHH), at most MAX_LINE bytes of it. */
static void print_line(char mark, const line *l) {
  const unsigned char *s = (const unsigned char *)l->s;
  int nl = l->n && s[l->n - 1] == '\n';
  size_t n = l->n - (size_t)nl, i = 0;
  fputc(mark, stderr);
  while (i < n && i < MAX_LINE) {
    size_t k = s[i] < 0x80 ? 1 : utf8_char(s + i, n - i);
    if (k > 1) fwrite(s + i, 1, k, stderr);
    else if (k == 1 && s[i] >= 0x20 && s[i] != 0x7f) fputc(s[i], stderr);
    else if (s[i] == '\t') fputs("\\t", stderr);
    else if (s[i] == '\r') fputs("\\r", stderr);
    else fprintf(stderr, "\\x%02x", s[i]);
    i += k > 1 ? k : 1;
  }
  if (i < n) fprintf(stderr, "\xe2\x80\xa6 (%zu more bytes)", n - i);
  fputc('\n', stderr);
  if (!nl) fputs("\\ No newline at end of file\n", stderr);
}

static int line_order(const void *x, const void *y) {
  const line *p = x, *q = y;
  if (p->h != q->h) return p->h < q->h ? -1 : 1;
  if (p->n != q->n) return p->n < q->n ? -1 : 1;
  return memcmp(p->s, q->s, p->n);
}

/* How many lines of a are not in b and of b not in a, each line counted as
   often as it occurs (sorted copies). */
static void only_in_one(const line *a, size_t na, const line *b, size_t nb, size_t *removed,
                        size_t *added) {
  line *sa = malloc((na + 1) * sizeof *sa), *sb = malloc((nb + 1) * sizeof *sb);
  *removed = na;
  *added = nb;
  if (sa && sb) {
    memcpy(sa, a, na * sizeof *sa);
    memcpy(sb, b, nb * sizeof *sb);
    qsort(sa, na, sizeof *sa, line_order);
    qsort(sb, nb, sizeof *sb, line_order);
    for (size_t i = 0, j = 0; i < na && j < nb;) {
      int c = line_order(&sa[i], &sb[j]);
      if (c == 0) --*removed, --*added, i++, j++;
      else if (c < 0) i++;
      else j++;
    }
  }
  free(sa);
  free(sb);
}

void diff_summary(const char *path, const char *old, size_t oldlen, const char *cur,
                  size_t curlen) {
  size_t na = 0, nb = 0;
  line *a = split_lines(old, oldlen, &na), *b = split_lines(cur, curlen, &nb);
  changes ch = {0};
  char *name = shown_name(path);
  if (!a || !b) goto plain;
  size_t pre = 0, suf = 0;
  while (pre < na && pre < nb && same(&a[pre], &b[pre])) pre++;
  while (suf < na - pre && suf < nb - pre && same(&a[na - 1 - suf], &b[nb - 1 - suf])) suf++;
  size_t added = 0, removed = 0, ma = na - pre - suf, mb = nb - pre - suf;
  int approx = myers(a + pre, ma, b + pre, mb, pre, &ch) != 0;
  if (approx) {
    /* Too many differences for an exact diff in bounded time (a changed
       --highlight touches every entry): the first WINDOW lines of each
       side, diffed, show what the changes look like; the counts are those
       of lines only in one side (a lower bound). */
    enum { WINDOW = 300 };
    size_t wa = ma < WINDOW ? ma : WINDOW, wb = mb < WINDOW ? mb : WINDOW;
    ch.n = 0;
    ch.oom = 0;
    if (myers(a + pre, wa, b + pre, wb, pre, &ch) == 0) {
      /* changes at the window's end may be cut off there: dropped */
      while (ch.n > 1 && (ch.v[ch.n - 1].a0 + ch.v[ch.n - 1].a_len + CONTEXT >= pre + wa ||
                          ch.v[ch.n - 1].b0 + ch.v[ch.n - 1].b_len + CONTEXT >= pre + wb))
        ch.n--;
    } else {
      ch.n = 0;
    }
    if (ch.n == 0) {
      ch.oom = 0;
      add_edit(&ch, pre, pre, 1); /* one change: the whole differing middle */
      if (ch.oom) goto plain;
      ch.v[0].a_len = ma;
      ch.v[0].b_len = mb;
    }
    only_in_one(a + pre, ma, b + pre, mb, &removed, &added);
  }
  if (ch.n == 0) goto plain; /* cannot happen: the texts differ */
  for (size_t i = 0; !approx && i < ch.n; i++) added += ch.v[i].b_len, removed += ch.v[i].a_len;
  fprintf(stderr, "pubrender: %s is not up to date: %zu line%s added, %zu removed; "
          "first difference at line %zu\n--- %s (on disk)\n+++ %s (rendered)\n", name, added,
          added == 1 ? "" : "s", removed, ch.v[0].a0 + 1, name, name);
  size_t shown = 0, left = added + removed, shown_changes = 0;
  for (size_t i = 0; i < ch.n && shown < MAX_SHOWN;) {
    /* a hunk: changes whose unchanged lines between are at most 2 * CONTEXT */
    size_t j = i;
    while (j + 1 < ch.n && ch.v[j + 1].a0 - (ch.v[j].a0 + ch.v[j].a_len) <= 2 * CONTEXT) j++;
    size_t a0 = ch.v[i].a0 > CONTEXT ? ch.v[i].a0 - CONTEXT : 0;
    size_t b0 = ch.v[i].b0 - (ch.v[i].a0 - a0);
    size_t a1 = ch.v[j].a0 + ch.v[j].a_len + CONTEXT;
    if (a1 > na) a1 = na;
    size_t b1 = ch.v[j].b0 + ch.v[j].b_len + (a1 - (ch.v[j].a0 + ch.v[j].a_len));
    fprintf(stderr, "@@ -%zu,%zu +%zu,%zu @@\n", a1 > a0 ? a0 + 1 : a0, a1 - a0,
            b1 > b0 ? b0 + 1 : b0, b1 - b0);
    shown++;
    size_t x = a0;
    for (size_t k = i; k <= j && shown < MAX_SHOWN; k++) {
      const change *c = &ch.v[k];
      for (; x < c->a0 && shown < MAX_SHOWN; x++, shown++) print_line(' ', &a[x]);
      for (size_t t = 0; t < c->a_len && shown < MAX_SHOWN; t++, shown++, shown_changes++)
        print_line('-', &a[c->a0 + t]);
      for (size_t t = 0; t < c->b_len && shown < MAX_SHOWN; t++, shown++, shown_changes++)
        print_line('+', &b[c->b0 + t]);
      x = c->a0 + c->a_len;
    }
    for (; x < a1 && shown < MAX_SHOWN; x++, shown++) print_line(' ', &a[x]);
    i = j + 1;
  }
  left = left > shown_changes ? left - shown_changes : 0;
  if (approx && !left)
    fprintf(stderr, "\xe2\x80\xa6 more changed lines\n");
  else if (approx)
    fprintf(stderr, "\xe2\x80\xa6 at least %zu more changed line%s\n", left, left == 1 ? "" : "s");
  else if (left)
    fprintf(stderr, "\xe2\x80\xa6 %zu more changed line%s\n", left, left == 1 ? "" : "s");
  fprintf(stderr, "Regenerate it: run the same command without --check.\n");
  goto done;
plain:
  fprintf(stderr, "pubrender: %s is not up to date\n", name);
done:
  free(ch.v);
  free(name);
  free(a);
  free(b);
}
