/* fuzz_template.c - the input is "TEMPLATE" or "TEMPLATE\0JSON": a Mustache
 * template (src/render/render.h) compiled with partials and rendered with the
 * JSON data (default: a fixed record with every kind of value; turned into
 * the engine's values by tests/json_val.h), once with HTML escaping and once
 * without.
 *
 * Partials: "self" is the template itself (recursion), "q" a small list
 * template, "p" the same calling itself (stopped by PR_TPL_MAX_DEPTH), "bad"
 * an unclosed section; any other name does not exist.
 *
 * Checked: no crash, no leak, no unbounded recursion or work (a budget of
 * 1 MiB per render); a refused template or render reports a 1-based line
 * and column; rendering twice gives the same result.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "../json_val.h"
#include "fuzz_util.h"
#include "render/render.h"
#include "render/render.h"

static const char default_data[] =
    "{\"title\": \"<x>&'\\\"\", \"year\": 2024, \"real\": 1.5, \"yes\": true, \"no\": false,"
    " \"nothing\": null, \"empty\": \"\", \"zero\": 0, \"list\": [1, \"two\", {\"name\": \"<x>\"}],"
    " \"none\": [], \"obj\": {\"name\": \"n\", \"inner\": {\"deep\": \"d\"}},"
    " \"authors\": [{\"name\": \"A\", \"me\": true}, {\"name\": \"B\", \"marks\": \"*\"}]}";

typedef struct { const char *self; size_t self_len; } partials;

static const char *partial(const char *name, size_t *len, const char **file,
                           const char **refused, void *ctx) {
  const partials *p = ctx;
  (void)file;
  (void)refused;
  if (strcmp(name, "self") == 0) {
    *len = p->self_len;
    return p->self;
  }
  if (strcmp(name, "p") == 0) {
    static const char text[] = "{{#list}}[{{.}}]{{/list}}{{>p}}";
    *len = sizeof text - 1;
    return text;
  }
  if (strcmp(name, "q") == 0) {
    static const char text[] = "{{#list}}[{{.}}{{name}}]{{/list}}";
    *len = sizeof text - 1;
    return text;
  }
  if (strcmp(name, "bad") == 0) {
    static const char text[] = "{{#open}}";
    *len = sizeof text - 1;
    return text;
  }
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *nul = memchr(data, 0, size);
  size_t tlen = nul ? (size_t)(nul - data) : size;
  const char *src = (const char *)data;

  json_t *json = NULL;
  if (nul) json = json_loadb((const char *)nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
  if (!json) json = json_loads(default_data, 0, NULL);
  if (!json) return 0;
  pr_val_arena arena = {0};
  pr_val val = json_val(&arena, json);
  if (arena.failed) {
    pr_val_arena_free(&arena);
    json_decref(json);
    return 0;
  }

  partials ctx = {src, tlen};
  pr_error err;
  memset(&err, 0, sizeof err);
  pr_tpl *t = pr_tpl_compile(src, tlen, "fuzz.mustache", partial, &ctx, &err);
  if (!t) {
    if (err.code == PR_ERR_INPUT && (err.line < 1 || err.column < 1))
      FUZZ_FAIL("template error without a position: %u:%u %s", err.line, err.column, err.message);
    pr_val_arena_free(&arena);
    json_decref(json);
    return 0;
  }
  for (int esc = 0; esc < 2; esc++) {
    pr_tpl_set_escape(t, esc ? pr_tpl_escape_html : NULL);
    pr_buf a = {0}, b = {0};
    /* 1 MiB of work (plus the data's share) each: the limit is reached in
       milliseconds, not the second the default takes */
    pr_tpl_budget wa = {0, 1u << 20}, wb = wa;
    pr_status st = pr_tpl_render_budget(t, &val, &a, &wa, &err);
    if (st == PR_ERR_INPUT && (err.line < 1 || err.column < 1))
      FUZZ_FAIL("render error without a position: %u:%u %s", err.line, err.column, err.message);
    pr_status st2 = pr_tpl_render_budget(t, &val, &b, &wb, &err);
    if (st != st2 || a.len != b.len || (a.len && memcmp(a.data, b.data, a.len)))
      FUZZ_FAIL("rendering twice gave different results (%d, %d)", (int)st, (int)st2);
    pr_buf_free(&a);
    pr_buf_free(&b);
  }
  pr_tpl_free(t);
  pr_val_arena_free(&arena);
  json_decref(json);
  return 0;
}
