/* test_parse.c - parsing documents into records: fields, macros, months,
   concatenation, @preamble/@comment, junk, errors and recovery, ordering. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

static pr_bib *parse(const char *text) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "t.bib", &err), PR_OK);
  return bib;
}

static const char *diag_line(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static void test_fields(void) {
  pr_bib *bib = parse("@Article{Key1,\n  Title = {A {B} c},\n  YEAR = 2020,\n"
                      "  note = \"x\" # { y} # 1,\n}\n");
  CHECK_INT(pr_bib_count(bib), 1);
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_STR(pr_entry_type(e), "article");
  CHECK_STR(pr_entry_key(e), "Key1");
  CHECK_INT(pr_entry_line(e), 1);
  CHECK_STR(pr_entry_file(e), "t.bib");
  CHECK_INT(pr_entry_field_count(e), 3);
  CHECK_STR(pr_entry_field_name(e, 0), "title");
  CHECK_STR(pr_entry_field(e, "title"), "A {B} c");
  CHECK_STR(pr_entry_field(e, "year"), "2020");
  CHECK_STR(pr_entry_field(e, "note"), "x y1");
  CHECK(pr_entry_field(e, "missing") == NULL);
  CHECK_INT(pr_entry_year(e), 2020);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  char *t = pr_entry_field_text(e, "title");
  CHECK_STR(t, "A B c");
  pr_free(t);
  CHECK(pr_bib_find(bib, "Key1") == e);
  CHECK(pr_bib_find(bib, "KEY1") == e); /* keys are case-insensitive, as in BibTeX */
  CHECK(pr_bib_find(bib, "key2") == NULL);
  pr_bib_free(bib);
}

static void test_macros_and_months(void) {
  pr_bib *bib = parse("@string{conf = {Conf. on Things}}\n"
                      "@string(pre = \"Proc. \")\n"
                      "@inproceedings{a, booktitle = pre # conf, month = oct, year = 2019}\n"
                      "@misc{b, month = {May}, year = {2019}}\n"
                      "@misc{c, month = 11, year = {2019}}\n");
  CHECK_INT(pr_bib_count(bib), 3);
  const pr_entry *a = pr_bib_entry(bib, 0);
  CHECK_STR(pr_entry_field(a, "booktitle"), "Proc. Conf. on Things");
  CHECK_STR(pr_entry_field(a, "month"), "October");
  CHECK_INT(pr_entry_month(a), 10);
  CHECK_INT(pr_entry_month(pr_bib_entry(bib, 1)), 5);
  CHECK_INT(pr_entry_month(pr_bib_entry(bib, 2)), 11);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  /* with PR_STRINGS_PER_FILE a second document does not see the first
     one's macros (test_scope.c: the default, shared) */
  const char *second = "@misc{d, note = conf}\n";
  pr_error err;
  CHECK_INT(pr_bib_set_string_scope(bib, PR_STRINGS_PER_FILE), PR_OK);
  CHECK_INT(pr_bib_add_buffer(bib, second, strlen(second), "u.bib", &err), PR_OK);
  CHECK_INT(pr_bib_count(bib), 4);
  CHECK_STR(pr_entry_field(pr_bib_entry(bib, 3), "note"), "conf"); /* the word as written */
  CHECK_INT(pr_bib_diag_count(bib), 1);
  CHECK_STR(diag_line(bib, 0), "u.bib:1: warning: entry 'd', field 'note': undefined macro "
                               "'conf', read as the word as written (define it with an @string "
                               "before this entry, or write it in braces)");
  CHECK_INT(pr_bib_error_count(bib), 0);
  pr_bib_free(bib);
}

static void test_preamble_comment_junk(void) {
  pr_bib *bib = parse("---\nlayout: page\n---\n"
                      "@preamble{ \"\\newcommand{\\x}{y}\" # jan }\n"
                      "@comment{ anything @misc{not, title={no}} }\n"
                      "@misc{yes, title = {Yes}}\n");
  CHECK_INT(pr_bib_count(bib), 1);
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 0)), "yes");
  /* front matter is junk at top level: one warning, no error */
  CHECK_INT(pr_bib_error_count(bib), 0);
  pr_bib_free(bib);
}

