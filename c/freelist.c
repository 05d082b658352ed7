/* freelist.c: the explicit, doubly linked free list, in the three orders
 * (LIFO: insert at the head; FIFO: at the tail; ADDR: sorted by address),
 * and the free-space counters that go with it.
 *
 * Invariants kept here: head/tail are the list's ends; every listed block
 * is free; prev(next(b)) == b; free_bytes/free_count sum the listed
 * blocks; the next-fit rover is 0 or a listed block. The largest free
 * block is derived by walking, only when asked (logging, statistics).
 */
#include "heap_internal.h"

/* Links b into the list between p and n (either may be 0). */
static void list_link(struct heap *h, uint32_t b, uint32_t p, uint32_t n) {
    block_set_prev_free(h->mem, b, p);
    block_set_next_free(h->mem, b, n);
    if (p) block_set_next_free(h->mem, p, b); else h->head = b;
    if (n) block_set_prev_free(h->mem, n, b); else h->tail = b;
}

/* Inserts free block b where the heap's order puts it. */
void list_insert(struct heap *h, uint32_t b) {
    switch (h->opt.order) {
    case HEAP_ORDER_LIFO:
        list_link(h, b, 0, h->head);
        break;
    case HEAP_ORDER_FIFO:
        list_link(h, b, h->tail, 0);
        break;
    default: { /* address order: first entry above b */
        uint32_t n = h->head;
        while (n && n < b) n = block_next_free(h->mem, n);
        list_link(h, b, n ? block_prev_free(h->mem, n) : h->tail, n);
        break;
    }
    }
}

/* Unlinks b; a rover on b moves to the entry after it. */
void list_remove(struct heap *h, uint32_t b) {
    uint32_t p = block_prev_free(h->mem, b), n = block_next_free(h->mem, b);
    if (p) block_set_next_free(h->mem, p, n); else h->head = n;
    if (n) block_set_prev_free(h->mem, n, p); else h->tail = p;
    if (h->rover == b) h->rover = n;
}

/* new_b takes old_b's place in the list (split remainders, merges). */
void list_replace(struct heap *h, uint32_t old_b, uint32_t new_b) {
    uint32_t p = block_prev_free(h->mem, old_b), n = block_next_free(h->mem, old_b);
    list_link(h, new_b, p, n);
    if (h->rover == old_b) h->rover = new_b;
}

/* Returns the largest free block size, walking the list. */
uint32_t largest_free_walk(const struct heap *h) {
    uint32_t best = 0;
    for (uint32_t b = h->head; b; b = block_next_free(h->mem, b)) {
        uint32_t s = block_size(h->mem, b);
        if (s > best) best = s;
    }
    return best;
}
