/* namesplit.c - name lists ("A and B, C and others") split into names and
 * each name into first/von/last/jr, as BibTeX does it.
 *
 * This used to go through libbtparse's bt_split_name, under the global
 * btparse lock, with a sanitised copy of every name (bt_split_name overruns
 * its buffers on empty parts), a malloc'd string per part, and a re-split
 * afterwards where libbtparse reads the von part differently from BibTeX.
 * It was a tenth of a whole run. Now one pass over the list, no lock, and
 * one allocation for the whole list: the pr_raw_name array followed by the
 * text of every part.
 *
 * The rules (BibTeX's x_format_name and von_token_found, and libbtparse's
 * tokens):
 *  - a name list is split at the words "and" (any case) that stand alone
 *    between whitespace at brace depth 0; empty names (an "and" doubled,
 *    leading or trailing) are dropped with a warning;
 *  - a name's tokens are separated by whitespace, ties (~) or commas at
 *    brace depth 0 (BibTeX's sep_char: "Mart\'{\i}n~Abadi" is First
 *    Martín, Last Abadi; a tie between tokens of one part stays; a
 *    hyphenated word is one token, as in libbtparse and pybtex); whitespace
 *    inside braces is collapsed to one space; "and" ends a name only
 *    between whitespace (a tie does not: "A~and~B" is one name);
 *  - commas: one ("von Last, First") or two ("von Last, Jr, First");
 *    commas that would make an empty part (leading, doubled, trailing) are
 *    dropped, and from the third on a comma only separates tokens (with
 *    libbtparse's warning, once per name);
 *  - a token is lower case when its first letter at brace depth 0 is
 *    (von_token_found; see token_is_lower);
 *  - no comma: von runs from the first lower-case token to the last one,
 *    never taking the last token; before it is First, after it Last; with
 *    no von, Last is the last token;
 *  - with commas: von runs from the start to the last lower-case token
 *    before the last token ahead of the first comma; Last is the rest up to
 *    that comma, Jr what is between the commas, First what follows the last.
 * Braces are counted from depth 0 and never below it: a stray '}' is text.
 * libbtparse's warnings stay: too many commas, and a '}' or '{' without
 * its match (once per name; it gave those twice for each brace).
 *
 * tests/test_namesplit.c compares this with the libbtparse splitter on
 * every name list of the corpus and the tests, and lists where and why the
 * two differ: where libbtparse strayed from BibTeX (its run of lower-case
 * words crossed the comma, "smith, john" became "john smith john"; it
 * judged a word by its first byte, not its first letter; with commas, a
 * von had to start the name).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "read/read.h"

static int is_ascii_alpha(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The case of the code point at p (at most end - p bytes): 1 lower, 0
   upper or title case, -1 no case (CJK, marks, symbols, invalid bytes);
   *adv is its length. BibTeX reads bytes above 127 as non-letters, so
   "Émile" would be a von for it; libbtparse knew the case of Latin letters
   only. A letter's own case is what a person means. */
static int cp_case(const unsigned char *p, const unsigned char *end, size_t *adv) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t k = utf8proc_iterate(p, end - p, &cp);
  if (k <= 0) {
    *adv = 1;
    return -1;
  }
  *adv = (size_t)k;
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LL: return 1;
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LT: return 0;
  default: return -1;
  }
}

/* BibTeX's special letters: a control sequence with one of these names is
   a letter of its own case (\ss, \i and \j lower). */
static int special_letter_case(const unsigned char *name, size_t n) {
  static const char *const letters[] = {"oe", "OE", "ae", "AE", "aa", "AA", "o",
                                        "O",  "l",  "L",  "ss", "i",  "j"};
  for (size_t k = 0; k < sizeof letters / sizeof *letters; k++)
    if (strlen(letters[k]) == n && memcmp(name, letters[k], n) == 0)
      return (name[0] >= 'a' && name[0] <= 'z') ? 1 : 0;
  return -1;
}

/* The end of the control sequence whose backslash is at p: its letters, or
   the one character after the backslash. */
static const unsigned char *cs_end(const unsigned char *p, const unsigned char *end) {
  const unsigned char *e = p + 1;
  while (e < end && is_ascii_alpha(*e)) e++;
  if (e == p + 1 && e < end) e++;
  return e;
}

/* A special character "{\'e}", "{\ss}" at depth 0, p at its backslash
   (BibTeX's "Check the special character"): a special letter's own case,
   else the first letter in the group (at any depth) after the command's
   name; -1 when the group closes or the token ends without one. */
