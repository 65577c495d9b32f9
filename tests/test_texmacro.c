/* test_texmacro.c - @preamble macros: reading definitions, expanding them
   (texmacro.c), applying them to a document's entries (preamble.c). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "read/read.h"

static char warned[2048];
static int nwarn;
static void on_warn(void *ctx, const char *msg) {
  (void)ctx;
  nwarn++;
  snprintf(warned + strlen(warned), sizeof warned - strlen(warned), "%s|", msg);
}

static pr_texmacros *defs(const char *text) {
  pr_texmacros *m = pr_texmacros_new();
  warned[0] = '\0';
  nwarn = 0;
  CHECK_INT(pr_texmacros_parse(m, text, strlen(text), on_warn, NULL), 0);
  return m;
}

/* in expanded with m: the text, "(same)" or "(limit)". */
static const char *ex(const pr_texmacros *m, const char *in) {
  static char buf[4096];
  char *out = NULL;
  const pr_texmacros *sets[] = {m};
  pr_texmacro_result r = pr_texmacros_expand(sets, 1, in, strlen(in), &out);
  snprintf(buf, sizeof buf, "%s", r == PR_TEXMACRO_SAME ? "(same)" : r == PR_TEXMACRO_LIMIT ? "(limit)"
                                  : r == PR_TEXMACRO_NOMEM ? "(nomem)" : out);
  free(out);
  return buf;
}

static void test_forms(void) {
  pr_texmacros *m = defs("\\def\\thanh{H\\`an Th\\^e Th\\`anh}\\newcommand{\\TUB}{TUGboat}"
                         "\\newcommand*{\\st}{star} \\providecommand{\\pv}{provided}"
                         "\\providecommand{\\TUB}{not this}\\DeclareRobustCommand{\\rob}{robust}"
                         "\\newcommand\\bare{bare} \\gdef\\g{global} \\long\\def\\l{long}"
                         "\\newcommand{\\old}{old}\\renewcommand{\\old}{new}");
  CHECK_INT(nwarn, 0);
  CHECK_INT(pr_texmacros_count(m), 10);
  CHECK_STR(ex(m, "\\thanh"), "H\\`an Th\\^e Th\\`anh");
  CHECK_STR(ex(m, "The \\TUB{} and {\\TUB}"), "The TUGboat{} and {TUGboat}");
  CHECK_STR(ex(m, "\\TUB is"), "TUGboatis"); /* TeX skips the space after a control word */
  CHECK_STR(ex(m, "\\st, \\pv, \\rob, \\bare, \\g, \\l, \\old"),
            "star, provided, robust, bare, global, long, new");
  CHECK_STR(ex(m, "\\TUBx \\\\TUB \\tub"), "(same)"); /* other names; \\ is a control symbol */
  CHECK_STR(ex(m, "plain text"), "(same)");
  CHECK_STR(ex(m, "\\url{http://x.org/\\TUB} \\href{\\TUB}{\\TUB}"),
            "\\url{http://x.org/\\TUB} \\href{\\TUB}{TUGboat}");
  CHECK_STR(ex(m, "$\\TUB$"), "$TUGboat$");
  pr_texmacros_free(m);
}

static void test_arguments(void) {
  pr_texmacros *m = defs("\\def\\x#1{<#1>}\\def\\two#1#2{#2-#1}\\newcommand{\\y}[1]{(#1)}"
                         "\\newcommand{\\o}[2][dflt]{#1/#2}\\newcommand{\\noopsort}[1]{}"
                         "\\newcommand{\\hash}[1]{##1 #1}\\def\\cw#1{\\emph#1}");
  CHECK_INT(nwarn, 0);
  CHECK_STR(ex(m, "\\x{a b}"), "<a b>");
  CHECK_STR(ex(m, "\\x a"), "<a>");                  /* one token */
  CHECK_STR(ex(m, "\\x\\TeX"), "<\\TeX>");
  CHECK_STR(ex(m, "\\x é"), "<é>");                  /* one UTF-8 character */
  CHECK_STR(ex(m, "\\two{a}{b}"), "b-a");
  CHECK_STR(ex(m, "\\two ab"), "b-a");
  CHECK_STR(ex(m, "\\y{\\x{1}}"), "(<1>)");          /* nested: expanded again */
  CHECK_STR(ex(m, "\\o{b} \\o[c]{d} \\o[{]}]{e}"), "dflt/b c/d ]/e");
  CHECK_STR(ex(m, "\\noopsort{1990}Zola"), "Zola");
  CHECK_STR(ex(m, "\\hash{a}"), "#1 a");
  CHECK_STR(ex(m, "\\cw{x}y"), "\\emph{}xy");        /* a name never runs into text */
  CHECK_STR(ex(m, "\\x"), "<>");                     /* missing argument: empty */
  pr_texmacros_free(m);
}

