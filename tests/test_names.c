/* test_names.c - name splitting, display, marks, +an annotations, and
   matching name variants for highlighting. */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

static pr_bib *parse(const char *text) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "n.bib", &err), PR_OK);
  return bib;
}

/* Parts of author i of the only entry, as "first|von|last|jr|marks". */
static const char *parts(const pr_bib *bib, size_t i) {
  static char buf[512];
  const pr_name *n = pr_entry_name(pr_bib_entry(bib, 0), "author", i);
  if (!n) return "(none)";
  snprintf(buf, sizeof buf, "%s|%s|%s|%s|%s", pr_name_first(n), pr_name_von(n), pr_name_last(n),
           pr_name_jr(n), pr_name_marks(n));
  return buf;
}

static const char *display(const pr_bib *bib, size_t i) {
  return pr_name_display(pr_entry_name(pr_bib_entry(bib, 0), "author", i));
}

static void test_split(void) {
  pr_bib *bib = parse("@misc{k, author = {Taegeon Um and Oh, Byungsoo and Ludwig van Beethoven"
                      " and de la Fontaine, Jean and Ford, Jr., Henry and Jean-Paul Sartre and"
                      " Kurt G{\\\"o}del and {\\'E}mile Zola and {Barnes and Noble, Inc.} and"
                      " J. R. R. Tolkien and {\\c{C}}elik, {\\\"U}nal and others}}");
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_INT(pr_entry_name_count(e, "author"), 12);
  CHECK_STR(parts(bib, 0), "Taegeon||Um||");
  CHECK_STR(parts(bib, 1), "Byungsoo||Oh||");
  CHECK_STR(parts(bib, 2), "Ludwig|van|Beethoven||");
  CHECK_STR(parts(bib, 3), "Jean|de la|Fontaine||");
  CHECK_STR(parts(bib, 4), "Henry||Ford|Jr.|");
  CHECK_STR(display(bib, 2), "Ludwig van Beethoven");
  CHECK_STR(display(bib, 3), "Jean de la Fontaine");
  CHECK_STR(display(bib, 4), "Henry Ford, Jr.");
  CHECK_STR(display(bib, 5), "Jean-Paul Sartre");
  CHECK_STR(display(bib, 6), "Kurt Gödel");
  CHECK_STR(display(bib, 7), "Émile Zola");
  CHECK_STR(display(bib, 8), "Barnes and Noble, Inc.");
  CHECK_STR(parts(bib, 8), "||Barnes and Noble, Inc.||");
  CHECK_STR(display(bib, 9), "J. R. R. Tolkien");
  CHECK_STR(display(bib, 10), "Ünal Çelik");
  CHECK_STR(display(bib, 11), "et al.");
  CHECK(pr_name_is_others(pr_entry_name(e, "author", 11)));
  CHECK(!pr_name_is_others(pr_entry_name(e, "author", 10)));
  CHECK_INT(pr_bib_diag_count(bib), 0);
  pr_bib_free(bib);
}

static void test_degenerate(void) {
  /* names that make bt_split_name overrun its buffers when passed raw */
  pr_bib *bib = parse("@misc{k, author = {Smith,,John and , and Doe, , Jane and ,Lee,}}");
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_STR(parts(bib, 0), "John||Smith||");
  CHECK_STR(parts(bib, 1), "Jane||Doe||");
  CHECK_STR(parts(bib, 2), "||Lee||");
  CHECK_INT(pr_entry_name_count(e, "author"), 3);
  pr_bib_free(bib);
}

/* An empty name, from an "and" doubled, leading or trailing (real lists:
   "P. Ettmayer and and G. Dufek", "Heinz Küpfer and Wolfgang Gey and"), is
   left out with a warning for each, numbered by its place in the list as
   written; "and" inside braces or ties is text. */
