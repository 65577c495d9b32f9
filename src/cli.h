/* cli.h - what the pubrender command's source files share (not the library). */
#ifndef PR_CLI_H
#define PR_CLI_H
#include <stddef.h>
#include <pubrender.h>

enum { EXIT_CLEAN = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

typedef struct {
  char **v;
  size_t n;
} pathlist;

typedef struct {
  char **inputs;            /* the .bib files of the command line */
  int ninputs;
  pr_options *opts;
  int encoding;             /* -1: not given */
  const char *output, *depfile;
  int check, keep_going, watch;
  pathlist read;            /* the files the last run read */
} run_ctx;

/* What happened to the output, for --watch's messages. */
enum { OUT_NONE, OUT_WRITTEN, OUT_UNCHANGED, OUT_KEPT };

/* cli_files.c */
int write_atomically(const char *path, const char *data, size_t len);
char *read_file(const char *path, size_t *len);
/* 1 when the file at path holds exactly data. */
int same_content(const char *path, const char *data, size_t len);
/* Write only when the content differs; *written tells whether it did. */
int write_if_changed(const char *path, const char *data, size_t len, int *written);
void pathlist_clear(pathlist *l);
/* Every file a run reads goes through here. */
void note_input(pathlist *l, const char *path);
int write_depfile(const char *depfile, const char *target, const pathlist *in);
void diff_summary(const char *path, const char *old, size_t oldlen, const char *cur,
                  size_t curlen);

/* cli.c */
int render_once(run_ctx *c, int *what);
void cli_report(const run_ctx *c, int what);

/* cli_watch.c */
int watch_loop(run_ctx *c);
#endif
