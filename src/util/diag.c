/* diag.c - a list of diagnostics (findings about the input). */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

static int reserve(void **v, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return 0;
  size_t c = *cap ? *cap * 2 : 16;
  void *p = realloc(*v, c * size);
  if (!p) return -1;
  *v = p;
  *cap = c;
  return 0;
}

/* A diagnostic and its text in one allocation, which never moves: a
   pr_diag pointer stays valid until pr_diags_free(). */
typedef struct diag_block {
  pr_diag d;
  char text[]; /* the message, then the file name (escaped) */
} diag_block;

int pr_diagf(pr_diags *d, pr_severity sev, const char *file, unsigned line, const char *fmt,
             ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  file = file ? file : "";
  /* a message quotes input, and a quote may be cut inside a character;
     then what it quotes is escaped, and so is the file name */
  char *fixed = pr_utf8_repair(msg);
  pr_buf b = {0};
  pr_escape_put(&b, fixed ? fixed : msg);
  free(fixed);
  size_t msg_len = b.len;
  pr_buf_putc(&b, '\0');
  pr_escape_put(&b, file);
  pr_buf_putc(&b, '\0');
  if (b.failed) {
    pr_buf_free(&b);
    return -1;
  }
  const char *efile = b.data + msg_len + 1;
  size_t file_len = strlen(efile);
  if (d->dedupe) {
    /* a finding while rendering (a dropped link) is recorded once: a
       second render finds the same ones again */
    pr_buf key = {0};
    pr_buf_printf(&key, "%d:%u\x1f%s\x1f", (int)sev, line, efile);
    pr_buf_put(&key, b.data, msg_len);
    char *k = pr_buf_take(&key);
    int seen = k && pr_map_get(&d->seen, k, NULL);
    if (!k || (!seen && pr_map_put(&d->seen, k, 0))) seen = -1;
    free(k);
    if (seen) {
      pr_buf_free(&b);
      return seen < 0 ? -1 : 0;
    }
  }
  diag_block *blk = NULL;
  if (reserve((void **)&d->v, &d->cap, d->n, sizeof *d->v) ||
      !(blk = malloc(sizeof *blk + msg_len + 1 + file_len + 1))) {
    pr_buf_free(&b);
    return -1;
  }
  memcpy(blk->text, b.data, msg_len);
  blk->text[msg_len] = '\0';
  memcpy(blk->text + msg_len + 1, efile, file_len + 1);
  pr_buf_free(&b);
  blk->d.severity = sev;
  blk->d.file = blk->text + msg_len + 1;
  blk->d.line = line;
  blk->d.column = 0;
  blk->d.message = blk->text;
  d->v[d->n++] = &blk->d;
  if (sev == PR_ERROR) d->nerrors++;
  return 0;
}

void pr_diags_free(pr_diags *d) {
  for (size_t i = 0; i < d->n; i++) free(d->v[i]);
  free(d->v);
  pr_map_free(&d->seen);
  *d = (pr_diags){0};
}
