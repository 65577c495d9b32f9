/* templates.c - templates held in memory (pr_options_set_template): a
   generator's own templates, looked up before the template directory's
   files and the built-in ones (render_tpl.c), and the rule for a
   template's or partial's name that both share. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options/options.h"

int pr_template_name_ok(const char *name) {
  int start = 1;
  for (const char *c = name;; c++) {
    if (*c == '/' || !*c) {
      if (start) return 0; /* empty part: leading, trailing or double '/' */
      if (!*c) return 1;
      start = 1;
    } else if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
               *c == '_' || *c == '-' || (*c == '.' && !start)) {
      start = 0;
    } else {
      return 0;
    }
  }
}

static const char css_name[] = "pubrender.css";
static const char suffix[] = ".mustache";

/* The file a template stands for ("html/entry.mustache", "pubrender.css")
   into rel (size PR_TEMPLATE_REL_MAX); 0, or -1 when the name is refused
   (why says so). */
static int rel_name(pr_format f, const char *name, char *rel, const char **why) {
  if (strcmp(name, css_name) == 0) {
    memcpy(rel, css_name, sizeof css_name);
    return 0;
  }
  const char *folder = f == PR_FORMAT_HTML ? "html" : f == PR_FORMAT_MARKDOWN ? "markdown" : NULL;
  size_t n = strlen(name);
  if (!folder) *why = "templates are for PR_FORMAT_HTML and PR_FORMAT_MARKDOWN only";
  else if (n > 255 || !pr_template_name_ok(name))
    *why = "a template's name is letters, digits, '_', '-' and '.' (not first), in parts "
           "separated by '/', at most 255 bytes";
  else if (n >= sizeof suffix - 1 && strcmp(name + n - (sizeof suffix - 1), suffix) == 0)
    *why = "a template's name is given without .mustache (\"entry\", not \"entry.mustache\")";
  else {
    snprintf(rel, PR_TEMPLATE_REL_MAX, "%s/%s%s", folder, name, suffix);
    return 0;
  }
  return -1;
}

static void mem_template_free(pr_mem_template *t) {
  free(t->rel);
  free(t->source);
  free(t->text);
}

pr_status pr_options_set_template(pr_options *o, pr_format f, const char *name, const char *text,
                                  size_t len, const char *source, pr_error *err) {
  if (!o || !name) {
    pr_set_error(err, PR_ERR_ARG, "", 0, "no options or no template name");
    return PR_ERR_ARG;
  }
  char rel[PR_TEMPLATE_REL_MAX];
  const char *why = NULL;
  if (rel_name(f, name, rel, &why)) {
    pr_set_error(err, PR_ERR_ARG, name, 0, "%s", why);
    return PR_ERR_ARG;
  }
  size_t i = 0;
  while (i < o->nmem_templates && strcmp(o->mem_templates[i].rel, rel) != 0) i++;
  if (!text) { /* removed: the directory's or the built-in one again */
    if (i < o->nmem_templates) {
      mem_template_free(&o->mem_templates[i]);
      memmove(&o->mem_templates[i], &o->mem_templates[i + 1],
              (o->nmem_templates - i - 1) * sizeof *o->mem_templates);
      o->nmem_templates--;
    }
    return PR_OK;
  }
  /* the name errors give: the caller's, or <memory>/FORMAT/NAME */
  char def[PR_TEMPLATE_REL_MAX + 16];
  size_t rl = strlen(rel);
  if (rl > sizeof suffix - 1 && strcmp(rel + rl - (sizeof suffix - 1), suffix) == 0)
    rl -= sizeof suffix - 1;
  snprintf(def, sizeof def, "<memory>/%.*s", (int)rl, rel);
  pr_mem_template t = {pr_strdup(rel), pr_strdup(source && *source ? source : def),
                       malloc(len + 1), len};
  if (t.text) {
    if (len) memcpy(t.text, text, len);
    t.text[len] = '\0';
  }
  pr_mem_template *v = t.rel && t.source && t.text && i == o->nmem_templates
                           ? realloc(o->mem_templates, (i + 1) * sizeof *v)
                           : o->mem_templates;
  if (!t.rel || !t.source || !t.text || !v) {
    mem_template_free(&t);
    pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
    return PR_ERR_NOMEM;
  }
  o->mem_templates = v;
  if (i < o->nmem_templates) mem_template_free(&v[i]);
  else o->nmem_templates++;
  v[i] = t;
  return PR_OK;
}

const pr_mem_template *pr_options_find_template(const pr_options *o, const char *rel) {
  for (size_t i = 0; o && i < o->nmem_templates; i++)
    if (strcmp(o->mem_templates[i].rel, rel) == 0) return &o->mem_templates[i];
  return NULL;
}

void pr_options_free_templates(pr_options *o) {
  for (size_t i = 0; i < o->nmem_templates; i++) mem_template_free(&o->mem_templates[i]);
  free(o->mem_templates);
  o->mem_templates = NULL;
  o->nmem_templates = 0;
}
