/* test_latex.c - unit tests for pr_latex_to_marked / pr_marked_to_plain. */
#define _POSIX_C_SOURCE 200809L
#include "harness.h"
#include "read/read.h"

#include <stdlib.h>
#include <time.h>

/* Marker bytes as string literals (concatenate: EM "a" EMX). */
#define EM "\x01"
#define EMX "\x02"
#define BF "\x03"
#define BFX "\x04"
#define MA "\x05"
#define MAX "\x06"
#define SUP "\x0e"
#define SUPX "\x0f"
#define SUB "\x10"
#define SUBX "\x11"
#define SC "\x12"
#define SCX "\x13"
#define TT "\x14"
#define TTX "\x15"
#define LK "\x16"
#define LKM "\x17"
#define LKX "\x18"
#define BR "\x19"
#define SM "\x1a"
#define SMX "\x1b"
#define UL "\x1c"
#define ULX "\x1d"
#define ST "\x1e"
#define STX "\x1f"
#define NC "\x07"
#define NCX "\x08"

static char res[1 << 16];

/* Converts s[0..n) and returns a copy of the result in a static buffer. */
static const char *cvn(const char *s, size_t n) {
  char *r = pr_latex_to_marked(s, n, NULL, NULL);
  if (!r) return NULL;
  snprintf(res, sizeof res, "%s", r);
  free(r);
  return res;
}

static const char *cv(const char *s) { return cvn(s, strlen(s)); }

/* Converts and then renders as plain text. */
static const char *pl(const char *s) {
  char *m = pr_latex_to_marked(s, strlen(s), NULL, NULL);
  char *r = m ? pr_marked_to_plain(m) : NULL;
  free(m);
  if (!r) return NULL;
  snprintf(res, sizeof res, "%s", r);
  free(r);
  return res;
}

struct seen { int count; char last[64]; };

static void on_unknown(const char *name, void *ctx) {
  struct seen *u = ctx;
  u->count++;
  snprintf(u->last, sizeof u->last, "%s", name);
}

static void test_accents(void) {
  CHECK_STR(cv("Pok{\\'e}Mem"), "PokéMem");
  CHECK_STR(cv("Pok\\'eMem"), "PokéMem");
  CHECK_STR(cv("Pok\\'{e}Mem"), "PokéMem");
  CHECK_STR(cv("G{\\\"o}del"), "Gödel");
  CHECK_STR(cv("G\\\"{o}del"), "Gödel");
  CHECK_STR(cv("G\\\"odel"), "Gödel");
  CHECK_STR(cv("\\c{C}elik"), "Çelik");
  CHECK_STR(cv("Fran\\c cois"), "François");
  CHECK_STR(cv("Fran\\c{c}ois"), "François");
  CHECK_STR(cv("\\v{s}"), "š");
  CHECK_STR(cv("{\\v S}koda"), "Škoda");
  CHECK_STR(cv("Espa\\~na"), "España");
  CHECK_STR(cv("Espa{\\~n}a"), "España");
  CHECK_STR(cv("h\\^otel"), "hôtel");
  CHECK_STR(cv("\\`a la"), "à la");
  CHECK_STR(cv("\\=a"), "ā");
  CHECK_STR(cv("\\.z"), "ż");
  CHECK_STR(cv("\\u{g}"), "ğ");
  CHECK_STR(cv("Erd\\H{o}s"), "Erdős");
  CHECK_STR(cv("\\r{a}"), "å");
  CHECK_STR(cv("\\k{a}"), "ą");
  CHECK_STR(cv("\\d{a}"), "ạ");
  CHECK_STR(cv("\\b{a}"), "a\xcc\xb1");
  CHECK_STR(cv("\\t{oo}"), "o\xcd\xa1o");
  CHECK_STR(cv("\\'{\\i}"), "í");
  CHECK_STR(cv("\\'\\i"), "í");
  CHECK_STR(cv("\\\"{\\i}"), "ï");
  CHECK_STR(cv("\\v{\\j}"), "ǰ");
  CHECK_STR(cv("\\'\\ae"), "ǽ");
  CHECK_STR(cv("\\'{ab}c"), "ábc");
  CHECK_STR(cv("\\' e"), "é");
  CHECK_STR(cv("\\'{{e}}"), "é");
  CHECK_STR(cv("\\'E"), "É");
  CHECK_STR(cv("\\'\xce\xb5"), "έ");                 /* on a non-ASCII letter */
  CHECK_STR(cv("\\'{}"), "´");                       /* spacing forms */
  CHECK_STR(cv("a\\^{}b"), "a^b");
  CHECK_STR(cv("\\~{}"), "~");
  CHECK_STR(cv("x\\'"), "x´");
  CHECK_STR(cv("\\d{}x"), "x");                      /* no spacing form */
  CHECK_STR(cv("\\'\\&"), "´&");
  CHECK_STR(cv("e\xcc\x81"), "é");                   /* input is NFC'd too */
}

static void test_letters(void) {
  CHECK_STR(cv("\\ss"), "ß");
  CHECK_STR(cv("Stra\\ss e"), "Straße");
  CHECK_STR(cv("\\ss tra"), "ßtra");
  CHECK_STR(cv("\\SS"), "SS");
  CHECK_STR(cv("{\\o}ya"), "øya");
  CHECK_STR(cv("\\o{}ya"), "øya");
  CHECK_STR(cv("\\o ya"), "øya");
  CHECK_STR(cv("\\O"), "Ø");
  CHECK_STR(cv("\\ae\\AE\\oe\\OE"), "æÆœŒ");
  CHECK_STR(cv("\\aa{} \\AA"), "å Å");
  CHECK_STR(cv("\\l{}\\L{}"), "łŁ");
  CHECK_STR(cv("\\i\\j"), "ıȷ");
  CHECK_STR(cv("\\dh\\DH\\th\\TH"), "ðÐþÞ");
  CHECK_STR(cv("\\ng\\NG\\dj\\DJ"), "ŋŊđĐ");
  CHECK_STR(cv("!`Hola! ?`Qu\\'e?"), "¡Hola! ¿Qué?");
  CHECK_STR(cv("\\textexclamdown\\textquestiondown"), "¡¿");
}

static void test_escapes(void) {
  CHECK_STR(cv("\\& \\% \\$ \\# \\_ \\{ \\}"), "& % $ # _ { }");
  CHECK_STR(cv("a\\ b"), "a b");
  CHECK_STR(cv("a\\\\b"), "a b");
  CHECK_STR(cv("a \\\\ b"), "a b");
  CHECK_STR(cv("10\\,000"), "10\xe2\x80\x89" "000");  /* \, is U+2009 */
  CHECK_STR(cv("a\\;b\\:c"), "a b c");                 /* \; \: are plain spaces */
  CHECK_STR(cv("a\\quad b"), "a b");
  CHECK_STR(cv("a\\@b\\-c\\/d\\relax e"), "abcde");
  CHECK_STR(cv("\\textbackslash"), "\\");
  CHECK_STR(cv("\\textbackslash{}n"), "\\n");
  CHECK_STR(cv("a\\"), "a");                           /* lone backslash */
}

