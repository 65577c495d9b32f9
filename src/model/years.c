/* years.c - years that are words. al-folio users write `year = {Preprint}`
   (also "In press", "Submitted", "to appear"...) for work without a
   publication year yet; such a year is shown as written, heads a group of
   its own and sorts as newer than every numbered year (README: "Years that
   are words"). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model/model.h"

/* Status words, compared with case, braces, spaces and a final '.' ignored. */
static const char *const known_words[] = {
    "preprint",     "inpress",       "forthcoming",    "submitted",    "underreview",
    "toappear",     "accepted",      "inpreparation",  "inprep",       "inreview",
    "undersubmission", "inrevision", "underrevision",  "acceptedforpublication",
    "workingpaper", "draft",         "manuscript",     "ongoing",      "upcoming",
    "tba",          "tbd",           "arxiv"};

/* Words that mean "no date": such an entry is undated. */
static const char *const no_date[] = {"nd", "n.d", "sd", "s.d", "nodate", "undated"};

/* raw folded: letters in lower case, dots kept, the rest (braces, spaces,
   hyphens) dropped; a final '.' dropped. 0 when it does not fit. */
static int fold_word(const char *raw, char *out, size_t size) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
    if (*p == '{' || *p == '}' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '-' ||
        *p == '~' || *p == '_')
      continue;
    if (n + 1 >= size) return 0;
    out[n++] = (char)tolower(*p);
  }
  while (n && out[n - 1] == '.') n--;
  out[n] = '\0';
  return 1;
}

int pr_year_word_kind(const char *raw) {
  if (!raw) return 0;
  int letters = 0;
  for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
    if (isdigit(*p)) return 0;        /* a number is read as the year (bib.c) */
    if (isalpha(*p) || *p >= 0x80) letters = 1;
  }
  if (!letters) return 0;             /* empty, "?", "--": no year */
  char w[64];
  if (!fold_word(raw, w, sizeof w)) return 2;
  for (size_t i = 0; i < sizeof no_date / sizeof *no_date; i++)
    if (strcmp(w, no_date[i]) == 0) return 0;
  for (size_t i = 0; i < sizeof known_words / sizeof *known_words; i++)
    if (strcmp(w, known_words[i]) == 0) return 1;
  return 2;
}

char *pr_entry_year_word(const pr_entry *e) {
  if (!e || !e->year_word) return NULL;
  return pr_entry_field_text(e, "year");
}

int pr_check_year(pr_bib *bib, const pr_entry *e) {
  if (e->year_word != 2) return 0;
  unsigned line = e->line;
  for (unsigned i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].name, "year") == 0) line = e->fields[i].line;
  return pr_diagx(&bib->diags, PR_WARNING, "unknown-year-word", e->key, "year", e->file, line,
                      "entry '%s', field 'year': '%s' is not a number: shown as written, under a "
                      "heading of its own, sorted as newer than every numbered year (like "
                      "'Preprint')",
                      e->key, pr_entry_field(e, "year"));
}

/* ---- dates ---- */

static int parse_year(const char *s) {
  while (*s && !isdigit((unsigned char)*s)) s++;
  int y = 0, digits = 0;
  while (isdigit((unsigned char)*s) && digits < 6) y = y * 10 + (*s++ - '0'), digits++;
  return digits >= 1 && digits <= 4 ? y : 0;
}

/* A month: a number 1..12 (6, 06) or an English month name or
   abbreviation in any case (June, jun, Sept., sept), braces and spaces
   around it ignored; 0 when it is none. */
static int parse_month(const char *s) {
  static const char *full[] = {"january", "february", "march",     "april",
                               "may",     "june",     "july",      "august",
                               "september", "october", "november", "december"};
  while (*s == ' ' || *s == '{') s++;
  if (isdigit((unsigned char)*s)) {
    int m = atoi(s);
    return m >= 1 && m <= 12 ? m : 0;
  }
  size_t n = 0;
  while (isalpha((unsigned char)s[n])) n++;
  if (n < 3) return 0;
  for (int i = 0; i < 12; i++)
    if (n <= strlen(full[i]) && strncasecmp(s, full[i], n) == 0) return i + 1;
  return 0;
}

void pr_entry_compute_date(pr_entry *e) {
  const char *y = pr_entry_field(e, "year"), *m = pr_entry_field(e, "month");
  const char *d = pr_entry_field(e, "date");
  e->year = y ? parse_year(y) : 0;
  e->month = m ? parse_month(m) : 0;
  if (d && (!e->year || !e->month)) {  /* biblatex date: YYYY[-MM[-DD]][/...] */
    int dy = parse_year(d);
    const char *p = d;
    while (*p == ' ') p++;
    if (!e->year) e->year = dy;
    if (!e->month && strlen(p) >= 7 && p[4] == '-' && dy == e->year) e->month = parse_month(p + 5);
  }
  e->year_word = !e->year && y ? (unsigned char)pr_year_word_kind(y) : 0; /* "Preprint" */
}
