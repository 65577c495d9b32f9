/* config.c - YAML files read with libyaml's document API: pubrender.yml
   (every option under its long command-line name) and al-folio's data
   files, venues.yml and coauthors.yml. Every error names the file and the
   1-based line and column of the offending key or value. An al-folio
   site's _config.yml (its scholar: section) is read here too (pr_site_load). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>
#include "options/options.h"
#include "util/readfile.h"

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
      {"json", PR_FORMAT_JSON}, {"csl-json", PR_FORMAT_CSL_JSON}, {"csljson", PR_FORMAT_CSL_JSON},
      {"view-json", PR_FORMAT_VIEW_JSON}};
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++)
    if (!strcasecmp(s, fmts[i].name)) return pr_options_set_format(c->o, fmts[i].f);
  return want(c, key, v, "html, markdown, json, csl-json or view-json");
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
  pr_options_set_numbering(c->o, !strcmp(s, "per-group"), c->o->sel.reverse_numbers);
  return PR_OK;
}

static pr_status k_reverse(cfg *c, const char *key, yaml_node_t *v) {
  int on = 0;
  pr_status st = get_bool(c, key, v, &on);
  if (st == PR_OK) pr_options_set_numbering(c->o, c->o->sel.number_per_group, on);
  return st;
}

static pr_status k_group_order(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  if (!strcasecmp(s, "desc") || !strcasecmp(s, "descending"))
    return pr_options_set_group_order(c->o, -1);
  if (!strcasecmp(s, "asc") || !strcasecmp(s, "ascending"))
    return pr_options_set_group_order(c->o, 1);
  return want(c, key, v, "desc or asc");
}

static pr_status k_heading_level(cfg *c, const char *key, yaml_node_t *v) {
  int n = 0;
  pr_status st = get_int(c, key, v, 1, 6, &n);
  return st ? st : pr_options_set_heading_level(c->o, n);
}

static pr_status k_threads(cfg *c, const char *key, yaml_node_t *v) {
  int n = 0;
  pr_status st = get_int(c, key, v, 0, PR_MAX_THREADS, &n);
  return st ? st : pr_options_set_threads(c->o, (unsigned)n);
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

static pr_status k_string_scope(cfg *c, const char *key, yaml_node_t *v) {
  const char *s = NULL;
  pr_status st = get_str(c, key, v, &s);
  if (st) return st;
  if (!strcasecmp(s, "shared")) return pr_options_set_string_scope(c->o, PR_STRINGS_SHARED);
  if (!strcasecmp(s, "file")) return pr_options_set_string_scope(c->o, PR_STRINGS_PER_FILE);
  return want(c, key, v, "shared or file");
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
  pr_error e = {0};
  st = pr_options_set_template_dir(c->o, path, &e);
  if (st == PR_ERR_NOMEM) st = nomem(c->y);
  else if (st) { /* the library's message says what is wrong after its prefix */
    const char *why = e.message, *pre = "template directory: ";
    if (strncmp(why, pre, strlen(pre)) == 0) why += strlen(pre);
    st = fail_mark(c->y, st, v->start_mark, "template directory '%s': %s", path, why);
  }
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
    {"group-order", k_group_order},
    {"numbering", k_numbering},
    {"reverse-numbers", k_reverse},
    {"heading-level", k_heading_level},
    {"threads", k_threads},
    {"type-names", k_type_names},
    {"type-order", k_type_order},
    {"encoding", k_encoding},
    {"string-scope", k_string_scope},
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

/* ---- an al-folio site: _config.yml's scholar: section ---- */

struct pr_site {
  char **bibs;
  size_t nbibs;
  pr_diags diags;
  char *config;          /* DIR/_config.yml: the file of every warning */
};

void pr_site_free(pr_site *s) {
  if (!s) return;
  for (size_t i = 0; i < s->nbibs; i++) free(s->bibs[i]);
  free(s->bibs);
  pr_diags_free(&s->diags);
  free(s->config);
  free(s);
}