static void test_punctuation(void) {
  CHECK_STR(cv("a~b"), "a\xc2\xa0" "b");
  CHECK_STR(cv("a ~ b"), "a \xc2\xa0 b");
  CHECK_STR(cv("1--2"), "1–2");
  CHECK_STR(cv("a---b"), "a—b");
  CHECK_STR(cv("a-b"), "a-b");
  CHECK_STR(cv("a----b"), "a—-b");
  CHECK_STR(cv("``quoted''"), "“quoted”");
  CHECK_STR(cv("`single'"), "‘single’");
  CHECK_STR(cv("O'Brien"), "O’Brien");
  CHECK_STR(cv("\\textendash\\textemdash"), "–—");
  CHECK_STR(cv("\\textquoteleft x\\textquoteright"), "‘x’");
  CHECK_STR(cv("\\textquotedblleft x\\textquotedblright"), "“x”");
  CHECK_STR(cv("\\guillemotleft x\\guillemotright"), "«x»");
  CHECK_STR(cv("\\textless\\textgreater\\textasciitilde\\textunderscore\\textbar"), "<>~_|");
  CHECK_STR(cv("\\textbullet\\textdegree\\texteuro\\euro\\pounds"), "•°€€£");
  CHECK_STR(cv("\\dag\\textdagger\\ddag\\textdaggerdbl"), "††‡‡");
  CHECK_STR(cv("\\S\\textsection\\P\\textparagraph"), "§§¶¶");
  CHECK_STR(cv("\\copyright\\textcopyright\\textregistered\\texttrademark"), "©©®™");
  CHECK_STR(cv("\\ldots\\dots\\textellipsis"), "………");
  CHECK_STR(cv("\\LaTeX{} and \\TeX, \\BibTeX, \\LaTeXe"), "LaTeX and TeX, BibTeX, LaTeX2e");
  CHECK_STR(cv("\\alpha\\beta\\gamma\\delta\\omega"), "αβγδω");
  CHECK_STR(cv("\\varepsilon\\vartheta\\varphi"), "εϑφ");
  CHECK_STR(cv("\\Gamma\\Delta\\Theta\\Lambda\\Xi\\Pi\\Sigma\\Upsilon\\Phi\\Psi\\Omega"),
            "ΓΔΘΛΞΠΣΥΦΨΩ");
  CHECK_STR(cv("\\alpha-helix"), "α-helix");
}

/* Quotes as TeX typesets them (README, "Quotes and apostrophes"). */
static void test_quotes(void) {
  CHECK_STR(cv("don't"), "don’t");
  CHECK_STR(cv("`quill'"), "‘quill’");
  CHECK_STR(cv("``a'' and `b'"), "“a” and ‘b’");
  CHECK_STR(cv("'''"), "”’");                         /* '' first, then ' */
  CHECK_STR(cv("``'"), "“’");
  CHECK_STR(cv("the 90's"), "the 90’s");
  CHECK_STR(cv("'t Hooft"), "’t Hooft");
  CHECK_STR(cv("O{'}Brien"), "O’Brien");
  CHECK_STR(cv("O\\'{}Brien"), "O´Brien");            /* \' is the acute accent */
  CHECK_STR(cv("\\'e"), "é");
  /* T1 fonts' ligatures */
  CHECK_STR(cv(",,Anf\\\"uhrung``"), "„Anführung“");
  CHECK_STR(cv("a, b,c"), "a, b,c");
  CHECK_STR(cv("<<guillemets>>"), "«guillemets»");
  CHECK_STR(cv("<< x >>"), "« x »");
  /* what follows << is read as any text, not copied as one raw character
     (found by fuzz_latex: a control byte or a command right after <<) */
  CHECK_STR(pl("<<\\emph{x}>>"), "«x»");
  CHECK_STR(pl("<<\\'e>>"), "«é»");
  CHECK_STR(cv("<<\x01x"), "« x");
  CHECK_STR(cv("<<{y}"), "«y");
  CHECK_STR(cv("a < b > c"), "a < b > c");
  CHECK_STR(cv("a<b"), "a<b");
  /* babel's german shorthands: active in a German language switch only */
  CHECK_STR(cv("\"`Wort\"'"), "\"‘Wort\"’");
  CHECK_STR(cv("\"<mot\">"), "\"<mot\">");
  CHECK_STR(cv("\"><svg onload=x>"), "\"><svg onload=x>");
  CHECK_STR(cv("\\foreignlanguage{ngerman}{\"`Wort\"'} \"`x\"'"), "„Wort“ \"‘x\"’");
  CHECK_STR(cv("\\foreignlanguage[variant=swiss]{ german }{\"<mot\">}"), "«mot»");
  CHECK_STR(cv("\\foreignlanguage{french}{\"<mot\">}"), "\"<mot\">");
  CHECK_STR(cv("\\textngerman{\"`a\"'} \"<b"), "„a“ \"<b");
  CHECK_STR(cv("\\selectlanguage{german}\"`a\"' \"<b\">"), "„a“ «b»");
  CHECK_STR(cv("{\\selectlanguage{austrian}\"`a\"'} \"`b\"'"), "„a“ \"‘b\"’");
  CHECK_STR(cv("\\begin{otherlanguage}{ngerman}\"`a\"'\\end{otherlanguage} \"<b"), "„a“ \"<b");
  CHECK_STR(cv("\\begin{german}\"<a\">\\end{german}\"<b"), "«a» \"<b");
  CHECK_STR(cv("\\selectlanguage{ngerman}{\\selectlanguage{english}\"<a} \"<b"), "\"<a «b");
  CHECK_STR(cv("\"a \"x"), "\"a \"x");           /* other shorthands: as written */
  CHECK_STR(cv("{\"}quoted{\"}"), "\"quoted\"");
  /* commands */
  CHECK_STR(cv("\\textquotesingle x\\textquotesingle"), "'x'");
  CHECK_STR(cv("\\quotedblbase x\\textquotedblleft"), "„x“");
  CHECK_STR(cv("\\quotesinglbase x\\textquoteleft"), "‚x‘");
  CHECK_STR(cv("\\guillemetleft x\\guillemetright"), "«x»");
  CHECK_STR(cv("\\lq x\\rq"), "‘x’");
  CHECK_STR(cv("\\textquotedbl"), "\"");
  /* math, URLs and typewriter type keep them */
  CHECK_STR(cv("$f'(x)$ and $f''$"), MA "f'(x)" MAX " and " MA "f''" MAX);
  CHECK_STR(cv("\\(a<<b\\)"), MA "a<<b" MAX);
  CHECK_STR(cv("\\url{http://a.org/it's,,x}"),
            LK "http://a.org/it's,,x" LKM "http://a.org/it's,,x" LKX);
  CHECK_STR(cv("\\href{http://a.org/'x'}{it's}"), LK "http://a.org/'x'" LKM "it’s" LKX);
  CHECK_STR(cv("\\texttt{it's a<<b ``c''}"), TT "it's a<<b ``c''" TTX);
  CHECK_STR(pl("O'Brien's ``x''"), "O’Brien’s “x”");
}

static void test_braces(void) {
  CHECK_STR(cv("The {NASA} Book"), "The NASA Book");
  CHECK_STR(cv("{{Deep}} learning"), "Deep learning");
  CHECK_STR(cv("a}b{c"), "abc");
  CHECK_STR(cv("}}}x{{{"), "x");
  CHECK_STR(cv("{\\relax Ch}ristoph"), "Christoph");
  CHECK_STR(cv("{}"), "");
  CHECK_STR(cv(""), "");
}