static void test_recovery(void) {
  const char *text = "@misc{good1, title = {One}}\n"
                     "\n"
                     "@misc{bad, title = {Two} year = 2020}\n"
                     "@misc{good2, title = {Three}}\n";
  pr_bib *bib = parse(text);
  CHECK_INT(pr_bib_count(bib), 2);
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 0)), "good1");
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 1)), "good2");
  CHECK_INT(pr_bib_error_count(bib), 1);
  CHECK_STR(diag_line(bib, 0),
            "t.bib:3: error: found \"year\", expected \",\" or \"}\" after the value of "
            "'title' (entry 'bad' skipped)");
  pr_bib_free(bib);
}

static void test_hostile_bytes(void) {
  /* a NUL byte, CR line ends, a %s in a bad token, and @N"" which makes
     plain btparse exit(): each is a diagnostic, never a crash */
  const char text[] = "@misc{a, title = {x\0y}}\r\n@misc{b,\r title = {z\r}}\r"
                      "@article{k \"%s%s%s%n\"}\n@N\"\"\n";
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, sizeof text - 1, "h.bib", &err), PR_OK);
  CHECK(pr_bib_count(bib) >= 2);
  CHECK_STR(pr_entry_field(pr_bib_entry(bib, 0), "title"), "x y");
  CHECK_STR(pr_entry_field(pr_bib_entry(bib, 1), "title"), "z");
  CHECK(pr_bib_error_count(bib) >= 2);
  CHECK_STR(diag_line(bib, 0), "h.bib:1: error: NUL byte in input (read as a space)");
  /* the library stays usable afterwards */
  const char *ok = "@misc{after, title = {Fine}}";
  CHECK_INT(pr_bib_add_buffer(bib, ok, strlen(ok), "ok.bib", &err), PR_OK);
  CHECK(pr_bib_find(bib, "after") != NULL);
  pr_bib_free(bib);
}

static void test_too_many_fields(void) {
  pr_buf b = {0};
  pr_buf_puts(&b, "@misc{many,\n");
  for (int i = 0; i < 120; i++) {
    char f[32];
    snprintf(f, sizeof f, " f%d = {v},\n", i);
    pr_buf_puts(&b, f);
  }
  pr_buf_puts(&b, "}\n@misc{next, title = {After}}\n");
  pr_bib *bib = parse(b.data);
  CHECK_INT(pr_bib_count(bib), 1);
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 0)), "next");
  CHECK(pr_bib_error_count(bib) >= 1);
  pr_buf_free(&b);
  pr_bib_free(bib);
}

static void test_duplicate_field(void) {
  pr_bib *bib = parse("@misc{d,\n title = {First},\n title = {Second}}\n");
  CHECK_STR(pr_entry_field(pr_bib_entry(bib, 0), "title"), "First");
  CHECK_STR(diag_line(bib, 0),
            "t.bib:3: warning: entry 'd': repeated field 'title' (the first value, at line 2, is "
            "kept)");
  pr_bib_free(bib);
}

static void test_ordering(void) {
  pr_bib *bib = parse("@misc{nodate, title={N}}\n"
                      "@misc{y19a, year=2019, month=oct}\n"
                      "@misc{y20, year=2020}\n"
                      "@misc{y19b, year=2019, month=dec}\n"
                      "@misc{y19c, year=2019, month=oct}\n"
                      "@misc{y19nomonth, year=2019}\n"
                      "@misc{d21, date={2021-03-04}}\n");
  const pr_entry **v = pr_sorted_entries(bib);
  const char *want[] = {"d21", "y20", "y19b", "y19a", "y19c", "y19nomonth", "nodate"};
  for (size_t i = 0; i < 7; i++) CHECK_STR(pr_entry_key(v[i]), want[i]);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "d21")), 3);
  free(v);
  pr_bib_free(bib);
}

static void test_files(void) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_file(bib, "data/pubs.bib", &err), PR_OK);
  CHECK_INT(pr_bib_count(bib), 6);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  CHECK_INT(pr_bib_add_file(bib, "no/such/file.bib", &err), PR_ERR_IO);
  CHECK_INT(err.code, PR_ERR_IO);
  CHECK_STR(err.source, "no/such/file.bib");
  CHECK_STR(err.message, "cannot open: No such file or directory");
  pr_bib_free(bib);
  pr_bib_free(NULL);
  CHECK_STR(pr_version_string(), PUBRENDER_VERSION_STRING);
}

