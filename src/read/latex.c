/* latex.c - LaTeX source (a BibTeX field value) to marked text (read.h).
 *
 * One left-to-right pass over the input. Brace groups and open spans live
 * on an explicit stack (no recursion), the output is a doubling buffer, so
 * time and memory are linear in the input length. The result is finally
 * normalised to NFC with utf8proc (which keeps the C0 marker bytes as is).
 *
 * Whitespace: a run of input whitespace becomes one pending space that is
 * written only when text follows, and then before any span openers that
 * directly precede that text, so spaces never sit just inside a span.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>
#include "read/read.h"

/* ------------------------------------------------------------------ */
/* Command table                                                        */

enum cmd_type {
  C_SYM,     /* text str */
  C_LETTER,  /* text str; may carry an accent (base cp, or str when 0) */
  C_SPACE,   /* a collapsible space */
  C_NOTHING, /* produces nothing */
  C_ACCENT,  /* combining mark cp; spacing form str (NULL: none) */
  C_SPAN,    /* \cmd{..}: span with opening marker cp */
  C_SWITCH,  /* {\cmd ..}: span up to the end of the enclosing group */
  C_KEEP,    /* \cmd{..}: the argument as plain text */
  C_DROP,    /* \cmd{..}: dropped with its argument */
  C_QUOTE,   /* \cmd{..}: the argument in double quotes */
  C_URL,     /* \url{u} */
  C_HREF,    /* \href{u}{t} */
  C_MATH,    /* \( or \[: closer str, no_math slot cp */
  C_FOREIGN, /* \foreignlanguage[opts]{lang}{text}: the text */
  C_LANGSEL, /* \selectlanguage{lang}: nothing */
  C_BEGIN,   /* \begin{env} */
  C_END,     /* \end{env} */
  C_IFMMODE  /* \ifmmode A\else B\fi: B (text), or A in math */
};

typedef struct {
  const char *name;
  unsigned char type;
  int32_t cp;
  const char *str;
} cmd_t;

#define SYM(n, s) {n, C_SYM, 0, s}
#define LET(n, s, b) {n, C_LETTER, b, s}
#define ACC(n, cp, s) {n, C_ACCENT, cp, s}
#define SPAN(n, m) {n, C_SPAN, m, NULL}
#define SW(n, m) {n, C_SWITCH, m, NULL}
#define DO(n, t) {n, t, 0, NULL}

/* Sorted bytewise by name (bsearch). */
static const cmd_t cmds[] = {
  DO("!", C_NOTHING), ACC("\"", 0x308, "¨"), SYM("#", "#"), SYM("$", "$"),
  SYM("%", "%"), SYM("&", "&"), ACC("'", 0x301, "´"), {"(", C_MATH, 2, "\\)"},
  DO(")", C_NOTHING), SYM(",", "\u2009"), DO("-", C_NOTHING),
  ACC(".", 0x307, "˙"), DO("/", C_NOTHING), DO(":", C_SPACE), DO(";", C_SPACE),
  ACC("=", 0x304, "¯"), DO("@", C_NOTHING),
  LET("AA", "Å", 0), LET("AE", "Æ", 0), SYM("BibTeX", "BibTeX"),
  LET("DH", "Ð", 0), LET("DJ", "Đ", 0), SYM("Delta", "Δ"), SYM("Gamma", "Γ"),
  ACC("H", 0x30B, "˝"), LET("L", "Ł", 0), SYM("LaTeX", "LaTeX"),
  SYM("LaTeXe", "LaTeX2e"), SYM("Lambda", "Λ"), DO("MakeLowercase", C_KEEP),
  DO("MakeUppercase", C_KEEP), LET("NG", "Ŋ", 0), DO("NoCaseChange", C_KEEP),
  LET("O", "Ø", 0), LET("OE", "Œ", 0), SYM("Omega", "Ω"), SYM("P", "¶"),
  SYM("Phi", "Φ"), SYM("Pi", "Π"), SYM("Psi", "Ψ"), SYM("S", "§"),
  LET("SS", "SS", 0), SYM("Sigma", "Σ"), DO("SortNoop", C_DROP),
  LET("TH", "Þ", 0), SYM("TeX", "TeX"), SYM("Theta", "Θ"),
  SYM("Upsilon", "Υ"), SYM("Xi", "Ξ"),
  {"[", C_MATH, 3, "\\]"}, DO("\\", C_SPACE), DO("]", C_NOTHING),
  ACC("^", 0x302, "^"), SYM("_", "_"), ACC("`", 0x300, "`"),
  LET("aa", "å", 0), LET("ae", "æ", 0), DO("allowbreak", C_NOTHING), SYM("alpha", "α"), DO("arabic", C_KEEP), DO("autocap", C_KEEP),
  ACC("b", 0x331, NULL), DO("begin", C_BEGIN), SYM("beta", "β"), SW("bf", PR_MK_BOLD_ON),
  SW("bfseries", PR_MK_BOLD_ON), DO("bigskip", C_SPACE), ACC("c", 0x327, "¸"), SYM("chi", "χ"),
  SYM("copyright", "©"), ACC("d", 0x323, NULL), SYM("dag", "†"),
  SYM("ddag", "‡"), SYM("delta", "δ"), LET("dh", "ð", 0), LET("dj", "đ", 0),
  SYM("dots", "…"), DO("else", C_NOTHING), SW("em", PR_MK_EMPH_ON), SPAN("emph", PR_MK_EMPH_ON),
  DO("end", C_END), DO("enquote", C_QUOTE), SYM("enspace", "\u2002"), DO("ensuremath", C_KEEP), SYM("epsilon", "ϵ"),
  SYM("eta", "η"), SYM("euro", "€"),
  DO("fi", C_NOTHING), DO("foreignlanguage", C_FOREIGN), SYM("gamma", "γ"),
  SYM("guillemetleft", "«"), SYM("guillemetright", "»"),
  SYM("guillemotleft", "«"), SYM("guillemotright", "»"),
  SYM("guilsinglleft", "‹"), SYM("guilsinglright", "›"), DO("hbox", C_KEEP),
  DO("hfil", C_SPACE), DO("hfill", C_SPACE), DO("href", C_HREF), DO("hspace", C_DROP), SYM("hyphen", "-"), LET("i", "ı", 'i'), DO("ifmmode", C_IFMMODE), DO("ignorespaces", C_NOTHING), SYM("iota", "ι"),
  SW("it", PR_MK_EMPH_ON), SW("itshape", PR_MK_EMPH_ON), LET("j", "ȷ", 'j'),
  ACC("k", 0x328, "˛"), SYM("kappa", "κ"), LET("l", "ł", 0),
  SYM("lambda", "λ"), SYM("ldots", "…"), DO("leavevmode", C_NOTHING), DO("linebreak", C_SPACE), DO("lowercase", C_KEEP), SYM("lq", "‘"),
  DO("mbox", C_KEEP), DO("mdseries", C_NOTHING), DO("medskip", C_SPACE), SPAN("mkbibbold", PR_MK_BOLD_ON),
  SPAN("mkbibemph", PR_MK_EMPH_ON), SPAN("mkbibitalic", PR_MK_EMPH_ON),
  DO("mkbibquote", C_QUOTE), SYM("mu", "μ"), DO("negthinspace", C_NOTHING), DO("newblock", C_SPACE), LET("ng", "ŋ", 0),
  DO("nobreak", C_NOTHING), SYM("nobreakspace", "\u00a0"), DO("nocase", C_KEEP), DO("noindent", C_NOTHING), DO("nolinebreak", C_NOTHING), DO("noop", C_DROP), DO("noopsort", C_DROP),
  DO("normalfont", C_NOTHING), SYM("nu", "ν"), DO("null", C_NOTHING), LET("o", "ø", 0),
  LET("oe", "œ", 0), SYM("omega", "ω"), DO("par", C_SPACE), SYM("phi", "ϕ"), SYM("pi", "π"),
  SYM("pounds", "£"), DO("protect", C_NOTHING), SYM("psi", "ψ"), DO("qquad", C_SPACE),
  DO("quad", C_SPACE), SYM("quotedblbase", "„"), SYM("quotesinglbase", "‚"), ACC("r", 0x30A, "˚"), DO("relax", C_NOTHING),
  SYM("rho", "ρ"), DO("rm", C_NOTHING), DO("rmfamily", C_NOTHING), SYM("rq", "’"),
  SW("sc", PR_MK_SC_ON), SW("scshape", PR_MK_SC_ON), DO("selectlanguage", C_LANGSEL), DO("sf", C_NOTHING),
  DO("sffamily", C_NOTHING), SYM("sigma", "σ"), SW("sl", PR_MK_EMPH_ON),
  SYM("slash", "/"), SW("slshape", PR_MK_EMPH_ON), DO("smallskip", C_SPACE), DO("sortnoop", C_DROP), DO("space", C_SPACE), LET("ss", "ß", 0),
  ACC("t", 0x361, NULL), SYM("tau", "τ"), DO("text", C_KEEP),
  SYM("textAlpha", "Α"), SYM("textBeta", "Β"), SYM("textChi", "Χ"), SYM("textDelta", "Δ"), SYM("textEpsilon", "Ε"), SYM("textEta", "Η"), SYM("textGamma", "Γ"), SYM("textIota", "Ι"), SYM("textKappa", "Κ"), SYM("textLambda", "Λ"), SYM("textMu", "Μ"), SYM("textNu", "Ν"), SYM("textOmega", "Ω"), SYM("textOmicron", "Ο"), SYM("textPhi", "Φ"), SYM("textPi", "Π"), SYM("textPsi", "Ψ"), SYM("textRho", "Ρ"), SYM("textSigma", "Σ"), SYM("textTau", "Τ"), SYM("textTheta", "Θ"), SYM("textUpsilon", "Υ"), SYM("textXi", "Ξ"), SYM("textZeta", "Ζ"), SYM("textalpha", "α"), SYM("textasciicircum", "^"), SYM("textasciitilde", "~"),
  SYM("textbackslash", "\\"), SYM("textbaht", "฿"), SYM("textbar", "|"), SYM("textbeta", "β"), SPAN("textbf", PR_MK_BOLD_ON),
  SYM("textbrokenbar", "¦"), SYM("textbullet", "•"), SYM("textcelsius", "℃"), SYM("textcent", "¢"), SYM("textchi", "χ"), SYM("textcircledP", "℗"), SYM("textcolonmonetary", "₡"), SYM("textcopyright", "©"), SYM("textcurrency", "¤"), SYM("textdagger", "†"),
  SYM("textdaggerdbl", "‡"), SYM("textdegree", "°"), SYM("textdelta", "δ"), SYM("textdiv", "÷"), SYM("textdong", "₫"), SYM("textdownarrow", "↓"), SYM("textellipsis", "…"), SYM("textelp", "…"),
  SYM("textemdash", "—"), SYM("textendash", "–"), SYM("textepsilon", "ε"), SYM("textestimated", "℮"), SYM("texteta", "η"), SYM("texteuro", "€"),
  SYM("textexclamdown", "¡"), SYM("textfinalsigma", "ς"), SYM("textflorin", "ƒ"), SYM("textfractionsolidus", "⁄"), SYM("textgamma", "γ"), SYM("textgreater", ">"),
  SYM("textguarani", "₲"), SYM("textinterrobang", "‽"), SYM("textiota", "ι"), SPAN("textit", PR_MK_EMPH_ON), SYM("textkappa", "κ"), SYM("textlambda", "λ"), SYM("textleftarrow", "←"), SYM("textless", "<"), SYM("textlira", "₤"), SYM("textlnot", "¬"), DO("textmd", C_KEEP),
  SYM("textmho", "℧"), SYM("textminus", "−"), SYM("textmu", "µ"), SYM("textmusicalnote", "♪"), SYM("textnaira", "₦"), DO("textnormal", C_KEEP), SYM("textnu", "ν"), SYM("textnumero", "№"), SYM("textohm", "Ω"), SYM("textomega", "ω"), SYM("textomicron", "ο"), SYM("textonehalf", "½"), SYM("textonequarter", "¼"), SYM("textonesuperior", "¹"), SYM("textopenbullet", "◦"), SYM("textordfeminine", "ª"), SYM("textordmasculine", "º"), SYM("textparagraph", "¶"),
  SYM("textperiodcentered", "·"), SYM("textpertenthousand", "‱"), SYM("textperthousand", "‰"), SYM("textpeso", "₱"), SYM("textphi", "φ"), SYM("textpi", "π"), SYM("textpm", "±"), SYM("textpsi", "ψ"), SYM("textquestiondown", "¿"), SYM("textquotedbl", "\""),
  SYM("textquotedblleft", "“"), SYM("textquotedblright", "”"),
  SYM("textquoteleft", "‘"), SYM("textquoteright", "’"), SYM("textquotesingle", "'"),
  SYM("textreferencemark", "※"), SYM("textregistered", "®"), SYM("textrho", "ρ"), SYM("textrightarrow", "→"), DO("textrm", C_KEEP), SPAN("textsc", PR_MK_SC_ON),
  SYM("textsection", "§"), SYM("textservicemark", "℠"), DO("textsf", C_KEEP), SYM("textsigma", "σ"), SPAN("textsl", PR_MK_EMPH_ON),
  SYM("textsterling", "£"), SPAN("textsubscript", PR_MK_SUB_ON), SPAN("textsuperscript", PR_MK_SUP_ON),
  SYM("textsurd", "√"), SYM("texttau", "τ"), SYM("texttheta", "θ"), SYM("textthreequarters", "¾"), SYM("textthreesuperior", "³"), SYM("texttimes", "×"), SYM("texttrademark", "™"), SPAN("texttt", PR_MK_CODE_ON),
  SYM("texttwosuperior", "²"), SYM("textunderscore", "_"), DO("textup", C_KEEP), SYM("textuparrow", "↑"), SYM("textupsilon", "υ"), SYM("textvarsigma", "ς"), SYM("textwon", "₩"), SYM("textxi", "ξ"), SYM("textyen", "¥"), SYM("textzeta", "ζ"), LET("th", "þ", 0),
  SYM("theta", "θ"), SYM("thinspace", "\u2009"), SW("tt", PR_MK_CODE_ON), SW("ttfamily", PR_MK_CODE_ON),
  ACC("u", 0x306, "˘"), DO("unskip", C_NOTHING), DO("uppercase", C_KEEP), DO("upshape", C_NOTHING),
  SYM("upsilon", "υ"), DO("url", C_URL), ACC("v", 0x30C, "ˇ"),
  SYM("varepsilon", "ε"), SYM("varphi", "φ"), SYM("varpi", "ϖ"),
  SYM("varrho", "ϱ"), SYM("varsigma", "ς"), SYM("vartheta", "ϑ"),
  DO("vspace", C_DROP), SYM("xi", "ξ"), DO("xspace", C_NOTHING), SYM("zeta", "ζ"), SYM("{", "{"), SYM("}", "}"),
  ACC("~", 0x303, "~"),
};

