/* fuzz_render.c - byte 0 picks options, the rest is a .bib document: parse
 * it, then render it in every output format.
 *
 * Option bits of byte 0:
 *   0x01 standalone page         0x02 highlight names (a fixed one and the
 *   0x04 legend changes               first author of the first entry)
 *   0x08 also through pr_render with a sink that fails (must give PR_ERR_IO)
 *   0x10 render the document as two documents (first half, second half)
 *   0x20 group by year and type, numbered per group, heading level 3
 *   0x40 sort by "title,-year,author"
 *   0x80 numbering reversed, type order and a type heading with markup
 * The Markdown flavour is picked by the length: CommonMark, kramdown, GFM.
 *
 * Checked: no crash, no leak; the output is valid UTF-8 without NUL; JSON
 * and CSL-JSON output is valid JSON (strict RFC 8259 syntax); every
 * href in the HTML is http, https, mailto or relative (README: anything
 * else is dropped), also after the entity and whitespace tricks browsers
 * apply; rendering twice gives the same bytes.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "fuzz_util.h"

/* Every pr_format value: a new output format is added here. */
static const pr_format formats[] = {PR_FORMAT_HTML, PR_FORMAT_MARKDOWN, PR_FORMAT_JSON,
                                    PR_FORMAT_CSL_JSON};
static int is_json(pr_format f) { return f == PR_FORMAT_JSON || f == PR_FORMAT_CSL_JSON; }

/* ---- a strict JSON (RFC 8259) syntax check ---- */
typedef struct { const char *s, *end; int depth; } jp;
static void j_ws(jp *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) p->s++;
}
static int j_value(jp *p);
static int j_string(jp *p) {
  if (p->s >= p->end || *p->s != '"') return 0;
  for (p->s++; p->s < p->end; p->s++) {
    unsigned char c = (unsigned char)*p->s;
    if (c == '"') { p->s++; return 1; }
    if (c < 0x20) return 0;
    if (c == '\\') {
      if (++p->s >= p->end) return 0;
      if (*p->s == 'u') {
        for (int i = 0; i < 4; i++)
          if (++p->s >= p->end || !isxdigit((unsigned char)*p->s)) return 0;
      } else if (!strchr("\"\\/bfnrt", *p->s)) {
        return 0;
      }
    }
  }
  return 0;
}
static int j_number(jp *p) {
  const char *st = p->s;
  if (p->s < p->end && *p->s == '-') p->s++;
  if (p->s >= p->end || !isdigit((unsigned char)*p->s)) return 0;
  if (*p->s == '0') p->s++;
  else while (p->s < p->end && isdigit((unsigned char)*p->s)) p->s++;
  if (p->s < p->end && *p->s == '.') {
    p->s++;
    if (p->s >= p->end || !isdigit((unsigned char)*p->s)) return 0;
    while (p->s < p->end && isdigit((unsigned char)*p->s)) p->s++;
  }
  if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
    p->s++;
    if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
    if (p->s >= p->end || !isdigit((unsigned char)*p->s)) return 0;
    while (p->s < p->end && isdigit((unsigned char)*p->s)) p->s++;
  }
  return p->s > st;
}
static int j_lit(jp *p, const char *w) {
  size_t n = strlen(w);
  if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n)) return 0;
  p->s += n;
  return 1;
}
static int j_value(jp *p) {
  j_ws(p);
  if (p->s >= p->end || ++p->depth > 1000) return 0;
  int ok;
  char c = *p->s;
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    p->s++;
    j_ws(p);
    if (p->s < p->end && *p->s == close) {
      p->s++;
      ok = 1;
    } else {
      for (ok = 0;;) {
        if (c == '{') {
          j_ws(p);
          if (!j_string(p)) break;
          j_ws(p);
          if (p->s >= p->end || *p->s++ != ':') break;
        }
        if (!j_value(p)) break;
        j_ws(p);
        if (p->s < p->end && *p->s == ',') { p->s++; continue; }
        if (p->s < p->end && *p->s == close) { p->s++; ok = 1; }
        break;
      }
    }
  } else if (c == '"') {
    ok = j_string(p);
  } else if (c == 't') {
    ok = j_lit(p, "true");
  } else if (c == 'f') {
    ok = j_lit(p, "false");
  } else if (c == 'n') {
    ok = j_lit(p, "null");
  } else {
    ok = j_number(p);
  }
  p->depth--;
  return ok;
}
static void check_json(const char *s, size_t n, pr_format f) {
  jp p = {s, s + n, 0};
  int ok = j_value(&p);
  j_ws(&p);
  if (!ok || p.s != p.end)
    FUZZ_FAIL("format %d: not valid JSON at offset %zu: %.60s", (int)f, (size_t)(p.s - s), p.s);
}

static int failing_sink(const char *d, size_t n, void *ctx) {
  (void)d;
  (void)n;
  (void)ctx;
  return 1;
}

/* The scheme a browser would see in an attribute value (entities decoded,
   ASCII whitespace and controls dropped, lower case); "" when relative. */
