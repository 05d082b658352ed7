/* my_api.c: the original project's calls, kept by name: my_malloc,
 * my_free, my_realloc, my_calloc on a default heap created on first use
 * (default options, the whole arena reserved so pointers never move).
 * They return pointers into that arena, as the original did, or NULL.
 */
#include <stddef.h>
#include "heap/allocator.h"

static struct heap *default_heap;

struct heap *my_default_heap(void) {
    if (!default_heap) {
        struct heap_options o = heap_default_options();
        o.reserve = 1;
        default_heap = heap_create(&o);
    }
    return default_heap;
}

void my_reset_default_heap(void) {
    heap_destroy(default_heap);
    default_heap = NULL;
}

/* Returns the pointer for payload offset r, or NULL for an error code. */
static void *to_ptr(struct heap *h, int64_t r) { return r > 0 ? heap_arena(h) + r : NULL; }

/* Returns the payload offset of ptr in the default heap (0 for NULL or a foreign pointer's garbage). */
static uint64_t to_off(struct heap *h, void *ptr) {
    if (!ptr) return 0;
    uint8_t *base = heap_arena(h), *p = ptr;
    /* a foreign pointer becomes an out-of-range offset, which the heap rejects */
    return p > base ? (uint64_t)(p - base) : UINT64_MAX;
}

void *my_malloc(size_t size) {
    struct heap *h = my_default_heap();
    return h ? to_ptr(h, heap_malloc(h, size)) : NULL;
}

void my_free(void *ptr) {
    struct heap *h = my_default_heap();
    if (h) heap_free(h, to_off(h, ptr));
}

void *my_realloc(void *ptr, size_t size) {
    struct heap *h = my_default_heap();
    return h ? to_ptr(h, heap_realloc(h, to_off(h, ptr), size)) : NULL;
}

void *my_calloc(size_t n, size_t size) {
    struct heap *h = my_default_heap();
    return h ? to_ptr(h, heap_calloc(h, n, size)) : NULL;
}
