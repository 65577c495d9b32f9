/* test_name_fields.c - names for every name field of BibTeX and biblatex:
   each field split, its marks and FIELD+an annotations applied as for
   author; pr_entry_name_field lists the fields an entry has in the
   documented order; the entry stays small; the JSON output lists every
   name field; CSL-JSON maps translator, bookauthor and the editor roles to
   CSL's variables and leaves out the fields CSL has none for. Exact
   values throughout. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

static const char *all_fields[] = {
    "author",     "editor",      "editora",      "editorb",  "editorc",   "translator",
    "annotator",  "commentator", "introduction", "foreword", "afterword", "bookauthor",
    "holder",     "namea",       "nameb",        "namec",    "shortauthor", "shorteditor",
    "sortname"};
#define NALL (sizeof all_fields / sizeof *all_fields)

static pr_bib *parse(const char *text) {
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "t.bib", &err), PR_OK);
  return bib;
}

static char *render(pr_bib *bib, pr_format f) {
  pr_options *o = pr_options_new();
  pr_options_set_format(o, f);
  char *out = NULL;
  size_t len = 0;
  pr_error err;
  CHECK_INT(pr_render_string(bib, o, &out, &len, NULL, &err), PR_OK);
  pr_options_free(o);
  return out;
}

/* Every name field, in the file in reverse order: each gets its own name
   "First<i> Last<i>" and is listed in the documented order. */
static void every_field(void) {
  char text[4096] = "@book{all, title = {T}, year = 2000";
  for (size_t i = NALL; i-- > 0;) {
    char one[96];
    snprintf(one, sizeof one, ",\n  %s = {F%zu L%zu and others}", all_fields[i], i, i);
    strcat(text, one);
  }
  strcat(text, "}\n");
  pr_bib *bib = parse(text);
  const pr_entry *e = pr_bib_entry(bib, 0);
  CHECK_INT(pr_entry_name_field_count(e), NALL);
  for (size_t i = 0; i < NALL; i++) {
    CHECK_STR(pr_entry_name_field(e, i), all_fields[i]);
    CHECK_INT(pr_entry_name_count(e, all_fields[i]), 2);
    char first[8], last[8];
    snprintf(first, sizeof first, "F%zu", i);
    snprintf(last, sizeof last, "L%zu", i);
    const pr_name *n = pr_entry_name(e, all_fields[i], 0);
    CHECK_STR(pr_name_first(n), first);
    CHECK_STR(pr_name_last(n), last);
    CHECK_INT(pr_name_is_others(pr_entry_name(e, all_fields[i], 1)), 1);
    CHECK(pr_entry_name(e, all_fields[i], 2) == NULL);
  }
  CHECK(pr_entry_name_field(e, NALL) == NULL);
  /* no name fields: title, year, an unknown "director" */
  CHECK_INT(pr_entry_name_count(e, "title"), 0);
  CHECK(pr_entry_name(e, "director", 0) == NULL);
  CHECK(pr_entry_name(e, NULL, 0) == NULL);
  pr_bib_free(bib);
}

/* Marks and +an annotations on any name field; the lists kept in the
   entry and behind its pointer alike. */
