/* test_diag.c - diagnostics and errors as the public API hands them out:
   - lifetime: a const pr_diag * taken early stays valid and unchanged
     through more documents and renders (run under ASan: a dangling pointer
     is a heap-use-after-free), and rendering twice does not repeat the
     render's warnings;
   - escaping: whatever a message quotes (BibTeX text, file names, a
     pr_error filled by hand) comes out of pr_diag_format/pr_error_format
     as one line without control, C1, line-separator or bidi characters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "harness.h"

static int sink(const char *data, size_t len, void *ctx) {
  (void)data, (void)len, (void)ctx;
  return 0;
}

/* Bytes a diagnostic line must not hold: C0 controls, DEL, and the UTF-8
   of U+0080..U+009F, U+061C, U+200E/F, U+2028/9, U+202A..E, U+2066..9. */
static const char *bad_byte(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  for (; *p; p++) {
    if (*p < 0x20 || *p == 0x7f) return (const char *)p;
    if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) return (const char *)p;
    if (p[0] == 0xd8 && p[1] == 0x9c) return (const char *)p;
    if (p[0] == 0xe2 && p[1] == 0x80 &&
        (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae)))
      return (const char *)p;
    if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) return (const char *)p;
  }
  return NULL;
}

/* Enough diagnostics that the list must grow, then more documents and
   renders; the first pointers (of the bib and of a report) must still read
   the same. */
static void test_lifetime(void) {
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  const char *first = "@misc{a, title = {A}, year = 2020, url = {javascript:alert(1)},\n"
                      "  title = {again}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, first, strlen(first), "one.bib", NULL), PR_OK);
  pr_report *rep = pr_report_new();
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, rep, NULL), PR_OK);
  pr_free(out);
  /* parsing found the repeated title, the render the dropped link */
  CHECK_INT(pr_bib_diag_count(bib), 1);
  CHECK_INT(pr_report_diag_count(rep), 1);
  const pr_diag *d = pr_bib_diag(bib, 0), *r = pr_report_diag(rep, 0);
  char before[600], rbefore[600];
  pr_diag_format(d, before, sizeof before);
  pr_diag_format(r, rbefore, sizeof rbefore);
  CHECK_STR(before, "one.bib:2: warning: entry 'a': repeated field 'title' (the first value, at "
                    "line 1, is kept)");
  CHECK(strstr(rbefore, "one.bib:1: warning: entry 'a': url link") == rbefore);
  const char *msg = pr_diag_message(d), *file = pr_diag_file(d), *key = pr_diag_key(d);
  const char *rmsg = pr_diag_message(r), *rkey = pr_diag_key(r), *rfield = pr_diag_field(r);

  /* 300 bad entries in another document: the list grows many times */
  {
    size_t cap = 300 * 40 + 1, n = 0;
    char *many = malloc(cap);
    for (int i = 0; i < 300; i++) n += (size_t)snprintf(many + n, cap - n, "@misc{b%d}\n", i);
    CHECK_INT(pr_bib_add_buffer(bib, many, n, "two.bib", NULL), PR_OK);
    free(many);
  }
  CHECK_INT(pr_bib_error_count(bib), 300);
  CHECK_INT(pr_bib_diag_count(bib), 301);

  /* renders of each kind, with reports of their own and none */
  for (int f = 0; f < 4; f++) {
    pr_options_set_format(o, (pr_format)f);
    pr_report *other = pr_report_new();
    CHECK_INT(pr_render(bib, o, sink, NULL, other, NULL), PR_OK);
    CHECK_INT(pr_report_diag_count(other), f == PR_FORMAT_JSON ? 0 : 1);
    pr_report_free(other);
    CHECK_INT(pr_render(bib, o, sink, NULL, NULL, NULL), PR_OK);
  }
  CHECK_INT(pr_bib_diag_count(bib), 301); /* renders add nothing to the bib */
  CHECK_INT(pr_report_diag_count(rep), 1);

  /* the pointers taken first read the same (ASan: no use after free) */
  CHECK(pr_bib_diag(bib, 0) == d && pr_report_diag(rep, 0) == r);
  CHECK(pr_diag_message(d) == msg && pr_diag_file(d) == file && pr_diag_key(d) == key);
  CHECK(pr_diag_message(r) == rmsg && pr_diag_key(r) == rkey && pr_diag_field(r) == rfield);
  CHECK_STR(key, "a");
  CHECK_STR(rkey, "a");
  CHECK_STR(rfield, "url");
  char now[600];
  CHECK_STR(pr_diag_format(d, now, sizeof now), before);
  CHECK_STR(pr_diag_format(r, now, sizeof now), rbefore);
  /* a report outlives the bib it was filled from */
  pr_bib_free(bib);
  CHECK_STR(pr_diag_format(r, now, sizeof now), rbefore);
  CHECK_STR(pr_diag_code(r), "unsafe-url");
  pr_report_free(rep);
  pr_options_free(o);
}

