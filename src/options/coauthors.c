/* coauthors.c - the lookup tables behind al-folio's data files: venues
   (abbr -> url, colour) and co-authors (folded last name -> first-name
   variants and url), plus the option fields the configuration adds and
   their setters. The YAML side is in config.c. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "options/options.h"

/* ---- venues ---- */

struct pr_venue_table {
  pr_map index;          /* abbr as written -> position in v */
  pr_venue *v;
  size_t n, cap;
  char *file;            /* the file they were read from */
};

/* *file = a copy of name unless it has one; 0, or -1 when out of memory. */
static int set_file(char **file, const char *name) {
  if (!*file && name) *file = pr_strdup(name);
  return name && !*file ? -1 : 0;
}

pr_venue_table *pr_venue_table_new(void) { return calloc(1, sizeof(pr_venue_table)); }

void pr_venue_table_free(pr_venue_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    free(t->v[i].url);
    free(t->v[i].color);
  }
  free(t->v);
  free(t->file);
  pr_map_free(&t->index);
  free(t);
}

int pr_venue_table_put(pr_venue_table *t, const char *abbr, const char *url, const char *color,
                       const char *file, unsigned url_line) {
  pr_venue nv = {url ? pr_strdup(url) : NULL, color ? pr_strdup(color) : NULL, url_line};
  if ((url && !nv.url) || (color && !nv.color) || set_file(&t->file, file)) goto fail;
  size_t i;
  if (pr_map_get(&t->index, abbr, &i)) { /* a later one replaces it */
    free(t->v[i].url);
    free(t->v[i].color);
    t->v[i] = nv;
    return 0;
  }
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    pr_venue *v = realloc(t->v, cap * sizeof *v);
    if (!v) goto fail;
    t->v = v;
    t->cap = cap;
  }
  if (pr_map_put(&t->index, abbr, t->n)) goto fail;
  t->v[t->n++] = nv;
  return 0;
fail:
  free(nv.url);
  free(nv.color);
  return -1;
}

const pr_venue *pr_venue_find(const pr_options *o, const char *abbr) {
  size_t i;
  if (!o || !o->venues || !abbr || !pr_map_get(&o->venues->index, abbr, &i)) return NULL;
  return &o->venues->v[i];
}

/* ---- co-authors ---- */

typedef struct coauthor {
  char **firsts;         /* folded first-name variants */
  size_t nfirsts;
  char *url;
  unsigned url_line;     /* its line in the file */
  size_t next;           /* next entry under the same last name, or SIZE_MAX */
} coauthor;

struct pr_coauthor_table {
  pr_map index;          /* folded last name -> first entry */
  coauthor *v;
  size_t n, cap;
  size_t *tail;          /* per entry: the last of its chain (valid for chain heads) */
  char *file;            /* the file they were read from */
};

pr_coauthor_table *pr_coauthor_table_new(void) { return calloc(1, sizeof(pr_coauthor_table)); }

void pr_coauthor_table_free(pr_coauthor_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n; i++) {
    for (size_t j = 0; j < t->v[i].nfirsts; j++) free(t->v[i].firsts[j]);
    free(t->v[i].firsts);
    free(t->v[i].url);
  }
  free(t->v);
  free(t->tail);
  free(t->file);
  pr_map_free(&t->index);
  free(t);
}

int pr_coauthor_table_add(pr_coauthor_table *t, const char *last, const char *const *firsts,
                          size_t nfirsts, const char *url, const char *file,
                          unsigned url_line) {
  char *key = pr_fold(last);
  coauthor c = {nfirsts ? calloc(nfirsts, sizeof(char *)) : NULL, 0, pr_strdup(url), url_line,
                SIZE_MAX};
  if (!key || (nfirsts && !c.firsts) || !c.url || set_file(&t->file, file)) goto fail;
  for (; c.nfirsts < nfirsts; c.nfirsts++)
    if (!(c.firsts[c.nfirsts] = pr_fold(firsts[c.nfirsts]))) goto fail;
  if (t->n == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 16;
    coauthor *v = realloc(t->v, cap * sizeof *v);
    if (v) t->v = v;
    size_t *tail = realloc(t->tail, cap * sizeof *tail);
    if (tail) t->tail = tail;
    if (!v || !tail) goto fail;
    t->cap = cap;
  }
  size_t head;
  if (pr_map_get(&t->index, key, &head)) {     /* file order within a last name */
    t->v[t->tail[head]].next = t->n;
    t->tail[head] = t->n;
  } else {
    if (pr_map_put(&t->index, key, t->n)) goto fail;
    t->tail[t->n] = t->n;
  }
  t->v[t->n++] = c;
  free(key);
  return 0;
fail:
  for (size_t j = 0; j < c.nfirsts; j++) free(c.firsts[j]);
  free(c.firsts);
  free(c.url);
  free(key);
  return -1;
}

