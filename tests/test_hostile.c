/* test_hostile.c - one regression test per libbtparse trigger that exits,
   aborts, corrupts memory or prints (../shared/notes/btparse-and-cmark.md,
   section 7), through the public API only. Built three ways by CMake: with
   the shared library, with the static one, and as a program that links
   -lbtparse ahead of -lpubrender; the hooks must be active in all three.
   Standard error is captured for the whole run and must stay empty: the
   library never prints. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pubrender.h>
#include "harness.h"

static pr_bib *parse_n(const char *text, size_t len) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, len, "h.bib", &err), PR_OK);
  return bib;
}

static pr_bib *parse(const char *text) { return parse_n(text, strlen(text)); }

static const char *diag(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static int has_key(const pr_bib *bib, const char *key) { return pr_bib_find(bib, key) != NULL; }

/* A growing text buffer for generated inputs. */
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

/* 98 fields (97 with #) overflow btparse's attribute stack: exit(1). */
static void trigger_many_fields(void) {
  text t = {0};
  add(&t, "@misc{before, title = {B}}\n@misc{many,\n");
  for (int i = 0; i < 150; i++) {
    char f[48];
    snprintf(f, sizeof f, " f%d = {v} # {w},\n", i);
    add(&t, f);
  }
  add(&t, "}\n@misc{after, title = {A}}\n");
  pr_bib *bib = parse(t.s);
  CHECK(has_key(bib, "before") && has_key(bib, "after") && !has_key(bib, "many"));
  CHECK_INT(pr_bib_count(bib), 2);
  CHECK_STR(diag(bib, 0), "h.bib:2: error: too many fields (pubrender reads at most 90) (entry "
                          "'many' skipped)");
  CHECK_INT(pr_bib_diag_count(bib), 1);
  free(t.s);
  pr_bib_free(bib);
}

/* About 400 KB of macro names overflow btparse's fixed pool: exit(255). */
static void trigger_macro_pool(void) {
  text t = {0};
  for (int i = 0; i < 30000; i++) {
    char s[80];
    snprintf(s, sizeof s, "@string{macroname%06d = {v%d}}\n", i, i);
    add(&t, s);
  }
  add(&t, "@misc{m, note = macroname029999}\n");
  pr_bib *bib = parse(t.s);
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "m"), "note"), "v29999");
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
  /* and again: the pool is per document, not per process */
  bib = parse(t.s);
  CHECK_INT(pr_bib_count(bib), 1);
  free(t.s);
  pr_bib_free(bib);
}

/* A NUL byte inside a string trips an assert(): abort(). */
static void trigger_nul(void) {
  const char s[] = "@misc{a, title = {x\0y}}\n@misc{b, title = {z}}\n";
  pr_bib *bib = parse_n(s, sizeof s - 1);
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "a"), "title"), "x y");
  CHECK(has_key(bib, "b"));
  CHECK_STR(diag(bib, 0), "h.bib:1: error: NUL byte in input (read as a space)");
  pr_bib_free(bib);
}

/* A bad token is used as a printf format: %s segfaults, %n aborts. */
static void trigger_format_string(void) {
  pr_bib *bib = parse("@article{k \"%s%s%s%n%x\"}\n@misc{ok, title = {T}}\n");
  CHECK(has_key(bib, "ok"));
  CHECK_STR(diag(bib, 0), "h.bib:1: error: found \"\"%s%s%s%n%x\"\", expected \",\" (entry 'k' "
                          "skipped)");
  pr_bib_free(bib);
}

/* "@type" followed by a quoted string: a message printed straight to
   stderr, then exit(1) from bt_postprocess_field. */
static void trigger_quoted_body(void) {
  const char *inputs[] = {"@N\"\"\n@misc{ok, title = {T}}\n",
                          "@article\"x\"\n@misc{ok, title = {T}}\n",
                          "@string\"x\"\n@misc{ok, title = {T}}\n",
                          "@preamble \"x\"\n@misc{ok, title = {T}}\n"};
  const char *names[] = {"N", "article", "string", "preamble"};
  for (size_t i = 0; i < 4; i++) {
    pr_bib *bib = parse(inputs[i]);
    CHECK(has_key(bib, "ok"));
    char want[200];
    snprintf(want, sizeof want,
             "h.bib:1: error: '@%s' must be followed by '{' or '(', not a quoted string (entry "
             "skipped)",
             names[i]);
    CHECK_STR(diag(bib, 0), want);
    CHECK_INT(pr_bib_error_count(bib), 1);
    pr_bib_free(bib);
  }
}

