/* test_namesplit.c - the name splitter (src/read/namesplit.c) against the one it
 * replaced (libbtparse's bt_split_name behind a sanitiser and a von fix-up,
 * kept for this test in namesplit_old.c): every name list of the corpus
 * (../shared/corpus), of the tests' own .bib files and data/pubs.bib, of
 * the fuzz corpus of name lists, and hand-written tricky names, compared
 * part by part with the warnings each gives. The two must agree except on
 * the names listed in `accepted`, where the old splitter was wrong and the
 * new one gives BibTeX's answer (checked here as well).
 *
 * Usage: test_namesplit SHARED_CORPUS_DIR [FILE.bib...]  (run from the
 * source tree; extra .bib files are compared too, for a manual run on a
 * large sample). Without the shared corpus the rest still runs (a note says so).
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "render/render.h"
#include "namesplit_old.h"

/* Names (as the old sanitiser left them) the two splitters read
   differently on purpose, the new parts "first|von|last|jr", and why. */
static const struct {
  const char *name, *now, *why;
} accepted[] = {
    /* libbtparse's run of lower-case tokens ran on past the first comma
       (BibTeX: Last always keeps the token before it) */
    {"smith, john", "john||smith|", "lower-case run crossed the comma: \"john smith john\""},
    {"cummings, e. e.", "e. e.||cummings|", "lower-case run crossed the comma"},
    {"x, y", "y||x|", "lower-case run crossed the comma"},
    {"a, b", "b||a|", "lower-case run crossed the comma (fuzz corpus)"},
    {"de la fontaine, jean", "jean|de la|fontaine|", "lower-case run crossed the comma"},
    {"von last, jr, first", "first|von|last|jr", "lower-case run crossed the commas"},
    {"a, b, c", "c||a|b", "lower-case run crossed the commas"},
    {"a, b, c, d, e", "c d e||a|b", "lower-case run crossed the commas"},
    {"a} b, c", "c|a}|b|", "lower-case run crossed the comma"},
    /* BibTeX's von with commas: from the start to the last lower-case
       token before the last one (libbtparse: only a lower-case start) */
    {"De la Fontaine, Jean", "Jean|De la|Fontaine|", "BibTeX: von runs from the start"},
    {"Smith van Jones, John", "John|Smith van|Jones|", "BibTeX: von runs from the start"},
    {"Van den Broeck, Guy", "Guy|Van den|Broeck|",
     "BibTeX: von runs from the start (display, sorting and matching see von+last alike)"},
    /* BibTeX's von without commas: first to last lower-case token, even
       with upper-case ones between (libbtparse: the first run only) */
    {"Jean de Fontaine du Bois", "Jean|de Fontaine du|Bois|",
     "BibTeX: von ends at the last lower-case token"},
    /* BibTeX decides by a word's first letter, libbtparse by its first
       character */
    {"Gerard 't Hooft", "Gerard|'t|Hooft|", "BibTeX: first letter, after the apostrophe"},
    {"'t Hooft, Gerard", "Gerard|'t|Hooft|", "BibTeX: first letter, after the apostrophe"},
    {"Jean \\'emile Zola", "Jean|\\'emile|Zola|", "BibTeX: first letter, after the accent"},
    {"Jean \\o{}ster Zola", "Jean|\\o{}ster|Zola|", "BibTeX: \\o is a lower-case letter"},
    {"Jean 1st von Zola", "Jean|1st von|Zola|", "BibTeX: digits are no letters"},
    {"Jones -van Jones", "Jones|-van|Jones|", "BibTeX: first letter, after the hyphen"},
    {"00000000: 612c 62 a, b", "b|00000000: 612c|62 a|",
     "BibTeX: digits are no letters (a hex dump in the fuzz corpus)"},
    {"<img src=x onerror=alert(3)>", "|<img src=x|onerror=alert(3)>|",
     "BibTeX: first letter, after the '<' (hostile.bib)"},
    {"Mallory \"><img src=x onerror=alert(11)>", "Mallory|\"><img src=x|onerror=alert(11)>|",
     "BibTeX: first letter, after the '\">' (hostile.bib)"},
    /* a command outside braces is read as the letter it makes */
    {"Jones \\textsc{van} Jones", "Jones|\\textsc{van}|Jones|",
     "\\textsc{van} starts with a lower-case v (libbtparse: a backslash is no letter)"},
    {"Jan {D}e \\v{S}imon Novak", "Jan|{D}e|\\v{S}imon Novak|",
     "\\v{S} is an upper-case S (BibTeX and the old fix-up: a lower-case v)"},
    /* TeX's \ifmmode A\else B\fi is B in text: resolved before the split */
    {"Dra\\ifmmode \\check{s}\\else \\v{s}\\fi{}ar, M.", "M.||Dra\\v{s}{}ar|",
     "\\ifmmode: the text branch (fuzz corpus ifmmode.txt)"},
    {"\\ifmmode \\check{C}\\else \\v{C}\\fi{}i\\ifmmode \\check{z}\\else \\v{z}\\fi{}ek, Jakub",
     "Jakub||\\v{C}{}i\\v{z}{}ek|", "\\ifmmode: the text branch (fuzz corpus ifmmode.txt)"},
};