static int special_char_case(const unsigned char *p, const unsigned char *end) {
  const unsigned char *name = p + 1, *e = name;
  while (e < end && is_ascii_alpha(*e)) e++;
  int sc = special_letter_case(name, (size_t)(e - name));
  if (sc >= 0) return sc;
  int level = 1;
  for (p = e; p < end && level > 0;) {
    unsigned char c = *p;
    if (is_ascii_alpha(c)) return c >= 'a';
    if (c >= 0x80) {
      size_t k;
      int lc = cp_case(p, end, &k);
      if (lc >= 0) return lc;
      p += k;
      continue;
    }
    if (c == '}') level--;
    else if (c == '{') level++;
    p++;
  }
  return -1;
}

/* A control sequence outside braces ("\'emile", "\v{S}imon", "\o{}"), p at
   its backslash: the case of the letter it makes, read into its argument.
   BibTeX would take the command's own name ("\v" reads as a lower-case
   v); libbtparse called such a token not lower case, whatever followed. */
static int command_case(const unsigned char *p, const unsigned char *end) {
  while (p < end) {
    unsigned char c = *p;
    if (c == '\\') {
      const unsigned char *e = cs_end(p, end);
      if (e > p + 1 && is_ascii_alpha(p[1])) {
        int sc = special_letter_case(p + 1, (size_t)(e - p - 1));
        if (sc >= 0) return sc;
      }
      p = e;
      continue;
    }
    if (is_ascii_alpha(c)) return c >= 'a';
    if (c >= 0x80) {
      size_t k;
      int lc = cp_case(p, end, &k);
      if (lc >= 0) return lc;
      p += k;
      continue;
    }
    p++;
  }
  return -1;
}

/* BibTeX's von_token_found: the first letter at brace depth 0 decides; a
   special character "{\...}" counts as its letter and any other group is
   skipped. So "{\'e}mile" and "{d}e" are lower case, "{Van}" has no
   letter (not lower), and "'t" is lower case. */
static int token_is_lower(const char *tok, size_t n) {
  const unsigned char *p = (const unsigned char *)tok, *end = p + n;
  while (p < end) {
    unsigned char c = *p;
    if (is_ascii_alpha(c)) return c >= 'a';
    if (c >= 0x80) {
      size_t k;
      int lc = cp_case(p, end, &k);
      if (lc >= 0) return lc;
      p += k;
      continue;
    }
    if (c == '\\') return command_case(p, end) == 1;
    if (c == '{') {
      if (end - p > 3 && p[1] == '\\') return special_char_case(p + 1, end) == 1;
      int depth = 0; /* skip the group */
      for (; p < end; p++) {
        if (*p == '{') depth++;
        else if (*p == '}' && --depth == 0) break;
      }
      if (p == end) break; /* never closed */
    }
    p++;
  }
  return 0;
}

/* A token of the name being split: where its text is in the output. */
typedef struct tok {
  size_t off, len;
  int lower;
} tok;

typedef struct splitter {
  char *text;                /* the parts' text, after the pr_raw_name array */
  size_t w;                  /* bytes of text written */
  tok *toks, stack[64];      /* toks is stack until a name has more tokens */
  size_t ntok, cap;
  size_t comma[2];           /* tokens ahead of each counted comma */
  int ncommas, extra_commas;
  int stray_close;           /* a '}' closed nothing */
} splitter;

static int push_tok(splitter *s, size_t off, size_t len) {
  if (s->ntok == s->cap) {
    size_t cap = s->cap * 2;
    tok *t = s->toks == s->stack ? malloc(cap * sizeof *t) : realloc(s->toks, cap * sizeof *t);
    if (!t) return -1;
    if (s->toks == s->stack) memcpy(t, s->stack, sizeof s->stack);
    s->toks = t;
    s->cap = cap;
  }
  s->toks[s->ntok++] = (tok){off, len, token_is_lower(s->text + off, len)};
  return 0;
}

/* The last lower-case token in [from, to), or -1. */
static long last_lower(const splitter *s, size_t from, size_t to) {
  for (size_t i = to; i > from; i--)
    if (s->toks[i - 1].lower) return (long)(i - 1);
  return -1;
}

/* Tokens [a, b) as one string: each token is followed by one separator
   byte, which ends the string here. Empty ranges get the name's own empty
   string at empty. */
static char *part(splitter *s, size_t a, size_t b, char *empty) {
  if (a >= b) return empty;
  const tok *last = &s->toks[b - 1];
  s->text[last->off + last->len] = '\0';
  return s->text + s->toks[a].off;
}

