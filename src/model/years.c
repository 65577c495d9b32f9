/* years.c - years that are words. al-folio users write `year = {Preprint}`
   (also "In press", "Submitted", "to appear"...) for work without a
   publication year yet; such a year is shown as written, heads a group of
   its own and sorts as newer than every numbered year (README: "Years that
   are words"). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
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

static unsigned field_line(const pr_entry *e, const char *name) {
  for (unsigned i = 0; i < e->nfields; i++)
    if (strcmp(e->fields[i].name, name) == 0) return e->fields[i].line;
  return e->line;
}

int pr_check_year(pr_bib *bib, const pr_entry *e) {
  if (e->date_bad) {
    pr_date d;
    const char *literal, *bad, *why;
    pr_entry_read_date(e, "", &d, &literal, &bad, &why);
    if (bad) {
      const char *then =
          strcmp(bad, "year") == 0 ? "shown as written, under a heading of its own, sorted as "
                                     "newer than every numbered year"
          : strcmp(bad, "date") == 0 ? (e->year ? "its year is used; CSL-JSON gets it as a literal"
                                                : "CSL-JSON gets it as a literal; the entry is undated")
                                     : "left out of the date";
      return pr_diagx(&bib->diags, PR_WARNING, "bad-date", e->key, bad, e->file, field_line(e, bad),
                      "entry '%s', field '%s': '%s' is not a date pubrender reads (%s): %s",
                      e->key, bad, pr_entry_field(e, bad), why, then);
    }
  }
  if (e->year_word != 2) return 0;
  return pr_diagx(&bib->diags, PR_WARNING, "unknown-year-word", e->key, "year", e->file,
                  field_line(e, "year"),
                      "entry '%s', field 'year': '%s' is not a number: shown as written, under a "
                      "heading of its own, sorted as newer than every numbered year (like "
                      "'Preprint')",
                      e->key, pr_entry_field(e, "year"));
}

/* ---- dates (README: "Dates") ---- */

/* raw (a field's LaTeX) made easy to read, in out (size bytes): braces
   dropped; \slash, '/'; \textendash, \textemdash and the Unicode dashes
   (U+2010..U+2015, U+2212) '-', a run of dashes one '-'; '~' (unless
   keep_tilde), ',' and other commands a space; spaces around '-' and '/'
   and at the ends dropped; letters in lower case. 0 when it does not fit. */
static int norm(const char *raw, char *out, size_t size, int keep_tilde) {
  size_t n = 0;
#define PUT(ch) do { if (n + 1 >= size) return 0; out[n++] = (char)(ch); } while (0)
  for (const unsigned char *p = (const unsigned char *)raw; *p;) {
    int c = *p;
    if (c == '{' || c == '}') { p++; continue; }
    if (c == '\\') {
      size_t k = 1;
      while (isalpha(p[k])) k++;
      if (k == 1 && p[1]) k = 2;      /* \, \  \- */
      if (k == 6 && strncmp((const char *)p + 1, "slash", 5) == 0) c = '/';
      else if (k == 11 && (strncmp((const char *)p + 1, "textendash", 10) == 0 ||
                           strncmp((const char *)p + 1, "textemdash", 10) == 0)) c = '-';
      else c = ' ';
      p += k;
    } else if (c == 0xe2 && p[1] == 0x80 && p[2] >= 0x90 && p[2] <= 0x95) {
      c = '-', p += 3;
    } else if (c == 0xe2 && p[1] == 0x88 && p[2] == 0x92) {
      c = '-', p += 3;
    } else {
      p++;
      if (isspace(c) || c == ',' || (c == '~' && !keep_tilde)) c = ' ';
    }
    if (c == ' ' && (!n || out[n - 1] == ' ' || out[n - 1] == '-' || out[n - 1] == '/')) continue;
    if ((c == '-' || c == '/') && n && out[n - 1] == ' ') n--;
    if (c == '-' && n && out[n - 1] == '-') continue;
    PUT(tolower(c));
  }
  while (n && out[n - 1] == ' ') n--;
  out[n] = '\0';
  return 1;
#undef PUT
}

static int read_digits(const char **s, int *v) {
  int k = 0;
  *v = 0;
  while (isdigit((unsigned char)**s) && k < 9) *v = *v * 10 + (*(*s)++ - '0'), k++;
  return isdigit((unsigned char)**s) ? 10 : k;
}

static int days_in(int y, int m) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 31;
  if (m == 2 && y) {                 /* y in CSL's count: astronomical y + 1 before 1 AD */
    int a = y < 0 ? y + 1 : y;
    return a % 4 == 0 && (a % 100 != 0 || a % 400 == 0) ? 29 : 28;
  }
  return days[m - 1];
}