static void test_unread(void) {
  pr_texmacros *m = defs("\\def\\d#1.{x}\\let\\a\\b\\catcode`\\@=11 \\newcommand{\\n}[x]{y}"
                         "\\def\\ok{fine}\\newcommand{\\open}{never closed");
  CHECK_INT(nwarn, 5);
  CHECK_STR(warned,
            "\\def\\d#1. has delimited parameters, which pubrender does not read: not expanded|"
            "\\let\\a is not read (pubrender reads \\def, \\newcommand, \\renewcommand, "
            "\\providecommand and \\DeclareRobustCommand)|"
            "\\catcode is not read (pubrender reads \\def, \\newcommand, \\renewcommand, "
            "\\providecommand and \\DeclareRobustCommand)|"
            "\\newcommand{\\n}: its [number of arguments] is not a digit: not read|"
            "\\newcommand{\\open}: its {body} is not closed: not read|");
  CHECK_INT(pr_texmacros_count(m), 1);
  CHECK_STR(ex(m, "\\ok \\d."), "fine\\d.");
  pr_texmacros_free(m);
}

static void test_bounds(void) {
  static const char *const bombs[] = {
      "\\def\\a{\\a\\a}", "\\def\\a{\\a}", "\\def\\a{x\\a}",
      "\\def\\a{\\b\\b\\b\\b}\\def\\b{\\c\\c\\c\\c}\\def\\c{\\d\\d\\d\\d}\\def\\d{\\e\\e\\e\\e}"
      "\\def\\e{\\f\\f\\f\\f}\\def\\f{\\g\\g\\g\\g}\\def\\g{\\h\\h\\h\\h}\\def\\h{xxxxxxxxxxxxxxxx}",
      "\\def\\a#1{\\a{#1#1}}"};
  for (size_t i = 0; i < sizeof bombs / sizeof *bombs; i++) {
    pr_texmacros *m = defs(bombs[i]);
    clock_t t0 = clock();
    CHECK_STR(ex(m, "\\a{x}"), "(limit)");
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    pr_texmacros_free(m);
  }
  /* a deep but finite chain is fine */
  pr_texmacros *m = defs("\\def\\a{\\b}\\def\\b{\\c}\\def\\c{\\d}\\def\\d{done}");
  CHECK_STR(ex(m, "\\a"), "done");
  pr_texmacros_free(m);
}

/* ---- applied to documents ---- */

static const char *diag(const pr_bib *bib, size_t i) {
  static char buf[1500];
  const pr_diag *d = pr_bib_diag(bib, i);
  return d ? pr_diag_format(d, buf, sizeof buf) : "(none)";
}

static const char *text(const pr_bib *bib, const char *key, const char *field) {
  static char buf[1024];
  char *t = pr_entry_field_text(pr_bib_find(bib, key), field);
  snprintf(buf, sizeof buf, "%s", t ? t : "(missing)");
  free(t);
  return buf;
}

static void add(pr_bib *bib, const char *s, const char *name) {
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, s, strlen(s), name, &err), PR_OK);
}