/* The name whose tokens were collected, into r. */
static void finish_name(splitter *s, pr_raw_name *r) {
  size_t n = s->ntok;
  char *empty = s->text + s->w;
  s->text[s->w++] = '\0';
  size_t first_a = 0, first_b = 0, von_a = 0, von_b = 0, last_a, jr_a = 0, jr_b = 0;
  size_t last_b;
  if (s->ncommas == 0) {
    size_t vs = 0;
    while (vs + 1 < n && !s->toks[vs].lower) vs++;
    if (vs + 1 < n) { /* a von: from the first lower-case token to the last one */
      von_a = vs;
      von_b = (size_t)last_lower(s, vs, n - 1) + 1;
    } else {
      von_a = von_b = n - 1;
    }
    first_b = von_a;
    last_a = von_b;
    last_b = n;
  } else {
    size_t k1 = s->comma[0];
    long lv = last_lower(s, 0, k1 - 1);
    von_b = lv >= 0 ? (size_t)lv + 1 : 0;
    last_a = von_b;
    last_b = k1;
    first_a = k1;
    if (s->ncommas == 2) {
      jr_a = k1;
      jr_b = first_a = s->comma[1];
    }
    first_b = n;
  }
  r->first = part(s, first_a, first_b, empty);
  r->von = part(s, von_a, von_b, empty);
  r->last = part(s, last_a, last_b, empty);
  r->jr = part(s, jr_a, jr_b, empty);
}

/* What a byte is to the splitter. Whitespace is isspace's in the C locale;
   a tie separates tokens as whitespace does but never delimits "and". */
enum { C_TEXT, C_OPEN, C_CLOSE, C_SPACE, C_TIE, C_COMMA, C_END };
static const unsigned char byte_class[256] = {
    [0] = C_END,     ['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\v'] = C_SPACE, ['\f'] = C_SPACE,
    ['\r'] = C_SPACE, [' '] = C_SPACE,  [','] = C_COMMA,  ['{'] = C_OPEN,   ['}'] = C_CLOSE,
    ['~'] = C_TIE};

static int is_and(const char *w) {
  return (w[0] | 0x20) == 'a' && (w[1] | 0x20) == 'n' && (w[2] | 0x20) == 'd';
}

/* At least as many as the names in list (len bytes). Each name after the
   first needs an "and" with whitespace (or an end of the list) on both
   sides, 4 bytes or more: a short list takes that bound, which wastes a
   few hundred bytes at most; a long one counts those words (braces not
   followed: an "and" inside them only overcounts). */
static size_t count_names(const char *list, size_t len) {
  if (len < 4096) return (len + 1) / 4 + 1;
  const unsigned char *s = (const unsigned char *)list;
  size_t n = 1;
  for (size_t i = 1; i + 1 < len; i++) /* i at the 'n' */
    if ((s[i] | 0x20) == 'n' && is_and(list + i - 1) &&
        (i == 1 || byte_class[s[i - 2]] == C_SPACE) &&
        (i + 2 == len || byte_class[s[i + 2]] == C_SPACE))
      n++;
  return n;
}

/* A warning about name number n (1-based) of the list, naming its entry
   and field when they are known. */
static int warn(pr_diags *diags, const char *file, unsigned line, const char *key, const char *field,
                long n, const char *code, const char *msg) {
  if (key && field)
    return pr_diagx(diags, PR_WARNING, code, key, field, file, line,
                    "entry '%s', field '%s': name %ld %s", key, field, n, msg);
  return pr_diagx(diags, PR_WARNING, code, key, field, file, line, "name %ld %s", n, msg);
}

void pr_raw_names_free(pr_raw_name *v, size_t n) {
  (void)n; /* the names and their text are one block */
  free(v);
}

static long split_names(const char *list, pr_diags *diags, const char *file, unsigned line,
                        const char *key, const char *field, pr_raw_name **out);

long pr_bt_split_names(const char *list, pr_diags *diags, const char *file, unsigned line,
                       pr_raw_name **out) {
  return pr_bt_split_names_in(list, diags, file, line, NULL, NULL, out);
}

long pr_bt_split_names_in(const char *list, pr_diags *diags, const char *file, unsigned line,
                          const char *key, const char *field, pr_raw_name **out) {
  *out = NULL;
  /* TeX's \ifmmode A\else B\fi is B in a name (read.h): resolved before
     the split, whose spaces inside A and B would cut the word */
  char *text_mode = NULL;
  if (strstr(list, "\\ifmmode")) {
    if (!(text_mode = pr_latex_text_mode(list, strlen(list)))) return -1;
    list = text_mode;
  }
  long r = split_names(list, diags, file, line, key, field, out);
  free(text_mode);
  return r;
}

