/* render_csl.c - --format csl-json: CSL-JSON (csl-data.json), the input of
   pandoc --citeproc, citeproc-js, citation-js and Zotero. The mapping follows
   pandoc's BibTeX/biblatex reader (Text.Pandoc.Citeproc.BibTeX) where that
   is sound; README.md, "CSL-JSON output", has the table and every place
   where pubrender differs. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "render/render.h"

/* Building one record: the first failure (out of memory) sticks in rc and
   every later step is skipped. */
/* A name list of a record, written name by name when the record is dumped
   (pr_json_deferred): a record may hold a million names. */
typedef struct csl_names {
  const pr_entry *e;
  const char *field;
  pr_raw_name *raw;        /* the field split (for the non-name fields' parts, and literals) */
  size_t nraw;
  int parsed;              /* a name field: the entry's parsed names */
  size_t n;                /* names in the list */
  size_t next;             /* the position the next item is looked for from */
} csl_names;

typedef struct csl {
  json_t *j;
  const pr_entry *e;
  pr_diags *diags;         /* the render's findings */
  int rc;
  csl_names *lists;        /* PR_JSON_MAX_DEFERRED of them */
  pr_json_deferred *d;
  size_t *nd;
} csl;

static int is_one_of(const char *s, const char *const *list) {
  for (; *list; list++)
    if (strcmp(s, *list) == 0) return 1;
  return 0;
}

/* t (taken), or NULL when it is empty or NULL (out of memory: c->rc set). */
static char *nonempty(csl *c, char *t) {
  if (!t) {
    c->rc = -1;
    return NULL;
  }
  if (!*t) {
    free(t);
    return NULL;
  }
  return t;
}

static void csl_put_text(pr_buf *b, const char *s, size_t n);

/* The field as plain text, NULL when absent, empty, or out of memory (then
   c->rc is set). */
static char *text(csl *c, const char *field) {
  const char *v = pr_entry_field(c->e, field);
  if (!v || c->rc) return NULL;
  char *t = pr_plain_text(v);
  if (t && strchr(t, '<')) { /* a '<' that would start a tag of CSL's */
    pr_buf b = {0};
    csl_put_text(&b, t, strlen(t));
    free(t);
    t = pr_buf_take(&b);
  }
  return nonempty(c, t);
}

/* CSL rich text has no escapes (pandoc's citeproc shows "&amp;" as
   written; a '<' that starts no tag is text), so a '<' of the text that
   would start one of its tags (<i>, </b>, <sup>, <span ...>, ...) is
   written as <span class="nocase"><</span>, which breaks the tag and
   changes nothing else (a '<' has no case). */
static int starts_tag(const char *s) {
  static const char *const names[] = {"i", "b", "sup", "sub", "sc", "span", NULL};
  s++;
  if (*s == '/') s++;
  for (const char *const *n = names; *n; n++) {
    size_t k = strlen(*n);
    if (strncasecmp(s, *n, k) == 0 && (s[k] == '>' || s[k] == ' ' || s[k] == '/')) return 1;
  }
  return 0;
}

static void csl_put_text(pr_buf *b, const char *s, size_t n) {
  size_t from = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '<' && starts_tag(s + i)) {
      pr_buf_put(b, s + from, i - from);
      pr_buf_puts(b, "<span class=\"nocase\"><</span>");
      from = i + 1;
    }
  pr_buf_put(b, s + from, n - from);
}

/* Marked text as CSL's rich text (the HTML-like markup of CSL-JSON
   strings, which citeproc-js, citeproc and pandoc read): emphasis <i>,
   bold <b>, <sup>, <sub>, small caps <span
   style="font-variant:small-caps;">; case-protected text (BibTeX's braces,
   read.h), code and math in <span class="nocase"> (its case kept: a
   title-casing style leaves {GPUs} and \mathcal alone), a span nested in
   another written once; a line break a space; math as \(..\); a link,
   small, u and s as their text. */
