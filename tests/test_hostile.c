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
#include <time.h>
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

/* Syntax errors btparse recovers from by taking the next '@' anywhere:
   the 22-byte line of issue 12 made it print and lose the rest; every
   broken shape must leave the three entries after it. The bases are
   damaged by inserting a token at every position, or deleting a byte. */
static const char *good3 = "\n@misc{g1, title={G1}}\n@misc{g2, title={G2}}\n@misc{g3, title={G3}}\n";

static int keeps_good3(const char *broken) {
  text t = {0};
  add(&t, broken);
  add(&t, good3);
  pr_bib *bib = parse(t.s);
  int ok = has_key(bib, "g1") && has_key(bib, "g2") && has_key(bib, "g3") &&
           strcmp(pr_entry_field(pr_bib_find(bib, "g3"), "title"), "G3") == 0;
  if (!ok) printf("lost entries after: %s\n", broken);
  pr_bib_free(bib);
  free(t.s);
  return ok;
}

static void trigger_recovery(void) {
  text t = {0};
  add(&t, "@string{e = a R\"@r\"}\"");
  add(&t, good3);
  pr_bib *bib = parse(t.s);
  CHECK_INT(pr_bib_count(bib), 3);
  CHECK_INT(pr_bib_diag_count(bib), 1);
  CHECK_STR(diag(bib, 0), "h.bib:1: error: found \"R\", expected \",\" or \"}\" after the value of "
                          "'e' (@string skipped)");
  pr_bib_free(bib);
  free(t.s);
  static const char *bases[] = {"@string{e = \"x\" # a, f = {y}}",
                                "@misc{k, title = \"a@b\" # {c@d} # jan, year = 2020}",
                                "@preamble{\"p\" # \"q\"}", "@misc(k, title = \"a\")",
                                "@string(e = {x@y})", "@comment{c@d}"};
  static const char *tokens[] = {"R", "\"@r\"", "{@r}", "@r\"x\"", "=", ",", "#", "}", ")", "(",
                                 "%c\n", "@", "9", "\\", "'", "\"@r\"}\"", "@r{", "{@r\"x\"}",
                                 "\"", "{", "\n@r{"};
  size_t lost = 0, variants = 0;
  for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
    size_t n = strlen(bases[b]);
    for (size_t at = 1; at <= n; at++) {
      char v[300];
      for (size_t k = 0; k < sizeof tokens / sizeof *tokens; k++) {
        snprintf(v, sizeof v, "%.*s%s%s", (int)at, bases[b], tokens[k], bases[b] + at);
        variants++;
        lost += !keeps_good3(v);
      }
      snprintf(v, sizeof v, "%.*s%s", (int)(at - 1), bases[b], bases[b] + at);
      variants++;
      lost += !keeps_good3(v);
    }
  }
  printf("recovery: %zu broken variants, %zu lost the entries after them\n", variants, lost);
  CHECK_INT(lost, 0);
}

/* CPU seconds of this process. */
static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* @string doubling chains: 28 levels took 16 s and 1.8 GB, 60 crashed
   btparse. The limit is an error naming the macro; the entry using it is
   skipped with an error naming its field (never an empty field); the rest
   of the document is read. */
static void trigger_macro_doubling(void) {
  for (int levels = 28; levels <= 60; levels += 32) {
    text t = {0};
    add(&t, "@string{a0 = \"xx\"}\n");
    for (int i = 1; i <= levels; i++) {
      char s[80];
      snprintf(s, sizeof s, "@string{a%d = a%d # a%d}\n", i, i - 1, i - 1);
      add(&t, s);
    }
    char s[160];
    snprintf(s, sizeof s, "@misc{big, title = {T}, note = a%d}\n@misc{small, note = a5 # {!}}\n",
             levels);
    add(&t, s);
    double t0 = cpu();
    pr_bib *bib = parse(t.s);
    CHECK_TIMED(cpu() - t0 < 2.0);
    CHECK(!has_key(bib, "big"));
    CHECK_INT(pr_entry_field(pr_bib_find(bib, "small"), "note") ?
              strlen(pr_entry_field(pr_bib_find(bib, "small"), "note")) : 0, 65);
    CHECK_INT(pr_bib_error_count(bib), 2);
    CHECK_STR(diag(bib, 0), "h.bib:21: error: @string 'a20' would take 2097152 bytes from macros "
                            "(pubrender's limit is 1048576, 1 MiB): it is defined empty, and every "
                            "entry using it is skipped");
    snprintf(s, sizeof s, "h.bib:%d: error: field 'note' uses macro 'a%d', which was refused for "
             "its size (entry 'big' skipped)", levels + 2, levels);
    CHECK_STR(diag(bib, 1), s);
    pr_bib_free(bib);
    free(t.s);
  }
}

/* btparse joins '#' parts by rescanning the joined text once per part:
   100,000 parts of 10 bytes took 17 s. Refused with an error. */
static void trigger_paste_work(void) {
  text t = {0};
  add(&t, "@misc{many, title = \"x\"");
  for (int i = 0; i < 100000; i++) add(&t, " # \"xxxxxxxxxx\"");
  add(&t, "}\n@misc{after, title = {A} # {B} # {C}}\n");
  double t0 = cpu();
  pr_bib *bib = parse(t.s);
  CHECK_TIMED(cpu() - t0 < 2.0);
  CHECK(!has_key(bib, "many"));
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "after"), "title"), "ABC");
  CHECK_STR(diag(bib, 0), "h.bib:1: error: field 'title' joins 100001 '#' parts into 1000001 bytes "
                          "(pubrender's limit is 268435456 for parts times bytes) (entry 'many' "
                          "skipped)");
  CHECK_INT(pr_bib_diag_count(bib), 1);
  pr_bib_free(bib);
  free(t.s);
}

/* A macro of 1 MiB (allowed) used by many entries: the document's macro
   text in all is bounded (16 MiB for a small document); the entries over it
   are refused one by one with an error, none gets an empty field. */
static void trigger_expansion_budget(void) {
  text t = {0};
  add(&t, "@string{a0 = \"xx\"}\n");
  for (int i = 1; i <= 19; i++) {
    char s[80];
    snprintf(s, sizeof s, "@string{a%d = a%d # a%d}\n", i, i - 1, i - 1);
    add(&t, s);
  }
  for (int i = 0; i < 40; i++) {
    char s[80];
    snprintf(s, sizeof s, "@misc{use%d, note = a19}\n", i);
    add(&t, s);
  }
  double t0 = cpu();
  pr_bib *bib = parse(t.s);
  CHECK_TIMED(cpu() - t0 < 5.0);
  size_t present = pr_bib_count(bib), refused = 0;
  for (size_t i = 0; i < present; i++)
    CHECK_INT(strlen(pr_entry_field(pr_bib_entry(bib, i), "note")), 1u << 20);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++)
    refused += strstr(diag(bib, i), "would take the document's text from macros past 16777216 "
                                    "bytes") != NULL;
  CHECK(present >= 13 && present <= 15); /* 16 MiB, less the 2 MiB of the chain itself */
  CHECK_INT(present + refused, 40);
  CHECK_INT(pr_bib_diag_count(bib), refused);
  pr_bib_free(bib);
  free(t.s);
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
  trigger_recovery();
  trigger_macro_doubling();
  trigger_paste_work();
  trigger_expansion_budget();
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
