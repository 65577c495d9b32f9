/* config.c - YAML files read with libyaml's document API: pubrender.yml
   (every option under its long command-line name) and al-folio's data
   files, venues.yml and coauthors.yml. Every error names the file and the
   1-based line and column of the offending key or value. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>
#include "internal.h"
#include "readfile.h"

/* ---- errors ---- */

static void set_error_v(pr_error *err, pr_status code, const char *source, unsigned line,
                        unsigned column, const char *fmt, va_list ap) {
  if (!err) return;
  err->code = code;
  err->line = line;
  err->column = column;
  snprintf(err->source, sizeof err->source, "%s", source ? source : "");
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  pr_error_escape(err); /* messages quote YAML values: no control characters */
}

/* ---- reading files ---- */

/* A configuration or data file: a regular file of at most 16 MiB. */
static pr_status read_file(const char *path, char **data, size_t *len, pr_error *err) {
  char why[200];
  if (pr_read_whole(path, PR_READ_MAX_SMALL, data, len, why, sizeof why) == 0) return PR_OK;
  pr_status st = errno == ENOMEM ? PR_ERR_NOMEM : PR_ERR_IO;
  pr_set_error(err, st, path, 0, "%s", why);
  return st;
}

/* ---- a loaded YAML document ---- */

typedef struct ydoc {
  yaml_document_t doc;
  int loaded;
  const char *data;
  size_t len;
  const char *source;            /* name in errors */
  unsigned char *entered;        /* per node: collection already walked (an alias) */
  pr_error *err;
} ydoc;

static pr_status fail_mark(ydoc *y, pr_status code, yaml_mark_t m, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static pr_status fail_mark(ydoc *y, pr_status code, yaml_mark_t m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_error_v(y->err, code, y->source, (unsigned)m.line + 1, (unsigned)m.column + 1, fmt, ap);
  va_end(ap);
  return code;
}

#define fail_at(y, node, ...) fail_mark((y), PR_ERR_INPUT, (node)->start_mark, __VA_ARGS__)

static pr_status nomem(ydoc *y) {
  pr_set_error(y->err, PR_ERR_NOMEM, y->source, 0, "out of memory");
  return PR_ERR_NOMEM;
}

/* Line and column (1-based, in characters) of a byte offset. */
static void offset_position(const char *data, size_t len, size_t off, unsigned *line,
                            unsigned *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off && i < len; i++) {
    if (data[i] == '\n') {
      ++*line;
      *col = 1;
    } else if (((unsigned char)data[i] & 0xc0) != 0x80) {
      ++*col;
    }
  }
}

static pr_status parser_error(ydoc *y, yaml_parser_t *p) {
  if (p->error == YAML_MEMORY_ERROR) return nomem(y);
  if (p->error == YAML_READER_ERROR) {
    unsigned line, col;
    offset_position(y->data, y->len, p->problem_offset, &line, &col);
    pr_set_error(y->err, PR_ERR_INPUT, y->source, line, "YAML: %s",
                 p->problem ? p->problem : "cannot read the text");
    if (y->err) y->err->column = col;
    return PR_ERR_INPUT;
  }
  yaml_mark_t m = p->problem_mark;
  if (p->context)
    return fail_mark(y, PR_ERR_INPUT, m, "YAML syntax error: %s (%s that starts at line %lu, column %lu)",
                     p->problem ? p->problem : "?", p->context,
                     (unsigned long)p->context_mark.line + 1,
                     (unsigned long)p->context_mark.column + 1);
  return fail_mark(y, PR_ERR_INPUT, m, "YAML syntax error: %s", p->problem ? p->problem : "?");
}

/* ---- what aliases expand to ----
   libyaml's document shares an aliased node, but everything that walks it
   (the loaders below, the setters they call) copies its text once per use:
   a 180 KB file of aliases of a long scalar would become gigabytes. So the
   event stream is read once before loading, with each alias counted as a
   copy of the node it names; past the limits it is an error at the alias.
   Aliases of lists and mappings are refused later in any case (enter()). */
#define PR_YAML_MAX_NODES 1000000u            /* nodes, aliases expanded */
#define PR_YAML_MAX_TEXT ((size_t)16 << 20)   /* bytes of scalar text, aliases expanded */

typedef struct ysize {
  size_t nodes, bytes;
} ysize;

typedef struct yframe {   /* an open list or mapping */
  ysize size;
  size_t anchor;          /* index in the anchor table + 1, or 0 */
} yframe;

typedef struct yexpand {
  pr_map names;           /* anchor name -> index in sizes */
  ysize *sizes;           /* per anchor: its node's expanded size; nodes 0 while open */
  size_t nsizes;
  yframe *stack;
  size_t depth, cap;
  ysize total;
} yexpand;

static void ysize_add(ysize *to, ysize n) {
  to->nodes += n.nodes;
  to->bytes += n.bytes;
}

/* Count n where the event stands: in the open collection and in the total. */
static void yexpand_add(yexpand *x, ysize n) {
  if (x->depth) ysize_add(&x->stack[x->depth - 1].size, n);
  ysize_add(&x->total, n);
}

