/* freelist.c: the explicit, doubly linked free lists and their orders
 * (LIFO: insert at the head; FIFO: at the tail; ADDR: sorted by address).
 *
 * The teaching policies keep one list (class 0). The fast policy keeps one
 * list per size class (segregated fits, as in TLSF and dlmalloc's bins) and
 * a bitmap of the classes that are not empty, so finding a class that
 * surely fits is two bit scans.
 *
 *   class of size s:  s < 128   s / 8                  (2..15: exact sizes)
 *                     s >= 128  16 + 4*(log2(s) - 7) + the next 2 bits of s
 *
 * Invariants kept here: head is each list's first entry, tail its last (kept
 * under FIFO and address order only: LIFO never inserts at the tail); every listed block
 * is free and sits in the list of its class; prev(next(b)) == b; the class
 * bitmap bit is set exactly for non-empty lists; the next-fit rover is 0 or
 * a listed block. With a log (whose op records read them after every op),
 * free_count and free_bytes are the number and the bytes of the listed
 * blocks, and the multiset of listed sizes (heapinfo/size_index.c) gives the
 * largest in O(1): the four list functions (insert, remove, replace,
 * resize; inline in freelist.h, the hot path) are the only code that
 * changes them, each already knowing the sizes involved. Without a log
 * none of the three is kept (measured: about 10 instructions per op off
 * the benchmark's hot path, fit.c's essay) and the statistics walk the
 * lists when asked (listed_totals; the largest from the highest non-empty
 * class only, under the fast policy). Everything else about the blocks is
 * derived from them when asked (heap_stats.c).
 */
#include "heap/heap_internal.h"

#define CLASS_MAP_WORDS (sizeof ((struct heap *)0)->class_map / sizeof(uint64_t))
_Static_assert(HEAP_CLASS_COUNT <= 64 * CLASS_MAP_WORDS, "the class bitmap has a bit per class");
_Static_assert(16 + 4 * (31 - 7) + 3 < HEAP_CLASS_COUNT, "the largest block an arena can hold (< 2^32) has a class");

int heap_size_class(uint32_t size) { return (int)size_class_of(size); }

uint32_t heap_class_min_size(int c) {
    if (c < 16) return (uint32_t)c << 3;
    int fl = (c - 16) / 4 + 7, sl = (c - 16) % 4;
    return (1u << fl) + ((uint32_t)sl << (fl - 2));
}

/* Empties every list (the arena holds no free block): ends, bitmap, rover, counters. */
void list_clear(struct heap *h) {
    memset(h->head, 0, sizeof h->head);
    memset(h->tail, 0, sizeof h->tail);
    memset(h->class_map, 0, sizeof h->class_map);
    h->rover = 0;
    h->free_bytes = 0;
    h->free_count = 0;
    if (h->sizes) size_index_clear(h->sizes);
}

void size_index_lost(struct heap *h) {
    size_index_destroy(h->sizes);
    h->sizes = NULL;
}

/* Returns the largest free block size: the size index's maximum (with a log), else a walk. */
uint32_t largest_free(const struct heap *h) {
    return h->sizes ? size_index_max(h->sizes) : largest_free_walk(h);
}

/* Sets the number and the bytes of the listed blocks: the counters with a
 * log, else a walk of the lists (bounded: a list the user broke by writing
 * into the arena cannot hold the walk; heap_check names such a list). */
void listed_totals(const struct heap *h, uint32_t *count, uint64_t *bytes) {
    if (h->log) {
        *count = h->free_count;
        *bytes = h->free_bytes;
        return;
    }
    uint32_t n = 0, bound = h->brk / BLOCK_MIN_SIZE;
    uint64_t sum = 0;
    for (int c = 0; c < HEAP_CLASS_COUNT; c++)
        for (uint32_t b = h->head[c]; b && b < h->brk && n <= bound; b = block_next_free(h->mem, b)) {
            n++;
            sum += block_size(h->mem, b);
        }
    *count = n;
    *bytes = sum;
}

/* Returns the largest free block size, walking the lists. */
uint32_t largest_free_walk(const struct heap *h) {
    uint32_t best = 0;
    int from = 0;
    if (h->opt.policy == HEAP_FAST_FIT) /* only the highest non-empty class can hold it */
        from = h->class_map[1] ? 127 - __builtin_clzll(h->class_map[1]) : h->class_map[0] ? 63 - __builtin_clzll(h->class_map[0]) : 0;
    for (int c = from; c < HEAP_CLASS_COUNT; c++)
        for (uint32_t b = h->head[c]; b; b = block_next_free(h->mem, b)) {
            uint32_t s = block_size(h->mem, b);
            if (s > best) best = s;
        }
    return best;
}