static char *csl_rich(const char *m) {
  pr_buf b = {0};
  unsigned nocase = 0; /* open case-protected spans */
  while (*m) {
    size_t n = 0;
    while ((unsigned char)m[n] > PR_MK_LAST) n++;
    if (n) {
      csl_put_text(&b, m, n);
      m += n;
      continue;
    }
    const char *tag = NULL;
    switch (*m) {
    case PR_MK_EMPH_ON: tag = "<i>"; break;
    case PR_MK_EMPH_OFF: tag = "</i>"; break;
    case PR_MK_BOLD_ON: tag = "<b>"; break;
    case PR_MK_BOLD_OFF: tag = "</b>"; break;
    case PR_MK_SUP_ON: tag = "<sup>"; break;
    case PR_MK_SUP_OFF: tag = "</sup>"; break;
    case PR_MK_SUB_ON: tag = "<sub>"; break;
    case PR_MK_SUB_OFF: tag = "</sub>"; break;
    case PR_MK_SC_ON: tag = "<span style=\"font-variant:small-caps;\">"; break;
    case PR_MK_SC_OFF: tag = "</span>"; break;
    case PR_MK_NOCASE_ON: case PR_MK_CODE_ON:
      if (!nocase++) tag = "<span class=\"nocase\">";
      break;
    case PR_MK_NOCASE_OFF: case PR_MK_CODE_OFF:
      if (nocase && !--nocase) tag = "</span>";
      break;
    case PR_MK_BR: tag = " "; break;
    case PR_MK_MATH_ON: {
      const char *end = strchr(m + 1, PR_MK_MATH_OFF);
      size_t len = end ? (size_t)(end - m - 1) : strlen(m + 1);
      if (!nocase) pr_buf_puts(&b, "<span class=\"nocase\">");
      pr_buf_puts(&b, "\\(");
      csl_put_text(&b, m + 1, len);
      pr_buf_puts(&b, "\\)");
      m += len + (end ? 1 : 0);
      if (!nocase) {
        /* the letters right after it are the rest of its word ("$k$th"):
           citeproc would take them for a word after the ')' */
        size_t k = 0;
        while (end && isalnum((unsigned char)m[1 + k])) k++;
        pr_buf_put(&b, m + 1, k);
        m += k;
        pr_buf_puts(&b, "</span>");
      }
      break;
    }
    case PR_MK_LINK_ON:
      while (m[1] && m[1] != PR_MK_LINK_MID) m++; /* the url */
      break;
    default: break; /* LINK_MID, LINK_OFF, SMALL, U, S: the text only */
    }
    if (tag) pr_buf_puts(&b, tag);
    m++;
  }
  return pr_buf_take(&b);
}

/* LaTeX source as CSL rich text (csl_rich), NULL when out of memory. */
static char *rich_of(const char *latex) {
  pr_latex_hooks h = {NULL, NULL, NULL, 0, 1};
  char *m = pr_latex_to_marked_hooks(latex, strlen(latex), &h);
  char *t = m ? csl_rich(m) : NULL;
  free(m);
  return t;
}

/* The field as CSL rich text (csl_rich), NULL like text(). */
static char *rich(csl *c, const char *field) {
  const char *v = pr_entry_field(c->e, field);
  if (!v || c->rc) return NULL;
  return nonempty(c, rich_of(v));
}

static void set(csl *c, const char *key, json_t *val) {
  if (c->rc) {
    json_decref(val);
    return;
  }
  if (pr_json_set(c->j, key, val)) c->rc = -1;
}

/* Takes ownership of s (may be NULL: nothing set). */
static void set_owned(csl *c, const char *key, char *s) {
  if (s) set(c, key, pr_json_str(s));
  free(s);
}

static void set_field(csl *c, const char *key, const char *field) {
  set_owned(c, key, text(c, field));
}

/* pandoc's concatWith: parts joined by sep + " ", or by a space alone after
   a part that already ends in punctuation. Takes ownership of both; NULL
   when both are NULL or memory ran out (then c->rc is set). */
static char *concat_with(csl *c, char sep, char *a, char *b) {
  if (!a) return b;
  if (!b) return a;
  size_t n = strlen(a);
  /* the last character of the text: closing tags of rich text skipped */
  while (n && a[n - 1] == '>') {
    size_t k = n - 1;
    while (k && a[k] != '<') k--;
    if (a[k] != '<' || a[k + 1] != '/') break;
    n = k;
  }
  pr_buf r = {0};
  pr_buf_puts(&r, a);
  if (!(n && strchr("!?.,:;", a[n - 1]))) pr_buf_putc(&r, sep);
  pr_buf_putc(&r, ' ');
  pr_buf_puts(&r, b);
  free(a);
  free(b);
  char *res = pr_buf_take(&r);
  if (!res) c->rc = -1;
  return res;
}

/* A title from its main, sub and addon fields: "Main: Sub. Addon". */
static char *title_from(csl *c, const char *main, const char *sub, const char *addon) {
  char *t = rich(c, main);
  if (!t) return NULL;
  t = concat_with(c, ':', t, rich(c, sub));
  return addon && t ? concat_with(c, '.', t, rich(c, addon)) : t;
}

/* ---- types ---- */

static const char *const chapterlike[] = {"inbook",     "incollection", "inproceedings",
                                          "conference", "inreference",  "bookinbook", NULL};

