/* test_render.c - HTML and Markdown output of small bibliographies, exact. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "render/render.h"

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

/* Render text with the given format (and highlight, may be NULL). */
static char *render(const char *text, pr_format f, const char *hl, pr_bib **keep) {
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "r.bib", &err), PR_OK);
  pr_options_set_format(o, f);
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

static const char *paper =
    "@inproceedings{p1, title = {Pok{\\'e}Mem: {\\emph{Wild}} $O(n^2)$ <blink>&</blink>},\n"
    " author = {Um*, Taegeon and Oh*, Byungsoo and Kim, Goeun}, booktitle = {Proc. X},\n"
    " year = 2022, abbr = {SMC}, doi = {10.1/abc}, pdf = {papers/p1.pdf}}\n";

static void test_html_entry(void) {
  char *out = render(paper, PR_FORMAT_HTML, "Byungsoo Oh", NULL);
  CHECK_STR(out,
            "<div class=\"pubrender\">\n<ol class=\"pubrender-list\">\n"
            "<li class=\"pubrender-entry pubrender-type-inproceedings\" id=\"pubrender-p1\">\n"
            "<span class=\"pubrender-abbr\">SMC</span>\n"
            "<div class=\"pubrender-title\">PokéMem: <em>Wild</em> <span class=\"pubrender-math\">"
            "\\(O(n^2)\\)</span> &lt;blink&gt;&amp;&lt;/blink&gt;</div>\n"
            "<div class=\"pubrender-authors\"><span class=\"pubrender-author\">Taegeon Um</span>"
            "<sup class=\"pubrender-mark\">*</sup>, <strong class=\"pubrender-me\">Byungsoo Oh"
            "</strong><sup class=\"pubrender-mark\">*</sup>, and <span class=\"pubrender-author\">"
            "Goeun Kim</span> <span class=\"pubrender-legend\">(* = Equal Contribution)</span>"
            "</div>\n"
            "<div class=\"pubrender-venue\">In <em>Proc. X</em>, 2022</div>\n"
            "<div class=\"pubrender-links\"><a class=\"pubrender-link\" href=\"papers/p1.pdf\">PDF"
            "</a> <a class=\"pubrender-link\" href=\"https://doi.org/10.1/abc\">DOI</a></div>\n"
            "</li>\n</ol>\n</div>\n");
  free(out);
}

static void test_markdown_entry(void) {
  char *out = render(paper, PR_FORMAT_MARKDOWN, "Byungsoo Oh", NULL);
  CHECK_STR(out, "1.  \\[SMC\\] **PokéMem: *Wild* \\\\(O(n^2)\\\\) \\<blink\\>&\\</blink\\>**  \n"
                 "    Taegeon Um\\*, **Byungsoo Oh**\\*, and Goeun Kim (\\* = Equal Contribution)  \n"
                 "    In *Proc. X*, 2022  \n"
                 "    [PDF](papers/p1.pdf) [DOI](https://doi.org/10.1/abc)\n");
  free(out);
  /* markdown-significant characters in titles are escaped */
  out = render("@misc{m, title = {a*b*c snake\\_case [x](y)}, year = 2000}", PR_FORMAT_MARKDOWN,
               NULL, NULL);
  CHECK_STR(out, "1.  **a\\*b\\*c snake\\_case \\[x\\](y)**  \n    2000\n");
  free(out);
}

static void test_venues(void) {
  char *out = render("@article{a, journal = {J. Things}, volume = 47, number = 10, "
                     "pages = {777--780}, year = 1935}\n"
                     "@phdthesis{t, school = {MIT}, year = 1999}\n"
                     "@techreport{r, institution = {Lab}, number = {TR-7}, year = 1998}\n"
                     "@book{b, publisher = {Methuen}, year = 1920}\n",
                     PR_FORMAT_HTML, NULL, NULL);
  CHECK(strstr(out, "<div class=\"pubrender-venue\"><em>J. Things</em>, vol. 47, no. 10, "
                    "pp. 777–780, 1935</div>") != NULL);
  CHECK(strstr(out, "<div class=\"pubrender-venue\">PhD thesis, MIT, 1999</div>") != NULL);
  CHECK(strstr(out, "<div class=\"pubrender-venue\">Technical Report TR-7, Lab, 1998</div>") !=
        NULL);
  CHECK(strstr(out, "<div class=\"pubrender-venue\">Methuen, 1920</div>") != NULL);
  /* newest first */
  CHECK(strstr(out, "id=\"pubrender-t\"") < strstr(out, "id=\"pubrender-r\""));
  CHECK(strstr(out, "id=\"pubrender-a\"") < strstr(out, "id=\"pubrender-b\""));
  free(out);
}