static void href_scheme(const char *v, size_t n, char *scheme, size_t size) {
  char buf[64];
  size_t o = 0;
  for (size_t i = 0; i < n && o + 1 < sizeof buf;) {
    unsigned c = (unsigned char)v[i];
    if (c == '&') {
      const char *semi = memchr(v + i, ';', n - i);
      if (semi && semi - (v + i) < 12) {
        const char *ent = v + i + 1;
        size_t el = (size_t)(semi - ent);
        if (el > 1 && ent[0] == '#') c = (unsigned)strtoul(ent[1] == 'x' || ent[1] == 'X' ? ent + 2 : ent + 1, NULL,
                                                     ent[1] == 'x' || ent[1] == 'X' ? 16 : 10);
        else if (el == 3 && !memcmp(ent, "amp", 3)) c = '&';
        else if (el == 2 && !memcmp(ent, "lt", 2)) c = '<';
        else if (el == 2 && !memcmp(ent, "gt", 2)) c = '>';
        else if (el == 4 && !memcmp(ent, "quot", 4)) c = '"';
        else if (el == 5 && !memcmp(ent, "colon", 5)) c = ':';
        else if (el == 3 && !memcmp(ent, "tab", 3)) c = '\t';
        else if (el == 7 && !memcmp(ent, "newline", 7)) c = '\n';
        i = (size_t)(semi - v) + 1;
      } else {
        i++;
      }
    } else {
      i++;
    }
    if (c <= 0x20) continue;
    if (c == ':') {
      buf[o] = '\0';
      snprintf(scheme, size, "%s", buf);
      return;
    }
    if (c == '/' || c == '?' || c == '#') break;
    buf[o++] = (char)tolower((int)c);
  }
  scheme[0] = '\0';
}

static void check_links(const char *html) {
  for (const char *p = html; (p = strstr(p, "href=\"")); ) {
    p += 6;
    const char *end = strchr(p, '"');
    if (!end) FUZZ_FAIL("unterminated href attribute");
    char scheme[64];
    href_scheme(p, (size_t)(end - p), scheme, sizeof scheme);
    if (scheme[0] && strcmp(scheme, "http") && strcmp(scheme, "https") && strcmp(scheme, "mailto"))
      FUZZ_FAIL("href with scheme '%s': %.*s", scheme, (int)(end - p > 200 ? 200 : end - p), p);
    p = end + 1;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  unsigned flags = data[0];
  const char *text = (const char *)data + 1;
  size_t len = size - 1;

  pr_bib *bib = pr_bib_new();
  pr_options *o = pr_options_new();
  if (!bib || !o) goto done;
  if (flags & 0x10) {
    pr_bib_add_buffer(bib, text, len / 2, "one.bib", NULL);
    pr_bib_add_buffer(bib, text + len / 2, len - len / 2, "two.bib", NULL);
  } else {
    pr_bib_add_buffer(bib, text, len, "fuzz.bib", NULL);
  }

  pr_options_set_standalone(o, flags & 0x01);
  if (flags & 0x02) {
    pr_options_add_highlight(o, "Byungsoo Oh");
    const pr_entry *e = pr_bib_entry(bib, 0);
    const pr_name *n = e ? pr_entry_name(e, "author", 0) : NULL;
    if (n) {
      pr_options_add_highlight(o, pr_name_display(n));
      pr_options_add_highlight(o, pr_name_last(n));
    }
  }
  if (flags & 0x04) {
    pr_options_set_legend(o, "*", NULL);
    pr_options_set_legend(o, "\xe2\x80\xa1", "Joint <last> & \"first\"");
    pr_options_set_legend(o, "\xc2\xa7", "");
  }

  if (flags & 0x20) {
    pr_options_set_group_by(o, "year,type", NULL);
    pr_options_set_numbering(o, 1, 0);
    pr_options_set_heading_level(o, 3);
  }
  if (flags & 0x40) pr_options_set_sort(o, "title,-year,author", NULL);
  /* the Markdown flavour by the length (CommonMark, kramdown, GFM) */
  static const pr_md_flavor flavors[] = {PR_MD_COMMONMARK, PR_MD_KRAMDOWN, PR_MD_GFM};
  if (pr_options_set_markdown_flavor(o, flavors[len % 3]) != PR_OK) FUZZ_FAIL("flavor refused");
  if (flags & 0x80) {
    pr_options_set_numbering(o, flags & 0x20 ? 1 : 0, 1);
    pr_options_set_type_order(o, "misc,article,inproceedings");
    pr_options_set_type_name(o, "article", "Papers <&> \"x\" *y*");
  }

  for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
    if (pr_options_set_format(o, formats[i]) != PR_OK) FUZZ_FAIL("format %d refused", (int)formats[i]);
    char *out = NULL, *again = NULL;
    size_t n = 0, n2 = 0;
    pr_status st = pr_render_string(bib, o, &out, &n, NULL, NULL);
    if (st == PR_OK) {
      if (!out) FUZZ_FAIL("pr_render_string: PR_OK without output");
      if (strlen(out) != n) FUZZ_FAIL("pr_render_string: length %zu, strlen %zu", n, strlen(out));
      fuzz_check_text("rendered output", out, n);
      if (formats[i] == PR_FORMAT_HTML) check_links(out);
      if (is_json(formats[i])) check_json(out, n, formats[i]);
      if (pr_render_string(bib, o, &again, &n2, NULL, NULL) == PR_OK && (n2 != n || memcmp(out, again, n)))
        FUZZ_FAIL("rendering twice gave different output (format %d)", (int)formats[i]);
    } else if (st != PR_ERR_NOMEM) {
      FUZZ_FAIL("pr_render_string: status %d", (int)st);
    }
    pr_free(again);
    pr_free(out);
    if (flags & 0x08) {
      pr_error err;
      st = pr_render(bib, o, failing_sink, NULL, NULL, &err);
      if (st != PR_ERR_IO && st != PR_ERR_NOMEM && !(st == PR_OK && n == 0))
        FUZZ_FAIL("pr_render into a failing sink: status %d", (int)st);
    }
  }
done:
  pr_options_free(o);
  pr_bib_free(bib);
  return 0;
}