static const struct { const char *bib, *csl; } type_map[] = {
    {"article", "article-journal"},      {"book", "book"},
    {"mvbook", "book"},                  {"collection", "book"},
    {"mvcollection", "book"},            {"proceedings", "book"},
    {"mvproceedings", "book"},           {"reference", "book"},
    {"mvreference", "book"},             {"manual", "book"},
    {"commentary", "book"},              {"booklet", "pamphlet"},
    {"bookinbook", "chapter"},           {"inbook", "chapter"},
    {"incollection", "chapter"},         {"suppbook", "chapter"},
    {"suppcollection", "chapter"},       {"inreference", "entry-encyclopedia"},
    {"inproceedings", "paper-conference"}, {"conference", "paper-conference"},
    {"dataset", "dataset"},              {"data", "dataset"},
    {"online", "webpage"},               {"www", "webpage"},
    {"electronic", "webpage"},           {"patent", "patent"},
    {"periodical", "periodical"},        {"suppperiodical", "article-journal"},
    {"phdthesis", "thesis"},             {"mastersthesis", "thesis"},
    {"thesis", "thesis"},                {"report", "report"},
    {"techreport", "report"},            {"software", "software"},
    {"unpublished", "manuscript"},       {"misc", "document"},
    {"artwork", "graphic"},              {"image", "graphic"},
    {"audio", "song"},                   {"music", "song"},
    {"jurisdiction", "legal_case"},      {"legislation", "legislation"},
    {"legal", "treaty"},                 {"letter", "personal_communication"},
    {"letters", "personal_communication"}, {"movie", "motion_picture"},
    {"video", "motion_picture"},         {"performance", "speech"},
    {"review", "review"},                {"standard", "standard"},
    {"newsarticle", "article-newspaper"},
};

static const char *csl_type(const pr_entry *e) {
  const char *t = e->type;
  if (strcmp(t, "article") == 0 || strcmp(t, "suppperiodical") == 0) {
    const char *sub = pr_entry_field(e, "entrysubtype");
    if (sub && strcmp(sub, "magazine") == 0) return "article-magazine";
    if (sub && strcmp(sub, "newspaper") == 0) return "article-newspaper";
  }
  if (strcmp(t, "unpublished") == 0 &&
      (pr_entry_field(e, "eventtitle") || pr_entry_field(e, "eventdate") ||
       pr_entry_field(e, "venue")))
    return "speech";
  for (size_t i = 0; i < sizeof type_map / sizeof *type_map; i++)
    if (strcmp(t, type_map[i].bib) == 0) return type_map[i].csl;
  return "document";
}

/* genre: the type field (biblatex's keys resolved), or the thesis kind. */
static char *genre(csl *c) {
  static const struct { const char *key, *text; } keys[] = {
      {"phdthesis", "PhD thesis"},          {"mathesis", "Master’s thesis"},
      {"candthesis", "Candidate thesis"},   {"techreport", "technical report"},
      {"resreport", "research report"},     {"software", "computer software"},
      {"datacd", "CD-ROM"},                 {"audiocd", "audio CD"},
      {"patent", "patent"},                 {"patentus", "U.S. patent"},
      {"patenteu", "European patent"},      {"patentuk", "British patent"},
      {"patentde", "German patent"},        {"patentfr", "French patent"},
      {"patreq", "patent request"},         {"patrequs", "U.S. patent request"},
      {"patreqeu", "European patent request"}, {"patrequk", "British patent request"},
      {"patreqde", "German patent request"}, {"patreqfr", "French patent request"}};
  char *t = text(c, "type");
  if (t) {
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
      if (strcasecmp(t, keys[i].key) == 0) {
        free(t);
        t = pr_strdup(keys[i].text);
        if (!t) c->rc = -1;
        break;
      }
    return t;
  }
  const char *kind = strcmp(c->e->type, "phdthesis") == 0       ? "PhD thesis"
                     : strcmp(c->e->type, "mastersthesis") == 0 ? "Master’s thesis"
                                                                : NULL;
  if (!kind || c->rc) return NULL;
  if (!(t = pr_strdup(kind))) c->rc = -1;
  return t;
}

/* language: biblatex's langid (or hyphenation), a babel language name, as
   a BCP 47 tag; langidopts variant=british etc. as pandoc reads them. An
   unknown name is passed on as written. */
