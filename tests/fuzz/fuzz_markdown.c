/* fuzz_markdown.c - byte 0 picks options, the rest is a .bib document,
 * optionally followed by a NUL and a URL that becomes co-author Ann Lee's
 * url (coauthors.yml), venue V's url (venues.yml) and, with 0x01, the link
 * prefix. The document is rendered as Markdown in every flavour and as HTML,
 * and the Markdown is read the way a renderer reads it.
 *
 * Option bits of byte 0:
 *   0x01 the URL is also the link prefix   0x02 --max-authors 1
 *   0x04 group by year and type            0x08 highlight Ann Lee
 *
 * Checked in each Markdown flavour: valid UTF-8 without NUL (cmark writes
 * U+FFFE/U+FFFF as single bytes); no '{' at all (kramdown attribute lists
 * and extensions, pandoc attributes and {=html}, Jekyll's Liquid); parsed
 * by cmark: no image, every link destination (as cmark decodes it) has a
 * scheme a browser reads as http, https, mailto or none, and holds no byte
 * at which another reader (kramdown, pandoc) would end it or read an
 * escape; no raw HTML in CommonMark; the HTML cmark makes of it with raw
 * HTML passed through (as kramdown and GFM do) has only the elements and
 * attributes the templates write, no on* attribute, every href safe after
 * the browser decodes character references (with or without ';'). In the
 * HTML output: no image but the preview, every href and src safe.
 */
#include <ctype.h>
#include <strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmark.h>
#include <pubrender.h>
#include "fuzz_util.h"

static const pr_md_flavor flavors[] = {PR_MD_COMMONMARK, PR_MD_KRAMDOWN, PR_MD_GFM};

/* Is the URL (as a browser has it: references decoded) http, https,
   mailto or without a scheme? WHATWG URL parsing: leading and trailing C0
   controls and spaces are stripped, tab and newline removed anywhere; a
   scheme is an ASCII letter, then letters, digits, + - ., then ':'. */
static int scheme_ok(const char *u, size_t n) {
  char scheme[8];
  size_t k = 0, i = 0;
  while (i < n && (unsigned char)u[i] <= ' ') i++;
  for (; i < n; i++) {
    unsigned char c = (unsigned char)u[i];
    if (c == '\t' || c == '\n' || c == '\r') continue;
    if (c == ':') break;
    if (!(isalpha(c) || (k && (isdigit(c) || c == '+' || c == '-' || c == '.')))) return 1;
    if (k + 1 < sizeof scheme) scheme[k] = (char)tolower(c);
    k++;
  }
  if (i == n || k == 0) return 1;
  if (k + 1 > sizeof scheme) return 0; /* longer than any scheme allowed */
  scheme[k] = '\0';
  return !strcmp(scheme, "http") || !strcmp(scheme, "https") || !strcmp(scheme, "mailto");
}

/* An attribute value as the browser reads it: character references
   decoded (numeric ones also without ';'; the named ones that can make a
   scheme), into out (at least n + 1 bytes; decoding never lengthens an
   ASCII-only result beyond n). Returns the length. */
static size_t attr_decode(const char *v, size_t n, char *out) {
  static const struct { const char *name; char c; } named[] = {
      {"amp", '&'},  {"lt", '<'},     {"gt", '>'},      {"quot", '"'},  {"apos", '\''},
      {"colon", ':'}, {"Tab", '\t'},  {"NewLine", '\n'}, {"sol", '/'},  {"num", '#'},
      {"quest", '?'}, {"period", '.'}, {"plus", '+'},    {"hyphen", '-'}};
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (v[i] != '&') {
      out[o++] = v[i++];
      continue;
    }
    size_t j = i + 1;
    if (j < n && v[j] == '#') {
      int hex = j + 1 < n && (v[j + 1] == 'x' || v[j + 1] == 'X');
      size_t d = j + 1 + (size_t)hex, e = d;
      unsigned long cp = 0;
      while (e < n && (hex ? isxdigit((unsigned char)v[e]) : isdigit((unsigned char)v[e])) &&
             e - d < 8)
        cp = cp * (hex ? 16 : 10) + (unsigned long)(isdigit((unsigned char)v[e])
                                                       ? v[e] - '0'
                                                       : tolower((unsigned char)v[e]) - 'a' + 10),
        e++;
      if (e > d) {
        out[o++] = cp < 0x80 ? (char)cp : '?'; /* non-ASCII: no scheme character */
        i = e + (e < n && v[e] == ';');
        continue;
      }
    } else {
      size_t k;
      for (k = 0; k < sizeof named / sizeof *named; k++) {
        size_t l = strlen(named[k].name);
        if (n - j > l && !memcmp(v + j, named[k].name, l) && v[j + l] == ';') {
          out[o++] = named[k].c;
          i = j + l + 1;
          break;
        }
      }
      if (k < sizeof named / sizeof *named) continue;
    }
    out[o++] = v[i++];
  }
  out[o] = '\0';
  return o;
}

