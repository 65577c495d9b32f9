#define _POSIX_C_SOURCE 200809L
/* names.c - author/editor lists: parts as text, contribution marks,
   biblatex +an annotations, folding and matching for highlighting. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "internal.h"
#include "text.h"

static const char *const name_fields[] = {"author", "editor"};

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

/* Plain text (taken) folded: accents stripped, case folded, punctuation
   and spaces to single spaces. */
static char *fold_plain(char *plain) {
  char *s = plain;
  int ascii = 1;
  for (const char *p = plain; *p && ascii; p++) ascii = (unsigned char)*p < 0x80;
  if (ascii) { /* what utf8proc's case folding does to ASCII, without a copy */
    for (char *p = plain; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
  } else {
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)plain, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD);
    if (n < 0) return plain; /* cannot happen on the converter's valid UTF-8 */
    free(plain);
    s = (char *)folded;
  }
  /* ASCII punctuation and spaces (incl. no-break space) to single spaces */
  size_t o = 0;
  for (size_t i = 0; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
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

static const char *default_mark(const char *kw) {
  for (size_t k = 0; k < sizeof default_kws / sizeof *default_kws; k++)
    if (strcmp(default_kws[k].kw, kw) == 0) return default_kws[k].mark;
  return NULL;
}

static int apply_annotations(pr_bib *bib, pr_entry *e, pr_namelist *l, const char *an,
                             unsigned line) {
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
      int rc = pr_bib_diagf(bib, PR_WARNING, e->file, line,
                            "%s+an: '%s' does not name an item of the list", l->field, item);
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
      const char *mark = default_mark(kw);
      pr_name_more *m = own_more(&bib->mem, n);
      if (m) m->keywords = add_word(&bib->mem, m->keywords, kw);
      if (m && m->keywords && mark) m->marks = add_mark(&bib->mem, m->marks, mark);
      int rc = !m || !m->keywords || !m->marks ? -1 : 0;
      if (!rc && !mark)
        rc = pr_bib_diagf(bib, PR_WARNING, e->file, line,
                          "%s+an: annotation '%s' has no default mark (give it one with "
                          "'annotations' in pubrender.yml)",
                          l->field, kw);
      if (rc) { free(item); return -1; }
    }
    free(item);
  }
  return 0;
}

int pr_entry_build_names(pr_bib *bib, pr_entry *e) {
  for (size_t f = 0; f < sizeof name_fields / sizeof *name_fields; f++) {
    const pr_field *fld = pr_entry_find_field(e, name_fields[f]);
    if (!fld) continue;
    pr_raw_name *raw;
    long n = pr_bt_split_names_in(fld->value, bib, e->file, fld->line, e->key, fld->name, &raw);
    if (n < 0) return -1;
    pr_namelist *l = &e->lists[e->nlists++];
    l->field = name_fields[f];
    l->names = n ? pr_arena_alloc(&bib->mem, (size_t)n * sizeof *l->names) : NULL;
    int rc = n && !l->names ? -1 : 0;
    if (l->names) memset(l->names, 0, (size_t)n * sizeof *l->names);
    for (long i = 0; i < n && rc == 0; i++, l->n++)
      rc = build_name(&bib->mem, &l->names[i], &raw[i]);
    pr_raw_names_free(raw, (size_t)n);
    if (rc) return -1;
    char anfield[32];
    snprintf(anfield, sizeof anfield, "%s+an", name_fields[f]);
    const pr_field *an = pr_entry_find_field(e, anfield);
    if (an && apply_annotations(bib, e, l, an->value, an->line)) return -1;
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

const char *pr_name_marks_for(const pr_options *o, const pr_name *n, pr_buf *scratch) {
  if (!o || !o->nannotations || !n->more->keywords) return n->more->marks;
  pr_buf_free(scratch);
  pr_buf_puts(scratch, n->more->written);
  char *kws = pr_strdup(n->more->keywords), *save = NULL;
  for (char *kw = kws ? strtok_r(kws, " ", &save) : NULL; kw; kw = strtok_r(NULL, " ", &save)) {
    const char *mark = pr_annotation_mark(o, kw);
    if (!mark) mark = default_mark(kw);
    if (mark && !(scratch->data && strstr(scratch->data, mark))) pr_buf_puts(scratch, mark);
  }
  free(kws);
  return scratch->data && !scratch->failed ? scratch->data : "";
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

int pr_name_matches(const pr_name *n, const char *v_last, const char *v_first) {
  char *key, *first;
  if (n->others || pr_name_fold(n, &key, &first)) return 0;
  int m = pr_folded_matches(key, first, v_last, v_first);
  free(key);
  free(first);
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
  for (size_t i = 0; e && field && i < e->nlists; i++)
    if (strcmp(e->lists[i].field, field) == 0) return &e->lists[i];
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

const char *pr_name_first(const pr_name *n) { return n ? n->first : NULL; }
const char *pr_name_von(const pr_name *n) { return n ? n->more->von : NULL; }
const char *pr_name_last(const pr_name *n) { return n ? n->last : NULL; }
const char *pr_name_jr(const pr_name *n) { return n ? n->more->jr : NULL; }
const char *pr_name_display(const pr_name *n) { return n ? n->display : NULL; }
const char *pr_name_marks(const pr_name *n) { return n ? n->more->marks : NULL; }
int pr_name_is_others(const pr_name *n) { return n ? n->others : 0; }
int pr_name_annotated_highlight(const pr_name *n) { return n ? n->highlight : 0; }
