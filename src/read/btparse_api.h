/* btparse_api.h - one copy of libbtparse (private to src/read).
 *
 * libbtparse keeps its state in globals, so one copy parses one document
 * at a time. The copy the library is linked with is instance 0; others are
 * loaded with dlmopen(LM_ID_NEWLM) into link namespaces of their own, each
 * with its own C library, so several documents (or pieces of one) can be
 * parsed at once (btparse_ns.c). Every call into a copy goes through its
 * table below; text a copy allocates is freed with the copy's own free.
 */
#ifndef PR_BTPARSE_API_H
#define PR_BTPARSE_API_H
/* (includers define _GNU_SOURCE first: cookie_io_functions_t) */
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <btparse.h>

/* btparse's functions that pubrender replaces in each copy (through its
   GOT, btparse_glue.c): the copy's originals. */
typedef struct pr_bt_real {
  void (*postprocess_entry)(AST *, btshort);
  void (*print_error)(bt_error *);
  void (*zzsyn)(char *, int, char *, void *, int, int, char *);
  void (*fields)(AST **), (*field)(AST **);
  char *(*zzs_strdup)(char *);
  void (*usage_error)(char *, ...), (*internal_error)(char *, ...);
} pr_bt_real;

typedef struct pr_bt_arena pr_bt_arena;

typedef struct pr_bt_inst {
  pthread_mutex_t lock;            /* held by the one parse using this copy */
  void *handle;                    /* dlmopen's handle (NULL for instance 0) */
  uintptr_t base;                  /* instance 0's load address (its GOT is patched there) */
  int hooks;                       /* -1 not tried, 0 failed, 1 installed */
  int ready;                       /* bt_initialize() has run */
  pr_bt_arena *names;              /* macro names (hook_zzs_strdup), freed per document */
  pr_bt_real real;
  /* the copy's libbtparse */
  void (*initialize)(void);
  void (*cleanup)(void);
  AST *(*parse_entry)(FILE *, char *, btshort, boolean *);
  bt_metatype (*entry_metatype)(AST *);
  char *(*entry_key)(AST *);
  char *(*entry_type)(AST *);
  AST *(*next_field)(AST *, AST *, char **);
  AST *(*next_value)(AST *, AST *, bt_nodetype *, char **);
  void (*postprocess_entry)(AST *, btshort);
  char *(*macro_text)(char *, char *, int);
  void (*add_macro_text)(char *, char *, char *, int);
  void (*delete_macro)(char *);
  char *(*get_text)(AST *);
  void (*free_ast)(AST *);
  void (*set_stringopts)(bt_metatype, btshort);
  void (**zzerr)(const char *);    /* DLG's lexer-error pointer */
  int *zzline;
  /* the copy's C library: its FILEs are its own */
  FILE *(*fopencookie)(void *, const char *, cookie_io_functions_t);
  int (*fsetlocking)(FILE *, int);
  int (*fclose)(FILE *);
  int (*feof)(FILE *);
  void (*free)(void *);
  void (*ctype_init)(void);        /* a new thread's ctype tables (NULL: instance 0) */
} pr_bt_inst;

/* Instance 0, the linked copy (its lock taken and given back by the caller). */
pr_bt_inst *pr_bt_inst0(void);
/* Up to max idle copies of other namespaces, loaded on first use (at most
   PR_BT_MAX_NS in a process), each locked for the caller: how many were put
   in out. 0 where dlmopen is not available or under AddressSanitizer. */
#define PR_BT_MAX_NS 15
size_t pr_bt_inst_acquire(pr_bt_inst **out, size_t max);
void pr_bt_inst_release(pr_bt_inst *in);
/* Point the copy's references at pubrender's hooks (btparse_glue.c), with
   its lock held, before it parses: 1 when they are in place (tried once). */
int pr_bt_install_hooks(pr_bt_inst *in);

#endif