/* babel's and polyglossia's language names (sorted bytewise): \text<name>
   and the <name> environment keep their text. */
static const char *const languages[] = {
  "UKenglish", "USenglish", "afrikaans", "albanian", "american", "amharic", "ancientgreek",
  "arabic", "armenian", "asturian", "australian", "austrian", "bahasa", "bahasai", "bahasam",
  "basque", "belarusian", "bengali", "bosnian", "brazil", "brazilian", "breton", "british",
  "bulgarian", "canadian", "canadien", "catalan", "chinese", "coptic", "croatian", "czech",
  "danish", "divehi", "dutch", "english", "esperanto", "estonian", "ethiopic", "farsi",
  "finnish", "francais", "french", "friulan", "friulian", "gaelic", "galician", "georgian",
  "german", "germanb", "greek", "hebrew", "hindi", "hungarian", "icelandic", "indon",
  "indonesian", "interlingua", "irish", "italian", "japanese", "kannada", "kazakh", "khmer",
  "korean", "kurdish", "lao", "latin", "latvian", "lithuanian", "lowersorbian", "lsorbian",
  "macedonian", "magyar", "malay", "malayalam", "marathi", "meyalu", "mongolian", "naustrian",
  "newzealand", "ngerman", "nko", "norsk", "northernsami", "norwegian", "nswissgerman",
  "nynorsk", "occitan", "piedmontese", "polish", "polutonikogreek", "portuges", "portuguese",
  "romanian", "romansh", "russian", "samin", "sanskrit", "scottish", "serbian", "serbianc",
  "slovak", "slovene", "slovenian", "spanish", "swedish", "swissgerman", "syriac", "tamil",
  "telugu", "thai", "tibetan", "turkish", "turkmen", "ukrainian", "uppersorbian", "urdu",
  "usorbian", "vietnamese", "welsh",
};

struct slice { const unsigned char *s; size_t n; };

/* The languages whose babel/polyglossia shorthands include "` "' "< ">. */
static bool is_german(const unsigned char *name, size_t len) {
  static const char *const german[] = {"austrian", "german", "germanb", "naustrian",
                                       "ngerman", "nswissgerman", "swissgerman"};
  for (size_t i = 0; i < sizeof german / sizeof german[0]; i++)
    if (strlen(german[i]) == len && memcmp(german[i], name, len) == 0) return true;
  return false;
}