/* The same bib rendered three times, a report each time: the same
   findings each time, and the bib's own do not grow. */
static void test_repeated(void) {
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  const char *text = "@misc{a, title = {A}, year = 2020, url = {javascript:x}, pdf = {data:y}}\n"
                     "@misc{b, title = {B}, year = 2019, html = {www.example.org/b}}\n"
                     "@misc{a, title = {other}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "r.bib", NULL), PR_OK);
  size_t nbib = pr_bib_diag_count(bib);
  CHECK_INT(nbib, 1); /* the duplicate key */
  CHECK_STR(pr_diag_code(pr_bib_diag(bib, 0)), "duplicate-key");
  for (int f = 0; f < 4; f++) {
    pr_options_set_format(o, (pr_format)f);
    char first[4][600] = {{0}};
    size_t nfirst = 0;
    for (int round = 0; round < 3; round++) {
      pr_report *rep = pr_report_new();
      CHECK_INT(pr_render(bib, o, sink, NULL, rep, NULL), PR_OK);
      size_t n = pr_report_diag_count(rep);
      if (round == 0) nfirst = n;
      CHECK_INT(n, nfirst);
      for (size_t i = 0; i < n && i < 4; i++) {
        char line[600];
        pr_diag_format(pr_report_diag(rep, i), line, sizeof line);
        if (round == 0) strcpy(first[i], line);
        else CHECK_STR(line, first[i]);
      }
      pr_report_free(rep);
      CHECK_INT(pr_bib_diag_count(bib), nbib);
    }
    /* HTML and Markdown: the two links dropped and the guessed scheme;
       CSL-JSON its URL only; JSON keeps the fields as they are */
    CHECK_INT(nfirst, f == PR_FORMAT_JSON ? 0 : f == PR_FORMAT_CSL_JSON ? 1 : 3);
  }
  pr_options_free(o);
  pr_bib_free(bib);
}

/* Text with every kind of character a diagnostic must escape, reaching a
   message through a .bib (a dropped link quotes the field, a duplicate
   key quotes the key) and through the file name. */
static const char *payloads[] = {
    "a\n::error file=x::injected",  /* a GitHub Actions workflow command */
    "b\x1b[2J\x1b]0;title\x07",     /* ESC sequences, BEL */
    "c\r\tpart",                    /* CR, tab */
    "d\x7f" "e",                    /* DEL */
    "f\xc2\x85g\xc2\x9b" "1m",      /* C1: NEL, CSI */
    "h\xe2\x80\xa8i\xe2\x80\xa9j",  /* line and paragraph separators */
    "k\xe2\x80\xae" "evil\xe2\x80\xac", /* right-to-left override, pop */
    "l\xe2\x81\xa6m\xe2\x81\xa9",   /* isolates */
    "n\xe2\x80\x8fo\xd8\x9c",       /* RLM, ALM */
    "p\xff\xfe" "q",                /* not UTF-8 */
};
enum { NPAYLOADS = sizeof payloads / sizeof *payloads };

