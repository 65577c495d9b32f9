/* prescan.c - a scanner in front of btparse that follows its lexer's view
   of top level and entries, and defuses the shapes btparse cannot survive:
   "@type" followed by a quoted string (anything but @comment) makes it
   print "semantic error; failed predicate" straight to stderr and then
   fail fatally, losing the rest of the document. Such an '@' is turned
   into a space (the entry becomes top-level junk, which btparse skips) and
   reported as an error here. An '@' between entries that starts no entry
   at all (an e-mail address in a comment or front matter) is blanked too,
   silently: btparse's recovery from it would swallow the next entry. */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

/* Characters btparse does not allow in a name (entry type, key, field). */
static int name_char(unsigned char c) {
  return c > ' ' && !strchr("\"#%'(),={}@", c) && c != 0x7f;
}

typedef struct scan {
  char *s;
  size_t len, i;
  size_t counted;    /* lines are counted up to here, */
  unsigned line;     /* and this is the line there */
} scan;

/* The line of offset at (offsets asked for only grow). */
static unsigned line_at(scan *sc, size_t at) {
  for (const char *p = sc->s + sc->counted, *end = sc->s + at;
       (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
    sc->line++;
  sc->counted = at;
  return sc->line;
}

static void skip_ws(scan *sc) {
  while (sc->i < sc->len && isspace((unsigned char)sc->s[sc->i])) sc->i++;
}

static void skip_line(scan *sc) {
  const char *nl = memchr(sc->s + sc->i, '\n', sc->len - sc->i);
  sc->i = nl ? (size_t)(nl - sc->s) : sc->len;
}

/* Skip a {..} string starting at '{' (balanced). */
static void skip_braced(scan *sc) {
  int depth = 0;
  const char *s = sc->s;
  for (size_t i = sc->i; (i += strcspn(s + i, "{}")) < sc->len; i++) {
    if (s[i] == '{') depth++;
    else if (--depth == 0) { sc->i = i + 1; return; }
  }
  sc->i = sc->len;
}

/* Skip a "..." string starting at '"': it ends at a '"' at brace depth 0. */
static void skip_quoted(scan *sc) {
  int depth = 0;
  for (sc->i++; (sc->i += strcspn(sc->s + sc->i, "{}\"")) < sc->len; sc->i++) {
    char c = sc->s[sc->i];
    if (c == '{') depth++;
    else if (c == '}' && depth > 0) depth--;
    else if (c == '"' && depth == 0) { sc->i++; return; }
  }
}

/* Skip an entry body from its opening delimiter to the closing one; 0 when
   the input ends first. */
static int skip_body(scan *sc, int comment) {
  char open = sc->s[sc->i];
  if (comment) {
    if (open == '{') { skip_braced(sc); return 1; }
    int depth = 0;           /* @comment(...) ends at the balancing ')' */
    for (; sc->i < sc->len; sc->i++) {
      char c = sc->s[sc->i];
      if (c == '(') depth++;
      else if (c == ')' && --depth == 0) { sc->i++; return 1; }
    }
    return 1;
  }
  sc->i++;
  while ((sc->i += strcspn(sc->s + sc->i, "{\"%})@")) < sc->len) {
    char c = sc->s[sc->i];
    if (c == '{') skip_braced(sc);
    else if (c == '"') skip_quoted(sc);
    else if (c == '%') skip_line(sc);
    else if (c == '}' || c == ')') { sc->i++; return 1; }
    else return 1; /* '@': a new entry, btparse resynchronises here */
  }
  return 0;
}

/* An entry the input ends inside is broken, and btparse's recovery looks
   for the next '@' anywhere in it, inside strings too: blank each '@'
   there that a quoted string follows, which would be fatal. */
static void defuse_broken(char *s, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    if (s[i] != '@') continue;
    size_t j = i + 1;
    while (j < to && isspace((unsigned char)s[j])) j++;
    while (j < to && name_char((unsigned char)s[j])) j++;
    while (j < to && isspace((unsigned char)s[j])) j++;
    if (j < to && s[j] == '"') s[i] = ' ';
  }
}

int pr_prescan(pr_bib *bib, const char *file, char *s, size_t len) {
  scan sc = {s, len, 0, 0, 1};
  while (sc.i < len) {
    /* top level: only '%' (a comment to the end of the line) and '@' matter */
    size_t k = strcspn(s + sc.i, "%@");
    sc.i += k;
    if (sc.i >= len) break;
    if (s[sc.i] == '%') { skip_line(&sc); continue; }
    size_t at = sc.i;
    sc.i++;
    skip_ws(&sc);
    size_t name = sc.i;
    while (sc.i < len && name_char((unsigned char)s[sc.i])) sc.i++;
    size_t namelen = sc.i - name;
    skip_ws(&sc);
    if (sc.i >= len) break;
    int comment = namelen == 7 && strncasecmp(s + name, "comment", 7) == 0;
    if (s[sc.i] == '{' || s[sc.i] == '(') {
      size_t body = sc.i;
      if (!skip_body(&sc, comment)) defuse_broken(s, body, len);
    } else if (s[sc.i] != '"') {
      /* "me@example.org" in text between entries: not an entry, but
         btparse would take it for one and, recovering, swallow the next
         entry. Text outside entries is a comment: blank the '@'. */
      s[at] = ' ';
    } else if (!comment) {
      s[at] = ' ';
      if (pr_bib_diagf(bib, PR_ERROR, file, line_at(&sc, at),
                       "'@%.*s' must be followed by '{' or '(', not a quoted string (entry "
                       "skipped)",
                       (int)(namelen > 64 ? 64 : namelen), s + name))
        return -1;
    }
  }
  return 0;
}