static int nlists, nnames, nsame, naccepted, nwarnings;
static int used[sizeof accepted / sizeof *accepted];

static void parts(const pr_raw_name *r, char *buf, size_t size) {
  snprintf(buf, size, "%s|%s|%s|%s", r->first, r->von, r->last, r->jr);
}

static const char *const messages[] = {"too many commas in name (removing extras)",
                                       "unmatched '{' (ignoring)", "unmatched '}' (ignoring)"};
/* what pubrender's splitter says for each of them (after "name N ") */
static const char *const new_messages[] = {
    "has more than two commas (BibTeX's forms are 'Last, First' and 'Last, Jr, First'): all "
    "that follows the second comma is read as the first name",
    "has a '{' that is never closed (the rest of the list is read as part of this name)",
    "has a '}' without a '{' before it (the name is split as if it were not there)"};

/* Warnings as counts per message: "too many commas" is given once per name
   by both; btparse gave the brace ones twice per brace, the new splitter
   once per name, so for those only whether they were given counts. -1 when
   a message is none of these. */
static int tally(const char *msg, int count[3]) {
  const char *after = strncmp(msg, "name ", 5) == 0 ? strchr(msg + 5, ' ') : NULL;
  for (int k = 0; k < 3; k++)
    if (strcmp(msg, messages[k]) == 0 || (after && strcmp(after + 1, new_messages[k]) == 0)) {
      count[k] = k == 0 ? count[k] + 1 : 1;
      return 0;
    }
  /* pubrender's own: libbtparse dropped an empty name without a word */
  if (after && strncmp(after + 1, "is empty (", 10) == 0) return 0;
  return -1;
}

/* Compare the two splitters on one name list; where is for messages. */
static void compare(const char *list, const char *where) {
  pr_raw_name *o = NULL, *n = NULL;
  char **items = NULL, *printed = NULL;
  long on = old_split_names(list, &o, &items, &printed);
  pr_bib *bib = pr_bib_new();
  long nn = pr_bt_split_names(list, &bib->diags, "t.bib", 7, &n);
  nlists++;
  CHECK(on >= 0 && nn >= 0);
  if (on != nn) {
    h_fail++;
    printf("%s: %ld names, were %ld, in \"%.300s\"\n", where, nn, on, list);
  }
  int wold[3] = {0, 0, 0}, wnew[3] = {0, 0, 0};
  for (const char *p = printed; p && (p = strstr(p, "warning: "));) {
    p += strlen("warning: ");
    const char *e = strchr(p, '\n');
    char msg[256];
    snprintf(msg, sizeof msg, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
    if (tally(msg, wold)) {
      h_fail++;
      printf("%s: btparse said \"%s\" for \"%.300s\"\n", where, msg, list);
    }
  }
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    const pr_diag *d = pr_bib_diag(bib, i);
    CHECK(d->severity == PR_WARNING && d->line == 7 && tally(d->message, wnew) == 0);
    nwarnings++;
  }
  for (int k = 0; k < 3; k++)
    if (wold[k] != wnew[k]) {
      h_fail++;
      printf("%s: \"%s\" %d, was %d, in \"%.300s\"\n", where, messages[k], wnew[k], wold[k],
             list);
    }
  for (long i = 0; on == nn && i < nn; i++) {
    char was[4096], now[4096];
    parts(&o[i], was, sizeof was);
    parts(&n[i], now, sizeof now);
    nnames++;
    if (strcmp(was, now) == 0) {
      nsame++;
      continue;
    }
    size_t k = 0;
    while (k < sizeof accepted / sizeof *accepted && strcmp(accepted[k].name, items[i]) != 0) k++;
    if (k < sizeof accepted / sizeof *accepted && strcmp(accepted[k].now, now) == 0) {
      naccepted++;
      used[k] = 1;
      continue;
    }
    h_fail++;
    printf("%s: name \"%.300s\"\n  was: %.300s\n  now: %.300s\n", where, items[i], was, now);
  }
  free(printed);
  old_raw_names_free(o, on > 0 ? (size_t)on : 0);
  old_items_free(items, on > 0 ? (size_t)on : 0);
  pr_raw_names_free(n, nn > 0 ? (size_t)nn : 0);
  pr_bib_free(bib);
}

