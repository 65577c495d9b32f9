/* test_templates.c - templates from memory (pr_options_set_template) and
   the template directory's checks (pr_options_set_template_dir): memory
   over the directory over the built-in ones, for templates, partials and
   the stylesheet, in HTML and every Markdown flavour; errors naming
   <memory>/FORMAT/NAME (or the caller's name) with line and column; a
   directory that is missing, no directory or unreadable refused with
   PR_ERR_IO and the options unchanged. Exact outputs throughout. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "harness.h"
#include "render/render.h"

static const char *bib_text =
    "@article{older, title = {Old}, author = {Ann Smith}, year = 2001}\n"
    "@article{newer, title = {New}, author = {Bo Li and Cy Doe}, year = 2020}\n";

static char dir[64];

static void put(const char *rel, const char *text) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  FILE *f = fopen(path, "w");
  if (!f) {
    printf("cannot write %s\n", path);
    exit(2);
  }
  fputs(text, f);
  fclose(f);
}

/* What the last render found (the template files it read). */
static pr_report *last;

/* A render of bib with o (NULL: what failed, in err). Owned. */
static char *render(pr_bib *bib, const pr_options *o, pr_error *err) {
  char *out = NULL;
  size_t len = 0;
  pr_report_free(last);
  last = pr_report_new();
  return pr_render_string(bib, o, &out, &len, last, err) == PR_OK ? out : NULL;
}

static pr_status set(pr_options *o, pr_format f, const char *name, const char *text) {
  return pr_options_set_template(o, f, name, text, text ? strlen(text) : 0, NULL, NULL);
}

/* "source:line:column: message" of err. */
static const char *where(const pr_error *e) {
  static char buf[700];
  snprintf(buf, sizeof buf, "%s:%u:%u: %s", e->source, e->line, e->column, e->message);
  return buf;
}

#define CHECK_RENDER(bib, o, want) do { pr_error e_ = {0}; char *r_ = render(bib, o, &e_); \
  CHECK_STR(r_ ? r_ : where(&e_), want); pr_free(r_); } while (0)

static void memory_over_directory_over_builtin(pr_bib *bib) {
  pr_options *o = pr_options_new();
  /* memory alone: list and entry */
  CHECK_INT(set(o, PR_FORMAT_HTML, "list", "[{{#groups}}{{{items}}}{{/groups}}]\n"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "<{{key}}>"), PR_OK);
  CHECK_RENDER(bib, o, "[<newer><older>]\n");
  CHECK_INT(pr_report_file_count(last), 0); /* memory templates are no files */
  /* the directory gives what memory does not */
  put("html/list.mustache", "DIR{{#groups}}{{{items}}}{{/groups}}\n");
  put("html/entry.mustache", "({{key}})");
  CHECK_INT(set(o, PR_FORMAT_HTML, "list", NULL), PR_OK); /* removed */
  CHECK_INT(pr_options_set_template_dir(o, dir, NULL), PR_OK);
  CHECK_RENDER(bib, o, "DIR<newer><older>\n");
  CHECK_INT(pr_report_file_count(last), 1);
  char want[256];
  snprintf(want, sizeof want, "%s/html/list.mustache", dir);
  CHECK_STR(pr_report_file(last, 0), want);
  /* replaced, then removed: the directory's entry again */
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "{{title}};"), PR_OK);
  CHECK_RENDER(bib, o, "DIRNew;Old;\n");
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", NULL), PR_OK);
  CHECK_RENDER(bib, o, "DIR(newer)(older)\n");
  /* removing one that is not there changes nothing */
  CHECK_INT(set(o, PR_FORMAT_HTML, "page", NULL), PR_OK);
  CHECK_RENDER(bib, o, "DIR(newer)(older)\n");
  pr_options_free(o);

  /* a built-in template with a partial from memory is the same as with
     that partial in a directory */
  const char *author = "<i>{{{name}}}</i>";
  pr_options *mem = pr_options_new(), *fromdir = pr_options_new();
  CHECK_INT(set(mem, PR_FORMAT_HTML, "author", author), PR_OK);
  char sub[96];
  snprintf(sub, sizeof sub, "%s/sub", dir);
  mkdir(sub, 0755);
  snprintf(want, sizeof want, "%s/html", sub);
  mkdir(want, 0755);
  put("sub/html/author.mustache", author);
  CHECK_INT(pr_options_set_template_dir(fromdir, sub, NULL), PR_OK);
  pr_options *plain = pr_options_new();
  char *a = render(bib, mem, NULL), *b = render(bib, fromdir, NULL), *builtin = render(bib, plain, NULL);
  pr_options_free(plain);
  CHECK(a && b && strcmp(a, b) == 0);
  CHECK(a && strstr(a, "<i>Bo Li</i>") != NULL);
  CHECK(a && builtin && strcmp(a, builtin) != 0);
  pr_free(a);
  pr_free(b);
  pr_free(builtin);
  pr_options_free(mem);
  pr_options_free(fromdir);
}