static char *language(csl *c) {
  static const struct { const char *babel, *tag; } langs[] = {
      {"english", "en-US"},     {"american", "en-US"},  {"usenglish", "en-US"},
      {"british", "en-GB"},     {"ukenglish", "en-GB"}, {"australian", "en-AU"},
      {"newzealand", "en-NZ"},  {"canadian", "en-CA"},  {"german", "de-DE"},
      {"ngerman", "de-DE"},     {"austrian", "de-AT"},  {"naustrian", "de-AT"},
      {"swissgerman", "de-CH"}, {"nswissgerman", "de-CH"}, {"french", "fr-FR"},
      {"francais", "fr-FR"},    {"acadian", "fr-CA"},   {"canadien", "fr-CA"},
      {"italian", "it-IT"},     {"spanish", "es-ES"},   {"portuguese", "pt-PT"},
      {"portuges", "pt-PT"},    {"brazilian", "pt-BR"}, {"brazil", "pt-BR"},
      {"dutch", "nl-NL"},       {"latin", "la"},        {"greek", "el-GR"},
      {"russian", "ru-RU"},     {"polish", "pl-PL"},    {"czech", "cs-CZ"},
      {"swedish", "sv-SE"},     {"danish", "da-DK"},    {"norsk", "nb-NO"},
      {"nynorsk", "nn-NO"},     {"finnish", "fi-FI"},   {"japanese", "ja-JP"},
      {"chinese", "zh-CN"},     {"korean", "ko-KR"},    {"turkish", "tr-TR"},
      {"hungarian", "hu-HU"},   {"catalan", "ca-AD"},   {"croatian", "hr-HR"}};
  char *l = text(c, pr_entry_field(c->e, "langid") ? "langid" : "hyphenation");
  if (!l) return NULL;
  const char *opts = pr_entry_field(c->e, "langidopts");
  if (strcasecmp(l, "english") == 0 && opts) {
    static const struct { const char *opt, *tag; } variants[] = {
        {"british", "en-GB"}, {"uk", "en-GB"}, {"australian", "en-AU"},
        {"newzealand", "en-NZ"}, {"american", "en-US"}, {"us", "en-US"}};
    const char *v = strstr(opts, "variant=");
    for (size_t i = 0; v && i < sizeof variants / sizeof *variants; i++)
      if (strcasecmp(v + 8, variants[i].opt) == 0) {
        free(l);
        if (!(l = pr_strdup(variants[i].tag))) c->rc = -1;
        return l;
      }
  }
  for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
    if (strcasecmp(l, langs[i].babel) == 0) {
      free(l);
      if (!(l = pr_strdup(langs[i].tag))) c->rc = -1;
      return l;
    }
  return l;
}

/* ---- names ---- */

/* Is a raw (LaTeX) name part one brace group, maybe followed by marks:
   "{Barnes and Noble, Inc.}"? */
static int one_brace_group(const char *s) {
  while (isspace((unsigned char)*s)) s++;
  if (*s != '{') return 0;
  int depth = 0;
  for (; *s; s++) {
    if (*s == '\\' && s[1]) s++;
    else if (*s == '{') depth++;
    else if (*s == '}' && --depth == 0) break;
  }
  if (!*s) return 0;
  for (s++; *s; s++)
    if (isalnum((unsigned char)*s) || *s == '{') return 0;
  return 1;
}

static json_t *csl_name(const char *first, const char *von, const char *last, const char *jr,
                        int literal) {
  json_t *j = json_object();
  if (!j) return NULL;
  int rc;
  if (literal) rc = pr_json_set_str(j, "literal", last);
  else
    rc = (*last && pr_json_set_str(j, "family", last)) ||
         (*first && pr_json_set_str(j, "given", first)) ||
         (*von && pr_json_set_str(j, "non-dropping-particle", von)) ||
         (*jr && pr_json_set_str(j, "suffix", jr));
  if (rc) {
    json_decref(j);
    return NULL;
  }
  return j;
}

/* Name i of list l as CSL, or NULL when it is not written ("others", an
   empty name); *oom set when out of memory. */
static json_t *csl_name_at(const csl_names *l, size_t i, int *oom) {
  const pr_raw_name *r = l->nraw == l->n ? &l->raw[i] : NULL;
  char *parts[4] = {NULL, NULL, NULL, NULL};
  const char *first, *von, *last, *jr;
  int others;
  json_t *j = NULL;
  if (l->parsed) {
    const pr_name *pn = pr_entry_name(l->e, l->field, i);
    first = pn->first, von = pn->more->von, last = pn->last, jr = pn->more->jr;
    others = pn->others;
  } else {
    const char *src[4] = {r->first, r->von, r->last, r->jr};
    for (int k = 0; k < 4; k++)
      if (!(parts[k] = pr_plain_text(src[k]))) *oom = 1;
    first = parts[0], von = parts[1], last = parts[2], jr = parts[3];
    others = !*r->first && !*r->von && !*r->jr && strcmp(r->last, "others") == 0;
  }
  if (!*oom && !others && (*first || *von || *last || *jr)) {
    /* a corporate name: one brace group and nothing else; without the raw
       parts (should not happen), a last name with a space and no other part */
    int literal = !*first && !*von && !*jr &&
                  (r ? one_brace_group(r->last) : strchr(last, ' ') != NULL);
    if (!(j = csl_name(first, von, last, jr, literal))) *oom = 1;
  }
  for (int k = 0; k < 4; k++) free(parts[k]);
  return j;
}

/* The next name written, from l->next on (items are asked for in order). */
static json_t *csl_name_item(size_t i, void *ctx) {
  (void)i;
  csl_names *l = ctx;
  int oom = 0;
  for (; l->next < l->n && !oom; l->next++) {
    json_t *j = csl_name_at(l, l->next, &oom);
    if (j) {
      l->next++;
      return j;
    }
  }
  return NULL;
}

