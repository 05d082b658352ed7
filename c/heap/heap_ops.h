/* heap_ops.h: the inline bodies every operation is built from, shared by
 * heap.c (malloc, free) and heap_realloc.c (realloc): the spec macros,
 * the usual request's size, place (split a found block) and release
 * (coalesce and list a freed one). Each body is written once and
 * instantiated per spec (K, below) where it is called. Included by
 * those two files only.
 */
#ifndef HEAPLAB_HEAP_OPS_H
#define HEAPLAB_HEAP_OPS_H

#include "heap/heap_internal.h"

/* Fast policy tuning: requests of at most FAST_SMALL block bytes are placed
 * at the high end of a split that leaves at least FAST_HIGH_REST bytes free
 * (measured in fit.c's essay); the break grows by at least brk/FAST_CHUNK_DIV,
 * capped at FAST_CHUNK_MAX, so small and large blocks have room to part. */
#define FAST_SMALL 72u
#define FAST_HIGH_REST 128u
#define FAST_CHUNK_DIV 16u
#define FAST_CHUNK_MAX 4096u

/* The bodies of malloc, free and realloc are inlined into the public calls,
 * so each is one call deep (callgrind, fit.c's essay: each call level cost
 * 10-20 instructions of prologue, epilogue and argument passing). The
 * out-of-line names (block_acquire, block_release, alloc_op) serve realloc's
 * general body. */
#define OP_INLINE static inline __attribute__((always_inline))

/* Each of those bodies takes K, a spec (freelist.h), constant at every
 * call: SPEC_ANY tests the log and the live table at each hook and reads
 * the options; SPEC_QUIET (a heap with neither, as the benchmark runs it)
 * leaves the hooks out of the code, SPEC_FAST_LIFO the option tests. One
 * body, so every spec makes the same decisions; a spec only drops tests
 * whose answer it knows. (An arena store may alias the handle, so the
 * compiler reloaded and retested h->log at every hook: about 20
 * instructions per op, fit.c's essay.) The public calls pick the spec. */
#define QUIET(h) (!(h)->log && !(h)->info)
#define FAST_LIFO(h)                                                                                    \
    ((h)->opt.policy == HEAP_FAST_FIT && (h)->opt.order == HEAP_ORDER_LIFO && (h)->opt.coalesce &&          \
     (h)->opt.align == BLOCK_MIN_ALIGN)
#define OP_EVENT(K, h, ...) do { if (SPEC_HAS_LOG(K, h)) log_event((h)->log, __VA_ARGS__); } while (0)
#define IS_FAST(K, h) (((K) & SPEC_FAST_LIFO) || (h)->opt.policy == HEAP_FAST_FIT)
/* Calls body(K, args) with heap h's spec (ANY, QUIET, QUIET|FAST_LIFO or LOGGED|FAST_LIFO: spec_refresh). */
#define WITH_SPEC(h, body, ...)                                                                             \
    ((h)->spec == SPEC_ANY ? body(SPEC_ANY, __VA_ARGS__)                                                    \
     : (h)->spec == (SPEC_LOGGED | SPEC_FAST_LIFO) ? body(SPEC_LOGGED | SPEC_FAST_LIFO, __VA_ARGS__)        \
     : (h)->spec == SPEC_QUIET ? body(SPEC_QUIET, __VA_ARGS__) : body(SPEC_QUIET | SPEC_FAST_LIFO, __VA_ARGS__))

/* 1 when the public calls take the quick bodies (heap.c, heap_realloc.c). */
#define IS_QUICK(h) ((h)->spec == (SPEC_QUIET | SPEC_FAST_LIFO))

/* adjust_size with one test for the usual request: 1 <= size <= arena/2
 * cannot be refused (need <= arena/2 + align <= arena - align, as an
 * arena holds at least 4 * 16 bytes). */
OP_INLINE int request_usual(const struct heap *h, uint64_t size) { return size - 1 < h->usual_max; }
OP_INLINE uint32_t usual_need(int K, const struct heap *h, uint64_t size) {
    uint32_t a = (K & SPEC_FAST_LIFO) ? BLOCK_MIN_ALIGN : h->opt.align, need = ((uint32_t)size + BLOCK_HEADER_SIZE + a - 1) & ~(a - 1);
    return need < BLOCK_MIN_SIZE ? BLOCK_MIN_SIZE : need;
}
/* request_usual on a heap whose public calls take the quick bodies, and 0
 * on any other: malloc and realloc pick their body and test the request in
 * one compare (h->quick_max, spec_refresh). */
OP_INLINE int request_quick(const struct heap *h, uint64_t size) { return size - 1 < h->quick_max; }
OP_INLINE uint32_t request_need(int K, const struct heap *h, uint64_t size, int *err) {
    return request_usual(h, size) ? usual_need(K, h, size) : adjust_size(h, size, err);
}

