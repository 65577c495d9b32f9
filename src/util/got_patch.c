/* got_patch.c - point a loaded shared library's references to some of its
 * own functions at ours, by rewriting its relocated slots (GOT entries and
 * pointer-sized data relocations) in memory.
 *
 * Why: libbtparse calls print_error, zzsyn, fields, field, zzs_strdup,
 * usage_error and internal_error through its GOT (see btparse_glue.c).
 * Defining those names in our library only wins when libpubrender comes
 * before libbtparse in the process's symbol lookup order; a program that
 * itself links -lbtparse first, or a dlopen(RTLD_LOCAL), would silently get
 * btparse's printing and exit()ing versions. Rewriting the slots makes the
 * hooks independent of link order. Debian's libbtparse is linked with full
 * RELRO, so the slots are made writable for the write and read-only again.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "util/util.h"

#if defined(__x86_64__)
#define R_SLOT(t) ((t) == R_X86_64_JUMP_SLOT || (t) == R_X86_64_GLOB_DAT || (t) == R_X86_64_64)
#elif defined(__aarch64__)
#define R_SLOT(t) ((t) == R_AARCH64_JUMP_SLOT || (t) == R_AARCH64_GLOB_DAT || (t) == R_AARCH64_ABS64)
#else
#define R_SLOT(t) 0 /* unknown architecture: nothing is patched, the caller sees it */
#endif

typedef struct patch_job {
  const char *soname;          /* substring of the library's path */
  uintptr_t base;              /* its load address, or 0: every copy loaded */
  const pr_got_hook *hooks;
  size_t n;
  size_t *patched;             /* per hook: slots rewritten */
  int found;                   /* the library is loaded */
} patch_job;

static uintptr_t abs_addr(const struct dl_phdr_info *info, ElfW(Addr) p) {
  /* glibc relocates most d_ptr entries of a loaded object; others don't */
  return p < info->dlpi_addr ? info->dlpi_addr + p : p;
}

static int write_slot(void **slot, void (*fn)(void), uintptr_t relro_lo, uintptr_t relro_hi) {
  uintptr_t a = (uintptr_t)slot;
  void *value;
  memcpy(&value, &fn, sizeof value); /* POSIX: function and data pointers convert */
  if (*slot == value) return 0;
  int in_relro = a >= relro_lo && a < relro_hi;
  long page = sysconf(_SC_PAGESIZE);
  void *start = (void *)(a & ~((uintptr_t)page - 1));
  size_t len = (size_t)page * ((a % (uintptr_t)page) + sizeof value > (size_t)page ? 2 : 1);
  if (in_relro && mprotect(start, len, PROT_READ | PROT_WRITE) != 0) return -1;
  *slot = value;
  if (in_relro) mprotect(start, len, PROT_READ);
  return 0;
}

static void patch_table(const struct dl_phdr_info *info, patch_job *job, const ElfW(Rela) *rel,
                        size_t count, const ElfW(Sym) *symtab, const char *strtab,
                        uintptr_t relro_lo, uintptr_t relro_hi) {
  for (size_t i = 0; i < count; i++) {
    unsigned long type = ELF64_R_TYPE(rel[i].r_info);
    if (!R_SLOT(type)) continue;
    const char *name = strtab + symtab[ELF64_R_SYM(rel[i].r_info)].st_name;
    for (size_t h = 0; h < job->n; h++) {
      if (strcmp(name, job->hooks[h].name) != 0) continue;
      void **slot = (void **)(info->dlpi_addr + rel[i].r_offset);
      if (write_slot(slot, job->hooks[h].fn, relro_lo, relro_hi) == 0) job->patched[h]++;
    }
  }
}

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  patch_job *job = data;
  if (!info->dlpi_name || !strstr(info->dlpi_name, job->soname)) return 0;
  if (job->base && info->dlpi_addr != job->base) return 0;
  job->found = 1;
  const ElfW(Dyn) *dyn = NULL;
  uintptr_t relro_lo = 0, relro_hi = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)(info->dlpi_addr + ph->p_vaddr);
    if (ph->p_type == PT_GNU_RELRO) {
      relro_lo = info->dlpi_addr + ph->p_vaddr;
      relro_hi = relro_lo + ph->p_memsz;
    }
  }
  if (!dyn) return 1;
  const ElfW(Sym) *symtab = NULL;
  const char *strtab = NULL;
  const ElfW(Rela) *rela = NULL, *jmprel = NULL;
  size_t relasz = 0, pltrelsz = 0;
  long pltrel = DT_RELA;
  for (; dyn->d_tag != DT_NULL; dyn++) {
    switch (dyn->d_tag) {
    case DT_SYMTAB: symtab = (const ElfW(Sym) *)abs_addr(info, dyn->d_un.d_ptr); break;
    case DT_STRTAB: strtab = (const char *)abs_addr(info, dyn->d_un.d_ptr); break;
    case DT_RELA: rela = (const ElfW(Rela) *)abs_addr(info, dyn->d_un.d_ptr); break;
    case DT_RELASZ: relasz = dyn->d_un.d_val; break;
    case DT_JMPREL: jmprel = (const ElfW(Rela) *)abs_addr(info, dyn->d_un.d_ptr); break;
    case DT_PLTRELSZ: pltrelsz = dyn->d_un.d_val; break;
    case DT_PLTREL: pltrel = (long)dyn->d_un.d_val; break;
    default: break;
    }
  }
  if (!symtab || !strtab) return 1;
  if (rela)
    patch_table(info, job, rela, relasz / sizeof *rela, symtab, strtab, relro_lo, relro_hi);
  if (jmprel && pltrel == DT_RELA)
    patch_table(info, job, jmprel, pltrelsz / sizeof *jmprel, symtab, strtab, relro_lo,
                relro_hi);
  return 1;
}

/* dl_iterate_phdr lists only the caller's link namespace: a copy in another
   one (dlmopen) is found from its handle, its program headers from its ELF
   header (mapped at its base, as the first loadable segment starts at
   offset 0). */
int pr_got_patch_handle(void *handle, const pr_got_hook *hooks, size_t n, size_t *patched) {
  struct link_map *lm = NULL;
  for (size_t i = 0; i < n; i++) patched[i] = 0;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &lm) != 0 || !lm || !lm->l_addr) return 0;
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)lm->l_addr;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_phentsize != sizeof(ElfW(Phdr)))
    return 0;
  struct dl_phdr_info info = {.dlpi_addr = lm->l_addr,
                              .dlpi_name = lm->l_name,
                              .dlpi_phdr = (const ElfW(Phdr) *)(lm->l_addr + eh->e_phoff),
                              .dlpi_phnum = eh->e_phnum};
  patch_job job = {"", 0, hooks, n, patched, 0};
  visit(&info, sizeof info, &job);
  return job.found;
}

int pr_got_patch(const char *soname, uintptr_t base, const pr_got_hook *hooks, size_t n,
                 size_t *patched) {
  patch_job job = {soname, base, hooks, n, patched, 0};
  for (size_t i = 0; i < n; i++) patched[i] = 0;
  dl_iterate_phdr(visit, &job); /* every link namespace's objects (glibc) */
  return job.found;
}