static void csl_names_release(void *ctx) {
  csl_names *l = ctx;
  pr_raw_names_free(l->raw, l->nraw);
  l->raw = NULL;
}

/* A name list: a name field's from the entry's parsed names (marks
   removed), another field's split here; "others" is left out, and so is a
   list with no name left. Its names are written when the record is. */
static void names(csl *c, const char *key, const char *field) {
  const pr_field *f = pr_entry_find_field(c->e, field);
  if (!f || c->rc) return;
  pr_raw_name *raw;
  long nraw = pr_bt_split_names(f->value, NULL, c->e->file, f->line, &raw);
  if (nraw < 0) {
    c->rc = -1;
    return;
  }
  int parsed = pr_name_field_index(field) >= 0;
  csl_names *l = &c->lists[*c->nd];
  *l = (csl_names){c->e, field, raw, (size_t)nraw, parsed,
                   parsed ? pr_entry_name_count(c->e, field) : (size_t)nraw, 0};
  /* count the names written, so an empty list is left out */
  size_t count = 0;
  int oom = 0;
  for (size_t i = 0; i < l->n && !oom; i++) {
    json_t *j = csl_name_at(l, i, &oom);
    count += j != NULL;
    json_decref(j);
  }
  c->d[*c->nd] = (pr_json_deferred){count, csl_name_item, l, csl_names_release};
  if (oom || !count) {
    csl_names_release(l);
    if (oom) c->rc = -1;
    return;
  }
  set(c, key, pr_json_deferred_mark((*c->nd)++));
}

/* The CSL variable for the names of an editor field (editor, editora,
   editorb, editorc) by the role its type field gives (biblatex's
   editortype, editoratype, ...): none is an editor; compiler, director,
   organizer as CSL names them, collaborator CSL's contributor; a role CSL
   has no variable for (founder, continuator, redactor, reviser, ...) is
   NULL, except for editor itself, which stays an editor. */
static const char *editor_var(csl *c, const char *field) {
  static const struct { const char *role, *var; } roles[] = {
      {"editor", "editor"},       {"compiler", "compiler"},    {"director", "director"},
      {"organizer", "organizer"}, {"collaborator", "contributor"}};
  char typefield[16];
  snprintf(typefield, sizeof typefield, "%stype", field);
  char *t = text(c, typefield);
  const char *var = t ? NULL : "editor";
  for (size_t i = 0; t && i < sizeof roles / sizeof *roles; i++)
    if (strcasecmp(t, roles[i].role) == 0) var = roles[i].var;
  free(t);
  return var || strcmp(field, "editor") != 0 ? var : "editor";
}

/* editor, editora, editorb, editorc into the variables of their roles; a
   variable a list before took is not written again. */
static void editors(csl *c) {
  static const char *const fields[] = {"editor", "editora", "editorb", "editorc"};
  for (size_t i = 0; i < sizeof fields / sizeof *fields && !c->rc; i++) {
    const char *var = pr_entry_find_field(c->e, fields[i]) ? editor_var(c, fields[i]) : NULL;
    if (var && !json_object_get(c->j, var)) names(c, var, fields[i]);
  }
}

/* ---- dates ---- */

/* One end of a CSL date: [year, month, day] as far as known; a season
   (21..24) is not a month here (date_var writes "season"). */
static json_t *date_part(const pr_ymd *d) {
  json_t *one = json_array();
  int m = d->m >= 1 && d->m <= 12 ? d->m : 0;
  if (one && (pr_json_append(one, json_integer(d->y)) ||
              (m && pr_json_append(one, json_integer(m))) ||
              (m && d->d && pr_json_append(one, json_integer(d->d))))) {
    json_decref(one);
    one = NULL;
  }
  return one;
}

/* date-parts: [[start]], or [[start], [end]] for a range; an open end is
   [0] (citeproc-js's and pandoc's reading: "1987–"), an open start too. */
static json_t *date_parts(const pr_date *d) {
  json_t *dp = json_array();
  static const pr_ymd open = {0, 0, 0};
  int two = d->range && !(d->to.y == d->from.y && d->to.m == d->from.m && d->to.d == d->from.d);
  if (dp && (pr_json_append(dp, date_part(d->open_start ? &open : &d->from)) ||
             (two && pr_json_append(dp, date_part(d->open_end ? &open : &d->to))))) {
    json_decref(dp);  /* json_array_append_new took (or freed) the part */
    dp = NULL;
  }
  return dp;
}

/* A CSL date variable from biblatex's <prefix>date, else from BibTeX's
   <prefix>year, <prefix>month, <prefix>day (and end* for a range), as
   years.c reads them (README: "Dates"). A value that is not a date
   becomes {"literal": text}. */