static int cmp_name(const void *key, const void *elem) {
  const struct slice *k = key;
  const char *name = *(const char *const *)elem;
  size_t m = strlen(name);
  int r = memcmp(k->s, name, k->n < m ? k->n : m);
  return r ? r : (k->n > m) - (k->n < m);
}

static bool is_language(const unsigned char *s, size_t n) {
  struct slice k = {s, n};
  return bsearch(&k, languages, sizeof languages / sizeof languages[0], sizeof languages[0],
                 cmp_name) != NULL;
}

static int cmp_cmd(const void *key, const void *elem) {
  const struct slice *k = key;
  const char *name = ((const cmd_t *)elem)->name;
  size_t m = strlen(name);
  int r = memcmp(k->s, name, k->n < m ? k->n : m);
  return r ? r : (k->n > m) - (k->n < m);
}

static const cmd_t *lookup(const unsigned char *s, size_t n) {
  struct slice k = {s, n};
  return bsearch(&k, cmds, sizeof cmds / sizeof cmds[0], sizeof cmds[0], cmp_cmd);
}

/* ------------------------------------------------------------------ */
/* Output buffer                                                        */

/* Unicode stream-safe format: at most 30 non-starters in a row, so that
   utf8proc's canonical reordering stays linear. */
#define MAX_NONSTARTERS 30
#define CGJ 0x034F

typedef struct {
  char *b;
  size_t len, cap;
  size_t run;      /* start of the trailing run of span openers (len if none) */
  bool pend;       /* a space is pending */
  bool content;    /* some text has been written */
  bool oom;
  int nonstarters; /* trailing non-starters written */
} out_t;

static bool reserve(out_t *o, size_t extra) {
  if (o->oom) return false;
  if (o->cap - o->len > extra) return true; /* one byte kept for the NUL */
  size_t cap = o->cap ? o->cap : 32;
  while (cap - o->len <= extra) {
    if (cap > SIZE_MAX / 2) { o->oom = true; return false; }
    cap *= 2;
  }
  char *nb = realloc(o->b, cap);
  if (!nb) { o->oom = true; return false; }
  o->b = nb;
  o->cap = cap;
  return true;
}

/* Appends bytes that are all starters (ASCII, markers, table strings). */
static void raw(out_t *o, const char *s, size_t n) {
  if (!reserve(o, n)) return;
  memcpy(o->b + o->len, s, n);
  o->len += n;
  o->nonstarters = 0;
}

static void raw_byte(out_t *o, char c) { raw(o, &c, 1); }

static int ccc(int32_t cp) { return utf8proc_get_property(cp)->combining_class; }

/* Appends one code point, keeping the output stream-safe. */
static void append_cp(out_t *o, int32_t cp) {
  if (cp < 0xC0) { /* ASCII and U+0080..U+00BF: starters, no decomposition */
    utf8proc_uint8_t enc[2];
    raw(o, (const char *)enc, (size_t)utf8proc_encode_char(cp, enc));
    return;
  }
  utf8proc_int32_t d[8];
  int bound = 0;
  utf8proc_ssize_t n = 0;
  if (cp >= 0xC0) n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bound);
  if (n <= 0 || n > 8) { d[0] = cp; n = 1; }
  utf8proc_ssize_t lead = 0, trail = 0;
  while (lead < n && ccc(d[lead])) lead++;
  while (trail < n - lead && ccc(d[n - 1 - trail])) trail++;
  utf8proc_uint8_t enc[8];
  if (lead && o->nonstarters + lead > MAX_NONSTARTERS) {
    raw(o, (const char *)enc, (size_t)utf8proc_encode_char(CGJ, enc));
  }
  int before = o->nonstarters;
  raw(o, (const char *)enc, (size_t)utf8proc_encode_char(cp, enc));
  o->nonstarters = lead == n ? before + (int)n : (int)trail;
}

/* Text is about to be written: place a pending space before any openers. */
static void text_begin(out_t *o) {
  if (o->pend && o->content && !(o->run && o->b[o->run - 1] == PR_MK_BR) && reserve(o, 1)) {
    memmove(o->b + o->run + 1, o->b + o->run, o->len - o->run);
    o->b[o->run] = ' ';
    o->len++;
  }
  o->pend = false;
  o->content = true;
}

static void text_end(out_t *o) { o->run = o->len; }

static void put_cp(out_t *o, int32_t cp) {
  text_begin(o);
  append_cp(o, cp);
  text_end(o);
}

static void put_str(out_t *o, const char *s) {
  text_begin(o);
  raw(o, s, strlen(s));
  text_end(o);
}

/* Closes the span opened at start (its opener ends at end): an empty span
   is removed, otherwise the closing marker is written. */
static void close_span(out_t *o, size_t start, size_t end, char off) {
  if (o->len == end) {
    o->len = start;
    if (o->run > start) o->run = start;
  } else {
    raw_byte(o, off);
    o->run = o->len;
  }
}

/* ------------------------------------------------------------------ */
/* Input helpers                                                        */

static bool is_ws(unsigned char c) { return c <= 0x20 || c == 0x7F; }
static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* Decodes the character at s[*p] and advances; invalid bytes give U+FFFD. */
static int32_t next_cp(const unsigned char *s, size_t n, size_t *p) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t k = utf8proc_iterate(s + *p, (utf8proc_ssize_t)(n - *p), &cp);
  if (k <= 0) { (*p)++; return 0xFFFD; }
  *p += (size_t)k;
  return cp;
}

static bool blank(const unsigned char *s, size_t a, size_t b) {
  while (a < b && is_ws(s[a])) a++;
  return a == b;
}

static size_t group_end(const unsigned char *s, size_t n, size_t p) {
  return pr_tex_group_end((const char *)s, n, p);
}

/* Index of the first unescaped occurrence of close in s[a..n), or n. */
static size_t find_closer(const unsigned char *s, size_t n, size_t a, const char *close) {
  size_t k = strlen(close);
  for (; a + k <= n; a++) {
    if (memcmp(s + a, close, k) == 0) return a;
    if (s[a] == '\\') a++;
  }
  return n;
}

/* Length of a URL escape at s[a] ('\\') standing for *c, or 0. */
static size_t url_escape(const unsigned char *s, size_t a, size_t b, char *c) {
  static const char lit[] = "textasciitilde";
  if (a + 1 < b && memchr("%_#&~", s[a + 1], 5)) { *c = (char)s[a + 1]; return 2; }
  size_t k = sizeof lit - 1;
  if (b - a > k && memcmp(s + a + 1, lit, k) == 0 && (a + 1 + k == b || !is_alpha(s[a + 1 + k]))) {
    size_t e = a + 1 + k;
    while (e < b && is_ws(s[e])) e++;
    if (e + 1 < b && s[e] == '{' && s[e + 1] == '}') e += 2;
    *c = '~';
    return e - a;
  }
  return 0;
}

/* Writes s[a..b) verbatim with whitespace collapsed and trimmed; in a URL
   the escapes of url_escape stand for their character. */
static void put_verbatim(out_t *o, const unsigned char *s, size_t a, size_t b, bool url) {
  size_t from = o->len;
  bool sp = false;
  while (a < b) {
    if (is_ws(s[a])) { sp = true; a++; continue; }
    if (sp && o->len > from) raw_byte(o, ' ');
    sp = false;
    char c;
    size_t k = url && s[a] == '\\' ? url_escape(s, a, b, &c) : 0;
    if (k) { raw_byte(o, c); a += k; }
    else append_cp(o, next_cp(s, b, &a));
  }
}

enum block { B_MATH, B_LINK, B_TEXT };

/* Writes s[a..b) as math, as a link to itself, or as text; nothing if blank. */
static void put_block(out_t *o, const unsigned char *s, size_t a, size_t b, enum block kind) {
  if (blank(s, a, b)) return;
  text_begin(o);
  if (kind == B_MATH) raw_byte(o, PR_MK_MATH_ON);
  if (kind == B_LINK) {
    raw_byte(o, PR_MK_LINK_ON);
    put_verbatim(o, s, a, b, true);
    raw_byte(o, PR_MK_LINK_MID);
  }
  put_verbatim(o, s, a, b, kind != B_MATH);
  if (kind != B_TEXT) raw_byte(o, kind == B_MATH ? PR_MK_MATH_OFF : PR_MK_LINK_OFF);
  text_end(o);
}

/* ------------------------------------------------------------------ */
/* Converter state: open groups and spans                               */

/* E_HTML: a span opened by an HTML tag; it ends at its closing tag, or
   (with a warning) at the end of the enclosing group. */
/* E_NOCASE: the case protection of a group (read.h), opened after the
   group's own entry; like a switch, it ends with that group. */
enum entry_kind { E_GROUP, E_SPAN, E_SWITCH, E_LINK, E_QUOTE, E_HTML, E_NOCASE };

