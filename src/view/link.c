/* link.c - link fields as URLs: identifiers expanded (doi, arXiv, HAL),
   site-relative paths prefixed, unsafe schemes refused. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "view/view.h"

/* ---- URLs ---- */


/* A URL as written in a .bib, appended to b: \url{..} unwrapped, TeX
   escapes and braces removed, surrounding whitespace trimmed. */
static void clean_url(pr_buf *b, const char *v) {
  while (isspace((unsigned char)*v)) v++;
  if (strncmp(v, "\\url{", 5) == 0) v += 5;
  size_t start = b->len;
  for (const char *p = v; *p; p++) {
    size_t n = strcspn(p, "{}\\"); /* a run copied at once */
    pr_buf_put(b, p, n);
    p += n;
    if (!*p) break;
    if (*p == '\\') { /* the backslash, or the character it escapes */
      if (p[1] && strchr("%_#&~$", p[1])) p++;
      pr_buf_putc(b, *p);
    } /* braces are dropped */
  }
  while (b->len > start && isspace((unsigned char)b->data[b->len - 1])) b->data[--b->len] = '\0';
}

/* Bytes a URL may not contain: controls, space, " < > \ ^ ` { | }, DEL;
   as two bit sets (bytes 0-63 and 64-127), since this is asked of every
   byte of every link. */
#define URL_BIT(c) (1ULL << ((c) & 63))
static int needs_percent(unsigned char c) {
  static const unsigned long long low = 0x1FFFFFFFFULL /* 0x00-0x20 */ | URL_BIT('"') |
                                        URL_BIT('<') | URL_BIT('>');
  static const unsigned long long high = URL_BIT('\\') | URL_BIT('^') | URL_BIT('`') |
                                         URL_BIT('{') | URL_BIT('|') | URL_BIT('}') |
                                         URL_BIT(0x7f);
  return c < 64 ? (int)(low >> c & 1) : c < 128 ? (int)(high >> (c - 64) & 1) : 0;
}
#undef URL_BIT

/* s[0..n) with the bytes a URL may not contain as %XX, appended to b. */
static void percent_encode(pr_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (!needs_percent(c)) continue;
    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
    pr_buf_put(b, s + run, i - run);
    pr_buf_put(b, e, 3);
    run = i + 1;
  }
  pr_buf_put(b, s + run, n - run);
}

char *pr_link_href(const char *field, const char *value) {
  return pr_link_href_prefixed(field, value, NULL);
}

/* Fields whose value is an identifier, not a URL: the base of the link
   built from it, or NULL for other fields. */
const char *pr_link_identifier_base(const char *field) {
  static const struct { const char *field, *base; } ids[] = {
      {"doi", "https://doi.org/"}, {"arxiv", "https://arxiv.org/abs/"},
      {"hal", "https://hal.science/"}};
  for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
    if (strcmp(field, ids[i].field) == 0) return ids[i].base;
  return NULL;
}

int pr_link_href_put(pr_buf *out, pr_buf *tmp, const char *field, const char *value,
                     const char *prefix) {
  tmp->len = 0;
  clean_url(tmp, value);
  if (tmp->failed) return -1;
  if (!tmp->len) return 0;
  const char *url = tmp->data;
  int has_scheme = strstr(url, "://") != NULL;
  const char *base = has_scheme ? NULL : pr_link_identifier_base(field);
  if (!base && !pr_url_is_safe(url)) return 0; /* before a prefix could hide the scheme */
  /* the whole URL, unencoded, at the end of out: it is checked as a whole */
  size_t at = out->len;
  if (base) { /* an identifier: its URL */
    const char *id = url;
    if (strncasecmp(id, "doi:", 4) == 0) id += 4;
    if (strncasecmp(id, "arxiv:", 6) == 0) id += 6;
    while (*id == ' ') id++;
    pr_buf_puts(out, base);
    pr_buf_puts(out, id);
  } else if (prefix && *prefix && !has_scheme && url[0] != '/' && url[0] != '#' &&
             strncasecmp(url, "mailto:", 7) != 0) {
    /* a site-relative path, as al-folio writes pdf = {paper.pdf} */
    pr_buf_puts(out, prefix);
    pr_buf_put(out, url, tmp->len);
  } else {
    pr_buf_put(out, url, tmp->len);
  }
  if (out->failed) return -1;
  const char *whole = out->data + at;
  size_t n = out->len - at;
  if (!pr_url_is_safe(whole)) {
    out->len = at;
    out->data[at] = '\0';
    return 0;
  }
  size_t k = 0;
  while (k < n && !needs_percent((unsigned char)whole[k])) k++;
  if (k < n) { /* some bytes need encoding: encode the rest from a copy */
    tmp->len = 0;
    pr_buf_put(tmp, whole + k, n - k);
    out->len = at + k;
    if (!tmp->failed) percent_encode(out, tmp->data, tmp->len);
    if (tmp->failed) return -1;
  }
  return out->failed ? -1 : 1;
}

char *pr_link_href_prefixed(const char *field, const char *value, const char *prefix) {
  pr_buf out = {0}, tmp = {0};
  int r = pr_link_href_put(&out, &tmp, field, value, prefix);
  pr_buf_free(&tmp);
  if (r <= 0) {
    pr_buf_free(&out);
    return NULL;
  }
  return pr_buf_take(&out);
}