static int ymd_cmp(const pr_ymd *a, const pr_ymd *b) {
  if (a->y != b->y) return a->y < b->y ? -1 : 1;
  if (a->m != b->m && a->m <= 12 && b->m <= 12 && a->m && b->m) return a->m < b->m ? -1 : 1;
  if (a->m == b->m && a->d && b->d && a->d != b->d) return a->d < b->d ? -1 : 1;
  return 0;
}

/* One biblatex date at *p: [-]YYYY[-MM[-DD]] or YYYY-SS (a season), a time
   after 'T' skipped, then the qualifiers ~ ? %. Unspecified digits (EDTF
   level 1, as biblatex reads them): YYYX a decade and YYXX a century (*span
   the years they cover after the first, 9 or 99), YYYY-XX and YYYY-XX-XX
   a year, YYYY-MM-XX a month. NULL, or why it is not. */
static const char *edtf_one(const char **p, pr_ymd *d, pr_date *q, int *span) {
  const char *s = *p;
  int neg = *s == '-', v;
  if (neg) s++;
  int k = read_digits(&s, &v);
  *span = 0;
  if (!neg && (k == 3 || k == 2) && strncmp(s, "xx", (size_t)(4 - k)) == 0) {
    s += 4 - k;                       /* "199X": 1990, "19XX": 1900 */
    *span = k == 3 ? 9 : 99;
    v *= k == 3 ? 10 : 100;
    k = 4;
  }
  if (k != 4) return "a year is 4 digits (YYYY, -YYYY before 1 AD)";
  d->y = neg ? -v - 1 : v ? v : -1;  /* astronomical -0044 is 45 BC, 0000 is 1 BC */
  if (neg && v == 0) d->y = -1;
  d->m = d->d = 0;
  if (!*span && strncmp(s, "-xx", 3) == 0) {
    s += strncmp(s, "-xx-xx", 6) == 0 ? 6 : 3; /* the month (and day) unspecified */
  } else if (!*span && *s == '-' && isdigit((unsigned char)s[1])) {
    s++;
    if (read_digits(&s, &v) != 2) return "a month is 2 digits (MM)";
    if (!((v >= 1 && v <= 12) || (v >= 21 && v <= 24)))
      return "the month is not 01-12 or a season 21-24";
    d->m = (signed char)v;
    if (*s == '-' && isdigit((unsigned char)s[1])) {
      s++;
      if (read_digits(&s, &v) != 2) return "a day is 2 digits (DD)";
      if (d->m > 12) return "a season has no day";
      if (v < 1 || v > days_in(d->y, d->m)) return "the month has no such day";
      d->d = (signed char)v;
    } else if (strncmp(s, "-xx", 3) == 0 && d->m <= 12) {
      s += 3;                         /* the day unspecified */
    }
    if (*s == 't' && d->d) {           /* a time: CSL has none */
      s++;
      while (*s && strchr("0123456789:.+-z", *s)) s++;
    }
  }
  for (int i = 0; i < 2 && *s && strchr("~?%", *s); i++, s++) {
    if (*s != '?') q->circa = 1;
    if (*s != '~') q->uncertain = 1;
  }
  *p = s;
  return NULL;
}

/* A biblatex date field: a date, or a range a/b where either end may be
   ".." or empty (open). PR_DATE_OK, or 0 with *why. */
static int read_edtf(const char *raw, pr_date *d, const char **why) {
  char b[128];
  memset(d, 0, sizeof *d);
  if (!norm(raw, b, sizeof b, 1)) return *why = "too long", 0;
  const char *s = b;
  if (!*s) return *why = "empty", 0;
  int open_start = strncmp(s, "../", 3) == 0 || *s == '/', span = 0, span_to = 0;
  if (open_start) s += *s == '/' ? 1 : 3;
  else if ((*why = edtf_one(&s, &d->from, d, &span))) return 0;
  if (span && !*s) {                  /* "199X": the range 1990/1999 */
    d->range = 1;
    d->to = (pr_ymd){d->from.y + span, 0, 0};
    return PR_DATE_OK;
  }
  if (*s == '/' || open_start) {
    if (!open_start) s++;
    d->range = 1;
    if (open_start || (*s && strcmp(s, "..") != 0)) {
      if ((*why = edtf_one(&s, &d->to, d, &span_to))) return 0;
    } else {
      s += *s ? 2 : 0;
    }
    if (!d->to.y) d->open_end = 1;
    if (open_start) {
      if (!d->to.y) return *why = "a range with no end at all", 0;
      d->open_start = 1;
    }
  }
  if (span || span_to) return *why = "a decade or century (199X, 19XX) in a range", 0;
  if (*s) return *why = "not YYYY[-MM[-DD]][/YYYY[-MM[-DD]]] (biblatex's date format)", 0;
  if (d->range && !d->open_start && !d->open_end && ymd_cmp(&d->to, &d->from) < 0)
    return *why = "the end is before the start", 0;
  return PR_DATE_OK;
}

