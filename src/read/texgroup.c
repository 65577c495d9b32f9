/* pr_tex_group_end (read.h): TeX's brace matching, shared by the LaTeX
   converter, the @preamble macros and siunitx. */
#include "read/read.h"

size_t pr_tex_group_end(const char *s, size_t n, size_t p) {
  size_t depth = 0;
  for (; p < n; p++) {
    if (s[p] == '\\') p++;
    else if (s[p] == '{') depth++;
    else if (s[p] == '}' && --depth == 0) return p;
  }
  return n;
}
