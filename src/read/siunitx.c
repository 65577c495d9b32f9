/* siunitx.c - siunitx's quantities and mhchem's formulas as the text TeX
 * typesets (read.h, "siunitx and chemistry").
 *
 * A command's arguments are rewritten into LaTeX source that the converter
 * (latex.c) then reads like any other text: \SI{3}{\kilo\metre\per\second}
 * becomes "3 km s\textsuperscript{−1}" (no-break spaces), \ch{SO4^2-}
 * "SO\textsubscript{4}\textsuperscript{2−}". What is not recognised (an
 * unknown unit macro, a command in a formula) is copied as written, so the
 * converter reports it as it reports any unknown command. One pass over the
 * arguments, no recursion, output linear in the input.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "read/read.h"

#define NBSP "\u00a0"
#define MINUS "\u2212"
#define TIMES NBSP "\u00d7" NBSP

typedef struct { const char *s; size_t n; } span_t;

static bool is_ws(unsigned char c) { return c <= 0x20 || c == 0x7F; }
static bool is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool eq(span_t a, const char *b) { return strlen(b) == a.n && memcmp(a.s, b, a.n) == 0; }


static size_t skip_ws(const char *s, size_t n, size_t p) {
  while (p < n && is_ws((unsigned char)s[p])) p++;
  return p;
}

/* A braced argument at *p (after whitespace): its inside, *p moved past it;
   an unterminated one runs to the end. A missing one is empty (*p kept). */
static span_t arg(const char *s, size_t n, size_t *p) {
  size_t a = skip_ws(s, n, *p);
  if (a >= n || s[a] != '{') return (span_t){s + *p, 0};
  size_t e = pr_tex_group_end(s, n, a);
  *p = e < n ? e + 1 : n;
  return (span_t){s + a + 1, e - a - 1};
}

/* An optional argument longer than this is not one (no ']' that near): so
   many unclosed "\\SI[" cannot each scan to the end of the field. */
#define MAX_OPT 4096

/* An optional argument [..] at *p: its inside, or {NULL, 0} when none. */
static span_t opt(const char *s, size_t n, size_t *p) {
  size_t a = skip_ws(s, n, *p);
  if (a >= n || s[a] != '[') return (span_t){NULL, 0};
  size_t e = a + 1, depth = 0;
  for (; e < n && (depth || s[e] != ']'); e++) {
    if (s[e] == '{') depth++;
    else if (s[e] == '}' && depth) depth--;
    if (e - a > MAX_OPT) return (span_t){NULL, 0};
  }
  *p = e < n ? e + 1 : n;
  return (span_t){s + a + 1, e - a - 1};
}

static span_t trim(span_t v) {
  while (v.n && is_ws((unsigned char)v.s[0])) { v.s++; v.n--; }
  while (v.n && is_ws((unsigned char)v.s[v.n - 1])) v.n--;
  return v;
}

/* ---- options ---- */

enum units_mode { U_REPEAT, U_SINGLE, U_BRACKETS };

typedef struct {
  span_t range_phrase, list_sep, list_final, list_pair;
  enum units_mode range_units, list_units, product_units;
  bool per_symbol; /* per-mode = symbol or fraction: m/s */
} sx_opts;

static enum units_mode units_mode(span_t v) {
  if (eq(v, "single")) return U_SINGLE;
  if (eq(v, "brackets") || eq(v, "bracket")) return U_BRACKETS;
  return U_REPEAT;
}

/* siunitx's key=value list: the keys that change the text are read, any
   other is ignored (as the rounding and the fonts: the text is as written). */