/* An anchor (re)defined: its slot, +1 (0 when out of memory). */
static size_t yexpand_anchor(yexpand *x, const char *name, ysize size) {
  size_t i;
  if (!pr_map_get(&x->names, name, &i)) {
    ysize *v = realloc(x->sizes, (x->nsizes + 1) * sizeof *v);
    if (!v) return 0;
    x->sizes = v;
    i = x->nsizes++;
    if (pr_map_put(&x->names, name, i)) return 0;
  }
  x->sizes[i] = size;
  return i + 1;
}

static pr_status check_expansion(ydoc *y, const char *data, size_t len) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) return nomem(y);
  yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
  yexpand x = {0};
  pr_status st = PR_OK;
  for (int done = 0; !done && st == PR_OK;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) break;   /* yaml_parser_load reports it */
    ysize one = {1, 0};
    const char *anchor = NULL;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT: done = 1; break;
    case YAML_SCALAR_EVENT:
      one.bytes = ev.data.scalar.length;
      yexpand_add(&x, one);
      if (ev.data.scalar.anchor && !yexpand_anchor(&x, (const char *)ev.data.scalar.anchor, one))
        st = nomem(y);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      anchor = (const char *)(ev.type == YAML_SEQUENCE_START_EVENT ? ev.data.sequence_start.anchor
                                                                    : ev.data.mapping_start.anchor);
      ysize_add(&x.total, one);  /* its frame takes it to the parent when it ends */
      if (x.depth == x.cap) {
        size_t cap = x.cap ? 2 * x.cap : 16;
        yframe *v = realloc(x.stack, cap * sizeof *v);
        if (!v) { st = nomem(y); break; }
        x.stack = v;
        x.cap = cap;
      }
      x.stack[x.depth] = (yframe){{1, 0}, 0};
      /* open: an alias of it inside it is refused below */
      if (anchor && !(x.stack[x.depth].anchor = yexpand_anchor(&x, anchor, (ysize){0, 0})))
        st = nomem(y);
      x.depth++;
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      if (x.depth) {
        yframe *f = &x.stack[--x.depth];
        if (f->anchor) x.sizes[f->anchor - 1] = f->size;
        if (x.depth) ysize_add(&x.stack[x.depth - 1].size, f->size);
      }
      break;
    case YAML_ALIAS_EVENT: {
      size_t i;
      if (!pr_map_get(&x.names, (const char *)ev.data.alias.anchor, &i)) break; /* load says */
      if (!x.sizes[i].nodes) {
        st = fail_mark(y, PR_ERR_INPUT, ev.start_mark, "an alias inside the node it names");
        break;
      }
      yexpand_add(&x, x.sizes[i]);   /* a copy of what it names */
      break;
    }
    default: break;
    }
    if (st == PR_OK && x.total.nodes > PR_YAML_MAX_NODES)
      st = fail_mark(y, PR_ERR_INPUT, ev.start_mark,
                     "aliases expand the file to more than %u nodes", PR_YAML_MAX_NODES);
    else if (st == PR_OK && x.total.bytes > PR_YAML_MAX_TEXT)
      st = fail_mark(y, PR_ERR_INPUT, ev.start_mark,
                     "aliases expand the file to more than %zu MiB of text", PR_YAML_MAX_TEXT >> 20);
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&p);
  pr_map_free(&x.names);
  free(x.sizes);
  free(x.stack);
  return st;
}

/* Parse data (len bytes) as one YAML document. */
static pr_status yload(ydoc *y, const char *data, size_t len, const char *source, pr_error *err) {
  memset(y, 0, sizeof *y);
  y->data = data;
  y->len = len;
  y->source = source;
  y->err = err;
  pr_status st = check_expansion(y, data, len);
  if (st != PR_OK) return st;
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) return nomem(y);
  yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
  if (!yaml_parser_load(&p, &y->doc)) {
    st = parser_error(y, &p);
  } else {
    y->loaded = 1;
    yaml_document_t next;   /* a second document is not read: say so */
    if (!yaml_parser_load(&p, &next)) {
      st = parser_error(y, &p);
    } else {
      yaml_node_t *root = yaml_document_get_root_node(&next);
      if (root)
        st = fail_mark(y, PR_ERR_INPUT, next.start_mark,
                       "a second YAML document: the file must hold one");
      yaml_document_delete(&next);
    }
  }
  yaml_parser_delete(&p);
  if (st == PR_OK) {
    size_t n = (size_t)(y->doc.nodes.top - y->doc.nodes.start);
    y->entered = calloc(n ? n : 1, 1);
    if (!y->entered) st = nomem(y);
  }
  return st;
}

static void yfree(ydoc *y) {
  if (y->loaded) yaml_document_delete(&y->doc);
  free(y->entered);
  y->loaded = 0;
  y->entered = NULL;
}

static yaml_node_t *ynode(ydoc *y, int id) { return yaml_document_get_node(&y->doc, id); }

