/*
 * mm_hostile.c: a bump allocator that misbehaves on cue, for tests/mm: the
 * scorer must survive it and name the op. A request of 1313 bytes writes
 * through a NULL pointer (a crash), one of 1717 bytes never returns (a hang),
 * one of 1919 bytes calls exit(7). Everything else is a correct bump
 * allocator that never reuses memory, so a trace asking for more than 20 MB
 * in total runs out of heap (mm_malloc returns NULL when mem_sbrk refuses).
 */
#include <stdlib.h>
#include "memlib.h"
#include "mm.h"

int mm_init(void) { return 0; }

void *mm_malloc(size_t size) {
    if (size == 1313) *(volatile int *)0 = 1;
    if (size == 1717) for (volatile int spin = 1; spin;) {}
    if (size == 1919) exit(7);
    char *p = mem_sbrk((int)((size + 7) & ~(size_t)7));
    return p == (void *)-1 ? NULL : p;
}

void mm_free(void *ptr) { (void)ptr; }

void *mm_realloc(void *ptr, size_t size) {
    (void)ptr;
    return mm_malloc(size);
}
