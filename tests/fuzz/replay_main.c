/* replay_main.c - run a libFuzzer target as a plain program.
 *
 *   replay_<target> PATH...
 *
 * Calls LLVMFuzzerTestOneInput once for every regular file named on the
 * command line or found (recursively, in sorted order) under a directory
 * named there. Each input is passed in a heap buffer of exactly its size, so
 * AddressSanitizer or valgrind catch a read past its end. Prints the number
 * of inputs replayed; exits 1 if a path cannot be read or no input was found
 * (an empty corpus must not pass silently). A crash in the target is a crash
 * of this program, which is what ctest reports.
 *
 * Built with any C compiler (gcc in the normal builds); the fuzzing build
 * links the same target file with -fsanitize=fuzzer instead.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t replayed;
static int failed;

static int read_file(const char *path, uint8_t **data, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 4096, n = 0;
  uint8_t *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (n < cap) break;
    uint8_t *p = realloc(buf, cap * 2);
    if (!p) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = p;
    cap *= 2;
  }
  int bad = !buf || ferror(f);
  fclose(f);
  if (bad) {
    free(buf);
    return -1;
  }
  /* an exact-size copy: reads past the end are caught */
  uint8_t *exact = malloc(n ? n : 1);
  if (!exact) {
    free(buf);
    return -1;
  }
  memcpy(exact, buf, n);
  free(buf);
  *data = exact;
  *size = n;
  return 0;
}

static void replay_path(const char *path);

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static void replay_dir(const char *dir) {
  struct dirent **list = NULL;
  int n = scandir(dir, &list, NULL, by_name);
  if (n < 0) {
    fprintf(stderr, "replay: cannot read directory %s: %s\n", dir, strerror(errno));
    failed = 1;
    return;
  }
  for (int i = 0; i < n; i++) {
    const char *name = list[i]->d_name;
    if (name[0] != '.') {
      size_t len = strlen(dir) + strlen(name) + 2;
      char *sub = malloc(len);
      if (sub) {
        snprintf(sub, len, "%s/%s", dir, name);
        replay_path(sub);
        free(sub);
      } else {
        failed = 1;
      }
    }
    free(list[i]);
  }
  free(list);
}

static void replay_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
    failed = 1;
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    replay_dir(path);
    return;
  }
  if (!S_ISREG(st.st_mode)) return;
  uint8_t *data;
  size_t size;
  if (read_file(path, &data, &size) != 0) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    failed = 1;
    return;
  }
  if (getenv("PR_REPLAY_VERBOSE")) fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  replayed++;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++) replay_path(argv[i]);
  printf("replayed %zu inputs\n", replayed);
  if (replayed == 0) {
    fprintf(stderr, "replay: no input found\n");
    return 1;
  }
  return failed;
}
