#define _POSIX_C_SOURCE 200809L
/* names.c - name lists (author, editor and every other name field of
   biblatex): parts as text, contribution marks, biblatex +an annotations,
   folding and matching for highlighting. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "model/model.h"

const char *const pr_name_fields[PR_NAME_FIELDS] = {
    "author",      "editor",     "editora",     "editorb",     "editorc",
    "translator",  "annotator",  "commentator", "introduction", "foreword",
    "afterword",   "bookauthor", "holder",      "namea",       "nameb",
    "namec",       "shortauthor", "shorteditor", "sortname"};

int pr_name_field_index(const char *name) {
  if (!name) return -1;
  for (int i = 0; i < PR_NAME_FIELDS; i++)
    if (name[0] == pr_name_fields[i][0] && strcmp(name, pr_name_fields[i]) == 0) return i;
  return -1;
}

/* Marks written on a name, longest spelling first. */
static const struct { const char *spelling, *mark; } mark_spellings[] = {
    {"\\textdaggerdbl", "\xe2\x80\xa1"}, {"\\textdagger", "\xe2\x80\xa0"},
    {"\\ddag{}", "\xe2\x80\xa1"},        {"\\dag{}", "\xe2\x80\xa0"},
    {"\\ddag", "\xe2\x80\xa1"},          {"\\dag", "\xe2\x80\xa0"},
    {"$^*$", "*"},                       {"^*", "*"},
    {"*", "*"},                          {"\xe2\x80\xa0", "\xe2\x80\xa0"},
    {"\xe2\x80\xa1", "\xe2\x80\xa1"},    {"\xc2\xa7", "\xc2\xa7"},
    {"\xc2\xb6", "\xc2\xb6"},
};

/* Strip marks from the end of s (in place), prepending them to marks. */
static void take_marks(char *s, pr_buf *marks) {
  size_t len = strlen(s);
  /* every spelling ends in one of these bytes */
  if (!len || !memchr("*$}glr\xa0\xa1\xa7\xb6", s[len - 1], 10)) return;
  pr_buf found = {0};
  for (int again = 1; again && len > 0;) {
    again = 0;
    for (size_t i = 0; i < sizeof mark_spellings / sizeof *mark_spellings; i++) {
      size_t k = strlen(mark_spellings[i].spelling);
      if (k <= len && memcmp(s + len - k, mark_spellings[i].spelling, k) == 0) {
        /* prepend: marks read left to right */
        pr_buf t = {0};
        pr_buf_puts(&t, mark_spellings[i].mark);
        if (found.len) pr_buf_put(&t, found.data, found.len);
        pr_buf_free(&found);
        found = t;
        len -= k;
        while (len > 0 && s[len - 1] == ' ') len--;
        s[len] = '\0';
        again = 1;
        break;
      }
    }
  }
  if (found.len) pr_buf_put(marks, found.data, found.len);
  pr_buf_free(&found);
}

/* list + " " + w (list NULL: w alone), in the arena. */
static const char *add_word(pr_arena *mem, const char *list, const char *w) {
  pr_buf b = {0};
  if (list) {
    pr_buf_puts(&b, list);
    pr_buf_putc(&b, ' ');
  }
  pr_buf_puts(&b, w);
  const char *r = b.failed ? NULL : pr_arena_strndup(mem, b.data, b.len);
  pr_buf_free(&b);
  return r;
}

/* marks + m unless marks has m already, in the arena. */
static const char *add_mark(pr_arena *mem, const char *marks, const char *m) {
  if (strstr(marks, m)) return marks;
  size_t a = strlen(marks), b = strlen(m);
  char *p = pr_arena_alloc(mem, a + b + 1);
  if (!p) return NULL;
  memcpy(p, marks, a);
  memcpy(p + a, m, b + 1);
  return p;
}

/* Text the LaTeX converter gives back unchanged: letters, digits, '.' and
   ',', with single spaces and single hyphens between them (most names). */
static int is_plain_name(const char *s) {
  if (*s == ' ' || *s == '-') return 0;
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (isalnum(c) || c == '.' || c == ',') continue;
    if ((c != ' ' && c != '-') || !p[1] || p[1] == ' ' || p[1] == '-') return 0;
  }
  return 1;
}

static char *to_plain(const char *latex) {
  if (is_plain_name(latex)) return pr_strdup(latex);
  char *m = pr_latex_to_marked(latex, strlen(latex), NULL, NULL);
  if (!m) return NULL;
  char *p = pr_marked_to_plain(m);
  free(m);
  return p;
}