/* A CR right before a closing delimiter: heap overrun in
   bt_postprocess_string; CR-only line ends do that on every entry. */
static void trigger_cr(void) {
  pr_bib *bib = parse("@misc{a,\r title = {abc\r},\r note = \"d\r\"\r}\r@misc{b,\r title={e}}\r");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "a"), "title"), "abc");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "a"), "note"), "d");
  CHECK_INT(pr_entry_line(pr_bib_find(bib, "b")), 7);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
}

static const char *author(const pr_bib *bib, const char *key, size_t i) {
  const pr_name *n = pr_entry_name(pr_bib_find(bib, key), "author", i);
  return n ? pr_name_display(n) : "(none)";
}

/* bt_split_list aborts on a double space around "and" or a leading
   " and "; bt_split_name writes out of bounds on empty comma parts. */
static void trigger_names(void) {
  pr_bib *bib = parse("@misc{a, author = {A One  and   B Two}}\n"
                      "@misc{b, author = { and C Three}}\n"
                      "@misc{c, author = {Smith,,John and , and Doe, , Jane and ,}}\n"
                      "@misc{d, author = {van der and a and others}}\n");
  CHECK_INT(pr_entry_name_count(pr_bib_find(bib, "a"), "author"), 2);
  CHECK_STR(author(bib, "a", 1), "B Two");
  CHECK_STR(author(bib, "b", 0), "C Three"); /* a leading "and" separates an empty name */
  CHECK_STR(author(bib, "c", 0), "John Smith");
  CHECK_STR(author(bib, "c", 1), "Jane Doe");
  CHECK_INT(pr_entry_name_count(pr_bib_find(bib, "c"), "author"), 2);
  CHECK_INT(pr_entry_name_count(pr_bib_find(bib, "d"), "author"), 3);
  CHECK_STR(author(bib, "d", 2), "et al.");
  pr_bib_free(bib);
}

/* @preamble with a macro and default string options: abort(). */
static void trigger_preamble(void) {
  pr_bib *bib = parse("@preamble{ jan # \"x\" }\n@misc{ok, title = {T}}\n");
  CHECK(has_key(bib, "ok"));
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
}

/* Shapes that do not kill btparse but must not hang or lose neighbours. */
static void trigger_shapes(void) {
  text t = {0};
  add(&t, "@misc{deep, title = {");
  for (int i = 0; i < 100000; i++) add(&t, "{");
  add(&t, "x");
  for (int i = 0; i < 100000; i++) add(&t, "}");
  add(&t, "}}\n@misc{next, title = {N}}\n");
  pr_bib *bib = parse(t.s);
  CHECK(has_key(bib, "deep") && has_key(bib, "next"));
  char *title = pr_entry_field_text(pr_bib_find(bib, "deep"), "title");
  CHECK_STR(title, "x");
  pr_free(title);
  free(t.s);
  pr_bib_free(bib);
  bib = parse("@misc{open, title = \"never closed}\n@misc{lost, title = {L}}\n");
  CHECK(pr_bib_error_count(bib) >= 1);
  pr_bib_free(bib);
}

/* Rendering after all that still works (btparse state was reset). */
static void still_works(void) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_file(bib, "data/pubs.bib", &err), PR_OK);
  CHECK_INT(pr_bib_count(bib), 6);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
}

int main(void) {
  /* Which definition of print_error does the dynamic linker give this
     program? With -lbtparse first it is btparse's own: the case the hooks
     must survive. Print it for the log. */
  Dl_info info;
  void *pe = dlsym(RTLD_DEFAULT, "print_error");
  printf("print_error resolves to %s\n",
         pe && dladdr(pe, &info) && info.dli_fname ? info.dli_fname : "(nothing exported)");

  fflush(stderr);
  int saved = dup(2);
  FILE *cap = tmpfile();
  dup2(fileno(cap), 2);

  trigger_many_fields();
  trigger_macro_pool();
  trigger_nul();
  trigger_format_string();
  trigger_quoted_body();
  trigger_cr();
  trigger_names();
  trigger_preamble();
  trigger_shapes();
  still_works();

  fflush(stderr);
  dup2(saved, 2);
  long size = ftell(cap) >= 0 ? (fseek(cap, 0, SEEK_END), ftell(cap)) : -1;
  if (size > 0) {
    char buf[4096];
    rewind(cap);
    size_t k = fread(buf, 1, sizeof buf - 1, cap);
    buf[k] = '\0';
    fprintf(stderr, "the library wrote to stderr:\n%s\n", buf);
  }
  CHECK_INT(size, 0);
  fclose(cap);
  return tests_done();
}