typedef struct {
  unsigned char kind; /* enum entry_kind */
  unsigned char tag;  /* E_HTML: index in html_tags */
  char off;           /* closing marker of a span or link (0: none) */
  bool german;        /* conv_t's german when it was opened, back when it ends */
  size_t start, end;  /* output positions of its opener; for E_GROUP, start
                         counts the directly nested groups merged into it */
} entry_t;

typedef struct {
  const unsigned char *s;
  size_t n, p;
  out_t o;
  entry_t *stk;
  size_t depth, cap; /* entries on stk */
  size_t braces;     /* entries that end at a '}' */
  size_t code, links;
  bool no_math[4];   /* closer of $, $$, \(, \[ not found: later ones are literal */
  pr_unknown_cmd_fn unknown;
  pr_markup_warn_fn html_warn;
  void *ctx;
  bool keep_refs;
  bool nocase;       /* write the case-protection markers */
  bool accent_arg;   /* an accent's braced argument is being opened */
  bool german;       /* in a German language switch: babel's " shorthands */
  bool rewritten;    /* reading a siunitx or chemistry rewriting (siunitx.c) */
  bool no_fi;        /* an \ifmmode without its \fi was met: later ones are nothing */
  char *name;        /* scratch for the unknown callback */
  size_t name_cap;
  entry_t small[16]; /* stk until it needs more */
} conv_t;

/* Entries that end at a '}' of their own. */
static bool ends_at_brace(unsigned char kind) {
  return kind != E_SWITCH && kind != E_HTML && kind != E_NOCASE;
}

static void open_span(conv_t *c, enum entry_kind kind, char on);

static void push(conv_t *c, enum entry_kind kind, char off, size_t start) {
  c->braces += ends_at_brace((unsigned char)kind);
  if (kind == E_GROUP && c->depth && c->stk[c->depth - 1].kind == E_GROUP) {
    c->stk[c->depth - 1].start++; /* "{{{": one entry */
    return;
  }
  if (c->depth == c->cap) {
    size_t cap = c->cap * 2;
    entry_t *ns = NULL;
    if (cap <= SIZE_MAX / sizeof *ns) /* the first stack is c->small, not malloc'd */
      ns = c->stk == c->small ? malloc(cap * sizeof *ns) : realloc(c->stk, cap * sizeof *ns);
    if (!ns) { c->o.oom = true; return; }
    if (c->stk == c->small) memcpy(ns, c->small, sizeof c->small);
    c->stk = ns;
    c->cap = cap;
  }
  c->stk[c->depth++] = (entry_t){(unsigned char)kind, 0, off, c->german, start, c->o.len};
  c->code += off == PR_MK_CODE_OFF;
  c->links += off == PR_MK_LINK_OFF;
  /* BibTeX's case protection (read.h): a group at brace level 1 (bare or a
     command's argument, c->p just after its '{') that is not a special
     character, {\..}; an accent's argument is a character, not text */
  if (c->nocase && ends_at_brace((unsigned char)kind) && c->braces == 1 && !c->accent_arg &&
      !(c->p < c->n && c->s[c->p] == '\\'))
    open_span(c, E_NOCASE, PR_MK_NOCASE_ON);
}

static void html_unclosed(conv_t *c, const entry_t *e, const char *where);

static void pop(conv_t *c) {
  c->braces -= ends_at_brace(c->stk[c->depth - 1].kind);
  if (c->stk[c->depth - 1].kind == E_GROUP && c->stk[c->depth - 1].start) {
    c->stk[c->depth - 1].start--;
    return;
  }
  entry_t e = c->stk[--c->depth];
  c->german = e.german;
  c->code -= e.off == PR_MK_CODE_OFF;
  c->links -= e.off == PR_MK_LINK_OFF;
  if (e.kind == E_QUOTE) put_str(&c->o, "”");
  else if (e.kind != E_GROUP && e.off) close_span(&c->o, e.start, e.end, e.off);
}

static void group(conv_t *c) { push(c, E_GROUP, 0, 0); }

static void open_span(conv_t *c, enum entry_kind kind, char on) {
  size_t start = c->o.len;
  raw_byte(&c->o, on);
  push(c, kind, (char)(on + 1), start);
}

/* '}': closes the innermost group and the switches opened inside it. */
static void close_brace(conv_t *c) {
  c->p++;
  if (!c->braces) return; /* stray: dropped */
  while (!ends_at_brace(c->stk[c->depth - 1].kind)) {
    if (c->stk[c->depth - 1].kind == E_HTML)
      html_unclosed(c, &c->stk[c->depth - 1], "at the end of its {...} group");
    pop(c);
  }
  pop(c);
}

static void skip_ws(conv_t *c) {
  while (c->p < c->n && is_ws(c->s[c->p])) c->p++;
}

/* If a braced argument follows, consumes its '{' and returns true. */
static bool arg_open(conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '{') return false;
  c->p++;
  return true;
}

/* ------------------------------------------------------------------ */
/* Constructs                                                           */

static char *resolve_ifmmode(const unsigned char *s, size_t n, bool in_math);

/* Math whose closer starts the search at p + skip; false if unterminated. */
static bool math(conv_t *c, size_t skip, const char *close, int slot) {
  size_t a = c->p + skip;
  size_t e = c->no_math[slot] ? c->n : find_closer(c->s, c->n, a, close);
  if (e >= c->n) {
    c->no_math[slot] = true;
    return false;
  }
  if (find_closer(c->s, e, a, "\\ifmmode") < e) { /* the math branch, for MathJax */
    char *m = resolve_ifmmode(c->s + a, e - a, true);
    if (!m) { c->o.oom = true; return true; }
    put_block(&c->o, (const unsigned char *)m, 0, strlen(m), B_MATH);
    free(m);
  } else {
    put_block(&c->o, c->s, a, e, B_MATH);
  }
  c->p = e + strlen(close);
  return true;
}

static void dollar(conv_t *c) {
  if (c->p + 1 < c->n && c->s[c->p + 1] == '$') {
    if (!math(c, 2, "$$", 1)) { put_str(&c->o, "$$"); c->p += 2; }
  } else if (!math(c, 1, "$", 0)) {
    put_str(&c->o, "$");
    c->p++;
  }
}

/* Writes the letter an accent applies to if one comes next. */
static bool accent_base(conv_t *c) {
  if (c->p >= c->n) return false;
  unsigned char ch = c->s[c->p];
  if (ch == '\\') {
    size_t a = c->p + 1, e = a;
    while (e < c->n && is_alpha(c->s[e])) e++;
    const cmd_t *k = lookup(c->s + a, e - a);
    if (!k || k->type != C_LETTER) return false;
    c->p = e;
    skip_ws(c);
    if (k->cp) put_cp(&c->o, k->cp);
    else put_str(&c->o, k->str);
    return true;
  }
  if (is_ws(ch) || memchr("{}$~", ch, 4)) return false;
  put_cp(&c->o, next_cp(c->s, c->n, &c->p));
  return true;
}

/* An accent on the next letter, possibly inside braces: \'e \'{e} \'{\i}. */
static void accent(conv_t *c, const cmd_t *k) {
  skip_ws(c);
  c->accent_arg = true;
  while (arg_open(c)) {
    group(c);
    skip_ws(c);
  }
  c->accent_arg = false;
  if (accent_base(c)) put_cp(&c->o, k->cp);
  else if (k->str) put_str(&c->o, k->str);
}

static void href(conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '{') return;
  size_t ua = c->p + 1, ue = group_end(c->s, c->n, c->p);
  c->p = ue < c->n ? ue + 1 : c->n;
  skip_ws(c);
  if (!arg_open(c)) {
    put_block(&c->o, c->s, ua, ue, c->links ? B_TEXT : B_LINK);
  } else if (c->links || blank(c->s, ua, ue)) {
    group(c);
  } else {
    size_t start = c->o.len;
    raw_byte(&c->o, PR_MK_LINK_ON);
    put_verbatim(&c->o, c->s, ua, ue, true);
    raw_byte(&c->o, PR_MK_LINK_MID);
    push(c, E_LINK, PR_MK_LINK_OFF, start);
  }
}

static void url(conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '{') return;
  size_t ue = group_end(c->s, c->n, c->p);
  put_block(&c->o, c->s, c->p + 1, ue, c->links ? B_TEXT : B_LINK);
  c->p = ue < c->n ? ue + 1 : c->n;
}

/* Reports an unknown control sequence; a control symbol stands for its
   character, a control word keeps its braced argument, or else its name as
   text, with the space after it (\NTG\ Group and \NTG Group are "NTG
   Group"; an undefined \thanh is "thanh"). */