static int is_null(const yaml_node_t *n) {
  if (!n) return 1;
  if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return 0;
  const char *v = (const char *)n->data.scalar.value;
  return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

static int is_string(const yaml_node_t *n) { return n->type == YAML_SCALAR_NODE && !is_null(n); }

/* What a node is, for "must be X, not Y": 'text', a list, a mapping, empty. */
static const char *describe(const yaml_node_t *n, char *buf, size_t size) {
  if (is_null(n)) return "empty";
  if (n->type == YAML_SEQUENCE_NODE) return "a list";
  if (n->type == YAML_MAPPING_NODE) return "a mapping";
  const char *v = (const char *)n->data.scalar.value;
  size_t len = n->data.scalar.length, cut = len > 40 ? 40 : len;
  while (cut < len && cut > 0 && ((unsigned char)v[cut] & 0xc0) == 0x80) cut--;
  snprintf(buf, size, "'%.*s%s'", (int)cut, v, cut < len ? "..." : "");
  return buf;
}

/* A collection node may be walked once: a second time it is an alias, which
   could multiply the work (a "billion laughs"), so it is refused. */
static pr_status enter(ydoc *y, yaml_node_t *n) {
  size_t i = (size_t)(n - y->doc.nodes.start);
  if (y->entered[i])
    return fail_at(y, n, "an alias of a list or mapping is not supported here");
  y->entered[i] = 1;
  return PR_OK;
}

/* A scalar's text, malloc'd; a NUL inside is an error. */
static pr_status scalar_dup(ydoc *y, yaml_node_t *n, char **out) {
  const char *v = (const char *)n->data.scalar.value;
  size_t len = n->data.scalar.length;
  if (memchr(v, '\0', len)) return fail_at(y, n, "a NUL character is not allowed");
  if (!(*out = pr_strndup(v, len))) return nomem(y);
  return PR_OK;
}

/* The key of a mapping pair as text; duplicates (seen: key -> line) are errors. */
static pr_status pair_key(ydoc *y, yaml_node_pair_t *pair, pr_map *seen, const char *what,
                          yaml_node_t **knode, const char **key) {
  yaml_node_t *k = ynode(y, pair->key);
  char buf[64];
  *knode = k;
  if (!is_string(k)) return fail_at(y, k, "%s must be text, not %s", what, describe(k, buf, sizeof buf));
  *key = (const char *)k->data.scalar.value;
  if (memchr(*key, '\0', k->data.scalar.length))
    return fail_at(y, k, "a NUL character is not allowed");
  size_t line;
  if (pr_map_get(seen, *key, &line))
    return fail_at(y, k, "duplicate key '%s' (first at line %zu)", *key, line);
  if (pr_map_put(seen, *key, (size_t)k->start_mark.line + 1)) return nomem(y);
  return PR_OK;
}

/* ---- venues.yml ---- */

static pr_status venues_from(ydoc *y, pr_venue_table *t) {
  yaml_node_t *root = yaml_document_get_root_node(&y->doc);
  char buf[64];
  if (!root || is_null(root)) return PR_OK;
  if (root->type != YAML_MAPPING_NODE)
    return fail_at(y, root, "a venues file is a mapping of abbr to {url, color}, not %s",
                   describe(root, buf, sizeof buf));
  pr_status st = enter(y, root);
  pr_map seen = {0};
  for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
       st == PR_OK && pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k, *v = ynode(y, pr->value);
    const char *abbr;
    if ((st = pair_key(y, pr, &seen, "an abbr", &k, &abbr))) break;
    char *url = NULL, *color = NULL;
    unsigned url_line = 0;
    if (!is_null(v) && v->type != YAML_MAPPING_NODE) {
      st = fail_at(y, v, "venue '%s' must be a mapping with url and color, not %s", abbr,
                   describe(v, buf, sizeof buf));
      break;
    }
    if (v->type == YAML_MAPPING_NODE && !(st = enter(y, v))) {
      for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
           st == PR_OK && q < v->data.mapping.pairs.top; q++) {
        yaml_node_t *qk = ynode(y, q->key), *qv = ynode(y, q->value);
        if (qk->type != YAML_SCALAR_NODE) continue;
        const char *name = (const char *)qk->data.scalar.value;
        char **dst = !strcmp(name, "url") ? &url : !strcmp(name, "color") ? &color : NULL;
        if (!dst || is_null(qv)) continue;   /* other keys are not al-folio's: ignored */
        if (qv->type != YAML_SCALAR_NODE) {
          st = fail_at(y, qv, "'%s' of venue '%s' must be text, not %s", name, abbr,
                       describe(qv, buf, sizeof buf));
          break;
        }
        free(*dst);
        *dst = NULL;
        st = scalar_dup(y, qv, dst);
        if (dst == &url) url_line = (unsigned)qv->start_mark.line + 1;
      }
    }
    if (st == PR_OK && pr_venue_table_put(t, abbr, url, color, y->source, url_line)) st = nomem(y);
    free(url);
    free(color);
  }
  pr_map_free(&seen);
  return st;
}

/* A data file read into a new table that replaces o's only when the whole
   file was good (venues and co-authors work alike). */
typedef struct table_kind {
  void *(*make)(void);
  void (*release)(void *);
  pr_status (*fill)(ydoc *y, void *table);
} table_kind;