static void date_var(csl *c, const char *key, const char *prefix) {
  pr_date d;
  const char *lfield, *bad, *why;
  pr_date_kind kind = pr_entry_read_date(c->e, prefix, &d, &lfield, &bad, &why);
  if (kind == PR_DATE_NONE) return;
  char *literal = NULL;
  if (kind == PR_DATE_LITERAL && !(literal = pr_plain_text(pr_entry_field(c->e, lfield)))) {
    c->rc = -1;
    return;
  }
  if (literal && !*literal) {
    free(literal);
    return;
  }
  json_t *j = json_object();
  int rc = !j;
  if (!rc && kind == PR_DATE_OK) rc = pr_json_set(j, "date-parts", date_parts(&d));
  if (!rc && kind == PR_DATE_OK && d.from.m > 12)
    rc = pr_json_set(j, "season", json_integer(d.from.m - 20));
  if (!rc && kind == PR_DATE_OK && d.circa) rc = pr_json_set(j, "circa", json_true());
  if (!rc && literal) rc = pr_json_set_str(j, "literal", literal);
  free(literal);
  if (rc) {
    json_decref(j);
    c->rc = -1;
    return;
  }
  set(c, key, j);
}

/* ---- links and identifiers ---- */

static void warn_dropped(csl *c, const pr_field *f) {
  if (!c->rc && pr_diagx(c->diags, PR_WARNING, "unsafe-url", c->e->key, f->name, c->e->file, f->line,
                             "entry '%s': %s link '%s' dropped (only http, https, mailto or a "
                             "relative path are allowed)",
                             c->e->key, f->name, f->value))
    c->rc = -1;
}

static void url(csl *c) {
  const pr_field *f = pr_entry_find_field(c->e, "url");
  if (c->rc) return;
  if (f) {
    char *href = pr_link_href("url", f->value);
    if (href) set_owned(c, "URL", href);
    else warn_dropped(c, f);
    return;
  }
  /* biblatex eprint with a known eprinttype (BibTeX: archivePrefix) */
  static const struct { const char *type, *base; } eprints[] = {
      {"arxiv", "https://arxiv.org/abs/"},
      {"jstor", "https://www.jstor.org/stable/"},
      {"pubmed", "https://www.ncbi.nlm.nih.gov/pubmed/"},
      {"googlebooks", "https://books.google.com?id="}};
  const char *kind = pr_entry_field(c->e, "eprinttype");
  const char *id = pr_entry_field(c->e, "eprint");
  if (!kind) kind = pr_entry_field(c->e, "archiveprefix");
  if (!kind || !id) return;
  for (size_t i = 0; i < sizeof eprints / sizeof *eprints; i++)
    if (strcasecmp(kind, eprints[i].type) == 0) {
      pr_buf b = {0};
      pr_buf_puts(&b, eprints[i].base);
      pr_buf_puts(&b, id);
      char *u = pr_buf_take(&b);
      if (!u) c->rc = -1;
      else if (pr_url_is_safe(u)) set_owned(c, "URL", u);
      else free(u);
      return;
    }
}

/* The bare DOI: "doi:" and a doi.org address removed. */
static void doi(csl *c) {
  const pr_field *f = pr_entry_find_field(c->e, "doi");
  if (!f || c->rc) return;
  const char *v = f->value;
  while (isspace((unsigned char)*v)) v++;
  if (strncasecmp(v, "doi:", 4) == 0) v += 4;
  char *u = pr_link_href("url", v);
  if (!u) {
    if (*v) warn_dropped(c, f);
    return;
  }
  static const char *const prefixes[] = {"https://doi.org/", "http://doi.org/",
                                         "https://dx.doi.org/", "http://dx.doi.org/"};
  size_t skip = 0;
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
    if (strncasecmp(u, prefixes[i], strlen(prefixes[i])) == 0) skip = strlen(prefixes[i]);
  memmove(u, u + skip, strlen(u + skip) + 1);
  if (*u) set_owned(c, "DOI", u);
  else free(u);
}

/* ---- the record ---- */

/* pages with en dashes as hyphens (as pandoc writes page ranges). */
static void pages(csl *c) {
  char *p = text(c, "pages");
  if (!p) return;
  pr_buf b = {0};
  for (const char *s = p; *s; s++) {
    if (strncmp(s, "\xe2\x80\x93", 3) == 0) {
      pr_buf_putc(&b, '-');
      s += 2;
    } else {
      pr_buf_putc(&b, *s);
    }
  }
  free(p);
  p = pr_buf_take(&b);
  if (!p) c->rc = -1;
  set_owned(c, "page", p);
}

/* number, issue, collection-number as pandoc places them. */
static void numbers(csl *c) {
  static const char *const in_series[] = {
      "book",          "collection",  "proceedings",    "reference",     "mvbook",
      "mvcollection",  "mvproceedings", "mvreference",  "bookinbook",    "inbook",
      "incollection",  "inproceedings", "conference",   "inreference",   "suppbook",
      "suppcollection", NULL};
  static const char *const articles[] = {"article", "periodical", "suppperiodical", "review",
                                         NULL};
  const char *t = c->e->type;
  char *number = text(c, "number");
  if (is_one_of(t, articles)) {
    set_owned(c, "issue", concat_with(c, ',', number, text(c, "issue")));
  } else if (is_one_of(t, in_series)) {
    set_owned(c, "collection-number", number);
  } else {
    set_owned(c, "number", number);
  }
}