static void read_opts(span_t o, sx_opts *x) {
  size_t i = 0;
  while (i < o.n) {
    size_t ka = i, depth = 0;
    while (i < o.n && (depth || o.s[i] != ',')) {
      if (o.s[i] == '{') depth++;
      else if (o.s[i] == '}' && depth) depth--;
      i++;
    }
    span_t kv = {o.s + ka, i - ka};
    i++;
    const char *eqs = memchr(kv.s, '=', kv.n);
    if (!eqs) continue;
    span_t k = trim((span_t){kv.s, (size_t)(eqs - kv.s)});
    span_t v = trim((span_t){eqs + 1, kv.n - (size_t)(eqs - kv.s) - 1});
    if (v.n >= 2 && v.s[0] == '{' && v.s[v.n - 1] == '}') v = (span_t){v.s + 1, v.n - 2};
    if (eq(k, "range-phrase")) x->range_phrase = v;
    else if (eq(k, "list-separator")) x->list_sep = v;
    else if (eq(k, "list-final-separator")) x->list_final = v;
    else if (eq(k, "list-pair-separator")) x->list_pair = v;
    else if (eq(k, "range-units")) x->range_units = units_mode(v);
    else if (eq(k, "list-units")) x->list_units = units_mode(v);
    else if (eq(k, "product-units")) x->product_units = units_mode(v);
    else if (eq(k, "per-mode")) x->per_symbol = eq(v, "symbol") || eq(v, "fraction");
  }
}

static void defaults(sx_opts *x) {
  /* siunitx 3's defaults: "1 m to 5 m", "1 m, 2 m and 3 m", "1 m and 2 m" */
  *x = (sx_opts){{" to ", 4}, {", ", 2}, {" and ", 5}, {" and ", 5},
                 U_REPEAT, U_REPEAT, U_REPEAT, false};
}

/* ---- numbers ---- */

/* Writes v: a number as siunitx typesets it (a mantissa as written, - as a
   minus sign, an exponent e/E/d/D as "× 10^n", +- as ±); anything else,
   as written. The exponent is copied, never evaluated. */
static void put_num(pr_buf *b, span_t v) {
  v = trim(v);
  size_t i = 0;
  bool mant = false;
  while (i < v.n) {
    unsigned char ch = (unsigned char)v.s[i];
    if (ch == '+' && i + 1 < v.n && v.s[i + 1] == '-') {
      pr_buf_puts(b, "\u00a0\u00b1\u00a0");
      i += 2;
    } else if (ch == '\\' && v.n - i >= 3 && memcmp(v.s + i, "\\pm", 3) == 0 &&
               (v.n - i == 3 || !is_alpha((unsigned char)v.s[i + 3]))) {
      pr_buf_puts(b, "\u00a0\u00b1\u00a0");
      i = skip_ws(v.s, v.n, i + 3);
    } else if (ch == '-') {
      pr_buf_puts(b, MINUS);
      i++;
    } else if ((ch == 'e' || ch == 'E' || ch == 'd' || ch == 'D') && i + 1 < v.n &&
               (is_digit((unsigned char)v.s[i + 1]) || v.s[i + 1] == '-' || v.s[i + 1] == '+') &&
               (mant || i == 0)) {
      size_t a = i + 1, e = a;
      if (e < v.n && (v.s[e] == '-' || v.s[e] == '+')) e++;
      size_t d = e;
      while (e < v.n && is_digit((unsigned char)v.s[e])) e++;
      if (e == d) { pr_buf_putc(b, (char)ch); i++; continue; }
      if (mant) pr_buf_puts(b, TIMES);
      pr_buf_puts(b, "10\\textsuperscript{");
      if (v.s[a] == '-') pr_buf_puts(b, MINUS);
      pr_buf_put(b, v.s + d, e - d);
      pr_buf_putc(b, '}');
      i = e;
      mant = false;
      continue;
    } else if (is_ws(ch)) {
      i++;
      continue;
    } else {
      pr_buf_putc(b, (char)ch);
      i++;
    }
    mant = is_digit(ch) || ch == '.' || ch == ',' || ch == ')' || mant;
  }
}

/* ---- units ---- */

typedef struct { const char *name, *sym; } unit_t;

/* Sorted bytewise (bsearch). */
static const unit_t prefixes[] = {
  {"atto", "a"}, {"centi", "c"}, {"deca", "da"}, {"deci", "d"}, {"deka", "da"},
  {"exa", "E"}, {"exbi", "Ei"}, {"femto", "f"}, {"gibi", "Gi"}, {"giga", "G"},
  {"hecto", "h"}, {"kibi", "Ki"}, {"kilo", "k"}, {"mebi", "Mi"}, {"mega", "M"},
  {"micro", "\u00b5"}, {"milli", "m"}, {"nano", "n"}, {"pebi", "Pi"}, {"peta", "P"},
  {"pico", "p"}, {"quecto", "q"}, {"quetta", "Q"}, {"ronna", "R"}, {"ronto", "r"},
  {"tebi", "Ti"}, {"tera", "T"}, {"yocto", "y"}, {"yotta", "Y"}, {"zepto", "z"},
  {"zetta", "Z"},
};

