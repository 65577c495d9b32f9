/* test_fidelity.c - BibTeX and biblatex semantics on top of parsing:
   crossref, duplicate keys, case, @string order, delimiters, biblatex
   fields, names, encodings. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

static pr_bib *parse_as(const char *text, size_t len, const char *name) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, len, name, &err), PR_OK);
  return bib;
}

static pr_bib *parse(const char *text) { return parse_as(text, strlen(text), "f.bib"); }

static const char *diag(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static const char *field(const pr_bib *bib, const char *key, const char *name) {
  const char *v = pr_entry_field(pr_bib_find(bib, key), name);
  return v ? v : "(missing)";
}

static char *html(pr_bib *bib) {
  pr_options *o = pr_options_new();
  char *out = NULL;
  pr_error err;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, NULL, &err), PR_OK);
  pr_options_free(o);
  return out;
}

static void test_crossref(void) {
  pr_bib *bib = parse("@inproceedings{child, title = {Paper}, crossref = {Proc},\n pages = {1--2}}\n"
                      "@proceedings{proc, title = {Proceedings of Things}, year = 2020,\n"
                      " publisher = {ACM}, editor = {Ed Itor}}\n");
  CHECK_STR(field(bib, "child", "booktitle"), "Proceedings of Things");
  CHECK_STR(field(bib, "child", "title"), "Paper");
  CHECK_STR(field(bib, "child", "year"), "2020");
  CHECK_STR(field(bib, "child", "publisher"), "ACM");
  CHECK_INT(pr_entry_year(pr_bib_find(bib, "child")), 2020);
  CHECK_INT(pr_entry_name_count(pr_bib_find(bib, "child"), "editor"), 1);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);

  /* chains: grandparent fields reach the grandchild */
  bib = parse("@incollection{a, title = {A}, crossref = {b}}\n"
              "@book{b, title = {B}, crossref = {c}}\n"
              "@book{c, title = {C}, year = 1999, publisher = {P}}\n");
  CHECK_STR(field(bib, "a", "booktitle"), "B");
  CHECK_STR(field(bib, "a", "publisher"), "P");
  CHECK_STR(field(bib, "a", "year"), "1999");
  CHECK_STR(field(bib, "b", "booktitle"), "(missing)");
  pr_bib_free(bib);

  /* a missing parent is a warning naming the line; a cycle is an error */
  bib = parse("@misc{orphan,\n crossref = {nowhere}}\n"
              "@misc{x, crossref = {y}, note = {X}}\n@misc{y, crossref = {x}, title = {Y}}\n");
  CHECK_INT(pr_bib_count(bib), 3);
  CHECK_STR(diag(bib, 0), "f.bib:2: warning: entry 'orphan': crossref 'nowhere' not found "
                          "(nothing inherited)");
  CHECK_STR(diag(bib, 1), "f.bib:4: error: entry 'y': crossref cycle through 'x' (nothing "
                          "inherited from it)");
  CHECK_STR(field(bib, "x", "title"), "Y");
  CHECK_STR(field(bib, "y", "note"), "(missing)");
  pr_bib_free(bib);
}

/* a long chain of parents with distinct fields is capped, not quadratic */
static void test_crossref_cap(void) {
  pr_buf t = {0};
  for (int i = 0; i < 300; i++) {
    char line[96];
    snprintf(line, sizeof line, "@misc{c%d, crossref = {c%d}, f%d = {v}}\n", i, i + 1, i);
    pr_buf_puts(&t, line);
  }
  pr_buf_puts(&t, "@misc{c300, title = {Root}}\n");
  pr_bib *bib = parse(t.data);
  CHECK_INT(pr_entry_field_count(pr_bib_find(bib, "c0")), 256);
  CHECK_INT(pr_entry_field_count(pr_bib_find(bib, "c299")), 3);
  CHECK_STR(diag(bib, 0), "f.bib:46: warning: entry 'c45': crossref stops at 256 fields (the rest "
                          "is not inherited)");
  pr_buf_free(&t);
  pr_bib_free(bib);
}

