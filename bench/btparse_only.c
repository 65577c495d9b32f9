/* btparse_only.c - the floor: libbtparse alone on a file, with the loop
 * pubrender uses (src/read/btparse_glue.c): the whole file read at once, given
 * to btparse through a fopencookie stream over that memory with stdio's
 * locking off (no second copy), btparse reset as per document (bt_initialize, the
 * month macros, the same string options), then bt_parse_entry until EOF;
 * for each regular entry the key, type and every field's text are fetched
 * (bt_next_field/bt_next_value, as take_entry does) and the AST freed.
 * No normalising, no hooks, no copying into pubrender's model.
 *
 *   btparse_only FILE.bib   prints "entries fields" and exits 0
 *
 * btparse's own messages go to stderr (the benchmark discards them).
 */
#define _GNU_SOURCE
#include <btparse.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <stdio_ext.h>
#include <sys/types.h>

typedef struct src { const char *data; size_t len, pos; } src;

static ssize_t src_read(void *cookie, char *buf, size_t n) {
  src *s = cookie;
  size_t k = s->len - s->pos < n ? s->len - s->pos : n;
  memcpy(buf, s->data + s->pos, k);
  s->pos += k;
  return (ssize_t)k;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: btparse_only FILE.bib\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) { perror(argv[1]); return 2; }
  fseek(in, 0, SEEK_END);
  long len = ftell(in);
  fseek(in, 0, SEEK_SET);
  /* as pubrender holds a document (src/util/input.c): anonymous memory,
     in transparent huge pages when it is large */
  char *data =
      mmap(NULL, (size_t)len + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) { perror("mmap"); return 2; }
#ifdef MADV_HUGEPAGE
  if ((size_t)len + 1 >= ((size_t)4 << 20)) madvise(data, (size_t)len + 1, MADV_HUGEPAGE);
#endif
  if (fread(data, 1, (size_t)len, in) != (size_t)len) { perror("read"); return 2; }
  fclose(in);

  src source = {data, (size_t)len, 0};
  cookie_io_functions_t io = {src_read, NULL, NULL, NULL};
  FILE *f = fopencookie(&source, "r", io);
  if (!f) { perror("fopencookie"); return 2; }
  __fsetlocking(f, FSETLOCKING_BYCALLER);

  static char *months[][2] = {
      {"jan", "January"}, {"feb", "February"}, {"mar", "March"},     {"apr", "April"},
      {"may", "May"},     {"jun", "June"},     {"jul", "July"},      {"aug", "August"},
      {"sep", "September"}, {"oct", "October"}, {"nov", "November"}, {"dec", "December"}};
  bt_initialize();
  for (size_t i = 0; i < 12; i++) bt_add_macro_text(months[i][0], months[i][1], NULL, 0);
  bt_set_stringopts(BTE_REGULAR, BTO_FULL);
  bt_set_stringopts(BTE_MACRODEF, BTO_MACRO);
  bt_set_stringopts(BTE_PREAMBLE, BTO_FULL);
  bt_set_stringopts(BTE_COMMENT, 0);

  unsigned long entries = 0, fields = 0, bytes = 0;
  for (;;) {
    boolean ok = TRUE;
    AST *ast = bt_parse_entry(f, argv[1], 0, &ok);
    if (!ast) {
      if (feof(f)) break;
      continue;
    }
    if (ok && bt_entry_metatype(ast) == BTE_REGULAR) {
      entries++;
      char *key = bt_entry_key(ast), *type = bt_entry_type(ast), *name = NULL;
      bytes += (key ? strlen(key) : 0) + strlen(type);
      for (AST *fl = NULL; (fl = bt_next_field(ast, fl, &name));) {
        char *text = NULL;
        bt_next_value(fl, NULL, NULL, &text);
        bytes += strlen(name) + (text ? strlen(text) : 0);
        fields++;
      }
    }
    bt_free_ast(ast);
  }
  bt_parse_entry(NULL, NULL, 0, NULL);
  fclose(f);
  munmap(data, (size_t)len + 1);
  bt_cleanup();
  printf("%lu %lu %lu\n", entries, fields, bytes);
  return 0;
}
