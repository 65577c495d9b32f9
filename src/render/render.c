/* render.c - pr_render: the plan, then the output format. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "render/render.h"

/* ---- entry points ---- */

/* Render into b (which may have a sink). */
static pr_status render_into(pr_bib *bib, const pr_options *o, pr_buf *b, pr_error *err) {
  pr_plan plan;
  pr_status st = PR_ERR_NOMEM;
  pr_bib_clear_template_files(bib);
  bib->diags.dedupe = 1; /* its warnings are recorded once, however often it renders */
  int built = pr_plan_build(&plan, bib, &o->sel, err);
  if (built == -2) st = PR_ERR_INPUT; /* a query limit: err names it */
  if (built == 0) {
    switch (o->format) {
    case PR_FORMAT_MARKDOWN: st = pr_render_markdown(bib, o, &plan, b, err); break;
    case PR_FORMAT_JSON: st = pr_render_json(bib, o, plan.all, plan.nall, b); break;
    case PR_FORMAT_CSL_JSON: st = pr_render_csl(bib, o, plan.all, plan.nall, b); break;
    case PR_FORMAT_VIEW_JSON: st = pr_render_view_json(bib, o, &plan, b); break;
    case PR_FORMAT_HTML:
    default: st = pr_render_html(bib, o, &plan, b, err); break;
    }
  }
  pr_plan_clear(&plan);
  bib->diags.dedupe = 0;
  if (b->sink_failed) st = PR_ERR_IO;
  else if (st == PR_OK && b->failed) st = PR_ERR_NOMEM;
  if (st == PR_OK && pr_buf_flush(b)) st = PR_ERR_IO;
  if (st == PR_ERR_IO) pr_set_error(err, st, NULL, 0, "the output function failed");
  else if (st != PR_OK && st != PR_ERR_INPUT) /* a template error has filled err already */
    pr_set_error(err, st, NULL, 0, "%s", pr_strerror(st));
  return st;
}

pr_status pr_render_string(pr_bib *bib, const pr_options *o, char **out, size_t *len,
                           pr_error *err) {
  if (!bib || !o || !out) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, "missing argument");
    return PR_ERR_ARG;
  }
  *out = NULL;
  pr_buf b = {0};
  pr_status st = render_into(bib, o, &b, err);
  if (st != PR_OK) {
    pr_buf_free(&b);
    return st;
  }
  if (len) *len = b.len;
  *out = pr_buf_take(&b);
  return *out ? PR_OK : PR_ERR_NOMEM;
}

/* Entries are handed to write as they are rendered (in pieces of about
   64 KB), so the whole output is never held; a standalone page is the
   exception, its body is rendered first to go inside the page. */
pr_status pr_render(pr_bib *bib, const pr_options *o, pr_write_fn write, void *ctx,
                    pr_error *err) {
  if (!bib || !o || !write) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, write ? "missing argument" : "no output function");
    return PR_ERR_ARG;
  }
  pr_buf b = {0};
  b.sink = write;
  b.sink_ctx = ctx;
  pr_status st = render_into(bib, o, &b, err);
  pr_buf_free(&b);
  return st;
}