static void test_documents(void) {
  pr_bib *bib = pr_bib_new();
  /* the preamble after the entries still applies to them (TeX reads the .bbl) */
  add(bib,
      "@article{a, author = {\\thanh}, title = {The \\TUB{} \\x{y}}}\n"
      "@string{j = \"\\TUB\"}\n"
      "@article{b, journal = j, title = {\\NTG\\ \\TeX{} Group}}\n"
      "@preamble{ \"\\def\\thanh{H\\`an Th\\^e Th\\`anh}\" # \"\\newcommand{\\TUB}{TUGboat}\" }\n"
      "@preamble{ \"\\newcommand{\\x}[1]{[#1]}\" }\n",
      "one.bib");
  CHECK_STR(text(bib, "a", "author"), "Hàn Thê Thành");
  CHECK_STR(text(bib, "a", "title"), "The TUGboat [y]");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "a"), "title"), "The TUGboat{} [y]"); /* raw: expanded */
  CHECK_STR(text(bib, "b", "journal"), "TUGboat"); /* after @string expansion */
  CHECK_STR(text(bib, "b", "title"), "NTG TeX Group");
  CHECK_INT(pr_entry_name_count(pr_bib_find(bib, "a"), "author"), 1);
  /* a second document sees the first one's definitions; its own apply to it only */
  add(bib, "@misc{c, title = {\\TUB, \\x{z}, \\own}}\n@preamble{\"\\def\\own{mine}\"}\n", "two.bib");
  CHECK_STR(text(bib, "c", "title"), "TUGboat, [z], mine");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "a"), "title"), "The TUGboat{} [y]");
  /* a definition in a later document never changes entries already added */
  add(bib, "@preamble{\"\\renewcommand{\\TUB}{TUG}\"}\n@misc{d, title = {\\TUB}}\n", "three.bib");
  CHECK_STR(text(bib, "d", "title"), "TUG");
  CHECK_STR(text(bib, "a", "title"), "The TUGboat [y]");
  /* a document read with its own @string scope has only its own @preamble
     macros; the shared documents after it do not see them */
  pr_bib_set_string_scope(bib, PR_STRINGS_PER_FILE);
  add(bib, "@preamble{\"\\def\\own{alone}\"}\n@misc{e, title = {\\own\\ \\x{e}}}\n", "four.bib");
  CHECK_STR(text(bib, "e", "title"), "alone e");
  pr_bib_set_string_scope(bib, PR_STRINGS_SHARED);
  add(bib, "@misc{f, title = {\\own, \\TUB}}\n", "five.bib");
  CHECK_STR(text(bib, "f", "title"), "mine, TUG");
  CHECK_INT(pr_bib_diag_count(bib), 2);
  CHECK_STR(diag(bib, 1), "four.bib:2: warning: entry 'e', field 'title': unknown LaTeX command "
                          "\\x (its argument, or its name when it has none, is kept as text; "
                          "warned once)");
  CHECK_STR(diag(bib, 0), "one.bib:3: warning: entry 'b', field 'title': unknown LaTeX command "
                          "\\NTG (its argument, or its name when it has none, is kept as text; "
                          "warned once)");
  pr_bib_free(bib);

  /* undefined: the name as text, with the unknown-command warning */
  bib = pr_bib_new();
  add(bib, "@misc{u, author = {\\thanh}, title = {\\a}}\n@preamble{\"\\def\\a{\\a\\a}\\let\\b\\c\"}\n",
      "u.bib");
  CHECK_STR(text(bib, "u", "author"), "thanh");
  CHECK_STR(pr_entry_field(pr_bib_find(bib, "u"), "title"), "\\a"); /* kept unexpanded */
  CHECK_INT(pr_bib_diag_count(bib), 4); /* and \\thanh, \\a unknown */
  CHECK_STR(diag(bib, 0), "u.bib:2: warning: @preamble: \\let\\b is not read (pubrender reads "
                          "\\def, \\newcommand, \\renewcommand, \\providecommand and "
                          "\\DeclareRobustCommand)");
  CHECK_STR(diag(bib, 1), "u.bib:1: error: entry 'u', field 'title': expanding the @preamble's "
                          "macros goes on past 32 passes or 16 times its length (a recursive "
                          "definition?): the field is kept unexpanded");
  CHECK_STR(pr_diag_code(pr_bib_diag(bib, 0)), "preamble-macro");
  CHECK_STR(pr_diag_code(pr_bib_diag(bib, 1)), "macro-expansion-limit");
  pr_bib_free(bib);
}

/* A real file with @preambles (no definitions in them: \today, text). */
static void test_corpus(const char *dir) {
  char path[4096];
  snprintf(path, sizeof path, "%s/bibtexruby-decoret.bib", dir);
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("skip: %s not found\n", path);
    return;
  }
  fclose(f);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_file(bib, path, &err), PR_OK);
  size_t n = pr_bib_count(bib);
  CHECK(n >= 3);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    const char *code = pr_diag_code(pr_bib_diag(bib, i));
    CHECK(strcmp(code, "preamble-macro") != 0 && strcmp(code, "macro-expansion-limit") != 0);
  }
  /* the same file with a preamble defining a macro the entries use */
  add(bib, "@preamble{\"\\newcommand{\\decoret}{Xavier D\\'ecoret}\"}\n"
           "@misc{dec, author = {\\decoret}}\n", "more.bib");
  CHECK_STR(text(bib, "dec", "author"), "Xavier Décoret");
  pr_bib_free(bib);
}

int main(int argc, char **argv) {
  test_forms();
  test_arguments();
  test_unread();
  test_bounds();
  test_documents();
  test_corpus(argc > 1 ? argv[1] : "../shared/corpus");
  return tests_done();
}
