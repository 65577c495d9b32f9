/* btparse_ns.c - copies of libbtparse: the linked one (instance 0) and
 * others in link namespaces of their own (btparse_api.h).
 *
 * dlmopen(LM_ID_NEWLM) loads libbtparse with a C library of its own into a
 * new namespace: its globals are its own, so each copy parses on its own
 * thread. That copy's C library has not set up its ctype tables for
 * threads it did not start (btparse's strlwr crashes): a thread calls the
 * copy's __ctype_init before using it. Streams are opened with the copy's
 * fopencookie (its stdio checks that a FILE's functions are its own).
 * glibc allows 16 namespaces; the process's own is one of them. ASan builds
 * use instance 0 alone: ASan's allocator does not follow a second C
 * library (ThreadSanitizer's does not need to: a copy is used by one
 * thread at a time, handed over under its lock).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include "read/btparse_api.h"

#if defined(__SANITIZE_ADDRESS__)
#define NS_AVAILABLE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NS_AVAILABLE 0
#endif
#endif
#ifndef NS_AVAILABLE
#define NS_AVAILABLE 1
#endif

extern void (*zzerr)(const char *);
extern int zzline;

static pr_bt_inst inst0 = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .hooks = -1,
    .initialize = bt_initialize,
    .cleanup = bt_cleanup,
    .parse_entry = bt_parse_entry,
    .entry_metatype = bt_entry_metatype,
    .entry_key = bt_entry_key,
    .entry_type = bt_entry_type,
    .next_field = bt_next_field,
    .next_value = bt_next_value,
    .postprocess_entry = bt_postprocess_entry,
    .macro_text = bt_macro_text,
    .add_macro_text = bt_add_macro_text,
    .delete_macro = bt_delete_macro,
    .get_text = bt_get_text,
    .free_ast = bt_free_ast,
    .set_stringopts = bt_set_stringopts,
    .zzerr = &zzerr,
    .zzline = &zzline,
    .fopencookie = fopencookie,
    .fsetlocking = __fsetlocking,
    .fclose = fclose,
    .feof = feof,
    .free = free,
};

pr_bt_inst *pr_bt_inst0(void) { return &inst0; }

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pr_bt_inst *pool[PR_BT_MAX_NS];
static size_t npool;
static int pool_failed;            /* a load failed: no more are tried */

/* Look up each symbol of the copy; 0 when one is missing. */
static int bind(pr_bt_inst *in, void *h) {
  struct { void *slot; const char *name; } syms[] = {
      {&in->initialize, "bt_initialize"},         {&in->cleanup, "bt_cleanup"},
      {&in->parse_entry, "bt_parse_entry"},       {&in->entry_metatype, "bt_entry_metatype"},
      {&in->entry_key, "bt_entry_key"},           {&in->entry_type, "bt_entry_type"},
      {&in->next_field, "bt_next_field"},         {&in->next_value, "bt_next_value"},
      {&in->postprocess_entry, "bt_postprocess_entry"}, {&in->macro_text, "bt_macro_text"},
      {&in->add_macro_text, "bt_add_macro_text"}, {&in->delete_macro, "bt_delete_macro"},
      {&in->get_text, "bt_get_text"},             {&in->free_ast, "bt_free_ast"},
      {&in->set_stringopts, "bt_set_stringopts"}, {&in->zzerr, "zzerr"},
      {&in->zzline, "zzline"},                    {&in->fopencookie, "fopencookie"},
      {&in->fsetlocking, "__fsetlocking"},        {&in->fclose, "fclose"},
      {&in->feof, "feof"},                        {&in->free, "free"},
      {&in->ctype_init, "__ctype_init"},
  };
  for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
    void *p = dlsym(h, syms[i].name); /* the copy's, or its C library's */
    if (!p) return 0;
    memcpy(syms[i].slot, &p, sizeof p);
  }
  return 1;
}

/* Load a copy into a new namespace; NULL on failure. */
static pr_bt_inst *load(void) {
  void *h = dlmopen(LM_ID_NEWLM, "libbtparse.so.2", RTLD_NOW | RTLD_LOCAL);
  if (!h) return NULL;
  pr_bt_inst *in = calloc(1, sizeof *in);
  if (!in || !bind(in, h) || pthread_mutex_init(&in->lock, NULL) != 0) {
    free(in);
    dlclose(h);
    return NULL;
  }
  in->handle = h;
  in->hooks = -1;
  in->ctype_init(); /* this thread's, in that C library */
  return in;
}

size_t pr_bt_inst_acquire(pr_bt_inst **out, size_t max) {
  size_t got = 0;
  if (!NS_AVAILABLE || !max) return 0;
  pthread_mutex_lock(&pool_lock);
  for (size_t i = 0; i < npool && got < max; i++)
    if (pthread_mutex_trylock(&pool[i]->lock) == 0) out[got++] = pool[i];
  while (got < max && npool < PR_BT_MAX_NS && !pool_failed) {
    pr_bt_inst *in = load();
    if (!in) {
      pool_failed = 1;
      break;
    }
    pool[npool++] = in;
    pthread_mutex_lock(&in->lock);
    out[got++] = in;
  }
  pthread_mutex_unlock(&pool_lock);
  return got;
}

void pr_bt_inst_release(pr_bt_inst *in) { pthread_mutex_unlock(&in->lock); }