/* A broken entry never takes its neighbours or the @string macros with it:
   before, between, after the definitions, and a broken @string itself. */
static void test_nothing_lost(void) {
  static const char *const bad = "@misc{bad, title = {X} year = 1}\n";
  static const char *const parts[] = {"@string{a = {A}}\n", "@misc{one, note = a}\n",
                                      "@string{b = {B}}\n", "@misc{two, note = a # b}\n"};
  for (int pos = 0; pos <= 4; pos++) {
    pr_buf t = {0};
    for (int i = 0; i <= 4; i++) {
      if (i == pos) pr_buf_puts(&t, bad);
      if (i < 4) pr_buf_puts(&t, parts[i]);
    }
    pr_bib *bib = parse(t.data);
    CHECK_INT(pr_bib_count(bib), 2);
    CHECK_STR(pr_entry_field(pr_bib_find(bib, "one"), "note"), "A");
    CHECK_STR(pr_entry_field(pr_bib_find(bib, "two"), "note"), "AB");
    CHECK_INT(pr_bib_error_count(bib), 1);
    CHECK(pr_bib_find(bib, "bad") == NULL);
    pr_buf_free(&t);
    pr_bib_free(bib);
  }
  /* a broken @string: its error is reported, the later ones still work */
  pr_bib *bib = parse("@string{a = {A} b = {B}}\n@string{c = {C}}\n@misc{k, note = c}\n"
                      "@misc{first, title = {F}}\n");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "k"), "note"), "C");
  CHECK(pr_bib_find(bib, "first") != NULL);
  CHECK_STR(diag_line(bib, 0), "t.bib:1: error: found \"b\", expected \",\" or \"}\" after the "
                               "value of 'a' (@string skipped)");
  pr_bib_free(bib);
  /* the last entry broken and unterminated */
  bib = parse("@misc{ok, title = {T}}\n@misc{cut, title = {never");
  CHECK(pr_bib_find(bib, "ok") != NULL);
  CHECK_INT(pr_bib_count(bib), 1);
  CHECK_INT(pr_bib_error_count(bib), 1);
  CHECK_STR(diag_line(bib, 0), "t.bib:2: error: this {...} string is never closed (entry 'cut' "
                               "skipped)");
  pr_bib_free(bib);
}

/* Diagnostics and keys stay valid UTF-8 when btparse or a length cap cuts
   a character: a bad token before a multi-byte character in a key, and a
   quoted entry type longer than the message quotes. */
static void test_utf8_kept(void) {
  char *r = pr_utf8_repair("ab\xe2\x80");
  CHECK_STR(r, "ab\xef\xbf\xbd");
  free(r);
  r = pr_utf8_repair("\xbf\xbdk\xff");
  CHECK_STR(r, "\xef\xbf\xbdk\xef\xbf\xbd");
  free(r);
  CHECK(pr_utf8_repair("caf\xc3\xa9") == NULL); /* valid: nothing to repair */
  pr_bib *bib = pr_bib_new();
  pr_error err;
  const char key[] = "@article{\\\xc3\xa9k, title = {x}}\n";
  CHECK_INT(pr_bib_add_buffer(bib, key, strlen(key), "k.bib", &err), PR_OK);
  /* '\' cannot be part of a key: the entry is refused, its message is whole */
  CHECK_INT(pr_bib_count(bib), 0);
  CHECK_STR(diag_line(bib, 0), "k.bib:1: error: found \"\\\", expected the entry's key "
                               "(@article skipped)");
  pr_buf at = {0};
  pr_buf_putc(&at, '@');
  for (int i = 0; i < 100; i++) pr_buf_puts(&at, "\xc3\xa9");
  CHECK_INT(pr_bib_add_buffer(bib, at.data, at.len, "t.bib", &err), PR_OK);
  CHECK(pr_bib_diag_count(bib) > 0);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++)
    CHECK(pr_utf8_repair(pr_bib_diag(bib, i)->message) == NULL);
  pr_buf_free(&at);
  pr_bib_free(bib);
}

int main(void) {
  test_fields();
  test_macros_and_months();
  test_preamble_comment_junk();
  test_recovery();
  test_hostile_bytes();
  test_too_many_fields();
  test_duplicate_field();
  test_ordering();
  test_files();
  test_nothing_lost();
  test_utf8_kept();
  return tests_done();
}
