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
  int string_scope;         /* pr_string_scope; -1: not given */
  const char *output, *depfile;
  int check, keep_going, watch;
  int quiet, strict, all_warnings;
  size_t own_warnings;      /* the command's own warnings in the last run */
  pathlist read;            /* the files the last run read */
  pr_site *site;            /* --site DIR: its warnings are printed by every run */
  char **site_inputs;       /* the site's .bib files when none is on the command line */
} run_ctx;

/* What the command line asks besides a render. */
typedef struct {
  const char *css;          /* --css FILE */
  int done;                 /* --help or --version: nothing more to do */
} cli_run;

/* An output file and the option that named it ("-o", "--css"). */
typedef struct {
  const char *opt, *path;
} named_path;

/* cli_files.c */
/* Where writing path lands (after every symbolic link: *file, malloc'd) and
   whether it is written in place (*direct: a FIFO, a device, /dev/stdout). */
int output_target(const char *path, char **file, int *direct);
char *read_file(const char *path, size_t *len);
/* 1 when the file at path holds exactly data. */
int same_content(const char *path, const char *data, size_t len);
/* Write only when the content differs (a regular file: atomically, through
   links; a FIFO or device: directly); *written tells whether it did. */
int write_if_changed(const char *path, const char *data, size_t len, int *written);
void pathlist_clear(pathlist *l);
/* Every file a run reads goes through here. */
void note_input(pathlist *l, const char *path);
/* The files a template directory can give a render (pubrender.css,
   FOLDER/NAME.mustache). */
void note_template_dir(pathlist *l, const char *dir);
/* The Make rule a depfile holds; -1 with the name it cannot hold and why. */
int depfile_text(const char *target, const pathlist *in, char **text, size_t *len,
                 const char **bad, char **why);
/* A file name for a message, control characters escaped; malloc'd. */
char *shown_name(const char *name);
/* 0 when no output is an input or another output (the same file, however
   named); else prints which and returns -1. */
int check_outputs(const named_path *out, size_t nout, const pathlist *in);

/* cli_diff.c: how FILE differs from what --check rendered, on stderr. */
void diff_summary(const char *path, const char *old, size_t oldlen, const char *cur,
                  size_t curlen);

/* cli_diags.c */
/* Print the diagnostics of bib (parsing), then those of report (the
   render), as the run asks (--quiet, --strict, --all-warnings) and count
   them (the command's own warnings included). */
void print_diags(const run_ctx *c, const pr_bib *bib, const pr_report *report, size_t *warnings,
                 size_t *errors);
/* A warning of the command's own, "FILE:LINE: warning: MSG". */
void cli_warning(run_ctx *c, const char *file, unsigned line, const char *msg);
/* The line saying what -o did ("written" or "unchanged"), unless --quiet. */
void report_output(const run_ctx *c, size_t entries, size_t warnings, size_t errors,
                   int written);
/* n with thousands separators ("61,919"), in buf. */
const char *count_text(size_t n, char buf[32]);

/* cli_args.c: argv into c and run, the configuration file read; an exit
   status (EXIT_CLEAN also after --help, with run->done set). */
int parse_args(int argc, char **argv, run_ctx *c, cli_run *run);

/* cli.c */
int render_once(run_ctx *c);
/* The settings files a run depends on (configuration, venues, co-authors). */
void note_settings(run_ctx *c);
/* 1 when path's name says BibTeX (.bib, .bibtex). */
int bibtex_name(const char *path);

/* cli_watch.c */
int watch_loop(run_ctx *c);
#endif