/* The elements and attributes the Markdown templates and cmark's HTML of a
   Markdown field write. */
static int tag_ok(const char *t, size_t n) {
  static const char *const tags[] = {"a",  "p",  "em", "strong", "code", "sup", "sub",
                                     "details", "summary", "div", "pre", "ol", "ul", "li",
                                     "br", "span", "blockquote", "hr", "h1", "h2", "h3",
                                     "h4", "h5", "h6"};
  for (size_t i = 0; i < sizeof tags / sizeof *tags; i++)
    if (strlen(tags[i]) == n && !strncasecmp(tags[i], t, n)) return 1;
  return 0;
}
static int attr_ok(const char *a, size_t n, int html) {
  static const char *const attrs[] = {"class", "href", "title", "start", "markdown",
                                      /* HTML output only */ "id", "style", "src", "alt",
                                      "loading", "reversed"};
  for (size_t i = 0; i < (html ? sizeof attrs / sizeof *attrs : 5); i++)
    if (strlen(attrs[i]) == n && !strncasecmp(attrs[i], a, n)) return 1;
  return 0;
}

/* Every tag of HTML h[0..n): allowed (in HTML output also the preview
   image: img with class pubrender-preview), no on* attribute, href and src
   safe. The one comment is cmark's for raw HTML it left out. */
static void check_tags(const char *what, const char *h, size_t n, int html) {
  static const char omitted[] = "<!-- raw HTML omitted -->";
  char *dec = malloc(n + 1);
  if (!dec) return;
  for (size_t i = 0; i < n; i++) {
    if (h[i] != '<') continue;
    if (n - i >= sizeof omitted - 1 && !memcmp(h + i, omitted, sizeof omitted - 1)) {
      i += sizeof omitted - 2;
      continue;
    }
    size_t j = i + 1 + (i + 1 < n && h[i + 1] == '/');
    if (j < n && (h[j] == '!' || h[j] == '?')) FUZZ_FAIL("%s: <%c in the HTML", what, h[j]);
    size_t name = j;
    while (j < n && isalnum((unsigned char)h[j])) j++;
    if (j == name) FUZZ_FAIL("%s: a bare '<' in the HTML at %zu", what, i);
    int img = j - name == 3 && !strncasecmp(h + name, "img", 3);
    if (!tag_ok(h + name, j - name) && !(img && html))
      FUZZ_FAIL("%s: element <%.*s>", what, (int)(j - name), h + name);
    int preview = 0;
    for (;;) { /* attributes */
      while (j < n && isspace((unsigned char)h[j])) j++;
      if (j >= n || h[j] == '>' || h[j] == '/') break;
      size_t an = j;
      while (j < n && !isspace((unsigned char)h[j]) && !strchr("=>/", h[j])) j++;
      size_t alen = j - an, vs = j, vlen = 0;
      if (j < n && h[j] == '=') {
        j++;
        char q = j < n && (h[j] == '"' || h[j] == '\'') ? h[j++] : 0;
        vs = j;
        while (j < n && (q ? h[j] != q : !isspace((unsigned char)h[j]) && h[j] != '>')) j++;
        vlen = j - vs;
        if (q && j < n) j++;
      }
      if (alen >= 2 && !strncasecmp(h + an, "on", 2))
        FUZZ_FAIL("%s: attribute %.*s", what, (int)alen, h + an);
      if (!attr_ok(h + an, alen, html)) FUZZ_FAIL("%s: attribute %.*s", what, (int)alen, h + an);
      size_t dn = attr_decode(h + vs, vlen, dec);
      if (alen == 5 && !strncasecmp(h + an, "class", 5) && !strcmp(dec, "pubrender-preview"))
        preview = 1;
      if (((alen == 4 && !strncasecmp(h + an, "href", 4)) ||
           (alen == 3 && !strncasecmp(h + an, "src", 3))) &&
          !scheme_ok(dec, dn))
        FUZZ_FAIL("%s: unsafe %.*s: %.200s", what, (int)alen, h + an, dec);
    }
    if (img && !preview) FUZZ_FAIL("%s: an image that is not the preview", what);
    i = j ? j - 1 : i;
  }
  free(dec);
}

/* Length of the kramdown flavour's own attribute list line at md + i (a
   line of its own: {: start="N"} or {: start="N" reversed="reversed"}),
   or 0. */
static size_t start_ial(const char *md, size_t n, size_t i) {
  static const char head[] = "{: start=\"", rev[] = "\" reversed=\"reversed\"}";
  if ((i > 0 && md[i - 1] != '\n') || n - i < sizeof head - 1 ||
      memcmp(md + i, head, sizeof head - 1))
    return 0;
  size_t j = i + sizeof head - 1, d = j;
  while (j < n && isdigit((unsigned char)md[j])) j++;
  if (j == d) return 0;
  if (n - j >= 2 && !memcmp(md + j, "\"}", 2)) j += 2;
  else if (n - j >= sizeof rev - 1 && !memcmp(md + j, rev, sizeof rev - 1)) j += sizeof rev - 1;
  else return 0;
  return j == n || md[j] == '\n' ? j - i : 0;
}