static const unit_t units[] = {
  {"ampere", "A"}, {"angstrom", "\u00c5"}, {"arcminute", "\u2032"}, {"arcsecond", "\u2033"},
  {"astronomicalunit", "au"}, {"atomicmassunit", "u"}, {"bar", "bar"}, {"barn", "b"},
  {"becquerel", "Bq"}, {"bel", "B"}, {"bit", "bit"}, {"byte", "B"}, {"candela", "cd"},
  {"celsius", "\u00b0C"}, {"coulomb", "C"}, {"dalton", "Da"}, {"day", "d"}, {"decibel", "dB"},
  {"degree", "\u00b0"}, {"degreeCelsius", "\u00b0C"}, {"electronvolt", "eV"}, {"farad", "F"},
  {"gram", "g"}, {"gray", "Gy"}, {"hectare", "ha"}, {"henry", "H"}, {"hertz", "Hz"},
  {"hour", "h"}, {"joule", "J"}, {"katal", "kat"}, {"kelvin", "K"}, {"kilogram", "kg"},
  {"knot", "kn"}, {"liter", "L"}, {"litre", "L"}, {"lumen", "lm"}, {"lux", "lx"},
  {"meter", "m"}, {"metre", "m"}, {"minute", "min"}, {"mmHg", "mmHg"}, {"mole", "mol"},
  {"nauticalmile", "M"}, {"neper", "Np"}, {"newton", "N"}, {"ohm", "\u03a9"},
  {"pascal", "Pa"}, {"percent", "%"}, {"radian", "rad"}, {"second", "s"}, {"siemens", "S"},
  {"sievert", "Sv"}, {"steradian", "sr"}, {"tesla", "T"}, {"tonne", "t"}, {"volt", "V"},
  {"watt", "W"}, {"weber", "Wb"},
};

static int cmp_unit(const void *key, const void *elem) {
  const span_t *k = key;
  const char *name = ((const unit_t *)elem)->name;
  size_t m = strlen(name);
  int r = memcmp(k->s, name, k->n < m ? k->n : m);
  return r ? r : (k->n > m) - (k->n < m);
}

static const char *find(const unit_t *t, size_t nt, span_t name) {
  const unit_t *u = bsearch(&name, t, nt, sizeof *t, cmp_unit);
  return u ? u->sym : NULL;
}

/* The angle units sit on the number, without a space (30°, as \ang). */
static bool unspaced(const char *sym) {
  return !strcmp(sym, "\u00b0") || !strcmp(sym, "\u2032") || !strcmp(sym, "\u2033");
}

/* One unit being written: its prefix and symbol (or literal text) and its
   power, written when the next unit starts or the units end. */
typedef struct {
  bool open;
  span_t prefix, lit;  /* lit: literal text, or the symbol */
  span_t power;        /* \tothe{..} / \raiseto{..}, or a digit */
  bool neg;            /* after \per */
} item_t;

typedef struct {
  pr_buf *b;
  bool per_symbol;
  bool any;        /* a unit has been written */
  int pending_pow; /* \square, \cubic before the unit */
  span_t pending_raise;
  bool pending_per;
  item_t it;
} ustate;

static void flush(ustate *u) {
  if (!u->it.open) return;
  item_t *it = &u->it;
  bool per_slash = it->neg && u->per_symbol;
  if (u->any) pr_buf_puts(u->b, per_slash ? "/" : NBSP);
  else if (per_slash) pr_buf_puts(u->b, "1/");
  pr_buf_put(u->b, it->prefix.s, it->prefix.n);
  pr_buf_put(u->b, it->lit.s, it->lit.n);
  if ((it->neg && !per_slash) || it->power.n) {
    pr_buf_puts(u->b, "\\textsuperscript{");
    if (it->neg && !per_slash) pr_buf_puts(u->b, MINUS);
    if (it->power.n) pr_buf_put(u->b, it->power.s, it->power.n);
    else pr_buf_putc(u->b, '1');
    pr_buf_putc(u->b, '}');
  }
  u->any = true;
  it->open = false;
}

