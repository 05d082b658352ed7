/* size_index.c: the multiset of free block sizes, kept only when the heap
 * has a log, so the log's "largest free block" after every op is read off
 * it instead of a walk of the free lists (which made a logged replay of
 * 200,000 first-fit ops on tens of thousands of free blocks spend ~80 us
 * per op walking). The list functions (freelist.h) add a size when a block
 * joins a list and remove it when it leaves.
 *
 * A 64-way bitmap trie over key = size / 8 (block sizes are multiples of
 * 8), as the two-level bitmaps of TLSF, one level more per 6 bits of key:
 *
 *   node:  mask (bit i set <=> slot i is not empty) + 64 slots
 *          inner node: slot = child node; leaf: slot = blocks of that size
 *   key =  [6 bits: root slot] ... [6 bits: leaf slot]   (height levels)
 *
 * The height grows with the largest key ever added (3 levels up to 2 MiB
 * blocks, 5 for 4 GiB), so add and remove touch `height` nodes, whatever
 * the number of free blocks: O(1) per op. The maximum is kept, and found
 * again (one bit scan per level) only when its last block leaves. (It
 * replaced a treap, O(log n) with rotations: 374 to 141 instructions per op
 * of the logged sqlite3 replay in the index, callgrind.) Nodes live
 * in one array (index 0 = none) with a free list of unused nodes; a node
 * whose mask empties is returned to it, so the index holds at most
 * `height` nodes per distinct size/512 of the free blocks. The leaf last
 * walked to is kept (hot): a split's remainder, or a block resized in
 * place, mostly shares it with the size it replaces, and goes straight there.
 */
#include <stdlib.h>
#include "heapinfo/heapinfo.h"

#define FANOUT_BITS 6
#define MAX_HEIGHT 5 /* keys < 2^29 (size / 8 of sizes < 2^32): 5 levels of 6 bits */
_Static_assert(FANOUT_BITS * MAX_HEIGHT >= 29, "the trie's height covers every key");

struct size_node {
    uint64_t mask;
    uint32_t slot[1u << FANOUT_BITS];
};

struct size_index {
    struct size_node *n; /* n[0] unused: index 0 means none */
    uint32_t cap, used, free_head, root, height; /* root 0 (height 0): empty */
    uint32_t max_key; /* the largest key held (0 when empty): read after every op, so kept, not searched */
    /* the leaf last walked to, while it holds a block (so its ancestors' bits are set):
     * keys of its 64 go straight to it (a split's remainder mostly shares the leaf of
     * the block it was cut from). hot_hi = key >> 6 of its keys, or NO_HOT. */
    uint32_t hot_hi, hot_leaf;
};

#define NO_HOT UINT32_MAX

struct size_index *size_index_create(void) {
    struct size_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->cap = 16;
    x->n = malloc(x->cap * sizeof *x->n);
    if (!x->n) {
        free(x);
        return NULL;
    }
    size_index_clear(x);
    return x;
}

void size_index_destroy(struct size_index *x) {
    if (!x) return;
    free(x->n);
    free(x);
}

void size_index_clear(struct size_index *x) {
    x->used = 1;
    x->free_head = x->root = x->height = x->max_key = 0;
    x->hot_hi = NO_HOT;
}

/* Returns the largest key under the root, one bit scan per level (not empty). */
static uint32_t max_descend(const struct size_index *x) {
    uint32_t t = x->root, key = 0;
    for (uint32_t level = x->height; level > 0; level--) {
        uint32_t i = 63 - (uint32_t)__builtin_clzll(x->n[t].mask);
        key = key << FANOUT_BITS | i;
        if (level > 1) t = x->n[t].slot[i];
    }
    return key;
}

/* Makes room for the nodes one add may create (a new root per level and a path); returns 0 or -1. */
static int nodes_reserve(struct size_index *x) {
    uint32_t need = 2 * MAX_HEIGHT;
    if (x->cap - x->used >= need) return 0;
    if (x->cap > UINT32_MAX / 4) return -1;
    struct size_node *n = realloc(x->n, (size_t)x->cap * 2 * sizeof *n);
    if (!n) return -1;
    x->n = n;
    x->cap *= 2;
    return 0;
}

/* Returns an empty node (room reserved by nodes_reserve). */
static uint32_t node_new(struct size_index *x) {
    uint32_t i = x->free_head;
    if (i) x->free_head = x->n[i].slot[0];
    else i = x->used++;
    x->n[i].mask = 0;
    return i;
}

static void node_free(struct size_index *x, uint32_t i) {
    x->n[i].slot[0] = x->free_head;
    x->free_head = i;
}

/* Returns slot i's bit. */
static inline uint64_t bit(uint32_t i) { return 1ull << i; }

/* Adds a block of key `key` to leaf t (in the trie, or new under set ancestor bits). */
static inline void leaf_add(struct size_index *x, uint32_t t, uint32_t key) {
    struct size_node *n = &x->n[t];
    uint32_t i = key & 63;
    if (n->mask & bit(i)) {
        n->slot[i]++;
    } else {
        n->slot[i] = 1;
        n->mask |= bit(i);
        if (key > x->max_key) x->max_key = key;
    }
}

