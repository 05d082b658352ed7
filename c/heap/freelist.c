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
 * Invariants kept here: head/tail are each list's ends; every listed block
 * is free and sits in the list of its class; prev(next(b)) == b; the class
 * bitmap bit is set exactly for non-empty lists; the next-fit rover is 0 or
 * a listed block; free_count and free_bytes are the number and the bytes of
 * the listed blocks. The four public functions below (insert, remove,
 * replace, resize) are the only code that changes those two counters: each
 * already knows the sizes involved, so nobody updates them beside a list
 * call. Everything else about the blocks is derived from them when asked
 * (heap_stats.c). The same four keep a cache of the largest listed size,
 * which the log records after every op: an insert of s >= the cached value
 * makes s the exact largest (the cache is always >= every listed size); a
 * take of a block of the cached size makes it stale; a stale cache is
 * refreshed by walking the lists only when asked.
 */
#include "heap/heap_internal.h"

#define CLASS_MAP_WORDS (sizeof ((struct heap *)0)->class_map / sizeof(uint64_t))
_Static_assert(HEAP_CLASS_COUNT <= 64 * CLASS_MAP_WORDS, "the class bitmap has a bit per class");
_Static_assert(16 + 4 * (31 - 7) + 3 < HEAP_CLASS_COUNT, "the largest block an arena can hold (< 2^32) has a class");

int heap_size_class(uint32_t size) {
    if (size < 128) return (int)(size >> 3);
    int fl = 31 - __builtin_clz(size);
    return 16 + 4 * (fl - 7) + (int)((size >> (fl - 2)) & 3);
}

uint32_t heap_class_min_size(int c) {
    if (c < 16) return (uint32_t)c << 3;
    int fl = (c - 16) / 4 + 7, sl = (c - 16) % 4;
    return (1u << fl) + ((uint32_t)sl << (fl - 2));
}

/* Returns the list a free block of `size` bytes belongs to. */
int list_class(const struct heap *h, uint32_t size) {
    return h->opt.policy == HEAP_FAST_FIT ? heap_size_class(size) : 0;
}

/* Returns the first non-empty class >= from_class, or HEAP_CLASS_COUNT. */
uint32_t list_first_nonempty(const struct heap *h, int from_class) {
    for (int w = from_class >> 6; w < (int)CLASS_MAP_WORDS; w++) {
        uint64_t bits = h->class_map[w];
        if (w == from_class >> 6) bits &= ~0ull << (from_class & 63);
        if (bits) return (uint32_t)(w * 64 + __builtin_ctzll(bits));
    }
    return HEAP_CLASS_COUNT;
}

/* Empties every list (the arena holds no free block): ends, bitmap, rover, counters. */
void list_clear(struct heap *h) {
    memset(h->head, 0, sizeof h->head);
    memset(h->tail, 0, sizeof h->tail);
    memset(h->class_map, 0, sizeof h->class_map);
    h->rover = 0;
    h->free_bytes = 0;
    h->free_count = 0;
    h->largest = 0;
    h->largest_stale = 0;
}

/* The largest-size cache after a block of `size` bytes joins a list. */
static inline void largest_joins(struct heap *h, uint32_t size) {
    if (size >= h->largest) {
        h->largest = size;
        h->largest_stale = 0;
    }
}

/* The largest-size cache after a block of `size` bytes leaves a list. */
static inline void largest_leaves(struct heap *h, uint32_t size) {
    if (size >= h->largest) h->largest_stale = 1;
}

/* Links b into list c between p and n (either may be 0). */
static void list_link(struct heap *h, int c, uint32_t b, uint32_t p, uint32_t n) {
    block_set_prev_free(h->mem, b, p);
    block_set_next_free(h->mem, b, n);
    if (p) block_set_next_free(h->mem, p, b); else h->head[c] = b;
    if (n) block_set_prev_free(h->mem, n, b); else h->tail[c] = b;
    h->class_map[c >> 6] |= 1ull << (c & 63);
}

/* Inserts free block b (header written) where its class list's order puts it, and counts it. */
void list_insert(struct heap *h, uint32_t b) {
    uint32_t size = block_size(h->mem, b);
    int c = list_class(h, size);
    h->free_count++;
    h->free_bytes += size;
    largest_joins(h, size);
    switch (h->opt.order) {
    case HEAP_ORDER_LIFO:
        list_link(h, c, b, 0, h->head[c]);
        break;
    case HEAP_ORDER_FIFO:
        list_link(h, c, b, h->tail[c], 0);
        break;
    default: { /* address order: before the first entry above b */
        uint32_t n = h->head[c];
        while (n && n < b) n = block_next_free(h->mem, n);
        list_link(h, c, b, n ? block_prev_free(h->mem, n) : h->tail[c], n);
        break;
    }
    }
}

/* Unlinks b from list c; a rover on b moves to the entry after it. */
static void list_unlink(struct heap *h, int c, uint32_t b) {
    dbg_assert(h->head[c] != 0 && "unlinking from an empty list");
    uint32_t p = block_prev_free(h->mem, b), n = block_next_free(h->mem, b);
    if (p) block_set_next_free(h->mem, p, n); else h->head[c] = n;
    if (n) block_set_prev_free(h->mem, n, p); else h->tail[c] = p;
    if (!h->head[c]) h->class_map[c >> 6] &= ~(1ull << (c & 63));
    if (h->rover == b) h->rover = n;
}

/* Unlinks b (size bytes) from list c and uncounts it. */
static void list_take(struct heap *h, int c, uint32_t b, uint32_t size) {
    list_unlink(h, c, b);
    h->free_count--;
    h->free_bytes -= size;
    largest_leaves(h, size);
}

/* Unlinks free block b (its header still holds the size it was listed with) and uncounts it. */
void list_remove(struct heap *h, uint32_t b) {
    uint32_t size = block_size(h->mem, b);
    list_take(h, list_class(h, size), b, size);
}

/* Writes free block new_b (new_size bytes) and lets it take old_b's place
 * in the list (split remainders, merges). Under the fast policy a block
 * whose class changes moves to its new class list instead. */
void list_replace(struct heap *h, uint32_t old_b, uint32_t new_b, uint32_t new_size, int prev_alloc) {
    uint32_t old_size = block_size(h->mem, old_b);
    int c = list_class(h, old_size);
    if (c != list_class(h, new_size)) {
        list_take(h, c, old_b, old_size);
        block_set_free(h->mem, new_b, new_size, prev_alloc);
        list_insert(h, new_b);
        return;
    }
    uint32_t p = block_prev_free(h->mem, old_b), n = block_next_free(h->mem, old_b);
    h->free_bytes = h->free_bytes + new_size - old_size;
    largest_leaves(h, old_size);
    largest_joins(h, new_size);
    block_set_free(h->mem, new_b, new_size, prev_alloc);
    list_link(h, c, new_b, p, n);
    if (h->rover == old_b) h->rover = new_b;
}

/* Changes the size of listed free block b in place, keeping its list position
 * (moving it to its new class list under the fast policy). */
void list_resize(struct heap *h, uint32_t b, uint32_t new_size) {
    list_replace(h, b, b, new_size, block_prev_alloc(h->mem, b));
}

/* Returns the largest free block size: the cache when fresh, else a walk. */
uint32_t largest_free(const struct heap *h) {
    return h->largest_stale ? largest_free_walk(h) : h->largest;
}

/* Returns the largest free block size and leaves the cache fresh. */
uint32_t largest_free_fresh(struct heap *h) {
    if (h->largest_stale) {
        h->largest = largest_free_walk(h);
        h->largest_stale = 0;
    }
    return h->largest;
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