static void test_unsafe_links(void) {
  pr_bib *bib;
  char *out = render("@misc{x, title = {\"><script>alert(1)</script>},\n"
                     " url = {javascript:alert(1)},\n pdf = { JaVa\tScRiPt:alert(2)},\n"
                     " code = {data:text/html,hi}, html = {https://ok.example/?a=1&b=\"2\"}}",
                     PR_FORMAT_HTML, NULL, &bib);
  CHECK(strstr(out, "<script>") == NULL);
  CHECK(strstr(out, "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;") != NULL); /* no babel outside German */
  CHECK(strstr(out, "javascript") == NULL && strstr(out, "ScRiPt") == NULL);
  CHECK(strstr(out, "data:") == NULL);
  CHECK(strstr(out, "href=\"https://ok.example/?a=1&amp;b=%222%22\"") != NULL);
  CHECK_INT(all_count(bib), 5);
  char buf[512];
  CHECK_STR(pr_diag_format(all_diag(bib, 0), buf, sizeof buf),
            "r.bib:1: warning: entry 'x', field 'title': HTML tag <script> shown as text (inline "
            "HTML is only i, em, b, strong, sub, sup, small, u, s, code, br and a href)");
  CHECK_STR(pr_diag_format(all_diag(bib, 4), buf, sizeof buf),
            "r.bib:2: warning: entry 'x': url link 'javascript:alert(1)' dropped (only http, "
            "https, mailto or a relative path are allowed)");
  free(out);
  pr_bib_free(bib);
  CHECK(pr_url_is_safe("https://x.org"));
  CHECK(pr_url_is_safe("mailto:a@b.c"));
  CHECK(pr_url_is_safe("papers/a.pdf"));
  CHECK(pr_url_is_safe("brownian-motion-preview.gif")); /* long, no slash */
  CHECK(!pr_url_is_safe("averyveryverylongscheme:x"));
  CHECK(pr_url_is_safe("/a:b"));
  CHECK(!pr_url_is_safe("vbscript:x"));
  CHECK(!pr_url_is_safe("java\nscript:x"));
  CHECK(!pr_url_is_safe("  javascript:x"));
  /* entity tricks stay text: the & is escaped, so this is a relative URL */
  CHECK(pr_url_is_safe("&#106;avascript:x"));
}

static void test_legends_and_options(void) {
  const char *text = "@misc{a, author = {A One\xe2\x80\xa0 and B Two* and E Five*}, year = 2001}\n"
                     "@misc{b, author = {C Three and D Four}, year = 2000}\n";
  char *out = render(text, PR_FORMAT_HTML, NULL, NULL);
  CHECK(strstr(out, "(* = Equal Contribution, \xe2\x80\xa0 = Corresponding Author)") != NULL);
  const char *second = strstr(out, "id=\"pubrender-b\"");
  CHECK(second && strstr(second, "pubrender-legend") == NULL);
  free(out);
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_legend(o, "*", "Joint first authors"), PR_OK);
  CHECK_INT(pr_options_set_legend(o, "\xe2\x80\xa0", NULL), PR_OK);
  CHECK_INT(pr_options_set_legend(o, "", "x"), PR_ERR_ARG);
  CHECK_INT(pr_options_set_format(o, (pr_format)7), PR_ERR_ARG);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  pr_bib_add_buffer(bib, text, strlen(text), "l.bib", &err);
  out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strstr(out, "<span class=\"pubrender-legend\">(* = Joint first authors)</span>") != NULL);
  pr_free(out);
  pr_options_set_standalone(o, 1);
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strncmp(out, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
  CHECK(strstr(out, "prefers-color-scheme: dark") != NULL);
  CHECK(strstr(out, "</html>\n") != NULL);
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(bib);
}

