/* view_json.c - --format view-json: the display model (view.c) as JSON,
   with jansson, for template engines other than Mustache. The members are
   documented in README.md ("View JSON"). Written a group at a time, each
   group's items one at a time (pr_json_dump_array), so a list of any size
   is never held whole. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "render/render.h"

/* The JSON member names of the text values, in pr_item_field order, and
   whether they are written with their _html twin. */
static const struct { const char *name, *html; } field_keys[PR_VIEW_NFIELDS] = {
    [PR_ITEM_TITLE] = {"title", "title_html"},
    [PR_ITEM_ABBR] = {"text", "html"},
    [PR_ITEM_VENUE] = {"venue", "venue_html"},
    [PR_ITEM_LEGEND] = {"legend", "legend_html"},
    [PR_ITEM_ROLE] = {"role", NULL},
    [PR_ITEM_MORE_LABEL] = {"more_label", NULL},
    [PR_ITEM_ADDITIONAL_INFO] = {"additional_info", "additional_info_html"},
    [PR_ITEM_NOTE] = {"note", "note_html"},
    [PR_ITEM_AWARD] = {"award", "award_html"},
    [PR_ITEM_AWARD_NAME] = {"award_name", "award_name_html"},
    [PR_ITEM_ABSTRACT] = {"abstract", "abstract_html"},
    [PR_ITEM_BIBTEX] = {"bibtex", "bibtex_html"}};

typedef struct vj_ctx {
  const pr_options *o;
  const pr_plan *plan;
  pr_view_ctx view;
  pr_buf b;
  size_t group;              /* the group whose items are being written */
  int failed;
} vj_ctx;

/* obj[key] = field of v written by f (NULL: plain); nothing when v has
   none. 0, or -1 when out of memory. */
static int set_field(vj_ctx *c, json_t *obj, const char *key, const pr_format_ops *f,
                     const pr_view *v, int field) {
  c->b.len = 0;
  if (!pr_view_put(&c->b, f, v, field)) return 0;
  if (c->b.failed) return -1;
  pr_buf_putc(&c->b, '\0'); /* the data of an empty buffer */
  return c->b.failed ? -1 : pr_json_set_str(obj, key, c->b.data);
}

/* obj[name] and obj[name_html] for field. */
static int set_text(vj_ctx *c, json_t *obj, const pr_view *v, int field) {
  if (set_field(c, obj, field_keys[field].name, NULL, v, field)) return -1;
  return field_keys[field].html ? set_field(c, obj, field_keys[field].html, &pr_format_html, v, field)
                                : 0;
}

static json_t *author_json(vj_ctx *c, const pr_view_author *a) {
  json_t *j = json_object();
  if (!j) return NULL;
  c->b.len = 0;
  pr_format_html.text(&c->b, a->name->display);
  pr_buf_putc(&c->b, '\0');
  int bad = pr_json_set_str(j, "name", a->name->display) || c->b.failed ||
            pr_json_set_str(j, "name_html", c->b.data) ||
            pr_json_set(j, "owner", json_boolean(a->me)) ||
            pr_json_set_str(j, "marks", a->marks ? a->marks : "") ||
            pr_json_set_str(j, "url", a->url) ||
            pr_json_set(j, "hidden", json_boolean(a->hidden)) ||
            pr_json_set_str(j, "sep", a->sep) ||
            pr_json_set(j, "cut", json_integer((json_int_t)a->cut));
  if (!bad && a->cut)
    bad = pr_json_set_str(j, "cut_label", a->cut_label) || pr_json_set_str(j, "cut_sep", a->cut_sep);
  if (bad) {
    json_decref(j);
    return NULL;
  }
  return j;
}

