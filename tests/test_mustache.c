/* test_mustache.c - the Mustache engine (src/render/mustache.c).
   1. Every case of every official spec file in the directory argv[1]
      (default tests/mustache-spec, a copy of the spec, relative to the source tree, where
      CMake runs it); the optional ~lambdas module is skipped (no lambdas).
      Exit 77 when the directory is missing.
   2. Our own cases: error messages (file:line:column), the depth limit,
      number formatting, truthiness, escaping, partials compiled once,
      threads, linear time on large templates and data, values built
      directly (src/util/val.h), and which names a template mentions.
   The spec and most cases give their data as JSON: it is read by jansson
   and turned into the engine's values (json_val.h). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "harness.h"
#include "json_val.h"
#include "render/render.h"

/* ---- helpers ---- */

/* pr_tpl_render with JSON data. */
static pr_status render_json(const pr_tpl *t, const json_t *data, pr_buf *out, pr_error *err) {
  pr_val_arena a = {0};
  pr_val v = json_val(&a, data);
  pr_status st = a.failed ? PR_ERR_NOMEM : pr_tpl_render(t, &v, out, err);
  pr_val_arena_free(&a);
  return st;
}

typedef struct partial_map {
  const json_t *obj;  /* name -> template string */
  int calls;
} partial_map;

static const char *from_object(const char *name, size_t *len, const char **file,
                               const char **refused, void *ctx) {
  partial_map *m = ctx;
  m->calls++;
  if (strncmp(name, "refuse-", 7) == 0) { /* the caller refuses these */
    *refused = "not allowed here";
    return NULL;
  }
  const json_t *s = json_object_get(m->obj, name);
  if (!json_is_string(s)) return NULL;
  *len = json_string_length(s);
  *file = name;
  return json_string_value(s);
}

/* Render tpl (partials from the JSON object text partials, may be NULL)
   with data (JSON text) into a malloc'd string; on an error the string is
   "ERROR file:line:column: message". */
static char *render(const char *tpl, const char *data, const char *partials) {
  json_t *d = json_loads(data, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  json_t *p = partials ? json_loads(partials, 0, NULL) : json_object();
  partial_map m = {p, 0};
  pr_error err = {0};
  pr_buf out = {0};
  pr_tpl *t = pr_tpl_compile(tpl, strlen(tpl), "t.mustache", from_object, &m, &err);
  if (!d || !p) snprintf(err.message, sizeof err.message, "bad test JSON");
  if (!t || !d || !p || render_json(t, d, &out, &err) != PR_OK) {
    pr_buf_free(&out);
    char msg[600];
    snprintf(msg, sizeof msg, "ERROR %s:%u:%u: %s", err.source, err.line, err.column, err.message);
    pr_buf_puts(&out, msg);
  }
  pr_tpl_free(t);
  json_decref(d);
  json_decref(p);
  return pr_buf_take(&out);
}

#define CHECK_RENDER(tpl, data, partials, want) do { char *got_ = render(tpl, data, partials); \
  CHECK_STR(got_, want); free(got_); } while (0)

static double cpu_seconds(void) { return (double)clock() / CLOCKS_PER_SEC; }

/* ---- 1. the spec ---- */