static int fail_sink(const char *d, size_t n, void *ctx) {
  (void)d, (void)n, (void)ctx;
  return 1;
}

static int buf_sink(const char *d, size_t n, void *ctx) {
  pr_buf_put(ctx, d, n);
  return 0;
}

static void test_sinks(void) {
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  pr_bib_add_buffer(bib, paper, strlen(paper), "s.bib", &err);
  CHECK_INT(pr_render(bib, o, fail_sink, NULL, fresh(), &err), PR_ERR_IO);
  CHECK_INT(err.code, PR_ERR_IO);
  pr_buf b = {0};
  CHECK_INT(pr_render(bib, o, buf_sink, &b, fresh(), &err), PR_OK);
  char *s = NULL;
  pr_render_string(bib, o, &s, NULL, fresh(), &err);
  CHECK_STR(b.data, s);
  pr_free(s);
  pr_buf_free(&b);
  /* empty bibliography: an empty list, and nothing for Markdown */
  pr_bib *empty = pr_bib_new();
  CHECK_INT(pr_render_string(empty, o, &s, NULL, fresh(), &err), PR_OK);
  CHECK_STR(s, "<div class=\"pubrender\">\n<ol class=\"pubrender-list\">\n</ol>\n</div>\n");
  pr_free(s);
  pr_options_set_format(o, PR_FORMAT_MARKDOWN);
  CHECK_INT(pr_render_string(empty, o, &s, NULL, fresh(), &err), PR_OK);
  CHECK_STR(s, "");
  pr_free(s);
  pr_bib_free(empty);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* Counts the pieces; fails on piece number fail_at (0: never). */
typedef struct pieces {
  pr_buf all;
  int n, fail_at;
  int short_ones;   /* pieces under 64 KB */
} pieces;

static int piece_sink(const char *d, size_t n, void *ctx) {
  pieces *p = ctx;
  if (++p->n == p->fail_at) return 1;
  if (n < 65536) p->short_ones++;
  pr_buf_put(&p->all, d, n);
  return 0;
}

/* A big list reaches the sink as it is rendered, in pieces of at least
   64 KB (the last may be shorter), and the pieces are the whole text. */
static void test_streaming(void) {
  pr_buf src = {0};
  for (int i = 0; i < 3000; i++)
    pr_buf_printf(&src, "@article{k%d, author = {Ann Author%d and Bob Writer}, title = {Paper "
                        "number %d on a topic}, journal = {Journal}, year = %d}\n",
                  i, i, i, 1990 + i % 30);
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, src.data, src.len, "big.bib", &err), PR_OK);
  const pr_format formats[] = {PR_FORMAT_HTML, PR_FORMAT_MARKDOWN, PR_FORMAT_JSON,
                               PR_FORMAT_CSL_JSON};
  for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
    pr_options_set_format(o, formats[f]);
    pieces p = {{0}, 0, 0, 0};
    CHECK_INT(pr_render(bib, o, piece_sink, &p, fresh(), &err), PR_OK);
    char *s = NULL;
    size_t len = 0;
    CHECK_INT(pr_render_string(bib, o, &s, &len, fresh(), &err), PR_OK);
    CHECK(p.n >= 3);
    CHECK(p.short_ones <= 1); /* only the last */
    CHECK(p.all.len == len && s && memcmp(p.all.data, s, len) == 0);
    pieces q = {{0}, 0, 0, 0};
    q.fail_at = 2; /* a sink that fails mid-way stops the render */
    CHECK_INT(pr_render(bib, o, piece_sink, &q, fresh(), &err), PR_ERR_IO);
    CHECK_INT(q.n, 2);
    pr_buf_free(&q.all);
    pr_free(s);
    pr_buf_free(&p.all);
  }
  pr_options_free(o);
  pr_bib_free(bib);
  pr_buf_free(&src);
}

