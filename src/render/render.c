/* render.c - pr_render: the plan, then the output format. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "render/render.h"

/* ---- entry points ---- */

/* Render plan into b (which may have a sink), findings into rep. */
static pr_status render_plan(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                             pr_buf *b, pr_report *rep, pr_error *err) {
  switch (o->format) {
  case PR_FORMAT_MARKDOWN: return pr_render_markdown(bib, o, plan, b, rep, err);
  case PR_FORMAT_JSON: return pr_render_json(bib, o, plan->all, plan->nall, b, &rep->diags);
  case PR_FORMAT_CSL_JSON: return pr_render_csl(bib, o, plan->all, plan->nall, b, &rep->diags);
  case PR_FORMAT_VIEW_JSON: return pr_render_view_json(bib, o, plan, b, rep);
  case PR_FORMAT_HTML:
  default: return pr_render_html(bib, o, plan, b, rep, err);
  }
}

/* The status of a render that returned st into b, err filled. */
static pr_status finish(pr_status st, pr_buf *b, pr_error *err) {
  if (b->sink_failed) st = PR_ERR_IO;
  else if (st == PR_OK && b->failed) st = PR_ERR_NOMEM;
  if (st == PR_OK && pr_buf_flush(b)) st = PR_ERR_IO;
  if (st == PR_ERR_IO) pr_set_error(err, st, NULL, 0, "the output function failed");
  else if (st != PR_OK && st != PR_ERR_INPUT) /* a template error has filled err already */
    pr_set_error(err, st, NULL, 0, "%s", pr_strerror(st));
  return st;
}

/* Render the whole list (plan from the options) into b. bib is only
   read; what the render finds goes to report (NULL: a report of its own,
   dropped). */
static pr_status render_into(const pr_bib *bib, const pr_options *o, pr_buf *b,
                             pr_report *report, pr_error *err) {
  pr_report own;
  pr_report *rep = report;
  if (!rep) {
    own = (pr_report){.diags = {.dedupe = 1}};
    rep = &own;
  }
  pr_plan plan;
  pr_status st = PR_ERR_NOMEM;
  int built = pr_plan_build(&plan, bib, &o->sel, err);
  if (built == -2) st = PR_ERR_INPUT; /* a query limit: err names it */
  if (built == 0) st = render_plan(bib, o, &plan, b, rep, err);
  pr_plan_clear(&plan);
  if (rep == &own) pr_report_clear(&own);
  return finish(st, b, err);
}

pr_status pr_render_string(const pr_bib *bib, const pr_options *o, char **out, size_t *len,
                           pr_report *report, pr_error *err) {
  if (!bib || !o || !out) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, "missing argument");
    return PR_ERR_ARG;
  }
  *out = NULL;
  pr_buf b = {0};
  pr_status st = render_into(bib, o, &b, report, err);
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
pr_status pr_render(const pr_bib *bib, const pr_options *o, pr_write_fn write, void *ctx,
                    pr_report *report, pr_error *err) {
  if (!bib || !o || !write) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, write ? "missing argument" : "no output function");
    return PR_ERR_ARG;
  }
  pr_buf b = {0};
  b.sink = write;
  b.sink_ctx = ctx;
  pr_status st = render_into(bib, o, &b, report, err);
  pr_buf_free(&b);
  return st;
}

pr_status pr_render_entries(const pr_bib *bib, const pr_options *o, const pr_entry *const *v,
                            size_t n, pr_write_fn write, void *ctx, pr_report *report,
                            pr_error *err) {
  if (!bib || !o || !write || (n && !v)) {
    pr_set_error(err, PR_ERR_ARG, NULL, 0, write ? "missing argument" : "no output function");
    return PR_ERR_ARG;
  }
  for (size_t i = 0; i < n; i++) {
    /* an entry of bib is where its position says (pr_bib_entry) */
    const pr_entry *e = v[i];
    if (!e || e->order >= bib->n || bib->entries[e->order] != e) {
      pr_set_error(err, PR_ERR_ARG, NULL, 0, "entry %zu of %zu is %s", i + 1, n,
                   e ? "not an entry of this bibliography" : "NULL");
      return PR_ERR_ARG;
    }
  }
  /* one group without a heading, numbered from 1 (counting down to 1
     when the numbers are reversed) */
  pr_group group = {NULL, 0, NULL, n, o->sel.reverse_numbers && n ? n : 1};
  pr_plan plan = {NULL, n, &group, 1};
  if (n && !(plan.all = malloc(n * sizeof *plan.all))) {
    pr_set_error(err, PR_ERR_NOMEM, NULL, 0, "%s", pr_strerror(PR_ERR_NOMEM));
    return PR_ERR_NOMEM;
  }
  for (size_t i = 0; i < n; i++) plan.all[i] = v[i];
  group.v = plan.all;
  pr_report own = {.diags = {.dedupe = 1}};
  pr_buf b = {0};
  b.sink = write;
  b.sink_ctx = ctx;
  pr_status st = render_plan(bib, o, &plan, &b, report ? report : &own, err);
  st = finish(st, &b, err);
  pr_buf_free(&b);
  pr_report_clear(&own);
  free(plan.all);
  return st;
}
