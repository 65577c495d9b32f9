/* entry_id.c - the prefix of the HTML id of each entry (pr_entry_id gives
   the id itself; resolve.c makes ids distinct for repeated keys). */
#include <stdlib.h>
#include <string.h>
#include "options/options.h"

#define DEFAULT_PREFIX "pubrender-"
#define PREFIX_MAX 64

const char *pr_id_prefix(const pr_options *o) {
  return o && o->id_prefix ? o->id_prefix : DEFAULT_PREFIX;
}

/* The first byte of prefix that cannot be part of an id attribute and a
   #fragment link to it, or NULL when all can. Refused: ASCII spaces and
   control characters, DEL, " ' < > & ` (they end or confuse an attribute
   or its escaping), # and % (they change a fragment link); and bytes
   that are not UTF-8. */
const char *pr_id_prefix_bad(const char *prefix) {
  const unsigned char *p = (const unsigned char *)prefix;
  while (*p) {
    unsigned char c = *p;
    if (c < 0x80) {
      if (c <= ' ' || c == 0x7f || strchr("\"'<>&`#%", c)) return (const char *)p;
      p++;
      continue;
    }
    size_t n = c >= 0xc2 && c <= 0xdf   ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
    if (!n) return (const char *)p;
    for (size_t i = 1; i < n; i++)
      if ((p[i] & 0xc0) != 0x80) return (const char *)p;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) || (c == 0xf0 && p[1] < 0x90) ||
        (c == 0xf4 && p[1] >= 0x90))
      return (const char *)p; /* overlong, surrogate, beyond U+10FFFF */
    p += n;
  }
  return NULL;
}

pr_status pr_options_set_id_prefix(pr_options *o, const char *prefix) {
  if (!o) return PR_ERR_ARG;
  if (prefix && (strlen(prefix) > PREFIX_MAX || pr_id_prefix_bad(prefix))) return PR_ERR_ARG;
  char *copy = NULL;
  if (prefix && !(copy = pr_strdup(prefix))) return PR_ERR_NOMEM;
  free(o->id_prefix);
  o->id_prefix = copy;
  return PR_OK;
}
