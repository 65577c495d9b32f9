/* test_json.c - --format json (pubrender's model) and --format csl-json:
   exact output of small bibliographies, compared as JSON values (jansson's
   json_equal) or, for the layout, byte for byte. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

/* Render text in format f (highlight hl may be NULL); bib kept in *keep. */
/* What the last render found (pr_report), with the bib's own diagnostics
   first: all_count and all_diag index both, as one list. */
static pr_report *last_report;
static pr_report *fresh(void) {
  pr_report_free(last_report);
  return last_report = pr_report_new();
}
static size_t all_count(const pr_bib *b) {
  return pr_bib_diag_count(b) + pr_report_diag_count(last_report);
}
static const pr_diag *all_diag(const pr_bib *b, size_t i) {
  size_t n = pr_bib_diag_count(b);
  return i < n ? pr_bib_diag(b, i) : pr_report_diag(last_report, i - n);
}

static char *render(const char *text, pr_format f, const char *hl, pr_bib **keep) {
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "j.bib", &err), PR_OK);
  CHECK_INT(pr_options_set_format(o, f), PR_OK);
  if (hl) CHECK_INT(pr_options_add_highlight(o, hl), PR_OK);
  char *out = NULL;
  size_t len = 0;
  CHECK_INT(pr_render_string(bib, o, &out, &len, fresh(), &err), PR_OK);
  CHECK_INT(len, out ? strlen(out) : 0);
  pr_options_free(o);
  if (keep) *keep = bib;
  else pr_bib_free(bib);
  return out;
}