/* The entry for n among the chain starting at head: a variant equal to the
   folded first name wins; else the first whose variant matches by initials
   (pr_name_matches' rule: "J. S." ~ "Johann Sebastian", "B." ~ "Boris"). */
static const char *match_chain(const pr_coauthor_table *t, size_t head, const char *key,
                               const char *first) {
  for (size_t i = head; i != SIZE_MAX; i = t->v[i].next)
    for (size_t j = 0; j < t->v[i].nfirsts; j++)
      if (strcmp(t->v[i].firsts[j], first) == 0) return t->v[i].url;
  for (size_t i = head; i != SIZE_MAX; i = t->v[i].next)
    for (size_t j = 0; j < t->v[i].nfirsts; j++)
      if (*t->v[i].firsts[j] && pr_folded_matches(key, first, key, t->v[i].firsts[j]))
        return t->v[i].url;
  return NULL;
}

const char *pr_coauthor_url(const pr_options *o, const pr_name *n) {
  char *key, *first;
  if (!o || !o->coauthors || !n || n->others || pr_name_fold(n, &key, &first)) return NULL;
  const pr_coauthor_table *t = o->coauthors;
  const char *url = NULL;
  size_t head;
  /* al-folio's key is the last name; von+last (the folded match key) first,
     so "van Beethoven" can be keyed either way */
  if (*first && pr_map_get(&t->index, key, &head)) url = match_chain(t, head, key, first);
  if (*first && !url && *n->more->von) {
    char *last = pr_fold(n->last);
    if (last && pr_map_get(&t->index, last, &head)) url = match_chain(t, head, key, first);
    free(last);
  }
  free(key);
  free(first);
  return url;
}

int pr_data_urls(const pr_options *o, int venues, int coauthors, pr_data_url_fn fn, void *ctx) {
  const pr_venue_table *vt = venues && o ? o->venues : NULL;
  const pr_coauthor_table *ct = coauthors && o ? o->coauthors : NULL;
  int r = 0;
  for (size_t i = 0; vt && i < vt->n && !r; i++)
    if (vt->v[i].url) r = fn(ctx, vt->file, vt->v[i].url_line, "venue", vt->v[i].url);
  for (size_t i = 0; ct && i < ct->n && !r; i++)
    r = fn(ctx, ct->file, ct->v[i].url_line, "co-author", ct->v[i].url);
  return r;
}

/* ---- the option fields of the configuration ---- */

pr_status pr_options_set_max_authors(pr_options *o, int n) {
  if (!o || n < 0) return PR_ERR_ARG;
  o->max_authors = n;
  return PR_OK;
}

static pr_status set_string(char **field, const char *s) {
  char *c = NULL;
  if (s && !(c = pr_strdup(s))) return PR_ERR_NOMEM;
  free(*field);
  *field = c;
  return PR_OK;
}

/* A link prefix goes into every output's links: invalid UTF-8 in it (from
   the command line or a caller) reads as U+FFFD, as in a .bib. */
static pr_status set_prefix(char **field, const char *s) {
  char *fixed = s ? pr_utf8_repair(s) : NULL;
  pr_status st = set_string(field, fixed ? fixed : s);
  free(fixed);
  return st;
}

pr_status pr_options_set_link_prefix(pr_options *o, const char *prefix) {
  if (!o) return PR_ERR_ARG;
  return set_prefix(&o->link_prefix, prefix && *prefix ? prefix : NULL);
}

pr_status pr_options_set_field_link_prefix(pr_options *o, const char *field, const char *prefix) {
  if (!o || !field || !*field) return PR_ERR_ARG;
  size_t i = 0;
  while (i < o->nfield_prefixes && strcmp(o->field_prefixes[i].mark, field) != 0) i++;
  if (i == o->nfield_prefixes) {
    if (!prefix || !*prefix) return PR_OK;
    pr_legend *v = realloc(o->field_prefixes, (i + 1) * sizeof *v);
    if (!v) return PR_ERR_NOMEM;
    o->field_prefixes = v;
    v[i].mark = pr_strdup(field);
    v[i].text = NULL;
    if (!v[i].mark) return PR_ERR_NOMEM;
    o->nfield_prefixes++;
  }
  return set_prefix(&o->field_prefixes[i].text, prefix && *prefix ? prefix : NULL);
}

const char *pr_link_prefix_for(const pr_options *o, const char *field) {
  for (size_t i = 0; i < o->nfield_prefixes; i++)
    if (strcmp(o->field_prefixes[i].mark, field) == 0 && o->field_prefixes[i].text)
      return o->field_prefixes[i].text;
  return o->link_prefix;
}

