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
 */
#include "heap/heap_internal.h"

/* Keeps the first `need` bytes of allocated block b and frees the rest. */
static void shrink_tail(struct heap *h, uint32_t b, uint32_t need) {
    uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), t = b + need, tsize = bsize - need;
    block_set_alloc(mem, b, need, block_prev_alloc(mem, b));
    block_set_alloc(mem, t, tsize, 1);
    op_event(h, EV_SPLIT, 0, b, need, tsize);
    block_release(h, t);
}

/* Grows allocated block b into its free next neighbour n (avail >= need). */
static void absorb_next(struct heap *h, uint32_t b, uint32_t n, uint32_t need) {
    uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), nsize = block_size(mem, n), avail = bsize + nsize;
    if (avail - need >= BLOCK_MIN_SIZE) {
        list_replace(h, n, b + need, avail - need, 1);
        op_event(h, EV_SPLIT, 0, b, need, avail - need);
    } else {
        list_remove(h, n);
        block_set_prev_alloc(mem, b + avail, 1);
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

/* Body of heap_realloc: the new payload offset or a HEAP_E* code. */
static int64_t realloc_op(struct heap *h, uint64_t off, uint64_t size) {
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
    uint32_t need = adjust_size(h, size, &err), scanned = 0;
    if (!need) return op_fail(h, LOG_OP_REALLOC, err, size);
    if (h->info && live_reserve(&h->live) != 0) return op_fail(h, LOG_OP_REALLOC, HEAP_ENOMEM, size);
    op_event(h, EV_REQUEST, 0, (uint32_t)size, need, 0);

    uint8_t *mem = h->mem;
    uint32_t bsize = block_size(mem, b), n = b + bsize, newp = p;
    uint32_t nfree = block_is_free(mem, n) ? n : 0;
    uint32_t avail = bsize + (nfree ? block_size(mem, nfree) : 0);
    uint32_t after = b + avail; /* first block past b and its free neighbour */
    int how;
    if (need <= bsize) {
        how = bsize - need >= BLOCK_MIN_SIZE ? REALLOC_SHRINK : REALLOC_SAME;
        if (how == REALLOC_SHRINK) shrink_tail(h, b, need);
    } else if (nfree && avail >= need) {
        how = REALLOC_GROW_NEXT;
        absorb_next(h, b, nfree, need);
    } else if (after == h->brk - BLOCK_HEADER_SIZE && grow_into_break(h, b, nfree, need) == 0) {
        how = REALLOC_GROW_BRK;
    } else {
        uint32_t nb = block_acquire(h, need, &scanned, &err);
        if (!nb) return op_fail(h, LOG_OP_REALLOC, err, size);
        how = REALLOC_MOVE;
        newp = block_payload(nb);
        memcpy(h->mem + newp, h->mem + p, old_size < size ? old_size : (size_t)size);
        live_bit_clear(h, p);
        live_bit_set(h, newp);
        if (h->info) {
            live_remove(&h->live, p);
            live_insert(&h->live, newp, (uint32_t)size, id);
        }
        block_release(h, b);
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

int64_t heap_realloc(struct heap *h, uint64_t off, uint64_t size) {
    int64_t r = realloc_op(h, off, size);
    dbg_ensures(h);
    return r;
}
