/* url.c - which URLs pubrender lets through (README, "Security"). */
#include <strings.h>
#include "util/util.h"

int pr_url_is_safe(const char *url) {
  static const char *allowed[] = {"http", "https", "mailto"};
  char scheme[16];
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)url;
  while (*p && *p <= ' ') p++;   /* browsers skip leading controls and spaces */
  for (; *p; p++) {
    if (*p == '\t' || *p == '\n' || *p == '\r') continue; /* and drop these inside */
    if (*p < ' ' || *p == 0x7f) return 0;
    if (*p == ':') break;
    if (*p == '/' || *p == '?' || *p == '#') return 1;   /* relative: no scheme */
    if (n + 1 < sizeof scheme) scheme[n] = (char)*p;
    n++;
  }
  if (!*p) return 1; /* no colon at all: relative */
  if (n + 1 >= sizeof scheme) return 0; /* no scheme we allow is that long */
  scheme[n] = '\0';
  for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
    if (strcasecmp(scheme, allowed[i]) == 0) return 1;
  return 0;
}
