/* fuzz_names.c - the input is a name list ("A and B, C and others").
 *
 *  1. pr_bt_split_names on the text up to the first NUL (pubrender's own
 *     BibTeX name splitter, src/read/namesplit.c);
 *  2. the whole path: a .bib entry whose author and editor fields are the
 *     input, parsed with pr_bib_add_buffer, names built with marks and a
 *     biblatex +an annotation, every name part read, and pr_fold /
 *     pr_name_matches run on each name.
 *
 * Checked: no crash, no leak; every name part is valid UTF-8 when the
 * input is (parsed input always is: invalid bytes become U+FFFD).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "fuzz_util.h"
#include "render/render.h"

static void check_part(const char *what, const char *s) {
  if (!s) FUZZ_FAIL("%s: NULL", what);
  fuzz_check_text(what, s, strlen(s));
}

static void split_direct(const char *list) {
  pr_bib *bib = pr_bib_new();
  if (!bib) return;
  pr_raw_name *v = NULL;
  long n = pr_bt_split_names(list, &bib->diags, "fuzz.bib", 1, &v);
  for (long i = 0; i < n; i++) {
    fuzz_touch(v[i].first);
    fuzz_touch(v[i].von);
    fuzz_touch(v[i].last);
    fuzz_touch(v[i].jr);
  }
  if (n >= 0) pr_raw_names_free(v, (size_t)n);
  /* and without a bib to take the diagnostics */
  v = NULL;
  n = pr_bt_split_names(list, NULL, "fuzz.bib", 1, &v);
  if (n >= 0) pr_raw_names_free(v, (size_t)n);
  pr_bib_free(bib);
}

static void walk(const pr_entry *e, const char *field) {
  size_t n = pr_entry_name_count(e, field);
  for (size_t i = 0; i < n; i++) {
    const pr_name *nm = pr_entry_name(e, field, i);
    if (!nm) FUZZ_FAIL("%s %zu: NULL", field, i);
    check_part("first", pr_name_first(nm));
    check_part("von", pr_name_von(nm));
    check_part("last", pr_name_last(nm));
    check_part("jr", pr_name_jr(nm));
    check_part("display", pr_name_display(nm));
    check_part("marks", pr_name_marks(nm));
    char *last = pr_fold(pr_name_last(nm));
    char *first = pr_fold(pr_name_first(nm));
    if (last && first) (void)pr_name_matches(nm, last, first);
    free(last);
    free(first);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *list = fuzz_cstr(data, size);
  if (!list) return 0;
  split_direct(list);

  static const char head[] = "@article{fuzz,\n  author = {";
  static const char mid[] = "},\n  editor = {";
  static const char tail[] =
      "},\n  author+an = {1=equal; 2=corresponding,highlight; 3=equal},\n"
      "  title = {T},\n  year = 2024\n}\n";
  size_t n = strlen(list);
  size_t len = sizeof head - 1 + n + sizeof mid - 1 + n + sizeof tail - 1;
  char *bibtext = malloc(len + 1);
  if (bibtext) {
    snprintf(bibtext, len + 1, "%s%s%s%s%s", head, list, mid, list, tail);
    pr_bib *bib = pr_bib_new();
    if (bib) {
      pr_bib_add_buffer(bib, bibtext, len, "fuzz.bib", NULL);
      for (size_t i = 0; i < pr_bib_count(bib); i++) {
        walk(pr_bib_entry(bib, i), "author");
        walk(pr_bib_entry(bib, i), "editor");
      }
      pr_bib_free(bib);
    }
    free(bibtext);
  }
  free(list);
  return 0;
}