static int spec_case(const char *file, const json_t *c) {
  const char *name = json_string_value(json_object_get(c, "name"));
  const json_t *tpl = json_object_get(c, "template"), *want = json_object_get(c, "expected");
  json_t *parts = json_object_get(c, "partials");
  partial_map m = {parts, 0};
  pr_error err = {0};
  pr_buf out = {0};
  pr_tpl *t = pr_tpl_compile(json_string_value(tpl), json_string_length(tpl), name,
                             parts ? from_object : NULL, &m, &err);
  int ok = t && render_json(t, json_object_get(c, "data"), &out, &err) == PR_OK &&
           out.len == json_string_length(want) &&
           memcmp(out.data ? out.data : "", json_string_value(want), out.len) == 0;
  if (!ok) {
    printf("FAIL %s: %s\n  template: %s\n", file, name, json_string_value(tpl));
    if (!t || err.message[0])
      printf("  error: %s:%u:%u: %s\n", err.source, err.line, err.column, err.message);
    else
      printf("  got:  \"%.*s\"\n  want: \"%s\"\n", (int)out.len, out.data ? out.data : "",
             json_string_value(want));
  }
  pr_buf_free(&out);
  pr_tpl_free(t);
  return ok;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every spec file; returns the number of files, or -1 if dir is missing. */
static int run_spec(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  char *names[64];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    size_t k = strlen(e->d_name);
    if (k > 5 && strcmp(e->d_name + k - 5, ".json") == 0 && e->d_name[0] != '~')
      names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof *names, by_name);
  for (int i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    json_t *cases = json_object_get(root, "tests");
    size_t pass = 0, total = json_array_size(cases);
    CHECK(root && total > 0);
    for (size_t k = 0; k < total; k++) {
      int ok = spec_case(names[i], json_array_get(cases, k));
      pass += (size_t)ok;
      CHECK(ok);
    }
    printf("%s: %zu/%zu\n", names[i], pass, total);
    json_decref(root);
    free(names[i]);
  }
  return n;
}

/* ---- 2. our own cases ---- */

static void test_errors(void) {
  CHECK_RENDER("a\n  {{name", "{}", NULL, "ERROR t.mustache:2:3: unclosed tag: no '}}' after '{{'");
  CHECK_RENDER("{{{x}}", "{}", NULL, "ERROR t.mustache:1:1: unclosed tag: no '}}}' after '{{{'");
  CHECK_RENDER("x {{! never closed", "{}", NULL,
               "ERROR t.mustache:1:3: unclosed tag: no '}}' after '{{!'");
  CHECK_RENDER("<ul>\n<li>\n    {{#authors}}{{name}}\n</ul>\n", "{}", NULL,
               "ERROR t.mustache:3:5: unclosed section 'authors' opened at 3:5");
  CHECK_RENDER("{{#a}}\n{{#b}}\n{{/b}}\n", "{}", NULL,
               "ERROR t.mustache:1:1: unclosed section 'a' opened at 1:1");
  CHECK_RENDER("{{#a}}\n  {{^b}}x{{/a}}", "{}", NULL,
               "ERROR t.mustache:2:10: section close 'a' does not match section 'b' opened at 2:3");
  CHECK_RENDER("x\n{{/b}}", "{}", NULL,
               "ERROR t.mustache:2:1: section close 'b' without an open section");
  CHECK_RENDER("{{=<% =}}", "{}", NULL,
               "ERROR t.mustache:1:1: bad set-delimiter tag '{{=<% =}}': want two delimiters "
               "(up to 32 characters, no spaces or '='), e.g. {{=<% %>=}}");
  CHECK_RENDER("a {{=<% %> x=}}", "{}", NULL,
               "ERROR t.mustache:1:3: bad set-delimiter tag '{{=<% %> x=}}': want two delimiters "
               "(up to 32 characters, no spaces or '='), e.g. {{=<% %>=}}");
  CHECK_RENDER("{{ }}", "{}", NULL, "ERROR t.mustache:1:1: empty tag name");
  CHECK_RENDER("{{#}}{{/}}", "{}", NULL, "ERROR t.mustache:1:1: empty tag name");
  CHECK_RENDER("{{a b}}", "{}", NULL, "ERROR t.mustache:1:1: tag name 'a b' contains a space");
  /* columns count characters, not bytes; new delimiters are used in errors */
  CHECK_RENDER("\xc3\xa9t\xc3\xa9 {{#x}}", "{}", NULL,
               "ERROR t.mustache:1:5: unclosed section 'x' opened at 1:5");
  CHECK_RENDER("{{=<% %>=}}\n<%#a%>\n<%name", "{}", NULL,
               "ERROR t.mustache:3:1: unclosed tag: no '%>' after '<%'");
  /* an error in a partial names the partial's file and its position */
  CHECK_RENDER("ok\n{{>p}}", "{}", "{\"p\": \"line 1\\n {{/q}}\"}",
               "ERROR p:2:2: section close 'q' without an open section");
  /* a NULL error pointer is allowed */
  CHECK(pr_tpl_compile("{{#a}}", 6, NULL, NULL, NULL, NULL) == NULL);
}