static void test_duplicates_and_case(void) {
  pr_bib *bib = parse("@ARTICLE{Dup, TITLE = {First}}\n\n@Misc{dup, title = {Second}}\n"
                      "@misc{other, title = {T}, Title = {U}}\n");
  CHECK_INT(pr_bib_count(bib), 3);
  CHECK_STR(pr_entry_type(pr_bib_entry(bib, 0)), "article");
  CHECK_STR(field(bib, "dup", "title"), "First"); /* a key finds its first definition */
  CHECK_STR(pr_entry_key(pr_bib_entry(bib, 1)), "dup");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 1)), "dup-2");
  CHECK_STR(pr_entry_id(pr_bib_entry(bib, 0)), "Dup");
  CHECK_STR(diag(bib, 0), "f.bib:4: warning: entry 'other': repeated field 'title' (the first "
                          "value, at line 4, is kept)");
  CHECK_STR(diag(bib, 1), "f.bib:3: warning: duplicate key 'dup' (first at f.bib:1): a different "
                          "entry, kept with id 'dup-2'");
  pr_bib_free(bib);
}

static void test_strings_and_delimiters(void) {
  pr_bib *bib = parse("@misc(early, note = later)\n@string(later = {L})\n"
                      "@misc{late, note = later # \" too\"}\n");
  CHECK_STR(field(bib, "early", "note"), "later"); /* defined after: the word as written */
  CHECK_STR(field(bib, "late", "note"), "L too");
  CHECK_STR(diag(bib, 0), "f.bib:1: warning: entry 'early', field 'note': undefined macro 'later', "
                          "read as the word as written (define it with an @string before this "
                          "entry, or write it in braces)");
  pr_bib_free(bib);
}

static void test_biblatex(void) {
  pr_bib *bib = parse("@article{j, journaltitle = {J. Things}, date = {2024-07-10}, title = {T},\n"
                      " subtitle = {Sub}}\n"
                      "@online{o, title = {O}, eprint = {2101.00001}, eprinttype = {arXiv},\n"
                      " date = {2021-03}, url = {https://x.org}, urldate = {2024-01-01}}\n"
                      "@thesis{t, type = {Habilitation}, institution = {Uni}, date = {2019/2020}}\n");
  CHECK_INT(pr_entry_year(pr_bib_find(bib, "j")), 2024);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "j")), 7);
  CHECK_INT(pr_entry_month(pr_bib_find(bib, "o")), 3);
  CHECK_INT(pr_entry_year(pr_bib_find(bib, "t")), 2019);
  char *out = html(bib);
  CHECK(strstr(out, "<div class=\"pubrender-title\">T: Sub</div>\n"
                    "<div class=\"pubrender-venue\"><em>J. Things</em>, 2024</div>") != NULL);
  CHECK(strstr(out, "<a class=\"pubrender-link\" href=\"https://arxiv.org/abs/2101.00001\">arXiv"
                    "</a>") != NULL);
  CHECK(strstr(out, "<div class=\"pubrender-venue\">Habilitation, Uni, 2019\xe2\x80\x93" "2020</div>") != NULL);
  free(out);
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
}

static void test_encodings(void) {
  /* BOM and CRLF */
  const char bom[] = "\xef\xbb\xbf@misc{b,\r\n title = {Caf\xc3\xa9}}\r\n";
  pr_bib *bib = parse_as(bom, sizeof bom - 1, "bom.bib");
  CHECK_STR(field(bib, "b", "title"), "Caf\xc3\xa9");
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
  /* invalid UTF-8: an error naming the line, read as U+FFFD */
  const char bad[] = "@misc{b,\n title = {Caf\xe9}}\n";
  bib = parse_as(bad, sizeof bad - 1, "bad.bib");
  CHECK_STR(field(bib, "b", "title"), "Caf\xef\xbf\xbd");
  CHECK_STR(diag(bib, 0), "bad.bib:2: error: invalid UTF-8 (byte 0xe9), read as U+FFFD; if the "
                          "file is Latin-1, use --encoding latin1");
  pr_bib_free(bib);
  /* the same file as Latin-1 */
  bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_set_encoding(bib, PR_ENCODING_LATIN1), PR_OK);
  CHECK_INT(pr_bib_add_buffer(bib, bad, sizeof bad - 1, "l1.bib", &err), PR_OK);
  CHECK_STR(field(bib, "b", "title"), "Caf\xc3\xa9");
  CHECK_INT(pr_bib_diag_count(bib), 0);
  CHECK_INT(pr_bib_set_encoding(bib, (pr_encoding)9), PR_ERR_ARG);
  pr_bib_free(bib);
  /* overlong and surrogate sequences are invalid too */
  const char overlong[] = "@misc{o, title = {\xc0\xaf \xed\xa0\x80}}";
  bib = parse_as(overlong, sizeof overlong - 1, "o.bib");
  CHECK_INT(pr_bib_error_count(bib), 1);
  CHECK_STR(field(bib, "o", "title"),
            "\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  pr_bib_free(bib);
}