static void start(ustate *u, span_t prefix, span_t lit) {
  flush(u);
  static const char *const digits[] = {"", "", "2", "3"};
  u->it = (item_t){true, prefix, lit, {NULL, 0}, u->pending_per};
  if (u->pending_raise.s) u->it.power = u->pending_raise;
  else if (u->pending_pow) u->it.power = (span_t){digits[u->pending_pow], 1};
  u->pending_pow = 0;
  u->pending_raise = (span_t){NULL, 0};
  u->pending_per = false;
}

/* Writes the unit argument v; *unsp is set when it is a lone angle unit. */
static void put_units(pr_buf *b, span_t v, bool per_symbol, bool *unsp) {
  ustate u = {b, per_symbol, false, 0, {NULL, 0}, false, {0}};
  span_t prefix = {NULL, 0};
  size_t i = 0, nunits = 0;
  bool lone_angle = false;
  while (i < v.n) {
    unsigned char ch = (unsigned char)v.s[i];
    if (is_ws(ch) || ch == '~' || ch == '.') { i++; continue; }
    if (ch == '\\' && i + 1 < v.n && is_alpha((unsigned char)v.s[i + 1])) {
      size_t a = i + 1, e = a;
      while (e < v.n && is_alpha((unsigned char)v.s[e])) e++;
      span_t name = {v.s + a, e - a};
      i = e;
      const char *sym;
      if ((sym = find(prefixes, sizeof prefixes / sizeof *prefixes, name))) {
        prefix = (span_t){sym, strlen(sym)};
      } else if ((sym = find(units, sizeof units / sizeof *units, name))) {
        start(&u, prefix, (span_t){sym, strlen(sym)});
        prefix = (span_t){NULL, 0};
        nunits++;
        lone_angle = unspaced(sym);
      } else if (eq(name, "per")) {
        u.pending_per = true;
      } else if (eq(name, "square")) {
        u.pending_pow = 2;
      } else if (eq(name, "cubic")) {
        u.pending_pow = 3;
      } else if (eq(name, "squared") || eq(name, "cubed")) {
        if (u.it.open) u.it.power = (span_t){name.s[0] == 's' ? "2" : "3", 1};
      } else if (eq(name, "tothe") || eq(name, "raiseto")) {
        span_t p = trim(arg(v.s, v.n, &i));
        if (name.s[0] == 't' && u.it.open) u.it.power = p;
        else if (name.s[0] == 'r') u.pending_raise = p;
      } else {
        /* unknown: as written, with a braced argument if one follows */
        size_t a0 = a - 1;
        if (i < v.n && v.s[i] == '{') {
          size_t ge = pr_tex_group_end(v.s, v.n, i);
          i = ge < v.n ? ge + 1 : v.n;
        }
        start(&u, prefix, (span_t){v.s + a0, i - a0});
        prefix = (span_t){NULL, 0};
        nunits++;
        lone_angle = false;
      }
      continue;
    }
    /* literal text: up to the next space, '.', '~' or command; ^ and _ as
       powers and subscripts, braces kept */
    size_t a = i;
    while (i < v.n && !is_ws((unsigned char)v.s[i]) && v.s[i] != '~' && v.s[i] != '.' &&
           v.s[i] != '^' && !(v.s[i] == '\\' && i + 1 < v.n && is_alpha((unsigned char)v.s[i + 1]))) {
      if (v.s[i] == '{') {
        size_t ge = pr_tex_group_end(v.s, v.n, i);
        i = ge < v.n ? ge + 1 : v.n;
      } else {
        i += v.s[i] == '\\' && i + 1 < v.n ? 2 : 1;
      }
    }
    if (i > a) {
      start(&u, prefix, (span_t){v.s + a, i - a});
      prefix = (span_t){NULL, 0};
      nunits++;
      lone_angle = false;
    }
    if (i < v.n && v.s[i] == '^') {
      i++;
      span_t p;
      if (i < v.n && v.s[i] == '{') p = arg(v.s, v.n, &i);
      else {
        size_t pa = i;
        if (i < v.n && v.s[i] == '-') i++;
        while (i < v.n && is_digit((unsigned char)v.s[i])) i++;
        if (i == pa && i < v.n) i++;
        p = (span_t){v.s + pa, i - pa};
      }
      if (u.it.open) u.it.power = p;
      else start(&u, prefix, (span_t){"^", 1}); /* a lone ^: as written */
    }
  }
  if (prefix.n) start(&u, (span_t){NULL, 0}, prefix); /* a prefix alone */
  flush(&u);
  *unsp = nunits == 1 && lone_angle;
}

