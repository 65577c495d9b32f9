/* cli_docgen.c - writes the options of cli_options.def into the man page
   (its OPTIONS section) and the README (its option table), between marker
   lines, so that the documentation has the same source as the parsing:
     pubrender_docgen --write man/pubrender.1 README.md   regenerate them
     pubrender_docgen --check man/pubrender.1 README.md   exit 1 when they differ
     pubrender_docgen --print man|readme                  the generated part
   Not installed: a build tool (`cmake --build BUILD --target option-docs`). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const char *name; /* NULL: a section */
  int short_name;
  const char *arg, *doc;
} doc_option;

static const doc_option options[] = {
#define SECTION(TITLE) {NULL, 0, NULL, TITLE},
#define OPT(ID, LONG, SHORT, ARG, HELP, DOC) {LONG, SHORT, ARG, DOC},
#include "cli_options.def"
#undef OPT
#undef SECTION
};
enum { NOPTIONS = sizeof options / sizeof *options };

/* A growing string; on running out of memory the program stops. */
typedef struct {
  char *s;
  size_t n, cap;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    size_t cap = (t->n + n + 1) * 2;
    char *p = realloc(t->s, cap);
    if (!p) {
      fprintf(stderr, "pubrender_docgen: out of memory\n");
      exit(2);
    }
    t->s = p;
    t->cap = cap;
  }
  memcpy(t->s + t->n, s, n);
  t->n += n;
  t->s[t->n] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

/* ---- roff ---- */

/* s escaped for a roff text line: backslash, and in code (bold) every
   hyphen as a minus; a few characters by name. */
static void roff_text(text *t, const char *s, size_t n, int code) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\\') puts_(t, "\\e");
    else if (s[i] == '-' && code) puts_(t, "\\-");
    else if (strncmp(s + i, "\xe2\x80\xa0", 3) == 0) puts_(t, "\\(dg"), i += 2;
    else if (strncmp(s + i, "\xe2\x80\x94", 3) == 0) puts_(t, "\\(em"), i += 2;
    else if (s[i] == '.' && t->n && t->s[t->n - 1] == '\n') puts_(t, "\\&.");
    else if (s[i] == '\'' && t->n && t->s[t->n - 1] == '\n') puts_(t, "\\&'");
    else put(t, s + i, 1);
  }
}

/* DOC with `code` between open and close, each part escaped by esc. */
typedef void (*escape_fn)(text *t, const char *s, size_t n, int code);
static void put_doc(text *t, const char *doc, escape_fn esc, const char *open, const char *close) {
  for (const char *p = doc; *p;) {
    if (*p == '`') {
      const char *end = strchr(p + 1, '`');
      if (!end) end = p + strlen(p);
      puts_(t, open);
      esc(t, p + 1, (size_t)(end - p - 1), 1);
      puts_(t, close);
      p = *end ? end + 1 : end;
    } else {
      size_t n = strcspn(p, "`");
      esc(t, p, n, 0);
      p += n;
    }
  }
}

static void man_options(text *t) {
  for (size_t i = 0; i < NOPTIONS; i++) {
    const doc_option *o = &options[i];
    if (!o->name) {
      puts_(t, ".SS ");
      roff_text(t, o->doc, strlen(o->doc), 0);
      puts_(t, "\n");
      continue;
    }
    puts_(t, ".TP\n");
    if (o->short_name) {
      char s[2] = {(char)o->short_name, '\0'};
      puts_(t, "\\fB\\-");
      puts_(t, s);
      puts_(t, "\\fR, ");
    }
    puts_(t, "\\fB\\-\\-");
    roff_text(t, o->name, strlen(o->name), 1);
    puts_(t, "\\fR");
    if (o->arg) {
      puts_(t, " \\fI");
      roff_text(t, o->arg, strlen(o->arg), 0);
      puts_(t, "\\fR");
    }
    puts_(t, "\n");
    put_doc(t, o->doc, roff_text, "\\fB", "\\fR"); /* `code` in bold */
    puts_(t, ".\n");
  }
}

/* ---- Markdown (a GitHub table) ---- */

/* s for a table cell: '|' escaped everywhere (GFM reads it even in code),
   and outside code the characters Markdown would read as markup. */
static void md_text(text *t, const char *s, size_t n, int code) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '|') puts_(t, "\\|");
    else if (!code && (s[i] == '*' || s[i] == '_' || s[i] == '[' || s[i] == ']')) {
      puts_(t, "\\");
      put(t, s + i, 1);
    } else if (!code && s[i] == '<') puts_(t, "&lt;");
    else put(t, s + i, 1);
  }
}