static void unknown(conv_t *c, const unsigned char *name, size_t len, bool word, int32_t sym) {
  utf8proc_uint8_t enc[8];
  if (!word) {
    len = (size_t)utf8proc_encode_char(sym, enc);
    name = enc;
  }
  if (c->unknown) {
    if (len >= c->name_cap) {
      char *nb = realloc(c->name, len + 1);
      if (!nb) { c->o.oom = true; return; }
      c->name = nb;
      c->name_cap = len + 1;
    }
    memcpy(c->name, name, len);
    c->name[len] = '\0';
    c->unknown(c->name, c->ctx);
  }
  if (!word) put_cp(&c->o, sym);
  else if (c->p + 1 < c->n && c->s[c->p] == '{' && c->s[c->p + 1] != '}') {
    arg_open(c);
    group(c);
  } else {
    text_begin(&c->o);
    raw(&c->o, (const char *)name, len);
    text_end(&c->o);
    /* the space TeX would skip after it is kept: the word was not TeX's */
    if (name + len < c->s + c->p) c->o.pend = true;
  }
}

/* ---- babel and polyglossia ---- */

/* Skips an optional argument [..] and the whitespace after it. */
static void skip_opt(conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '[') return;
  const unsigned char *e = memchr(c->s + c->p, ']', c->n - c->p);
  c->p = e ? (size_t)(e - c->s) + 1 : c->n;
  skip_ws(c);
}

/* Whether the braced argument at p names a German language. */
static bool german_arg(const conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '{') return false;
  size_t a = c->p + 1, e = group_end(c->s, c->n, c->p);
  while (a < e && is_ws(c->s[a])) a++;
  while (e > a && is_ws(c->s[e - 1])) e--;
  return e <= c->n && is_german(c->s + a, e - a);
}

/* Skips a braced argument and the whitespace after it. */
static void drop_arg(conv_t *c) {
  if (c->p >= c->n || c->s[c->p] != '{') return;
  c->p = group_end(c->s, c->n, c->p) + 1;
  if (c->p > c->n) c->p = c->n;
  skip_ws(c);
}

/* \begin{env} and \end{env} of otherlanguage, otherlanguage*, hyphenrules
   (their {lang} argument dropped) and of a language's own environment
   (polyglossia's \begin{russian}): the text inside is kept, the language
   dropped. False (nothing consumed) for any other environment. */
static bool language_env(conv_t *c, bool begin) {
  if (c->p >= c->n || c->s[c->p] != '{') return false;
  size_t a = c->p + 1, e = group_end(c->s, c->n, c->p);
  if (e >= c->n) return false;
  while (a < e && is_ws(c->s[a])) a++;
  size_t z = e;
  while (z > a && is_ws(c->s[z - 1])) z--;
  const unsigned char *name = c->s + a;
  size_t len = z - a;
  bool with_lang = (len == 13 && memcmp(name, "otherlanguage", 13) == 0) ||
                   (len == 14 && memcmp(name, "otherlanguage*", 14) == 0) ||
                   (len == 11 && memcmp(name, "hyphenrules", 11) == 0);
  if (!with_lang && !is_language(name, len)) return false;
  c->p = e + 1;
  skip_ws(c);
  c->german = false;
  if (begin) {
    skip_opt(c);
    c->german = with_lang ? german_arg(c) : is_german(name, len);
    if (with_lang) drop_arg(c);
  }
  c->o.pend = true; /* the environment is a paragraph of its own in TeX */
  return true;
}

/* \text<language>[opts]{..}: true when name is one, its text kept. */
static bool text_language(conv_t *c, const unsigned char *name, size_t len) {
  if (len <= 4 || memcmp(name, "text", 4) != 0 || !is_language(name + 4, len - 4)) return false;
  skip_opt(c);
  if (arg_open(c)) {
    group(c);
    c->german = is_german(name + 4, len - 4);
  }
  return true;
}

static void html_tag(conv_t *c);
static void html_entity(conv_t *c);
static void convert(conv_t *c);

/* After an \ifmmode at s[p..n): the index of its \else (*has_else) or, when
   there is none, of its \fi, nested \if..\fi skipped; n when neither
   comes. *after is the index after that command and its spaces. */
static size_t if_branch(const unsigned char *s, size_t n, size_t p, bool *has_else,
                        size_t *after) {
  size_t depth = 0;
  for (; p < n; p++) {
    if (s[p] != '\\') continue;
    size_t a = p + 1, e = a;
    while (e < n && is_alpha(s[e])) e++;
    size_t len = e - a;
    if (len >= 2 && s[a] == 'i' && s[a + 1] == 'f') {
      depth++;
    } else if ((len == 2 && !memcmp(s + a, "fi", 2)) ||
               (len == 4 && !memcmp(s + a, "else", 4) && !depth)) {
      if (len == 2 && depth) { depth--; p = e - 1; continue; }
      *has_else = len == 4;
      while (e < n && is_ws(s[e])) e++;
      *after = e;
      return p;
    }
    p = e > a ? e - 1 : a; /* a control symbol: its character skipped */
  }
  return n;
}

/* \ifmmode in text: the text branch (the \fi that ends it is nothing). */
static void ifmmode(conv_t *c) {
  if (c->no_fi) return;
  bool has_else = false;
  size_t after = 0;
  if (if_branch(c->s, c->n, c->p, &has_else, &after) >= c->n) {
    c->no_fi = true; /* TeX: "Incomplete \ifmmode"; both branches are kept */
    return;
  }
  c->p = after;
}

/* s[0..n) with each \ifmmode A\else B\fi resolved: B for text, A for
   math (the branch's \fi dropped); malloc'd, NULL when out of memory. */
static char *resolve_ifmmode(const unsigned char *s, size_t n, bool in_math) {
  char *res = malloc(n + 1), *w = res;
  if (!res) return NULL;
  size_t depth = 0; /* branches open: their \else .. \fi or \fi is dropped */
  bool failed = false;
  for (size_t p = 0; p < n;) {
    if (s[p] == '\\' && n - p >= 8 && !memcmp(s + p, "\\ifmmode", 8) &&
        (p + 8 == n || !is_alpha(s[p + 8]))) {
      bool has_else = false;
      size_t after = 0, at = failed ? n : if_branch(s, n, p + 8, &has_else, &after);
      failed = at >= n; /* later ones are as written: no scan to the end again */
      if (at < n && !in_math) {
        p = after;
        depth += has_else;
        continue;
      }
      if (at < n) { /* math: A, then past the \fi after the \else */
        size_t a = p + 8;
        while (a < at && is_ws(s[a])) a++;
        memcpy(w, s + a, at - a);
        w += at - a;
        p = after;
        if (has_else) {
          bool again = false;
          size_t fi_after = n;
          if (if_branch(s, n, after, &again, &fi_after) < n) p = fi_after;
          else p = n;
        }
        continue;
      }
    } else if (in_math) {
      /* nothing else changes in math */
    } else if (depth && s[p] == '\\' && n - p >= 3 && !memcmp(s + p, "\\fi", 3) &&
               (p + 3 == n || !is_alpha(s[p + 3]))) {
      depth--;
      p += 3;
      continue;
    }
    *w++ = (char)s[p++];
  }
  *w = '\0';
  return res;
}

char *pr_latex_text_mode(const char *s, size_t n) {
  return resolve_ifmmode((const unsigned char *)s, n, false);
}

/* siunitx's and the chemistry commands (siunitx.c): their rewriting read
   as text, once (a command inside it is not rewritten again). */
static bool siunitx(conv_t *c, const unsigned char *name, size_t len) {
  pr_buf b = {0};
  size_t e = pr_siunitx_rewrite((const char *)name, len, (const char *)c->s, c->n, c->p, &b);
  if (e == (size_t)-1) return false;
  c->p = e;
  if (b.failed) { c->o.oom = true; pr_buf_free(&b); return true; }
  conv_t sub = {0};
  sub.s = (const unsigned char *)b.data;
  sub.n = b.data ? b.len : 0;
  sub.unknown = c->unknown;
  sub.html_warn = c->html_warn;
  sub.ctx = c->ctx;
  sub.german = c->german;
  sub.rewritten = true;
  sub.stk = sub.small;
  sub.cap = sizeof sub.small / sizeof *sub.small;
  convert(&sub);
  if (sub.o.oom) c->o.oom = true;
  else if (sub.o.len) {
    text_begin(&c->o);
    for (size_t i = 0; i < sub.o.len;) append_cp(&c->o, next_cp((const unsigned char *)sub.o.b, sub.o.len, &i));
    text_end(&c->o);
  }
  free(sub.o.b);
  if (sub.stk != sub.small) free(sub.stk);
  free(sub.name);
  pr_buf_free(&b);
  return true;
}