/* ---- quantities, lists, ranges, products ---- */

static void put_qty(pr_buf *b, span_t num, span_t unit, const sx_opts *x) {
  size_t before = b->len;
  put_num(b, num);
  bool had_num = b->len > before;
  pr_buf tmp = {0};
  bool unsp = false;
  put_units(&tmp, unit, x->per_symbol, &unsp);
  if (tmp.len && had_num && !unsp) pr_buf_puts(b, NBSP);
  if (tmp.len) pr_buf_put(b, tmp.data, tmp.len);
  pr_buf_free(&tmp);
}

/* Items of a list (separated by ';') or product (by 'x' / \times). */
static size_t split(span_t v, bool product, span_t *out, size_t max) {
  size_t k = 0, a = 0, depth = 0;
  for (size_t i = 0; i <= v.n; i++) {
    bool end = i == v.n;
    if (!end && v.s[i] == '{') depth++;
    else if (!end && v.s[i] == '}' && depth) depth--;
    size_t skip = 0;
    if (!end && !depth) {
      if (!product && v.s[i] == ';') skip = 1;
      if (product && v.s[i] == 'x') skip = 1;
      if (product && v.n - i >= 6 && memcmp(v.s + i, "\\times", 6) == 0) skip = 6;
    }
    if (end || skip) {
      if (k < max) out[k++] = (span_t){v.s + a, i - a};
      else out[max - 1].n = (size_t)(v.s + i - out[max - 1].s); /* the rest in the last */
      i += skip ? skip - 1 : 0;
      a = i + 1;
    }
  }
  return k;
}

static void put_list(pr_buf *b, span_t v, span_t unit, bool has_unit, const sx_opts *x) {
  span_t it[64];
  size_t k = split(v, false, it, 64);
  bool repeat = x->list_units == U_REPEAT;
  if (has_unit && x->list_units == U_BRACKETS && k > 1) pr_buf_putc(b, '(');
  for (size_t i = 0; i < k; i++) {
    if (i) {
      span_t sep = k == 2 ? x->list_pair : i == k - 1 ? x->list_final : x->list_sep;
      pr_buf_put(b, sep.s, sep.n);
    }
    if (has_unit && (repeat || i == k - 1) && !(x->list_units == U_BRACKETS && k > 1))
      put_qty(b, it[i], unit, x);
    else
      put_num(b, it[i]);
  }
  if (has_unit && x->list_units == U_BRACKETS && k > 1) {
    bool unsp;
    pr_buf_puts(b, ")" NBSP);
    put_units(b, unit, x->per_symbol, &unsp);
  }
}

static void put_grouped(pr_buf *b, span_t *it, size_t k, span_t sep, span_t unit,
                        bool has_unit, enum units_mode mode, const sx_opts *x) {
  bool brackets = has_unit && mode == U_BRACKETS && k > 1;
  if (brackets) pr_buf_putc(b, '(');
  for (size_t i = 0; i < k; i++) {
    if (i) pr_buf_put(b, sep.s, sep.n);
    if (has_unit && !brackets && (mode == U_REPEAT || i == k - 1)) put_qty(b, it[i], unit, x);
    else put_num(b, it[i]);
  }
  if (brackets) {
    pr_buf_puts(b, ")" NBSP);
    bool unsp;
    put_units(b, unit, x->per_symbol, &unsp);
  }
}

/* \ang{d;m;s}: 30°, 1°2′3″ */
static void put_ang(pr_buf *b, span_t v) {
  static const char *const marks[] = {"\u00b0", "\u2032", "\u2033"};
  span_t it[3];
  size_t k = split(v, false, it, 3);
  for (size_t i = 0; i < k; i++) {
    if (!trim(it[i]).n) continue;
    put_num(b, it[i]);
    pr_buf_puts(b, marks[i]);
  }
}

/* ---- chemistry (mhchem's \ce, chemformula's \ch) ---- */

