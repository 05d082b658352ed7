/*
 * mm_broken.c: a deliberately wrong Malloc Lab allocator, for tests/mm: the
 * scorer must name its first violation and the op where it happened.
 *   - mm_malloc bumps the break, but first reuses the last freed block for
 *     any request, however large: a later live payload overlaps it;
 *   - mm_realloc moves to a new block and copies only the first 8 bytes:
 *     the old contents are lost.
 * Payloads are 8-byte aligned; an 8-byte header holds the block's size.
 */
#include <stdint.h>
#include <string.h>
#include "memlib.h"
#include "mm.h"

static char *last_freed;

int mm_init(void) {
    last_freed = NULL;
    return 0;
}

void *mm_malloc(size_t size) {
    if (last_freed) { /* the bug: no size check */
        char *p = last_freed;
        last_freed = NULL;
        return p;
    }
    size_t asize = (size + 8 + 7) & ~(size_t)7;
    char *p = mem_sbrk((int)asize);
    if (p == (void *)-1) return NULL;
    memcpy(p, &asize, sizeof asize);
    return p + 8;
}

void mm_free(void *ptr) {
    if (ptr) last_freed = ptr;
}

void *mm_realloc(void *ptr, size_t size) {
    char *q = mm_malloc(size);
    if (q && ptr) memcpy(q, ptr, size < 8 ? size : 8); /* the bug: 8 bytes, not the old size */
    return q;
}