static void test_formatting(void) {
  CHECK_STR(cv("\\emph{x}"), EM "x" EMX);
  CHECK_STR(cv("\\textit{x}"), EM "x" EMX);
  CHECK_STR(cv("\\textsl{x}"), EM "x" EMX);
  CHECK_STR(cv("{\\em x}"), EM "x" EMX);
  CHECK_STR(cv("{\\it x}"), EM "x" EMX);
  CHECK_STR(cv("{\\sl x}"), EM "x" EMX);
  CHECK_STR(cv("{\\itshape x} y"), EM "x" EMX " y");
  CHECK_STR(cv("\\textbf{x}"), BF "x" BFX);
  CHECK_STR(cv("{\\bf x}"), BF "x" BFX);
  CHECK_STR(cv("{\\bfseries x}"), BF "x" BFX);
  CHECK_STR(cv("\\textsc{x}"), SC "x" SCX);
  CHECK_STR(cv("{\\sc x}"), SC "x" SCX);
  CHECK_STR(cv("{\\scshape x}"), SC "x" SCX);
  CHECK_STR(cv("\\texttt{x}"), TT "x" TTX);
  CHECK_STR(cv("{\\tt x}"), TT "x" TTX);
  CHECK_STR(cv("\\texttt{--help ``a''}"), TT "--help ``a''" TTX);  /* no ligatures */
  CHECK_STR(cv("H\\textsubscript{2}O"), "H" SUB "2" SUBX "O");
  CHECK_STR(cv("1\\textsuperscript{st}"), "1" SUP "st" SUPX);
  CHECK_STR(cv("\\mkbibquote{x}"), "“x”");
  CHECK_STR(cv("\\enquote{x y}"), "“x y”");
  CHECK_STR(cv("\\textrm{a}\\textup{b}\\textnormal{c}\\textsf{d}\\textmd{e}"), "abcde");
  CHECK_STR(cv("\\mbox{a}\\text{b}\\hbox{c}\\nocase{d}\\NoCaseChange{e}"), "abcde");
  CHECK_STR(cv("\\MakeUppercase{x}\\MakeLowercase{y}"), "xy");
  CHECK_STR(cv("{\\noopsort{a}}Zebra"), "Zebra");
  CHECK_STR(cv("\\noopsort{a{b}c}Z"), "Z");
  CHECK_STR(cv("\\SortNoop{1}\\sortnoop{2}\\noop{3}x"), "x");
  /* spaces go outside spans; empty spans vanish */
  CHECK_STR(cv("x\\emph{ a }y"), "x " EM "a" EMX " y");
  CHECK_STR(cv("\\emph{ a }"), EM "a" EMX);
  CHECK_STR(cv("x \\emph{} y"), "x y");
  CHECK_STR(cv("x\\emph{ }y"), "x y");
  CHECK_STR(cv("\\emph{\\textbf{}}x"), "x");
  CHECK_STR(cv("\\emph{a \\textbf{ b}}"), EM "a " BF "b" BFX EMX);
  CHECK_STR(cv("\\emph{a} \\textbf{b}"), EM "a" EMX " " BF "b" BFX);
  CHECK_STR(cv("{\\bf\\em x}"), BF EM "x" EMX BFX);
  CHECK_STR(cv("\\emph{a {\\bf b} c}"), EM "a " BF "b" BFX " c" EMX);
  CHECK_STR(cv("\\bf x"), BF "x" BFX);               /* unclosed switch ends at the end */
  CHECK_STR(cv("\\emph{x"), EM "x" EMX);             /* unterminated argument */
  CHECK_STR(cv("\\bf a} b"), BF "a b" BFX);          /* stray } leaves the switch on */
  CHECK_STR(cv("\\emph x"), "x");                     /* unbraced argument: command ignored */
  CHECK_STR(cv("A \\emph{B}. C"), "A " EM "B" EMX ". C");
}

static void test_math(void) {
  CHECK_STR(cv("$O(n^2)$"), MA "O(n^2)" MAX);
  CHECK_STR(cv("in $O(n \\log n)$ time"), "in " MA "O(n \\log n)" MAX " time");
  CHECK_STR(cv("\\(x+y\\)"), MA "x+y" MAX);
  CHECK_STR(cv("$$x$$"), MA "x" MAX);
  CHECK_STR(cv("\\[x\\]"), MA "x" MAX);
  CHECK_STR(cv("$  a \n  b $"), MA "a b" MAX);
  CHECK_STR(cv("$\\{x\\}$"), MA "\\{x\\}" MAX);
  CHECK_STR(cv("$\\$5$"), MA "\\$5" MAX);
  CHECK_STR(cv("$\\alpha$"), MA "\\alpha" MAX);
  CHECK_STR(cv("costs \\$5"), "costs $5");
  CHECK_STR(cv("costs $5"), "costs $5");              /* unterminated: literal */
  CHECK_STR(cv("$a$ and $b"), MA "a" MAX " and $b");
  CHECK_STR(cv("$$a"), "$$a");
  CHECK_STR(cv("\\(a"), "(a");
  CHECK_STR(cv("a $ $ b"), "a b");                    /* blank math dropped */
  CHECK_STR(cv("\\emph{$x$}"), EM MA "x" MAX EMX);
  CHECK_STR(pl("$O(n^2)$ time"), "\\(O(n^2)\\) time");
}

static void test_links(void) {
  CHECK_STR(cv("\\url{http://a.org/x}"), LK "http://a.org/x" LKM "http://a.org/x" LKX);
  CHECK_STR(cv("see \\url{http://a.org/~u/a\\_b\\%20\\#c\\&d}."),
            "see " LK "http://a.org/~u/a_b%20#c&d" LKM "http://a.org/~u/a_b%20#c&d" LKX ".");
  CHECK_STR(cv("\\url{a/\\~{}b/\\textasciitilde c}"), LK "a/~{}b/~c" LKM "a/~{}b/~c" LKX);
  CHECK_STR(cv("\\url{a/\\textasciitilde{}b}"), LK "a/~b" LKM "a/~b" LKX);
  CHECK_STR(cv("\\href{http://x.org}{the \\emph{site}}"),
            LK "http://x.org" LKM "the " EM "site" EMX LKX);
  CHECK_STR(cv("a \\href{u}{ t } b"), "a " LK "u" LKM "t" LKX " b");
  CHECK_STR(cv("\\href{u}{}x"), "x");
  CHECK_STR(cv("\\href{u}x"), LK "u" LKM "u" LKX "x");
  CHECK_STR(cv("\\href{}{t}"), "t");
  CHECK_STR(cv("\\href{u}{\\url{v}}"), LK "u" LKM "v" LKX);  /* no nested links */
  CHECK_STR(cv("\\url{}x"), "x");
  CHECK_STR(cv("\\url{a b}"), LK "a b" LKM "a b" LKX);
  CHECK_STR(pl("see \\href{http://x.org}{site}"), "see site");
  CHECK_STR(pl("\\url{http://x.org}"), "http://x.org");
  CHECK_STR(pl("\\emph{a} \\textbf{b} \\textsc{c}"), "a b c");
}

