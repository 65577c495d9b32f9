/* test_api_null.c - every public function that takes a pointer, called with
   NULL in each pointer argument in turn (the others valid): none may crash,
   and each returns what pubrender.h says (PR_ERR_ARG, 0, NULL, or its
   argument buffer). Each call runs in a child process, so a crash names
   the call instead of ending the test. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pubrender.h>
#include "harness.h"

static pr_bib *bib;
static const pr_entry *e;
static const pr_name *nm;
static pr_options *o;
static pr_error err;
static char buf[256];

static int sink(const char *data, size_t len, void *ctx) {
  (void)data, (void)len, (void)ctx;
  return 0;
}

/* Run body in a child; it exits 0 when its checks hold. */
#define CALL(what, body)                                                                 \
  do {                                                                                  \
    fflush(stdout);                                                                     \
    pid_t pid = fork();                                                                 \
    if (pid == 0) {                                                                     \
      int ok_ = 1;                                                                      \
      body;                                                                             \
      _exit(ok_ ? 0 : 3);                                                               \
    }                                                                                   \
    int status_ = 0;                                                                    \
    waitpid(pid, &status_, 0);                                                          \
    int good_ = WIFEXITED(status_) && WEXITSTATUS(status_) == 0;                        \
    if (!good_)                                                                         \
      printf("FAIL: %s: %s\n", what,                                                    \
             WIFSIGNALED(status_) ? "crashed" : WEXITSTATUS(status_) == 3 ? "wrong result" \
                                                                         : "exited");   \
    CHECK(good_);                                                                       \
  } while (0)
#define EXPECT(cond) do { if (!(cond)) ok_ = 0; } while (0)

