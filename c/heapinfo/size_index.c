/* size_index.c: the multiset of free block sizes, kept only when the heap
 * has a log, so the log's "largest free block" after every op costs
 * O(log n) instead of a walk of the free lists (which made a logged replay
 * of 200,000 first-fit ops on tens of thousands of free blocks spend ~80 us
 * per op walking). The list functions (freelist.h) add a size when a block
 * joins a list and remove it when it leaves; the maximum is the rightmost
 * node. A treap: nodes keyed by size with a count of blocks of that size,
 * heap-ordered by a pseudo-random priority, so every operation is
 * O(log n) expected whatever order sizes arrive in. Nodes live in one
 * array (indices, 0 = none) with a free list of unused nodes.
 */
#include <stdlib.h>
#include "heapinfo/heapinfo.h"

struct size_node {
    uint32_t size, count, prio, kid[2]; /* kid[0] smaller sizes, kid[1] larger */
};

struct size_index {
    struct size_node *n; /* n[0] unused: index 0 means none */
    uint32_t cap, used, free_head, root, rng;
};

struct size_index *size_index_create(void) {
    struct size_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->cap = 64;
    x->n = malloc(x->cap * sizeof *x->n);
    if (!x->n) {
        free(x);
        return NULL;
    }
    x->used = 1;
    x->rng = 2463534242u;
    return x;
}

void size_index_destroy(struct size_index *x) {
    if (!x) return;
    free(x->n);
    free(x);
}

void size_index_clear(struct size_index *x) {
    x->used = 1;
    x->free_head = x->root = 0;
}

/* Returns a fresh node for size (count 1), or 0 when out of host memory. */
static uint32_t node_new(struct size_index *x, uint32_t size) {
    uint32_t i = x->free_head;
    if (i) {
        x->free_head = x->n[i].kid[0];
    } else {
        if (x->used == x->cap) {
            if (x->cap > UINT32_MAX / 2) return 0;
            struct size_node *n = realloc(x->n, (size_t)x->cap * 2 * sizeof *n);
            if (!n) return 0;
            x->n = n;
            x->cap *= 2;
        }
        i = x->used++;
    }
    x->rng ^= x->rng << 13, x->rng ^= x->rng >> 17, x->rng ^= x->rng << 5; /* xorshift32 */
    x->n[i] = (struct size_node){ size, 1, x->rng, { 0, 0 } };
    return i;
}

/* Rotates the subtree at *t so that its child on side d becomes its root. */
static void rotate(struct size_index *x, uint32_t *t, int d) {
    uint32_t c = x->n[*t].kid[d];
    x->n[*t].kid[d] = x->n[c].kid[!d];
    x->n[c].kid[!d] = *t;
    *t = c;
}

/* Adds one block of `size` under *t. Returns 0 or -1 (out of host memory). */
static int add_at(struct size_index *x, uint32_t *t, uint32_t size) {
    if (!*t) return (*t = node_new(x, size)) ? 0 : -1;
    struct size_node *n = &x->n[*t];
    if (n->size == size) {
        n->count++;
        return 0;
    }
    int d = size > n->size;
    uint32_t kid = n->kid[d];
    if (add_at(x, &kid, size) != 0) return -1;
    x->n[*t].kid[d] = kid; /* x->n may have moved */
    if (x->n[kid].prio > x->n[*t].prio) rotate(x, t, d);
    return 0;
}

/* Removes one block of `size` under *t (present). */
static void remove_at(struct size_index *x, uint32_t *t, uint32_t size) {
    struct size_node *n = &x->n[*t];
    if (n->size != size) {
        remove_at(x, &n->kid[size > n->size], size);
        return;
    }
    if (--n->count) return;
    /* rotate the node down until it has at most one child, then splice it out */
    while (n->kid[0] && n->kid[1]) {
        int d = x->n[n->kid[1]].prio > x->n[n->kid[0]].prio;
        rotate(x, t, d);
        t = &x->n[*t].kid[!d];
        n = &x->n[*t];
    }
    uint32_t i = *t;
    *t = n->kid[0] ? n->kid[0] : n->kid[1];
    x->n[i].kid[0] = x->free_head;
    x->free_head = i;
}

int size_index_add(struct size_index *x, uint32_t size) { return add_at(x, &x->root, size); }

void size_index_remove(struct size_index *x, uint32_t size) {
    info_assert(x->root && "removing a size from an empty index");
    remove_at(x, &x->root, size);
}

uint32_t size_index_max(const struct size_index *x) {
    uint32_t t = x->root;
    if (!t) return 0;
    while (x->n[t].kid[1]) t = x->n[t].kid[1];
    return x->n[t].size;
}

/* Returns the number of blocks in the subtree at t, or UINT32_MAX when it is
 * not a search tree of sizes within (lo, hi) with heap-ordered priorities. */
static uint64_t count_at(const struct size_index *x, uint32_t t, uint64_t lo, uint64_t hi, uint32_t depth) {
    if (!t) return 0;
    const struct size_node *n = &x->n[t];
    if (depth > x->used || n->size <= lo || n->size >= hi || n->count == 0) return UINT32_MAX;
    for (int d = 0; d < 2; d++)
        if (n->kid[d] && x->n[n->kid[d]].prio > n->prio) return UINT32_MAX;
    uint64_t a = count_at(x, n->kid[0], lo, n->size, depth + 1), b = count_at(x, n->kid[1], n->size, hi, depth + 1);
    return a == UINT32_MAX || b == UINT32_MAX ? UINT32_MAX : a + b + n->count;
}

uint64_t size_index_count(const struct size_index *x) { return count_at(x, x->root, 0, (uint64_t)UINT32_MAX + 1, 0); }