static pr_status load_table(const table_kind *k, void **slot, const char *data, size_t len,
                            const char *name, pr_error *err) {
  if (!name) name = "<buffer>";
  if (!data && len) {
    pr_set_error(err, PR_ERR_ARG, name, 0, "no options or no data");
    return PR_ERR_ARG;
  }
  ydoc y;
  void *t = k->make();
  pr_status st = yload(&y, data ? data : "", len, name, err);
  if (!t && st == PR_OK) st = nomem(&y);
  if (st == PR_OK) st = k->fill(&y, t);
  yfree(&y);
  if (st != PR_OK) {
    k->release(t);
    return st;
  }
  k->release(*slot);
  *slot = t;
  return PR_OK;
}

static void *venues_make(void) { return pr_venue_table_new(); }
static void venues_release(void *t) { pr_venue_table_free(t); }
static pr_status venues_fill(ydoc *y, void *t) { return venues_from(y, t); }
static const table_kind venue_kind = {venues_make, venues_release, venues_fill};

pr_status pr_options_load_venues_buffer(pr_options *o, const char *data, size_t len,
                                        const char *name, pr_error *err) {
  if (!o) return PR_ERR_ARG;
  void *slot = o->venues;
  pr_status st = load_table(&venue_kind, &slot, data, len, name, err);
  o->venues = slot;
  return st;
}

/* ---- coauthors.yml ---- */

static pr_status coauthor_item(ydoc *y, pr_coauthor_table *t, const char *last, yaml_node_t *item) {
  char buf[64];
  if (item->type != YAML_MAPPING_NODE)
    return fail_at(y, item, "a co-author under '%s' must be a mapping with firstname and url, not %s",
                   last, describe(item, buf, sizeof buf));
  pr_status st = enter(y, item);
  yaml_node_t *first = NULL, *url = NULL;
  for (yaml_node_pair_t *q = item->data.mapping.pairs.start; st == PR_OK && q < item->data.mapping.pairs.top; q++) {
    yaml_node_t *qk = ynode(y, q->key);
    if (qk->type != YAML_SCALAR_NODE) continue;
    const char *name = (const char *)qk->data.scalar.value;
    if (!strcmp(name, "firstname")) first = ynode(y, q->value);
    else if (!strcmp(name, "url")) url = ynode(y, q->value);
  }
  if (st) return st;
  if (!first) return fail_at(y, item, "a co-author under '%s' needs 'firstname'", last);
  if (!url) return fail_at(y, item, "a co-author under '%s' needs 'url'", last);
  if (!is_string(url))
    return fail_at(y, url, "'url' of a co-author under '%s' must be text, not %s", last,
                   describe(url, buf, sizeof buf));
  /* firstname: a list of variants, or one string */
  yaml_node_t **vars = &first;
  size_t nvars = 1;
  if (first->type == YAML_SEQUENCE_NODE) {
    if ((st = enter(y, first))) return st;
    vars = NULL;
    nvars = (size_t)(first->data.sequence.items.top - first->data.sequence.items.start);
  } else if (!is_string(first)) {
    return fail_at(y, first, "'firstname' of a co-author under '%s' must be a list of names, not %s",
                   last, describe(first, buf, sizeof buf));
  }
  char **names = calloc(nvars ? nvars : 1, sizeof *names);
  char *u = NULL;
  if (!names) return nomem(y);
  for (size_t i = 0; i < nvars && st == PR_OK; i++) {
    yaml_node_t *v = vars ? vars[i] : ynode(y, first->data.sequence.items.start[i]);
    if (!is_string(v))
      st = fail_at(y, v, "a first name under '%s' must be text, not %s", last,
                   describe(v, buf, sizeof buf));
    else
      st = scalar_dup(y, v, &names[i]);
  }
  if (st == PR_OK) st = scalar_dup(y, url, &u);
  if (st == PR_OK && pr_coauthor_table_add(t, last, (const char *const *)names, nvars, u,
                                            y->source, (unsigned)url->start_mark.line + 1))
    st = nomem(y);
  for (size_t i = 0; i < nvars; i++) free(names[i]);
  free(names);
  free(u);
  return st;
}

static pr_status coauthors_from(ydoc *y, pr_coauthor_table *t) {
  yaml_node_t *root = yaml_document_get_root_node(&y->doc);
  char buf[64];
  if (!root || is_null(root)) return PR_OK;
  if (root->type != YAML_MAPPING_NODE)
    return fail_at(y, root,
                   "a co-authors file is a mapping of last names to lists of {firstname, url}, not %s",
                   describe(root, buf, sizeof buf));
  pr_status st = enter(y, root);
  pr_map seen = {0};
  for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
       st == PR_OK && pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k, *v = ynode(y, pr->value);
    const char *last;
    if ((st = pair_key(y, pr, &seen, "a last name", &k, &last))) break;
    if (v->type != YAML_SEQUENCE_NODE) {
      st = fail_at(y, v, "'%s' must be a list of co-authors (- firstname: [...], url: ...), not %s",
                   last, describe(v, buf, sizeof buf));
      break;
    }
    if ((st = enter(y, v))) break;
    for (yaml_node_item_t *it = v->data.sequence.items.start;
         st == PR_OK && it < v->data.sequence.items.top; it++)
      st = coauthor_item(y, t, last, ynode(y, *it));
  }
  pr_map_free(&seen);
  return st;
}