static void test_link_prefixes(void) {
  const char *text = "@misc{p, title = {T}, pdf = {paper.pdf}, slides = {s.pdf}, html = {/x.html},"
                     " preview = {p.gif}, code = {https://c.example/}}";
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  pr_bib_add_buffer(bib, text, strlen(text), "p.bib", &err);
  CHECK_INT(pr_options_set_link_prefix(o, "/all/"), PR_OK);
  CHECK_INT(pr_options_set_field_link_prefix(o, "pdf", "/assets/pdf/"), PR_OK);
  CHECK_INT(pr_options_set_field_link_prefix(o, "preview", "/img/"), PR_OK);
  CHECK_INT(pr_options_set_field_link_prefix(o, "", "/x/"), PR_ERR_ARG);
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strstr(out, "src=\"/img/p.gif\"") != NULL);
  CHECK(strstr(out, "href=\"/assets/pdf/paper.pdf\">PDF") != NULL);
  CHECK(strstr(out, "href=\"/all/s.pdf\">Slides") != NULL);
  CHECK(strstr(out, "href=\"/x.html\">HTML") != NULL);
  CHECK(strstr(out, "href=\"https://c.example/\">Code") != NULL);
  pr_free(out);
  CHECK_INT(pr_options_set_field_link_prefix(o, "pdf", NULL), PR_OK); /* back to the global one */
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strstr(out, "href=\"/all/paper.pdf\">PDF") != NULL);
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* al-folio's Markdown fields: Markdown kept, math kept, raw HTML and
   unsafe links gone, in HTML and in Markdown output. */
static void test_markdown_fields(void) {
  const char *text = "@misc{m, title = {T}, year = 2020,\n"
                     " award = {The **best** $a_1*b_2$ <script>x</script> [go](javascript:alert(1))},\n"
                     " additional_info = {. *More* [here](https://x.example/)}}";
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  pr_bib_add_buffer(bib, text, strlen(text), "m.bib", &err);
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strstr(out, "<div>The <strong>best</strong> <span class=\"pubrender-math\">\\(a_1*b_2\\)"
                    "</span>") != NULL);
  CHECK(strstr(out, "<script>") == NULL && strstr(out, "javascript") == NULL);
  CHECK(strstr(out, "2020. <em>More</em> <a href=\"https://x.example/\">here</a></div>") != NULL);
  pr_free(out);
  pr_options_set_format(o, PR_FORMAT_MARKDOWN);
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(strstr(out, "*Awarded*: The **best** \\\\(a\\_1\\*b\\_2\\\\)") != NULL);
  CHECK(strstr(out, "<script>") == NULL && strstr(out, "javascript") == NULL);
  CHECK(strstr(out, "2020. *More* [here](https://x.example/)") != NULL);
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* Issue 12, item 21: an unsafe venue url (venues.yml), co-author url
   (coauthors.yml) or preview is dropped with the warning a link field gets:
   a data-file value once, at its file and line, however many entries use
   it; a preview at its entry and field. */