static void test_unknown(void) {
  struct seen u = {0, ""};
  char *r = pr_latex_to_marked("\\foo{bar} baz", 13, on_unknown, &u);
  CHECK_STR(r, "bar baz");
  CHECK_INT(u.count, 1);
  CHECK_STR(u.last, "foo");
  free(r);

  u.count = 0;
  r = pr_latex_to_marked("a \\xyz b \\xyz{c}", 16, on_unknown, &u);
  CHECK_STR(r, "a xyz b c");                          /* no argument: its name */
  CHECK_INT(u.count, 2);
  CHECK_STR(u.last, "xyz");
  free(r);

  u.count = 0;
  r = pr_latex_to_marked("a\\*b", 4, on_unknown, &u);  /* unknown control symbol */
  CHECK_STR(r, "a*b");
  CHECK_INT(u.count, 1);
  CHECK_STR(u.last, "*");
  free(r);

  u.count = 0;
  r = pr_latex_to_marked("\\emph{a}\\'e\\ss~\\\\", 17, on_unknown, &u);
  CHECK_INT(u.count, 0);
  free(r);

  CHECK_STR(cv("\\foo{bar} baz"), "bar baz");            /* NULL callback is fine */
  CHECK_STR(cv("\\unknowncmd"), "unknowncmd");
  CHECK_STR(cv("\\NTG\\ \\TeX{} Group"), "NTG TeX Group");
  CHECK_STR(cv("\\NTG{}\\TeX, \\NTG."), "NTGTeX, NTG.");
  CHECK_STR(cv("\\thanh"), "thanh");
  CHECK_STR(cv("\\TeX{} \\LaTeX\\ \\BibTeX \\ldots \\& \\LaTeXe"), "TeX LaTeX BibTeX…& LaTeX2e"); /* TeX skips the space after a word */

  /* every table entry is found (the table must be sorted for bsearch) */
  static const char *const known[] = {
    "AA", "AE", "BibTeX", "DH", "DJ", "Delta", "Gamma", "H", "L", "LaTeX", "LaTeXe",
    "Lambda", "MakeLowercase", "MakeUppercase", "NG", "NoCaseChange", "O", "OE",
    "Omega", "P", "Phi", "Pi", "Psi", "S", "SS", "Sigma", "SortNoop", "TH", "TeX",
    "Theta", "Upsilon", "Xi", "aa", "ae", "alpha", "b", "beta", "bf", "bfseries", "c",
    "chi", "copyright", "d", "dag", "ddag", "delta", "dh", "dj", "dots", "em", "emph",
    "enquote", "ensuremath", "epsilon", "eta", "euro", "gamma", "guillemotleft",
    "guillemotright", "guilsinglleft", "guilsinglright", "hbox", "href", "i", "iota",
    "it", "itshape", "j", "k", "kappa", "l", "lambda", "ldots", "lowercase", "mbox",
    "mdseries", "mkbibemph", "mkbibquote", "mu", "ng", "nocase", "noop", "noopsort",
    "normalfont", "nu", "o", "oe", "omega", "phi", "pi", "pounds", "psi", "qquad",
    "quad", "r", "relax", "rho", "rm", "rmfamily", "sc", "scshape", "sf", "sffamily",
    "sigma", "sl", "slshape", "sortnoop", "ss", "t", "tau", "text", "textasciicircum",
    "textasciitilde", "textbackslash", "textbar", "textbf", "textbullet",
    "textcopyright", "textdagger", "textdaggerdbl", "textdegree", "textellipsis",
    "textemdash", "textendash", "texteuro", "textexclamdown", "textgreater", "textit",
    "textless", "textmd", "textnormal", "textparagraph", "textquestiondown",
    "textquotedbl", "textquotedblleft", "textquotedblright", "textquoteleft",
    "textquoteright", "textregistered", "textrm", "textsc", "textsection", "textsf",
    "textsl", "textsubscript", "textsuperscript", "texttrademark", "texttt",
    "textunderscore", "textup", "th", "theta", "tt", "ttfamily", "u", "uppercase",
    "upshape", "upsilon", "url", "v", "varepsilon", "varphi", "varpi", "varrho",
    "varsigma", "vartheta", "xi", "zeta",
    "!", "\"", "#", "$", "%", "&", "'", "(", ")", ",", "-", ".", "/", ":", ";", "=",
    "@", "[", "\\", "]", "^", "_", "`", "{", "}", "~",
  };
  u.count = 0;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
    char in[64];
    int len = snprintf(in, sizeof in, "\\%s{}", known[i]);
    r = pr_latex_to_marked(in, (size_t)len, on_unknown, &u);
    if (u.count) { fprintf(stderr, "not found: %s\n", known[i]); u.count = 0; h_fail++; }
    free(r);
  }
  CHECK_INT(u.count, 0);
}