static void *coauthors_make(void) { return pr_coauthor_table_new(); }
static void coauthors_release(void *t) { pr_coauthor_table_free(t); }
static pr_status coauthors_fill(ydoc *y, void *t) { return coauthors_from(y, t); }
static const table_kind coauthor_kind = {coauthors_make, coauthors_release, coauthors_fill};

pr_status pr_options_load_coauthors_buffer(pr_options *o, const char *data, size_t len,
                                           const char *name, pr_error *err) {
  if (!o) return PR_ERR_ARG;
  void *slot = o->coauthors;
  pr_status st = load_table(&coauthor_kind, &slot, data, len, name, err);
  o->coauthors = slot;
  return st;
}

/* Read a file and load it; the file is listed in o's files once read. */
typedef pr_status (*loader_fn)(pr_options *, const char *, size_t, const char *, pr_error *);

static pr_status load_path(pr_options *o, const char *path, pr_error *err, loader_fn load) {
  if (!o || !path) {
    pr_set_error(err, PR_ERR_ARG, path, 0, "no options or no path");
    return PR_ERR_ARG;
  }
  char *data;
  size_t len;
  pr_status st = read_file(path, &data, &len, err);
  if (st != PR_OK) return st;
  /* listed even when its content is wrong: a watcher waits for the fix */
  if (pr_options_add_file(o, path)) {
    pr_set_error(err, PR_ERR_NOMEM, path, 0, "out of memory");
    st = PR_ERR_NOMEM;
  } else {
    st = load(o, data, len, path, err);
  }
  free(data);
  return st;
}

pr_status pr_options_load_venues(pr_options *o, const char *path, pr_error *err) {
  return load_path(o, path, err, pr_options_load_venues_buffer);
}

pr_status pr_options_load_coauthors(pr_options *o, const char *path, pr_error *err) {
  return load_path(o, path, err, pr_options_load_coauthors_buffer);
}

/* ---- pubrender.yml ---- */

typedef struct cfg {
  ydoc *y;
  pr_options *o;
  const char *dir;     /* the configuration file's directory with its '/', or "" */
} cfg;

typedef pr_status (*key_fn)(cfg *c, const char *key, yaml_node_t *v);

static pr_status want(cfg *c, const char *key, yaml_node_t *v, const char *what) {
  char buf[64];
  return fail_at(c->y, v, "'%s' must be %s, not %s", key, what, describe(v, buf, sizeof buf));
}

static pr_status get_bool(cfg *c, const char *key, yaml_node_t *v, int *out) {
  static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES"};
  static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO"};
  if (v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
    const char *s = (const char *)v->data.scalar.value;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
      if (!strcmp(s, yes[i])) return *out = 1, PR_OK;
      if (!strcmp(s, no[i])) return *out = 0, PR_OK;
    }
  }
  return want(c, key, v, "true or false");
}

static pr_status get_int(cfg *c, const char *key, yaml_node_t *v, int lo, int hi, int *out) {
  char buf[64];
  const char *s = v->type == YAML_SCALAR_NODE && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                      ? (const char *)v->data.scalar.value
                      : "";
  const char *d = s + (*s == '-' || *s == '+');
  size_t nd = strspn(d, "0123456789");
  if (!nd || d[nd] || nd > 9) return want(c, key, v, "an integer");
  long n = strtol(s, NULL, 10);
  if (n < lo || n > hi) {
    if (hi == 1000000000)
      return fail_at(c->y, v, "'%s' must be %d or more, not %s", key, lo, describe(v, buf, sizeof buf));
    return fail_at(c->y, v, "'%s' must be from %d to %d, not %s", key, lo, hi,
                   describe(v, buf, sizeof buf));
  }
  *out = (int)n;
  return PR_OK;
}

/* A string value (any non-empty scalar), borrowed from the document. */
static pr_status get_str(cfg *c, const char *key, yaml_node_t *v, const char **out) {
  if (!is_string(v)) return want(c, key, v, "text");
  if (memchr(v->data.scalar.value, '\0', v->data.scalar.length))
    return fail_at(c->y, v, "a NUL character is not allowed");
  *out = (const char *)v->data.scalar.value;
  return PR_OK;
}

/* A string or a list of strings joined with ','. malloc'd. */
static pr_status get_list(cfg *c, const char *key, yaml_node_t *v, char **out) {
  const char *s = NULL;
  if (v->type != YAML_SEQUENCE_NODE) {
    if (!is_string(v)) return want(c, key, v, "text or a list");
    pr_status st = get_str(c, key, v, &s);
    if (st == PR_OK && !(*out = pr_strdup(s))) st = nomem(c->y);
    return st;
  }
  pr_status st = enter(c->y, v);
  pr_buf b = {0};
  for (yaml_node_item_t *it = v->data.sequence.items.start; st == PR_OK && it < v->data.sequence.items.top; it++) {
    yaml_node_t *item = ynode(c->y, *it);
    if (!is_string(item)) {
      char buf[64];
      st = fail_at(c->y, item, "items of '%s' must be text, not %s", key, describe(item, buf, sizeof buf));
      break;
    }
    if ((st = get_str(c, key, item, &s))) break;
    if (b.len) pr_buf_putc(&b, ',');
    pr_buf_puts(&b, s);
  }
  if (st != PR_OK) {
    pr_buf_free(&b);
    return st;
  }
  if (!(*out = pr_buf_take(&b))) return nomem(c->y);
  return PR_OK;
}