static void command(conv_t *c) {
  const unsigned char *s = c->s;
  size_t a = ++c->p;
  if (a >= c->n) return; /* lone backslash */
  if (is_ws(s[a])) { c->o.pend = true; c->p++; return; } /* "\ " */
  bool word = is_alpha(s[a]);
  int32_t sym = 0;
  if (word) while (c->p < c->n && is_alpha(s[c->p])) c->p++;
  else sym = next_cp(s, c->n, &c->p);
  size_t len = c->p - a;
  if (word) skip_ws(c);
  const cmd_t *k = lookup(s + a, len);
  if (!k && word && text_language(c, s + a, len)) return;
  if (!k && word && !c->rewritten && siunitx(c, s + a, len)) return;
  if (!k) { unknown(c, s + a, len, word, sym); return; }
  switch ((enum cmd_type)k->type) {
  case C_SYM: case C_LETTER: put_str(&c->o, k->str); break;
  case C_SPACE: c->o.pend = true; break;
  case C_NOTHING: break;
  case C_ACCENT: accent(c, k); break;
  case C_SPAN: if (arg_open(c)) open_span(c, E_SPAN, (char)k->cp); break;
  case C_SWITCH: open_span(c, E_SWITCH, (char)k->cp); break;
  case C_KEEP: if (arg_open(c)) group(c); break;
  case C_DROP:
    if (c->p < c->n && s[c->p] == '{') c->p = group_end(s, c->n, c->p) + 1;
    if (c->p > c->n) c->p = c->n;
    break;
  case C_QUOTE:
    if (arg_open(c)) { put_str(&c->o, "“"); push(c, E_QUOTE, 0, 0); }
    break;
  case C_URL: url(c); break;
  case C_HREF: href(c); break;
  case C_MATH: if (!math(c, 0, k->str, k->cp)) put_cp(&c->o, sym); break;
  case C_FOREIGN: {
    skip_opt(c);
    bool german = german_arg(c);
    drop_arg(c);
    if (arg_open(c)) {
      group(c);
      c->german = german;
    }
    break;
  }
  case C_LANGSEL:
    c->german = german_arg(c);
    drop_arg(c);
    break;
  case C_BEGIN: case C_END:
    if (!language_env(c, k->type == C_BEGIN)) unknown(c, s + a, len, word, sym);
    break;
  case C_IFMMODE: ifmmode(c); break;
  }
}

/* TeX's quotes and ligatures of text fonts (README, "Quotes and
   apostrophes"); false if none starts at p. Knuth's fonts (OT1) make
   -- --- `` '' ?` !` and typeset ` and ' as the quotes ‘ ’; T1 fonts (the
   LIGKERN table of every T1 encoding file) add ,, << >> (what french's
   guillemets are typed with); babel's german and ngerman shorthands "` "'
   "< "> are the quotes „ “ « », in a German language switch only (babel
   makes them active there and nowhere else). */
static bool ligature(conv_t *c) {
  static const struct { const char *in, *out; } lig[] = {
    {"---", "—"}, {"--", "–"}, {"``", "“"}, {"''", "”"}, {"`", "‘"}, {"'", "’"},
    {"?`", "¿"}, {"!`", "¡"}, {",,", "„"}, {"<<", "«"}, {">>", "»"},
    {"\"`", "„"}, {"\"'", "“"}, {"\"<", "«"}, {"\">", "»"},
  };
  if (c->code) return false; /* typewriter type has no ligatures */
  if (c->s[c->p] == '"' && !c->german) return false;
  for (size_t i = 0; i < sizeof lig / sizeof lig[0]; i++) {
    size_t k = strlen(lig[i].in);
    if (c->n - c->p >= k && memcmp(c->s + c->p, lig[i].in, k) == 0) {
      put_str(&c->o, lig[i].out);
      c->p += k;
      return true;
    }
  }
  return false;
}

/* Bytes that are written as they are, one character each: printable ASCII
   but the converter's special characters and the ligature starters. */
static bool is_plain(unsigned char ch) {
  if (ch <= 0x20 || ch >= 0x7F) return false;
  switch (ch) {
  case '\\': case '{': case '}': case '$': case '~': case '<': case '&':
  case '-': case '`': case '\'': case '?': case '!': case ',': case '"': case '>':
    return false;
  default: return true;
  }
}

/* A run of plain ASCII at p: written at once (as put_cp would, one by one). */
static void plain_run(conv_t *c) {
  size_t a = c->p, e = a + 1;
  while (e < c->n && is_plain(c->s[e])) e++;
  text_begin(&c->o);
  raw(&c->o, (const char *)c->s + a, e - a);
  text_end(&c->o);
  c->p = e;
}

static void convert(conv_t *c) {
  while (c->p < c->n && !c->o.oom) {
    unsigned char ch = c->s[c->p];
    if (is_plain(ch)) plain_run(c);
    else if (ch == '\\') command(c);
    else if (ch == '{') { c->p++; group(c); }
    else if (ch == '}') close_brace(c);
    else if (ch == '$') dollar(c);
    else if (ch == '~') { put_cp(&c->o, 0xA0); c->p++; }
    else if (ch == '<') {
      if (!(c->p + 1 < c->n && c->s[c->p + 1] == '<' && ligature(c))) html_tag(c);
    }
    else if (ch == '&') html_entity(c);
    else if (is_ws(ch)) { c->o.pend = true; c->p++; }
    else if (!(memchr("-`'?!,\">", ch, 8) && ligature(c))) put_cp(&c->o, next_cp(c->s, c->n, &c->p));
  }
  while (c->depth && !c->o.oom) {
    if (c->stk[c->depth - 1].kind == E_HTML)
      html_unclosed(c, &c->stk[c->depth - 1], "at the end of the field");
    pop(c);
  }
}

/* ------------------------------------------------------------------ */
/* Inline HTML (read.h)                                                 */

enum { T_VOID = 1, T_LINK = 2 };

static const struct { const char *name; char on; unsigned char flags; } html_tags[] = {
  {"a", PR_MK_LINK_ON, T_LINK}, {"b", PR_MK_BOLD_ON, 0}, {"br", PR_MK_BR, T_VOID},
  {"code", PR_MK_CODE_ON, 0}, {"del", PR_MK_S_ON, 0}, {"em", PR_MK_EMPH_ON, 0},
  {"i", PR_MK_EMPH_ON, 0}, {"ins", PR_MK_U_ON, 0}, {"s", PR_MK_S_ON, 0},
  {"small", PR_MK_SMALL_ON, 0}, {"strike", PR_MK_S_ON, 0}, {"strong", PR_MK_BOLD_ON, 0},
  {"sub", PR_MK_SUB_ON, 0}, {"sup", PR_MK_SUP_ON, 0}, {"tt", PR_MK_CODE_ON, 0},
  {"u", PR_MK_U_ON, 0},
};
#define N_HTML_TAGS (sizeof html_tags / sizeof html_tags[0])

#define HTML_SUBSET "i, em, b, strong, sub, sup, small, u, s, code, br and a href"