static void test_data_file_urls(void) {
  const char *venues = "GOOD:\n  url: https://ok.example/v\n"
                       "JS:\n  color: \"#123\"\n  url: javascript:alert(1)\n"
                       "DATA:\n  url: \"data:text/html,<b>x</b>\"\n"
                       "TAB:\n  url: \" JaVa\\tScRiPt:alert(2)\"\n"
                       "UNUSED:\n  url: vbscript:x\n";
  const char *coauthors = "einstein:\n  - firstname: [Albert, A.]\n    url: javascript:alert(3)\n"
                          "oh:\n  - firstname: [Byungsoo]\n    url: https://ok.example/b\n"
                          "kim:\n  - firstname: [Goeun]\n    url: \"data:,x\"\n";
  const char *text = "@misc{a, title = {A}, year = 2003, abbr = {JS}, preview = {javascript:alert(4)},\n"
                     " author = {Albert Einstein and Byungsoo Oh and Goeun Kim}}\n"
                     "@misc{b, title = {B}, year = 2002, abbr = {JS}, preview = { JaVa\tScRiPt:x},\n"
                     " author = {A. Einstein and Goeun Kim}}\n"
                     "@misc{c, title = {C}, year = 2001, abbr = {DATA}, preview = {data:image/png,x}}\n"
                     "@misc{d, title = {D}, year = 2000, abbr = {TAB}, preview = {ok.png}}\n"
                     "@misc{e, title = {E}, year = 1999, abbr = {GOOD}, preview = {}}\n";
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_options_load_venues_buffer(o, venues, strlen(venues), "venues.yml", &err), PR_OK);
  CHECK_INT(pr_options_load_coauthors_buffer(o, coauthors, strlen(coauthors), "coauthors.yml",
                                             &err), PR_OK);
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "d.bib", &err), PR_OK);
  char *out = NULL;
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(out && !strstr(out, "javascript") && !strstr(out, "ScRiPt") && !strstr(out, "data:") &&
        !strstr(out, "vbscript"));
  CHECK(out && strstr(out, "<a class=\"pubrender-abbr\" href=\"https://ok.example/v\">GOOD</a>"));
  CHECK(out && strstr(out, "<span class=\"pubrender-abbr\" style=\"background-color: #123; "
                           "color: #fff\">JS</span>"));
  CHECK(out && strstr(out, "<a class=\"pubrender-coauthor\" href=\"https://ok.example/b\">"
                           "Byungsoo Oh</a>"));
  CHECK(out && strstr(out, "<span class=\"pubrender-author\">Albert Einstein</span>"));
  CHECK(out && strstr(out, "<span class=\"pubrender-author\">Goeun Kim</span>"));
  CHECK(out && strstr(out, "<img class=\"pubrender-preview\" src=\"ok.png\""));
  CHECK(out && strstr(out, "<img") == strstr(out, "<img class=\"pubrender-preview\" src=\"ok.png\""));
  static const char *const want[] = {
      "venues.yml:5: warning: venue url 'javascript:alert(1)' dropped",
      "venues.yml:7: warning: venue url 'data:text/html,<b>x</b>' dropped",
      "venues.yml:9: warning: venue url ' JaVa\\tScRiPt:alert(2)' dropped",
      "venues.yml:11: warning: venue url 'vbscript:x' dropped",
      "coauthors.yml:3: warning: co-author url 'javascript:alert(3)' dropped",
      "coauthors.yml:9: warning: co-author url 'data:,x' dropped",
      "d.bib:1: warning: entry 'a': preview 'javascript:alert(4)' dropped",
      "d.bib:3: warning: entry 'b': preview 'JaVa\\tScRiPt:x' dropped",
      "d.bib:5: warning: entry 'c': preview 'data:image/png,x' dropped"};
  size_t n = sizeof want / sizeof *want;
  CHECK_INT(all_count(bib), n);
  char buf[512];
  for (size_t i = 0; i < n && i < all_count(bib); i++) {
    const char *got = pr_diag_format(all_diag(bib, i), buf, sizeof buf);
    CHECK(got && strncmp(got, want[i], strlen(want[i])) == 0 &&
          strstr(got, " (only http, https, mailto or a relative path are allowed)"));
    if (!got || strncmp(got, want[i], strlen(want[i])) != 0)
      printf("  got:  %s\n  want: %s...\n", got ? got : "(null)", want[i]);
  }
  pr_free(out);
  /* Markdown shows co-author links but no badge links: only those are warned about */
  pr_bib_free(bib);
  bib = pr_bib_new();
  CHECK_INT(pr_bib_add_buffer(bib, text, strlen(text), "d.bib", &err), PR_OK);
  pr_options_set_format(o, PR_FORMAT_MARKDOWN);
  CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
  CHECK(out && !strstr(out, "javascript") && !strstr(out, "data:"));
  CHECK(out && strstr(out, "[Byungsoo Oh](https://ok.example/b)"));
  CHECK_INT(all_count(bib), 5);
  CHECK_STR(all_count(bib) ? pr_diag_format(all_diag(bib, 0), buf, sizeof buf) : "",
            "coauthors.yml:3: warning: co-author url 'javascript:alert(3)' dropped (only http, "
            "https, mailto or a relative path are allowed)");
  pr_free(out);
  pr_options_free(o);
  pr_bib_free(bib);
}

