/* test_threads.c - the library from 8 threads at once: each thread parses
   and renders different documents (every format, diagnostics included), and
   every result must equal the single-threaded one. Then 8 threads render
   one shared const bibliography (HTML, Markdown, JSON, CSL-JSON, and HTML
   and Markdown from a template directory), each with a report of its own:
   equal bytes, equal findings, and the bib unchanged. btparse runs behind the
   library's one lock; everything after parsing runs in parallel. Built
   normally (ctest unit_threads) and with -fsanitize=thread in its own
   configuration (ctest threads_tsan, tests/tsan_test.sh).
   Usage: test_threads [FILE.bib...]; run from the source root without
   arguments it reads data/pubs.bib, tests/hostile/hostile.bib, the tests'
   own corpus (tests/corpus) and, when it is beside us, ../shared/corpus. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pubrender.h>
#include "harness.h"

#define THREADS 8
#define ROUNDS 3
#define MAX_DOCS 64

typedef struct {
  char *name, *data;
  size_t len;
  char *expected;      /* the single-threaded result */
} doc;

static doc docs[MAX_DOCS];
static size_t ndocs;
static const pr_options *shared_opts[4];   /* read by every thread at once */
static pthread_barrier_t start;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
    n += r;
    if (n == cap) {
      char *b = realloc(buf, cap *= 2);
      if (!b) { free(buf); buf = NULL; }
      buf = b;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

static void add_doc(const char *path) {
  if (ndocs == MAX_DOCS) return;
  size_t len;
  char *data = slurp(path, &len);
  if (!data) return;
  docs[ndocs].name = strdup(path);
  docs[ndocs].data = data;
  docs[ndocs].len = len;
  ndocs++;
}

/* Appends to a growing string. */
typedef struct { char *s; size_t n, cap; } sbuf;
static void put(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t cap = (b->n + n + 1) * 2;
    char *p = realloc(b->s, cap);
    if (!p) abort();
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

/* Everything the library says about one document: the records walked
   through the getters, the rendering in every format, the diagnostics. */
static char *process(const doc *d) {
  sbuf out = {0};
  put(&out, "", 0);
  pr_bib *bib = pr_bib_new();
  pr_error err;
  if (!bib || pr_bib_add_buffer(bib, d->data, d->len, d->name, &err) != PR_OK) {
    put(&out, "parse failed", 12);
    pr_bib_free(bib);
    return out.s;
  }
  for (size_t i = 0; i < pr_bib_count(bib); i++) {
    const pr_entry *e = pr_bib_entry(bib, i);
    char line[512];
    const pr_name *n = pr_entry_name(e, "author", 0);
    char *title = pr_entry_field_text(e, "title");
    int len = snprintf(line, sizeof line, "%s %d %s %s\n", pr_entry_key(e), pr_entry_year(e),
                       n ? pr_name_display(n) : "-", title ? title : "-");
    put(&out, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
    pr_free(title);
  }
  pr_report *rep = pr_report_new();
  for (int f = 0; f < 4; f++) {
    char *s = NULL;
    size_t len = 0;
    if (pr_render_string(bib, shared_opts[f], &s, &len, rep, &err) == PR_OK) put(&out, s, len);
    else put(&out, err.message, strlen(err.message));
    pr_free(s);
  }
  for (size_t i = 0; i < pr_report_diag_count(rep); i++) {
    char line[1400];
    pr_diag_format(pr_report_diag(rep, i), line, sizeof line);
    put(&out, line, strlen(line));
    put(&out, "\n", 1);
  }
  pr_report_free(rep);
  for (size_t i = 0; i < pr_bib_diag_count(bib); i++) {
    char line[1400];
    pr_diag_format(pr_bib_diag(bib, i), line, sizeof line);
    put(&out, line, strlen(line));
    put(&out, "\n", 1);
  }
  pr_bib_free(bib);
  return out.s;
}

static void *worker(void *arg) {
  size_t id = (size_t)arg, *mismatches = calloc(1, sizeof *mismatches);
  pthread_barrier_wait(&start);
  /* Every thread starts at another document, so different documents are
     parsed and rendered at the same moment. */
  for (size_t r = 0; r < ROUNDS; r++)
    for (size_t k = 0; k < ndocs; k++) {
      const doc *d = &docs[(id + k) % ndocs];
      char *got = process(d);
      if (strcmp(got, d->expected) != 0) {
        printf("thread %zu, %s: result differs from the single-threaded one\n", id, d->name);
        (*mismatches)++;
      }
      free(got);
    }
  return mismatches;
}

/* ---- one bibliography shared by every thread ---- */

#define NSHARED 6
static const pr_bib *shared_bib;
static const pr_options *shared_render_opts[NSHARED];
static char *shared_expected[NSHARED];

/* One render of the shared bib: the bytes, then the report (diagnostics
   with code, key and field, and the template files read). */
static char *render_shared(int k) {
  sbuf out = {0};
  put(&out, "", 0);
  pr_report *rep = pr_report_new();
  pr_error err;
  char *s = NULL;
  size_t len = 0;
  if (pr_render_string(shared_bib, shared_render_opts[k], &s, &len, rep, &err) == PR_OK)
    put(&out, s, len);
  else
    put(&out, err.message, strlen(err.message));
  pr_free(s);
  for (size_t i = 0; i < pr_report_diag_count(rep); i++) {
    const pr_diag *d = pr_report_diag(rep, i);
    char msg[800], line[1600];
    int n = snprintf(line, sizeof line, "%s [%s %s %s]\n", pr_diag_format(d, msg, sizeof msg),
                     pr_diag_code(d), pr_diag_key(d) ? pr_diag_key(d) : "-",
                     pr_diag_field(d) ? pr_diag_field(d) : "-");
    put(&out, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
  }
  for (size_t i = 0; i < pr_report_file_count(rep); i++) {
    put(&out, pr_report_file(rep, i), strlen(pr_report_file(rep, i)));
    put(&out, "\n", 1);
  }
  pr_report_free(rep);
  return out.s;
}

static void *shared_worker(void *arg) {
  size_t id = (size_t)arg, *mismatches = calloc(1, sizeof *mismatches);
  pthread_barrier_wait(&start);
  for (size_t r = 0; r < ROUNDS; r++)
    for (int k = 0; k < NSHARED; k++) {
      int which = (int)((id + (size_t)k) % NSHARED);
      char *got = render_shared(which);
      if (strcmp(got, shared_expected[which]) != 0) {
        printf("thread %zu, shared render %d: differs from the single-threaded one\n", id, which);
        (*mismatches)++;
      }
      free(got);
    }
  return mismatches;
}

/* Every .bib file in DIR, in directory order; 0 when DIR is not there. */
static int add_dir(const char *dir_path) {
  DIR *dir = opendir(dir_path);
  if (!dir) return 0;
  struct dirent *de;
  while ((de = readdir(dir))) {
    size_t n = strlen(de->d_name);
    if (n > 4 && strcmp(de->d_name + n - 4, ".bib") == 0) {
      char path[600];
      snprintf(path, sizeof path, "%s/%s", dir_path, de->d_name);
      add_doc(path);
    }
  }
  closedir(dir);
  return 1;
}

int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 1; i < argc; i++) add_doc(argv[i]);
  } else {
    add_doc("data/pubs.bib");
    add_doc("tests/hostile/hostile.bib");
    add_dir("tests/corpus");
    if (!add_dir("../shared/corpus")) printf("note: ../shared/corpus is not there: not read\n");
  }
  CHECK(ndocs >= 2);
  pr_format formats[4] = {PR_FORMAT_HTML, PR_FORMAT_MARKDOWN, PR_FORMAT_JSON, PR_FORMAT_CSL_JSON};
  for (int f = 0; f < 4; f++) {
    pr_options *o = pr_options_new();
    pr_options_set_format(o, formats[f]);
    pr_options_add_highlight(o, "Byungsoo Oh");
    shared_opts[f] = o;
  }
  for (size_t i = 0; i < ndocs; i++) docs[i].expected = process(&docs[i]);
  /* The single-threaded result is itself deterministic. */
  char *again = process(&docs[0]);
  CHECK_STR(again, docs[0].expected);
  free(again);

  pthread_t t[THREADS];
  pthread_barrier_init(&start, NULL, THREADS);
  for (size_t i = 0; i < THREADS; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
  size_t total = 0;
  for (size_t i = 0; i < THREADS; i++) {
    void *res;
    pthread_join(t[i], &res);
    total += res ? *(size_t *)res : 1;
    free(res);
  }
  pthread_barrier_destroy(&start);
  printf("%zu documents x %d rounds x %d threads\n", ndocs, ROUNDS, THREADS);
  CHECK_INT(total, 0);

  /* one bibliography, every document of it, rendered by every thread */
  {
    pr_bib *bib = pr_bib_new();
    for (size_t i = 0; i < ndocs; i++)
      CHECK_INT(pr_bib_add_buffer(bib, docs[i].data, docs[i].len, docs[i].name, NULL), PR_OK);
    shared_bib = bib;
    size_t ndiag = pr_bib_diag_count(bib);
    const pr_diag *d0 = ndiag ? pr_bib_diag(bib, 0) : NULL;
    for (int k = 0; k < NSHARED; k++) {
      pr_options *o = pr_options_new();
      static const pr_format f[NSHARED] = {PR_FORMAT_HTML, PR_FORMAT_MARKDOWN, PR_FORMAT_JSON,
                                           PR_FORMAT_CSL_JSON, PR_FORMAT_HTML,
                                           PR_FORMAT_MARKDOWN};
      pr_options_set_format(o, f[k]);
      pr_options_add_highlight(o, "Byungsoo Oh");
      if (k >= 4) { /* the built-in templates' directory, as a user's */
        CHECK_INT(pr_options_set_template_dir(o, "templates", NULL), PR_OK);
        pr_options_set_standalone(o, 1);
      }
      shared_render_opts[k] = o;
      shared_expected[k] = render_shared(k);
    }
    /* the template directory's files are listed (standalone: the css too) */
    CHECK(strstr(shared_expected[4], "templates/html/entry.mustache\n") != NULL);
    CHECK(strstr(shared_expected[4], "templates/pubrender.css\n") != NULL);
    CHECK(strstr(shared_expected[5], "templates/markdown/entry.mustache\n") != NULL);
    CHECK(strstr(shared_expected[0], ".mustache\n") == NULL);
    pthread_barrier_init(&start, NULL, THREADS);
    for (size_t i = 0; i < THREADS; i++)
      CHECK(pthread_create(&t[i], NULL, shared_worker, (void *)i) == 0);
    total = 0;
    for (size_t i = 0; i < THREADS; i++) {
      void *res;
      pthread_join(t[i], &res);
      total += res ? *(size_t *)res : 1;
      free(res);
    }
    pthread_barrier_destroy(&start);
    printf("one shared bibliography (%zu entries) x %d renders x %d rounds x %d threads\n",
           pr_bib_count(bib), NSHARED, ROUNDS, THREADS);
    CHECK_INT(total, 0);
    /* the renders changed nothing in the bib */
    CHECK_INT(pr_bib_diag_count(bib), ndiag);
    CHECK(!ndiag || pr_bib_diag(bib, 0) == d0);
    for (int k = 0; k < NSHARED; k++) {
      pr_options_free((pr_options *)shared_render_opts[k]);
      free(shared_expected[k]);
    }
    pr_bib_free(bib);
  }
  for (int f = 0; f < 4; f++) pr_options_free((pr_options *)shared_opts[f]);
  for (size_t i = 0; i < ndocs; i++) {
    free(docs[i].name);
    free(docs[i].data);
    free(docs[i].expected);
  }
  return tests_done();
}
