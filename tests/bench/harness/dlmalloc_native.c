/* dlmalloc_native.c: emscripten's own dlmalloc (the wasm peer of the
 * benchmark, -sMALLOC=dlmalloc) compiled natively with the settings
 * emscripten gives it (no mmap, no trimming, no locks, no stats), and
 * malloc/free/realloc/calloc routed to it, so bench-native-dlmalloc's libc
 * replay runs dlmalloc's own code and callgrind can count its
 * instructions per op beside fast's (c/Makefile bench-native-dlmalloc;
 * fit.c's essay, "limit"). Not part of the benchmark's tables.
 */
#define _DEFAULT_SOURCE /* sbrk, under -std=c11 */
#include <stddef.h>

#define HAVE_MMAP 0
#define MORECORE_CANNOT_TRIM 1
#define USE_LOCKS 0
#define NO_MALLOC_STATS 1
#include DLMALLOC_C /* the path: c/Makefile */

void *malloc(size_t n) { return dlmalloc(n); }
void free(void *p) { dlfree(p); }
void *realloc(void *p, size_t n) { return dlrealloc(p, n); }
void *calloc(size_t n, size_t size) { return dlcalloc(n, size); }
void *memalign(size_t align, size_t n) { return dlmemalign(align, n); }
void *aligned_alloc(size_t align, size_t n) { return dlmemalign(align, n); }
int posix_memalign(void **out, size_t align, size_t n) { return dlposix_memalign(out, align, n); }
size_t malloc_usable_size(void *p) { return dlmalloc_usable_size(p); }