/* s (taken) with accents stripped and case folded (utf8proc); ASCII in place. */
static char *case_fold(char *s) {
  int ascii = 1;
  for (const char *p = s; *p && ascii; p++) ascii = (unsigned char)*p < 0x80;
  if (ascii) { /* what utf8proc's case folding does to ASCII, without a copy */
    for (char *p = s; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return s;
  }
  utf8proc_uint8_t *folded = NULL;
  utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &folded,
                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                        UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
  if (n < 0) return s; /* cannot happen on the converter's valid UTF-8 */
  free(s);
  return (char *)folded;
}

/* Plain text (taken) folded: accents stripped, case folded, apostrophes
   (' and U+2019, which the converter makes of ') dropped, other
   punctuation and spaces to single spaces. */
static char *fold_plain(char *plain) {
  char *s = case_fold(plain);
  /* ASCII punctuation and spaces (incl. no-break space) to single spaces */
  size_t o = 0;
  for (size_t i = 0; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\'') continue;
    if (c == 0xe2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x99) {
      i += 2;
      continue;
    }
    int sep = c < 0x80 ? !isalnum(c) : (c == 0xc2 && (unsigned char)s[i + 1] == 0xa0);
    if (sep) {
      if (c == 0xc2) i++;
      if (o > 0 && s[o - 1] != ' ') s[o++] = ' ';
    } else {
      s[o++] = s[i];
    }
  }
  while (o > 0 && s[o - 1] == ' ') o--;
  s[o] = '\0';
  return s;
}

char *pr_fold(const char *text) {
  char *plain = to_plain(text);
  return plain ? fold_plain(plain) : NULL;
}

static char *join_display(const pr_name *n) {
  pr_buf b = {0};
  const char *parts[] = {n->first, n->more->von, n->last};
  for (size_t i = 0; i < 3; i++) {
    if (!*parts[i]) continue;
    if (b.len) pr_buf_putc(&b, ' ');
    pr_buf_puts(&b, parts[i]);
  }
  if (*n->more->jr) {
    pr_buf_puts(&b, ", ");
    pr_buf_puts(&b, n->more->jr);
  }
  return pr_buf_take(&b);
}

/* s (malloc'd, taken) as an arena string; NULL when s is. */
static const char *keep(pr_arena *mem, char *s) {
  if (!s) return NULL;
  const char *k = pr_arena_strdup(mem, s);
  free(s);
  return k;
}

static const pr_name_more no_more = {"", "", "", "", NULL};

/* n's rarer parts made its own (to be changed). NULL when out of memory. */
static pr_name_more *own_more(pr_arena *mem, pr_name *n) {
  if (n->more != &no_more) return (pr_name_more *)n->more;
  pr_name_more *m = pr_arena_alloc(mem, sizeof *m);
  if (m) *m = no_more;
  n->more = m;
  return m;
}

static int build_name(pr_arena *mem, pr_name *n, pr_raw_name *r) {
  pr_buf marks = {0};
  take_marks(r->last, &marks);
  take_marks(r->first, &marks);
  take_marks(r->jr, &marks);
  int failed = marks.failed;
  n->more = &no_more;
  n->others = !*r->first && !*r->von && !*r->jr && strcmp(r->last, "others") == 0;
  n->first = keep(mem, to_plain(r->first));
  const char *von = keep(mem, to_plain(r->von)), *jr = keep(mem, to_plain(r->jr));
  if (!failed && von && jr && (marks.len || *von || *jr)) {
    pr_name_more *m = own_more(mem, n);
    const char *mk = m ? pr_arena_strndup(mem, marks.data ? marks.data : "", marks.len) : NULL;
    if (m && mk) *m = (pr_name_more){von, jr, mk, mk, NULL};
    else failed = 1;
  }
  pr_buf_free(&marks);
  char *last = to_plain(r->last);
  if (failed || !n->first || !von || !jr || !last) {
    free(last);
    return -1;
  }
  n->last = last; /* for join_display; replaced below */
  n->display = n->others ? "et al." : keep(mem, join_display(n));
  /* "First von Last" ends with the last name: share its bytes */
  size_t dl = n->display ? strlen(n->display) : 0, ll = strlen(last);
  if (n->display && !n->others && !*jr && dl >= ll && strcmp(n->display + dl - ll, last) == 0)
    n->last = n->display + dl - ll;
  else
    n->last = pr_arena_strdup(mem, last);
  free(last);
  return n->display && n->last ? 0 : -1;
}