/* A BibTeX year: "1991", "1991--1992", "1991-92", "1991/1992", "2019–2020",
   "1987--", "1987--date", "1987--present", "c. 1990", "1990?". 1 read,
   2 a number with a letter ("2020a": the year for ordering, the text for
   CSL), 0 not a year (*why). */
static int read_year(const char *raw, pr_date *d, const char **why) {
  char b[128];
  memset(d, 0, sizeof *d);
  if (!norm(raw, b, sizeof b, 0)) return *why = "too long", 0;
  const char *s = b;
  static const char *const circa[] = {"circa ", "ca. ", "ca.", "c. ", "c."};
  for (size_t i = 0; i < sizeof circa / sizeof *circa; i++)
    if (strncmp(s, circa[i], strlen(circa[i])) == 0 && isdigit((unsigned char)s[strlen(circa[i])])) {
      s += strlen(circa[i]);
      d->circa = 1;
      break;
    }
  int y, k = read_digits(&s, &y), kind = 1;
  *why = "not a year (digits, or a range such as 1991--1992)";
  if (k < 1 || k > 4) return 0;
  d->from.y = y ? y : -1;
  if (isalpha((unsigned char)*s) && !isalpha((unsigned char)s[1])) s++, kind = 2; /* 2020a */
  if (*s == '?') d->uncertain = 1, s++;
  if (*s == '-' || *s == '/') {
    s++;
    d->range = 1;
    int y2, k2 = read_digits(&s, &y2);
    if (k2 == 0) {
      static const char *const open[] = {"", "date", "present", "now", "today", "ongoing", ".."};
      size_t i = 0;
      while (i < sizeof open / sizeof *open && strcmp(s, open[i]) != 0) i++;
      if (i == sizeof open / sizeof *open) return 0;
      s += strlen(s);
      d->open_end = 1;
    } else {
      if (k2 == 2 && k == 4) {             /* 1991-92, 1999-00 */
        y2 += y - y % 100;
        if (y2 < y) y2 += 100;
      } else if (k2 != 4 && k2 != k) {
        return 0;
      }
      if (y2 < y) return *why = "the end is before the start", 0;
      d->to.y = y2;
      if (isalpha((unsigned char)*s) && !isalpha((unsigned char)s[1])) s++, kind = 2;
      if (*s == '?') d->uncertain = 1, s++;
    }
  }
  return *s ? 0 : kind;
}

/* English month names and their abbreviations (a prefix of 3 letters or
   more: "Sep", "Sept", "June"), and the seasons (EDTF 21..24). 0 none. */
static int month_word(const char *w, size_t n) {
  static const char *const full[] = {"january", "february", "march",     "april",
                                     "may",     "june",     "july",      "august",
                                     "september", "october", "november", "december",
                                     "spring", "summer", "autumn", "winter"};
  if (n < 3) return 0;
  for (int i = 0; i < 16; i++)
    if (n <= strlen(full[i]) && strncmp(w, full[i], n) == 0) return i < 12 ? i + 1 : i + 9;
  if (n == 4 && strncmp(w, "fall", 4) == 0) return 23;
  return 0;
}

/* One side of a month range: a month word, a number, or both, in either
   order ("June 24", "24 June", "6", "24"). 0, or -1 when it is none. */
static int month_side(const char **p, int *m, int *num) {
  const char *s = *p;
  int got = 0;
  *m = *num = 0;
  for (int part = 0; part < 2; part++) {
    while (*s == ' ' || *s == '.') s++;
    if (isalpha((unsigned char)*s) && !*m) {
      size_t n = 0;
      while (isalpha((unsigned char)s[n])) n++;
      if (!(*m = month_word(s, n))) return -1;
      s += n;
      if (*s == '.') s++;
      got = 1;
    } else if (isdigit((unsigned char)*s) && !*num) {
      if (read_digits(&s, num) > 2 || *num < 1 || *num > 31) return -1;
      got = 1;
    }
  }
  while (*s == ' ' || *s == '.') s++;
  *p = s;
  return got ? 0 : -1;
}