/* Every list-of-names field of every entry of a .bib file. */
static void compare_bib(const char *path) {
  static const char *const fields[] = {"author", "editor", "bookauthor", "translator",
                                       "editora", "editorb", "editorc", "annotator",
                                       "commentator", "introduction", "foreword", "afterword",
                                       "holder"};
  pr_bib *bib = pr_bib_new();
  pr_error err;
  if (pr_bib_add_file(bib, path, &err) != PR_OK) {
    h_fail++;
    printf("%s: not read\n", path);
  }
  for (size_t i = 0; i < pr_bib_count(bib); i++)
    for (size_t f = 0; f < sizeof fields / sizeof *fields; f++) {
      const pr_field *fld = pr_entry_find_field(pr_bib_entry(bib, i), fields[f]);
      if (fld) compare(fld->value, path);
    }
  pr_bib_free(bib);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  pr_buf b = {0};
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) pr_buf_put(&b, chunk, k);
  fclose(f);
  return pr_buf_take(&b); /* read up to its first NUL, as the fuzzer does */
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  size_t n = strlen(path);
  if (type != FTW_F) return 0;
  if (n > 4 && strcmp(path + n - 4, ".bib") == 0) compare_bib(path);
  if (strstr(path, "fuzz/corpus/names/") && n > 4 && strcmp(path + n - 4, ".txt") == 0) {
    char *list = slurp(path);
    if (list) compare(list, path);
    free(list);
  }
  return 0;
}

/* 0, or -1 when dir is not there (../shared is not part of every checkout). */
static int compare_corpus(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    printf("%s: not found, its names not compared\n", dir);
    return -1;
  }
  struct dirent *de;
  while ((de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n > 4 && strcmp(de->d_name + n - 4, ".bib") == 0) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
      compare_bib(path);
    }
  }
  closedir(d);
  return 0;
}

/* Hand-written names: each a list of its own, and all of them as one. */
static const char *const tricky[] = {
    "Donald E. Knuth", "Knuth, Donald E.", "Ludwig van Beethoven", "van Beethoven, Ludwig",
    "Jean de la Fontaine", "de la Fontaine, Jean", "Ford, Jr., Henry", "Ford, Jr, Henry",
    "Henry Ford Jr.", "{\\'E}mile Zola", "{\\'e}mile Zola", "Jean {d}e la Fontaine",
    "Jean {D}e la Fontaine", "{Barnes and Noble, Inc.}", "{Barnes and Noble}, Inc.",
    "{World Health Organization}", "{\\c{C}}elik, {\\\"U}nal", "Kurt G{\\\"o}del",
    "G{\\\"o}del, Kurt", "Jean-Paul Sartre", "Sartre, Jean-Paul", "jean-paul sartre",
    "Ludwig van-Beethoven", "Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
    "Vall{\\'e}e Poussin, Charles Louis Xavier Joseph de la", "de~la Fontaine, Jean",
    "Jean de~la Fontaine", "J.~R.~R. Tolkien", "Tolkien, J.~R.~R.", "others", "Others",
    "A and others", "smith, john", "x, y", "de la fontaine, jean", "von last, jr, first",
    "a, b, c", "De la Fontaine, Jean", "Smith van Jones, John", "Jean de Fontaine du Bois",
    "Gerard 't Hooft", "'t Hooft, Gerard", "Jean \\'emile Zola", "Jean \\o{}ster Zola",
    "Jean \xc3\xa9mile Zola", "\xc3\x89mile Zola", "Jean 1st von Zola",
    "Jan {D}e \\v{S}imon Novak", "a} b, c", "jean smith", "john", "von", "de la", "van der",
    "van der Waals, J.", "van der Waals, j.", "von Last, Jr, First, Extra",
    "von Last, Jr, First, Extra, More", "Smith,,John", ",Lee,", "Doe, , Jane", ", and ,",
    "Smith and", "and Smith", "Smith and and Jones", "Smith AND Jones", "Smith And Jones",
    "Smith and{} Jones", "Smith {and} Jones", "Smith, and Jones", "Smith,and Jones",
    "Smith and, Jones", "Smith ,and Jones", "{Smith and Jones}", "Smith\tand\nJones",
    "  Smith  ,  John  ", "Smith ,John", "Smith, John,", "Smith, John, ,", "{a, b, c, d} e",
    "{a, b}, c, d, e", "a,b,c,d,e", "{", "}", "{{", "}}", "{Smith", "Smith}", "Smith, {John",
    "a}} b {c, d", "{\\ss}mith Jones", "Jones {\\ss}mith Jones", "Jones {\\OE}mith Jones",
    "Jones {\\relax}mith Jones", "Jones {\\}", "Jones {\\v S}mith Jones",
    "Jones {\\v{s}}mith Jones", "Jones \\v{S}mith Jones", "Jones \\textsc{van} Jones",
    "Jones {van} Jones", "Jones {{v}an} Jones", "Jones {}van Jones", "Jones -van Jones",
    "Jones van- Jones", "Um*, Taegeon", "Taegeon Um*", "Einstein*\xe2\x80\xa0, A.",
    "Rosen\\dag, N.", "\xe6\x9d\x8e \xe5\xb0\x8f\xe9\xbe\x99", "\xc3\x85ngstr\xc3\xb6m, Anders",
    "\xc5\x82ukasz Nowak", "Nowak, \xc5\x82ukasz", "Stra\xc3\x9f" "e, Hans",
    "\x01\x02 Smith\x7f", "Smith\v,\vJohn", "Smith\f and\r Jones", "a {b  c}  d", "A {b  c}  d",
    "{  a  }", "Jean {de la} Fontaine", "Jean {de} la Fontaine", "Brinch Hansen, Per",
    "Van den Broeck, Guy", "Guy Van den Broeck",
    "Per Brinch Hansen", "Per {Brinch Hansen}", "Lord Kelvin", "Kelvin, Lord",
    "Martin Luther King, Jr.", "King, Jr., Martin Luther", "King Jr, Martin Luther",
    "e. e. cummings", "cummings, e. e.", "e. e. Cummings", "d'Alembert, Jean",
    "Jean d'Alembert", "Jean le Rond d'Alembert", "O'Neil, Bob", "Bob O'Neil",
    "Ma\\~{n}ana, Jose", "{\\AA}ngstr{\\\"o}m, Anders", "{\\aa}ngstr{\\\"o}m, Anders",
    "Anders {\\aa}ngstr{\\\"o}m Jones", ",", ",,,", "", " ", "and", "and and and",
    "A. Author and B. Author and C. Author and others",
};