/* A setter refused v's text: the error moves to v's place in the file; a
   column the setter gave inside the text becomes a column in the file when
   the text stands there as is (plain, or quoted without escapes). */
static pr_status setter_failed(cfg *c, const char *key, yaml_node_t *v, pr_status st,
                               const pr_error *e) {
  if (st == PR_ERR_NOMEM) return nomem(c->y);
  char msg[sizeof e->message];
  snprintf(msg, sizeof msg, "%s", e->message);
  unsigned col = e->column;
  char *at = strstr(msg, " at column ");
  unsigned parsed = 0;
  char tail;
  if (at && sscanf(at, " at column %u%c", &parsed, &tail) == 1 && (!col || col == parsed))
    col = parsed;
  else
    at = NULL;
  yaml_mark_t m = v->start_mark;
  if (col && at && v->type == YAML_SCALAR_NODE && v->start_mark.line == v->end_mark.line) {
    const char *raw = c->y->data + v->start_mark.index;
    size_t rawlen = v->end_mark.index - v->start_mark.index, len = v->data.scalar.length;
    const char *val = (const char *)v->data.scalar.value;
    int q = v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? 0
            : v->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                      v->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                ? 1
                : -1;
    if (q >= 0 && rawlen == len + 2 * (size_t)q && memcmp(raw + q, val, len) == 0 &&
        col <= len + 1) {
      size_t chars = 0;
      for (size_t i = 0; i + 1 < col; i++)
        if (((unsigned char)val[i] & 0xc0) != 0x80) chars++;
      m.column += (size_t)q + chars;
      *at = '\0';   /* the column is now the file's */
    }
  }
  return fail_mark(c->y, PR_ERR_INPUT, m, "invalid %s: %s", key, msg);
}

/* path relative to the configuration file's directory, malloc'd */
static char *relative_path(cfg *c, const char *path) {
  pr_buf b = {0};
  if (path[0] != '/') pr_buf_puts(&b, c->dir);
  pr_buf_puts(&b, path);
  return pr_buf_take(&b);
}

static pr_status k_format(cfg *c, const char *key, yaml_node_t *v) {
  static const struct { const char *name; pr_format f; } fmts[] = {
      {"html", PR_FORMAT_HTML}, {"markdown", PR_FORMAT_MARKDOWN}, {"md", PR_FORMAT_MARKDOWN},
      {"json", PR_FORMAT_JSON}, {"csl-json", PR_FORMAT_CSL_JSON}, {"csljson", PR_FORMAT_CSL_JSON}};
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++)
    if (!strcasecmp(s, fmts[i].name)) return pr_options_set_format(c->o, fmts[i].f);
  return want(c, key, v, "html, markdown, json or csl-json");
}

static pr_status k_standalone(cfg *c, const char *key, yaml_node_t *v) {
  int on = 0;
  pr_status st = get_bool(c, key, v, &on);
  if (st == PR_OK) pr_options_set_standalone(c->o, on);
  return st;
}

static pr_status add_highlight(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  st = pr_options_add_highlight(c->o, s);
  if (st == PR_ERR_NOMEM) return nomem(c->y);
  if (st) return fail_at(c->y, v, "'%s' needs one person's name, not '%s'", key, s);
  return PR_OK;
}

static pr_status k_highlight(cfg *c, const char *key, yaml_node_t *v) {
  if (v->type != YAML_SEQUENCE_NODE) {
    if (!is_string(v)) return want(c, key, v, "a name or a list of names");
    return add_highlight(c, key, v);
  }
  pr_status st = enter(c->y, v);
  for (yaml_node_item_t *it = v->data.sequence.items.start; st == PR_OK && it < v->data.sequence.items.top; it++)
    st = add_highlight(c, key, ynode(c->y, *it));
  return st;
}

/* A mapping of text -> text (or empty, when allow_null), each pair given to set. */
static pr_status each_pair(cfg *c, const char *key, yaml_node_t *v, const char *what,
                           pr_status (*set)(pr_options *, const char *, const char *)) {
  char buf[64];
  if (v->type != YAML_MAPPING_NODE) return want(c, key, v, what);
  pr_status st = enter(c->y, v);
  pr_map seen = {0};
  for (yaml_node_pair_t *pr = v->data.mapping.pairs.start; st == PR_OK && pr < v->data.mapping.pairs.top; pr++) {
    yaml_node_t *k, *val = ynode(c->y, pr->value);
    const char *name, *text = NULL;
    if ((st = pair_key(c->y, pr, &seen, "a key", &k, &name))) break;
    if (!is_null(val) && !is_string(val)) {
      st = fail_at(c->y, val, "'%s' of '%s' must be text, not %s", name, key,
                   describe(val, buf, sizeof buf));
      break;
    }
    if (!is_null(val) && (st = get_str(c, key, val, &text))) break;
    if (!text && set == pr_options_set_type_name) {
      st = fail_at(c->y, val, "'%s' of '%s' must be text, not empty", name, key);
      break;
    }
    st = set(c->o, name, text);
    if (st == PR_ERR_NOMEM) st = nomem(c->y);
    else if (st) st = fail_at(c->y, k, "'%s' of '%s' is not allowed", name, key);
  }
  pr_map_free(&seen);
  return st;
}