pr_status pr_options_set_template_dir(pr_options *o, const char *dir, pr_error *err) {
  if (!o) {
    pr_set_error(err, PR_ERR_ARG, "", 0, "no options");
    return PR_ERR_ARG;
  }
  if (dir && *dir) { /* a directory that can be listed, or nothing changes */
    struct stat sb;
    DIR *d = NULL;
    const char *why = NULL;
    int e = 0;
    if (stat(dir, &sb) != 0) e = errno;
    else if (!S_ISDIR(sb.st_mode)) why = "not a directory";
    else if (!(d = opendir(dir))) e = errno;
    if (d) closedir(d);
    if (e || why) {
      pr_set_error(err, PR_ERR_IO, dir, 0, "template directory: %s", why ? why : strerror(e));
      return PR_ERR_IO;
    }
  }
  pr_status st = set_string(&o->template_dir, dir && *dir ? dir : NULL);
  if (st) pr_set_error(err, st, dir ? dir : "", 0, "out of memory");
  return st;
}

pr_status pr_options_set_encoding(pr_options *o, pr_encoding enc) {
  if (!o || (enc != PR_ENCODING_UTF8 && enc != PR_ENCODING_LATIN1)) return PR_ERR_ARG;
  o->encoding = enc;
  o->encoding_set = 1;
  return PR_OK;
}

int pr_options_get_encoding(const pr_options *o, pr_encoding *enc) {
  if (!o || !o->encoding_set) return 0;
  if (enc) *enc = o->encoding;
  return 1;
}

pr_status pr_options_set_string_scope(pr_options *o, pr_string_scope scope) {
  if (!o || (scope != PR_STRINGS_SHARED && scope != PR_STRINGS_PER_FILE)) return PR_ERR_ARG;
  o->string_scope = scope;
  o->string_scope_set = 1;
  return PR_OK;
}

int pr_options_get_string_scope(const pr_options *o, pr_string_scope *scope) {
  if (!o || !o->string_scope_set) return 0;
  if (scope) *scope = o->string_scope;
  return 1;
}

pr_status pr_options_set_annotation(pr_options *o, const char *keyword, const char *mark) {
  if (!o || !keyword || !*keyword || (mark && !*mark)) return PR_ERR_ARG;
  size_t i = 0;
  while (i < o->nannotations && strcmp(o->annotations[i].keyword, keyword) != 0) i++;
  if (i < o->nannotations) {
    if (!mark) { /* remove */
      free(o->annotations[i].keyword);
      free(o->annotations[i].mark);
      memmove(&o->annotations[i], &o->annotations[i + 1],
              (o->nannotations - i - 1) * sizeof *o->annotations);
      o->nannotations--;
      return PR_OK;
    }
    return set_string(&o->annotations[i].mark, mark);
  }
  if (!mark) return PR_OK;
  pr_annotation *v = realloc(o->annotations, (o->nannotations + 1) * sizeof *v);
  if (!v) return PR_ERR_NOMEM;
  o->annotations = v;
  pr_annotation a = {pr_strdup(keyword), pr_strdup(mark)};
  if (!a.keyword || !a.mark) {
    free(a.keyword);
    free(a.mark);
    return PR_ERR_NOMEM;
  }
  o->annotations[o->nannotations++] = a;
  return PR_OK;
}

const char *pr_annotation_mark(const pr_options *o, const char *keyword) {
  for (size_t i = 0; o && keyword && i < o->nannotations; i++)
    if (strcmp(o->annotations[i].keyword, keyword) == 0) return o->annotations[i].mark;
  return NULL;
}

int pr_options_add_file(pr_options *o, const char *path) {
  for (size_t i = 0; i < o->nfiles; i++)
    if (strcmp(o->files[i], path) == 0) return 0;
  char **v = realloc(o->files, (o->nfiles + 1) * sizeof *v);
  if (!v) return -1;
  o->files = v;
  if (!(v[o->nfiles] = pr_strdup(path))) return -1;
  o->nfiles++;
  return 0;
}

size_t pr_options_file_count(const pr_options *o) { return o ? o->nfiles : 0; }

const char *pr_options_file(const pr_options *o, size_t i) {
  return o && i < o->nfiles ? o->files[i] : NULL;
}

void pr_options_free_config(pr_options *o) {
  free(o->link_prefix);
  for (size_t i = 0; i < o->nfield_prefixes; i++) {
    free(o->field_prefixes[i].mark);
    free(o->field_prefixes[i].text);
  }
  free(o->field_prefixes);
  free(o->template_dir);
  for (size_t i = 0; i < o->nannotations; i++) {
    free(o->annotations[i].keyword);
    free(o->annotations[i].mark);
  }
  free(o->annotations);
  pr_venue_table_free(o->venues);
  pr_coauthor_table_free(o->coauthors);
  for (size_t i = 0; i < o->nfiles; i++) free(o->files[i]);
  free(o->files);
}