/* Adds one block of `size` bytes. Returns 0 or -1 (out of host memory: the index is unchanged). */
int size_index_add(struct size_index *x, uint32_t size) {
    info_assert(size % 8 == 0 && "block sizes are multiples of 8");
    uint32_t key = size >> 3;
    if (key >> FANOUT_BITS == x->hot_hi) {
        leaf_add(x, x->hot_leaf, key);
        return 0;
    }
    if (nodes_reserve(x) != 0) return -1;
    struct size_node *n = x->n;
    if (!x->root) { /* an empty index: a root as tall as the key needs */
        x->root = node_new(x);
        for (x->height = 1; x->height < MAX_HEIGHT && key >> (FANOUT_BITS * x->height);) x->height++;
    }
    while (x->height < MAX_HEIGHT && key >> (FANOUT_BITS * x->height)) { /* a taller trie: the old root (not empty) is slot 0 */
        uint32_t r = node_new(x);
        n[r].mask = 1;
        n[r].slot[0] = x->root;
        x->root = r;
        x->height++;
    }
    uint32_t t = x->root;
    for (uint32_t level = x->height - 1; level > 0; level--) {
        uint32_t i = (key >> (FANOUT_BITS * level)) & 63;
        if (!(n[t].mask & bit(i))) {
            uint32_t c = node_new(x);
            n[t].slot[i] = c;
            n[t].mask |= bit(i);
        }
        t = n[t].slot[i];
    }
    leaf_add(x, t, key);
    x->hot_hi = key >> FANOUT_BITS;
    x->hot_leaf = t;
    return 0;
}

/* Removes one block of `size` bytes (present). */
void size_index_remove(struct size_index *x, uint32_t size) {
    uint32_t key = size >> 3, path[MAX_HEIGHT], t = x->root;
    struct size_node *n = x->n;
    info_assert(t && "removing a size from an empty index");
    if (key >> FANOUT_BITS == x->hot_hi) { /* the hot leaf, when it keeps a block: no node changes but it */
        struct size_node *leaf = &n[x->hot_leaf];
        uint32_t i = key & 63;
        info_assert((leaf->mask & bit(i)) && "removing a size the index does not hold");
        if (leaf->slot[i] > 1) {
            leaf->slot[i]--;
            return;
        }
        if (leaf->mask & ~bit(i)) {
            leaf->mask &= ~bit(i);
            if (key == x->max_key) x->max_key = max_descend(x);
            return;
        }
    }
    for (uint32_t level = x->height - 1; level > 0; level--) {
        path[level] = t;
        uint32_t i = (key >> (FANOUT_BITS * level)) & 63;
        info_assert((n[t].mask & bit(i)) && "removing a size the index does not hold");
        t = n[t].slot[i];
    }
    uint32_t i = key & 63;
    info_assert((n[t].mask & bit(i)) && "removing a size the index does not hold");
    x->hot_hi = key >> FANOUT_BITS;
    x->hot_leaf = t;
    if (--n[t].slot[i]) return;
    n[t].mask &= ~bit(i);
    if (!n[t].mask) x->hot_hi = NO_HOT; /* the leaf empties: freed below */
    /* empty nodes go back to the free list, and their bits in their parents */
    for (uint32_t level = 1; level < x->height && !n[t].mask; level++) {
        node_free(x, t);
        t = path[level];
        n[t].mask &= ~bit((key >> (FANOUT_BITS * level)) & 63);
    }
    if (!n[x->root].mask) size_index_clear(x);
    else if (key == x->max_key) x->max_key = max_descend(x);
}

uint32_t size_index_max(const struct size_index *x) { return x->max_key << 3; }

/* Returns the number of blocks under node t at `level` (1 = leaf), or
 * UINT32_MAX when a mask bit and its slot disagree or a node is not in use. */
static uint64_t count_at(const struct size_index *x, uint32_t t, uint32_t level) {
    if (t == 0 || t >= x->used) return UINT32_MAX;
    const struct size_node *n = &x->n[t];
    if (!n->mask) return UINT32_MAX; /* an empty node is freed, never kept */
    uint64_t sum = 0;
    for (uint32_t i = 0; i < 64; i++) {
        if (!(n->mask & bit(i))) continue;
        uint64_t c = level == 1 ? n->slot[i] : count_at(x, n->slot[i], level - 1);
        if (c == 0 || c == UINT32_MAX) return UINT32_MAX;
        sum += c;
    }
    return sum;
}

uint64_t size_index_count(const struct size_index *x) {
    if (!x->root) return x->height == 0 && x->max_key == 0 ? 0 : UINT32_MAX;
    if (x->height > MAX_HEIGHT || x->max_key != max_descend(x)) return UINT32_MAX;
    return count_at(x, x->root, x->height);
}