static void test_empty_names(void) {
  static const struct {
    const char *list;
    long names;
    const char *warned; /* the empty names' numbers */
  } cases[] = {
      {"A and and B", 2, "2"},       {"A and B and", 2, "3"},
      {"and A", 1, "1"},             {"A and ", 1, "2"},
      {"A and B", 2, ""},            {"A~and~B", 1, ""},
      {"{A and} B", 1, ""},          {"A and , and B", 2, "2"},
      {"and and", 0, "1,2,3"},       {"A and and", 1, "2,3"},
      {"A and and B and and C", 3, "2,4"}, {"A and and and B", 2, "2,3"},
      {"   ", 0, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[128], want[256], got[512], seen[64] = "";
    snprintf(text, sizeof text, "@misc{k, title = {T}, author = {%s}}", cases[i].list);
    pr_bib *bib = parse(text);
    CHECK_INT(pr_entry_name_count(pr_bib_entry(bib, 0), "author"), cases[i].names);
    for (size_t d = 0; d < pr_bib_diag_count(bib); d++) {
      const pr_diag *g = pr_bib_diag(bib, d);
      long n = 0;
      CHECK_STR(pr_diag_code(g), "name-empty");
      CHECK(sscanf(pr_diag_message(g), "entry 'k', field 'author': name %ld ", &n) == 1);
      snprintf(want, sizeof want,
               "n.bib:1: warning: entry 'k', field 'author': name %ld is empty (an 'and' "
               "doubled, or at the start or end of the list) and is left out",
               n);
      CHECK_STR(pr_diag_format(g, got, sizeof got), want);
      snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%ld", d ? "," : "", n);
    }
    CHECK_STR(seen, cases[i].warned);
    pr_bib_free(bib);
  }
}

/* BibTeX's rules where libbtparse strayed from them (test_namesplit.c
   compares the two splitters on every name the tests and corpus hold). */
static void test_bibtex_rules(void) {
  pr_bib *bib = parse("@misc{k,\n author = {smith, john and Van den Broeck, Guy and"
                      " Gerard 't Hooft and Jean de Fontaine du Bois and von Last, Jr, First, More"
                      " and {\\'e}mile Zola and Jan \\v{S}imon Novak}}");
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_INT(pr_entry_name_count(e, "author"), 7);
  CHECK_STR(parts(bib, 0), "john||smith||"); /* was "john smith john" */
  CHECK_STR(parts(bib, 1), "Guy|Van den|Broeck||");
  CHECK_STR(display(bib, 1), "Guy Van den Broeck");
  CHECK_STR(parts(bib, 2), "Gerard|’t|Hooft||");
  CHECK_STR(parts(bib, 3), "Jean|de Fontaine du|Bois||");
  CHECK_STR(parts(bib, 4), "First More|von|Last|Jr|");
  CHECK_STR(parts(bib, 5), "|émile|Zola||");
  CHECK_STR(parts(bib, 6), "Jan Šimon||Novak||");
  CHECK_INT(pr_bib_diag_count(bib), 1);
  char buf[512];
  CHECK_STR(pr_diag_format(pr_bib_diag(bib, 0), buf, sizeof buf),
            "n.bib:2: warning: entry 'k', field 'author': name 5 has more than two commas (BibTeX's "
            "forms are 'Last, First' and 'Last, Jr, First'): all that follows the second comma "
            "is read as the first name");
  pr_bib_free(bib);
}

static void test_marks(void) {
  pr_bib *bib = parse("@misc{k, author = {Um*, Taegeon and Byungsoo Oh* and Einstein*\xe2\x80\xa0, A."
                      " and Rosen\\dag, N. and Podolsky\xe2\x80\xa1, B. and Plain, Jane}}");
  CHECK_STR(parts(bib, 0), "Taegeon||Um||*");
  CHECK_STR(parts(bib, 1), "Byungsoo||Oh||*");
  CHECK_STR(parts(bib, 2), "A.||Einstein||*\xe2\x80\xa0");
  CHECK_STR(parts(bib, 3), "N.||Rosen||\xe2\x80\xa0");
  CHECK_STR(parts(bib, 4), "B.||Podolsky||\xe2\x80\xa1");
  CHECK_STR(parts(bib, 5), "Jane||Plain||");
  pr_bib_free(bib);
}

static void test_annotations(void) {
  pr_bib *bib = parse("@misc{k, author = {Ann One and Bob Two and Cy Three},\n"
                      " author+an = {1=equal; 2=equal,highlight; 3=corresponding; 3:family=student}}");
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_STR(parts(bib, 0), "Ann||One||*");
  CHECK_STR(parts(bib, 1), "Bob||Two||*");
  CHECK_STR(parts(bib, 2), "Cy||Three||\xe2\x80\xa0");
  CHECK(!pr_name_annotated_highlight(pr_entry_name(e, "author", 0)));
  CHECK(pr_name_annotated_highlight(pr_entry_name(e, "author", 1)));
  CHECK_INT(pr_bib_diag_count(bib), 1);
  char buf[512];
  CHECK_STR(pr_diag_format(pr_bib_diag(bib, 0), buf, sizeof buf),
            "n.bib:2: warning: author+an: annotation 'student' has no default mark (give it one "
            "with 'annotations' in pubrender.yml)");
  /* the options can give a keyword a mark, or change a default one */
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_annotation(o, "student", "\xc2\xa7"), PR_OK);
  CHECK_INT(pr_options_set_annotation(o, "equal", "="), PR_OK);
  pr_buf scratch = {0};
  CHECK_STR(pr_name_marks_for(o, pr_entry_name(e, "author", 2), &scratch),
            "\xe2\x80\xa0\xc2\xa7");
  CHECK_STR(pr_name_marks_for(o, pr_entry_name(e, "author", 0), &scratch), "=");
  pr_buf_free(&scratch);
  pr_options_free(o);
  pr_bib_free(bib);
}