static void test_depth_limit(void) {
  /* a recursive partial recurses per level of the data: 2 frames per level */
  const char *parts = "{\"r\": \"{{#n}}({{>r}}){{/n}}\"}";
  char deep[4096] = "", want[256] = "";
  /* (the innermost n must be false: a missing n would be found further out) */
  for (int i = 0; i < 41; i++) strcat(deep, "{\"n\":");
  strcat(deep, "false");
  for (int i = 0; i < 41; i++) strcat(deep, "}");
  for (int i = 0; i < 40; i++) strcat(want, "(");
  for (int i = 0; i < 40; i++) strcat(want, ")");
  CHECK_RENDER("{{>r}}", deep, parts, want);
  deep[0] = '\0';
  for (int i = 0; i < 61; i++) strcat(deep, "{\"n\":");
  strcat(deep, "false");
  for (int i = 0; i < 61; i++) strcat(deep, "}");
  CHECK_RENDER("{{>r}}", deep, parts,
               "ERROR r:1:8: partial 'r' nested more than 100 deep (sections and partials)");
  /* a partial that includes itself unconditionally */
  CHECK_RENDER("x{{>p}}", "{}", "{\"p\": \"a\\n  {{>p}}\"}",
               "ERROR p:2:3: partial 'p' nested more than 100 deep (sections and partials)");
  /* a template nesting 100000 sections compiles without recursion; rendering stops at the limit */
  pr_buf src = {0};
  for (int i = 0; i < 100000; i++) pr_buf_puts(&src, "{{#a}}");
  for (int i = 0; i < 100000; i++) pr_buf_puts(&src, "{{/a}}");
  CHECK(!src.failed);
  pr_error err = {0};
  pr_tpl *t = pr_tpl_compile(src.data, src.len, "deep", NULL, NULL, &err);
  CHECK(t != NULL);
  json_t *d = json_pack("{s:b}", "a", 1);
  pr_buf out = {0};
  CHECK_INT(render_json(t, d, &out, &err), PR_ERR_INPUT);
  CHECK_STR(err.message, "section 'a' nested more than 100 deep (sections and partials)");
  CHECK_INT(err.column, 601);
  json_object_set_new(d, "a", json_false());
  pr_buf_free(&out);
  CHECK_INT(render_json(t, d, &out, &err), PR_OK);
  CHECK_INT(out.len, 0);
  pr_buf_free(&out);
  pr_buf_free(&src);
  json_decref(d);
  pr_tpl_free(t);
}

/* ---- issue 12: partial names refused, the work of a render bounded ---- */

static void test_partial_names(void) {
  /* the caller's refusal names the template, the tag's place and the partial */
  CHECK_RENDER("ok\n  {{> refuse-me}}", "{}", NULL,
               "ERROR t.mustache:2:3: partial 'refuse-me' refused: not allowed here");
  /* control characters (a newline is a space: the name is bad anyway), escaped */
  CHECK_RENDER("{{>a\x1b[2Jb}}", "{}", NULL,
               "ERROR t.mustache:1:1: partial 'a\\x1b[2Jb' refused: control character in the name");
  CHECK_RENDER("{{>a\nb}}", "{}", NULL, "ERROR t.mustache:1:1: tag name 'a\nb' contains a space");
  static const char nul[] = "x{{>a\0/../../etc/passwd}}";
  pr_error err = {0};
  partial_map m = {NULL, 0};
  CHECK(pr_tpl_compile(nul, sizeof nul - 1, "nul", from_object, &m, &err) == NULL);
  CHECK_STR(err.message, "partial 'a\\x00/../../etc/passwd' refused: control character in the name");
  CHECK_INT(err.column, 2);
  CHECK_INT(m.calls, 0);
  /* a long name: an error (and the message stays short), never cut to a shorter name */
  pr_buf src = {0};
  pr_buf_puts(&src, "{{>");
  for (int i = 0; i < 300; i++) pr_buf_putc(&src, i % 2 ? '/' : '.');
  pr_buf_puts(&src, "etc/passwd}}");
  CHECK(pr_tpl_compile(src.data, src.len, "long", from_object, &m, &err) == NULL);
  CHECK_STR(err.message, "partial '././././././././././././././././././././././././././././././... "
                         "(310 bytes)' refused: name longer than 255 bytes");
  CHECK_INT(m.calls, 0);
  pr_buf_free(&src);
}