static void put_script(pr_buf *b, const char *cmd, span_t v) {
  pr_buf_puts(b, cmd);
  pr_buf_putc(b, '{');
  for (size_t i = 0; i < v.n; i++) {
    if (v.s[i] == '-' && !(i + 1 < v.n && v.s[i + 1] == '-')) pr_buf_puts(b, MINUS);
    else pr_buf_putc(b, v.s[i]);
  }
  pr_buf_putc(b, '}');
}

/* A ^ or _ script at *p (just after the ^/_): braced, or a run of digits
   and charge signs (^2-), or one character. */
static span_t script(span_t v, size_t *p) {
  size_t i = *p;
  if (i < v.n && v.s[i] == '{') return arg(v.s, v.n, p);
  size_t a = i;
  while (i < v.n && (is_digit((unsigned char)v.s[i]) || v.s[i] == '.')) i++;
  while (i < v.n && (v.s[i] == '+' || v.s[i] == '-')) i++;
  if (i == a && i < v.n && !is_ws((unsigned char)v.s[i])) i++;
  *p = i;
  return (span_t){v.s + a, i - a};
}

static void put_chem(pr_buf *b, span_t v) {
  size_t i = 0;
  /* the previous character was part of a formula (a letter, ')' or ']'):
     digits after it are a count (subscript), + or - at the end a charge */
  bool after = false;
  while (i < v.n) {
    unsigned char ch = (unsigned char)v.s[i];
    if (ch == '\\') { /* a command: as written, with its braced arguments */
      size_t a = i++;
      if (i < v.n && is_alpha((unsigned char)v.s[i]))
        while (i < v.n && is_alpha((unsigned char)v.s[i])) i++;
      else if (i < v.n) i++;
      while (i < v.n && v.s[i] == '{') {
        size_t ge = pr_tex_group_end(v.s, v.n, i);
        i = ge < v.n ? ge + 1 : v.n;
      }
      pr_buf_put(b, v.s + a, i - a);
      after = false;
    } else if (ch == '{' || ch == '$') { /* a group or math: as written */
      size_t a = i, e;
      if (ch == '{') e = pr_tex_group_end(v.s, v.n, i);
      else {
        e = i + 1;
        while (e < v.n && v.s[e] != '$') e += v.s[e] == '\\' ? 2 : 1;
        if (e > v.n) e = v.n;
      }
      i = e < v.n ? e + 1 : v.n;
      pr_buf_put(b, v.s + a, i - a);
      after = ch == '{';
    } else if (ch == '^' || ch == '_') {
      i++;
      put_script(b, ch == '^' ? "\\textsuperscript" : "\\textsubscript", script(v, &i));
      after = true;
    } else if (is_digit(ch) && after) {
      size_t a = i;
      while (i < v.n && (is_digit((unsigned char)v.s[i]) ||
                         (v.s[i] == '.' && i + 1 < v.n && is_digit((unsigned char)v.s[i + 1]))))
        i++;
      put_script(b, "\\textsubscript", (span_t){v.s + a, i - a});
    } else if ((ch == '+' || ch == '-') && after &&
               (i + 1 == v.n || is_ws((unsigned char)v.s[i + 1]) || v.s[i + 1] == ')')) {
      put_script(b, "\\textsuperscript", (span_t){v.s + i, 1});
      i++;
      after = false;
    } else if (ch == '<' && v.n - i >= 3 && !memcmp(v.s + i, "<=>", 3)) {
      pr_buf_puts(b, "\u21cc");
      i += 3;
      after = false;
    } else if (ch == '<' && v.n - i >= 3 && !memcmp(v.s + i, "<->", 3)) {
      pr_buf_puts(b, "\u2194");
      i += 3;
      after = false;
    } else if (ch == '<' && v.n - i >= 2 && v.s[i + 1] == '-') {
      pr_buf_puts(b, "\u2190");
      i += 2;
      after = false;
    } else if (ch == '-' && i + 1 < v.n && v.s[i + 1] == '>') {
      pr_buf_puts(b, "\u2192");
      i += 2;
      after = false;
    } else if (ch == '*' || (ch == '.' && i && is_ws((unsigned char)v.s[i - 1]) &&
                             (i + 1 == v.n || is_ws((unsigned char)v.s[i + 1])))) {
      /* an addition compound: LiCl . 7 D2O, LiCl*7D2O */
      while (b->len && (b->data[b->len - 1] == ' ')) b->len--;
      pr_buf_puts(b, "\u00b7");
      i = skip_ws(v.s, v.n, i + 1);
      /* the count of the added molecule stays on the line */
      while (i < v.n && is_digit((unsigned char)v.s[i])) pr_buf_putc(b, v.s[i++]);
      i = skip_ws(v.s, v.n, i);
      after = false;
    } else if (ch == '<') { /* not markup: the converter would read <tag> */
      pr_buf_puts(b, "\\textless{}");
      i++;
      after = false;
    } else {
      pr_buf_putc(b, (char)ch);
      i++;
      after = is_alpha(ch) || ch == ')' || ch == ']';
    }
  }
}

