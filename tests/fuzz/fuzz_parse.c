/* fuzz_parse.c - the input is a .bib document: pr_bib_add_buffer on the
 * bytes, then every getter of the public API on everything parsed.
 *
 * Checked: no crash, no leak, no hang; every string the library hands out
 * is valid UTF-8 without NUL (invalid input bytes become U+FFFD); every
 * field listed can be looked up by name; diagnostics format cleanly; the
 * document parses the same again after an empty document (no btparse state
 * carried from one document to the next); btparse's own parser never meets
 * a syntax error (the prescan refuses those entries first).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "render/render.h"
#include "fuzz_util.h"

static void check_str(const char *what, const char *s) {
  if (!s) FUZZ_FAIL("%s: NULL", what);
  fuzz_check_text(what, s, strlen(s));
}

static void walk_names(const pr_entry *e, const char *field) {
  size_t n = pr_entry_name_count(e, field);
  for (size_t i = 0; i < n; i++) {
    const pr_name *nm = pr_entry_name(e, field, i);
    if (!nm) FUZZ_FAIL("%s %zu of %zu: NULL", field, i, n);
    check_str("pr_name_first", pr_name_first(nm));
    check_str("pr_name_von", pr_name_von(nm));
    check_str("pr_name_last", pr_name_last(nm));
    check_str("pr_name_jr", pr_name_jr(nm));
    check_str("pr_name_display", pr_name_display(nm));
    check_str("pr_name_marks", pr_name_marks(nm));
    (void)pr_name_is_others(nm);
    (void)pr_name_annotated_highlight(nm);
  }
  if (pr_entry_name(e, field, n)) FUZZ_FAIL("%s: a name past the count", field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  pr_bib *bib = pr_bib_new();
  if (!bib) return 0;
  pr_error err;
  unsigned long syntax_before = pr_bt_syntax_errors();
  pr_status st = pr_bib_add_buffer(bib, (const char *)data, size, "fuzz.bib", &err);
  /* the prescan refuses every entry btparse's parser would stumble on:
     btparse's recovery from a syntax error is what prints and loses entries */
  if (pr_bt_syntax_errors() != syntax_before)
    FUZZ_FAIL("btparse met a syntax error the prescan let through");
  if (st != PR_OK && st != PR_ERR_NOMEM) {
    /* only out of memory (or a refused link order) may fail a buffer */
    if (st != PR_ERR_INTERNAL) FUZZ_FAIL("pr_bib_add_buffer: %d %s", (int)st, err.message);
  }

  size_t count = pr_bib_count(bib);
  for (size_t i = 0; i < count; i++) {
    const pr_entry *e = pr_bib_entry(bib, i);
    if (!e) FUZZ_FAIL("entry %zu of %zu: NULL", i, count);
    check_str("pr_entry_type", pr_entry_type(e));
    check_str("pr_entry_key", pr_entry_key(e));
    fuzz_touch(pr_entry_file(e));
    (void)pr_entry_line(e);
    (void)pr_entry_year(e);
    int month = pr_entry_month(e);
    if (month < 0 || month > 12) FUZZ_FAIL("pr_entry_month: %d", month);
    size_t nf = pr_entry_field_count(e);
    for (size_t k = 0; k < nf; k++) {
      const char *name = pr_entry_field_name(e, k);
      const char *value = pr_entry_field_value(e, k);
      check_str("pr_entry_field_name", name);
      check_str("pr_entry_field_value", value);
      if (!pr_entry_field(e, name)) FUZZ_FAIL("field '%s' listed but not found", name);
      char *text = pr_entry_field_text(e, name);
      if (text) fuzz_check_text("pr_entry_field_text", text, strlen(text));
      pr_free(text);
    }
    if (pr_entry_field(e, "no such field")) FUZZ_FAIL("a field that does not exist was found");
    walk_names(e, "author");
    walk_names(e, "editor");
    if (!pr_bib_find(bib, pr_entry_key(e))) FUZZ_FAIL("key '%s' not found", pr_entry_key(e));
  }
  if (pr_bib_entry(bib, count)) FUZZ_FAIL("an entry past the count");

  size_t nd = pr_bib_diag_count(bib), nerr = 0;
  for (size_t i = 0; i < nd; i++) {
    const pr_diag *d = pr_bib_diag(bib, i);
    if (!d) FUZZ_FAIL("diagnostic %zu of %zu: NULL", i, nd);
    check_str("pr_diag message", pr_diag_message(d));
    check_str("pr_diag file", pr_diag_file(d));
    check_str("pr_diag code", pr_diag_code(d));
    if (pr_diag_key(d)) check_str("pr_diag key", pr_diag_key(d));
    if (pr_diag_field(d)) check_str("pr_diag field", pr_diag_field(d));
    if (pr_diag_severity(d) == PR_ERROR) nerr++;
    char buf[512], small[8];
    pr_diag_format(d, buf, sizeof buf);
    if (!memchr(buf, 0, sizeof buf)) FUZZ_FAIL("pr_diag_format: not terminated");
    pr_diag_format(d, small, sizeof small);
    if (!memchr(small, 0, sizeof small)) FUZZ_FAIL("pr_diag_format: not terminated (small)");
  }
  if (nerr != pr_bib_error_count(bib))
    FUZZ_FAIL("pr_bib_error_count %zu, but %zu diagnostics are errors", pr_bib_error_count(bib), nerr);

  /* The same document must parse the same whatever came before it
     (btparse is reset per document): once more, after an empty document. */
  pr_bib *empty = pr_bib_new(), *again = pr_bib_new();
  if (empty && again) {
    pr_bib_add_buffer(empty, "", 0, "empty.bib", NULL);
    if (pr_bib_add_buffer(again, (const char *)data, size, "fuzz.bib", NULL) == PR_OK && st == PR_OK) {
      if (pr_bib_count(again) != count || pr_bib_diag_count(again) != nd)
        FUZZ_FAIL("parsed after an empty document: %zu entries and %zu diagnostics, first time "
                  "%zu and %zu", pr_bib_count(again), pr_bib_diag_count(again), count, nd);
      for (size_t i = 0; i < count; i++)
        if (strcmp(pr_entry_key(pr_bib_entry(again, i)), pr_entry_key(pr_bib_entry(bib, i))))
          FUZZ_FAIL("parsed after an empty document: entry %zu is '%s', first time '%s'", i,
                    pr_entry_key(pr_bib_entry(again, i)), pr_entry_key(pr_bib_entry(bib, i)));
    }
  }
  pr_bib_free(empty);
  pr_bib_free(again);
  pr_bib_free(bib);
  return 0;
}