/* Render tpl (partials from JSON) with data; the status, err filled, and
   the output's length and CPU time. */
static pr_status render_timed(const char *tpl, const char *data, const char *partials,
                              pr_tpl_budget *b, size_t *outlen, double *secs, pr_error *err) {
  json_t *d = json_loads(data, 0, NULL), *p = json_loads(partials ? partials : "{}", 0, NULL);
  partial_map m = {p, 0};
  pr_tpl *t = pr_tpl_compile(tpl, strlen(tpl), "t.mustache", from_object, &m, err);
  pr_val_arena a = {0};
  pr_val v = json_val(&a, d);
  pr_buf out = {0};
  double t0 = cpu_seconds();
  pr_status st = t && d && !a.failed ? pr_tpl_render_budget(t, &v, &out, b, err) : PR_ERR_ARG;
  *secs = cpu_seconds() - t0;
  *outlen = out.len;
  pr_buf_free(&out);
  pr_val_arena_free(&a);
  pr_tpl_free(t);
  json_decref(d);
  json_decref(p);
  return st;
}

static void test_work_limit(void) {
  /* sections nested inside themselves: 2^levels repetitions of the innermost
     text; with text, with nothing inside, and with a partial doubling itself */
  char nested[2048] = "";
  for (int i = 0; i < 45; i++) strcat(nested, "{\"n\": ");
  strcat(nested, "false");
  for (int i = 0; i < 45; i++) strcat(nested, "}");
  struct { const char *open, *inner, *close, *partials, *data; } cases[] = {
      {"{{#a}}", "<li>{{.}} and {{b}}</li>", "{{/a}}", NULL, NULL},
      {"{{#a}}", "", "{{/a}}", NULL, NULL},
      {"{{^z}}{{#a}}", "", "{{/a}}{{/z}}", NULL, NULL},
      {"", "{{>p}}", "", "{\"p\": \"{{#n}}{{>p}}{{>p}}{{/n}}\"}", nested},
  };
  for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
    pr_buf tpl = {0};
    for (int i = 0; i < 40; i++) pr_buf_puts(&tpl, cases[c].open);
    pr_buf_puts(&tpl, cases[c].inner);
    for (int i = 0; i < 40; i++) pr_buf_puts(&tpl, cases[c].close);
    pr_error err = {0};
    size_t len;
    double secs;
    const char *data = cases[c].data ? cases[c].data : "{\"a\": [1, 2], \"b\": \"x\"}";
    pr_status st = render_timed(tpl.data, data, cases[c].partials, NULL, &len, &secs, &err);
    printf("nested self-sections %zu: %.2f s, %zu bytes written\n", c, secs, len);
    CHECK_INT(st, PR_ERR_INPUT);
    CHECK_STR(err.message, "rendering stopped here: more work than allowed (64 MiB plus 16 per "
                           "byte of data; output bytes plus 8 per tag); is a section nested "
                           "inside itself?");
    CHECK_STR(err.source, c == 3 ? "p" : "t.mustache");
    CHECK(len <= PR_TPL_WORK_BASE);
    CHECK_TIMED(secs < 5);
    pr_buf_free(&tpl);
  }
  /* the error names the template and the place */
  pr_error err = {0};
  size_t len;
  double secs;
  pr_tpl_budget small = {0, 1000};
  CHECK_INT(render_timed("{{#a}}\n  {{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}x{{/a}}{{/a}}{{/a}}"
                         "{{/a}}{{/a}}{{/a}}{{/a}}\n{{/a}}", "{\"a\": [1, 2]}", NULL, &small,
                         &len, &secs, &err), PR_ERR_INPUT);
  CHECK_STR(err.source, "t.mustache");
  CHECK_INT(err.line, 2);
  /* the data's size adds 16 per byte: 16 copies of a 5000-byte string fit
     in 1000 + 16 * 5003, 17 do not */
  pr_buf tpl = {0}, data = {0};
  pr_buf_puts(&data, "{\"s\": \"");
  for (int i = 0; i < 5000; i++) pr_buf_putc(&data, 'x');
  pr_buf_puts(&data, "\"}");
  for (int i = 0; i < 16; i++) pr_buf_puts(&tpl, "{{s}}");
  pr_tpl_budget b = {0, 1000};
  CHECK_INT(render_timed(tpl.data, data.data, NULL, &b, &len, &secs, &err), PR_OK);
  CHECK_INT(len, 16 * 5000);
  CHECK_INT(b.used, 16 * 5000 + 16 * PR_TPL_TAG_COST);
  CHECK_INT(b.allowed, 1000 + 16 * 5003);
  pr_buf_puts(&tpl, "{{s}}");
  b = (pr_tpl_budget){0, 1000};
  CHECK_INT(render_timed(tpl.data, data.data, NULL, &b, &len, &secs, &err), PR_ERR_INPUT);
  CHECK_INT(err.column, 81); /* the 17th {{s}} */
  /* renders sharing a budget share its allowance: the second of two
     608-unit renders fails (1000 + 16 for the data "{}") */
  b = (pr_tpl_budget){0, 1000};
  pr_buf_free(&tpl);
  for (int i = 0; i < 600; i++) pr_buf_putc(&tpl, 'x');
  CHECK_INT(render_timed(tpl.data, "{}", NULL, &b, &len, &secs, &err), PR_OK);
  CHECK_INT(b.used, 608);
  CHECK_INT(render_timed(tpl.data, "{}", NULL, &b, &len, &secs, &err), PR_ERR_INPUT);
  CHECK_INT(err.line, 1);
  CHECK_INT(err.column, 1);
  pr_buf_free(&tpl);
  pr_buf_free(&data);
}