/* Sets the PREV_ALLOC bit of block n, which follows a free block: with
 * coalescing n is allocated (or the epilogue), so it has no footer to keep. */
OP_INLINE void after_free_set_prev_alloc(int K, uint8_t *mem, uint32_t n) {
    if (K & SPEC_FAST_LIFO) word_put(mem, n, word_get(mem, n) | BLOCK_PREV_ALLOC);
    else block_set_prev_alloc(mem, n, 1);
}

/* Allocates listed free block b for a block of `need` bytes, splitting off
 * the rest as a free block that keeps b's list position when it can stand
 * alone. The teaching policies take the low end. The fast policy takes the
 * high end for small requests cut from a region that stays large, so small
 * blocks gather at the top of each free region and large ones at the
 * bottom, and freed large blocks can merge (Malloc Lab's binary traces);
 * a small remainder keeps the low end (high-end cuts of small remainders
 * cost gcc's trace 3 points). Returns the allocated block. */
OP_INLINE uint32_t place(int K, struct heap *h, uint32_t b, uint32_t c, uint32_t need) {
    uint8_t *mem = h->mem;
    uint32_t w = word_get(mem, b), bsize = w & ~BLOCK_FLAGS, a = b;
    int prev_alloc = (w & BLOCK_PREV_ALLOC) != 0;
    if (bsize - need >= BLOCK_MIN_SIZE) {
        if (IS_FAST(K, h) && need <= FAST_SMALL && bsize - need >= FAST_HIGH_REST) {
            a = b + bsize - need;
            list_resize_in(K, h, c, b, bsize - need);
            after_free_set_prev_alloc(K, mem, b + bsize);
            prev_alloc = 0;
        } else {
            list_replace_in(K, h, c, b, b + need, bsize - need, 1);
        }
        uint32_t low = a == b ? need : bsize - need;
        OP_EVENT(K, h, EV_SPLIT, a != b, b, low, bsize - low);
    } else {
        list_take(K, h, mem, c, b, bsize);
        after_free_set_prev_alloc(K, mem, b + bsize);
        need = bsize;
    }
    block_set_alloc(mem, a, need, prev_alloc);
    OP_EVENT(K, h, EV_PLACE, 0, a, need, block_payload(a));
    return a;
}

/* Frees allocated block b: coalesces per the options (CS:APP cases 1-4)
 * and lists the result. Address order keeps the absorbed neighbour's list
 * position; the other orders unlink the neighbours and list the merged
 * block afresh, writing its header and footer once. */
OP_INLINE void release(int K, struct heap *h, uint32_t b) {
    uint8_t *mem = h->mem;
    uint32_t w = word_get(mem, b), size = w & ~BLOCK_FLAGS, next = b + size, nw = word_get(mem, next);
    int prev_alloc = (w & BLOCK_PREV_ALLOC) != 0, coalesce = (K & SPEC_FAST_LIFO) || h->opt.coalesce;
    int next_free = coalesce && !(nw & BLOCK_ALLOC), prev_free = coalesce && !prev_alloc;
    int keep_place = !(K & SPEC_FAST_LIFO) && h->opt.order == HEAP_ORDER_ADDR;
    OP_EVENT(K, h, EV_FREE, 0, b, size, block_payload(b));
    uint32_t ns = nw & ~BLOCK_FLAGS, ps = prev_free ? word_get_below(mem, b) & ~BLOCK_FLAGS : 0;
    uint32_t start = b - ps, merged = size + (next_free ? ns : 0) + ps;
    if (!next_free) { /* (a free next already says its neighbour is free) */
        if ((K & SPEC_FAST_LIFO) || (nw & BLOCK_ALLOC)) word_put(mem, next, nw & ~BLOCK_PREV_ALLOC); /* no footer */
        else block_set_prev_alloc(mem, next, 0); /* no coalescing: a free next keeps its footer in step */
    }
    if (keep_place && (next_free || prev_free)) {
        if (next_free && !prev_free) list_replace(h, next, b, merged, prev_alloc); /* case 2 */
        else if (next_free) list_remove(h, next);
        if (prev_free) list_resize(h, start, merged); /* cases 3 and 4 */
    } else { /* the neighbours unlinked and the merged block linked, counted at once (listed_merged) */
        if (next_free) list_unlink(K, h, mem, spec_class(K, h, ns), next);
        if (prev_free) {
            list_unlink(K, h, mem, spec_class(K, h, ps), start);
            prev_alloc = block_prev_alloc(mem, start);
        }
        block_set_free(mem, start, merged, prev_alloc);
        list_insert_link(K, h, mem, start, spec_class(K, h, merged));
        listed_merged(K, h, size, next_free ? ns : 0, ps, merged);
    }
    if (next_free || prev_free)
        OP_EVENT(K, h, EV_COALESCE, (uint8_t)(next_free && prev_free ? 4 : next_free ? 2 : 3), start, merged, 0);
}

#endif