size_t pr_site_bib_count(const pr_site *s) { return s ? s->nbibs : 0; }
const char *pr_site_bib(const pr_site *s, size_t i) { return s && i < s->nbibs ? s->bibs[i] : NULL; }
size_t pr_site_diag_count(const pr_site *s) { return s ? s->diags.n : 0; }
const pr_diag *pr_site_diag(const pr_site *s, size_t i) {
  return s && i < s->diags.n ? s->diags.v[i] : NULL;
}

typedef struct site_ctx {
  cfg c;
  pr_site *s;
  const char *dir;       /* the site's directory with its '/' */
} site_ctx;

static pr_status site_diag_v(site_ctx *x, pr_severity sev, const char *code, yaml_mark_t m,
                             const char *fmt, va_list ap) {
  char msg[256]; /* as long as a pr_error's message */
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (pr_diagx(&x->s->diags, sev, code, NULL, NULL, x->s->config, (unsigned)m.line + 1, "%s", msg))
    return nomem(x->c.y);
  x->s->diags.v[x->s->diags.n - 1]->column = (unsigned)m.column + 1;
  return PR_OK;
}

static pr_status site_warn(site_ctx *x, yaml_node_t *n, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static pr_status site_warn(site_ctx *x, yaml_node_t *n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pr_status st = site_diag_v(x, PR_WARNING, "site-setting-ignored", n->start_mark, fmt, ap);
  va_end(ap);
  return st;
}

/* A .bib the site names that cannot be had: an error of the site, which a
   caller that reads other .bib files instead does not need. */
static pr_status site_error(site_ctx *x, yaml_mark_t m, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static pr_status site_error(site_ctx *x, yaml_mark_t m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  pr_status st = site_diag_v(x, PR_ERROR, "site-bib-missing", m, fmt, ap);
  va_end(ap);
  return st;
}

/* A text or a list as items: split at commas, spaces around them dropped
   (jekyll-scholar reads "year,month" and [year, month] alike). */
typedef struct items {
  char *text;            /* the items, each NUL-terminated in turn */
  const char *v[32];
  size_t n;
} items;

static pr_status get_items(site_ctx *x, const char *key, yaml_node_t *v, items *it) {
  memset(it, 0, sizeof *it);
  if (is_null(v)) return PR_OK;
  pr_status st = get_list(&x->c, key, v, &it->text);
  if (st) return st;
  for (char *p = it->text; p && *p;) {
    char *end = p + strcspn(p, ",");
    char more = *end;
    *end = '\0';
    while (*p == ' ') p++;
    for (char *q = end; q > p && q[-1] == ' ';) *--q = '\0';
    if (*p) {
      if (it->n == sizeof it->v / sizeof *it->v) {
        free(it->text);
        it->text = NULL;
        return fail_at(x->c.y, v, "'%s' has more than %zu items", key, sizeof it->v / sizeof *it->v);
      }
      it->v[it->n++] = p;
    }
    p = more ? end + 1 : end;
  }
  return PR_OK;
}

/* jekyll-scholar: a direction is descending when it starts with desc or reverse. */
static int is_descending(const char *dir) {
  return dir && (!strncasecmp(dir, "desc", 4) || !strncasecmp(dir, "reverse", 7));
}

/* The scholar: keys pubrender follows, each node or NULL. */
enum { S_LAST, S_FIRST, S_MAX, S_GROUP_BY, S_GROUP_ORDER, S_SORT_BY, S_ORDER, S_QUERY,
       S_TYPE_NAMES, S_TYPE_ORDER, S_BIBLIOGRAPHY, S_SOURCE, S_NKEYS };
static const char *const scholar_keys[S_NKEYS] = {
    "last_name", "first_name", "max_author_limit", "group_by", "group_order", "sort_by",
    "order", "query", "type_names", "type_order", "bibliography", "source"};

/* last_name x first_name, as al-folio's bib.liquid matches them; the marks
   some sites add to first names ("Ning*") are not part of the name. */
static pr_status site_highlights(site_ctx *x, yaml_node_t *last, yaml_node_t *first) {
  items l, f;
  pr_status st = get_items(x, "last_name", last, &l);
  if (st == PR_OK) st = get_items(x, "first_name", first, &f);
  else f.text = NULL;
  if (st == PR_OK && l.n && !f.n)
    st = site_warn(x, last, "last_name without first_name: al-folio highlights no author, nor does "
                            "pubrender");
  for (size_t i = 0; st == PR_OK && i < l.n; i++)
    for (size_t j = 0; st == PR_OK && j < f.n; j++) {
      char name[512];
      snprintf(name, sizeof name, "%s, %s", l.v[i], f.v[j]);
      size_t n = strlen(name), was;
      do {
        was = n;
        const unsigned char *u = (const unsigned char *)name;
        if (n && strchr("*^&#", name[n - 1])) n--;
        else if (n >= 2 && u[n - 2] == 0xc2 && u[n - 1] == 0xb6) n -= 2;   /* pilcrow */
        else if (n >= 3 && u[n - 3] == 0xe2 && u[n - 2] == 0x80 && (u[n - 1] == 0xa0 || u[n - 1] == 0xa1))
          n -= 3;   /* dagger, double dagger */
        name[n] = '\0';
      } while (n != was);
      pr_status h = pr_options_add_highlight(x->c.o, name);
      if (h == PR_ERR_NOMEM) st = nomem(x->c.y);
      else if (h) st = site_warn(x, first, "'%s' is not one person's name: not highlighted", name);
    }
  free(l.text);
  free(f.text);
  return st;
}

/* sort_by (none by default: file order) with order, per key, the last
   order applying to the keys after it. */
static pr_status site_sort(site_ctx *x, yaml_node_t *by, yaml_node_t *order) {
  items k, d;
  d.text = NULL;
  pr_status st = by ? get_items(x, "sort_by", by, &k) : PR_OK;
  if (!by) memset(&k, 0, sizeof k);
  if (st == PR_OK && order) st = get_items(x, "order", order, &d);
  else if (!order) memset(&d, 0, sizeof d);
  pr_buf b = {0};
  for (size_t i = 0; st == PR_OK && i < k.n; i++) {
    if (!strcasecmp(k.v[i], "none")) continue;
    const char *dir = i < d.n ? d.v[i] : d.n ? d.v[d.n - 1] : NULL;
    if (b.len) pr_buf_putc(&b, ',');
    pr_buf_puts(&b, !strcmp(k.v[i], "month_numeric") ? "month" : k.v[i]);
    pr_buf_puts(&b, is_descending(dir) ? ":desc" : ":asc");
  }
  if (st == PR_OK) {
    pr_error e = {0};
    const char *spec = b.len ? b.data : "none";
    if (b.failed) st = nomem(x->c.y);
    else if ((st = pr_options_set_sort(x->c.o, spec, &e)) != PR_OK)
      st = setter_failed(&x->c, "sort_by", by, st, &e);
  }
  pr_buf_free(&b);
  free(k.text);
  free(d.text);
  return st;
}

/* group_by and group_order; page_years: _pages/publications.md loops over
   page.years (al-folio before v0.10), which is a grouping by year. */
static pr_status site_groups(site_ctx *x, yaml_node_t *by, yaml_node_t *order, int page_years) {
  items g, d;
  pr_status st = get_items(x, "group_by", by, &g);
  if (st) return st;
  if ((st = get_items(x, "group_order", order, &d))) {
    free(g.text);
    return st;
  }
  pr_buf b = {0};
  for (size_t i = 0; i < g.n; i++) {
    if (b.len) pr_buf_putc(&b, ',');
    pr_buf_puts(&b, g.v[i]);
  }
  const char *spec = b.len ? b.data : page_years ? "year" : "none";
  pr_error e = {0};
  if (b.failed) {
    st = nomem(x->c.y);
  } else if (pr_options_set_group_by(x->c.o, spec, &e) != PR_OK) {
    st = site_warn(x, by, "group_by '%s': pubrender groups by none, year, type or year,type; "
                          "the list is not grouped", spec);
    pr_options_set_group_by(x->c.o, "none", NULL);
  }
  /* jekyll-scholar orders groups ascending unless told; the page.years
     loop of older al-folio pages lists the years newest first */
  int desc = d.n ? is_descending(d.v[0]) : !g.n && page_years;
  pr_options_set_group_order(x->c.o, desc ? -1 : 1);
  pr_buf_free(&b);
  free(g.text);
  free(d.text);
  return st;
}

/* jekyll-scholar's own type names (lib/jekyll/scholar/defaults.rb), with
   its aliases phdthesis and mastersthesis -> thesis. */
static pr_status site_type_names(site_ctx *x) {
  static const char *const names[][2] = {
      {"article", "Journal Articles"},   {"book", "Books"},
      {"incollection", "Book Chapters"}, {"inproceedings", "Conference Articles"},
      {"thesis", "Theses"},              {"phdthesis", "Theses"},
      {"mastersthesis", "Theses"},       {"manual", "Manuals"},
      {"techreport", "Technical Reports"}, {"misc", "Miscellaneous"},
      {"unpublished", "Unpublished"}};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (pr_options_set_type_name(x->c.o, names[i][0], names[i][1])) return nomem(x->c.y);
  return PR_OK;
}

static int has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

static pr_status site_add_bib(site_ctx *x, const char *path) {
  char **v = realloc(x->s->bibs, (x->s->nbibs + 1) * sizeof *v);
  if (!v) return nomem(x->c.y);
  x->s->bibs = v;
  if (!(v[x->s->nbibs] = pr_strdup(path))) return nomem(x->c.y);
  x->s->nbibs++;
  return PR_OK;
}

/* source (./_bibliography by default; "/_bibliography/" is the site's) and
   bibliography (references.bib by default; a name without .bib gets it, as
   jekyll-scholar does; a glob is expanded). */
static pr_status site_bibs(site_ctx *x, yaml_node_t *src, yaml_node_t *bib) {
  const char *source = "_bibliography";
  pr_status st = PR_OK;
  if (src && !is_null(src) && (st = get_str(&x->c, "source", src, &source))) return st;
  items names;
  if (bib && (st = get_items(x, "bibliography", bib, &names))) return st;
  if (!bib || !names.n) {
    if (!bib) memset(&names, 0, sizeof names);
    names.v[0] = "references.bib";
    names.n = 1;
  }
  while (source[0] == '.' && source[1] == '/') source += 2;
  while (source[0] == '/') source++;
  for (size_t i = 0; st == PR_OK && i < names.n; i++) {
    pr_buf b = {0};
    if (names.v[i][0] != '/') {
      pr_buf_puts(&b, x->dir);
      if (*source) {
        pr_buf_puts(&b, source);
        if (b.data[b.len - 1] != '/') pr_buf_putc(&b, '/');
      }
    }
    pr_buf_puts(&b, names.v[i]);
    if (b.failed) {
      st = nomem(x->c.y);
    } else if (has_glob(names.v[i])) {
      glob_t gl;
      int g = glob(b.data, 0, NULL, &gl);
      for (size_t k = 0; g == 0 && st == PR_OK && k < gl.gl_pathc; k++)
        st = site_add_bib(x, gl.gl_pathv[k]);
      if (g == 0) globfree(&gl);
      if (g && st == PR_OK)
        st = site_error(x, bib ? bib->start_mark : x->c.y->doc.start_mark,
                        "bibliography '%s': no file matches %s", names.v[i], b.data);
    } else {
      struct stat sb;
      size_t n = b.len;
      if (stat(b.data, &sb) != 0 && (n < 4 || strcmp(b.data + n - 4, ".bib"))) {
        pr_buf_puts(&b, ".bib");   /* bibliography: papers */
        if (stat(b.data, &sb) != 0) b.data[b.len = n] = '\0';
      }
      if (b.failed) st = nomem(x->c.y);
      else if (stat(b.data, &sb) != 0)
        st = site_error(x, bib ? bib->start_mark : x->c.y->doc.start_mark,
                        "bibliography '%s': %s: %s", names.v[i], b.data, strerror(errno));
      else
        st = site_add_bib(x, b.data);
    }
    pr_buf_free(&b);
  }
  if (bib) free(names.text);
  return st;
}

/* _pages/publications.md of older al-folio versions loops over page.years
   with one {% bibliography -q @*[year={{y}}]* %} per year. */
static int page_loops_years(const char *dir) {
  pr_buf b = {0};
  pr_buf_puts(&b, dir);
  pr_buf_puts(&b, "_pages/publications.md");
  char *data = NULL;
  size_t len = 0;
  char why[200];
  int yes = 0;
  if (!b.failed && pr_read_whole(b.data, PR_READ_MAX_SMALL, &data, &len, why, sizeof why) == 0) {
    yes = strstr(data, "page.years") && strstr(data, "bibliography");
    free(data);
  }
  pr_buf_free(&b);
  return yes;
}

/* A data file of the site, when it is there. */
static pr_status site_data(site_ctx *x, const char *name, loader_fn load, pr_error *err) {
  pr_buf b = {0};
  pr_buf_puts(&b, x->dir);
  pr_buf_puts(&b, name);
  if (b.failed) {
    pr_buf_free(&b);
    return nomem(x->c.y);
  }
  struct stat sb;
  pr_status st = stat(b.data, &sb) == 0 ? load_path(x->c.o, b.data, err, load) : PR_OK;
  pr_buf_free(&b);
  return st;
}

static pr_status site_from(site_ctx *x, pr_error *err) {
  ydoc *y = x->c.y;
  yaml_node_t *root = yaml_document_get_root_node(&y->doc), *scholar = NULL, *top_max = NULL,
              *baseurl = NULL, *keys[S_NKEYS] = {0};
  char buf[64];
  if (root && !is_null(root) && root->type != YAML_MAPPING_NODE)
    return fail_at(y, root, "a Jekyll _config.yml is a mapping, not %s", describe(root, buf, sizeof buf));
  /* Jekyll reads a key given twice as its last value: so does this */
  for (yaml_node_pair_t *pr = root && root->type == YAML_MAPPING_NODE ? root->data.mapping.pairs.start : NULL;
       pr && pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = ynode(y, pr->key), *v = ynode(y, pr->value);
    if (k->type != YAML_SCALAR_NODE) continue;
    const char *name = (const char *)k->data.scalar.value;
    if (!strcmp(name, "scholar")) scholar = v;
    else if (!strcmp(name, "max_author_limit")) top_max = v;
    else if (!strcmp(name, "baseurl")) baseurl = v;
  }
  if (scholar && !is_null(scholar) && scholar->type != YAML_MAPPING_NODE)
    return fail_at(y, scholar, "'scholar' must be a mapping of jekyll-scholar settings, not %s",
                   describe(scholar, buf, sizeof buf));
  for (yaml_node_pair_t *pr = scholar && scholar->type == YAML_MAPPING_NODE ? scholar->data.mapping.pairs.start : NULL;
       pr && pr < scholar->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = ynode(y, pr->key);
    if (k->type != YAML_SCALAR_NODE) continue;
    for (int i = 0; i < S_NKEYS; i++)   /* the others (style, locale, ...): README */
      if (!strcmp((const char *)k->data.scalar.value, scholar_keys[i])) keys[i] = ynode(y, pr->value);
  }
  pr_status st = site_type_names(x);
  if (st == PR_OK) st = site_highlights(x, keys[S_LAST], keys[S_FIRST]);
  yaml_node_t *max = keys[S_MAX] ? keys[S_MAX] : top_max;
  if (st == PR_OK && max && !is_null(max)) {
    int n = 0;
    if ((st = get_int(&x->c, "max_author_limit", max, 0, 1000000000, &n)) == PR_OK)
      st = pr_options_set_max_authors(x->c.o, n);
  }
  if (st == PR_OK) st = site_sort(x, keys[S_SORT_BY], keys[S_ORDER]);
  if (st == PR_OK) st = site_groups(x, keys[S_GROUP_BY], keys[S_GROUP_ORDER], page_loops_years(x->dir));
  if (st == PR_OK && keys[S_QUERY] && !is_null(keys[S_QUERY]))
    st = k_query(&x->c, "query", keys[S_QUERY]);
  if (st == PR_OK && keys[S_TYPE_NAMES] && !is_null(keys[S_TYPE_NAMES]))
    st = k_type_names(&x->c, "type_names", keys[S_TYPE_NAMES]);
  if (st == PR_OK && keys[S_TYPE_ORDER] && !is_null(keys[S_TYPE_ORDER]))
    st = k_type_order(&x->c, "type_order", keys[S_TYPE_ORDER]);
  if (st == PR_OK) st = site_bibs(x, keys[S_SOURCE], keys[S_BIBLIOGRAPHY]);
  /* al-folio's bib.liquid: pdf, supp, poster, slides under /assets/pdf/,
     preview under /assets/img/publication_preview/, after baseurl */
  const char *base = "";
  if (st == PR_OK && baseurl && !is_null(baseurl)) st = get_str(&x->c, "baseurl", baseurl, &base);
  static const char *const pdf_fields[] = {"pdf", "supp", "poster", "slides"};
  for (size_t i = 0; st == PR_OK && i < 5; i++) {
    pr_buf b = {0};
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/') bl--;
    pr_buf_put(&b, base, bl);
    pr_buf_puts(&b, i < 4 ? "/assets/pdf/" : "/assets/img/publication_preview/");
    if (b.failed || pr_options_set_field_link_prefix(x->c.o, i < 4 ? pdf_fields[i] : "preview", b.data))
      st = nomem(y);
    pr_buf_free(&b);
  }
  if (st == PR_OK) st = site_data(x, "_data/venues.yml", pr_options_load_venues_buffer, err);
  if (st == PR_OK) st = site_data(x, "_data/coauthors.yml", pr_options_load_coauthors_buffer, err);
  return st;
}

pr_status pr_site_load(pr_options *o, const char *dir, pr_site **out, pr_error *err) {
  if (out) *out = NULL;
  if (!o || !dir || !out) {
    pr_set_error(err, PR_ERR_ARG, dir, 0, "no options, no directory or no result");
    return PR_ERR_ARG;
  }
  pr_site *s = calloc(1, sizeof *s);
  pr_buf d = {0};
  pr_buf_puts(&d, *dir ? dir : ".");
  if (d.len && d.data[d.len - 1] != '/') pr_buf_putc(&d, '/');
  pr_buf path = {0};
  pr_buf_puts(&path, d.data ? d.data : "");
  pr_buf_puts(&path, "_config.yml");
  if (!s || d.failed || path.failed || !(s->config = pr_strdup(path.data))) {
    pr_site_free(s);
    pr_buf_free(&d);
    pr_buf_free(&path);
    pr_set_error(err, PR_ERR_NOMEM, dir, 0, "out of memory");
    return PR_ERR_NOMEM;
  }
  char *data = NULL;
  size_t len = 0;
  pr_status st = read_file(s->config, &data, &len, err);
  if (st == PR_OK && pr_options_add_file(o, s->config)) {
    pr_set_error(err, PR_ERR_NOMEM, s->config, 0, "out of memory");
    st = PR_ERR_NOMEM;
  }
  ydoc y;
  int loaded = 0;
  if (st == PR_OK) {
    st = yload(&y, data, len, s->config, err);
    loaded = 1;
  }
  if (st == PR_OK) {
    site_ctx x = {{&y, o, d.data}, s, d.data};
    st = site_from(&x, err);
  }
  if (loaded) yfree(&y);
  free(data);
  pr_buf_free(&d);
  pr_buf_free(&path);
  if (st != PR_OK) {
    pr_site_free(s);
    return st;
  }
  *out = s;
  return PR_OK;
}