static void partials(pr_bib *bib) {
  pr_options *o = pr_options_new();
  put("html/part.mustache", "D{{key}};");
  put("html/only.mustache", "O;");
  CHECK_INT(pr_options_set_template_dir(o, dir, NULL), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "list", "{{#groups}}{{{items}}}{{/groups}}\n"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "{{> part}}{{> only}}{{> parts/deep}}"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "part", "M{{key}};"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "parts/deep", "P;"), PR_OK);
  /* memory first, then the directory; a partial in a folder */
  CHECK_RENDER(bib, o, "Mnewer;O;P;Molder;O;P;\n");
  CHECK_INT(set(o, PR_FORMAT_HTML, "part", NULL), PR_OK);
  CHECK_RENDER(bib, o, "Dnewer;O;P;Dolder;O;P;\n");
  pr_options_free(o);
}

static void markdown_and_css(pr_bib *bib) {
  pr_options *o = pr_options_new();
  pr_options_set_format(o, PR_FORMAT_MARKDOWN);
  CHECK_INT(set(o, PR_FORMAT_MARKDOWN, "list", "{{#groups}}{{{items}}}{{/groups}}"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_MARKDOWN, "entry", "- {{key}}\n"), PR_OK);
  CHECK_RENDER(bib, o, "- newer\n- older\n");
  /* one for markdown serves every flavour, before the flavour's built-in ones */
  pr_options_set_markdown_flavor(o, PR_MD_KRAMDOWN);
  CHECK_RENDER(bib, o, "- newer\n- older\n");
  pr_options_set_markdown_flavor(o, PR_MD_GFM);
  CHECK_RENDER(bib, o, "- newer\n- older\n");
  /* an HTML template does not reach Markdown */
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "<{{key}}>"), PR_OK);
  CHECK_RENDER(bib, o, "- newer\n- older\n");
  pr_options_free(o);

  /* the stylesheet: pr_stylesheet and the standalone page */
  o = pr_options_new();
  const char css[] = "body { color: red; }\n";
  CHECK_INT(pr_options_set_template(o, PR_FORMAT_HTML, "pubrender.css", css, sizeof css - 1,
                                    NULL, NULL),
            PR_OK);
  char *out = NULL;
  size_t len = 0;
  CHECK_INT(pr_stylesheet(o, &out, &len, NULL), PR_OK);
  CHECK_STR(out, css);
  CHECK_INT(len, sizeof css - 1);
  pr_free(out);
  pr_options_set_standalone(o, 1);
  CHECK_INT(set(o, PR_FORMAT_HTML, "page", "<style>{{{css}}}</style>{{{body}}}"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "list", "{{#groups}}{{{items}}}{{/groups}}"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "{{key}} "), PR_OK);
  CHECK_RENDER(bib, o, "<style>body { color: red; }\n</style>newer older ");
  /* the text is copied, up to len: no NUL needed */
  const char partial_text[] = "ABCDEF";
  CHECK_INT(pr_options_set_template(o, PR_FORMAT_HTML, "entry", partial_text, 3, NULL, NULL),
            PR_OK);
  CHECK_RENDER(bib, o, "<style>body { color: red; }\n</style>ABCABC");
  pr_options_free(o);
}