/* BibTeX's answers, independent of the old splitter. */
static void test_rules(void) {
  static const struct { const char *name, *parts; } cases[] = {
      {"Donald E. Knuth", "Donald E.||Knuth|"},
      {"Ludwig van Beethoven", "Ludwig|van|Beethoven|"},
      {"van Beethoven, Ludwig", "Ludwig|van|Beethoven|"},
      {"Ford, Jr., Henry", "Henry||Ford|Jr."},
      {"Jean {d}e la Fontaine", "Jean|{d}e la|Fontaine|"},
      {"{\\'E}mile Zola", "{\\'E}mile||Zola|"},
      {"{\\'e}mile Zola", "|{\\'e}mile|Zola|"},
      {"Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
       "Charles Louis Xavier Joseph|de la|Vall{\\'e}e Poussin|"},
      {"jean smith", "|jean|smith|"},
      {"others", "||others|"},
      {"de la", "|de|la|"},
      {"smith, john", "john||smith|"},
      {"Smith van Jones, John", "John|Smith van|Jones|"},
      {"Jean de Fontaine du Bois", "Jean|de Fontaine du|Bois|"},
      {"von Last, Jr, First, Extra", "First Extra|von|Last|Jr"},
      {"Smith,,John", "John||Smith|"},
      {"{Barnes and Noble, Inc.}", "||{Barnes and Noble, Inc.}|"},
      {"A {b  c}  d", "A {b c}||d|"},
      {"Smith\v,\vJohn", "John||Smith|"},
      {"Jones {\\ss}mith Jones", "Jones|{\\ss}mith|Jones|"},
      {"Jones {\\OE}mith Jones", "Jones {\\OE}mith||Jones|"},
      {"Jones {\\v{s}}mith Jones", "Jones|{\\v{s}}mith|Jones|"},
      {"Jones {van} Jones", "Jones {van}||Jones|"},
      {"\xc3\x89mile Zola", "\xc3\x89mile||Zola|"},
      {"Jean-Paul Sartre", "Jean-Paul||Sartre|"},
      /* a tie separates tokens (BibTeX's sep_char; pybtex agrees) */
      {"Mart\\'{\\i}n~Abadi", "Mart\\'{\\i}n||Abadi|"},
      {"Jean~de~la~Fontaine", "Jean|de~la|Fontaine|"},
      {"de~la~Fontaine, Jean", "Jean|de~la|Fontaine|"},
      {"Ma\\~{n}ana, Jos\\'e", "Jos\\'e||Ma\\~{n}ana|"},
      {"A~and~B", "A|and|B|"},
      {"C and~D", "C|and|D|"},
      {"{A~B} C", "{A~B}||C|"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    pr_raw_name *v;
    long n = pr_bt_split_names(cases[i].name, NULL, "t", 1, &v);
    CHECK_INT(n, 1);
    char got[512];
    if (n == 1) parts(&v[0], got, sizeof got);
    else snprintf(got, sizeof got, "(%ld names)", n);
    CHECK_STR(got, cases[i].parts);
    pr_raw_names_free(v, n > 0 ? (size_t)n : 0);
  }
  /* the parts are the caller's to shorten in place */
  pr_raw_name *v;
  CHECK_INT(pr_bt_split_names("Um*, Taegeon and Oh*, B.", NULL, "t", 1, &v), 2);
  v[0].last[2] = '\0';
  CHECK_STR(v[0].last, "Um");
  CHECK_STR(v[1].last, "Oh*");
  pr_raw_names_free(v, 2);
  CHECK_INT(pr_bt_split_names(" and , and ", NULL, "t", 1, &v), 0);
  pr_raw_names_free(v, 0);
}

/* A list of n names, from a few shapes. */
static char *many(long n) {
  static const char *const shapes[] = {"Author%ld, First%ld", "First%ld von Author%ld",
                                       "{Corp %ld} and {%ld}", "de la Author%ld, Jr, F%ld",
                                       "d'Author%ld, Jr., first%ld"};
  pr_buf b = {0};
  for (long i = 0; i < n; i++) {
    if (i) pr_buf_puts(&b, " and ");
    pr_buf_printf(&b, shapes[i % 5], i, i);
  }
  return pr_buf_take(&b);
}

static void test_large(void) {
  char *list = many(5000);
  compare(list, "5,000 generated names");
  free(list);
  /* 400,000 names: one pass, no recursion, no quadratic step */
  list = many(400000);
  clock_t t0 = clock();
  pr_raw_name *v;
  long n = pr_bt_split_names(list, NULL, "t", 1, &v);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK_INT(n, 400000 + 400000 / 5);
  if (n > 0) {
    CHECK_STR(v[n - 1].last, "d'Author399999");
    CHECK_STR(v[n - 1].jr, "Jr.");
    CHECK_STR(v[n - 1].first, "first399999");
  }
  pr_raw_names_free(v, n > 0 ? (size_t)n : 0);
  printf("400,000 names split in %.3fs\n", secs);
  free(list);
  /* one name of 200,000 tokens */
  pr_buf b = {0};
  for (int i = 0; i < 200000; i++) pr_buf_puts(&b, i % 3 ? "Von " : "von ");
  pr_buf_puts(&b, "von Last");
  list = pr_buf_take(&b);
  CHECK_INT(pr_bt_split_names(list, NULL, "t", 1, &v), 1);
  CHECK_STR(v[0].last, "Last");
  CHECK(strlen(v[0].von) == strlen(list) - 5);
  CHECK(strlen(v[0].first) == 0);
  pr_raw_names_free(v, 1);
  free(list);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: test_namesplit SHARED_CORPUS_DIR [FILE.bib...]\n");
    return 2;
  }
  test_rules();
  int have_corpus = compare_corpus(argv[1]) == 0;
  nftw("tests", visit, 16, FTW_PHYS);
  compare_bib("data/pubs.bib");
  pr_buf all = {0};
  for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++) {
    compare(tricky[i], "tricky");
    if (i) pr_buf_puts(&all, " and ");
    pr_buf_puts(&all, tricky[i]);
  }
  char *joined = pr_buf_take(&all);
  compare(joined, "tricky, as one list");
  free(joined);
  for (int i = 2; i < argc; i++) compare_bib(argv[i]);
  test_large();
  for (size_t k = 0; k < sizeof accepted / sizeof *accepted; k++)
    if (!used[k]) {
      h_fail++;
      printf("accepted difference never seen: \"%s\"\n", accepted[k].name);
    }
  printf("%d lists, %d names compared: %d the same, %d accepted differences; %d warnings\n",
         nlists, nnames, nsame, naccepted, nwarnings);
  int rc = tests_done();
  if (!have_corpus) printf("note: the shared corpus was not there; tests/corpus was read\n");
  return rc;
}