static pr_status k_legend(cfg *c, const char *key, yaml_node_t *v) {
  return each_pair(c, key, v, "a mapping of mark to text", pr_options_set_legend);
}

static pr_status k_type_names(cfg *c, const char *key, yaml_node_t *v) {
  return each_pair(c, key, v, "a mapping of entry type to heading", pr_options_set_type_name);
}

static pr_status k_annotations(cfg *c, const char *key, yaml_node_t *v) {
  return each_pair(c, key, v, "a mapping of annotation keyword to mark", pr_options_set_annotation);
}

static pr_status k_query(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_error e = {0};
  pr_status st = get_str(c, key, v, &s);
  if (st == PR_OK && (st = pr_options_set_query(c->o, s, &e))) return setter_failed(c, key, v, st, &e);
  return st;
}

static pr_status k_sort(cfg *c, const char *key, yaml_node_t *v) {
  char *s = NULL;
  pr_error e = {0};
  pr_status st = get_list(c, key, v, &s);
  if (st) return st;
  st = pr_options_set_sort(c->o, s, &e);
  free(s);
  return st ? setter_failed(c, key, v, st, &e) : PR_OK;
}

static pr_status k_group_by(cfg *c, const char *key, yaml_node_t *v) {
  char *s = NULL;
  pr_error e = {0};
  pr_status st = get_list(c, key, v, &s);
  if (st) return st;
  st = pr_options_set_group_by(c->o, s, &e);
  free(s);
  return st ? setter_failed(c, key, v, st, &e) : PR_OK;
}

static pr_status k_numbering(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  if (strcmp(s, "continuous") && strcmp(s, "per-group"))
    return want(c, key, v, "continuous or per-group");
  pr_options_set_numbering(c->o, !strcmp(s, "per-group"), c->o->reverse_numbers);
  return PR_OK;
}

static pr_status k_reverse(cfg *c, const char *key, yaml_node_t *v) {
  int on = 0;
  pr_status st = get_bool(c, key, v, &on);
  if (st == PR_OK) pr_options_set_numbering(c->o, c->o->number_per_group, on);
  return st;
}

static pr_status k_heading_level(cfg *c, const char *key, yaml_node_t *v) {
  int n = 0;
  pr_status st = get_int(c, key, v, 1, 6, &n);
  return st ? st : pr_options_set_heading_level(c->o, n);
}

static pr_status k_type_order(cfg *c, const char *key, yaml_node_t *v) {
  char *s = NULL;
  pr_status st = get_list(c, key, v, &s);
  if (st) return st;
  st = pr_options_set_type_order(c->o, s);
  free(s);
  return st == PR_ERR_NOMEM ? nomem(c->y) : st;
}

static pr_status k_encoding(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  if (!strcasecmp(s, "utf-8") || !strcasecmp(s, "utf8"))
    return pr_options_set_encoding(c->o, PR_ENCODING_UTF8);
  if (!strcasecmp(s, "latin1") || !strcasecmp(s, "latin-1") || !strcasecmp(s, "iso-8859-1"))
    return pr_options_set_encoding(c->o, PR_ENCODING_LATIN1);
  return want(c, key, v, "utf-8 or latin1");
}

static pr_status k_data_file(cfg *c, const char *key, yaml_node_t *v, loader_fn load) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  char *path = relative_path(c, s);
  if (!path) return nomem(c->y);
  pr_error e = {0};
  st = load_path(c->o, path, &e, load);
  if (st == PR_ERR_IO)   /* the file named here cannot be read: say where it is named */
    st = fail_mark(c->y, PR_ERR_IO, v->start_mark, "%s file '%s': %s", key, path, e.message);
  else if (st == PR_ERR_NOMEM)
    st = nomem(c->y);
  else if (st != PR_OK && c->y->err)   /* an error inside that file names that file */
    *c->y->err = e;
  free(path);
  return st;
}

static pr_status k_venues(cfg *c, const char *key, yaml_node_t *v) {
  return k_data_file(c, key, v, pr_options_load_venues_buffer);
}

static pr_status k_coauthors(cfg *c, const char *key, yaml_node_t *v) {
  return k_data_file(c, key, v, pr_options_load_coauthors_buffer);
}

static pr_status k_max_authors(cfg *c, const char *key, yaml_node_t *v) {
  int n = 0;
  pr_status st = get_int(c, key, v, 0, 1000000000, &n);
  return st ? st : pr_options_set_max_authors(c->o, n);
}

static pr_status k_link_prefix(cfg *c, const char *key, yaml_node_t *v) {
  if (v->type == YAML_MAPPING_NODE) /* per field: {pdf: /assets/pdf/, ...} */
    return each_pair(c, key, v, "a prefix or a mapping of field to prefix",
                     pr_options_set_field_link_prefix);
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st == PR_OK && pr_options_set_link_prefix(c->o, s)) st = nomem(c->y);
  return st;
}