static void errors(pr_bib *bib) {
  pr_options *o = pr_options_new();
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "ok\n  {{#open}}"), PR_OK);
  CHECK_RENDER(bib, o, "<memory>/html/entry:2:3: unclosed section 'open' opened at 2:3");
  /* the caller's name for it */
  const char *t = "{{/x}}";
  CHECK_INT(pr_options_set_template(o, PR_FORMAT_HTML, "entry", t, strlen(t),
                                    "_includes/pubrender/entry.mustache", NULL),
            PR_OK);
  pr_error e = {0};
  char *out = render(bib, o, &e);
  CHECK(out == NULL);
  CHECK_STR(e.source, "_includes/pubrender/entry.mustache");
  CHECK_INT(e.line, 1);
  CHECK_INT(e.column, 1);
  /* in a partial from memory: the partial's name */
  CHECK_INT(set(o, PR_FORMAT_HTML, "entry", "{{> bad}}"), PR_OK);
  CHECK_INT(set(o, PR_FORMAT_MARKDOWN, "bad", "{{#y}}"), PR_OK); /* Markdown's: not this one */
  CHECK_INT(set(o, PR_FORMAT_HTML, "bad", "x\n{{#y}}"), PR_OK);
  CHECK_RENDER(bib, o, "<memory>/html/bad:2:1: unclosed section 'y' opened at 2:1");
  pr_options_free(o);

  /* names and formats refused, nothing changed */
  o = pr_options_new();
  static const struct { pr_format f; const char *name, *why; } bad[] = {
      {PR_FORMAT_JSON, "entry", "templates are for PR_FORMAT_HTML and PR_FORMAT_MARKDOWN only"},
      {PR_FORMAT_CSL_JSON, "list", "templates are for PR_FORMAT_HTML and PR_FORMAT_MARKDOWN only"},
      {PR_FORMAT_HTML, "../entry", "a template's name is letters, digits, '_', '-' and '.' (not "
                                   "first), in parts separated by '/', at most 255 bytes"},
      {PR_FORMAT_HTML, "a//b", "a template's name is letters, digits, '_', '-' and '.' (not "
                               "first), in parts separated by '/', at most 255 bytes"},
      {PR_FORMAT_HTML, "", "a template's name is letters, digits, '_', '-' and '.' (not "
                           "first), in parts separated by '/', at most 255 bytes"},
      {PR_FORMAT_MARKDOWN, "entry.mustache",
       "a template's name is given without .mustache (\"entry\", not \"entry.mustache\")"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    pr_error err = {0};
    CHECK_INT(pr_options_set_template(o, bad[i].f, bad[i].name, "x", 1, NULL, &err), PR_ERR_ARG);
    CHECK_STR(err.source, bad[i].name);
    CHECK_STR(err.message, bad[i].why);
  }
  CHECK_INT(o->nmem_templates, 0);
  CHECK_INT(pr_options_set_template(NULL, PR_FORMAT_HTML, "entry", "x", 1, NULL, NULL),
            PR_ERR_ARG);
  CHECK_INT(pr_options_set_template(o, PR_FORMAT_HTML, NULL, "x", 1, NULL, NULL), PR_ERR_ARG);
  pr_options_free(o);
}

static void template_dir_checks(void) {
  pr_options *o = pr_options_new();
  CHECK_INT(pr_options_set_template_dir(o, dir, NULL), PR_OK);
  CHECK_STR(o->template_dir, dir);
  char path[128];
  snprintf(path, sizeof path, "%s/missing", dir);
  pr_error e = {0};
  CHECK_INT(pr_options_set_template_dir(o, path, &e), PR_ERR_IO);
  CHECK_INT(e.code, PR_ERR_IO);
  CHECK_STR(e.source, path);
  CHECK_STR(e.message, "template directory: No such file or directory");
  CHECK_STR(o->template_dir, dir); /* unchanged */
  snprintf(path, sizeof path, "%s/html/entry.mustache", dir);
  CHECK_INT(pr_options_set_template_dir(o, path, &e), PR_ERR_IO);
  CHECK_STR(e.source, path);
  CHECK_STR(e.message, "template directory: not a directory");
  CHECK_STR(o->template_dir, dir);
  snprintf(path, sizeof path, "%s/html/entry.mustache/x", dir);
  CHECK_INT(pr_options_set_template_dir(o, path, &e), PR_ERR_IO);
  CHECK_STR(e.message, "template directory: Not a directory");
  snprintf(path, sizeof path, "%s/closed", dir);
  mkdir(path, 0);
  if (geteuid() == 0) {
    printf("skip: an unreadable directory (running as root reads it)\n");
  } else {
    CHECK_INT(pr_options_set_template_dir(o, path, &e), PR_ERR_IO);
    CHECK_STR(e.source, path);
    CHECK_STR(e.message, "template directory: Permission denied");
    CHECK_STR(o->template_dir, dir);
  }
  rmdir(path);
  /* NULL and "" remove it */
  CHECK_INT(pr_options_set_template_dir(o, "", NULL), PR_OK);
  CHECK(o->template_dir == NULL);
  CHECK_INT(pr_options_set_template_dir(o, dir, NULL), PR_OK);
  CHECK_INT(pr_options_set_template_dir(o, NULL, NULL), PR_OK);
  CHECK(o->template_dir == NULL);
  pr_options_free(o);
}

int main(void) {
  strcpy(dir, "/tmp/pr-templates-XXXXXX");
  if (!mkdtemp(dir)) return 2;
  char html[96];
  snprintf(html, sizeof html, "%s/html", dir);
  mkdir(html, 0755);
  pr_bib *bib = pr_bib_new();
  if (pr_bib_add_buffer(bib, bib_text, strlen(bib_text), "t.bib", NULL) != PR_OK) return 2;
  memory_over_directory_over_builtin(bib);
  partials(bib);
  markdown_and_css(bib);
  errors(bib);
  template_dir_checks();
  pr_bib_free(bib);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) printf("could not remove %s\n", dir);
  return tests_done();
}