/* award_name is LaTeX like award: converted, in every format. */
static void test_award_name(void) {
  const char *text = "@misc{m, title = {T}, year = 2020, award = {Yes},\n"
                     " award_name = {Best {\\\"U}ber \\emph{Paper} $x^2$ \\& co~--- \\textbf{B}}}";
  static const struct { pr_format f; int flavour; const char *want; } cases[] = {
      {PR_FORMAT_HTML, 0,
       "<summary>Best Über <em>Paper</em> <span class=\"pubrender-math\">\\(x^2\\)</span> "
       "&amp; co\xc2\xa0— <strong>B</strong></summary>"},
      {PR_FORMAT_MARKDOWN, PR_MD_COMMONMARK,
       "*Best Über *Paper* \\\\(x^2\\\\) & co\xc2\xa0— **B***: Yes"},
      {PR_FORMAT_MARKDOWN, PR_MD_KRAMDOWN,
       "*Best Über *Paper* \\\\(x^2\\\\) & co\xc2\xa0— **B***: Yes"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    pr_bib *bib = pr_bib_new();
    pr_options *o = pr_options_new();
    pr_error err;
    pr_bib_add_buffer(bib, text, strlen(text), "m.bib", &err);
    pr_options_set_format(o, cases[i].f);
    if (cases[i].f == PR_FORMAT_MARKDOWN) pr_options_set_markdown_flavor(o, cases[i].flavour);
    char *out = NULL;
    CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
    CHECK(out && strstr(out, cases[i].want));
    if (out && !strstr(out, cases[i].want)) printf("  got: %s\n  want: %s\n", out, cases[i].want);
    CHECK(out && !strstr(out, "\\emph") && !strstr(out, "{\\\"U}"));
    pr_free(out);
    pr_options_free(o);
    pr_bib_free(bib);
  }
}

/* Issue 12, item 14: name-heavy input. */

/* jansson's live bytes, and their peak, while the JSON writers run. */
static size_t json_live, json_peak;
static void *count_malloc(size_t n) {
  size_t *p = malloc(n + sizeof(size_t) * 2);
  if (!p) return NULL;
  p[0] = n;
  json_live += n;
  if (json_live > json_peak) json_peak = json_live;
  return p + 2;
}
static void count_free(void *q) {
  if (!q) return;
  size_t *p = (size_t *)q - 2;
  json_live -= p[0];
  free(p);
}
static int discard(const char *data, size_t len, void *ctx) {
  (void)data;
  *(size_t *)ctx += len;
  return 0;
}

/* An entry of 20,000 authors (and as many editors and translators) in JSON and CSL-JSON:
   the names are written one by one, so jansson never holds more than the
   record without them and one name (on main: a tree of every name, some
   400 bytes each); the output is the same as the whole tree's (golden). */
static void test_json_many_names(void) {
  pr_buf b = {0};
  pr_buf_puts(&b, "@book{big, title = {Many}, year = 2020,\n author = {");
  for (int i = 0; i < 20000; i++) pr_buf_printf(&b, "%sLast%d, First", i ? " and " : "", i);
  pr_buf_puts(&b, "},\n editor = {");
  for (int i = 0; i < 20000; i++) pr_buf_printf(&b, "%sEd%d, E.", i ? " and " : "", i);
  pr_buf_puts(&b, " and others},\n translator = {");
  for (int i = 0; i < 20000; i++) pr_buf_printf(&b, "%sTr%d, T.", i ? " and " : "", i);
  pr_buf_puts(&b, "}}\n@misc{small, author = {A, B}, editor = {}, year = 2019}\n");
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, b.data, b.len, "big.bib", &err), PR_OK);
  json_set_alloc_funcs(count_malloc, count_free);
  static const pr_format formats[] = {PR_FORMAT_JSON, PR_FORMAT_CSL_JSON};
  for (size_t f = 0; f < 2; f++) {
    pr_options_set_format(o, formats[f]);
    size_t written = 0;
    json_peak = json_live;
    CHECK_INT(pr_render(bib, o, discard, &written, fresh(), &err), PR_OK);
    CHECK(written > 20000 * 3 * 40);
    /* the record's fields hold each list's raw and plain text: 3 x 2 x ~350 KB */
    CHECK(json_peak < 4 * b.len);
    if (json_peak >= 4 * b.len) printf("  jansson peak %zu for %zu input bytes\n", json_peak, b.len);
    char *out = NULL;
    CHECK_INT(pr_render_string(bib, o, &out, NULL, fresh(), &err), PR_OK);
    if (formats[f] == PR_FORMAT_JSON) {
      CHECK(out && strstr(out, "\"author\": [\n      {\n        \"first\": \"First\",\n"
                                "        \"von\": \"\",\n        \"last\": \"Last0\","));
      CHECK(out && strstr(out, "        \"highlight\": false\n      }\n    ],\n    \"editor\": [\n"));
      CHECK(out && strstr(out, "\"display\": \"et al.\",\n        \"marks\": \"\",\n"
                                "        \"others\": true,\n        \"highlight\": false\n"
                                "      }\n    ]\n  },\n  {\n    \"key\": \"big\"") == NULL);
      /* every name field is listed: the translators after the editors, last */
      CHECK(out && strstr(out, "\"others\": true,\n        \"highlight\": false\n      }\n    ],\n"
                                "    \"translator\": [\n"));
      CHECK(out && strstr(out, "\"display\": \"T. Tr19999\",\n        \"marks\": \"\",\n"
                                "        \"others\": false,\n        \"highlight\": false\n"
                                "      }\n    ]\n  },\n"));
      CHECK(out && strstr(out, "\"editor\": []\n  }\n]\n"));
    } else {
      CHECK(out && strstr(out, "\"author\": [\n      {\n        \"family\": \"Last0\",\n"
                                "        \"given\": \"First\"\n      },\n"));
      CHECK(out && strstr(out, "\"family\": \"Ed19999\",\n        \"given\": \"E.\"\n      }\n    ],\n"
                                "    \"translator\": [\n"));
      CHECK(out && strstr(out, "\"family\": \"Tr19999\",\n        \"given\": \"T.\"\n      }\n    ],\n"));
    }
    pr_free(out);
  }
  json_set_alloc_funcs(malloc, free);
  pr_options_free(o);
  pr_bib_free(bib);
  pr_buf_free(&b);
}