/* biblatex "author+an = {1=equal; 2=equal,highlight; 3:family=student}". */
/* The marks of biblatex annotation keywords unless the options map them. */
static const struct { const char *kw, *mark; } default_kws[] = {
    {"equal", "*"}, {"corresponding", "\xe2\x80\xa0"}};

const char *pr_default_mark(const char *kw) {
  for (size_t k = 0; k < sizeof default_kws / sizeof *default_kws; k++)
    if (strcmp(default_kws[k].kw, kw) == 0) return default_kws[k].mark;
  return NULL;
}

static int apply_annotations(pr_bib *bib, pr_entry *e, pr_namelist *l, const char *an,
                             unsigned line) {
  char an_field[48]; /* "author+an" */
  snprintf(an_field, sizeof an_field, "%s+an", pr_name_fields[l->field]);
  const char *p = an;
  while (*p) {
    while (*p == ' ' || *p == ';') p++;
    if (!*p) break;
    const char *end = strchr(p, ';');
    if (!end) end = p + strlen(p);
    char *item = pr_strndup(p, (size_t)(end - p));
    if (!item) return -1;
    p = end;
    char *eq = strchr(item, '=');
    long idx = strtol(item, NULL, 10);
    if (!eq || idx < 1 || (size_t)idx > l->n) {
      int rc = pr_diagx(&bib->diags, PR_WARNING, "annotation-bad-item", e->key, an_field,
                        e->file, line, "%s+an: '%s' does not name an item of the list",
                        pr_name_fields[l->field], item);
      free(item);
      if (rc) return -1;
      continue;
    }
    pr_name *n = &l->names[idx - 1];
    char *save = NULL;
    for (char *kw = strtok_r(eq + 1, ", ", &save); kw; kw = strtok_r(NULL, ", ", &save)) {
      if (strcmp(kw, "highlight") == 0) {
        n->highlight = 1;
        continue;
      }
      const char *mark = pr_default_mark(kw);
      pr_name_more *m = own_more(&bib->mem, n);
      if (m) m->keywords = add_word(&bib->mem, m->keywords, kw);
      if (m && m->keywords && mark) m->marks = add_mark(&bib->mem, m->marks, mark);
      int rc = !m || !m->keywords || !m->marks ? -1 : 0;
      if (!rc && !mark)
        rc = pr_diagx(&bib->diags, PR_WARNING, "annotation-no-mark", e->key, an_field, e->file,
                      line,
                          "%s+an: annotation '%s' has no default mark (give it one with "
                          "'annotations' in pubrender.yml)",
                          pr_name_fields[l->field], kw);
      if (rc) { free(item); return -1; }
    }
    free(item);
  }
  return 0;
}

/* List i of e (i < e->nlists). */
static pr_namelist *list_at(pr_entry *e, size_t i) {
  return i < 2 ? &e->lists[i] : &e->more_lists[i - 2];
}

static int build_list(pr_bib *bib, pr_entry *e, pr_namelist *l, const pr_field *fld) {
  pr_raw_name *raw;
  long n = pr_bt_split_names_in(fld->value, &bib->diags, e->file, fld->line, e->key, fld->name,
                                &raw);
  if (n < 0) return -1;
  l->names = n ? pr_arena_alloc(&bib->mem, (size_t)n * sizeof *l->names) : NULL;
  int rc = n && !l->names ? -1 : 0;
  if (l->names) memset(l->names, 0, (size_t)n * sizeof *l->names);
  for (long i = 0; i < n && rc == 0; i++, l->n++)
    rc = build_name(&bib->mem, &l->names[i], &raw[i]);
  pr_raw_names_free(raw, (size_t)n);
  if (rc) return -1;
  char anfield[32];
  snprintf(anfield, sizeof anfield, "%s+an", pr_name_fields[l->field]);
  const pr_field *an = pr_entry_find_field(e, anfield);
  return an ? apply_annotations(bib, e, l, an->value, an->line) : 0;
}