static void html_warnf(conv_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void html_warnf(conv_t *c, const char *fmt, ...) {
  if (!c->html_warn) return;
  char msg[320];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  c->html_warn(msg, c->ctx);
}

static void html_unclosed(conv_t *c, const entry_t *e, const char *where) {
  html_warnf(c, "HTML tag <%s> not closed: closed %s", html_tags[e->tag].name, where);
}

static bool is_alnum(unsigned char ch) { return is_alpha(ch) || (ch >= '0' && ch <= '9'); }

/* The tag's name s[0..n) for a message: lowercased, at most 24 bytes. */
static void tag_name(char *out, const unsigned char *s, size_t n) {
  if (n > 24) n = 24;
  for (size_t i = 0; i < n; i++) out[i] = (char)(is_alpha(s[i]) ? (s[i] | 0x20) : s[i]);
  out[n] = '\0';
}

/* The code point of the HTML character reference at s[a] ('&'), and its
   length in *len; -1 when there is none. A reference to a control
   character (but tab, newline and return), a surrogate or beyond U+10FFFF stands for U+FFFD. */
static int32_t entity_at(const unsigned char *s, size_t n, size_t a, size_t *len) {
  static const struct { const char *name; int32_t cp; } named[] = {
    {"amp", '&'}, {"apos", '\''}, {"copy", 0xA9}, {"deg", 0xB0}, {"gt", '>'},
    {"hellip", 0x2026}, {"laquo", 0xAB}, {"ldquo", 0x201C}, {"lsquo", 0x2018},
    {"lt", '<'}, {"mdash", 0x2014}, {"middot", 0xB7}, {"nbsp", 0xA0}, {"ndash", 0x2013},
    {"quot", '"'}, {"raquo", 0xBB}, {"rdquo", 0x201D}, {"reg", 0xAE}, {"rsquo", 0x2019},
    {"times", 0xD7}, {"trade", 0x2122},
  };
  size_t p = a + 1;
  if (p < n && s[p] == '#') {
    p++;
    bool hex = p < n && (s[p] | 0x20) == 'x';
    if (hex) p++;
    size_t d = p;
    uint32_t v = 0;
    for (; p < n && p - d < 8; p++) {
      unsigned char ch = s[p];
      int digit = ch >= '0' && ch <= '9' ? ch - '0'
                  : hex && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10
                  : -1;
      if (digit < 0) break;
      v = v * (hex ? 16 : 10) + (uint32_t)digit;
    }
    if (p == d || p >= n || s[p] != ';') return -1;
    *len = p + 1 - a;
    if (v == '\t' || v == '\n' || v == '\r') return (int32_t)v; /* whitespace */
    if (v < 0x20 || (v >= 0x7F && v < 0xA0) || (v >= 0xD800 && v < 0xE000) || v > 0x10FFFF)
      return 0xFFFD;
    return (int32_t)v;
  }
  size_t e = p;
  while (e < n && e - p < 8 && is_alpha(s[e])) e++;
  if (e >= n || s[e] != ';') return -1;
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (strlen(named[i].name) == e - p && memcmp(named[i].name, s + p, e - p) == 0) {
      *len = e + 1 - a;
      return named[i].cp;
    }
  return -1;
}

static void html_entity(conv_t *c) {
  size_t len = 0;
  int32_t cp = c->keep_refs ? -1 : entity_at(c->s, c->n, c->p, &len);
  if (cp < 0) {
    put_cp(&c->o, '&');
    c->p++;
    return;
  }
  if (cp == '\t' || cp == '\n' || cp == '\r') c->o.pend = true;
  else put_cp(&c->o, cp);
  c->p += len;
}

/* The value of a's href, s[a..b), written at the end of the output as the
   browser would read it: references decoded, TeX's URL escapes (\_ \% ..)
   read, tabs and newlines removed (browsers remove them), other controls
   percent-encoded. */
static void put_href(conv_t *c, size_t a, size_t b) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *s = c->s;
  while (a < b && is_ws(s[a])) a++;
  while (b > a && is_ws(s[b - 1])) b--;
  while (a < b) {
    size_t len = 0;
    char ch;
    int32_t cp = s[a] == '&' ? entity_at(s, b, a, &len) : -1;
    if (cp >= 0) {
      a += len;
    } else if (s[a] == '\\' && (len = url_escape(s, a, b, &ch)) > 0) {
      a += len;
      cp = (unsigned char)ch;
    } else {
      cp = next_cp(s, b, &a);
    }
    if (cp == '\t' || cp == '\n' || cp == '\r') continue;
    if (cp == 0xFFFD) {
      raw(&c->o, "%EF%BF%BD", 9); /* U+FFFD, percent-encoded */
    } else if (cp < 0x20 || cp == 0x7F) {
      char e[3] = {'%', hex[(cp >> 4) & 15], hex[cp & 15]};
      raw(&c->o, e, 3);
    } else {
      append_cp(&c->o, cp);
    }
  }
}

/* Opens the span of subset tag t (a: with the href s[ha..hb), has_href). */
static void html_open(conv_t *c, size_t t, bool has_href, size_t ha, size_t hb) {
  size_t start = c->o.len;
  char off = 0; /* none: the span only keeps its text */
  if (!(html_tags[t].flags & T_LINK)) {
    raw_byte(&c->o, html_tags[t].on);
    off = (char)(html_tags[t].on + 1);
  } else if (c->links) {
    html_warnf(c, "HTML link <a> inside a link: its text kept, without a link of its own");
  } else if (!has_href) {
    html_warnf(c, "HTML link <a> without href: its text kept, no link");
  } else {
    raw_byte(&c->o, PR_MK_LINK_ON);
    put_href(c, ha, hb);
    raw_byte(&c->o, PR_MK_LINK_MID);
    off = PR_MK_LINK_OFF;
  }
  push(c, E_HTML, off, start);
  if (!c->o.oom) c->stk[c->depth - 1].tag = (unsigned char)t;
}

/* A closing tag of the subset: closes the span of its opening tag (and,
   with a warning, those opened after it); without one, it is dropped. */
static void html_close(conv_t *c, size_t t) {
  size_t k = c->depth;
  while (k && !ends_at_brace(c->stk[k - 1].kind) &&
         !(c->stk[k - 1].kind == E_HTML && c->stk[k - 1].tag == t))
    k--;
  if (!k || c->stk[k - 1].kind != E_HTML) {
    html_warnf(c, "HTML closing tag </%s> without its opening tag: dropped", html_tags[t].name);
    return;
  }
  while (c->depth > k) {
    if (c->stk[c->depth - 1].kind == E_HTML)
      html_warnf(c, "HTML tag <%s> closed by </%s> (the tags are not properly nested)",
                 html_tags[c->stk[c->depth - 1].tag].name, html_tags[t].name);
    pop(c);
  }
  pop(c);
}

/* '<': a tag of the subset becomes its marker; any other tag stays as text
   (with a warning), and so does a '<' that starts no tag ("p < 0.05"). */
static void html_tag(conv_t *c) {
  const unsigned char *s = c->s;
  size_t n = c->n, lt = c->p, a = lt + 1;
  bool closing = a < n && s[a] == '/';
  if (closing) a++;
  if (a < n && s[a] == '!' && !closing) { /* a comment or declaration */
    size_t e = a;
    while (e < n && s[e] != '>' && s[e] != '<') e++; /* up to the next '<': linear */
    if (e < n && s[e] == '>') html_warnf(c, "HTML comment or declaration <!...> shown as text");
    put_cp(&c->o, '<');
    c->p++;
    return;
  }
  size_t na = a;
  while (a < n && is_alnum(s[a])) a++;
  size_t nlen = a - na;
  if (!nlen || !is_alpha(s[na]) || (a < n && !is_ws(s[a]) && s[a] != '/' && s[a] != '>')) {
    put_cp(&c->o, '<');
    c->p++;
    return;
  }
  /* attributes up to '>' */
  bool has_href = false, self_closing = false, bad = false;
  size_t ha = 0, hb = 0, p = a, nattr = 0;
  char dropped[96] = "";
  while (p < n && s[p] != '>') {
    if (is_ws(s[p])) { p++; continue; }
    if (s[p] == '/') { self_closing = true; p++; continue; }
    self_closing = false;
    size_t an = p;
    while (p < n && !is_ws(s[p]) && !memchr("=>/\"'<", s[p], 6)) p++;
    size_t alen = p - an;
    if (!alen) { bad = true; break; }
    while (p < n && is_ws(s[p])) p++;
    size_t va = p, vb = p;
    if (p < n && s[p] == '=') {
      p++;
      while (p < n && is_ws(s[p])) p++;
      if (p < n && (s[p] == '"' || s[p] == '\'')) {
        const unsigned char *q = memchr(s + p + 1, s[p], n - p - 1);
        if (!q) { bad = true; break; }
        va = p + 1;
        vb = (size_t)(q - s);
        p = vb + 1;
      } else {
        va = p;
        while (p < n && !is_ws(s[p]) && s[p] != '>' && s[p] != '<') p++;
        vb = p;
      }
    }
    if (alen == 4 && strncasecmp((const char *)s + an, "href", 4) == 0 && nlen == 1 &&
        (s[na] | 0x20) == 'a' && !has_href) {
      has_href = true;
      ha = va;
      hb = vb;
    } else if (nattr++ < 4) {
      size_t used = strlen(dropped);
      char nm[32];
      tag_name(nm, s + an, alen);
      snprintf(dropped + used, sizeof dropped - used, "%s'%s'", used ? ", " : "", nm);
    }
  }
  if (bad || p >= n) { /* no end: not a tag */
    put_cp(&c->o, '<');
    c->p++;
    return;
  }
  c->p = p + 1;
  char name[32];
  tag_name(name, s + na, nlen);
  size_t t = 0;
  while (t < N_HTML_TAGS && strcmp(html_tags[t].name, name) != 0) t++;
  if (t == N_HTML_TAGS) {
    html_warnf(c, "HTML tag <%s%s> shown as text (inline HTML is only " HTML_SUBSET ")",
               closing ? "/" : "", name);
    put_cp(&c->o, '<');
    c->p = lt + 1; /* the rest of the tag is text */
    return;
  }
  if (nattr)
    html_warnf(c, "HTML tag <%s>: attribute%s %s%s dropped (only a's href is kept)", name,
               nattr > 1 ? "s" : "", dropped, nattr > 4 ? " and more" : "");
  if (html_tags[t].flags & T_VOID) { /* <br>, also </br> as browsers read it */
    if (c->o.content) {
      c->o.pend = false;
      raw_byte(&c->o, PR_MK_BR);
      text_end(&c->o);
    }
  } else if (closing) {
    html_close(c, t);
  } else if (self_closing) {
    html_warnf(c, "empty HTML tag <%s/> dropped", name);
  } else {
    html_open(c, t, has_href, ha, hb);
  }
}