static void marks_and_annotations(void) {
  pr_bib *bib = parse(
      "@book{a, title = {T}, year = 2001, afterword = {},\n"
      "  translator = {Ann Smith* and Bo Li\\textdagger and van der Berg, Jr., Cy},\n"
      "  translator+an = {1=highlight; 2=equal; 3=corresponding},\n"
      "  holder = {{Robert Bosch GmbH}}, editorb = {Doe, Jo}, editorb+an = {1=equal}}\n"
      "@article{b, title = {U}, year = 2002}\n"
      "@article{c, title = {V}, year = 2003, editor = {E. Ed}, author = {A. Au}}\n");
  const pr_entry *a = pr_bib_find(bib, "a");
  CHECK_INT(pr_entry_name_field_count(a), 4);
  CHECK_STR(pr_entry_name_field(a, 0), "editorb");
  CHECK_STR(pr_entry_name_field(a, 1), "translator");
  CHECK_STR(pr_entry_name_field(a, 2), "afterword");
  CHECK_STR(pr_entry_name_field(a, 3), "holder");
  CHECK_INT(pr_entry_name_count(a, "afterword"), 0); /* there, with no name */
  const pr_name *t0 = pr_entry_name(a, "translator", 0), *t1 = pr_entry_name(a, "translator", 1),
                *t2 = pr_entry_name(a, "translator", 2);
  CHECK_STR(pr_name_display(t0), "Ann Smith");
  CHECK_STR(pr_name_marks(t0), "*");
  CHECK_INT(pr_name_annotated_highlight(t0), 1);
  CHECK_STR(pr_name_display(t1), "Bo Li");
  CHECK_STR(pr_name_marks(t1), "\xe2\x80\xa0*"); /* written, then the annotation's */
  CHECK_INT(pr_name_annotated_highlight(t1), 0);
  CHECK_STR(pr_name_von(t2), "van der");
  CHECK_STR(pr_name_last(t2), "Berg");
  CHECK_STR(pr_name_jr(t2), "Jr.");
  CHECK_STR(pr_name_first(t2), "Cy");
  CHECK_STR(pr_name_marks(t2), "\xe2\x80\xa0");
  CHECK_STR(pr_name_marks(pr_entry_name(a, "editorb", 0)), "*");
  CHECK_STR(pr_name_last(pr_entry_name(a, "holder", 0)), "Robert Bosch GmbH");
  const pr_entry *b = pr_bib_find(bib, "b"), *c = pr_bib_find(bib, "c");
  CHECK_INT(pr_entry_name_field_count(b), 0);
  CHECK(pr_entry_name_field(b, 0) == NULL);
  CHECK_INT(pr_entry_name_field_count(c), 2);
  CHECK_STR(pr_entry_name_field(c, 0), "author");
  CHECK_STR(pr_entry_name_field(c, 1), "editor");
  CHECK_STR(pr_name_last(pr_entry_name(c, "editor", 0)), "Ed");
  CHECK(c->more_lists == NULL && a->more_lists != NULL);
  CHECK_INT(pr_entry_name_field_count(NULL), 0);
  CHECK(pr_entry_name_field(NULL, 0) == NULL);
  /* an annotation naming no item of a translator list: a warning naming the field */
  int found = 0;
  pr_bib *w = parse("@book{w, title = {T}, translator = {A. B}, translator+an = {3=equal}}\n");
  for (size_t i = 0; i < pr_bib_diag_count(w); i++)
    found += strcmp(pr_bib_diag(w, i)->message,
                    "translator+an: '3=equal' does not name an item of the list") == 0;
  CHECK_INT(found, 1);
  pr_bib_free(w);
  pr_bib_free(bib);
  /* small: two lists in the entry, the rest behind one pointer */
  CHECK(sizeof(pr_entry) <= 112);
}

static void json_lists_every_field(void) {
  pr_bib *bib = parse("@book{k, translator = {Ann Smith*}, afterword = {}, year = 2001}\n");
  char *out = render(bib, PR_FORMAT_JSON);
  CHECK_STR(out,
            "[\n"
            "  {\n"
            "    \"key\": \"k\",\n"
            "    \"id\": \"k\",\n"
            "    \"type\": \"book\",\n"
            "    \"file\": \"t.bib\",\n"
            "    \"line\": 1,\n"
            "    \"year\": 2001,\n"
            "    \"month\": null,\n"
            "    \"fields\": {\n"
            "      \"translator\": {\n"
            "        \"raw\": \"Ann Smith*\",\n"
            "        \"text\": \"Ann Smith*\",\n"
            "        \"line\": 1\n"
            "      },\n"
            "      \"afterword\": {\n"
            "        \"raw\": \"\",\n"
            "        \"text\": \"\",\n"
            "        \"line\": 1\n"
            "      },\n"
            "      \"year\": {\n"
            "        \"raw\": \"2001\",\n"
            "        \"text\": \"2001\",\n"
            "        \"line\": 1\n"
            "      }\n"
            "    },\n"
            "    \"translator\": [\n"
            "      {\n"
            "        \"first\": \"Ann\",\n"
            "        \"von\": \"\",\n"
            "        \"last\": \"Smith\",\n"
            "        \"jr\": \"\",\n"
            "        \"display\": \"Ann Smith\",\n"
            "        \"marks\": \"*\",\n"
            "        \"others\": false,\n"
            "        \"highlight\": false\n"
            "      }\n"
            "    ],\n"
            "    \"afterword\": []\n"
            "  }\n"
            "]\n");
  pr_free(out);
  pr_bib_free(bib);
}