static void test_values(void) {
  CHECK_RENDER("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}",
               "{\"a\": 1.0, \"b\": 0.1, \"c\": -5, \"d\": 1e300, \"e\": 9007199254740993,"
               " \"f\": 1.210, \"g\": 0.30000000000000004}",
               NULL, "1 0.1 -5 1e+300 9007199254740993 1.21 0.30000000000000004");
  CHECK_RENDER("[{{t}}|{{f}}|{{n}}|{{o}}|{{l}}|{{m}}]",
               "{\"t\": true, \"f\": false, \"n\": null, \"o\": {\"x\": 1}, \"l\": [1]}", NULL,
               "[true|false||||]");
  /* truthiness: missing, null, false, 0, "" and [] are falsey; {} is truthy */
  CHECK_RENDER("{{#m}}m{{/m}}{{#n}}n{{/n}}{{#f}}f{{/f}}{{#z}}z{{/z}}{{#r}}r{{/r}}{{#s}}s{{/s}}"
               "{{#e}}e{{/e}}{{#o}}o{{/o}}{{#one}}1{{/one}}{{#str}}{{.}}{{/str}}",
               "{\"n\": null, \"f\": false, \"z\": 0, \"r\": 0.0, \"s\": \"\", \"e\": [],"
               " \"o\": {}, \"one\": 1, \"str\": \"x\"}",
               NULL, "o1x");
  CHECK_RENDER("{{^m}}m{{/m}}{{^s}}s{{/s}}{{^z}}z{{/z}}{{^o}}o{{/o}}",
               "{\"s\": \"\", \"z\": 0, \"o\": {}}", NULL, "msz");
  /* escaping: ' too; NUL bytes in strings are kept */
  CHECK_RENDER("{{s}}|{{{s}}}", "{\"s\": \"<a href='x'>&\\\"</a>\"}", NULL,
               "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;|<a href='x'>&\"</a>");
  char *nul = render("[{{s}}]", "{\"s\": \"a\\u0000b\"}", NULL);
  CHECK(nul && memcmp(nul, "[a\0b]", 5) == 0);
  free(nul);
  /* no escaping for Markdown output */
  pr_tpl *t = pr_tpl_compile("{{s}} *{{{s}}}*", 15, "md", NULL, NULL, NULL);
  pr_tpl_set_escape(t, NULL);
  json_t *d = json_pack("{s:s}", "s", "a<b> \\*");
  pr_buf out = {0};
  CHECK_INT(render_json(t, d, &out, NULL), PR_OK);
  CHECK_STR(out.data, "a<b> \\* *a<b> \\**");
  pr_buf_free(&out);
  json_decref(d);
  pr_tpl_free(t);
  /* an empty template, a NULL template */
  CHECK_RENDER("", "{}", NULL, "");
  t = pr_tpl_compile(NULL, 0, NULL, NULL, NULL, NULL);
  CHECK(t && render_json(t, json_null(), &out, NULL) == PR_OK && out.len == 0);
  pr_buf_free(&out);
  CHECK(t && pr_tpl_render(t, NULL, &out, NULL) == PR_OK && out.len == 0); /* no data at all */
  pr_tpl_free(t);
  pr_buf_free(&out);
}

