/* bibtex_out.c - an entry written back as clean BibTeX for the "BibTeX"
   toggle (al-folio's bibtex_show): macros expanded, author and editor lists
   rewritten without contribution marks, and the fields that only steer the
   page (abbr, pdf, selected, +an annotations, ...) left out. */
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

static int display_only(const char *name) {
  static const char *const names[] = {
      "abbr",        "abstract",   "bibtex_show", "html",          "pdf",
      "supp",        "blog",       "code",        "poster",        "slides",
      "website",     "video",      "preview",     "selected",      "award",
      "award_name",  "annotation", "additional_info", "altmetric", "dimensions",
      "google_scholar_id", "inspirehep_id", "arxiv", "hal"};
  if (strstr(name, "+an")) return 1;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(name, names[i]) == 0) return 1;
  return 0;
}

/* "von Last, Jr, First" of each name, joined with " and ". */
static void put_names(pr_buf *b, const pr_entry *e, const char *field) {
  size_t n = pr_entry_name_count(e, field);
  for (size_t i = 0; i < n; i++) {
    const pr_name *nm = pr_entry_name(e, field, i);
    if (i) pr_buf_puts(b, " and ");
    if (nm->others) {
      pr_buf_puts(b, "others");
      continue;
    }
    int literal = !*nm->first && !*nm->more->von && !*nm->more->jr && strchr(nm->last, ' ');
    if (literal) pr_buf_putc(b, '{');
    if (*nm->more->von) {
      pr_buf_puts(b, nm->more->von);
      pr_buf_putc(b, ' ');
    }
    pr_buf_puts(b, nm->last);
    if (literal) pr_buf_putc(b, '}');
    if (*nm->more->jr) {
      pr_buf_puts(b, ", ");
      pr_buf_puts(b, nm->more->jr);
    }
    if (*nm->first) {
      pr_buf_puts(b, ", ");
      pr_buf_puts(b, nm->first);
    }
  }
}

char *pr_bibtex_source(const pr_entry *e) {
  pr_buf b = {0};
  pr_buf_putc(&b, '@');
  pr_buf_puts(&b, e->type);
  pr_buf_putc(&b, '{');
  pr_buf_puts(&b, e->key);
  for (size_t i = 0; i < e->nfields; i++) {
    const pr_field *f = &e->fields[i];
    if (display_only(f->name)) continue;
    pr_buf_puts(&b, ",\n  ");
    pr_buf_puts(&b, f->name);
    pr_buf_puts(&b, " = {");
    if (pr_name_field_index(f->name) >= 0) /* every name field: marks removed */
      put_names(&b, e, f->name);
    else
      pr_buf_puts(&b, f->value);
    pr_buf_putc(&b, '}');
  }
  pr_buf_puts(&b, "\n}");
  return pr_buf_take(&b);
}
