/* check.c: the heap checker. It trusts nothing it can verify: it walks the
 * blocks from the first header to the epilogue bounding every step by the
 * break, then walks the free list bounding it by the number of free blocks
 * found, and compares both with the live-payload table and the counters.
 * It returns the first violated invariant as a HEAP_CHECK_* code and where
 * it was found; it never prints and never changes the heap.
 *
 * Invariants: blocks tile [first, brk-4) and end at an epilogue (size 0,
 * allocated) right below the break; sizes are multiples of align and at
 * least BLOCK_MIN_SIZE; payloads are aligned; every PREV_ALLOC bit matches
 * its left neighbour; free blocks carry a footer equal to their header; with
 * coalescing no two free blocks touch; the free list holds exactly the free
 * blocks, once each, each in the list of its size class (fast policy), with
 * consistent back links, in address order when the order is ADDR; the rover
 * is 0 or a listed block; the live bitmap has a bit for each allocated
 * block's payload and no other; every allocated block has one live-table
 * entry whose size fits its payload (when the table is kept); the stored counters match the walk, and so
 * do the identities heap_stats.c derives the others by.
 *
 * Below the checker: the debug tier's level 2 (heap_debug.h), which runs it
 * at the end of every mutating public call and records the first failure.
 */
#include <stdlib.h>
#include "heap/heap_internal.h"

#define FAIL(code, off) do { if (bad_off) *bad_off = (off); result = (code); goto done; } while (0)

/* Returns the index of b in the sorted array a[0..n), or -1. */
static int64_t find_sorted(const uint32_t *a, uint32_t n, uint32_t b) {
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < b) lo = mid + 1; else hi = mid;
    }
    return lo < n && a[lo] == b ? (int64_t)lo : -1;
}

int heap_check(const struct heap *h, uint32_t *bad_off) {
    const uint8_t *mem = h->mem;
    uint32_t align = h->opt.align, epi = h->brk - BLOCK_HEADER_SIZE;
    uint32_t nfree = 0, nalloc = 0, *frees = NULL;
    uint8_t *seen = NULL;
    uint64_t free_bytes = 0, alloc_bytes = 0, live = 0;
    int result = HEAP_CHECK_OK, prev_alloc = 1;
    if (bad_off) *bad_off = 0;
    if (h->brk < align || h->brk > h->opt.arena_size || h->brk > h->mem_cap) FAIL(HEAP_CHECK_EPILOGUE, h->brk);
    frees = malloc(((size_t)h->brk / BLOCK_MIN_SIZE + 1) * sizeof *frees);
    if (!frees) return HEAP_CHECK_OK; /* cannot check without scratch memory; nothing found */

    uint32_t b = h->first;
    while (b < epi) {
        uint32_t w = word_get(mem, b), size = w & ~BLOCK_FLAGS;
        if (size < BLOCK_MIN_SIZE || size % align) FAIL(HEAP_CHECK_SIZE, b);
        if ((uint64_t)b + size > epi) FAIL(HEAP_CHECK_TILING, b);
        if (block_payload(b) % align) FAIL(HEAP_CHECK_ALIGN, b);
        if (((w & BLOCK_PREV_ALLOC) != 0) != prev_alloc) FAIL(HEAP_CHECK_PREV_BIT, b);
        if (w & BLOCK_ALLOC) {
            if (!live_bit(h, block_payload(b))) FAIL(HEAP_CHECK_LIVE_TABLE, b);
            if (h->info) {
                const struct live_entry *e = live_find(&h->live, block_payload(b));
                if (!e || e->size + BLOCK_HEADER_SIZE > size) FAIL(HEAP_CHECK_LIVE_TABLE, b);
                live += e->size;
            }
            nalloc++;
            alloc_bytes += size;
            prev_alloc = 1;
        } else {
            if (word_get(mem, block_footer(b, size)) != w) FAIL(HEAP_CHECK_FOOTER, b);
            if (h->opt.coalesce && !prev_alloc) FAIL(HEAP_CHECK_ADJACENT_FREE, b);
            frees[nfree++] = b;
            free_bytes += size;
            prev_alloc = 0;
        }
        b += size;
    }
    uint32_t ew = word_get(mem, epi);
    if (b != epi || (ew & ~BLOCK_FLAGS) != 0 || !(ew & BLOCK_ALLOC)) FAIL(HEAP_CHECK_EPILOGUE, b);
    if (((ew & BLOCK_PREV_ALLOC) != 0) != prev_alloc) FAIL(HEAP_CHECK_PREV_BIT, epi);

    seen = calloc(nfree + 1, 1);
    if (!seen) goto done;
    uint32_t listed = 0;
    for (int c = 0; c < HEAP_CLASS_COUNT; c++) {
        uint32_t prev = 0;
        int nonempty = (h->class_map[c >> 6] >> (c & 63)) & 1;
        if (h->opt.policy == HEAP_FAST_FIT && nonempty != (h->head[c] != 0)) FAIL(HEAP_CHECK_CYCLE, h->head[c]);
        for (uint32_t f = h->head[c]; f; prev = f, f = block_next_free(mem, f)) {
            int64_t i = find_sorted(frees, nfree, f);
            if (i < 0) FAIL(HEAP_CHECK_LIST_NOT_FREE, f);
            if (seen[i] || listed >= nfree) FAIL(HEAP_CHECK_CYCLE, f);
            if (block_prev_free(mem, f) != prev) FAIL(HEAP_CHECK_CYCLE, f);
            if ((int)list_class(h, block_size(mem, f)) != c) FAIL(HEAP_CHECK_LIST_NOT_FREE, f);
            if (h->opt.order == HEAP_ORDER_ADDR && prev && f <= prev) FAIL(HEAP_CHECK_ORDER, f);
            seen[i] = 1;
            listed++;
        }
        if (h->opt.order != HEAP_ORDER_LIFO && h->tail[c] != prev) FAIL(HEAP_CHECK_CYCLE, h->tail[c]); /* LIFO keeps no tails */
    }
    if (listed != nfree) {
        for (uint32_t i = 0; i < nfree; i++)
            if (!seen[i]) FAIL(HEAP_CHECK_FREE_NOT_LISTED, frees[i]);
    }
    if (h->rover && find_sorted(frees, nfree, h->rover) < 0) FAIL(HEAP_CHECK_ROVER, h->rover);
    /* the stored counters, and the identities heap_stats.c derives the rest by */
    if ((h->log && (nfree != h->free_count || free_bytes != h->free_bytes)) || live != h->live_payload ||
        alloc_bytes != alloc_block_bytes(h))
        FAIL(HEAP_CHECK_COUNTERS, 0);
    /* the size index (with a log): one entry per listed block, its maximum the largest */
    if (h->sizes && (size_index_count(h->sizes) != nfree || size_index_max(h->sizes) != largest_free_walk(h)))
        FAIL(HEAP_CHECK_COUNTERS, 0);
    if (h->info && h->live.count != nalloc) FAIL(HEAP_CHECK_LIVE_TABLE, 0); /* alloc_blocks = live.count */
    if (live_bits_count(h) != nalloc) FAIL(HEAP_CHECK_LIVE_TABLE, 0); /* a bit for each allocated block, no other */
done:
    free(frees);
    free(seen);
    return result;
}