int pr_entry_build_names(pr_bib *bib, pr_entry *e) {
  /* which name fields it has: one pass over its fields */
  const pr_field *has[PR_NAME_FIELDS] = {0};
  size_t count = 0;
  for (size_t i = 0; i < e->nfields; i++) {
    int k = pr_name_field_index(e->fields[i].name);
    if (k >= 0 && !has[k]) has[k] = &e->fields[i], count++;
  }
  if (count > 2) {
    e->more_lists = pr_arena_alloc(&bib->mem, (count - 2) * sizeof *e->more_lists);
    if (!e->more_lists) return -1;
  }
  e->nlists = 0;
  for (int k = 0; k < PR_NAME_FIELDS; k++) {
    if (!has[k]) continue;
    pr_namelist *l = list_at(e, e->nlists++);
    *l = (pr_namelist){NULL, 0, (unsigned char)k};
    if (build_list(bib, e, l, has[k])) return -1;
  }
  return 0;
}

/* ---- matching ---- */

static size_t first_cp_len(const char *s) {
  unsigned char c = (unsigned char)*s;
  return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Token equal, or one is an initial of the other. */
static int token_match(const char *a, size_t al, const char *b, size_t bl) {
  if (al == bl && memcmp(a, b, al) == 0) return 1;
  size_t ia = first_cp_len(a), ib = first_cp_len(b);
  if (al == ia && al <= bl && memcmp(a, b, al) == 0) return 1;
  if (bl == ib && bl <= al && memcmp(a, b, bl) == 0) return 1;
  return 0;
}


int pr_name_fold(const pr_name *n, char **key, char **first) {
  pr_buf b = {0};
  pr_buf_puts(&b, n->more->von);
  pr_buf_putc(&b, ' ');
  pr_buf_puts(&b, n->last);
  char *k = pr_buf_take(&b), *f = pr_strdup(n->first);
  *key = k ? fold_plain(k) : NULL; /* the parts are plain text already */
  *first = f ? fold_plain(f) : NULL;
  if (*key && *first) return 0;
  free(*key);
  free(*first);
  *key = *first = NULL;
  return -1;
}

/* ---- matching the page owner (README: "How --highlight finds the owner") ----

   A name is compared in a normalized form of its parts: the family (von and
   last) and the given names, each folded as pr_fold folds (LaTeX converted,
   accents stripped, case folded), apostrophes dropped ("D'Angelo" is
   "dangelo"). The family is its words separated by spaces, without the
   particles before its last word ("van Beethoven" is "beethoven"). The given
   names keep what tells initials and hyphens apart: words separated by " ",
   the parts of a hyphenated word by "-", and an abbreviated word (written
   with a period, or one letter) followed by "."; "Tian-Hua" is "tian-hua",
   "T.-H." is "t.-h.", "J. P." and "J.P." are "j. p.". */

/* Particles, folded and without apostrophes ("'t" is "t"). */
static int is_particle(const char *w, size_t n) {
  static const char *const words[] = {
      "van", "von", "vom", "zu", "zum", "zur", "der", "den", "dem", "de", "del", "della",
      "delle", "degli", "dei", "di", "da", "das", "do", "dos", "du", "la", "le", "les", "lo",
      "ten", "ter", "te", "t", "d", "l", "y"};
  for (size_t i = 0; i < sizeof words / sizeof *words; i++)
    if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0) return 1;
  return 0;
}

/* plain with separators made ASCII: '-' for hyphens (also U+2010, U+2011),
   '.', ' ' for every other ASCII punctuation and the no-break space,
   apostrophes (also U+2019) dropped; then folded. malloc'd. */
static char *fold_marked(const char *plain) {
  pr_buf b = {0};
  for (const unsigned char *p = (const unsigned char *)plain; *p; p++) {
    if (*p == '\'') continue;
    if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99) { p += 2; continue; }
    if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x90 || p[2] == 0x91)) {
      pr_buf_putc(&b, '-');
      p += 2;
    } else if (p[0] == 0xc2 && p[1] == 0xa0) {
      pr_buf_putc(&b, ' ');
      p++;
    } else if (*p < 0x80 && !isalnum(*p)) {
      pr_buf_putc(&b, *p == '-' || *p == '.' ? (char)*p : ' ');
    } else {
      pr_buf_putc(&b, (char)*p);
    }
  }
  char *s = pr_buf_take(&b);
  return s ? case_fold(s) : NULL;
}

static int is_sep(char c) { return c == ' ' || c == '-' || c == '.'; }