/* volume, or "volume.part" (biblatex's part of a volume). */
static void volume(csl *c) {
  char *v = text(c, "volume"), *p = text(c, "part");
  if (v && p) {
    pr_buf b = {0};
    pr_buf_puts(&b, v);
    pr_buf_putc(&b, '.');
    pr_buf_puts(&b, p);
    free(v);
    free(p);
    p = NULL;
    if (!(v = pr_buf_take(&b))) c->rc = -1;
  }
  set_owned(c, "volume", v ? v : p);
}

/* A span's opening marker (read.h); its closer is the next byte. */
static int is_opener(char ch) {
  switch (ch) {
  case PR_MK_EMPH_ON: case PR_MK_BOLD_ON: case PR_MK_NOCASE_ON: case PR_MK_SUP_ON:
  case PR_MK_SUB_ON: case PR_MK_SC_ON: case PR_MK_CODE_ON: case PR_MK_SMALL_ON:
  case PR_MK_U_ON: case PR_MK_S_ON: return 1;
  default: return 0;
  }
}

/* The marked title m up to its first ':' outside math and link targets
   (spaces before it dropped, the spans open there closed), as CSL rich
   text; NULL when there is no such ':' (*found left 0) or nothing before
   it, or out of memory (*oom set). */
static char *rich_before_colon(const char *m, int *found, int *oom) {
  char closers[64];
  size_t open = 0, cut = 0;
  const char *p = m;
  for (; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == ':') break;
    if (ch == PR_MK_MATH_ON) {
      const char *end = strchr(p + 1, PR_MK_MATH_OFF);
      if (!end) return NULL;
      p = end;
    } else if (ch == PR_MK_LINK_ON) {
      const char *mid = strchr(p, PR_MK_LINK_MID);
      if (!mid) return NULL;
      p = mid;
      if (open < sizeof closers) closers[open] = PR_MK_LINK_OFF;
      open++;
    } else if (is_opener(*p)) {
      if (open < sizeof closers) closers[open] = (char)(ch + 1); /* its closer */
      open++;
    } else if (ch <= PR_MK_LAST && ch != PR_MK_BR && ch != PR_MK_LINK_MID && open) {
      open--; /* a closer: spans nest properly */
    }
  }
  if (!*p) return NULL;
  *found = 1;
  if (open > sizeof closers) return NULL;
  cut = (size_t)(p - m);
  while (cut && m[cut - 1] == ' ') cut--;
  pr_buf b = {0};
  pr_buf_put(&b, m, cut);
  while (open) pr_buf_putc(&b, closers[--open]);
  char *short_m = pr_buf_take(&b);
  char *plain = short_m ? pr_marked_to_plain(short_m) : NULL;
  char *res = plain && *plain ? csl_rich(short_m) : NULL;
  if (!short_m || !plain || (*plain && !res)) *oom = 1;
  free(plain);
  free(short_m);
  return res;
}

/* title-short: shorttitle; else the title up to its first ':'; else the
   title when there is a subtitle. Rich text, like the title. */
static char *title_short(csl *c) {
  char *s = rich(c, "shorttitle");
  if (s || c->rc) return s;
  int has_sub = pr_entry_field(c->e, "subtitle") || pr_entry_field(c->e, "titleaddon");
  const char *v = pr_entry_field(c->e, "title");
  if (!v) return NULL;
  pr_latex_hooks h = {NULL, NULL, NULL, 0, 1};
  char *m = pr_latex_to_marked_hooks(v, strlen(v), &h);
  if (!m) {
    c->rc = -1;
    return NULL;
  }
  int found = 0, oom = 0;
  char *t = rich_before_colon(m, &found, &oom);
  if (!t && !oom && has_sub && !found) t = nonempty(c, csl_rich(m));
  free(m);
  if (oom) c->rc = -1;
  return t;
}

static char *publisher(csl *c) {
  static const char *const fields[] = {"school", "institution", "organization", "howpublished",
                                       "publisher"};
  char *p = NULL;
  for (size_t i = 0; i < sizeof fields / sizeof *fields && !c->rc; i++) {
    char *t = text(c, fields[i]);
    if (!t) continue;
    p = concat_with(c, ';', p, t);
  }
  return p;
}