/* 3,000 --highlight names: a name is compared only with the highlights of
   its own last name, and matches exactly as when compared with every one. */
static void test_many_highlights(void) {
  pr_options *o = pr_options_new();
  pr_buf b = {0};
  for (int i = 0; i < 3000; i++) {
    pr_buf_printf(&b, "Someone%d Other%d", i, i);
    CHECK_INT(pr_options_add_highlight(o, b.data), PR_OK);
    b.len = 0;
  }
  static const char *const mine[] = {"Byungsoo Oh", "Oh, Boris", "Ludwig van Beethoven",
                                     "Jos{\\'e} M{\\\"u}ller"};
  for (size_t i = 0; i < 4; i++) CHECK_INT(pr_options_add_highlight(o, mine[i]), PR_OK);
  pr_buf_puts(&b, "@misc{m, year = 2020, author = {");
  static const char *const authors[] = {
      "Oh, Byungsoo", "B. Oh", "Oh, B.", "OH, BYUNGSOO", "Oh, Bo", "Oh, C.", "Byungsoo Oh Jr",
      "van Beethoven, L.", "Beethoven, Ludwig", "Ludwig Van Beethoven", "José Müller",
      "J. Muller", "Jose Mueller", "Someone7 Other7", "S. Other2999", "Someone1 Other2",
      "Other3000, Someone3000", "others"};
  size_t na = sizeof authors / sizeof *authors;
  for (int r = 0; r < 100; r++)
    for (size_t i = 0; i < na; i++)
      pr_buf_printf(&b, "%s%s", r || i ? " and " : "", i + 1 == na ? "X Y" : authors[i]);
  pr_buf_puts(&b, " and others}}\n");
  pr_bib *bib = pr_bib_new();
  pr_error err;
  CHECK_INT(pr_bib_add_buffer(bib, b.data, b.len, "h.bib", &err), PR_OK);
  const pr_entry *e = pr_bib_entry(bib, 0);
  size_t n = pr_entry_name_count(e, "author"), hits = 0, wrong = 0;
  CHECK_INT(n, 100 * na + 1);
  unsigned long long calls = 0;
  for (size_t i = 0; i < n; i++) {
    const pr_name *nm = pr_entry_name(e, "author", i);
    unsigned long long before = pr__folded_match_calls;
    int got = pr_name_is_highlighted(o, nm);
    calls += pr__folded_match_calls - before;
    int want = 0; /* every highlight, as before */
    for (size_t h = 0; h < o->nhl && !want && !pr_name_is_others(nm); h++)
      want = pr_name_matches(nm, o->hl[h].last, o->hl[h].first);
    hits += got;
    wrong += got != want;
  }
  CHECK_INT(wrong, 0);
  /* "Oh, Byungsoo", "B. Oh", "Oh, B.", "OH, BYUNGSOO", "van Beethoven, L.", "Beethoven,
     Ludwig" (the particle is optional), "José Müller", "J. Muller", "Someone7 Other7", "S.
     Other2999"; not "Oh, Bo" (no initial), "Byungsoo Oh Jr" (last name Jr), "Ludwig Van
     Beethoven" (Van is a first name), "Jose Mueller" */
  CHECK_INT(hits, 100 * 10);
  CHECK(calls <= 2 * n); /* at most the two highlights named Oh; 3,000 x n before */
  if (calls > 2 * n) printf("  %llu comparisons for %zu names\n", calls, n);
  pr_bib_free(bib);
  pr_options_free(o);
  pr_buf_free(&b);
}

