/* readfile.h - the one way pubrender reads a file it is named: a regular
   file only (a FIFO, device, directory or socket is refused, a link to one
   too: the test is on the opened file), at most a given size, the first
   read error ends it, EINTR is retried. Shared by the library and the CLI
   (compiled into both), so it needs nothing but libc. */
#ifndef PR_READFILE_H
#define PR_READFILE_H
#include <stddef.h>

/* Size limits (README: Security). A .bib may be large (the benchmark reads
   200 MB in 5 s); configuration, data files and templates are small. */
#define PR_READ_MAX_BIB ((size_t)1 << 30)      /* 1 GiB */
#define PR_READ_MAX_SMALL ((size_t)16 << 20)   /* 16 MiB */

/* Open path for reading when it is a regular file of at most max bytes.
   Returns the descriptor (close it) and its size in *size, or -1 with errno
   set and why[] saying what is wrong ("cannot open: No such file or
   directory", "not a regular file (a character device)", "larger than the
   16 MiB limit (...)"). A FIFO is opened without waiting for a writer. */
int pr_open_regular(const char *path, size_t max, size_t *size, char *why, size_t whysize);

/* The whole of the regular file at path (at most max bytes): a new
   NUL-terminated buffer in *data (free()), its length in *len. Returns 0,
   or -1 with errno set (ENOENT when it does not exist) and why[] filled. */
int pr_read_whole(const char *path, size_t max, char **data, size_t *len, char *why,
                  size_t whysize);

/* Read fd to its end into *buf (malloc'd, capacity *cap, *len bytes used,
   always room for a NUL), growing it up to max bytes. Returns 0, or -1 with
   errno set (EFBIG past max) and why[] filled; *buf stays the caller's to
   free either way. */
int pr_read_fd_all(int fd, size_t max, char **buf, size_t *cap, size_t *len, char *why,
                   size_t whysize);
#endif