static void test_partials(void) {
  /* each partial is asked for once, however often and deeply it is used */
  json_t *p = json_pack("{s:s, s:s}", "item", "<{{>leaf}}{{#kids}}{{>item}}{{/kids}}>",
                        "leaf", "{{v}}");
  partial_map m = {p, 0};
  const char *src = "{{>item}}{{>item}}{{>missing}}{{>missing}}";
  pr_tpl *t = pr_tpl_compile(src, strlen(src), "tree", from_object, &m, NULL);
  CHECK(t != NULL);
  CHECK_INT(m.calls, 3);
  json_t *d = json_loads("{\"v\": 1, \"kids\": [{\"v\": 2, \"kids\": []}, {\"v\": 3, \"kids\": []}]}", 0, NULL);
  pr_buf out = {0};
  CHECK_INT(render_json(t, d, &out, NULL), PR_OK);
  CHECK_STR(out.data, "<1<2><3>><1<2><3>>");
  CHECK_INT(m.calls, 3);
  pr_buf_free(&out);
  json_decref(d);
  json_decref(p);
  pr_tpl_free(t);
  /* indentation adds up through nested standalone partials, not inline ones */
  CHECK_RENDER("  {{>a}}\n", "{}", "{\"a\": \"a\\n  {{>b}}\\n[{{>b}}]\\n\", \"b\": \"b1\\nb2\\n\"}",
               "  a\n    b1\n    b2\n  [b1\nb2\n]\n");
}