static long split_names(const char *list, pr_diags *diags, const char *file, unsigned line,
                        const char *key, const char *field, pr_raw_name **out) {
  size_t len = strlen(list), nmax = count_names(list, len);
  /* per name: its tokens' bytes (no more than the list has), one separator
     after each token (there was whitespace or a comma), an empty string */
  if (nmax > (SIZE_MAX - len - 1) / (sizeof(pr_raw_name) + 2)) return -1;
  pr_raw_name *v = malloc(nmax * sizeof *v + len + 2 * nmax + 1);
  if (!v) return -1;
  splitter s; /* not zeroed as a whole: the token stack is written before read */
  s.text = (char *)(v + nmax);
  s.w = 0;
  s.toks = s.stack;
  s.ntok = 0;
  s.cap = sizeof s.stack / sizeof *s.stack;
  s.ncommas = s.extra_commas = s.stray_close = 0;
  long count = 0;
  int depth = 0, rc = 0;
  int after_ws = 1;          /* the previous byte was whitespace (or none) */
  int pending_comma = 0;     /* a comma since the last token, counted if one follows */
  size_t tok_start = 0;
  int in_tok = 0, tok_word = 0;
  int after_and = 0;         /* the last name ended at an "and" */
  long pos = 0;              /* the names ended so far, empty ones too: a name's number */
  for (const unsigned char *p = (const unsigned char *)list;; p++) {
    unsigned char c = *p;
    int k = byte_class[c];
    if (k == C_TIE && p > (const unsigned char *)list && p[-1] == '\\') k = C_TEXT; /* \~{n} */
    if (k < C_SPACE || (depth > 0 && k != C_END)) { /* a byte of a token */
      if (!in_tok) {
        in_tok = 1;
        tok_start = s.w;
        tok_word = after_ws;
      }
      if (k == C_TEXT) { /* most bytes: the run of them at once, in locals
                            (a char store may alias s, so s.w would be
                            reloaded after each byte) */
        char *w = s.text + s.w;
        do *w++ = (char)*p++;
        while (byte_class[*p] == C_TEXT);
        s.w = (size_t)(w - s.text);
        p--;
      } else if (k == C_TIE) { /* a tie inside braces stays as written */
        s.text[s.w++] = '~';
      } else if (k == C_SPACE) { /* whitespace inside braces: one space */
        if (s.text[s.w - 1] != ' ') s.text[s.w++] = ' ';
      } else {
        if (k == C_OPEN) depth++;
        else if (k == C_CLOSE && depth > 0) depth--;
        else if (k == C_CLOSE) s.stray_close = 1;
        s.text[s.w++] = (char)c;
      }
      continue;
    }
    /* whitespace, a tie or a comma at depth 0, or the end: a token ends */
    int name_ends = !c, at_and = 0;
    if (in_tok) {
      in_tok = 0;
      size_t tl = s.w - tok_start;
      if (tok_word && (k == C_SPACE || k == C_END) && tl == 3 && is_and(s.text + tok_start)) {
        s.w = tok_start; /* "and" ends the name; a comma before it trails */
        name_ends = at_and = 1;
      } else {
        if (pending_comma) {
          if (s.ncommas < 2) s.comma[s.ncommas++] = s.ntok;
          else s.extra_commas = 1;
          pending_comma = 0;
        }
        if (push_tok(&s, tok_start, tl)) { rc = -1; break; }
        s.text[s.w++] = k == C_TIE ? '~' : ' '; /* a tie stays one inside a part */
      }
    }
    if (c == ',' && s.ntok > (s.ncommas ? s.comma[s.ncommas - 1] : 0)) pending_comma = 1;
    after_ws = k == C_SPACE;
    if (name_ends) {
      pos++;
      if (s.ntok) {
        finish_name(&s, &v[count++]);
        if (diags && ((s.stray_close &&
                     warn(diags, file, line, key, field, pos, "name-stray-brace",
                          "has a '}' without a '{' before it (the name is split as if it were "
                          "not there)")) ||
                    (depth > 0 && warn(diags, file, line, key, field, pos,
                                       "name-unclosed-brace", "has a '{' that is never closed (the rest of the list is "
                                       "read as part of this name)")) ||
                    (s.extra_commas &&
                     warn(diags, file, line, key, field, pos, "name-extra-commas",
                          "has more than two commas (BibTeX's forms are 'Last, First' and "
                          "'Last, Jr, First'): all that follows the second comma is read as "
                          "the first name")))) {
          rc = -1;
          break;
        }
      }
      /* an empty name next to an "and", and the one after an "and" that
         ends the list; each numbered by its place in the list as written */
      static const char empty_msg[] =
          "is empty (an 'and' doubled, or at the start or end of the list) and is left out";
      if (diags && ((!s.ntok && (at_and || after_and) &&
                     warn(diags, file, line, key, field, pos, "name-empty", empty_msg)) ||
                    (at_and && !c &&
                     warn(diags, file, line, key, field, pos + 1, "name-empty", empty_msg)))) {
        rc = -1;
        break;
      }
      after_and = at_and;
      s.ntok = 0;
      s.ncommas = s.extra_commas = s.stray_close = pending_comma = 0;
    }
    if (!c) break;
  }
  if (s.toks != s.stack) free(s.toks);
  if (rc || count == 0) {
    free(v);
    return rc ? -1 : 0;
  }
  *out = v;
  return count;
}
