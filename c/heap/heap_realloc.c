/* heap_realloc.c: realloc, in place whenever the block can stay put.
 *
 *   shrink     split the unused tail off as a free block (coalescing it
 *              with a free next neighbour), or keep it when it is too small
 *   grow next  absorb the free next neighbour; any surplus stays free in
 *              the neighbour's list position
 *   grow brk   the block (or block + free neighbour) ends the heap: move
 *              the break
 *   move       allocate elsewhere, copy min(old, new) requested bytes, free
 *
 * If the move cannot be satisfied the old block is untouched (C semantics).
 * Like malloc and free (heap.c), a quiet fast/LIFO heap takes realloc
 * through a quick body that does the usual call (a live payload, a usual
 * size, in place or moved to a block the fast search finds) with the same
 * decisions and effects as the general body, and hands anything else,
 * untouched, to it: a refused offset, realloc(0, n), an odd size, a growth
 * of the break. Both take their plan from realloc_plan and act through
 * the same inline bodies (heap_ops.h).
 */
#include "heap/heap_ops.h"

/* release for realloc's bodies: the general one calls the out-of-line
 * SPEC_ANY instance (inlined twice there, it made the general body slower
 * in wasm: every policy but fast reallocs through it), the quick one
 * inlines its own. */
OP_INLINE void realloc_release(int K, struct heap *h, uint32_t b) {
    if (K == SPEC_ANY) block_release(h, b);
    else release(K, h, b);
}

/* Keeps the first `need` bytes of allocated block b and frees the rest. */
OP_INLINE void shrink_tail(int K, struct heap *h, uint32_t b, uint32_t need) {
    uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), t = b + need, tsize = bsize - need;
    block_set_alloc(mem, b, need, block_prev_alloc(mem, b));
    block_set_alloc(mem, t, tsize, 1);
    OP_EVENT(K, h, EV_SPLIT, 0, b, need, tsize);
    realloc_release(K, h, t);
}

/* Grows allocated block b into its free next neighbour n (avail >= need). */
OP_INLINE void absorb_next(int K, struct heap *h, uint32_t b, uint32_t n, uint32_t need) {
    uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), nsize = block_size(mem, n), avail = bsize + nsize;
    uint32_t c = spec_class(K, h, nsize);
    if (avail - need >= BLOCK_MIN_SIZE) {
        list_replace_in(K, h, c, n, b + need, avail - need, 1);
        OP_EVENT(K, h, EV_SPLIT, 0, b, need, avail - need);
    } else {
        list_take(K, h, mem, c, n, nsize);
        after_free_set_prev_alloc(K, mem, b + avail);
        need = avail;
    }
    block_set_alloc(mem, b, need, block_prev_alloc(mem, b));
}

/* Grows allocated block b, which (with its free neighbour n, if any) ends
 * the heap, by moving the break. Returns 0 or -1 when the arena is full. */
static int grow_into_break(struct heap *h, uint32_t b, uint32_t n, uint32_t need) {
    uint32_t bsize = block_size(h->mem, b), nsize = n ? block_size(h->mem, n) : 0;
    uint32_t old_brk = h->brk, grow = need - bsize - nsize;
    if ((uint64_t)old_brk + grow > h->opt.arena_size || extend_break(h, old_brk + grow) != 0) return -1;
    uint8_t *mem = h->mem;
    op_event(h, EV_EXTEND, 0, old_brk, h->brk, grow);
    if (n) list_remove(h, n);
    block_set_alloc(mem, b, need, block_prev_alloc(mem, b));
    word_put(mem, h->brk - BLOCK_HEADER_SIZE, 0 | BLOCK_ALLOC | BLOCK_PREV_ALLOC);
    return 0;
}

/* Returns how allocated block b becomes a block of `need` bytes, the first
 * that applies: REALLOC_SAME or REALLOC_SHRINK (it is big enough),
 * REALLOC_GROW_NEXT (with its free next neighbour it is), REALLOC_GROW_BRK
 * (b, with that neighbour, ends the heap: the break may move), else
 * REALLOC_MOVE. *nfree: the free next neighbour, or 0. */
OP_INLINE int realloc_plan(const struct heap *h, uint32_t b, uint32_t need, uint32_t *nfree) {
    const uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), n = b + bsize;
    *nfree = block_is_free(mem, n) ? n : 0;
    uint32_t avail = bsize + (*nfree ? block_size(mem, n) : 0);
    if (need <= bsize) return bsize - need >= BLOCK_MIN_SIZE ? REALLOC_SHRINK : REALLOC_SAME;
    if (*nfree && avail >= need) return REALLOC_GROW_NEXT;
    return b + avail == h->brk - BLOCK_HEADER_SIZE ? REALLOC_GROW_BRK : REALLOC_MOVE; /* after b and its free neighbour */
}