/* values built directly, not from JSON */
static void test_direct_values(void) {
  pr_val_arena a = {0};
  pr_val root = pr_val_object();
  static const char nul[] = "x\0y";
  char word[] = "copied";
  pr_val_add(&a, &root, PR_KEY("s"), pr_val_strn(nul, 3));     /* borrowed, NUL kept */
  pr_val_add(&a, &root, PR_KEY("c"), pr_val_copy(&a, word, 6)); /* copied */
  word[0] = 'X';
  pr_val list = pr_val_array();
  for (int i = 0; i < 100; i++) pr_val_push(&a, &list, pr_val_int(i - 2)); /* grows */
  pr_val_add(&a, &root, PR_KEY("list"), list);
  pr_val_add(&a, &root, PR_KEY("r"), pr_val_real(2.5));
  pr_val_add(&a, &root, PR_KEY("s"), pr_val_str("second")); /* the first one added wins */
  pr_val_add(&a, &root, PR_KEY(""), pr_val_str("empty key"));
  pr_val big = pr_val_copy(&a, NULL, 0); /* an empty copy */
  CHECK(big.kind == PR_VAL_STRING && big.n == 0 && big.u.s[0] == '\0');
  char *long_text = malloc(100000);
  CHECK(long_text != NULL);
  memset(long_text, 'z', 100000);
  big = pr_val_copy(&a, long_text, 100000); /* larger than a chunk */
  free(long_text);
  pr_val_add(&a, &root, PR_KEY("big"), big);
  CHECK(!a.failed);
  CHECK(pr_val_get(&root, "", 0) && pr_val_get(&root, "", 0)->n == 9);
  CHECK(pr_val_get(&root, "big", 3) && pr_val_get(&root, "big", 3)->u.s[99999] == 'z');
  CHECK(pr_val_get(&root, "bi", 2) == NULL && pr_val_get(&list, "s", 1) == NULL);
  const char *src = "[{{s}}|{{c}}|{{#list}}{{.}}{{/list}}|{{r}}|{{list}}]";
  pr_tpl *t = pr_tpl_compile(src, strlen(src), "direct", NULL, NULL, NULL);
  pr_buf out = {0};
  CHECK_INT(pr_tpl_render(t, &root, &out, NULL), PR_OK);
  pr_buf want = {0};
  pr_buf_put(&want, "[x\0y|copied|", 12);
  for (int i = 0; i < 100; i++) pr_buf_printf(&want, "%d", i - 2);
  pr_buf_puts(&want, "|2.5|]");
  CHECK(out.len == want.len && memcmp(out.data, want.data, want.len) == 0);
  pr_buf_free(&out);
  /* after a reset the memory is used again, for a tree of the same shape */
  pr_val_arena_reset(&a);
  pr_val again = pr_val_object();
  pr_val_add(&a, &again, PR_KEY("s"), pr_val_copy(&a, "reused", 6));
  CHECK(!a.failed);
  CHECK_INT(pr_tpl_render(t, &again, &out, NULL), PR_OK);
  CHECK_STR(out.data, "[reused||||]");
  pr_buf_free(&out);
  pr_buf_free(&want);
  pr_tpl_free(t);
  pr_val_arena_free(&a);
}

/* which names a template (and its partials) mentions */
static void test_mentions(void) {
  json_t *p = json_pack("{s:s}", "p", "{{i}}{{#j}}{{/j}}");
  partial_map m = {p, 0};
  const char *src = "{{a}}{{#b.c}}{{d.e.f}}{{/b.c}}{{^g}}{{.}}{{/g}}{{! h }}{{>p}}{{{k}}}{{&l}}"
                    "{{=<% %>=}}<%n%>";
  pr_tpl *t = pr_tpl_compile(src, strlen(src), "mentions", from_object, &m, NULL);
  CHECK(t != NULL);
  static const char *const yes[] = {"a", "b", "c", "d", "e", "f", "g", "i", "j", "k", "l", "n"};
  static const char *const no[] = {"h", "p", "", ".", "b.c", "x", "ab", "=", "<%n%>"};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    CHECK(pr_tpl_mentions(t, yes[i], strlen(yes[i])));
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    CHECK(!pr_tpl_mentions(t, no[i], strlen(no[i])));
  CHECK(!pr_tpl_mentions(NULL, "a", 1));
  pr_tpl_free(t);
  json_decref(p);
}

/* ---- threads ---- */

typedef struct job {
  const pr_tpl *t;
  const pr_val *d;
  const char *want;
  int ok;
} job;

static void *render_many(void *arg) {
  job *j = arg;
  j->ok = 1;
  for (int i = 0; i < 200; i++) {
    pr_buf out = {0};
    if (pr_tpl_render(j->t, j->d, &out, NULL) != PR_OK || strcmp(out.data, j->want) != 0) j->ok = 0;
    pr_buf_free(&out);
  }
  return NULL;
}