/* Remove bidi embedding, override and isolate controls (U+202A..U+202E,
   U+2066..U+2069), in place: unpaired, they reorder the text of the page
   around an entry. */
static void strip_bidi(char *s) {
  char *w = s;
  for (const char *r = s; *r;) {
    const unsigned char *u = (const unsigned char *)r;
    if (u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
                         (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9))) {
      r += 3;
      continue;
    }
    *w++ = *r++;
  }
  *w = '\0';
}

/* 1 if NFC leaves cp unchanged whatever surrounds it, in a text where every
   character is such: a starter (combining class 0) that no composition
   takes as its second character, and that is not changed by NFC itself
   (no singleton or excluded decomposition, and a decomposition, if any,
   that starts with a starter which is not a second character either).
   Then the canonical decomposition of the text reorders nothing and
   recomposes to the text. Conservative: Hangul jamo (composed
   algorithmically) and anything unassigned count as unsafe. */
static bool nfc_inert(int32_t cp) {
  if (cp < 0x300) return true; /* Latin-1, Latin Extended-A/B, IPA: checked in the tests */
  if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
      (cp >= 0xD7B0 && cp <= 0xD7FF))
    return false;
  const utf8proc_property_t *p = utf8proc_get_property(cp);
  if (p->category == UTF8PROC_CATEGORY_CN || p->combining_class || p->comp_exclusion)
    return false;
  if (p->comb_index != UINT16_MAX && (p->comb_index & 0x8000)) return false; /* a second */
  if (p->decomp_seqindex != UINT16_MAX && !p->decomp_type) { /* canonical decomposition */
    utf8proc_int32_t d[8];
    int bound = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &bound);
    if (k < 2 || k > 8) return false;
    const utf8proc_property_t *q = utf8proc_get_property(d[0]);
    if (q->combining_class || (q->comb_index != UINT16_MAX && (q->comb_index & 0x8000)))
      return false;
    /* recomposes to itself (not a singleton such as U+212B, U+1F71) */
    if (utf8proc_normalize_utf32(d, k, UTF8PROC_STABLE | UTF8PROC_COMPOSE) != 1 || d[0] != cp)
      return false;
  }
  return true;
}

/* 1 if utf8proc's NFC would return s[0..n) unchanged (s is valid UTF-8:
   the converter writes only whole code points). */
static bool nfc_unchanged(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) { i++; continue; }
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(u + i, (utf8proc_ssize_t)(n - i), &cp);
    if (k <= 0 || !nfc_inert(cp)) return false;
    i += (size_t)k;
  }
  return true;
}

/* True when the converter would give s back as it is: printable ASCII
   with single spaces between words, no command, group, math or tie, and
   no quote or ligature ("'", "--", "?`", ",,", "\"<"). Most field text is such, and is then
   copied rather than converted. */
static bool is_verbatim(const unsigned char *s, size_t n) {
  if (n && (s[0] == ' ' || s[n - 1] == ' ')) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = s[i], next = i + 1 < n ? s[i + 1] : 0;
    if (is_plain(ch)) continue;
    switch (ch) {
    case ' ': if (next == ' ') return false; break;
    case '-': if (next == '-') return false; break;
    case '\'': return false; /* ’ */
    case ',': if (next == ',') return false; break;
    case '>': if (next == '>') return false; break;
    case '"': if (next && memchr("`'<>", next, 4)) return false; break;
    case '?': case '!': if (next == '`') return false; break;
    default: return false;
    }
  }
  return true;
}

char *pr_latex_to_marked(const char *s, size_t n, pr_unknown_cmd_fn unknown_fn, void *ctx) {
  pr_latex_hooks h = {unknown_fn, NULL, ctx, 0, 0};
  return pr_latex_to_marked_hooks(s, n, &h);
}

char *pr_latex_to_marked_hooks(const char *s, size_t n, const pr_latex_hooks *hooks) {
  if (s && is_verbatim((const unsigned char *)s, n)) {
    char *copy = malloc(n + 1);
    if (copy) {
      memcpy(copy, s, n);
      copy[n] = '\0';
    }
    return copy;
  }
  conv_t c = {0};
  c.s = (const unsigned char *)s;
  c.n = s ? n : 0;
  c.unknown = hooks ? hooks->unknown : NULL;
  c.html_warn = hooks ? hooks->html : NULL;
  c.ctx = hooks ? hooks->ctx : NULL;
  c.keep_refs = hooks && hooks->keep_refs;
  c.nocase = hooks && hooks->nocase;
  c.stk = c.small;
  c.cap = sizeof c.small / sizeof *c.small;
  reserve(&c.o, c.n + 15); /* most text converts to at most its own length */
  convert(&c);
  char *res = NULL;
  if (!c.o.oom && c.o.len == 0) {
    res = calloc(1, 1);
  } else if (!c.o.oom && nfc_unchanged(c.o.b, c.o.len)) {
    c.o.b[c.o.len] = '\0';
    res = c.o.cap - c.o.len > 64 ? realloc(c.o.b, c.o.len + 1) : c.o.b;
    if (res) {
      c.o.b = NULL; /* taken */
      strip_bidi(res);
    }
  } else if (!c.o.oom) {
    utf8proc_uint8_t *nfc = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)c.o.b, (utf8proc_ssize_t)c.o.len, &nfc,
                     UTF8PROC_STABLE | UTF8PROC_COMPOSE) >= 0)
      res = (char *)nfc;
    if (res) strip_bidi(res);
  }
  free(c.o.b);
  if (c.stk != c.small) free(c.stk);
  free(c.name);
  return res;
}

/* The Unicode superscript (sup) or subscript form of ASCII ch, or NULL. */
static const char *script_form(unsigned char ch, bool sup) {
  static const char *const sup_d[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  static const char *const sub_d[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  if (ch >= '0' && ch <= '9') return (sup ? sup_d : sub_d)[ch - '0'];
  switch (ch) {
  case '+': return sup ? "⁺" : "₊";
  case '-': return sup ? "⁻" : "₋";
  case '=': return sup ? "⁼" : "₌";
  case '(': return sup ? "⁽" : "₍";
  case ')': return sup ? "⁾" : "₎";
  case 'n': return sup ? "ⁿ" : "ₙ";
  case 'i': return sup ? "ⁱ" : "ᵢ";
  case 'x': return sup ? NULL : "ₓ";
  default: return NULL;
  }
}

/* The superscript or subscript span whose text starts at m (after its
   opener): written to w in Unicode scripts when every character has one
   (a minus sign as -), and then its end (the closer) returned; else NULL. */
static const char *put_script(const char *m, bool sup, char **w) {
  char close = sup ? PR_MK_SUP_OFF : PR_MK_SUB_OFF;
  const char *e = m;
  for (; *e && *e != close; e++) {
    if (!strncmp(e, "\u2212", 3)) { e += 2; continue; }
    if ((unsigned char)*e >= 0x80 || !script_form((unsigned char)*e, sup)) return NULL;
  }
  if (!*e || e == m) return NULL;
  for (; m < e; m++) {
    bool minus = !strncmp(m, "\u2212", 3);
    const char *f = script_form(minus ? '-' : (unsigned char)*m, sup);
    size_t k = strlen(f);
    memcpy(*w, f, k);
    *w += k;
    if (minus) m += 2;
  }
  return e;
}

char *pr_marked_to_plain(const char *m) {
  size_t n = strlen(m);
  /* a script form is at most 3 bytes for each byte of its span */
  char *res = n < SIZE_MAX / 3 ? malloc(3 * n + 1) : NULL, *w = res;
  if (!res) return NULL;
  for (; *m; m++) {
    unsigned char ch = (unsigned char)*m;
    const char *e;
    if ((ch == PR_MK_SUP_ON || ch == PR_MK_SUB_ON) && (e = put_script(m + 1, ch == PR_MK_SUP_ON, &w))) {
      m = e; /* its closer */
    } else if (ch == PR_MK_MATH_ON || ch == PR_MK_MATH_OFF) {
      *w++ = '\\';
      *w++ = ch == PR_MK_MATH_ON ? '(' : ')';
    } else if (ch == PR_MK_LINK_ON) {
      while (m[1] && m[1] != PR_MK_LINK_MID) m++; /* the url */
    } else if (ch == PR_MK_BR) {
      if (w > res && w[-1] != ' ') *w++ = ' ';
    } else if (ch >= 0x20) {
      *w++ = (char)ch; /* markers (C0 bytes) dropped */
    }
  }
  *w = '\0';
  return res;
}