static void readme_options(text *t) {
  for (size_t i = 0; i < NOPTIONS; i++) {
    const doc_option *o = &options[i];
    if (!o->name) {
      puts_(t, i ? "\n**" : "**");
      md_text(t, o->doc, strlen(o->doc), 0);
      puts_(t, "**\n\n| option | meaning |\n| --- | --- |\n");
      continue;
    }
    puts_(t, "| ");
    if (o->short_name) {
      char s[2] = {(char)o->short_name, '\0'};
      puts_(t, "`-");
      puts_(t, s);
      puts_(t, "`, ");
    }
    puts_(t, "`--");
    md_text(t, o->name, strlen(o->name), 1);
    if (o->arg) {
      puts_(t, " ");
      md_text(t, o->arg, strlen(o->arg), 1);
    }
    puts_(t, "` | ");
    put_doc(t, o->doc, md_text, "`", "`");
    puts_(t, " |\n");
  }
}

/* ---- the files ---- */

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  text t = {0};
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) put(&t, buf, n);
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    free(t.s);
    return NULL;
  }
  if (!t.s) put(&t, "", 0);
  *len = t.n;
  return t.s;
}

/* The line of s starting with prefix (at a line start), or NULL. */
static const char *find_line(const char *s, const char *prefix) {
  size_t n = strlen(prefix);
  for (const char *p = s; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
    if (strncmp(p, prefix, n) == 0) return p;
  return NULL;
}

/* Put the generated part between the marker lines of path; with check,
   only compare. 0 (up to date or written), 1 (differs, with check), 2. */
static int update(const char *path, int check) {
  int man = strstr(path, ".md") == NULL;
  const char *begin_mark = man ? ".\\\" options:begin" : "<!-- options:begin";
  const char *end_mark = man ? ".\\\" options:end" : "<!-- options:end";
  size_t len;
  char *old = slurp(path, &len);
  if (!old) {
    perror(path);
    return 2;
  }
  const char *b = find_line(old, begin_mark), *e = b ? find_line(b, end_mark) : NULL;
  const char *b_end = b ? strchr(b, '\n') : NULL;
  if (!b || !e || !b_end) {
    fprintf(stderr, "pubrender_docgen: %s has no lines starting '%s' and '%s'\n", path,
            begin_mark, end_mark);
    free(old);
    return 2;
  }
  text gen = {0}, all = {0};
  if (man) man_options(&gen);
  else readme_options(&gen);
  put(&all, old, (size_t)(b_end + 1 - old));
  put(&all, gen.s, gen.n);
  put(&all, e, len - (size_t)(e - old));
  int rc = 0;
  if (all.n != len || memcmp(all.s, old, len) != 0) {
    if (check) {
      /* the first line that differs */
      size_t i = 0, line = 1;
      while (i < len && i < all.n && old[i] == all.s[i]) line += old[i++] == '\n';
      fprintf(stderr, "pubrender_docgen: %s:%zu: the options differ from src/cli_options.def; "
              "regenerate them: cmake --build BUILD --target option-docs\n", path, line);
      rc = 1;
    } else {
      FILE *f = fopen(path, "wb");
      if (!f || fwrite(all.s, 1, all.n, f) != all.n || fclose(f) != 0) {
        perror(path);
        rc = 2;
      } else {
        fprintf(stderr, "pubrender_docgen: wrote %s\n", path);
      }
    }
  }
  free(old);
  free(gen.s);
  free(all.s);
  return rc;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--print") == 0) {
    text t = {0};
    if (strcmp(argv[2], "man") == 0) man_options(&t);
    else if (strcmp(argv[2], "readme") == 0) readme_options(&t);
    else return 2;
    fwrite(t.s, 1, t.n, stdout);
    free(t.s);
    return 0;
  }
  int check = argc > 1 && strcmp(argv[1], "--check") == 0;
  if (argc < 3 || (!check && strcmp(argv[1], "--write") != 0)) {
    fprintf(stderr, "usage: pubrender_docgen --write|--check FILE...\n"
                    "       pubrender_docgen --print man|readme\n");
    return 2;
  }
  int rc = 0;
  for (int i = 2; i < argc; i++) {
    int r = update(argv[i], check);
    if (r > rc) rc = r;
  }
  return rc;
}