static void test_threads(void) {
  const char *src = "{{#xs}}{{>p}}{{/xs}}";
  json_t *p = json_pack("{s:s}", "p", "  {{>q}}\n"), *q = json_pack("{s:s}", "q", "[{{.}}]");
  json_object_update(p, q);
  partial_map m = {p, 0};
  pr_tpl *t = pr_tpl_compile(src, strlen(src), "threads", from_object, &m, NULL);
  json_t *d = json_loads("{\"xs\": [1, \"a\", 2.5]}", 0, NULL);
  pr_val_arena a = {0};
  pr_val v = json_val(&a, d); /* one tree, read by every thread */
  job jobs[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    jobs[i] = (job){t, &v, "  [1]  [a]  [2.5]", 0};
    CHECK(pthread_create(&th[i], NULL, render_many, &jobs[i]) == 0);
  }
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK(jobs[i].ok);
  }
  pr_val_arena_free(&a);
  json_decref(d);
  json_decref(p);
  json_decref(q);
  pr_tpl_free(t);
}

/* ---- linear time ---- */

/* CPU seconds to render n items (and check the output). */
static double time_items(long n) {
  const char *src = "<ul>\n{{#items}}\n  <li>{{name}} ({{year}}){{#tags}} {{.}}{{/tags}}</li>\n"
                    "{{/items}}\n</ul>\n";
  pr_tpl *t = pr_tpl_compile(src, strlen(src), "list", NULL, NULL, NULL);
  json_t *items = json_array();
  for (long i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:s, s:I, s:[s]}", "name", "A & B", "year",
                                           (json_int_t)(2000 + i % 20), "tags", "x"));
  json_t *d = json_pack("{s:o}", "items", items);
  pr_val_arena a = {0};
  pr_val v = json_val(&a, d);
  pr_buf out = {0};
  double t0 = cpu_seconds();
  pr_status st = pr_tpl_render(t, &v, &out, NULL);
  double dt = cpu_seconds() - t0;
  pr_val_arena_free(&a);
  CHECK_INT(st, PR_OK);
  /* "  <li>A &amp; B (20xx) x</li>\n" is 30 bytes, plus "<ul>\n" and "</ul>\n" */
  CHECK_INT(out.len, 30 * n + 11);
  CHECK(strncmp(out.data, "<ul>\n  <li>A &amp; B (2000) x</li>\n", 35) == 0);
  pr_buf_free(&out);
  json_decref(d);
  pr_tpl_free(t);
  return dt;
}

/* CPU seconds to compile and render a template of n tags and lines. */
static double time_template(long n) {
  pr_buf src = {0};
  for (long i = 0; i < n; i++) pr_buf_puts(&src, "  {{#a}}\n  <b>{{x}}</b>{{! c }}\n  {{/a}}\n");
  json_t *d = json_pack("{s:{s:s}}", "a", "x", "y");
  pr_buf out = {0};
  double t0 = cpu_seconds();
  pr_tpl *t = pr_tpl_compile(src.data, src.len, "big", NULL, NULL, NULL);
  CHECK(t && render_json(t, d, &out, NULL) == PR_OK);
  double dt = cpu_seconds() - t0;
  CHECK_INT(out.len, 11 * n);
  pr_buf_free(&out);
  pr_buf_free(&src);
  json_decref(d);
  pr_tpl_free(t);
  return dt;
}

static void check_linear(const char *what, double (*f)(long), long n) {
  double a = f(n), b = f(4 * n);
  printf("%s: %ld: %.3fs, %ld: %.3fs\n", what, n, a, 4 * n, b);
  /* linear gives about 4x, quadratic 16x; tiny times are noise */
  CHECK_TIMED(b < 10 * a || b < 0.2);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "tests/mustache-spec";
  int files = run_spec(dir);
  if (files < 0) printf("SKIP: no Mustache spec files in %s (our own cases still run)\n", dir);
  else CHECK(files >= 6); /* comments delimiters interpolation inverted partials sections */
  test_partial_names();
  test_work_limit();
  test_errors();
  test_depth_limit();
  test_values();
  test_partials();
  test_direct_values();
  test_mentions();
  test_threads();
  check_linear("items", time_items, 25000);
  check_linear("template", time_template, 25000);
  int rc = tests_done();
  return rc == 0 && files < 0 ? 77 : rc;
}
