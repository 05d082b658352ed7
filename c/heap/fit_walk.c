/* fit_walk.c: the search made visible. After a policy's finder (fit.c) has
 * chosen, and before the block is placed, a heap that logs retraces the
 * walk the finder made and logs one examine event per block it looked at,
 * in order, with why it was passed over or taken (event_kinds.h):
 *
 *   too_small   smaller than the block needed
 *   not_best    fits, but the policy took a better one (best, worst, fast)
 *   chosen      taken
 *   next_class  fast: the head of the first non-empty larger class, taken
 *               unseen (the class bitmap says every block there fits)
 *   top_last    fast: that head was the top block (it ends at the break),
 *               passed over for the next entry of its class or the head of
 *               the next non-empty class (freelist.h fast_search)
 *
 * The decisions stay fit.c's: this file only knows the order each policy
 * walks in (the one list from its head; from the rover, wrapping to the
 * head; the request's own class list, then the jump) and how many entries
 * the finder counted, so the walk logged is the finder's. At most the log's
 * examine cap of events per search (the scan event says how many in all).
 * Nothing here runs in a heap without a log.
 */
#include "heap/heap_internal.h"

/* Logs block b as examined by a search for `need` bytes that took `chosen`. */
static void examine(struct heap *h, uint32_t b, uint32_t need, uint32_t chosen, int from_larger_class) {
    uint32_t s = block_size(h->mem, b);
    uint8_t why = b == chosen ? (from_larger_class ? EXAMINE_NEXT_CLASS : EXAMINE_CHOSEN)
                  : s < need  ? EXAMINE_TOO_SMALL
                              : EXAMINE_NOT_BEST;
    op_event(h, EV_EXAMINE, why, b, s, h->opt.policy == HEAP_FAST_FIT ? (uint32_t)heap_size_class(s) : 0);
}

/* Fast: the class event, then the request's own list, then the jump: to
 * the head of the first non-empty larger class, or past it when it was the
 * top block kept for last. */
static void walk_fast(struct heap *h, uint32_t need, uint32_t chosen, uint32_t scanned, uint32_t n) {
    int c = heap_size_class(need);
    int from = chosen ? heap_size_class(block_size(h->mem, chosen)) : HEAP_CLASS_COUNT;
    dbg_assert(from >= c && "the fast finder never takes a block of a smaller class");
    op_event(h, EV_CLASS, 0, (uint32_t)c, (uint32_t)from, 0);
    int jumped = chosen && from > c;
    uint32_t head = jumped ? h->head[list_first_nonempty(h, (uint32_t)c + 1)] : 0; /* the jump's first look */
    int top_passed = jumped && head != chosen;
    uint32_t own = scanned - (uint32_t)jumped - (uint32_t)top_passed, i = 0;
    for (uint32_t b = h->head[c]; b && i < own && i < n; b = block_next_free(h->mem, b), i++)
        examine(h, b, need, chosen, 0);
    if (top_passed && i++ < n)
        op_event(h, EV_EXAMINE, EXAMINE_TOP_LAST, head, block_size(h->mem, head), (uint32_t)heap_size_class(block_size(h->mem, head)));
    if (jumped && i < n) examine(h, chosen, need, chosen, !top_passed || block_next_free(h->mem, head) != chosen);
}

/* Logs the walk of the search for `need` bytes that examined `scanned`
 * entries and chose `chosen` (0 = none); `rover` is the next-fit rover as
 * the search found it. */
void fit_walk_log(struct heap *h, uint32_t need, uint32_t chosen, uint32_t scanned, uint32_t rover) {
    uint32_t cap = log_examine_cap(h->log), n = scanned < cap ? scanned : cap;
    if (h->opt.policy == HEAP_FAST_FIT) {
        walk_fast(h, need, chosen, scanned, n);
        return;
    }
    uint32_t head = h->head[0];
    uint32_t start = h->opt.policy == HEAP_NEXT_FIT && rover ? rover : head;
    int wrapped = start == head;
    uint32_t b = start;
    for (uint32_t i = 0; i < n && b; i++) {
        examine(h, b, need, chosen, 0);
        b = block_next_free(h->mem, b);
        if (!b && !wrapped) { /* next fit: from the end of the list back to its head */
            b = head;
            wrapped = 1;
        }
    }
}