static const char *display(const pr_bib *bib, size_t i) {
  const pr_name *n = pr_entry_name(pr_bib_entry(bib, 0), "author", i);
  return n ? pr_name_display(n) : "(none)";
}

static void test_names(void) {
  pr_bib *bib = parse("@misc{n, author = {J.-P. Sartre and J. R. R. Tolkien and {\\relax Ch}ristoph"
                      " Meier and {\xe5\xad\x99\xe4\xb8\xad\xe5\xb1\xb1} and"
                      " von Neumann, Jr., John and {\\v{S}}koda, Emil and Fran{\\c c}ois Truffaut"
                      " and {Barnes and Noble} and others}}");
  CHECK_INT(pr_entry_name_count(pr_bib_entry(bib, 0), "author"), 9);
  CHECK_STR(display(bib, 0), "J.-P. Sartre");
  CHECK_STR(display(bib, 1), "J. R. R. Tolkien");
  CHECK_STR(display(bib, 2), "Christoph Meier");
  CHECK_STR(display(bib, 3), "\xe5\xad\x99\xe4\xb8\xad\xe5\xb1\xb1");
  CHECK_STR(display(bib, 4), "John von Neumann, Jr.");
  CHECK_STR(pr_name_von(pr_entry_name(pr_bib_entry(bib, 0), "author", 4)), "von");
  CHECK_STR(pr_name_jr(pr_entry_name(pr_bib_entry(bib, 0), "author", 4)), "Jr.");
  CHECK_STR(display(bib, 5), "Emil \xc5\xa0koda");
  CHECK_STR(display(bib, 6), "Fran\xc3\xa7ois Truffaut");
  CHECK_STR(display(bib, 7), "Barnes and Noble");
  CHECK_STR(display(bib, 8), "et al.");
  pr_bib_free(bib);
}

/* BibTeX skips a plain brace group when it decides a word's case */
static void test_von_braces(void) {
  pr_bib *bib = parse("@misc{v, author = {Jean {d}e la Fontaine and {d}e la Fontaine, Jean and"
                      " Simon {\"}the {saint\"} Templar and {\\'E}douard {\\'e}l Gato}}");
  const pr_entry *e = pr_bib_entry(bib, 0);
  const char *want[][3] = {{"Jean", "de la", "Fontaine"}, {"Jean", "de la", "Fontaine"},
                           {"Simon", "\"the", "saint\" Templar"}, {"\xc3\x89" "douard", "\xc3\xa9" "l", "Gato"}};
  for (size_t i = 0; i < 4; i++) {
    const pr_name *n = pr_entry_name(e, "author", i);
    CHECK_STR(pr_name_first(n), want[i][0]);
    CHECK_STR(pr_name_von(n), want[i][1]);
    CHECK_STR(pr_name_last(n), want[i][2]);
  }
  pr_bib_free(bib);
}

static void test_latex_warnings(void) {
  pr_bib *bib = parse("@misc{a, title = {\\foo{x} \\foo{y} \\bar}}\n@misc{b,\n note = {\\foo{z}},"
                      " url = {http://x.org/\\weird}}\n");
  CHECK_INT(pr_bib_diag_count(bib), 2);
  CHECK_STR(diag(bib, 0), "f.bib:1: warning: entry 'a', field 'title': unknown LaTeX command \\foo "
                          "(its argument, or its name when it has none, is kept as text; warned once)");
  CHECK_STR(diag(bib, 1), "f.bib:1: warning: entry 'a', field 'title': unknown LaTeX command \\bar "
                          "(its argument, or its name when it has none, is kept as text; warned once)");
  char *t = pr_entry_field_text(pr_bib_find(bib, "a"), "title");
  CHECK_STR(t, "x y bar"); /* no argument: the name */
  pr_free(t);
  pr_bib_free(bib);
}

int main(void) {
  test_crossref();
  test_crossref_cap();
  test_duplicates_and_case();
  test_strings_and_delimiters();
  test_biblatex();
  test_encodings();
  test_names();
  test_latex_warnings();
  test_von_braces();
  return tests_done();
}
