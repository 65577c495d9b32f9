/* namesplit_old.h - for tests only: the name splitter before namesplit.c
   (namesplit_old.c). */
#ifndef PR_NAMESPLIT_OLD_H
#define PR_NAMESPLIT_OLD_H
#include <stddef.h>
#include "render/render.h"

/* Split list as pubrender did with libbtparse. Returns the count and the
   names in *out (free with old_raw_names_free), each name's sanitised text
   in *items (free with old_items_free), and in *warnings what btparse
   printed ("old, line 1, name N, warning: MESSAGE" lines; malloc'd); -1
   when out of memory. */
long old_split_names(const char *list, pr_raw_name **out, char ***items, char **warnings);
void old_raw_names_free(pr_raw_name *v, size_t n);
void old_items_free(char **items, size_t n);
#endif