/* The item of view v. */
static json_t *item_json(vj_ctx *c, const pr_view *v) {
  json_t *j = json_object(), *authors = json_array(), *links = json_array(), *badge = NULL;
  int bad = !j || !authors || !links;
  c->b.len = 0;
  pr_buf_puts(&c->b, v->id_prefix);
  pr_buf_puts(&c->b, v->id);
  pr_buf_putc(&c->b, '\0');
  bad = bad || c->b.failed || pr_json_set_str(j, "key", v->entry->key) ||
        pr_json_set_str(j, "id", c->b.data) ||
        pr_json_set(j, "number", json_integer((json_int_t)v->number)) ||
        pr_json_set_str(j, "marker", v->marker) || pr_json_set_str(j, "type", v->entry->type);
  if (!bad && v->year_label) {
    char *plain = pr_marked_to_plain(v->year_label);
    bad = !plain || pr_json_set_str(j, "year", plain);
    free(plain);
  }
  bad = bad || pr_json_set(j, "selected", json_boolean(v->selected)) ||
        set_text(c, j, v, PR_ITEM_TITLE);
  if (!bad && v->abbr) {
    bad = !(badge = json_object()) || set_text(c, badge, v, PR_ITEM_ABBR) ||
          pr_json_set_str(badge, "url", v->abbr_url) ||
          pr_json_set_str(badge, "color", v->abbr_color) ||
          pr_json_set_str(badge, "text_color", v->abbr_text_color);
    if (!bad) bad = pr_json_set(j, "badge", badge); /* takes badge */
    else json_decref(badge);
  }
  for (size_t i = 0; !bad && i < v->nnames; i++)
    bad = pr_json_append(authors, author_json(c, &v->authors[i]));
  if (!bad) {
    bad = pr_json_set(j, "authors", authors); /* takes authors */
    authors = NULL;
  }
  bad = bad || set_text(c, j, v, PR_ITEM_ROLE) ||
        pr_json_set(j, "more_count", json_integer((json_int_t)v->nmore)) ||
        set_text(c, j, v, PR_ITEM_MORE_LABEL) || set_text(c, j, v, PR_ITEM_LEGEND) ||
        set_text(c, j, v, PR_ITEM_VENUE) || set_text(c, j, v, PR_ITEM_ADDITIONAL_INFO) ||
        set_text(c, j, v, PR_ITEM_NOTE);
  for (size_t i = 0; !bad && i < v->nlinks; i++) {
    json_t *l = json_object();
    bad = !l || pr_json_set_str(l, "label", v->links[i].label) ||
          pr_json_set_str(l, "url", v->links[i].href) || pr_json_append(links, l);
    if (bad && l) json_decref(l);
  }
  if (!bad) {
    bad = pr_json_set(j, "links", links); /* takes links */
    links = NULL;
  }
  bad = bad || pr_json_set_str(j, "preview", v->preview) || set_text(c, j, v, PR_ITEM_AWARD) ||
        set_text(c, j, v, PR_ITEM_AWARD_NAME) || set_text(c, j, v, PR_ITEM_ABSTRACT) ||
        set_text(c, j, v, PR_ITEM_BIBTEX);
  json_decref(authors);
  json_decref(links);
  if (bad) {
    json_decref(j);
    c->failed = 1;
    return NULL;
  }
  return j;
}

/* Item i of the current group. */
static json_t *make_item(size_t i, void *ctx) {
  vj_ctx *c = ctx;
  const pr_group *g = &c->plan->groups[c->group];
  size_t number = c->o->sel.reverse_numbers ? g->start - i : g->start + i;
  pr_view v;
  pr_val_arena_reset(&c->view.arena);
  if (c->view.failed || pr_view_build(&v, &c->view, g->v[i], number)) {
    c->failed = 1;
    return NULL;
  }
  return item_json(c, &v);
}

/* Group g, its items deferred (written one at a time). */
static json_t *make_group(size_t g, void *ctx, pr_diags *diags, pr_json_deferred *d,
                          size_t *nd) {
  vj_ctx *c = ctx;
  (void)diags; /* the view's findings go to c->view's */
  const pr_group *gr = &c->plan->groups[g];
  json_t *j = json_object();
  c->group = g;
  int bad = !j || pr_json_set_str(j, "heading", gr->heading) ||
            pr_json_set(j, "level", json_integer(gr->level)) ||
            pr_json_set(j, "start", json_integer((json_int_t)gr->start));
  if (!bad && gr->n) {
    d[0] = (pr_json_deferred){.n = gr->n, .item = make_item, .ctx = c};
    *nd = 1;
    bad = pr_json_set(j, "items", pr_json_deferred_mark(0));
  } else if (!bad) {
    bad = pr_json_set(j, "items", json_array());
  }
  if (bad) {
    json_decref(j);
    return NULL;
  }
  return j;
}

pr_status pr_render_view_json(const pr_bib *bib, const pr_options *o, const pr_plan *plan,
                              pr_buf *out, pr_report *rep) {
  (void)bib;
  vj_ctx c = {.o = o, .plan = plan};
  pr_view_ctx_setup(&c.view, &rep->diags, o, PR_VIEW_ALL, 1, 1);
  void *ctxs[1] = {&c};
  pr_status st = pr_json_dump_array(out, plan->ngroups, make_group, ctxs, 1, &rep->diags);
  if (st == PR_OK && (c.failed || c.view.failed)) st = PR_ERR_NOMEM;
  pr_view_ctx_release(&c.view);
  pr_buf_free(&c.b);
  return st;
}