/* The Markdown as cmark reads it. */
static void check_markdown(const char *md, size_t n, pr_md_flavor fl) {
  char what[32];
  snprintf(what, sizeof what, "markdown flavour %d", (int)fl);
  fuzz_check_text(what, md, n);
  /* no { but the kramdown flavour's attribute list numbering a list */
  for (const char *b = memchr(md, '{', n); b; b = memchr(b + 1, '{', n - (size_t)(b + 1 - md))) {
    size_t at = (size_t)(b - md), ial = fl == PR_MD_KRAMDOWN ? start_ial(md, n, at) : 0;
    if (!ial) FUZZ_FAIL("%s: '{' at offset %zu: %.80s", what, at, b);
  }
  cmark_node *doc = cmark_parse_document(md, n, CMARK_OPT_DEFAULT);
  cmark_iter *it = doc ? cmark_iter_new(doc) : NULL;
  for (cmark_event_type ev; it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
    cmark_node *node = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(node);
    if (ev != CMARK_EVENT_ENTER) continue;
    if (t == CMARK_NODE_IMAGE) FUZZ_FAIL("%s: an image: %.200s", what, cmark_node_get_url(node));
    if ((t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) && fl == PR_MD_COMMONMARK)
      FUZZ_FAIL("%s: raw HTML: %.200s", what, cmark_node_get_literal(node));
    if (t != CMARK_NODE_LINK) continue;
    const char *url = cmark_node_get_url(node) ? cmark_node_get_url(node) : "";
    if (!scheme_ok(url, strlen(url))) FUZZ_FAIL("%s: unsafe link: %.200s", what, url);
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
      if (*p <= ' ' || *p >= 0x7f || strchr("\"'()<>[\\]^`{|}", *p))
        FUZZ_FAIL("%s: byte 0x%02x in a link destination: %.200s", what, *p, url);
  }
  cmark_iter_free(it);
  char *html = doc ? cmark_render_html(doc, CMARK_OPT_UNSAFE) : NULL;
  cmark_node_free(doc);
  if (html) check_tags(what, html, strlen(html), 0);
  free(html);
}

/* s as a YAML double-quoted scalar's content. */
static void yaml_quoted(char *out, const char *s, size_t n) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalnum(c) || c >= 0x80) out[o++] = (char)c;
    else o += (size_t)sprintf(out + o, "\\x%02x", c);
  }
  out[o] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned flags = data[0];
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  const char *nul = memchr(text, 0, len);
  size_t bib_len = nul ? (size_t)(nul - text) : len;
  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  char *url = nul ? fuzz_cstr((const uint8_t *)nul + 1, len - bib_len - 1) : NULL;
  char *q = url ? malloc(4 * strlen(url) + 1) : NULL;
  char *yml = q ? malloc(4 * strlen(url) + 64) : NULL;
  if (!bib || !o || (nul && !yml)) goto done;
  pr_bib_add_buffer(bib, text, bib_len, "fuzz.bib", NULL);
  if (url) {
    yaml_quoted(q, url, strlen(url));
    int k = sprintf(yml, "lee: [{firstname: [Ann], url: \"%s\"}]\n", q);
    pr_options_load_coauthors_buffer(o, yml, (size_t)k, "coauthors.yml", NULL);
    k = sprintf(yml, "V: {url: \"%s\"}\n", q);
    pr_options_load_venues_buffer(o, yml, (size_t)k, "venues.yml", NULL);
    if (flags & 0x01) pr_options_set_link_prefix(o, url);
  }
  if (flags & 0x02) pr_options_set_max_authors(o, 1);
  if (flags & 0x04) pr_options_set_group_by(o, "year,type", NULL);
  if (flags & 0x08) pr_options_add_highlight(o, "Ann Lee");
  for (size_t i = 0; i <= sizeof flavors / sizeof *flavors; i++) {
    int html = i == sizeof flavors / sizeof *flavors;
    if (pr_options_set_format(o, html ? PR_FORMAT_HTML : PR_FORMAT_MARKDOWN) != PR_OK ||
        (!html && pr_options_set_markdown_flavor(o, flavors[i]) != PR_OK))
      FUZZ_FAIL("option refused");
    char *out = NULL;
    size_t n = 0;
    pr_status st = pr_render_string(bib, o, &out, &n, NULL, NULL);
    if (st == PR_OK && html) {
      fuzz_check_text("html", out, n);
      check_tags("html", out, n, 1);
    } else if (st == PR_OK) {
      check_markdown(out, n, flavors[i]);
    } else if (st != PR_ERR_NOMEM) {
      FUZZ_FAIL("pr_render_string: status %d", (int)st);
    }
    pr_free(out);
  }
done:
  free(yml);
  free(q);
  free(url);
  pr_options_free(o);
  pr_bib_free(bib);
  return 0;
}
