/* load.c - adding a document to a bibliography: read, decode, parse, resolve. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "model/model.h"
#include "util/readfile.h"

/* Decode, parse, then resolve what the new entries refer to. Takes in. */
static pr_status add_document(pr_bib *bib, pr_input *in, const char *name, pr_error *err) {
  const char *file = pr_bib_add_file_name(bib, name);
  size_t first = bib->n;
  pr_status st = PR_ERR_NOMEM;
  pr_read_sink sink;
  pr_bib_sink(bib, &sink);
  if (file && pr_preamble_begin(bib, file) == 0 &&
      pr_decode_input(&bib->diags, file, in, bib->encoding) == 0)
    st = pr_bt_parse(&sink, in, file, err);
  pr_input_free(in);
  if (st == PR_OK && pr_preamble_apply(bib, first, 0)) st = PR_ERR_NOMEM;
  if (st == PR_OK && pr_resolve_new_entries(bib, first)) st = PR_ERR_NOMEM;
  if (st == PR_ERR_NOMEM) pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
  return st;
}

pr_status pr_bib_add_buffer(pr_bib *bib, const char *data, size_t len, const char *name,
                            pr_error *err) {
  if (!bib || (!data && len)) {
    pr_set_error(err, PR_ERR_ARG, name, 0, "no bibliography or no data");
    return PR_ERR_ARG;
  }
  pr_input in;
  if (pr_input_from_buffer(&in, data, len)) {
    pr_set_error(err, PR_ERR_NOMEM, name, 0, "out of memory");
    return PR_ERR_NOMEM;
  }
  return add_document(bib, &in, name ? name : "<buffer>", err);
}

pr_status pr_bib_add_file(pr_bib *bib, const char *path, pr_error *err) {
  if (!bib || !path) {
    pr_set_error(err, PR_ERR_ARG, path, 0, "no bibliography or no path");
    return PR_ERR_ARG;
  }
  /* a named file must be a regular one (a FIFO or device could block or
     never end); standard input may be a pipe, read to its end */
  int is_stdin = strcmp(path, "-") == 0;
  char why[200];
  size_t size;
  int fd = is_stdin ? STDIN_FILENO : pr_open_regular(path, PR_READ_MAX_BIB, &size, why, sizeof why);
  if (fd < 0) {
    pr_set_error(err, PR_ERR_IO, path, 0, "%s", why);
    return PR_ERR_IO;
  }
  pr_input in;
  int rc = pr_input_read_fd(&in, fd, PR_READ_MAX_BIB);
  int saved = errno;
  if (!is_stdin) close(fd);
  if (rc) {
    if (saved == EFBIG)
      pr_set_error(err, PR_ERR_IO, path, 0, "larger than the %zu GiB limit", PR_READ_MAX_BIB >> 30);
    else pr_set_error(err, PR_ERR_IO, path, 0, "cannot read: %s", strerror(saved));
    return PR_ERR_IO;
  }
  return add_document(bib, &in, is_stdin ? "<stdin>" : path, err);
}