/* A word of a normalized name. */
typedef struct mtok {
  const char *s;
  size_t len;
  unsigned char abbr, hyph; /* abbreviated; joined to the one before by a hyphen */
} mtok;

#define MAX_TOKS 48

/* The words of a folded, marked string into t (at most MAX_TOKS); their
   count, or -1 when there are more. */
static int tokens(const char *s, mtok *t) {
  int n = 0;
  int hyph = 0;
  for (const char *p = s; *p;) {
    if (is_sep(*p)) {
      if (*p == '-' && n) hyph = 1;
      p++;
      continue;
    }
    size_t len = 0;
    while (p[len] && !is_sep(p[len])) len++;
    if (n == MAX_TOKS) return -1;
    t[n] = (mtok){p, len, (unsigned char)(p[len] == '.' || len == first_cp_len(p)),
                  (unsigned char)hyph};
    n++;
    hyph = 0;
    p += len;
  }
  return n;
}

/* The normalized given names of plain: particles after them dropped when
   written in lower case ("Beethoven, Ludwig van" is "ludwig"), or in any
   case when more particles follow (von: "Guy Van den Broeck" is "guy").
   malloc'd. */
static char *norm_given(const char *plain, int von) {
  char *cut = pr_strdup(plain);
  if (!cut) return NULL;
  for (;;) { /* "Beethoven, Ludwig van": BibTeX leaves "van" with the given names */
    size_t len = strlen(cut);
    while (len && cut[len - 1] == ' ') cut[--len] = '\0';
    char *sp = strrchr(cut, ' ');
    if (!sp || sp == cut || !(von || (sp[1] >= 'a' && sp[1] <= 'z'))) break;
    char w[8];
    size_t wl = strlen(sp + 1), k = 0;
    for (size_t i = 0; i < wl && k < sizeof w; i++)
      if (sp[1 + i] != '\'') w[k++] = (char)(sp[1 + i] | (sp[1 + i] >= 'A' && sp[1 + i] <= 'Z' ? 0x20 : 0));
    if (wl >= sizeof w || !is_particle(w, k)) break;
    *sp = '\0';
  }
  char *f = fold_marked(cut);
  free(cut);
  if (!f) return NULL;
  mtok t[MAX_TOKS];
  int n = tokens(f, t);
  pr_buf b = {0};
  for (int i = 0; i < n; i++) {
    if (i) pr_buf_putc(&b, t[i].hyph ? '-' : ' ');
    pr_buf_put(&b, t[i].s, t[i].len);
    if (t[i].abbr) pr_buf_putc(&b, '.');
  }
  if (n < 0) pr_buf_puts(&b, f); /* too many words: kept, matches itself only */
  free(f);
  char *r = pr_buf_take(&b);
  return r ? r : pr_strdup("");
}

/* The normalized family of von and last: its words, without the particles
   before the last one. malloc'd. */
static char *norm_family(const char *von, const char *last) {
  pr_buf b = {0};
  pr_buf_puts(&b, von);
  pr_buf_putc(&b, ' ');
  pr_buf_puts(&b, last);
  char *joined = pr_buf_take(&b);
  char *f = joined ? fold_marked(joined) : NULL;
  free(joined);
  if (!f) return NULL;
  /* words only: hyphens and periods are spaces here */
  pr_buf o = {0};
  const char *p = f;
  while (*p) {
    while (is_sep(*p)) p++;
    if (!*p) break;
    size_t len = 0;
    while (p[len] && !is_sep(p[len])) len++;
    const char *q = p + len;
    while (is_sep(*q)) q++;
    if (!(*q && is_particle(p, len))) { /* the last word is never a particle */
      if (o.len) pr_buf_putc(&o, ' ');
      pr_buf_put(&o, p, len);
    }
    p += len;
  }
  free(f);
  char *r = pr_buf_take(&o);
  return r ? r : pr_strdup("");
}

int pr_match_key(const char *von, const char *last, const char *first, char **family,
                 char **given) {
  *family = norm_family(von, last);
  *given = norm_given(first, *von != '\0');
  if (*family && *given) return 0;
  free(*family);
  free(*given);
  *family = *given = NULL;
  return -1;
}

int pr_spec_match_key(const char *von, const char *last, const char *first, char **family,
                      char **given) {
  char *v = to_plain(von), *l = to_plain(last), *f = to_plain(first);
  int rc = v && l && f ? pr_match_key(v, l, f, family, given) : -1;
  if (!(v && l && f)) *family = *given = NULL;
  free(v);
  free(l);
  free(f);
  return rc;
}

