/* par.c - ordered blocks on worker threads (README "Performance"): the
   items 0..n-1 are cut into blocks; worker threads render each block into
   its own buffer and findings, and the calling thread hands the blocks on
   in order as soon as each is done. At most a window of blocks is held at
   once, so memory does not grow with n. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/util.h"

unsigned pr_par_threads(unsigned asked, size_t n) {
  if (asked == 1 || n < PR_PAR_MIN_ITEMS) return 1;
  if (asked == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    asked = cores > 0 ? (unsigned)cores : 1;
  }
  if (asked > PR_PAR_MAX_THREADS) asked = PR_PAR_MAX_THREADS;
  return asked;
}

typedef struct slot {
  pr_buf out;
  pr_diags diags;
  int done, failed;
} slot;

typedef struct par {
  const pr_par_job *job;
  pthread_mutex_t mu;
  pthread_cond_t cv;        /* a block done, a slot freed, or stop */
  size_t nblocks, next;     /* the next block a worker takes */
  size_t emitted;           /* blocks handed on */
  size_t window;
  slot *slots;              /* block b in slots[b % window] */
  int stop;
  unsigned started;         /* the workers running */
} par;

static void *worker(void *arg) {
  par *p = arg;
  const pr_par_job *j = p->job;
  pthread_mutex_lock(&p->mu);
  unsigned t = p->started++;
  pthread_mutex_unlock(&p->mu);
  for (;;) {
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->next < p->nblocks && p->next >= p->emitted + p->window)
      pthread_cond_wait(&p->cv, &p->mu);
    if (p->stop || p->next >= p->nblocks) {
      pthread_mutex_unlock(&p->mu);
      return NULL;
    }
    size_t b = p->next++;
    slot *s = &p->slots[b % p->window];
    pthread_mutex_unlock(&p->mu);
    size_t first = b * j->block, count = j->n - first < j->block ? j->n - first : j->block;
    int rc = j->work(j->ctx, t, first, count, &s->out, &s->diags);
    pthread_mutex_lock(&p->mu);
    s->done = 1;
    s->failed = rc != 0;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
  }
}

int pr_par_run(const pr_par_job *j) {
  if (!j->n) return 0;
  par p = {.job = j};
  p.nblocks = (j->n + j->block - 1) / j->block;
  p.window = 2 * (size_t)j->threads + 2;
  if (p.window > p.nblocks) p.window = p.nblocks;
  p.slots = calloc(p.window, sizeof *p.slots);
  pthread_t *tid = calloc(j->threads, sizeof *tid);
  int rc = !p.slots || !tid ? -1 : 0;
  for (size_t i = 0; !rc && i < p.window; i++) p.slots[i].diags.dedupe = j->dedupe;
  if (!rc && (pthread_mutex_init(&p.mu, NULL) || pthread_cond_init(&p.cv, NULL))) rc = -1;
  if (rc) {
    free(p.slots);
    free(tid);
    return -1;
  }
  unsigned nt = 0;
  for (; nt < j->threads; nt++)
    if (pthread_create(&tid[nt], NULL, worker, &p)) break;
  if (!nt) rc = -1;
  for (size_t b = 0; !rc && b < p.nblocks; b++) {
    slot *s = &p.slots[b % p.window];
    pthread_mutex_lock(&p.mu);
    while (!s->done) pthread_cond_wait(&p.cv, &p.mu);
    pthread_mutex_unlock(&p.mu);
    size_t first = b * j->block, count = j->n - first < j->block ? j->n - first : j->block;
    rc = s->failed ? -1 : j->emit(j->ctx, first, count, &s->out, &s->diags);
    s->out.len = 0;
    s->out.failed = 0;
    pr_diags_free(&s->diags);
    s->diags.dedupe = j->dedupe;
    pthread_mutex_lock(&p.mu);
    s->done = 0;
    p.emitted = b + 1;
    if (rc) p.stop = 1;
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
  }
  pthread_mutex_lock(&p.mu);
  p.stop = 1;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for (unsigned i = 0; i < nt; i++) pthread_join(tid[i], NULL);
  for (size_t i = 0; i < p.window; i++) {
    pr_buf_free(&p.slots[i].out);
    pr_diags_free(&p.slots[i].diags);
  }
  pthread_cond_destroy(&p.cv);
  pthread_mutex_destroy(&p.mu);
  free(p.slots);
  free(tid);
  return rc;
}