/* Resizes block b in place for a plan of REALLOC_SHRINK, SAME or GROW_NEXT. */
OP_INLINE void resize_in_place(int K, struct heap *h, int how, uint32_t b, uint32_t nfree, uint32_t need) {
    if (how == REALLOC_SHRINK) shrink_tail(K, h, b, need);
    else if (how == REALLOC_GROW_NEXT) absorb_next(K, h, b, nfree, need);
}

/* Moves live payload p into allocated block nb: copies `copy` bytes, moves
 * the live bit and frees p's block. Returns the new payload. */
OP_INLINE uint32_t move_payload(int K, struct heap *h, uint32_t p, uint32_t nb, size_t copy) {
    uint32_t newp = block_payload(nb);
    memcpy(h->mem + newp, h->mem + p, copy);
    live_bit_clear(h, p);
    live_bit_set(h, newp);
    realloc_release(K, h, block_of_payload(p));
    return newp;
}

/* General body of heap_realloc: the new payload offset or a HEAP_E* code. */
__attribute__((noinline)) static int64_t realloc_general(struct heap *h, uint64_t off, uint64_t size) {
    if (off == 0) return alloc_op(h, LOG_OP_ALLOC, size, -1, 0); /* malloc, and logged as one: a replay can repeat it */
    int64_t code;
    if (!live_or_refuse(h, LOG_OP_REALLOC, off, size, &code)) return code;
    uint32_t p = (uint32_t)off, b = block_of_payload(p);
    /* without the live table the bytes to keep are the whole old payload */
    struct live_entry *e = h->info ? live_find(&h->live, p) : NULL;
    uint32_t old_size = e ? e->size : block_size(h->mem, b) - BLOCK_HEADER_SIZE;
    int64_t id = e ? e->id : -1;
    op_begin(h, LOG_OP_REALLOC, id, size, p);
    int err = 0;
    uint32_t need = adjust_size(h, size, &err), scanned = 0, nfree, newp = p;
    if (!need) return op_fail(h, LOG_OP_REALLOC, err, size);
    if (h->info && live_reserve(&h->live) != 0) return op_fail(h, LOG_OP_REALLOC, HEAP_ENOMEM, size);
    op_event(h, EV_REQUEST, 0, (uint32_t)size, need, 0);

    int how = realloc_plan(h, b, need, &nfree);
    if (how == REALLOC_GROW_BRK && grow_into_break(h, b, nfree, need) != 0) how = REALLOC_MOVE;
    if (how == REALLOC_MOVE) {
        uint32_t nb = block_acquire(h, need, &scanned, &err);
        if (!nb) return op_fail(h, LOG_OP_REALLOC, err, size);
        newp = move_payload(SPEC_ANY, h, p, nb, old_size < size ? old_size : (size_t)size);
        if (h->info) {
            live_remove(&h->live, p);
            live_insert(&h->live, newp, (uint32_t)size, id);
        }
    } else {
        resize_in_place(SPEC_ANY, h, how, b, nfree, need);
    }
    if (h->info) {
        live_find(&h->live, newp)->size = (uint32_t)size;
        h->live_payload = h->live_payload - old_size + size;
        if (h->live_payload > h->peak_payload) h->peak_payload = h->live_payload;
    }
    uint32_t new_bsize = block_size(h->mem, block_of_payload(newp));
    op_event(h, EV_REALLOC, (uint8_t)how, p, newp, new_bsize);
    op_end(h, newp, newp, new_bsize, scanned);
    return newp;
}

/* Quick body (a quiet fast/LIFO heap): the usual call, or the general body
 * from scratch. It calls nothing but in tail position, like alloc_quick. */
OP_INLINE int64_t realloc_quick(struct heap *h, uint64_t off, uint64_t size) {
    enum { K = SPEC_QUIET | SPEC_FAST_LIFO };
    if (!live_bit(h, off)) return realloc_general(h, off, size); /* realloc(0, n) too; request_quick: heap_realloc */
    uint32_t p = (uint32_t)off, b = block_of_payload(p), need = usual_need(K, h, size), nfree;
    int how = realloc_plan(h, b, need, &nfree);
    if (how == REALLOC_MOVE) {
        uint32_t scanned, c, old_size = block_size(h->mem, b) - BLOCK_HEADER_SIZE;
        uint32_t nb = fast_search(h, need, &scanned, &c);
        if (c == HEAP_CLASS_COUNT) return realloc_general(h, off, size); /* no block: the break must grow */
        h->requests++; /* acquire's counters */
        h->scanned_total += scanned;
        return move_payload(K, h, p, place(K, h, nb, c, need), old_size < size ? old_size : (size_t)size);
    }
    if (how == REALLOC_GROW_BRK) return realloc_general(h, off, size);
    resize_in_place(K, h, how, b, nfree, need);
    return p;
}

int64_t heap_realloc(struct heap *h, uint64_t off, uint64_t size) {
    int64_t r = request_quick(h, size) ? realloc_quick(h, off, size) : realloc_general(h, off, size);
    dbg_ensures(h);
    return r;
}