/* The case-protection markers (read.h), which only the CSL-JSON writer
   asks for, are ignored by every other writer of marked text: HTML, the
   three Markdown flavours and the plain text give what they give without
   them. */
static void test_nocase_ignored(void) {
  static const char *const pairs[][2] = {
      {"A \x07GPU\x08s \x01\x07in vivo\x08\x02", "A GPUs \x01in vivo\x02"},
      {"\x07" "2020\x08. \x07*x*\x08 \x05x\x06\x07th\x08", "2020. *x* \x05x\x06th"},
      {"\x07-\x08 list \x16http://a.b\x17\x07L\x08ink\x18", "- list \x16http://a.b\x17Link\x18"},
  };
  const pr_format_ops *fmts[] = {&pr_format_html, &pr_format_markdown,
                                 &pr_format_markdown_kramdown, &pr_format_markdown_gfm};
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
    for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++) {
      pr_buf a = {0}, b = {0};
      fmts[f]->marked(&a, pairs[i][0]);
      fmts[f]->marked(&b, pairs[i][1]);
      char *x = pr_buf_take(&a), *y = pr_buf_take(&b);
      CHECK_STR(x, y);
      free(x);
      free(y);
    }
    char *x = pr_marked_to_plain(pairs[i][0]), *y = pr_marked_to_plain(pairs[i][1]);
    CHECK_STR(x, y);
    free(x);
    free(y);
  }
}

int main(void) {
  test_json_many_names();
  test_many_highlights();
  test_data_file_urls();
  test_award_name();
  test_link_prefixes();
  test_markdown_fields();
  test_html_entry();
  test_markdown_entry();
  test_venues();
  test_unsafe_links();
  test_legends_and_options();
  test_sinks();
  test_streaming();
  test_nocase_ignored();
  pr_report_free(last_report);
  return tests_done();
}