static void test_bytes(void) {
  CHECK_STR(cv("a\xff" "b"), "a\xef\xbf\xbd" "b");          /* invalid byte */
  CHECK_STR(cv("\xc3"), "\xef\xbf\xbd");                     /* truncated sequence */
  CHECK_STR(cv("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");     /* overlong */
  CHECK_STR(cv("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
  CHECK_STR(cv("\\\xff"), "\xef\xbf\xbd");                   /* control symbol of a bad byte */
  CHECK_STR(cv("$\xff$"), MA "\xef\xbf\xbd" MAX);
  CHECK_STR(cv("a\tb\nc\rd\x01" "e\x1f" "f\x7fg"), "a b c d e f g");
  CHECK_STR(cvn("a\0b", 3), "a b");
  CHECK_STR(cv("\x01\x02x\x05\x06"), "x");                   /* input markers are spaces */
  CHECK_STR(cv("  a   b \n\t c  "), "a b c");
  CHECK_STR(cv("\n\n"), "");
  CHECK_STR(cv("\xe2\x80\x94"), "—");                        /* UTF-8 passes through */
}

static char *repeat(const char *s, size_t times, const char *mid, const char *tail,
                    size_t tail_times) {
  size_t a = strlen(s), m = strlen(mid), t = strlen(tail);
  char *b = malloc(a * times + m + t * tail_times + 1), *w = b;
  if (!b) return NULL;
  for (size_t i = 0; i < times; i++, w += a) memcpy(w, s, a);
  memcpy(w, mid, m);
  w += m;
  for (size_t i = 0; i < tail_times; i++, w += t) memcpy(w, tail, t);
  *w = '\0';
  return b;
}

/* Converts a generated input; returns the output length, or (size_t)-1. */
static size_t run(char *in, char **out) {
  *out = in ? pr_latex_to_marked(in, strlen(in), NULL, NULL) : NULL;
  free(in);
  return *out ? strlen(*out) : (size_t)-1;
}

static void test_large(void) {
  const size_t deep = 100000;
  char *out;
  clock_t t0 = clock();

  CHECK_INT(run(repeat("{", deep, "word", "}", deep), &out), 4);
  CHECK_STR(out, "word");
  free(out);

  size_t len = run(repeat("\\emph{", deep, " x ", "}", deep), &out);
  CHECK_INT(len, 2 * deep + 1);
  CHECK(out && out[0] == PR_MK_EMPH_ON && out[deep] == 'x' && out[len - 1] == PR_MK_EMPH_OFF);
  free(out);

  CHECK_INT(run(repeat("{\\bf ", deep, "", "", 0), &out), 0);  /* all unclosed, empty */
  free(out);
  CHECK_INT(run(repeat("}", deep, "a", "{", deep), &out), 1);
  free(out);
  CHECK_INT(run(repeat("\\'{", deep, "", "}", deep), &out), 2 * deep);  /* ´ per accent */
  free(out);
  CHECK_INT(run(repeat("$", 3 * deep, "", "", 0), &out), 0);  /* empty $$..$$ pairs */
  free(out);
  run(repeat("$$", 1, "", "$x", deep), &out);   /* $$ unterminated, then $x$ pairs */
  CHECK(out && strncmp(out, "$$" MA "x" MAX "x", 6) == 0);
  free(out);
  CHECK_INT(run(repeat("\\(", deep, "", "", 0), &out), deep);
  free(out);
  CHECK_INT(run(repeat("\\emph{a} ", deep, "", "", 0), &out), 4 * deep - 1);
  free(out);

  /* 1 MB of ordinary text */
  const char *line = "G{\\\"o}del, K. and Erd\\H{o}s, P.: \\emph{On $O(n^2)$ -- sets}. ";
  const char *want = "Gödel, K. and Erdős, P.: " EM "On " MA "O(n^2)" MAX " – sets" EMX ". ";
  size_t times = (1u << 20) / strlen(line) + 1;
  len = run(repeat(line, times, "", "", 0), &out);
  CHECK_INT(len, strlen(want) * times - 1);
  CHECK(out && strncmp(out, want, strlen(want)) == 0);
  free(out);

  /* 2M combining marks that canonical reordering would sort quadratically */
  CHECK(run(repeat("\xe0\xbd\xb3", 2 * deep * 10, "", "", 0), &out) != (size_t)-1);
  free(out);

  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK_TIMED(secs < 30.0);
}

/* babel and polyglossia (issue 13 item 12): the text kept, the language dropped. */
static void test_languages(void) {
  struct seen u = {0};
  CHECK_STR(cv("\\foreignlanguage{russian}{Аппарат}"), "Аппарат");
  CHECK_STR(cv("A \\foreignlanguage{german}{\\emph{Straße}} B"), "A " EM "Straße" EMX " B");
  CHECK_STR(cv("\\foreignlanguage[variant=ancient]{greek}{λόγος}"), "λόγος");
  CHECK_STR(cv("\\selectlanguage{english}Hello"), "Hello");
  CHECK_STR(cv("x \\selectlanguage{french} y"), "x y");
  CHECK_STR(cv("\\textrussian{Мир} and \\textgreek{α}"), "Мир and α");
  CHECK_STR(cv("\\textenglish{Peace}"), "Peace");
  CHECK_STR(cv("\\textgreek[variant=poly]{ἀρετή}"), "ἀρετή");
  CHECK_STR(cv("\\begin{otherlanguage}{russian}Война\\end{otherlanguage}"), "Война");
  CHECK_STR(cv("a \\begin{otherlanguage*}{german}Welt\\end{otherlanguage*} b"), "a Welt b");
  CHECK_STR(cv("\\begin{hyphenrules}{nohyphenation}Wort\\end{hyphenrules}"), "Wort");
  CHECK_STR(cv("\\begin{russian}Слово\\end{russian}"), "Слово");
  /* \text + anything else is still unknown, and so is any other environment */
  char *m = pr_latex_to_marked("\\textklingon{x}", 15, on_unknown, &u);
  CHECK_STR(m, "x");
  CHECK_INT(u.count, 1);
  CHECK_STR(u.last, "textklingon");
  free(m);
  m = pr_latex_to_marked("\\begin{itemize}y", 16, on_unknown, &u);
  CHECK_STR(m, "itemizey");
  CHECK_INT(u.count, 2);
  CHECK_STR(u.last, "begin");
  free(m);
  CHECK_STR(pl("\\foreignlanguage{russian}{Аппарат} \\textrussian{Мир}"), "Аппарат Мир");
}

struct warns { int count; char all[2048]; };

static void on_html(const char *msg, void *ctx) {
  struct warns *w = ctx;
  w->count++;
  size_t n = strlen(w->all);
  snprintf(w->all + n, sizeof w->all - n, "%s%s", n ? "|" : "", msg);
}

static struct warns hw;

/* Converts with the HTML hook; the warnings in hw. */
static const char *cvh(const char *s) {
  memset(&hw, 0, sizeof hw);
  pr_latex_hooks h = {NULL, on_html, &hw, 0, 0};
  char *r = pr_latex_to_marked_hooks(s, strlen(s), &h);
  if (!r) return NULL;
  snprintf(res, sizeof res, "%s", r);
  free(r);
  return res;
}

/* The inline HTML subset (issue 13 item 5). */
static void test_html_subset(void) {
  CHECK_STR(cvh("(<i>Cephalotus follicularis</i>)"), "(" EM "Cephalotus follicularis" EMX ")");
  CHECK_INT(hw.count, 0);
  CHECK_STR(cvh("[ReH<sub>9</sub>]<sup>2-</sup>"), "[ReH" SUB "9" SUBX "]" SUP "2-" SUPX);
  CHECK_STR(cvh("Nat. <br>Mach. <br/>Intell. <BR />x"), "Nat." BR "Mach." BR "Intell." BR "x");
  CHECK_INT(hw.count, 0);
  CHECK_STR(cvh("<em>a</em> <b>b</b> <strong>c</strong> <code>d--e</code> <tt>f</tt>"),
            EM "a" EMX " " BF "b" BFX " " BF "c" BFX " " TT "d--e" TTX " " TT "f" TTX);
  CHECK_STR(cvh("<small>a</small><u>b</u><ins>c</ins><s>d</s><del>e</del><strike>f</strike>"),
            SM "a" SMX UL "b" ULX UL "c" ULX ST "d" STX ST "e" STX ST "f" STX);
  CHECK_STR(cvh("<I>upper</I>"), EM "upper" EMX);
  CHECK_STR(cvh("<a href=\"https://x.org/a_b?c=1&amp;d=2\">site</a>"),
            LK "https://x.org/a_b?c=1&d=2" LKM "site" LKX);
  CHECK_STR(cvh("<a href='rel/p\\_q.pdf'><i>PDF</i></a>"), LK "rel/p_q.pdf" LKM EM "PDF" EMX LKX);
  CHECK_STR(cvh("<a href=mailto:a@b.c>mail</a>"), LK "mailto:a@b.c" LKM "mail" LKX);
  CHECK_INT(hw.count, 0);
  /* the same marks as LaTeX's */
  CHECK_STR(cvh("<i>x</i>"), cv("\\emph{x}"));
  CHECK_STR(cvh("<sup>x</sup>"), cv("\\textsuperscript{x}"));
  /* plain text: marks dropped, a line break a space */
  CHECK_STR(pl("Nat. <br>Mach.<br> Intell. <i>x</i>"), "Nat. Mach. Intell. x");
  /* a '<' that starts no tag is text, without a warning */
  CHECK_STR(cvh("p < 0.05 and a<b and <3 and x <= y and <"), "p < 0.05 and a<b and <3 and x <= y and <");
  CHECK_INT(hw.count, 0);
  /* character references */
  CHECK_STR(cvh("R&amp;D &lt;i&gt; &#233;t&#xE9; &nbsp;&ndash; AT&T &foo; & x&#9;y"),
            "R&D <i> été \u00a0– AT&T &foo; & x y");
  CHECK_STR(cvh("a&#1;b&#x0;c&#xD800;d&#999999999;e"), "a\uFFFDb\uFFFDc\uFFFDd&#999999999;e");
}

/* What is not kept as markup: shown as text or dropped, always with a warning. */
static void test_html_hostile(void) {
  CHECK_STR(cvh("<script>alert(1)</script>"), "<script>alert(1)</script>");
  CHECK_INT(hw.count, 2);
  CHECK(strstr(hw.all, "HTML tag <script> shown as text") != NULL);
  CHECK(strstr(hw.all, "HTML tag </script> shown as text") != NULL);
  CHECK_STR(cvh("<img src=x onerror=alert(1)> <div>d</div>"), "<img src=x onerror=alert(1)> <div>d</div>");
  CHECK_INT(hw.count, 3);
  CHECK_STR(cvh("<sub><script>x</script></sub>"), SUB "<script>x</script>" SUBX);
  CHECK_INT(hw.count, 2);
  CHECK_STR(cvh("<i onclick=\"alert(1)\" style='x'>t</i>"), EM "t" EMX);
  CHECK_INT(hw.count, 1);
  CHECK_STR(hw.all, "HTML tag <i>: attributes 'onclick', 'style' dropped (only a's href is kept)");
  /* the URL as the browser reads it: the renderers then drop it as unsafe */
  CHECK_STR(cvh("<a href=\"javascript:alert(1)\">x</a>"), LK "javascript:alert(1)" LKM "x" LKX);
  CHECK_STR(cvh("<a href=\"&#106;avascript:alert(1)\">x</a>"), LK "javascript:alert(1)" LKM "x" LKX);
  CHECK_STR(cvh("<a href=\"java&#x09;script:x\">x</a>"), LK "javascript:x" LKM "x" LKX);
  CHECK_STR(cvh("<a href=\"a&#1;b\">x</a>"), LK "a%EF%BF%BDb" LKM "x" LKX);
  CHECK_STR(cvh("<a href=\"x\" onclick=\"y\">t</a>"), LK "x" LKM "t" LKX);
  CHECK_STR(hw.all, "HTML tag <a>: attribute 'onclick' dropped (only a's href is kept)");
  CHECK_STR(cvh("<a name=\"n\">t</a>"), "t");
  CHECK(strstr(hw.all, "<a> without href") != NULL);
  CHECK_STR(cvh("<a href=\"u\"><a href=\"v\">t</a></a>"), LK "u" LKM "t" LKX);
  CHECK(strstr(hw.all, "inside a link") != NULL);
  /* references decode to text, never to a tag */
  CHECK_STR(cvh("&lt;script&gt;alert(1)&lt;/script&gt;"), "<script>alert(1)</script>");
  CHECK_INT(hw.count, 0);
  /* no control character (a marker) comes from a reference */
  CHECK_STR(cvh("&#1;&#2;&#x16;&#x19;"), "\uFFFD\uFFFD\uFFFD\uFFFD");
  /* nesting */
  CHECK_STR(cvh("<i><b>x</i>y</b>"), EM BF "x" BFX EMX "y");
  CHECK_INT(hw.count, 2);
  CHECK(strstr(hw.all, "HTML tag <b> closed by </i> (the tags are not properly nested)") != NULL);
  CHECK(strstr(hw.all, "HTML closing tag </b> without its opening tag: dropped") != NULL);
  CHECK_STR(cvh("<b>open"), BF "open" BFX);
  CHECK_STR(hw.all, "HTML tag <b> not closed: closed at the end of the field");
  CHECK_STR(cvh("{<i>x} y</i>"), EM "x" EMX " y");
  CHECK_INT(hw.count, 2);
  CHECK(strstr(hw.all, "closed at the end of its {...} group") != NULL);
  CHECK_STR(cvh("</i>x"), "x");
  CHECK_INT(hw.count, 1);
  CHECK_STR(cvh("<!-- c -->x"), "<!– c –>x"); /* text, with TeX's ligatures */
  CHECK_INT(hw.count, 1);
  CHECK_STR(cvh("<i/>x"), "x");
  CHECK_INT(hw.count, 1);
  /* an unterminated tag is text */
  CHECK_STR(cvh("<i x=\"y>z"), "<i x=\"y>z");
  CHECK_STR(cvh("<i"), "<i");
  CHECK_INT(hw.count, 0);
}


/* Converts with the case-protection markers (pr_latex_hooks.nocase). */
static const char *cvc(const char *s) {
  pr_latex_hooks h = {NULL, NULL, NULL, 0, 1};
  char *r = pr_latex_to_marked_hooks(s, strlen(s), &h);
  if (!r) return NULL;
  snprintf(res, sizeof res, "%s", r);
  free(r);
  return res;
}

/* BibTeX's case protection: a group at brace level 1 that is not a
   special character ({\..}); titles from ../shared/corpus and bench-corpus. */
static void test_nocase(void) {
  /* off by default: the same text, no markers */
  CHECK_STR(cv("Fast {GPUs} for {Apache Spark}"), "Fast GPUs for Apache Spark");
  CHECK_STR(cvc("Fast {GPUs} for {Apache Spark}"), "Fast " NC "GPUs" NCX " for " NC "Apache Spark" NCX);
  CHECK_STR(cvc("The {B}ayesian way"), "The " NC "B" NCX "ayesian way");
  CHECK_STR(cvc("{{Double}} and {a {b} c}"), NC "Double" NCX " and " NC "a b c" NCX);
  /* special characters are not protected; an accent's argument neither */
  CHECK_STR(cvc("{\\\"U}ber {\\'e}t{\\'e} \\'{E}cole"), "\xc3\x9c" "ber \xc3\xa9t\xc3\xa9 \xc3\x89" "cole");
  CHECK_STR(cvc("{\\em Emph Group} and {\\TeX}"), EM "Emph Group" EMX " and TeX");
  /* a command's argument is a level-1 group (BibTeX protects \emph{x}) */
  CHECK_STR(cvc("\\emph{in vivo} \\textsc{Sc} \\mbox{GPU} \\NoCaseChange{iOS}"),
            EM NC "in vivo" NCX EMX " " SC NC "Sc" NCX SCX " " NC "GPU" NCX " " NC "iOS" NCX);
  CHECK_STR(cvc("\\emph{\\LaTeX} \\enquote{Quoted Words}"),
            EM "LaTeX" EMX " \xe2\x80\x9c" NC "Quoted Words" NCX "\xe2\x80\x9d");
  /* deeper groups are inside the level-1 one; a switch at level 0 is not a group */
  CHECK_STR(cvc("\\emph{a {B} c}"), EM NC "a B c" NCX EMX);
  CHECK_STR(cvc("\\bf {GPU} x"), BF NC "GPU" NCX " x" BFX);
  CHECK_STR(cvc("<i>{NASA}</i> {<b>Bold</b>} {x <i>y} z"),
            EM NC "NASA" NCX EMX " " NC BF "Bold" BFX NCX " " NC "x " EM "y" EMX NCX " z");
  /* math inside a group; empty groups leave nothing; spaces stay outside */
  CHECK_STR(cvc("{a $x$ b} $\\mathcal{N}$"), NC "a " MA "x" MAX " b" NCX " " MA "\\mathcal{N}" MAX);
  CHECK_STR(cvc("\\TeX{} and { } x{ }y { GPU }"), "TeX and x y " NC "GPU" NCX);
  /* unbalanced: closed at the end; a stray '}' dropped */
  CHECK_STR(cvc("{open end"), NC "open end" NCX);
  CHECK_STR(cvc("a} {b"), "a " NC "b" NCX);
  /* real titles (../shared/corpus, ../shared/bench-corpus) */
  CHECK_STR(cvc("Musrfit --- Real Time Parameter Fitting Using {GPU}s"),
            "Musrfit \xe2\x80\x94 Real Time Parameter Fitting Using " NC "GPU" NCX "s");
  CHECK_STR(cvc("Le \\emph{De Anima} dans la tradition gr{\\`e}cque"),
            "Le " EM NC "De Anima" NCX EMX " dans la tradition gr\xc3\xa8" "cque");
  CHECK_STR(cvc("Des Averro{\\\"e}s Abhandlung: \\mkbibquote{{\\\"U}ber die Vernunft}"),
            "Des Averro\xc3\xabs Abhandlung: \xe2\x80\x9c" NC "\xc3\x9c" "ber die Vernunft" NCX "\xe2\x80\x9d");
  CHECK_STR(cvc("Constructing {$O(n \\log n)$} size Monotone Formula for the $k$th"),
            "Constructing " NC MA "O(n \\log n)" MAX NCX " size Monotone Formula for the " MA "k" MAX "th");
  CHECK_STR(cvc("{\\em {GoogLeNet}} and {\\relax Pac}kage"), EM "GoogLeNet" EMX " and Package");
  /* the plain text drops the markers */
  char *m = pr_latex_to_marked_hooks("{GPU}s $x$", 10, &(pr_latex_hooks){NULL, NULL, NULL, 0, 1});
  char *p = m ? pr_marked_to_plain(m) : NULL;
  CHECK_STR(p, "GPUs \\(x\\)");
  free(m);
  free(p);
}

#define NB "\u00a0"
#define MI "\u2212"

static void test_siunitx(void) {
  /* quantities: a no-break space between number and unit, and between units */
  CHECK_STR(cv("\\SI{3}{\\metre}"), "3" NB "m");
  CHECK_STR(cv("\\qty{3}{\\meter}"), "3" NB "m");
  CHECK_STR(cv("\\qty{1.5}{\\giga\\hertz}"), "1.5" NB "GHz");
  CHECK_STR(cv("\\si{\\kilo\\gram\\per\\second}"), "kg" NB "s" SUP MI "1" SUPX);
  CHECK_STR(cv("\\unit{\\metre\\per\\square\\second}"), "m" NB "s" SUP MI "2" SUPX);
  CHECK_STR(cv("\\si[per-mode=symbol]{\\metre\\per\\second}"), "m/s");
  CHECK_STR(cv("\\si[per-mode=symbol]{\\per\\second}"), "1/s");
  CHECK_STR(cv("\\SI{25}{\\square\\metre}"), "25" NB "m" SUP "2" SUPX);
  CHECK_STR(cv("\\SI{2}{\\cubic\\centi\\metre}"), "2" NB "cm" SUP "3" SUPX);
  CHECK_STR(cv("\\SI{2}{\\metre\\squared}"), "2" NB "m" SUP "2" SUPX);
  CHECK_STR(cv("\\SI{2}{\\metre\\cubed}"), "2" NB "m" SUP "3" SUPX);
  CHECK_STR(cv("\\SI{2}{\\metre\\tothe{4}}"), "2" NB "m" SUP "4" SUPX);
  CHECK_STR(cv("\\SI{5}{\\micro\\metre}"), "5" NB "\u00b5m");
  CHECK_STR(cv("\\SI{5}{\\nano\\second} \\SI{5}{\\milli\\ampere} \\SI{5}{\\mega\\watt}"),
            "5" NB "ns 5" NB "mA 5" NB "MW");
  CHECK_STR(cv("\\SI{20}{\\kelvin} \\SI{75}{\\celsius} \\SI{75}{\\degreeCelsius}"),
            "20" NB "K 75" NB "\u00b0C 75" NB "\u00b0C");
  CHECK_STR(cv("\\SI{6}{\\ohm\\centi\\meter}"), "6" NB "\u03a9" NB "cm");
  CHECK_STR(cv("\\SI{49}{\\mega\\volt\\per\\meter}"), "49" NB "MV" NB "m" SUP MI "1" SUPX);
  CHECK_STR(cv("\\SI{5}{\\percent} \\SI{3}{\\decibel} \\SI{8}{\\bit} \\SI{2}{\\byte}"),
            "5" NB "% 3" NB "dB 8" NB "bit 2" NB "B");
  CHECK_STR(cv("\\SI{1}{\\joule\\newton\\pascal\\litre\\mole\\candela}"),
            "1" NB "J" NB "N" NB "Pa" NB "L" NB "mol" NB "cd");
  CHECK_STR(cv("\\SI{1}{\\minute} \\SI{1}{\\hour} \\SI{1}{\\day}"), "1" NB "min 1" NB "h 1" NB "d");
  CHECK_STR(cv("\\SI{10}{\\degree} \\SI{10}{\\arcminute} \\SI{10}{\\arcsecond}"),
            "10\u00b0 10\u2032 10\u2033");
  CHECK_STR(cv("\\SI{5}{GB}"), "5" NB "GB");                  /* literal units */
  CHECK_STR(cv("\\SI{5}{m^2}"), "5" NB "m" SUP "2" SUPX);
  CHECK_STR(cv("\\SI{5}{kg.m/s^{-2}}"), "5" NB "kg" NB "m/s" SUP "-2" SUPX);
  CHECK_STR(cv("\\SI{1}[\\$]{}"), "$" NB "1");                  /* a pre-unit */
  /* numbers: as written, an exponent as a power of ten, - as a minus */
  CHECK_STR(cv("\\num{1e-3}"), "1" NB "\u00d7" NB "10" SUP MI "3" SUPX);
  CHECK_STR(cv("\\num{2.5E+4}"), "2.5" NB "\u00d7" NB "10" SUP "4" SUPX);
  CHECK_STR(cv("\\num{e5}"), "10" SUP "5" SUPX);
  CHECK_STR(cv("\\num{12345}"), "12345");
  CHECK_STR(cv("\\num{-5}"), MI "5");
  CHECK_STR(cv("\\num{1.2+-0.1} \\num{3 \\pm 1}"), "1.2" NB "\u00b1" NB "0.1 3" NB "\u00b1" NB "1");
  CHECK_STR(cv("\\SI{1e3}{\\metre}"), "1" NB "\u00d7" NB "10" SUP "3" SUPX NB "m");
  CHECK_STR(cv("\\ang{30}"), "30\u00b0");
  CHECK_STR(cv("\\ang{1;2;3}"), "1\u00b02\u20323\u2033");
  CHECK_STR(cv("\\ang{;;3}"), "3\u2033");
  /* ranges, lists and products: siunitx's defaults, and its options */
  CHECK_STR(cv("\\SIrange{1}{5}{\\metre}"), "1" NB "m to 5" NB "m");
  CHECK_STR(cv("\\qtyrange{1}{5}{\\metre}"), "1" NB "m to 5" NB "m");
  CHECK_STR(cv("\\numrange{1}{5}"), "1 to 5");
  CHECK_STR(cv("\\SIrange[range-phrase=--,range-units=single]{0}{60}{\\kilo\\electronvolt}"),
            "0\u201360" NB "keV");
  CHECK_STR(cv("\\SIrange[range-units=brackets]{1}{5}{\\metre}"), "(1 to 5)" NB "m");
  CHECK_STR(cv("\\SIlist{1;2;3}{\\metre}"), "1" NB "m, 2" NB "m and 3" NB "m");
  CHECK_STR(cv("\\qtylist{1;2}{\\metre}"), "1" NB "m and 2" NB "m");
  CHECK_STR(cv("\\numlist{1;2;3}"), "1, 2 and 3");
  CHECK_STR(cv("\\numlist{7}"), "7");
  CHECK_STR(cv("\\SIlist[list-units=single]{1;2;3}{\\metre}"), "1, 2 and 3" NB "m");
  CHECK_STR(cv("\\numlist[list-final-separator={, and }]{1;2;3}"), "1, 2, and 3");
  CHECK_STR(cv("\\numproduct{1 x 2 x 3}"), "1" NB "\u00d7" NB "2" NB "\u00d7" NB "3");
  CHECK_STR(cv("\\qtyproduct{1 x 2}{\\metre}"), "1" NB "m" NB "\u00d7" NB "2" NB "m");
  CHECK_STR(cv("\\qtyproduct[product-units=single]{1 x 2}{\\metre}"),
            "1" NB "\u00d7" NB "2" NB "m");
  /* in running text, with braces and spaces around */
  CHECK_STR(cv("At {\\SI{4.2}{\\kelvin}} and \\SI { 20 } { \\kelvin }."),
            "At 4.2" NB "K and 20" NB "K.");
  CHECK_STR(cv("\\SI{1}{\\emph{x}}"), "1" NB EM "x" EMX);
  /* empty arguments, a command without its argument, hostile input */
  CHECK_STR(cv("\\SI{}{\\metre}"), "m");
  CHECK_STR(cv("\\SI{3}{}"), "3");
  CHECK_STR(cv("a\\SI{}{}b"), "ab");
  CHECK_STR(cv("\\num{}"), "");
  CHECK_STR(cv("\\numlist{}"), "");
  CHECK_STR(cv("\\SI{"), "");
  CHECK_STR(cv("\\SI{3"), "3");
  CHECK_STR(cv("\\SI{3}{\\kilo"), "3" NB "k");
  CHECK_STR(cv("\\SI[range-phrase={"), "SI[range-phrase=");      /* no argument: unknown */
  CHECK_STR(cv("\\si"), "si");                                  /* no argument: unknown */
  CHECK_STR(cv("\\num{1e99999999999}"),
            "1" NB "\u00d7" NB "10" SUP "99999999999" SUPX);     /* copied, not evaluated */
  CHECK_STR(cv("\\num{1e}"), "1e");
  CHECK_STR(cv("\\SI{1}{\\SI{2}{\\metre}}"), "1" NB "2" NB "metre"); /* rewritten once only */

  /* an unknown unit macro: its name, through the unknown-command report */
  struct seen u = {0, ""};
  char *r = pr_latex_to_marked("\\SI{3}{\\furlong\\per\\second}", 28, on_unknown, &u);
  CHECK_STR(r, "3" NB "furlong" NB "s" SUP MI "1" SUPX);
  CHECK_INT(u.count, 1);
  CHECK_STR(u.last, "furlong");
  free(r);

  /* long lists: linear, every item kept */
  size_t n = 200000;
  char *big = malloc(n + 16);
  if (big) {
    memcpy(big, "\\numlist{", 9);
    for (size_t i = 9; i < n; i += 2) { big[i] = '1'; big[i + 1] = ';'; }
    memcpy(big + n, "1}", 3);
    clock_t t0 = clock();
    r = pr_latex_to_marked(big, strlen(big), NULL, NULL);
    CHECK(r != NULL);
    CHECK_TIMED((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    free(r);
    free(big);
  }
}

/* Repeated unclosed constructs stay linear (each would scan to the end). */
static void test_sx_hostile(void) {
  static const char *const units[] = {"\\SI[", "\\ifmmode ", "$\\ifmmode ", "\\ch{", "\\SI{"};
  for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
    size_t u = strlen(units[k]), reps = 100000;
    char *big = malloc(u * reps + 1);
    if (!big) continue;
    for (size_t i = 0; i < reps; i++) memcpy(big + i * u, units[k], u);
    big[u * reps] = '\0';
    clock_t t0 = clock();
    char *r = pr_latex_to_marked(big, u * reps, NULL, NULL);
    CHECK(r != NULL);
    free(r);
    char *t = pr_latex_text_mode(big, u * reps);
    CHECK(t != NULL);
    free(t);
    CHECK_TIMED((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
    free(big);
  }
}

static void test_chem(void) {
  CHECK_STR(cv("\\ch{H2O}"), "H" SUB "2" SUBX "O");
  CHECK_STR(cv("\\ce{H2O}"), "H" SUB "2" SUBX "O");
  CHECK_STR(cv("\\ce{SO4^2-}"), "SO" SUB "4" SUBX SUP "2" MI SUPX);
  CHECK_STR(cv("\\ch{Mg^{2+}}"), "Mg" SUP "2+" SUPX);
  CHECK_STR(cv("\\ch{Li+} \\ch{OH-}"), "Li" SUP "+" SUPX " OH" SUP MI SUPX);
  CHECK_STR(cv("\\ch{^{8}Li}"), SUP "8" SUPX "Li");                   /* an isotope */
  CHECK_STR(cv("\\ch{Li_{1-x}}"), "Li" SUB "1" MI "x" SUBX);
  CHECK_STR(cv("\\ch{(Bi,Sb)2Te3}"), "(Bi,Sb)" SUB "2" SUBX "Te" SUB "3" SUBX);
  CHECK_STR(cv("\\ch{YBa2Cu3O7}"), "YBa" SUB "2" SUBX "Cu" SUB "3" SUBX "O" SUB "7" SUBX);
  CHECK_STR(cv("\\ch{Li0.94}"), "Li" SUB "0.94" SUBX);
  CHECK_STR(cv("\\ch{2H2O}"), "2H" SUB "2" SUBX "O");                  /* a coefficient */
  CHECK_STR(cv("\\ch{Nb-Mo}"), "Nb-Mo");                               /* a bond */
  CHECK_STR(cv("\\ch{A -> B} \\ch{A <- B} \\ch{A <=> B} \\ch{A <-> B}"),
            "A \u2192 B A \u2190 B A \u21cc B A \u2194 B");
  CHECK_STR(cv("\\ch{LiCl . 7 D2O}"), "LiCl\u00b77D" SUB "2" SUBX "O");
  CHECK_STR(cv("\\ch{CuSO4*5H2O}"), "CuSO" SUB "4" SUBX "\u00b75H" SUB "2" SUBX "O");
  CHECK_STR(cv("\\ch{$\\beta$-LiGa}"), MA "\\beta" MAX "-LiGa");
  CHECK_STR(cv("\\ch{{\\emph{R}}NiO3}"), EM "R" EMX "NiO" SUB "3" SUBX);
  CHECK_STR(cv("\\ch{a<b}"), "a<b");
  CHECK_STR(cv("\\ch{}"), "");
  CHECK_STR(cv("\\ch{H2"), "H" SUB "2" SUBX);
  CHECK_STR(cv("\\ch{^}"), "");
}

static void test_ifmmode(void) {
  CHECK_STR(cv("Dra\\ifmmode \\check{s}\\else \\v{s}\\fi{}ar"), "Drašar");
  CHECK_STR(cv("\\ifmmode A\\else B\\fi"), "B");
  CHECK_STR(cv("x\\ifmmode A\\fi y"), "xy");                          /* no \else */
  CHECK_STR(cv("\\ifmmode \\ifx a b c\\fi A\\else B\\fi"), "B");      /* nested \if */
  CHECK_STR(cv("\\ifmmode A\\else B"), "B");                           /* no \fi: B */
  CHECK_STR(cv("\\ifmmode A"), "A");                                   /* neither: A */
  CHECK_STR(cv("\\ifmmode A \\ifmmode C\\else D\\fi"), "A CD");     /* unmatched: all kept */
  /* in math the math branch, for MathJax */
  CHECK_STR(cv("$\\ifmmode \\check{s}\\else \\v{s}\\fi x$"), MA "\\check{s}x" MAX);
  CHECK_STR(cv("$a \\ifmmode b\\fi c$"), MA "a bc" MAX);  /* spaces mean nothing in math */
  CHECK_STR(cv("$\\ifmmode b$"), MA "\\ifmmode b" MAX);             /* unmatched: as written */
  /* name lists: resolved before the split (a space in A or B cut the word) */
  char *t = pr_latex_text_mode("Dra\\ifmmode \\check{s}\\else \\v{s}\\fi{}ar, M.", 44);
  CHECK_STR(t, "Dra\\v{s}{}ar, M.");
  free(t);
  t = pr_latex_text_mode("\\ifmmode A\\fi B \\fi", 20);
  CHECK_STR(t, "B \\fi");                                              /* another \fi stays */
  free(t);
  t = pr_latex_text_mode("\\ifmmodex \\ifmmode", 18);
  CHECK_STR(t, "\\ifmmodex \\ifmmode");
  free(t);
  pr_raw_name *v = NULL;
  long k = pr_bt_split_names("\\ifmmode \\check{C}\\else \\v{C}\\fi{}i\\ifmmode \\check{z}\\else "
                             "\\v{z}\\fi{}ek, Jakub and Milo\\ifmmode \\check{s}\\else \\v{s}\\fi{}evi\\ifmmode "
                             "\\acute{c}\\else \\'{c}\\fi{}, M. V.", NULL, "x.bib", 1, &v);
  CHECK_INT(k, 2);
  if (k == 2) {
    CHECK_STR(v[0].last, "\\v{C}{}i\\v{z}{}ek");
    CHECK_STR(v[0].von, "");
    CHECK_STR(v[0].first, "Jakub");
    CHECK_STR(v[1].last, "Milo\\v{s}{}evi\\'{c}{}");
  }
  pr_raw_names_free(v, k > 0 ? (size_t)k : 0);
}

static void test_text_symbols(void) {
  CHECK_STR(cv("5\\,\\textmu m"), "5\u2009\u00b5m");
  CHECK_STR(cv("\\textohm{} \\textdegree{} \\textcelsius{} \\texttimes{} \\textdiv{} \\textpm"),
            "\u03a9 \u00b0 \u2103 \u00d7 \u00f7 \u00b1");
  CHECK_STR(cv("\\textonehalf\\textonequarter\\textthreequarters\\textperthousand"),
            "\u00bd\u00bc\u00be\u2030");
  CHECK_STR(cv("\\textregistered\\texttrademark\\textcopyright\\textbullet\\textellipsis"),
            "\u00ae\u2122\u00a9\u2022\u2026");
  CHECK_STR(cv("\\textalpha\\textbeta\\textgamma\\textomega\\textOmega\\textDelta\\textmu"),
            "\u03b1\u03b2\u03b3\u03c9\u03a9\u0394\u00b5");
  CHECK_STR(cv("\\textminus 1"), "\u22121");
}

static void test_scripts_plain(void) {
  CHECK_STR(pl("\\si{\\metre\\per\\second}"), "m" NB "s\u207b\u00b9");
  CHECK_STR(pl("\\num{1e-3}"), "1" NB "\u00d7" NB "10\u207b\u00b3");
  CHECK_STR(pl("\\ch{H2O} \\ce{SO4^2-} \\ch{Li_{1-x}} \\ch{^{8}Li}"),
            "H\u2082O SO\u2084\u00b2\u207b Li\u2081\u208b\u2093 \u2078Li");
  CHECK_STR(pl("x\\textsuperscript{2} H\\textsubscript{2}O"), "x\u00b2 H\u2082O");
  /* a span with a character that has no script form: its text, as before */
  CHECK_STR(pl("1\\textsuperscript{st} \\ch{O_{7-\\delta}} \\ch{Li0.94}"), "1st O7\u2212\u03b4 Li0.94");
  CHECK_STR(pl("a\\textsuperscript{}b"), "ab");
}

int main(void) {
  test_accents();
  test_letters();
  test_escapes();
  test_punctuation();
  test_quotes();
  test_braces();
  test_formatting();
  test_math();
  test_links();
  test_unknown();
  test_bytes();
  test_large();
  test_languages();
  test_html_subset();
  test_html_hostile();
  test_nocase();
  test_siunitx();
  test_chem();
  test_sx_hostile();
  test_ifmmode();
  test_text_symbols();
  test_scripts_plain();
  return tests_done();
}