/* The record's members that are name lists, as "var: Family Given; ..." lines. */
static char *csl_names(const char *text) {
  pr_bib *bib = parse(text);
  char *out = render(bib, PR_FORMAT_CSL_JSON);
  json_t *a = out ? json_loads(out, 0, NULL) : NULL;
  pr_free(out);
  pr_bib_free(bib);
  json_t *r = json_array_get(a, 0);
  char buf[2048] = "";
  const char *key;
  json_t *v;
  json_object_foreach(r, key, v) {
    if (!json_is_array(v) || !json_is_object(json_array_get(v, 0))) continue;
    strcat(buf, key);
    strcat(buf, ":");
    size_t i;
    json_t *n;
    json_array_foreach(v, i, n) {
      const char *lit = json_string_value(json_object_get(n, "literal"));
      const char *fam = json_string_value(json_object_get(n, "family"));
      const char *giv = json_string_value(json_object_get(n, "given"));
      strcat(buf, " ");
      strcat(buf, lit ? lit : fam ? fam : "");
      if (giv) {
        strcat(buf, ", ");
        strcat(buf, giv);
      }
      strcat(buf, ";");
    }
    strcat(buf, "\n");
  }
  json_decref(a);
  return strdup(buf);
}

static void csl_variables(void) {
  char *s = csl_names(
      "@book{k, title = {T}, year = 2001, author = {Au, A.}, translator = {Tr, T.*},\n"
      "  bookauthor = {Ba, B.}, editor = {Ed, E.}, editortype = {director},\n"
      "  editora = {Ea, A.}, editorb = {Eb, B.}, editorbtype = {compiler},\n"
      "  editorc = {Ec, C.}, editorctype = {redactor}, annotator = {An, A.},\n"
      "  commentator = {Co, C.}, introduction = {In, I.}, foreword = {Fo, F.},\n"
      "  afterword = {Af, A.}, holder = {{Big Corp}}, shortauthor = {Sa, S.},\n"
      "  namea = {Na, N.}, sortname = {So, S.}}\n");
  /* editor is the director; editora, untyped, the editor; editorb the
     compiler; a redactor, an annotator ... have no CSL variable */
  CHECK_STR(s, "author: Au, A.;\n"
               "director: Ed, E.;\n"
               "editor: Ea, A.;\n"
               "compiler: Eb, B.;\n"
               "translator: Tr, T.;\n"
               "container-author: Ba, B.;\n");
  free(s);
  s = csl_names("@book{k, title = {T}, editor = {Ed, E.}, editora = {Ea, A.},\n"
                "  editoratype = {collaborator}, editorb = {Eb, B.}, editorc = {Ec, C.},\n"
                "  editorctype = {organizer}, holder = {{Robert Bosch GmbH} and {BMW AG}}}\n");
  /* an untyped editorb after editor: editor is taken, so it is left out */
  CHECK_STR(s, "editor: Ed, E.;\n"
               "contributor: Ea, A.;\n"
               "organizer: Ec, C.;\n");
  free(s);
}

/* The BibTeX source a page shows: every name field written back as names,
   marks removed, as author is. */
static void bibtex_source(void) {
  pr_bib *bib = parse("@book{k, translator = {Ann Smith* and others}, author = {Bo Li\\dag},\n"
                      "  note = {Cy*}}\n");
  char *src = pr_bibtex_source(pr_bib_entry(bib, 0));
  CHECK_STR(src, "@book{k,\n  translator = {Smith, Ann and others},\n  author = {Li, Bo},\n"
                 "  note = {Cy*}\n}");
  free(src);
  pr_bib_free(bib);
}

int main(void) {
  bibtex_source();
  every_field();
  marks_and_annotations();
  json_lists_every_field();
  csl_variables();
  return tests_done();
}