/* A BibTeX month field, with a range and days as written in real files:
   "June", "6", "June--July", "nov/dec", "June 24--26", "10--15 Jul",
   "August 31 -- September 4", "11--12" (months). 1, or 0 (*why). */
static int read_month(const char *raw, pr_ymd *a, pr_ymd *b, const char **why) {
  char buf[128];
  *why = "not a month (a name, Jan..Dec, or 1..12; a range June--July; days June 24--26)";
  a->m = a->d = b->m = b->d = 0;
  if (!norm(raw, buf, sizeof buf, 0)) return 0;
  const char *s = buf;
  int m1, n1, m2 = 0, n2 = 0, two = 0;
  if (month_side(&s, &m1, &n1)) return 0;
  if (*s == '-' || *s == '/') {
    s++;
    two = 1;
    if (month_side(&s, &m2, &n2)) return 0;
  }
  if (*s) return 0;
  if (!m1 && !m2) {                    /* numbers only: months */
    if (n1 > 12 || n2 > 12) return 0;
    a->m = (signed char)n1, b->m = (signed char)n2;
    return 1;
  }
  if (!m1) m1 = m2;                     /* "10--15 Jul" */
  if (two && !m2) m2 = m1;              /* "June 24--26" */
  if (m1 > 12 && (n1 || n2)) return 0;  /* a season has no day */
  if (n1 > days_in(0, m1) || (two && n2 > days_in(0, m2))) return 0;
  a->m = (signed char)m1, a->d = (signed char)n1;
  if (two) b->m = (signed char)m2, b->d = (signed char)n2;
  if (two && m1 == m2 && !n1 && !n2) b->m = 0;  /* "June--June" */
  return 1;
}

/* A day field: "12" or "12--14". */
static int read_day(const char *raw, int *d1, int *d2) {
  char buf[64];
  if (!norm(raw, buf, sizeof buf, 0)) return 0;
  const char *s = buf;
  *d2 = 0;
  if (read_digits(&s, d1) > 2 || *d1 < 1 || *d1 > 31) return 0;
  if (*s == '-' || *s == '/') {
    s++;
    if (read_digits(&s, d2) > 2 || *d2 < *d1 || *d2 > 31) return 0;
  }
  return !*s;
}

/* "crypto24month": an undefined @string's name, read as written; its
   undefined-macro warning is enough. */
static int macro_name(const char *v) {
  int digit = 0;
  for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
    if (isdigit(*p)) digit = 1;
    else if (!isalpha(*p) && *p != '_') return 0;
  }
  return digit;
}