int pr_name_match_key(const pr_name *n, char **family, char **given) {
  return pr_match_key(n->more->von, n->last, n->first, family, given);
}

const char *pr_family_index(const char *family) {
  const char *sp = strrchr(family, ' ');
  return sp ? sp + 1 : family;
}

/* Codepoints in s[0..n). */
static size_t cps(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i += first_cp_len(s + i)) c++;
  return c;
}

/* Two words the same: equal, or one abbreviated and the start of the
   other ("J." ~ "John", "Ch." ~ "Charles"). */
static int tok_eq(const mtok *a, const mtok *b) {
  if (!a->abbr && !b->abbr) return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
  const mtok *s = a->len <= b->len ? a : b, *l = s == a ? b : a;
  if (!s->abbr) return 0; /* "jo" is no abbreviation of "john" */
  return memcmp(s->s, l->s, s->len) == 0;
}

/* w[0..len) split into pieces of two letters or more, piece k starting
   with the abbreviation t[k] ("tianhua" as "tian" "hua" for "T.-H."). */
static int splits(const char *w, size_t len, const mtok *t, int nt) {
  if (nt == 0) return len == 0;
  if (len < t->len || memcmp(w, t->s, t->len) != 0) return 0;
  if (nt == 1) return cps(w, len) >= 2;
  for (size_t cut = t->len; cut < len; cut += first_cp_len(w + cut))
    if (cps(w, cut) >= 2 && splits(w + cut, len - cut, t + 1, nt - 1)) return 1;
  return 0;
}

/* The written given names w[0..nw) are the owner's s[0..ns): word by word
   (tok_eq), the owner's later given names may be left out ("John Paul" ~
   "John", "J."); words written together or apart are the same ("Tianhua" ~
   "Tian Hua" ~ "Tian-Hua"); hyphenated initials are the parts of one word
   ("T.-H." ~ "Tianhua"). */
static int given_match(const mtok *w, int nw, const mtok *s, int ns, int *budget) {
  if (nw == 0) return ns == 0 || !s->hyph; /* no part of a hyphenated name left out */
  if (ns == 0) { /* middle initials the owner did not give: "Steven Y." ~ "Steven" */
    for (int i = 0; i < nw; i++)
      if (!w[i].abbr || w[i].hyph) return 0;
    return 1;
  }
  if (--*budget < 0) return 0; /* a bound on the tries, whatever the input */
  if (tok_eq(w, s)) {
    if (given_match(w + 1, nw - 1, s + 1, ns - 1, budget)) return 1;
    /* an initial alone stands for a whole hyphenated name ("J." ~ "Jean-Paul") */
    int kw = 1, ks = 1;
    while (kw < nw && w[kw].hyph) kw++;
    while (ks < ns && s[ks].hyph) ks++;
    if (w->abbr && kw == 1 && ks > 1 && given_match(w + 1, nw - 1, s + ks, ns - ks, budget))
      return 1;
    if (s->abbr && ks == 1 && kw > 1 && given_match(w + kw, nw - kw, s + 1, ns - 1, budget))
      return 1;
  }
  for (int pass = 0; pass < 2; pass++) { /* 0: written words joined, 1: the owner's */
    const mtok *a = pass ? s : w, *b = pass ? w : s;
    int na = pass ? ns : nw;
    if (b->abbr) continue;
    /* a[0..k] together are b[0] */
    size_t pos = 0;
    for (int k = 0; k < na && !a[k].abbr && pos + a[k].len <= b->len &&
                    memcmp(b->s + pos, a[k].s, a[k].len) == 0;
         k++) {
      pos += a[k].len;
      if (k > 0 && pos == b->len &&
          (pass ? given_match(w + 1, nw - 1, s + k + 1, ns - k - 1, budget)
                : given_match(w + k + 1, nw - k - 1, s + 1, ns - 1, budget)))
        return 1;
    }
    /* hyphenated initials a[0..k] are the parts of b[0] */
    int k = 1;
    while (k < na && a[0].abbr && a[k].abbr && a[k].hyph) k++;
    if (k > 1 && splits(b->s, b->len, a, k) &&
        (pass ? given_match(w + 1, nw - 1, s + k, ns - k, budget)
              : given_match(w + k, nw - k, s + 1, ns - 1, budget)))
      return 1;
  }
  return 0;
}