int main(void) {
  bib = pr_bib_new();
  const char *text = "@article{k, author = {Oh, Byungsoo}, title = {T}, year = 2020}\n";
  pr_bib_add_buffer(bib, text, strlen(text), "n.bib", NULL);
  e = pr_bib_entry(bib, 0);
  nm = pr_entry_name(e, "author", 0);
  o = pr_options_new();
  if (!bib || !e || !nm || !o) return 1;

  /* errors and diagnostics */
  CALL("pr_error_format(NULL, buf)", EXPECT(pr_error_format(NULL, buf, sizeof buf) == buf && buf[0] == '\0'));
  CALL("pr_error_format(err, NULL)", EXPECT(pr_error_format(&err, NULL, 10) == NULL));
  CALL("pr_diag_format(NULL, buf)", EXPECT(pr_diag_format(NULL, buf, sizeof buf) == buf && buf[0] == '\0'));
  CALL("pr_diag_format(d, NULL)",
       pr_bib_add_buffer(bib, "@misc{x}", 8, "d.bib", NULL);
       EXPECT(pr_diag_format(pr_bib_diag(bib, 0), NULL, 10) == NULL));
  CALL("pr_free(NULL)", pr_free(NULL));

  /* the bibliography */
  CALL("pr_bib_free(NULL)", pr_bib_free(NULL));
  CALL("pr_bib_set_encoding(NULL)", EXPECT(pr_bib_set_encoding(NULL, PR_ENCODING_UTF8) == PR_ERR_ARG));
  CALL("pr_bib_set_string_scope(NULL)", EXPECT(pr_bib_set_string_scope(NULL, PR_STRINGS_SHARED) == PR_ERR_ARG));
  CALL("pr_bib_get_string_scope(NULL)", EXPECT(pr_bib_get_string_scope(NULL) == PR_STRINGS_SHARED));
  CALL("pr_bib_add_buffer(NULL bib)", EXPECT(pr_bib_add_buffer(NULL, "x", 1, "n", &err) == PR_ERR_ARG));
  CALL("pr_bib_add_buffer(NULL data)", EXPECT(pr_bib_add_buffer(bib, NULL, 1, "n", &err) == PR_ERR_ARG));
  CALL("pr_bib_add_buffer(NULL data, 0)", EXPECT(pr_bib_add_buffer(bib, NULL, 0, NULL, NULL) == PR_OK));
  CALL("pr_bib_add_file(NULL bib)", EXPECT(pr_bib_add_file(NULL, "data/pubs.bib", &err) == PR_ERR_ARG));
  CALL("pr_bib_add_file(NULL path)", EXPECT(pr_bib_add_file(bib, NULL, &err) == PR_ERR_ARG));
  CALL("pr_bib_add_file(NULL path, NULL err)", EXPECT(pr_bib_add_file(bib, NULL, NULL) == PR_ERR_ARG));
  CALL("pr_bib_count(NULL)", EXPECT(pr_bib_count(NULL) == 0));
  CALL("pr_bib_entry(NULL)", EXPECT(pr_bib_entry(NULL, 0) == NULL));
  CALL("pr_bib_find(NULL bib)", EXPECT(pr_bib_find(NULL, "k") == NULL));
  CALL("pr_bib_find(NULL key)", EXPECT(pr_bib_find(bib, NULL) == NULL));
  CALL("pr_bib_diag_count(NULL)", EXPECT(pr_bib_diag_count(NULL) == 0));
  CALL("pr_bib_diag(NULL)", EXPECT(pr_bib_diag(NULL, 0) == NULL));
  CALL("pr_bib_error_count(NULL)", EXPECT(pr_bib_error_count(NULL) == 0));

  /* entries and names */
  CALL("pr_entry_type(NULL)", EXPECT(pr_entry_type(NULL) == NULL));
  CALL("pr_entry_key(NULL)", EXPECT(pr_entry_key(NULL) == NULL));
  CALL("pr_entry_file(NULL)", EXPECT(pr_entry_file(NULL) == NULL));
  CALL("pr_entry_line(NULL)", EXPECT(pr_entry_line(NULL) == 0));
  CALL("pr_entry_field_count(NULL)", EXPECT(pr_entry_field_count(NULL) == 0));
  CALL("pr_entry_field_name(NULL)", EXPECT(pr_entry_field_name(NULL, 0) == NULL));
  CALL("pr_entry_field_value(NULL)", EXPECT(pr_entry_field_value(NULL, 0) == NULL));
  CALL("pr_entry_field(NULL entry)", EXPECT(pr_entry_field(NULL, "title") == NULL));
  CALL("pr_entry_field(NULL name)", EXPECT(pr_entry_field(e, NULL) == NULL));
  CALL("pr_entry_field_text(NULL entry)", EXPECT(pr_entry_field_text(NULL, "title") == NULL));
  CALL("pr_entry_field_text(NULL name)", EXPECT(pr_entry_field_text(e, NULL) == NULL));
  CALL("pr_entry_year(NULL)", EXPECT(pr_entry_year(NULL) == 0));
  CALL("pr_entry_month(NULL)", EXPECT(pr_entry_month(NULL) == 0));
  CALL("pr_entry_name_count(NULL entry)", EXPECT(pr_entry_name_count(NULL, "author") == 0));
  CALL("pr_entry_name_count(NULL field)", EXPECT(pr_entry_name_count(e, NULL) == 0));
  CALL("pr_entry_name(NULL entry)", EXPECT(pr_entry_name(NULL, "author", 0) == NULL));
  CALL("pr_entry_name(NULL field)", EXPECT(pr_entry_name(e, NULL, 0) == NULL));
  CALL("pr_entry_name_field_count(NULL entry)", EXPECT(pr_entry_name_field_count(NULL) == 0));
  CALL("pr_entry_name_field(NULL entry)", EXPECT(pr_entry_name_field(NULL, 0) == NULL));
  CALL("pr_name_first(NULL)", EXPECT(pr_name_first(NULL) == NULL));
  CALL("pr_name_von(NULL)", EXPECT(pr_name_von(NULL) == NULL));
  CALL("pr_name_last(NULL)", EXPECT(pr_name_last(NULL) == NULL));
  CALL("pr_name_jr(NULL)", EXPECT(pr_name_jr(NULL) == NULL));
  CALL("pr_name_display(NULL)", EXPECT(pr_name_display(NULL) == NULL));
  CALL("pr_name_marks(NULL)", EXPECT(pr_name_marks(NULL) == NULL));
  CALL("pr_name_is_others(NULL)", EXPECT(pr_name_is_others(NULL) == 0));
  CALL("pr_name_annotated_highlight(NULL)", EXPECT(pr_name_annotated_highlight(NULL) == 0));

  /* options (pr_query_parse has its own test in test_select.c) */
  CALL("pr_options_free(NULL)", pr_options_free(NULL));
  CALL("pr_options_set_format(NULL)", EXPECT(pr_options_set_format(NULL, PR_FORMAT_HTML) == PR_ERR_ARG));
  CALL("pr_options_set_standalone(NULL)", pr_options_set_standalone(NULL, 1));
  CALL("pr_options_add_highlight(NULL o)", EXPECT(pr_options_add_highlight(NULL, "A B") == PR_ERR_ARG));
  CALL("pr_options_add_highlight(NULL name)", EXPECT(pr_options_add_highlight(o, NULL) == PR_ERR_ARG));
  CALL("pr_options_set_legend(NULL o)", EXPECT(pr_options_set_legend(NULL, "*", "x") == PR_ERR_ARG));
  CALL("pr_options_set_legend(NULL mark)", EXPECT(pr_options_set_legend(o, NULL, "x") == PR_ERR_ARG));
  CALL("pr_query_match(NULL, NULL)", (void)pr_query_match(NULL, NULL));
  CALL("pr_query_free(NULL)", pr_query_free(NULL));
  CALL("pr_options_set_query(NULL o)", EXPECT(pr_options_set_query(NULL, "@*", &err) == PR_ERR_ARG));
  CALL("pr_options_set_query(NULL text)", (void)pr_options_set_query(o, NULL, &err));
  CALL("pr_options_set_sort(NULL o)", EXPECT(pr_options_set_sort(NULL, "year", &err) == PR_ERR_ARG));
  CALL("pr_options_set_sort(NULL keys)", (void)pr_options_set_sort(o, NULL, NULL));
  CALL("pr_options_set_group_by(NULL o)", EXPECT(pr_options_set_group_by(NULL, "year", &err) == PR_ERR_ARG));
  CALL("pr_options_set_group_by(NULL groups)", (void)pr_options_set_group_by(o, NULL, NULL));
  CALL("pr_options_set_numbering(NULL)", pr_options_set_numbering(NULL, 1, 1));
  CALL("pr_options_set_heading_level(NULL)", EXPECT(pr_options_set_heading_level(NULL, 2) == PR_ERR_ARG));
  CALL("pr_options_set_type_name(NULL o)", EXPECT(pr_options_set_type_name(NULL, "misc", "M") == PR_ERR_ARG));
  CALL("pr_options_set_type_name(NULL type)", EXPECT(pr_options_set_type_name(o, NULL, "M") == PR_ERR_ARG));
  CALL("pr_options_set_type_name(NULL name)", (void)pr_options_set_type_name(o, "misc", NULL));
  CALL("pr_options_set_type_order(NULL o)", EXPECT(pr_options_set_type_order(NULL, "misc") == PR_ERR_ARG));
  CALL("pr_options_set_type_order(NULL types)", (void)pr_options_set_type_order(o, NULL));
  CALL("pr_options_set_max_authors(NULL)", EXPECT(pr_options_set_max_authors(NULL, 3) == PR_ERR_ARG));
  CALL("pr_options_set_link_prefix(NULL o)", EXPECT(pr_options_set_link_prefix(NULL, "/x/") == PR_ERR_ARG));
  CALL("pr_options_set_field_link_prefix(NULL o)",
       EXPECT(pr_options_set_field_link_prefix(NULL, "pdf", "/x/") == PR_ERR_ARG));
  CALL("pr_options_set_field_link_prefix(NULL field)",
       EXPECT(pr_options_set_field_link_prefix(o, NULL, "/x/") == PR_ERR_ARG));
  CALL("pr_options_set_template_dir(NULL o)", EXPECT(pr_options_set_template_dir(NULL, "t", NULL) == PR_ERR_ARG));
  CALL("pr_options_set_template_dir(NULL dir)", EXPECT(pr_options_set_template_dir(o, NULL, &err) == PR_OK));
  CALL("pr_options_set_template(NULL o)",
       EXPECT(pr_options_set_template(NULL, PR_FORMAT_HTML, "entry", "x", 1, NULL, &err) == PR_ERR_ARG));
  CALL("pr_options_set_template(NULL name)",
       EXPECT(pr_options_set_template(o, PR_FORMAT_HTML, NULL, "x", 1, NULL, &err) == PR_ERR_ARG));
  CALL("pr_options_set_template(NULL text)",
       EXPECT(pr_options_set_template(o, PR_FORMAT_HTML, "entry", NULL, 5, NULL, &err) == PR_OK));
  CALL("pr_options_set_template(NULL err)",
       EXPECT(pr_options_set_template(o, PR_FORMAT_JSON, "entry", "x", 1, NULL, NULL) == PR_ERR_ARG));
  CALL("pr_options_set_annotation(NULL o)", EXPECT(pr_options_set_annotation(NULL, "equal", "*") == PR_ERR_ARG));
  CALL("pr_options_set_annotation(NULL keyword)", EXPECT(pr_options_set_annotation(o, NULL, "*") == PR_ERR_ARG));
  CALL("pr_options_set_encoding(NULL)", EXPECT(pr_options_set_encoding(NULL, PR_ENCODING_UTF8) == PR_ERR_ARG));
  CALL("pr_options_get_encoding(NULL o)", EXPECT(pr_options_get_encoding(NULL, NULL) == 0));
  CALL("pr_options_get_encoding(NULL enc)", (void)pr_options_get_encoding(o, NULL));
  CALL("pr_options_set_string_scope(NULL)", EXPECT(pr_options_set_string_scope(NULL, PR_STRINGS_PER_FILE) == PR_ERR_ARG));
  CALL("pr_options_get_string_scope(NULL o)", EXPECT(pr_options_get_string_scope(NULL, NULL) == 0));
  CALL("pr_options_get_string_scope(NULL scope)", (void)pr_options_get_string_scope(o, NULL));
  CALL("pr_options_file_count(NULL)", EXPECT(pr_options_file_count(NULL) == 0));
  CALL("pr_options_file(NULL)", EXPECT(pr_options_file(NULL, 0) == NULL));
  CALL("pr_options_set_markdown_flavor(NULL)",
       EXPECT(pr_options_set_markdown_flavor(NULL, PR_MD_KRAMDOWN) == PR_ERR_ARG));

  /* configuration files */
  CALL("pr_options_load_config(NULL o)", EXPECT(pr_options_load_config(NULL, "x.yml", &err) == PR_ERR_ARG));
  CALL("pr_options_load_config(NULL path)", EXPECT(pr_options_load_config(o, NULL, &err) == PR_ERR_ARG));
  CALL("pr_options_load_config_buffer(NULL o)",
       EXPECT(pr_options_load_config_buffer(NULL, "a: b", 4, "x", &err) == PR_ERR_ARG));
  CALL("pr_options_load_config_buffer(NULL data)",
       EXPECT(pr_options_load_config_buffer(o, NULL, 4, "x", &err) == PR_ERR_ARG));
  CALL("pr_options_find_config(NULL)", EXPECT(pr_options_find_config(NULL) == NULL));
  CALL("pr_options_load_venues(NULL o)", EXPECT(pr_options_load_venues(NULL, "v.yml", &err) == PR_ERR_ARG));
  CALL("pr_options_load_venues(NULL path)", EXPECT(pr_options_load_venues(o, NULL, &err) == PR_ERR_ARG));
  CALL("pr_options_load_venues_buffer(NULL data)",
       EXPECT(pr_options_load_venues_buffer(o, NULL, 4, "x", &err) == PR_ERR_ARG));
  CALL("pr_options_load_coauthors(NULL o)", EXPECT(pr_options_load_coauthors(NULL, "c.yml", &err) == PR_ERR_ARG));
  CALL("pr_options_load_coauthors(NULL path)", EXPECT(pr_options_load_coauthors(o, NULL, &err) == PR_ERR_ARG));
  CALL("pr_options_load_coauthors_buffer(NULL data)",
       EXPECT(pr_options_load_coauthors_buffer(o, NULL, 4, "x", &err) == PR_ERR_ARG));

  /* rendering */
  CALL("pr_render(NULL bib)", EXPECT(pr_render(NULL, o, sink, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render(NULL options)", (void)pr_render(bib, NULL, sink, NULL, NULL, &err));
  CALL("pr_render(NULL write)", EXPECT(pr_render(bib, o, NULL, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_string(NULL bib)", char *s = NULL;
       EXPECT(pr_render_string(NULL, o, &s, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_string(NULL out)", EXPECT(pr_render_string(bib, o, NULL, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_entries(NULL bib)",
       EXPECT(pr_render_entries(NULL, o, &e, 1, sink, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_entries(NULL options)",
       EXPECT(pr_render_entries(bib, NULL, &e, 1, sink, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_entries(NULL v)",
       EXPECT(pr_render_entries(bib, o, NULL, 1, sink, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_entries(NULL entry)", const pr_entry *none = NULL;
       EXPECT(pr_render_entries(bib, o, &none, 1, sink, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_render_entries(NULL write)",
       EXPECT(pr_render_entries(bib, o, &e, 1, NULL, NULL, NULL, &err) == PR_ERR_ARG));
  CALL("pr_report_free(NULL)", pr_report_free(NULL));
  CALL("pr_report_diag_count(NULL)", EXPECT(pr_report_diag_count(NULL) == 0));
  CALL("pr_report_diag(NULL)", EXPECT(pr_report_diag(NULL, 0) == NULL));
  CALL("pr_report_error_count(NULL)", EXPECT(pr_report_error_count(NULL) == 0));
  CALL("pr_report_file_count(NULL)", EXPECT(pr_report_file_count(NULL) == 0));
  CALL("pr_report_file(NULL)", EXPECT(pr_report_file(NULL, 0) == NULL));
  CALL("pr_diag_severity(NULL)", EXPECT(pr_diag_severity(NULL) == PR_WARNING));
  CALL("pr_diag_file(NULL)", EXPECT(pr_diag_file(NULL) == NULL));
  CALL("pr_diag_line(NULL)", EXPECT(pr_diag_line(NULL) == 0));
  CALL("pr_diag_column(NULL)", EXPECT(pr_diag_column(NULL) == 0));
  CALL("pr_diag_message(NULL)", EXPECT(pr_diag_message(NULL) == NULL));
  CALL("pr_diag_code(NULL)", EXPECT(pr_diag_code(NULL) == NULL));
  CALL("pr_diag_key(NULL)", EXPECT(pr_diag_key(NULL) == NULL));
  CALL("pr_diag_field(NULL)", EXPECT(pr_diag_field(NULL) == NULL));
  CALL("pr_error_free(NULL)", pr_error_free(NULL));
  CALL("pr_error_code(NULL)", EXPECT(pr_error_code(NULL) == PR_OK));
  CALL("pr_error_line(NULL)", EXPECT(pr_error_line(NULL) == 0));
  CALL("pr_error_column(NULL)", EXPECT(pr_error_column(NULL) == 0));
  CALL("pr_error_source(NULL)", EXPECT(strcmp(pr_error_source(NULL), "") == 0));
  CALL("pr_error_message(NULL)", EXPECT(strcmp(pr_error_message(NULL), "") == 0));
  CALL("pr_stylesheet(NULL o)", char *s = NULL; (void)pr_stylesheet(NULL, &s, NULL, &err); pr_free(s));
  CALL("pr_stylesheet(NULL out)", EXPECT(pr_stylesheet(o, NULL, NULL, &err) == PR_ERR_ARG));

  pr_options_free(o);
  pr_bib_free(bib);
  return tests_done();
}