static pr_status k_id_prefix(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  st = pr_options_set_id_prefix(c->o, s);
  if (st == PR_ERR_NOMEM) return nomem(c->y);
  if (st)
    return fail_at(c->y, v, "id-prefix '%s': an HTML id prefix is at most 64 bytes of UTF-8 with "
                   "no space, control character, quote, <, >, &, #, %% or backquote", s);
  return PR_OK;
}

static pr_status k_template(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  char *path = relative_path(c, s);
  if (!path) return nomem(c->y);
  struct stat sb;
  if (stat(path, &sb) != 0)
    st = fail_mark(c->y, PR_ERR_IO, v->start_mark, "template directory '%s': %s", path,
                   strerror(errno));
  else if (!S_ISDIR(sb.st_mode))
    st = fail_at(c->y, v, "template '%s' is not a directory", path);
  else if (pr_options_set_template_dir(c->o, path))
    st = nomem(c->y);
  free(path);
  return st;
}

static const struct { const char *name; key_fn fn; } config_keys[] = {
    {"format", k_format},
    {"standalone", k_standalone},
    {"highlight", k_highlight},
    {"legend", k_legend},
    {"query", k_query},
    {"sort", k_sort},
    {"group-by", k_group_by},
    {"numbering", k_numbering},
    {"reverse-numbers", k_reverse},
    {"heading-level", k_heading_level},
    {"type-names", k_type_names},
    {"type-order", k_type_order},
    {"encoding", k_encoding},
    {"venues", k_venues},
    {"coauthors", k_coauthors},
    {"max-authors", k_max_authors},
    {"link-prefix", k_link_prefix},
    {"id-prefix", k_id_prefix},
    {"template", k_template},
    {"annotations", k_annotations},
};

static key_fn find_key(const char *name) {
  for (size_t i = 0; i < sizeof config_keys / sizeof *config_keys; i++)
    if (!strcmp(config_keys[i].name, name)) return config_keys[i].fn;
  return NULL;
}

static pr_status config_from(cfg *c) {
  ydoc *y = c->y;
  yaml_node_t *root = yaml_document_get_root_node(&y->doc);
  char buf[64];
  if (!root || is_null(root)) return PR_OK;
  if (root->type != YAML_MAPPING_NODE)
    return fail_at(y, root, "a configuration file is a mapping of option names to values, not %s",
                   describe(root, buf, sizeof buf));
  pr_status st = enter(y, root);
  pr_map seen = {0};
  for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; st == PR_OK && pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k, *v = ynode(y, pr->value);
    const char *name;
    if ((st = pair_key(y, pr, &seen, "an option name", &k, &name))) break;
    key_fn fn = find_key(name);
    if (!fn) {
      /* group_by, type_names: the _config.yml spelling of a known key */
      char alt[64];
      snprintf(alt, sizeof alt, "%s", name);
      for (char *p = alt; *p; p++)
        if (*p == '_') *p = '-';
      if (strcmp(alt, name) && find_key(alt))
        st = fail_at(y, k, "unknown key '%s' (did you mean '%s'?)", name, alt);
      else
        st = fail_at(y, k, "unknown key '%s'", name);
      break;
    }
    st = fn(c, name, v);
    if (st == PR_ERR_ARG) st = fail_at(y, v, "invalid value for '%s'", name);
  }
  pr_map_free(&seen);
  return st;
}

pr_status pr_options_load_config_buffer(pr_options *o, const char *data, size_t len,
                                        const char *name, pr_error *err) {
  if (!name) name = "<buffer>";
  if (!o || (!data && len)) {
    pr_set_error(err, PR_ERR_ARG, name, 0, "no options or no data");
    return PR_ERR_ARG;
  }
  const char *slash = strrchr(name, '/');
  char *dir = pr_strndup(name, slash ? (size_t)(slash - name) + 1 : 0);
  ydoc y;
  pr_status st = yload(&y, data ? data : "", len, name, err);
  if (!dir && st == PR_OK) st = nomem(&y);
  if (st == PR_OK) {
    cfg c = {&y, o, dir};
    st = config_from(&c);
  }
  yfree(&y);
  free(dir);
  return st;
}

pr_status pr_options_load_config(pr_options *o, const char *path, pr_error *err) {
  return load_path(o, path, err, pr_options_load_config_buffer);
}

char *pr_options_find_config(const char *bib_path) {
  if (!bib_path || !strcmp(bib_path, "-")) return NULL;
  const char *slash = strrchr(bib_path, '/');
  pr_buf b = {0};
  if (slash) pr_buf_put(&b, bib_path, (size_t)(slash - bib_path) + 1);
  pr_buf_puts(&b, "pubrender.yml");
  char *path = pr_buf_take(&b);
  /* anything by that name counts: one that is not a regular file (a
     device, a FIFO, a directory) is then refused, with an error, when read */
  struct stat sb;
  if (path && stat(path, &sb) != 0) {
    free(path);
    path = NULL;
  }
  return path;
}