pr_date_kind pr_entry_read_date(const pr_entry *e, const char *prefix, pr_date *d,
                                const char **literal, const char **bad, const char **why) {
  char name[32];
  memset(d, 0, sizeof *d);
  *literal = *bad = *why = NULL;
#define FIELD(suffix) (snprintf(name, sizeof name, "%s" suffix, prefix), pr_entry_find_field(e, name))
  const pr_field *df = FIELD("date");
  const char *dwhy = NULL;
  if (df && *df->value && read_edtf(df->value, d, &dwhy)) return PR_DATE_OK;
  const pr_field *yf = FIELD("year"), *mf = FIELD("month"), *dayf = FIELD("day");
  pr_date dd = *d;
  if (df && *df->value) {                 /* a bad date: warned; the year field, else its YYYY */
    *bad = df->name, *why = dwhy;
    const char *s = df->value;
    int y = 0, k = 0;
    while (*s == ' ' || *s == '{') s++;
    while (isdigit((unsigned char)s[k]) && k < 5) y = y * 10 + (s[k++] - '0');
    memset(&dd, 0, sizeof dd);
    dd.from.y = k == 4 && (!s[4] || strchr("-/ }", s[4])) ? (y ? y : -1) : 0;
  }
  if (!yf || !*yf->value) {
    if (!df || !*df->value) return PR_DATE_NONE;
    *d = dd;
    *literal = df->name;
    return PR_DATE_LITERAL;
  }
  const char *ywhy;
  int yk = read_year(yf->value, d, &ywhy);
  if (yk != 1) {
    if (!yk) {
      memset(d, 0, sizeof *d);
      if (!*bad && pr_year_word_kind(yf->value) == 0 && strpbrk(yf->value, "0123456789"))
        *bad = yf->name, *why = ywhy;   /* "19xx"; words are pr_check_year's */
    }
    if (!d->from.y) d->from.y = dd.from.y;
    *literal = yf->name;
    return PR_DATE_LITERAL;
  }
  pr_ymd ma, mb;
  const char *mwhy;
  if (mf && *mf->value) {
    if (read_month(mf->value, &ma, &mb, &mwhy)) {
      d->from.m = ma.m, d->from.d = ma.d;
      if (d->range) {
        d->to.m = d->to.y ? mb.m : 0, d->to.d = d->to.y ? mb.d : 0;
      } else if (mb.m || mb.d) {
        d->range = 1;
        d->to.y = d->from.y + (mb.m && mb.m <= 12 && mb.m < ma.m);  /* "December--January" */
        d->to.m = mb.m ? mb.m : ma.m, d->to.d = mb.d;
      }
    } else if (!*bad && !macro_name(mf->value)) {
      *bad = mf->name, *why = mwhy;
    }
  }
  int d1, d2;
  if (dayf && *dayf->value && d->from.m && d->from.m <= 12 && !d->from.d) {
    if (read_day(dayf->value, &d1, &d2) && d1 <= days_in(d->from.y, d->from.m)) {
      d->from.d = (signed char)d1;
      if (d2 && !d->range) d->range = 1, d->to = d->from, d->to.d = (signed char)d2;
    } else if (!*bad) {
      *bad = dayf->name, *why = "not a day (1..31, or a range 12--14)";
    }
  }
  const pr_field *ey = FIELD("endyear");
  if (ey && !d->range) {
    pr_date end;
    const char *ewhy;
    if (read_year(ey->value, &end, &ewhy) == 1 && !end.range && end.from.y >= d->from.y) {
      d->range = 1;
      d->to.y = end.from.y;
      const pr_field *em = FIELD("endmonth"), *ed = FIELD("endday");
      if (em && read_month(em->value, &ma, &mb, &mwhy) && !mb.m) d->to.m = ma.m;
      if (ed && d->to.m && read_day(ed->value, &d1, &d2) && !d2) d->to.d = (signed char)d1;
    } else if (!*bad) {
      *bad = ey->name, *why = ewhy;
    }
  }
#undef FIELD
  if (d->range && !d->open_end && ymd_cmp(&d->to, &d->from) < 0) {
    if (!*bad) *bad = mf ? mf->name : yf->name, *why = "the end is before the start";
    d->range = 0;
    memset(&d->to, 0, sizeof d->to);
  }
  return PR_DATE_OK;
}

static size_t put_year(char *buf, size_t size, size_t n, int y) {
  int w = y < 0 ? snprintf(buf + n, size - n, "%d BC", -y) : snprintf(buf + n, size - n, "%d", y);
  return w < 0 || (size_t)w >= size - n ? size - 1 : n + (size_t)w;
}

void pr_date_label(const pr_date *d, char *buf, size_t size) {
  size_t n = 0;
  if (!size) return;
  buf[0] = '\0';
  if (!d->from.y && !d->to.y) return;
#define PUTS(str) do { int w_ = snprintf(buf + n, size - n, "%s", str); \
    n = w_ < 0 || (size_t)w_ >= size - n ? size - 1 : n + (size_t)w_; } while (0)
  if (d->circa) PUTS("c. ");
  if (d->from.y) n = put_year(buf, size, n, d->from.y);
  if (d->range && (d->open_start || d->open_end || d->to.y != d->from.y)) {
    PUTS("\xe2\x80\x93");      /* an en dash */
    if (d->to.y) n = put_year(buf, size, n, d->to.y);
  }
  if (d->uncertain) PUTS("?");
#undef PUTS
}

void pr_entry_compute_date(pr_entry *e) {
  const char *literal, *bad, *why;
  pr_date d;
  pr_date_kind k = pr_entry_read_date(e, "", &d, &literal, &bad, &why);
  e->year = d.from.y ? d.from.y : d.to.y;   /* "../2021": 2021 */
  e->month = k == PR_DATE_OK && d.from.m <= 12 ? d.from.m : 0;
  const char *m = pr_entry_field(e, "month"), *mwhy;
  pr_ymd ma, mb;
  if (k != PR_DATE_OK && m && read_month(m, &ma, &mb, &mwhy) && ma.m <= 12)
    e->month = ma.m;                  /* a month without a year still orders */
  const char *y = pr_entry_field(e, "year");
  e->date_bad = bad != NULL;
  e->year_word = 0;
  if (!e->year && y && *y) {          /* "Preprint"; "19xx" shown as written too */
    int kind = pr_year_word_kind(y);
    e->year_word = (unsigned char)(kind ? kind : bad && strcmp(bad, "year") == 0 ? 2 : 0);
  }
}