/* ---- the debug tier's level 2 (heap_debug.h) ---- */

int heap_debug_level(void) { return HEAP_DEBUG; }

#if HEAP_DEBUG >= 2
/* Aborts naming the check code (assert's message; abort() if NDEBUG removed it). */
static void debug_trap(int code) {
    switch (code) {
#define TRAP(c) case c: assert(!"heap_check failed after a mutating call (HEAP_DEBUG=2): " #c); break;
    TRAP(HEAP_CHECK_TILING) TRAP(HEAP_CHECK_SIZE) TRAP(HEAP_CHECK_ALIGN) TRAP(HEAP_CHECK_FOOTER)
    TRAP(HEAP_CHECK_ADJACENT_FREE) TRAP(HEAP_CHECK_LIST_NOT_FREE) TRAP(HEAP_CHECK_FREE_NOT_LISTED)
    TRAP(HEAP_CHECK_CYCLE) TRAP(HEAP_CHECK_ROVER) TRAP(HEAP_CHECK_PREV_BIT) TRAP(HEAP_CHECK_EPILOGUE)
    TRAP(HEAP_CHECK_COUNTERS) TRAP(HEAP_CHECK_ORDER) TRAP(HEAP_CHECK_LIVE_TABLE)
#undef TRAP
    default: assert(!"heap_check failed after a mutating call (HEAP_DEBUG=2)");
    }
    abort();
}

/* Runs the checker after mutating call `call` (at `line`); records the first failure, then traps. */
void debug_ensures(struct heap *h, const char *call, int line) {
    uint64_t index = h->dbg_calls++;
    if (h->dbg_first.code != 0) return; /* the first failure stays; the heap is known broken */
    uint32_t off = 0;
    int code = heap_check(h, &off);
    if (code == HEAP_CHECK_OK) return;
    h->dbg_first = (struct heap_debug_report){ .code = code, .off = off, .call = index, .where = call, .line = line };
    if (h->dbg_trap) debug_trap(code);
}

int heap_debug_first_failure(const struct heap *h, struct heap_debug_report *out) {
    if (out) *out = h->dbg_first;
    return h->dbg_first.code;
}

void heap_debug_set_trap(struct heap *h, int trap) { h->dbg_trap = trap != 0; }
#else
int heap_debug_first_failure(const struct heap *h, struct heap_debug_report *out) {
    (void)h;
    if (out) *out = (struct heap_debug_report){ 0 };
    return 0;
}

void heap_debug_set_trap(struct heap *h, int trap) { (void)h, (void)trap; }
#endif