/* ---- the commands ---- */

enum { K_SI, K_SIUNIT, K_NUM, K_ANG, K_RANGE, K_NUMRANGE, K_LIST, K_NUMLIST, K_PRODUCT,
       K_NUMPRODUCT, K_CHEM };

static const struct { const char *name; int kind; } commands[] = {
  {"SI", K_SI}, {"SIlist", K_LIST}, {"SIrange", K_RANGE}, {"ang", K_ANG}, {"ce", K_CHEM},
  {"ch", K_CHEM}, {"num", K_NUM}, {"numlist", K_NUMLIST}, {"numproduct", K_NUMPRODUCT},
  {"numrange", K_NUMRANGE}, {"qty", K_SI}, {"qtylist", K_LIST}, {"qtyproduct", K_PRODUCT},
  {"qtyrange", K_RANGE}, {"si", K_SIUNIT}, {"unit", K_SIUNIT},
};

size_t pr_siunitx_rewrite(const char *name, size_t len, const char *s, size_t n, size_t p,
                          pr_buf *out) {
  int kind = -1;
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strlen(commands[i].name) == len && memcmp(commands[i].name, name, len) == 0)
      kind = commands[i].kind;
  if (kind < 0) return (size_t)-1;
  /* a command used without its braced argument (\si alone, \unit in
     running text) is not one of these */
  size_t q = p;
  opt(s, n, &q);
  q = skip_ws(s, n, q);
  if (q >= n || s[q] != '{') return (size_t)-1;
  sx_opts x;
  defaults(&x);
  if (kind == K_CHEM) {
    span_t v = arg(s, n, &q);
    put_chem(out, v);
    return q;
  }
  span_t o = opt(s, n, &p);
  if (o.s) read_opts(o, &x);
  span_t a1 = arg(s, n, &p);
  switch (kind) {
  case K_SI: {
    span_t pre = opt(s, n, &p);
    span_t u = arg(s, n, &p);
    if (pre.n) {
      bool unsp;
      size_t before = out->len;
      put_units(out, pre, x.per_symbol, &unsp);
      if (out->len > before) pr_buf_puts(out, NBSP);
    }
    put_qty(out, a1, u, &x);
    break;
  }
  case K_SIUNIT: {
    bool unsp;
    put_units(out, a1, x.per_symbol, &unsp);
    break;
  }
  case K_NUM: put_num(out, a1); break;
  case K_ANG: put_ang(out, a1); break;
  case K_RANGE: case K_NUMRANGE: {
    span_t a2 = arg(s, n, &p);
    span_t u = kind == K_RANGE ? arg(s, n, &p) : (span_t){NULL, 0};
    span_t it[2] = {a1, a2};
    put_grouped(out, it, 2, x.range_phrase, u, kind == K_RANGE, x.range_units, &x);
    break;
  }
  case K_LIST: put_list(out, a1, arg(s, n, &p), true, &x); break;
  case K_NUMLIST: put_list(out, a1, (span_t){NULL, 0}, false, &x); break;
  case K_PRODUCT: case K_NUMPRODUCT: {
    span_t u = kind == K_PRODUCT ? arg(s, n, &p) : (span_t){NULL, 0};
    span_t it[64];
    size_t k = split(a1, true, it, 64);
    put_grouped(out, it, k, (span_t){TIMES, strlen(TIMES)}, u, kind == K_PRODUCT,
                x.product_units, &x);
    break;
  }
  }
  return p;
}