static void test_escaped_diagnostics(void) {
  for (size_t i = 0; i < NPAYLOADS; i++) {
    const char *p = payloads[i];
    pr_bib *bib = pr_bib_new();
    pr_options *o = pr_options_new();
    char file[64], text[512];
    snprintf(file, sizeof file, "x%s.bib", p);
    /* raw control bytes in .bib text are read as spaces before parsing, so
       the .bib carries the payload's other characters; the file name all */
    snprintf(text, sizeof text,
             "@misc{k%s, title = {T}, url = {javascript:%s}}\n@misc{k%s, title = {U}}\n"
             "@misc{z%s}\n", p, p, p, p);
    CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), file, NULL), PR_OK);
    char *out = NULL;
    pr_report *rep = pr_report_new();
    CHECK_INT(pr_render_string(bib, o, &out, NULL, rep, NULL), PR_OK);
    pr_free(out);
    size_t nbib = pr_bib_diag_count(bib), n = nbib + pr_report_diag_count(rep);
    CHECK(nbib >= 1 && n >= 2);
    for (size_t k = 0; k < n; k++) {
      const pr_diag *d = k < nbib ? pr_bib_diag(bib, k) : pr_report_diag(rep, k - nbib);
      char line[1500];
      pr_diag_format(d, line, sizeof line);
      const char *bad = bad_byte(line);
      if (bad) printf("payload %zu: byte 0x%02x in \"%s\"\n", i, (unsigned char)*bad, line);
      CHECK(bad == NULL);
      CHECK(bad_byte(pr_diag_message(d)) == NULL && bad_byte(pr_diag_file(d)) == NULL);
      CHECK(!pr_diag_key(d) || bad_byte(pr_diag_key(d)) == NULL);
      CHECK(!pr_diag_field(d) || bad_byte(pr_diag_field(d)) == NULL);
      CHECK(strncmp(line, "x", 1) == 0 && strstr(line, ".bib:") != NULL);
    }
    pr_report_free(rep);
    pr_options_free(o);
    pr_bib_free(bib);
  }
  /* the escapes themselves */
  pr_bib *bib = pr_bib_new();
  CHECK_INT(pr_bib_add_file(bib, "no\nsuch\x1b[31m\xe2\x80\xae.bib", NULL), PR_ERR_IO);
  pr_error err;
  CHECK_INT(pr_bib_add_file(bib, "no\nsuch\x1b[31m\xe2\x80\xae\xc2\x85.bib", &err), PR_ERR_IO);
  char line[600];
  CHECK_STR(pr_error_format(&err, line, sizeof line),
            "no\\nsuch\\x1b[31m\\u202e\\u0085.bib: error: cannot open: No such file or directory");
  CHECK_STR(err.source, "no\\nsuch\\x1b[31m\\u202e\\u0085.bib");
  pr_bib_free(bib);
  /* a pr_error filled by hand is escaped when formatted */
  pr_error raw = {PR_ERR_INPUT, 3, 4, "t\x1b.yml", "value 'a\nb\xe2\x80\xa8" "c\x9b'"};
  CHECK_STR(pr_error_format(&raw, line, sizeof line),
            "t\\x1b.yml:3:4: error: value 'a\\nb\\u2028c\\x9b'");
  /* cut to the buffer, never inside an escape or a character */
  char small[20];
  pr_error_format(&raw, small, sizeof small);
  CHECK_STR(small, "t\\x1b.yml:3:4");
  CHECK(bad_byte(small) == NULL);
}

/* A configuration file's values reach its error messages escaped. */
static void test_escaped_config(void) {
  const char *yml[] = {"format: \"html\\n::error::x\\e[31m\\u202e\"\n",
                       "group-by: \"year\\r\\u2028\\x85\"\n", "highlight: [\"a\", 3, {x: \"\\e\"}]\n",
                       "\"bad\\nkey\\e\": 1\n"};
  for (size_t i = 0; i < sizeof yml / sizeof *yml; i++) {
    pr_options *o = pr_options_new();
    pr_error err;
    CHECK(pr_options_load_config_buffer(o, yml[i], strlen(yml[i]), "p\x1b\n.yml", &err) != PR_OK);
    char line[600];
    pr_error_format(&err, line, sizeof line);
    const char *bad = bad_byte(line);
    if (bad) printf("config %zu: byte 0x%02x in \"%s\"\n", i, (unsigned char)*bad, line);
    CHECK(bad == NULL);
    CHECK(bad_byte(err.message) == NULL && bad_byte(err.source) == NULL);
    CHECK(strncmp(line, "p\\x1b\\n.yml:", 12) == 0);
    pr_options_free(o);
  }
}

int main(void) {
  test_lifetime();
  test_repeated();
  test_escaped_diagnostics();
  test_escaped_config();
  return tests_done();
}