/* got (JSON text) equals want (JSON text) as a JSON value. */
#define CHECK_JSON(got, want) check_json(got, want, __FILE__, __LINE__)
static void check_json(const char *got, const char *want, const char *file, int line) {
  json_error_t e1, e2;
  json_t *g = got ? json_loads(got, 0, &e1) : NULL;
  json_t *w = json_loads(want, 0, &e2);
  if (!w) {
    h_fail++;
    fprintf(stderr, "%s:%d: FAIL: bad expected JSON: %s (line %d)\n", file, line, e2.text,
            e2.line);
  } else if (g && json_equal(g, w)) {
    h_pass++;
  } else {
    h_fail++;
    char *ws = json_dumps(w, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fprintf(stderr, "%s:%d: FAIL: JSON differs\n  got:  %s\n  want: %s\n", file, line,
            got ? got : "(null)", ws ? ws : "?");
    free(ws);
  }
  json_decref(g);
  json_decref(w);
}

/* The one CSL record of a one-entry bibliography, as JSON text (malloc'd). */
static char *csl_one(const char *bibtext) {
  char *out = render(bibtext, PR_FORMAT_CSL_JSON, NULL, NULL);
  json_t *a = out ? json_loads(out, 0, NULL) : NULL;
  CHECK(a && json_array_size(a) == 1);
  char *s = a && json_array_size(a) == 1
                ? json_dumps(json_array_get(a, 0), JSON_PRESERVE_ORDER | JSON_COMPACT)
                : NULL;
  json_decref(a);
  free(out);
  return s;
}

/* ---- pubrender's model ---- */

static void test_model(void) {
  const char *text =
      "@string{conf = {Proc.\\ of X}}\n"
      "@inproceedings{p1,\n"
      "  title = {Pok{\\'e}Mem: {\\emph{Wild}}},\n"
      "  author = {Um*, Taegeon and Oh, Byungsoo and Ludwig van Beethoven and Smith, Jr., John\n"
      "            and others},\n"
      "  author+an = {3=highlight},\n"
      "  booktitle = conf # { 2022},\n"
      "  year = 2022, month = jul}\n"
      "@misc{m, title = {Undated}, editor = {A. Editor}}\n";
  char *out = render(text, PR_FORMAT_JSON, "Byungsoo Oh", NULL);
  CHECK_JSON(out,
             "[{\"key\": \"p1\", \"id\": \"p1\", \"type\": \"inproceedings\", \"file\": \"j.bib\", \"line\": 2,"
             "  \"year\": 2022, \"month\": 7,"
             "  \"fields\": {"
             "    \"title\": {\"raw\": \"Pok{\\\\'e}Mem: {\\\\emph{Wild}}\","
             "                \"text\": \"PokéMem: Wild\", \"line\": 3},"
             "    \"author\": {\"raw\": \"Um*, Taegeon and Oh, Byungsoo and Ludwig van Beethoven"
             " and Smith, Jr., John and others\", \"text\": \"Um*, Taegeon and Oh, Byungsoo and"
             " Ludwig van Beethoven and Smith, Jr., John and others\", \"line\": 4},"
             "    \"author+an\": {\"raw\": \"3=highlight\", \"text\": \"3=highlight\", \"line\": 6},"
             "    \"booktitle\": {\"raw\": \"Proc.\\\\ of X 2022\", \"text\": \"Proc. of X 2022\","
             "                    \"line\": 7},"
             "    \"year\": {\"raw\": \"2022\", \"text\": \"2022\", \"line\": 8},"
             "    \"month\": {\"raw\": \"July\", \"text\": \"July\", \"line\": 8}},"
             "  \"author\": ["
             "    {\"first\": \"Taegeon\", \"von\": \"\", \"last\": \"Um\", \"jr\": \"\","
             "     \"display\": \"Taegeon Um\", \"marks\": \"*\", \"others\": false,"
             "     \"highlight\": false},"
             "    {\"first\": \"Byungsoo\", \"von\": \"\", \"last\": \"Oh\", \"jr\": \"\","
             "     \"display\": \"Byungsoo Oh\", \"marks\": \"\", \"others\": false,"
             "     \"highlight\": true},"
             "    {\"first\": \"Ludwig\", \"von\": \"van\", \"last\": \"Beethoven\", \"jr\": \"\","
             "     \"display\": \"Ludwig van Beethoven\", \"marks\": \"\", \"others\": false,"
             "     \"highlight\": true},"
             "    {\"first\": \"John\", \"von\": \"\", \"last\": \"Smith\", \"jr\": \"Jr.\","
             "     \"display\": \"John Smith, Jr.\", \"marks\": \"\", \"others\": false,"
             "     \"highlight\": false},"
             "    {\"first\": \"\", \"von\": \"\", \"last\": \"others\", \"jr\": \"\","
             "     \"display\": \"et al.\", \"marks\": \"\", \"others\": true,"
             "     \"highlight\": false}]},"
             " {\"key\": \"m\", \"id\": \"m\", \"type\": \"misc\", \"file\": \"j.bib\", \"line\": 9,"
             "  \"year\": null, \"month\": null,"
             "  \"fields\": {"
             "    \"title\": {\"raw\": \"Undated\", \"text\": \"Undated\", \"line\": 9},"
             "    \"editor\": {\"raw\": \"A. Editor\", \"text\": \"A. Editor\", \"line\": 9}},"
             "  \"editor\": [{\"first\": \"A.\", \"von\": \"\", \"last\": \"Editor\", \"jr\": \"\","
             "     \"display\": \"A. Editor\", \"marks\": \"\", \"others\": false,"
             "     \"highlight\": false}]}]");
  free(out);
}

/* The layout: 2-space indent, keys in a fixed order, UTF-8 as is, a final
   newline; an empty bibliography is an empty array. */
static void test_layout(void) {
  char *out = render("@misc{k, title = {Caf\\'e}, year = 2001}", PR_FORMAT_JSON, NULL, NULL);
  CHECK_STR(out, "[\n"
                 "  {\n"
                 "    \"key\": \"k\",\n"
                 "    \"id\": \"k\",\n"
                 "    \"type\": \"misc\",\n"
                 "    \"file\": \"j.bib\",\n"
                 "    \"line\": 1,\n"
                 "    \"year\": 2001,\n"
                 "    \"month\": null,\n"
                 "    \"fields\": {\n"
                 "      \"title\": {\n"
                 "        \"raw\": \"Caf\\\\'e\",\n"
                 "        \"text\": \"Café\",\n"
                 "        \"line\": 1\n"
                 "      },\n"
                 "      \"year\": {\n"
                 "        \"raw\": \"2001\",\n"
                 "        \"text\": \"2001\",\n"
                 "        \"line\": 1\n"
                 "      }\n"
                 "    }\n"
                 "  }\n"
                 "]\n");
  free(out);
  out = render("@misc{k, title = {Caf\\'e}, year = 2001, author = {A B}}", PR_FORMAT_CSL_JSON,
               NULL, NULL);
  CHECK_STR(out, "[\n"
                 "  {\n"
                 "    \"id\": \"k\",\n"
                 "    \"type\": \"document\",\n"
                 "    \"title\": \"Café\",\n"
                 "    \"author\": [\n"
                 "      {\n"
                 "        \"family\": \"B\",\n"
                 "        \"given\": \"A\"\n"
                 "      }\n"
                 "    ],\n"
                 "    \"issued\": {\n"
                 "      \"date-parts\": [\n"
                 "        [\n"
                 "          2001\n"
                 "        ]\n"
                 "      ]\n"
                 "    }\n"
                 "  }\n"
                 "]\n");
  free(out);
  out = render("% nothing\n", PR_FORMAT_JSON, NULL, NULL);
  CHECK_STR(out, "[]\n");
  free(out);
  out = render("", PR_FORMAT_CSL_JSON, NULL, NULL);
  CHECK_STR(out, "[]\n");
  free(out);
}

/* Display order (newest first, as the HTML) and invalid UTF-8 made valid. */
static void test_order_and_bytes(void) {
  char *out = render("@misc{old, year = 1999}\n@misc{new, year = 2020, month = 3}\n"
                     "@misc{mid, year = 2020, month = 1}\n@misc{none, title = {x}}\n",
                     PR_FORMAT_CSL_JSON, NULL, NULL);
  CHECK_JSON(out, "[{\"id\": \"new\", \"type\": \"document\", \"issued\": {\"date-parts\": [[2020, 3]]}},"
                  " {\"id\": \"mid\", \"type\": \"document\", \"issued\": {\"date-parts\": [[2020, 1]]}},"
                  " {\"id\": \"old\", \"type\": \"document\", \"issued\": {\"date-parts\": [[1999]]}},"
                  " {\"id\": \"none\", \"type\": \"document\", \"title\": \"x\"}]");
  free(out);
  /* the library replaces invalid UTF-8 while reading; the JSON layer would
     too (jansson refuses it) */
  json_t *s = pr_json_str("a\xff" "b\xc3");
  CHECK(s != NULL);
  CHECK_STR(s ? json_string_value(s) : NULL, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
  json_decref(s);
}

/* ---- CSL-JSON ---- */

static void test_csl_types(void) {
  static const struct { const char *bib, *csl; } types[] = {
      {"article", "article-journal"},        {"inproceedings", "paper-conference"},
      {"conference", "paper-conference"},    {"book", "book"},
      {"incollection", "chapter"},           {"inbook", "chapter"},
      {"bookinbook", "chapter"},             {"suppbook", "chapter"},
      {"suppcollection", "chapter"},         {"inreference", "entry-encyclopedia"},
      {"phdthesis", "thesis"},               {"mastersthesis", "thesis"},
      {"thesis", "thesis"},                  {"techreport", "report"},
      {"report", "report"},                  {"misc", "document"},
      {"online", "webpage"},                 {"www", "webpage"},
      {"electronic", "webpage"},             {"manual", "book"},
      {"unpublished", "manuscript"},         {"proceedings", "book"},
      {"collection", "book"},                {"reference", "book"},
      {"mvbook", "book"},                    {"mvcollection", "book"},
      {"mvproceedings", "book"},             {"mvreference", "book"},
      {"commentary", "book"},                {"booklet", "pamphlet"},
      {"patent", "patent"},                  {"dataset", "dataset"},
      {"data", "dataset"},                   {"software", "software"},
      {"periodical", "periodical"},          {"suppperiodical", "article-journal"},
      {"artwork", "graphic"},                {"image", "graphic"},
      {"audio", "song"},                     {"music", "song"},
      {"jurisdiction", "legal_case"},        {"legislation", "legislation"},
      {"legal", "treaty"},                   {"letter", "personal_communication"},
      {"letters", "personal_communication"}, {"movie", "motion_picture"},
      {"video", "motion_picture"},           {"performance", "speech"},
      {"review", "review"},                  {"standard", "standard"},
      {"newsarticle", "article-newspaper"},  {"whatever", "document"},
  };
  for (size_t i = 0; i < sizeof types / sizeof *types; i++) {
    char text[128], want[128];
    snprintf(text, sizeof text, "@%s{k, title = {T}}", types[i].bib);
    snprintf(want, sizeof want, "{\"id\": \"k\", \"type\": \"%s\", \"title\": \"T\"%s}",
             types[i].csl,
             strcmp(types[i].bib, "phdthesis") == 0       ? ", \"genre\": \"PhD thesis\""
             : strcmp(types[i].bib, "mastersthesis") == 0 ? ", \"genre\": \"Master’s thesis\""
                                                          : "");
    char *got = csl_one(text);
    CHECK_JSON(got, want);
    if (got && !strstr(got, types[i].csl)) fprintf(stderr, "  (type %s)\n", types[i].bib);
    free(got);
  }
  /* subtypes and events */
  char *got = csl_one("@article{k, entrysubtype = {magazine}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"article-magazine\"}");
  free(got);
  got = csl_one("@article{k, entrysubtype = {newspaper}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"article-newspaper\"}");
  free(got);
  got = csl_one("@unpublished{k, eventtitle = {Talk at X}, venue = {Y}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"speech\", \"event-title\": \"Talk at X\","
                  " \"event-place\": \"Y\"}");
  free(got);
  /* genre from the type field, biblatex keys resolved */
  got = csl_one("@thesis{k, type = {phdthesis}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"thesis\", \"genre\": \"PhD thesis\"}");
  free(got);
  got = csl_one("@mastersthesis{k, type = {Diploma thesis}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"thesis\", \"genre\": \"Diploma thesis\"}");
  free(got);
  got = csl_one("@techreport{k, type = {techreport}}");
  CHECK_JSON(got, "{\"id\": \"k\", \"type\": \"report\", \"genre\": \"technical report\"}");
  free(got);
}

/* CSL rich text: BibTeX's case protection as <span class="nocase">, math
   protected (with the letters glued to it), one span for nested ones, a
   '<' that would start a CSL tag broken; the title-like variables rich. */
static void test_csl_nocase(void) {
  char *got = csl_one(
      "@incollection{a, title = {{GPUs}, {\\\"U}ber, {\\em Emph}, \\texttt{{x}} $k$th: {a $x$ b} x\\textless i>},\n"
      " booktitle = {Proc. of {ACM}}, series = {LNCS {III}}, origtitle = {{O}rig}, eventtitle = {{E}vent},\n"
      " note = {&lt;b&gt; {B}}}");
  CHECK_JSON(got,
             "{\"id\": \"a\", \"type\": \"chapter\","
             " \"title\": \"<span class=\\\"nocase\\\">GPUs</span>, \xc3\x9c" "ber, <i>Emph</i>,"
             " <span class=\\\"nocase\\\">x</span> <span class=\\\"nocase\\\">\\\\(k\\\\)th</span>:"
             " <span class=\\\"nocase\\\">a \\\\(x\\\\) b</span> x<span class=\\\"nocase\\\"><</span>i>\","
             " \"title-short\": \"<span class=\\\"nocase\\\">GPUs</span>, \xc3\x9c" "ber, <i>Emph</i>,"
             " <span class=\\\"nocase\\\">x</span> <span class=\\\"nocase\\\">\\\\(k\\\\)th</span>\","
             " \"container-title\": \"Proc. of <span class=\\\"nocase\\\">ACM</span>\","
             " \"collection-title\": \"LNCS <span class=\\\"nocase\\\">III</span>\","
             " \"original-title\": \"<span class=\\\"nocase\\\">O</span>rig\","
             " \"event-title\": \"<span class=\\\"nocase\\\">E</span>vent\","
             " \"note\": \"<span class=\\\"nocase\\\"><</span>b> B\"}");
  free(got);
  /* title-short: the ':' of a link's URL or of math is not the cut; spans open at
     the cut are closed */
  got = csl_one("@misc{b, title = {\\emph{On $a:b$ x: y} z}}");
  CHECK_JSON(got, "{\"id\": \"b\", \"type\": \"document\","
                  " \"title\": \"<i><span class=\\\"nocase\\\">On \\\\(a:b\\\\) x: y</span></i> z\","
                  " \"title-short\": \"<i><span class=\\\"nocase\\\">On \\\\(a:b\\\\) x</span></i>\"}");
  free(got);
  /* a title ending in punctuation inside a span takes no ':' before its subtitle */
  got = csl_one("@misc{d, title = {Why {GPUs?}}, subtitle = {\\emph{Sub}}}");
  CHECK_JSON(got, "{\"id\": \"d\", \"type\": \"document\","
                  " \"title\": \"Why <span class=\\\"nocase\\\">GPUs?</span>"
                  " <i><span class=\\\"nocase\\\">Sub</span></i>\","
                  " \"title-short\": \"Why <span class=\\\"nocase\\\">GPUs?</span>\"}");
  free(got);
  /* a ':' in math only: the whole title, as without a ':' */
  got = csl_one("@misc{c, title = {On $a:b$}, subtitle = {Sub}}");
  CHECK_JSON(got, "{\"id\": \"c\", \"type\": \"document\","
                  " \"title\": \"On <span class=\\\"nocase\\\">\\\\(a:b\\\\)</span>: Sub\","
                  " \"title-short\": \"On <span class=\\\"nocase\\\">\\\\(a:b\\\\)</span>\"}");
  free(got);
}

static void test_csl_fields(void) {
  char *got = csl_one(
      "@article{a, author = {Kim, Goeun}, title = {A {GPU} Study: \\emph{Wild} things},\n"
      " journal = {J.~Things}, shortjournal = {JT}, volume = 47, part = 2, number = 10,\n"
      " issue = {Spring}, pages = {777--780}, year = 1935, month = mar,\n"
      " doi = {https://doi.org/10.1/abc}, url = {\\url{https://x.org/a\\_b}},\n"
      " issn = {1234-5678}, abstract = {Abs \\'e}, note = {A note}, addendum = {More.},\n"
      " publisher = {Pub}, address = {Addr}, keywords = {a, b}, pubstate = {inpress},\n"
      " annotation = {Ann}, pmid = {123}, pmcid = {PMC9}, library = {QA76},\n"
      " language = {english}, abbr = {JT}, pdf = {x.pdf}}");
  CHECK_JSON(got,
             "{\"id\": \"a\", \"type\": \"article-journal\","
             " \"title\": \"A <span class=\\\"nocase\\\">GPU</span> Study:"
             " <i><span class=\\\"nocase\\\">Wild</span></i> things\","
             " \"title-short\": \"A <span class=\\\"nocase\\\">GPU</span> Study\","
             " \"container-title\": \"J.\xc2\xa0Things\", \"container-title-short\": \"JT\","
             " \"author\": [{\"family\": \"Kim\", \"given\": \"Goeun\"}],"
             " \"issued\": {\"date-parts\": [[1935, 3]]},"
             " \"volume\": \"47.2\", \"issue\": \"10, Spring\", \"page\": \"777-780\","
             " \"publisher\": \"Pub\", \"publisher-place\": \"Addr\", \"status\": \"inpress\","
             " \"DOI\": \"10.1/abc\", \"URL\": \"https://x.org/a_b\", \"ISSN\": \"1234-5678\","
             " \"PMID\": \"123\", \"PMCID\": \"PMC9\", \"call-number\": \"QA76\","
             " \"abstract\": \"Abs é\", \"note\": \"A note. More.\", \"annote\": \"Ann\","
             " \"keyword\": \"a, b\"}");
  free(got);
  got = csl_one(
      "@book{b, title = {B}, subtitle = {Sub}, titleaddon = {Add}, editor = {Ed, Ann},\n"
      " translator = {Tr, Ted}, edition = {2}, series = {Ser}, number = 5, volumes = 3,\n"
      " publisher = {P}, location = {L}, year = 2001, isbn = {978-3}, pagetotal = {300},\n"
      " origtitle = {Ur}, origdate = {1900}, origpublisher = {OP}, origlocation = {OL},\n"
      " shorttitle = {Bee}, version = {1.0}, langid = {english}, langidopts = {variant=british}}");
  CHECK_JSON(got,
             "{\"id\": \"b\", \"type\": \"book\", \"title\": \"B: Sub. Add\","
             " \"title-short\": \"Bee\", \"collection-title\": \"Ser\", \"original-title\": \"Ur\","
             " \"editor\": [{\"family\": \"Ed\", \"given\": \"Ann\"}],"
             " \"translator\": [{\"family\": \"Tr\", \"given\": \"Ted\"}],"
             " \"issued\": {\"date-parts\": [[2001]]},"
             " \"original-date\": {\"date-parts\": [[1900]]},"
             " \"number-of-volumes\": \"3\", \"collection-number\": \"5\","
             " \"number-of-pages\": \"300\", \"edition\": \"2\", \"version\": \"1.0\","
             " \"publisher\": \"P\", \"publisher-place\": \"L\", \"original-publisher\": \"OP\","
             " \"original-publisher-place\": \"OL\", \"ISBN\": \"978-3\", \"language\": \"en-GB\"}");
  free(got);
  /* in-book types: booktitle is the container, number the collection number */
  got = csl_one("@inproceedings{p, title = {P}, booktitle = {Proc}, booksubtitle = {BS},\n"
                " bookauthor = {B. Author}, eventtitle = {Ev}, venue = {Ven}, eventdate = {2010-07-01},\n"
                " organization = {Org}, publisher = {Pub}, year = 2010, month = {July},\n"
                " pages = {1-2}, series = {LNCS}, number = 42, chapter = 3}");
  CHECK_JSON(got,
             "{\"id\": \"p\", \"type\": \"paper-conference\", \"title\": \"P\","
             " \"container-title\": \"Proc: BS\", \"collection-title\": \"LNCS\","
             " \"event-title\": \"Ev\", \"container-author\": [{\"family\": \"Author\","
             " \"given\": \"B.\"}], \"issued\": {\"date-parts\": [[2010, 7]]},"
             " \"event-date\": {\"date-parts\": [[2010, 7, 1]]},"
             " \"collection-number\": \"42\", \"chapter-number\": \"3\", \"page\": \"1-2\","
             " \"publisher\": \"Org; Pub\", \"event-place\": \"Ven\"}");
  free(got);
  /* theses, reports: school/institution are the publisher; number stays number */
  got = csl_one("@phdthesis{t, title = {T}, school = {MIT}, address = {Cambridge}, year = 1999,"
                " langid = {ngerman}}");
  CHECK_JSON(got, "{\"id\": \"t\", \"type\": \"thesis\", \"genre\": \"PhD thesis\","
                  " \"title\": \"T\", \"issued\": {\"date-parts\": [[1999]]},"
                  " \"publisher\": \"MIT\", \"publisher-place\": \"Cambridge\", \"language\": \"de-DE\"}");
  free(got);
  got = csl_one("@techreport{r, institution = {Lab}, number = {TR-7}, year = 1998}");
  CHECK_JSON(got, "{\"id\": \"r\", \"type\": \"report\", \"issued\": {\"date-parts\": [[1998]]},"
                  " \"number\": \"TR-7\", \"publisher\": \"Lab\"}");
  free(got);
  /* misc: howpublished is the publisher; a title with a colon gets a short title */
  got = csl_one("@misc{m, title = {Tool: a thing}, howpublished = {\\url{https://t.org}}}");
  CHECK_JSON(got, "{\"id\": \"m\", \"type\": \"document\", \"title\": \"Tool: a thing\","
                  " \"title-short\": \"Tool\", \"publisher\": \"https://t.org\"}");
  free(got);
  /* online: urldate is accessed; eprint gives the URL when there is none */
  got = csl_one("@online{o, title = {On}, date = {2020/2021}, urldate = {2021-01-02},"
                " url = {http://x.org}}");
  CHECK_JSON(got, "{\"id\": \"o\", \"type\": \"webpage\", \"title\": \"On\","
                  " \"issued\": {\"date-parts\": [[2020], [2021]]},"
                  " \"accessed\": {\"date-parts\": [[2021, 1, 2]]}, \"URL\": \"http://x.org\"}");
  free(got);
  got = csl_one("@misc{x, eprint = {2101.00001}, archiveprefix = {arXiv}, doi = {doi:10.5/x}}");
  CHECK_JSON(got, "{\"id\": \"x\", \"type\": \"document\", \"DOI\": \"10.5/x\","
                  " \"URL\": \"https://arxiv.org/abs/2101.00001\"}");
  free(got);
  /* periodical: the title is the periodical's, issuetitle the volume title */
  got = csl_one("@periodical{pe, title = {Per}, issuetitle = {Special}, number = 2, note = {N}}");
  CHECK_JSON(got, "{\"id\": \"pe\", \"type\": \"periodical\", \"title\": \"Per\","
                  " \"volume-title\": \"Special\", \"issue\": \"2\"}");
  free(got);
  /* patent: location is the jurisdiction */
  got = csl_one("@patent{pa, title = {Pa}, location = {France}, number = {FR1}, type = {patentfr}}");
  CHECK_JSON(got, "{\"id\": \"pa\", \"type\": \"patent\", \"genre\": \"French patent\","
                  " \"title\": \"Pa\", \"number\": \"FR1\","
                  " \"jurisdiction\": \"France\"}");
  free(got);
}

static void test_csl_unsafe(void) {
  pr_bib *bib;
  char *out = render("@misc{x, url = {javascript:alert(1)}, doi = {vbscript:y}}",
                     PR_FORMAT_CSL_JSON, NULL, &bib);
  CHECK_JSON(out, "[{\"id\": \"x\", \"type\": \"document\"}]");
  CHECK_INT(all_count(bib), 2);
  char buf[512];
  CHECK_STR(pr_diag_format(all_diag(bib, 1), buf, sizeof buf),
            "j.bib:1: warning: entry 'x': url link 'javascript:alert(1)' dropped (only http, "
            "https, mailto or a relative path are allowed)");
  free(out);
  pr_bib_free(bib);
}

static void test_csl_names(void) {
  char *got = csl_one(
      "@book{n, author = {Ludwig van Beethoven and Smith, Jr., John and"
      " {Barnes and Noble, Inc.} and {Microsoft} and Um*, Taegeon and de la Fontaine, Jean and"
      " Aristotle and {\\'E}mile Zola and others},\n"
      " editor = {{World Health Organization} and others}}");
  CHECK_JSON(got,
             "{\"id\": \"n\", \"type\": \"book\", \"author\": ["
             " {\"family\": \"Beethoven\", \"given\": \"Ludwig\", \"non-dropping-particle\": \"van\"},"
             " {\"family\": \"Smith\", \"given\": \"John\", \"suffix\": \"Jr.\"},"
             " {\"literal\": \"Barnes and Noble, Inc.\"},"
             " {\"literal\": \"Microsoft\"},"
             " {\"family\": \"Um\", \"given\": \"Taegeon\"},"
             " {\"family\": \"Fontaine\", \"given\": \"Jean\", \"non-dropping-particle\": \"de la\"},"
             " {\"family\": \"Aristotle\"},"
             " {\"family\": \"Zola\", \"given\": \"Émile\"}],"
             " \"editor\": [{\"literal\": \"World Health Organization\"}]}");
  free(got);
  /* a list of only "others" is left out */
  got = csl_one("@misc{o, author = {others}}");
  CHECK_JSON(got, "{\"id\": \"o\", \"type\": \"document\"}");
  free(got);
}

static void test_csl_dates(void) {
  static const struct { const char *fields, *issued; } cases[] = {
      {"year = 2020", "{\"date-parts\": [[2020]]}"},
      {"year = {{2020}}, month = jul", "{\"date-parts\": [[2020, 7]]}"},
      {"year = 2020, month = {Sept.}, day = 3", "{\"date-parts\": [[2020, 9, 3]]}"},
      {"year = 2020, month = 11", "{\"date-parts\": [[2020, 11]]}"},
      {"year = 2020, month = 13", "{\"date-parts\": [[2020]]}"},
      {"year = 2020, month = {Mid}", "{\"date-parts\": [[2020]]}"},
      {"year = 2020, month = 5, endyear = 2021, endmonth = feb",
       "{\"date-parts\": [[2020, 5], [2021, 2]]}"},
      {"date = {2020-05-17}", "{\"date-parts\": [[2020, 5, 17]]}"},
      {"date = {2020-05}", "{\"date-parts\": [[2020, 5]]}"},
      {"date = {2020/2021}", "{\"date-parts\": [[2020], [2021]]}"},
      {"date = {2020-05/2021-06-30}", "{\"date-parts\": [[2020, 5], [2021, 6, 30]]}"},
      {"date = {2020/..}", "{\"date-parts\": [[2020], [0]]}"},
      {"date = {2020~}", "{\"date-parts\": [[2020]], \"circa\": true}"},
      {"date = {2020-13-01}, year = 2019", "{\"date-parts\": [[2019]]}"},
      {"date = {circa 1900}", "{\"literal\": \"circa 1900\"}"},
      {"year = {in press}", "{\"literal\": \"in press\"}"},
      {"year = {2020a}", "{\"literal\": \"2020a\"}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[160], want[200];
    snprintf(text, sizeof text, "@misc{k, %s}", cases[i].fields);
    snprintf(want, sizeof want, "{\"id\": \"k\", \"type\": \"document\", \"issued\": %s}",
             cases[i].issued);
    char *got = csl_one(text);
    CHECK_JSON(got, want);
    free(got);
  }
}

/* ---- out of memory: every jansson allocation failing in turn ---- */

static long alloc_budget = -1;   /* -1: unlimited */
static void *limited_malloc(size_t n) {
  if (alloc_budget == 0) return NULL;
  if (alloc_budget > 0) alloc_budget--;
  return malloc(n);
}

static void test_nomem(void) {
  const char *text = "@article{a, author = {Um*, Taegeon and van Oh, Jr, B. and {Org} and others},"
                     " title = {T: S}, journal = {J}, year = 2020, month = may, pages = {1--2},"
                     " doi = {10.1/x}, url = {https://x.org}, number = 1, issue = 2}\n"
                     "@book{b, editor = {E. D. Itor}, date = {2020/2021}, publisher = {P},"
                     " school = {S}}\n";
  pr_bib *bib = pr_bib_new();
  pr_error err;
  pr_bib_add_buffer(bib, text, strlen(text), "n.bib", &err);
  pr_options *o = pr_options_new();
  json_set_alloc_funcs(limited_malloc, free);
  for (int f = PR_FORMAT_JSON; f <= PR_FORMAT_CSL_JSON; f++) {
    pr_options_set_format(o, (pr_format)f);
    int failures = 0, done = 0;
    for (long budget = 0; budget < 5000 && !done; budget++) {
      alloc_budget = budget;
      char *out = NULL;
      pr_status st = pr_render_string(bib, o, &out, NULL, fresh(), &err);
      alloc_budget = -1;
      if (st == PR_OK) done = 1;
      else if (st == PR_ERR_NOMEM && !out) failures++;
      else break;
      pr_free(out);
    }
    CHECK(done);
    CHECK(failures > 10);
  }
  json_set_alloc_funcs(malloc, free);
  pr_options_free(o);
  pr_bib_free(bib);
}

int main(void) {
  test_model();
  test_layout();
  test_order_and_bytes();
  test_csl_types();
  test_csl_fields();
  test_csl_nocase();
  test_csl_unsafe();
  test_csl_names();
  test_csl_dates();
  test_nomem();
  pr_report_free(last_report);
  return tests_done();
}
