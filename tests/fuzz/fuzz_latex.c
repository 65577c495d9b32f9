/* fuzz_latex.c - the input is a LaTeX field value: pr_latex_to_marked on
 * the bytes (NUL bytes included), pr_marked_to_plain on the result, and
 * pr_fold (names' matching key) on the text up to the first NUL.
 *
 * Checked (src/read/read.h): marked text has no control byte other than the
 * markers, its spans nest properly, a link is ON url MID text OFF with no
 * marker in the url, math holds no marker; the plain form has no control
 * byte at all. When the input is valid UTF-8 (as every field value is after
 * decoding), both outputs must be valid UTF-8. With the case-protection
 * markers (pr_latex_hooks.nocase) the same holds, and for ASCII input the
 * text without them is the text converted without them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_util.h"
#include "render/render.h"
#include "read/read.h"

static void on_unknown(const char *name, void *ctx) {
  if (!name) FUZZ_FAIL("unknown-command callback: NULL name");
  fuzz_touch(name);
  ++*(size_t *)ctx;
}

static int is_on(char c) {
  return c == PR_MK_EMPH_ON || c == PR_MK_BOLD_ON || c == PR_MK_MATH_ON || c == PR_MK_SUP_ON ||
         c == PR_MK_SUB_ON || c == PR_MK_SC_ON || c == PR_MK_CODE_ON || c == PR_MK_LINK_ON ||
         c == PR_MK_NOCASE_ON || c == PR_MK_SMALL_ON || c == PR_MK_U_ON || c == PR_MK_S_ON;
}

static char off_of(char on) {
  switch (on) {
    case PR_MK_EMPH_ON: return PR_MK_EMPH_OFF;
    case PR_MK_BOLD_ON: return PR_MK_BOLD_OFF;
    case PR_MK_MATH_ON: return PR_MK_MATH_OFF;
    case PR_MK_SUP_ON: return PR_MK_SUP_OFF;
    case PR_MK_SUB_ON: return PR_MK_SUB_OFF;
    case PR_MK_SC_ON: return PR_MK_SC_OFF;
    case PR_MK_CODE_ON: return PR_MK_CODE_OFF;
    case PR_MK_NOCASE_ON: return PR_MK_NOCASE_OFF;
    case PR_MK_SMALL_ON: return PR_MK_SMALL_OFF;
    case PR_MK_U_ON: return PR_MK_U_OFF;
    case PR_MK_S_ON: return PR_MK_S_OFF;
    default: return PR_MK_LINK_OFF;
  }
}

static void check_marked(const char *m) {
  size_t cap = strlen(m) + 1, depth = 0; /* spans open: at most one per byte */
  char *stack = malloc(cap);
  if (!stack) return;
  int in_url = 0;  /* inside LINK_ON .. LINK_MID */
  int in_math = 0;
  for (size_t i = 0; m[i]; i++) {
    unsigned char c = (unsigned char)m[i];
    if (c >= 0x20 || c == 0x7f) continue;
    if (in_url && c != (unsigned char)PR_MK_LINK_MID)
      FUZZ_FAIL("marked text: control byte 0x%02x inside a link's URL at %zu", c, i);
    if (in_math && c != (unsigned char)PR_MK_MATH_OFF)
      FUZZ_FAIL("marked text: control byte 0x%02x inside math at %zu", c, i);
    if (c == (unsigned char)PR_MK_BR && !in_url && !in_math) continue; /* <br>: no span */
    if (is_on((char)c)) {
      stack[depth++] = (char)c;
      if (c == (unsigned char)PR_MK_LINK_ON) in_url = 1;
      if (c == (unsigned char)PR_MK_MATH_ON) in_math = 1;
    } else if (c == (unsigned char)PR_MK_LINK_MID) {
      if (!in_url) FUZZ_FAIL("marked text: LINK_MID outside a link's URL at %zu", i);
      in_url = 0;
    } else if (depth && c == (unsigned char)off_of(stack[depth - 1])) {
      depth--;
      in_math = 0;
    } else {
      FUZZ_FAIL("marked text: unexpected control byte 0x%02x at %zu (open spans: %zu)", c, i, depth);
    }
  }
  free(stack);
  if (depth) FUZZ_FAIL("marked text: %zu span(s) left open", depth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  int valid_in = fuzz_utf8_bad(s, size) == size;
  size_t unknown = 0;
  char *m = pr_latex_to_marked(s, size, on_unknown, &unknown);
  if (m) {
    check_marked(m);
    if (valid_in) fuzz_check_text("pr_latex_to_marked", m, strlen(m));
    char *p = pr_marked_to_plain(m);
    if (p) {
      for (size_t i = 0; p[i]; i++)
        if ((unsigned char)p[i] < 0x20) FUZZ_FAIL("plain text: control byte 0x%02x at %zu", p[i], i);
      if (valid_in) fuzz_check_text("pr_marked_to_plain", p, strlen(p));
    }
    free(p);
    free(m);
  }
  /* without the callback too (the library's own calls pass NULL) */
  char *plain_m = pr_latex_to_marked(s, size, NULL, NULL);
  pr_latex_hooks nc = {NULL, NULL, NULL, 0, 1};
  char *ncm = pr_latex_to_marked_hooks(s, size, &nc);
  if (ncm) {
    check_marked(ncm);
    if (valid_in) fuzz_check_text("pr_latex_to_marked (nocase)", ncm, strlen(ncm));
    int ascii = 1;
    for (size_t i = 0; i < size && ascii; i++) ascii = data[i] < 0x80;
    size_t w = 0;
    for (size_t i = 0; ncm[i]; i++)
      if (ncm[i] != PR_MK_NOCASE_ON && ncm[i] != PR_MK_NOCASE_OFF) ncm[w++] = ncm[i];
    ncm[w] = '\0';
    if (ascii && plain_m && strcmp(ncm, plain_m) != 0)
      FUZZ_FAIL("nocase markers removed: \"%s\", without them: \"%s\"", ncm, plain_m);
  }
  free(ncm);
  free(plain_m);

  char *c = fuzz_cstr(data, size);
  if (c) {
    char *folded = pr_fold(c);
    if (folded && valid_in) fuzz_check_text("pr_fold", folded, strlen(folded));
    free(folded);
    free(c);
  }
  return 0;
}
