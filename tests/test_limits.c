/* test_limits.c - adversarial shapes stay linear. Each shape is parsed and
   rendered at size n and 4n; the CPU time of the larger must be under 10x
   the smaller (linear gives about 4x, quadratic 16x). The ratio is checked
   only with PR_TIMED set (`make timed`, on the Release build): on a loaded
   machine under ASan it measured 11.5 for linear code. In `make test` the
   sizes, counts and outputs are checked and ctest's TIMEOUT catches a
   quadratic blow-up (16x of these sizes runs for minutes). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pubrender.h>
#include "harness.h"

typedef struct { char *s; size_t n, cap; } text;
static void add(text *t, const char *s) {
  size_t k = strlen(s);
  if (t->n + k + 1 > t->cap) {
    t->cap = (t->n + k + 1) * 2;
    t->s = realloc(t->s, t->cap);
  }
  memcpy(t->s + t->n, s, k + 1);
  t->n += k;
}
static void addf(text *t, const char *fmt, long a, long b) {
  char buf[256];
  snprintf(buf, sizeof buf, fmt, a, b);
  add(t, buf);
}

typedef void (*shape_fn)(text *t, long n);

static void many_authors(text *t, long n) {
  add(t, "@misc{a, title = {T}, year = 2000, author = {");
  for (long i = 0; i < n; i++) addf(t, i ? " and Author%ld, First%ld" : "Author%ld, First%ld", i, i);
  add(t, " and Oh, Byungsoo}}\n");
}
static void big_field(text *t, long n) {
  add(t, "@misc{a, year = 2000, title = {");
  for (long i = 0; i < n / 16; i++) add(t, "G{\\\"o}del $x^2$ ");
  add(t, "}}\n");
}
static void many_entries(text *t, long n) {
  for (long i = 0; i < n; i++)
    addf(t, "@article{k%ld, title = {Title %ld}, author = {A. Author}, year = 2001}\n", i, i);
}
static void deep_braces(text *t, long n) {
  add(t, "@misc{a, title = {");
  for (long i = 0; i < n; i++) add(t, "{");
  add(t, "x");
  for (long i = 0; i < n; i++) add(t, "}");
  add(t, "}}\n");
}
static void many_strings(text *t, long n) {
  for (long i = 0; i < n; i++) addf(t, "@string{s%ld = {v%ld}}\n", i, i);
  for (long i = 0; i < n; i++) addf(t, "@misc{k%ld, note = s%ld}\n", i, i);
}
static void crossref_chain(text *t, long n) {
  for (long i = 0; i < n; i++) addf(t, "@inbook{c%ld, crossref = {c%ld}, pages = 1}\n", i, i + 1);
  addf(t, "@book{c%ld, title = {Root}, year = %ld}\n", n, 1999);
}
static void crossref_cycles(text *t, long n) {
  for (long i = 0; i < n; i += 2) {
    addf(t, "@misc{x%ld, crossref = {x%ld}}\n", i, i + 1);
    addf(t, "@misc{x%ld, crossref = {x%ld}}\n", i + 1, i);
  }
}
/* one entry repeated exactly: shown once */
static void duplicate_keys(text *t, long n) {
  for (long i = 0; i < n; i++) addf(t, "@misc{same, title = {T}, year = %ld}\n", 2000L, 0);
}
/* one key, every entry different: all kept, each with its own id */
static void duplicate_keys_distinct(text *t, long n) {
  for (long i = 0; i < n; i++) addf(t, "@misc{same, title = {T%ld}, year = %ld}\n", i, 2000L);
}

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse and render once; returns CPU seconds, fills counts. */
static double run(const text *t, size_t *entries, size_t *out_len) {
  double t0 = cpu_seconds();
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  pr_bib_add_buffer(bib, t->s, t->n, "limits.bib", &err);
  pr_options_add_highlight(o, "Byungsoo Oh");
  char *out = NULL;
  pr_render_string(bib, o, &out, out_len, NULL, &err);
  *entries = pr_bib_count(bib);
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(bib);
  return cpu_seconds() - t0;
}

static void check_linear(const char *name, shape_fn shape, long n, size_t want_entries) {
  double best[2] = {1e9, 1e9};
  size_t entries[2] = {0, 0}, len[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    text t = {0};
    shape(&t, k ? 4 * n : n);
    for (int rep = 0; rep < 2; rep++) {
      double s = run(&t, &entries[k], &len[k]);
      if (s < best[k]) best[k] = s;
    }
    free(t.s);
  }
  double ratio = best[1] / (best[0] > 1e-4 ? best[0] : 1e-4);
  printf("%-16s n=%-7ld %.3fs  4n: %.3fs  ratio %.1f  entries %zu/%zu  output %zu/%zu\n", name, n,
         best[0], best[1], ratio, entries[0], entries[1], len[0], len[1]);
  CHECK_TIMED(ratio < 10.0);
  CHECK(len[1] > 0);
  if (want_entries) CHECK_INT(entries[0], want_entries);
}

int main(void) {
  check_linear("authors", many_authors, 25000, 1);
  check_linear("field bytes", big_field, 250000, 1);
  check_linear("entries", many_entries, 25000, 25000);
  check_linear("brace depth", deep_braces, 25000, 1);
  check_linear("@strings", many_strings, 2500, 2500);
  check_linear("crossref chain", crossref_chain, 2500, 2501);
  check_linear("crossref cycles", crossref_cycles, 5000, 5000);
  check_linear("duplicate keys", duplicate_keys, 25000, 1);
  check_linear("distinct dups", duplicate_keys_distinct, 25000, 25000);
  return tests_done();
}