static int highlighted(const char *variant, const char *author) {
  char text[512];
  snprintf(text, sizeof text, "@misc{k, author = {%s}}", author);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  pr_bib_add_buffer(bib, text, strlen(text), "h.bib", &err);
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_add_highlight(o, variant), PR_OK);
  int r = pr_name_is_highlighted(o, pr_entry_name(pr_bib_entry(bib, 0), "author", 0));
  pr_options_free(o);
  pr_bib_free(bib);
  return r;
}

static void test_highlight_matching(void) {
  CHECK(highlighted("Byungsoo Oh", "Oh, Byungsoo"));
  CHECK(highlighted("Byungsoo Oh", "B. Oh"));
  CHECK(highlighted("Byungsoo Oh", "Oh, B."));
  CHECK(highlighted("Byungsoo Oh", "BYUNGSOO OH"));
  CHECK(highlighted("Byungsoo Oh", "Oh*, Byungsoo"));
  CHECK(highlighted("Oh, B.", "Byungsoo Oh"));
  CHECK(highlighted("Kurt Godel", "Kurt G{\\\"o}del"));
  CHECK(highlighted("Kurt Gödel", "G\\\"odel, K."));
  CHECK(highlighted("Jean-Paul Sartre", "J.-P. Sartre"));
  CHECK(highlighted("Ludwig van Beethoven", "van Beethoven, L."));
  CHECK(!highlighted("Byungsoo Oh", "Byungchan Oh"));
  CHECK(!highlighted("Byungsoo Oh", "C. Oh"));
  CHECK(!highlighted("Byungsoo Oh", "Byungsoo Ohm"));
  CHECK(!highlighted("Byungsoo Oh", "others"));
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_add_highlight(o, "A and B"), PR_ERR_ARG);
  CHECK_INT(pr_options_add_highlight(o, ""), PR_ERR_ARG);
  pr_options_free(o);
}

static void test_fold(void) {
  char *f = pr_fold("{\\'E}mile  Zola-Dupont, Jr.");
  CHECK_STR(f, "emile zola dupont jr");
  free(f);
  f = pr_fold("Ünal ÇELIK");
  CHECK_STR(f, "unal celik");
  free(f);
}

int main(void) {
  test_split();
  test_degenerate();
  test_empty_names();
  test_bibtex_rules();
  test_marks();
  test_annotations();
  test_highlight_matching();
  test_fold();
  return tests_done();
}