/* Words of the family, appended to t after the given ones. */
static int family_tokens(const char *f, mtok *t, int at) {
  for (const char *p = f; *p;) {
    if (*p == ' ') { p++; continue; }
    size_t len = strcspn(p, " ");
    if (at == MAX_TOKS) return -1;
    t[at++] = (mtok){p, len, 0, 0};
    p += len;
  }
  return at;
}

int pr_names_match(const char *family, const char *given, const char *s_family,
                   const char *s_given) {
  pr__folded_match_calls++;
  mtok w[MAX_TOKS], s[MAX_TOKS];
  int wg = tokens(given, w), sg = tokens(s_given, s);
  if (wg < 0 || sg < 0) return 0;
  int wn = family_tokens(family, w, wg), sn = family_tokens(s_family, s, sg);
  if (wn <= wg || sn <= sg) return 0; /* no family */
  /* the family: the longer of the two written, or more of the words both
     end with ("Fidel I. Schaposnik Massolo" ~ "Schaposnik Massolo, Fidel") */
  int least = wn - wg > sn - sg ? wn - wg : sn - sg, common = 0;
  while (common < wn && common < sn) {
    const mtok *a = &w[wn - 1 - common], *b = &s[sn - 1 - common];
    if (a->abbr || b->abbr || a->len != b->len || memcmp(a->s, b->s, a->len) != 0) break;
    common++;
  }
  if (sg == 0) return common >= least; /* the owner gave a family name only */
  int budget = 4096;
  for (int k = least; k <= common; k++) {
    int nw = wn - k, ns = sn - k;
    if (nw == 0 ? ns == 0 : given_match(w, nw, s, ns, &budget)) return 1;
  }
  return 0;
}

int pr_name_matches(const pr_name *n, const char *v_last, const char *v_first) {
  char *family, *given;
  if (n->others || pr_name_match_key(n, &family, &given)) return 0;
  int m = pr_names_match(family, given, v_last, v_first);
  free(family);
  free(given);
  return m;
}

_Thread_local unsigned long long pr__folded_match_calls;

int pr_folded_matches(const char *key, const char *first, const char *v_last,
                      const char *v_first) {
  pr__folded_match_calls++;
  if (strcmp(key, v_last) != 0) return 0;
  const char *a = first, *b = v_first;
  while (*a && *b) {
    size_t al = strcspn(a, " "), bl = strcspn(b, " ");
    if (!token_match(a, al, b, bl)) return 0;
    a += al;
    b += bl;
    while (*a == ' ') a++;
    while (*b == ' ') b++;
  }
  return 1;
}

/* ---- getters ---- */

static const pr_namelist *find_list(const pr_entry *e, const char *field) {
  int k = pr_name_field_index(field);
  for (size_t i = 0; e && k >= 0 && i < e->nlists; i++) {
    const pr_namelist *l = i < 2 ? &e->lists[i] : &e->more_lists[i - 2];
    if (l->field == k) return l;
  }
  return NULL;
}

size_t pr_entry_name_count(const pr_entry *e, const char *field) {
  const pr_namelist *l = find_list(e, field);
  return l ? l->n : 0;
}

const pr_name *pr_entry_name(const pr_entry *e, const char *field, size_t i) {
  const pr_namelist *l = find_list(e, field);
  return l && i < l->n ? &l->names[i] : NULL;
}

size_t pr_entry_name_field_count(const pr_entry *e) { return e ? e->nlists : 0; }

const char *pr_entry_name_field(const pr_entry *e, size_t i) {
  if (!e || i >= e->nlists) return NULL;
  return pr_name_fields[(i < 2 ? &e->lists[i] : &e->more_lists[i - 2])->field];
}

const char *pr_name_first(const pr_name *n) { return n ? n->first : NULL; }
const char *pr_name_von(const pr_name *n) { return n ? n->more->von : NULL; }
const char *pr_name_last(const pr_name *n) { return n ? n->last : NULL; }
const char *pr_name_jr(const pr_name *n) { return n ? n->more->jr : NULL; }
const char *pr_name_display(const pr_name *n) { return n ? n->display : NULL; }
const char *pr_name_marks(const pr_name *n) { return n ? n->more->marks : NULL; }
int pr_name_is_others(const pr_name *n) { return n ? n->others : 0; }
int pr_name_annotated_highlight(const pr_name *n) { return n ? n->highlight : 0; }