static json_t *record(pr_diags *diags, const pr_entry *e, csl_names *lists, pr_json_deferred *d,
                      size_t *nd) {
  csl c = {json_object(), e, diags, 0, lists, d, nd};
  if (!c.j) return NULL;
  const char *type = csl_type(e);
  int chapter = is_one_of(e->type, chapterlike);
  int periodical = strcmp(e->type, "periodical") == 0;
  set(&c, "id", pr_json_str(pr_entry_id(e)));
  set(&c, "type", pr_json_str(type));
  set_owned(&c, "genre", genre(&c));
  /* biblatex's maintitle names the multi-volume work the volume number
     belongs to (as pandoc and CSL 1.0.2 read it): a book's own title is
     then its volume-title, a chapter's booktitle likewise. */
  int main_title = pr_entry_field(e, "maintitle") != NULL;
  if (main_title && !chapter) {
    set_owned(&c, "title", title_from(&c, "maintitle", "mainsubtitle", "maintitleaddon"));
    set_owned(&c, "volume-title", title_from(&c, "title", "subtitle", "titleaddon"));
  } else {
    set_owned(&c, "title", title_from(&c, "title", "subtitle", "titleaddon"));
  }
  set_owned(&c, "title-short", title_short(&c));
  if (periodical) set_owned(&c, "volume-title", title_from(&c, "issuetitle", "issuesubtitle", NULL));
  char *container = NULL;
  if (chapter && main_title) {
    container = title_from(&c, "maintitle", "mainsubtitle", "maintitleaddon");
    set_owned(&c, "volume-title", title_from(&c, "booktitle", "booksubtitle", "booktitleaddon"));
  } else if (chapter) {
    container = title_from(&c, "booktitle", "booksubtitle", "booktitleaddon");
  }
  if (!container && !c.rc)
    container = title_from(&c, pr_entry_field(e, "journaltitle") ? "journaltitle" : "journal",
                           "journalsubtitle", NULL);
  set_owned(&c, "container-title", container);
  /* the title-like variables a style re-cases are rich text, like title */
  set_owned(&c, "container-title-short", rich(&c, "shortjournal"));
  set_owned(&c, "collection-title", rich(&c, "series"));
  set_owned(&c, "original-title", rich(&c, "origtitle"));
  set_owned(&c, "event-title", rich(&c, "eventtitle"));
  names(&c, "author", "author");
  editors(&c);
  names(&c, "translator", "translator");
  names(&c, "container-author", "bookauthor");
  date_var(&c, "issued", "");
  date_var(&c, "event-date", "event");
  date_var(&c, "original-date", "orig");
  date_var(&c, "accessed", "url");
  volume(&c);
  set_field(&c, "number-of-volumes", "volumes");
  numbers(&c);
  set_field(&c, "chapter-number", "chapter");
  pages(&c);
  set_field(&c, "number-of-pages", "pagetotal");
  set_field(&c, "edition", "edition");
  set_field(&c, "version", "version");
  set_owned(&c, "publisher", publisher(&c));
  int patent = strcmp(e->type, "patent") == 0;
  set_field(&c, "publisher-place",
            pr_entry_field(e, "address") || patent ? "address" : "location");
  if (patent) set_field(&c, "jurisdiction", "location");
  set_field(&c, "event-place", "venue");
  set_field(&c, "original-publisher", "origpublisher");
  set_field(&c, "original-publisher-place", "origlocation");
  set_field(&c, "status", "pubstate");
  doi(&c);
  url(&c);
  set_field(&c, "ISBN", "isbn");
  set_field(&c, "ISSN", "issn");
  set_field(&c, "PMID", "pmid");
  set_field(&c, "PMCID", "pmcid");
  set_field(&c, "call-number", "library");
  set_field(&c, "abstract", "abstract");
  if (!periodical)
    set_owned(&c, "note", concat_with(&c, '.', text(&c, "note"), text(&c, "addendum")));
  set_field(&c, "annote", pr_entry_field(e, "annotation") ? "annotation" : "annote");
  set_field(&c, "keyword", "keywords");
  set_owned(&c, "language", language(&c));
  if (c.rc) {
    json_decref(c.j);
    return NULL;
  }
  return c.j;
}

typedef struct csl_list {
  const pr_entry **v;
  csl_names lists[PR_JSON_MAX_DEFERRED];   /* the current record's */
} csl_list;

static json_t *make_record(size_t i, void *ctx, pr_diags *diags, pr_json_deferred *d,
                           size_t *nd) {
  csl_list *l = ctx;
  return record(diags, l->v[i], l->lists, d, nd);
}

pr_status pr_render_csl(const pr_bib *bib, const pr_options *o, const pr_entry **v, size_t n,
                        pr_buf *out, pr_diags *diags) {
  (void)bib;
  unsigned threads = pr_par_threads(o->threads, n);
  csl_list *l = calloc(threads, sizeof *l);
  void *ctxs[PR_MAX_THREADS];
  if (!l) return PR_ERR_NOMEM;
  for (unsigned t = 0; t < threads; t++) {
    l[t] = (csl_list){v, {{0}}};
    ctxs[t] = &l[t];
  }
  pr_status st = pr_json_dump_array(out, n, make_record, ctxs, threads, diags);
  free(l);
  return st;
}
