/* size_index.c: the multiset of free block sizes, kept only when the heap
 * has a log, so the log's "largest free block" after every op is read off
 * it instead of a walk of the free lists (which made a logged replay of
 * 200,000 first-fit ops on tens of thousands of free blocks spend ~80 us
 * per op walking). The list functions (freelist.h) add a size when a block
 * joins a list and remove it when it leaves.
 *
 * key = size / 8 (block sizes are multiples of 8), split as
 *
 *   key =  [hi: key >> 6] [lo: 6 bits]
 *   dir[hi]  -> a leaf (0 = none yet): mask (bit lo set <=> count[lo] > 0)
 *               + count[64], the blocks of each of its 64 sizes
 *   sum[0]   bit hi set <=> leaf hi's mask is not 0
 *   sum[k]   bit j set  <=> word j of sum[k-1] is not 0 (k = 1..3)
 *
 * The directory is indexed directly, so an add or a remove is one load of
 * dir[hi] and a counter step: O(1) whatever the number of free blocks, no
 * search, no hash. The summary bits change only when a leaf empties or
 * stops being empty. The maximum is kept; when its last block leaves, the
 * new maximum is the highest set bit of the whole index (nothing above the
 * old one is set): four bit scans down the summary and one in the leaf.
 * A leaf that empties goes to a list of unused leaves (its counts are all
 * 0 already, so taking it again writes two words). Memory: the directory and summary grow to
 * the largest size added (4 bytes + 1/8 per 512 bytes of size: below 1% of
 * a heap whose largest free block is its whole break), the leaves (264
 * bytes) to the most 512-byte size ranges that held free blocks at once.
 * Measured (callgrind, logged replay of python_json under fast fit): the
 * 64-way trie it replaced (a path walk per call, nodes freed and re-made
 * as leaves emptied) cost 206 instructions per op; this one costs 26.
 */
#include <stdlib.h>
#include <string.h>
#include "heapinfo/heapinfo.h"

/* Words of summary level k for a directory of cap entries. */
static uint32_t sum_words(uint32_t cap, int k) {
    uint32_t w = cap >> (6 * (k + 1));
    return w ? w : 1;
}

struct size_index *size_index_create(void) {
    struct size_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->leaf_cap = 16;
    x->leaf = malloc(x->leaf_cap * sizeof *x->leaf);
    if (!x->leaf) {
        free(x);
        return NULL;
    }
    x->nleaf = 1;
    return x;
}

void size_index_destroy(struct size_index *x) {
    if (!x) return;
    free(x->dir);
    for (int k = 0; k < SIZE_LEVELS; k++) free(x->sum[k]);
    free(x->leaf);
    free(x);
}

void size_index_clear(struct size_index *x) {
    if (x->dir_cap) {
        memset(x->dir, 0, (size_t)x->dir_cap * sizeof *x->dir);
        for (int k = 0; k < SIZE_LEVELS; k++) memset(x->sum[k], 0, (size_t)sum_words(x->dir_cap, k) * sizeof *x->sum[k]);
    }
    x->nleaf = 1;
    x->free_leaf = 0;
    x->max_key = 0;
}

/* Makes the directory and summary cover hi; returns 0 or -1 (then unchanged but for capacity). */
static int dir_grow(struct size_index *x, uint32_t hi) {
    uint32_t cap = x->dir_cap ? x->dir_cap : 64;
    while (cap <= hi) cap *= 2;
    uint32_t *d = realloc(x->dir, (size_t)cap * sizeof *d);
    if (!d) return -1;
    memset(d + x->dir_cap, 0, (size_t)(cap - x->dir_cap) * sizeof *d);
    x->dir = d;
    for (int k = 0; k < SIZE_LEVELS; k++) {
        uint32_t was = x->dir_cap ? sum_words(x->dir_cap, k) : 0, now = sum_words(cap, k);
        uint64_t *s = realloc(x->sum[k], (size_t)now * sizeof *s);
        if (!s) return -1; /* dir_cap unchanged: the grown arrays are only larger */
        memset(s + was, 0, (size_t)(now - was) * sizeof *s);
        x->sum[k] = s;
    }
    x->dir_cap = cap;
    return 0;
}

/* Returns an empty leaf's index for hi (an unused one, its counts all 0
 * already, or a new one), or 0 when out of host memory. */
static uint32_t leaf_new(struct size_index *x, uint32_t hi) {
    uint32_t li = x->free_leaf;
    if (li) {
        x->free_leaf = x->leaf[li].next;
        x->leaf[li].hi = hi;
        return li;
    }
    if (x->nleaf == x->leaf_cap) {
        if (x->leaf_cap > UINT32_MAX / 2) return 0;
        struct size_leaf *l = realloc(x->leaf, (size_t)x->leaf_cap * 2 * sizeof *l);
        if (!l) return 0;
        x->leaf = l;
        x->leaf_cap *= 2;
    }
    memset(&x->leaf[x->nleaf], 0, sizeof x->leaf[0]);
    x->leaf[x->nleaf].hi = hi;
    return x->nleaf++;
}

/* Sets (on) or clears hi's bit in the summary, up as far as a word changes emptiness. */
static void sum_mark(struct size_index *x, uint32_t hi, int on) {
    uint32_t j = hi;
    for (int k = 0; k < SIZE_LEVELS; k++) {
        uint64_t *w = &x->sum[k][j >> 6], b = 1ull << (j & 63), was = *w;
        *w = on ? was | b : was & ~b;
        if (on ? was != 0 : *w != 0) return; /* the word's emptiness did not change: nothing above does */
        j >>= 6;
    }
}

/* Returns the largest key held (the index is not empty): one bit scan per level. */
static uint32_t max_descend(const struct size_index *x) {
    uint32_t j = 0;
    for (int k = SIZE_LEVELS - 1; k >= 0; k--) j = j << 6 | (63 - (uint32_t)__builtin_clzll(x->sum[k][j]));
    return j << 6 | (63 - (uint32_t)__builtin_clzll(x->leaf[x->dir[j]].mask));
}

/* size_index_add when hi has no leaf (or lies past the directory): a leaf
 * is made, the directory grown. Returns 0 or -1 (out of host memory: the
 * index is unchanged). */
int size_index_add_leaf(struct size_index *x, uint32_t size) {
    info_assert(size % 8 == 0 && "block sizes are multiples of 8");
    uint32_t key = size >> 3, hi = key >> 6, lo = key & 63;
    if (hi >= x->dir_cap && dir_grow(x, hi) != 0) return -1;
    uint32_t li = x->dir[hi];
    if (!li && !(li = x->dir[hi] = leaf_new(x, hi))) return -1;
    struct size_leaf *l = &x->leaf[li];
    if (l->count[lo]++) return 0;
    if (!l->mask) sum_mark(x, hi, 1);
    l->mask |= 1ull << lo;
    if (key > x->max_key) x->max_key = key;
    return 0;
}

/* size_index_remove after the last block of key left leaf l: the leaf
 * emptied, or the key was the maximum. */
void size_index_emptied(struct size_index *x, uint32_t key, struct size_leaf *l) {
    uint32_t hi = key >> 6;
    if (!l->mask) { /* the leaf empties: unused until a size of its range comes back */
        sum_mark(x, hi, 0);
        l->hi = FREE_LEAF;
        l->next = x->free_leaf;
        x->free_leaf = x->dir[hi];
        x->dir[hi] = 0;
    }
    if (key != x->max_key) return;
    if (l->mask) x->max_key = hi << 6 | (63 - (uint32_t)__builtin_clzll(l->mask)); /* the next one down is in its leaf */
    else x->max_key = x->sum[SIZE_LEVELS - 1][0] ? max_descend(x) : 0;
}



/* Returns 1 when every set bit under word j of summary level k names a
 * non-empty word below (at level 0: a leaf with a non-empty mask). */
static int bits_ok(const struct size_index *x, int k, uint32_t j) {
    for (uint64_t m = x->sum[k][j]; m; m &= m - 1) {
        uint32_t c = j << 6 | (uint32_t)__builtin_ctzll(m);
        if (k == 0 ? c >= x->dir_cap || !x->dir[c] || !x->leaf[x->dir[c]].mask
                   : c >= sum_words(x->dir_cap, k - 1) || !x->sum[k - 1][c] || !bits_ok(x, k - 1, c))
            return 0;
    }
    return 1;
}

/* Returns the number of blocks held, or UINT32_MAX when a leaf's mask and
 * counts, the summary and the leaves, or the kept maximum disagree. Visits
 * the leaves and the summary's set bits, not the whole directory. */
uint64_t size_index_count(const struct size_index *x) {
    if (!x->dir_cap) return x->max_key == 0 && x->nleaf == 1 ? 0 : UINT32_MAX;
    uint64_t sum = 0;
    uint32_t top = 0;
    for (uint32_t li = 1; li < x->nleaf; li++) {
        const struct size_leaf *l = &x->leaf[li];
        if (l->hi == FREE_LEAF) continue; /* unused (its counts are 0: it emptied) */
        if (!l->mask || l->hi >= x->dir_cap || x->dir[l->hi] != li) return UINT32_MAX;
        for (uint32_t i = 0; i < 64; i++) {
            if ((l->count[i] != 0) != ((l->mask >> i) & 1)) return UINT32_MAX;
            sum += l->count[i];
        }
        if (l->mask) { /* its bit is set at every level of the summary */
            for (uint32_t k = 0, j = l->hi; k < SIZE_LEVELS; k++, j >>= 6)
                if (!((x->sum[k][j >> 6] >> (j & 63)) & 1)) return UINT32_MAX;
            uint32_t t = l->hi << 6 | (63 - (uint32_t)__builtin_clzll(l->mask));
            if (t > top) top = t;
        }
    }
    if (!bits_ok(x, SIZE_LEVELS - 1, 0) || x->max_key != top) return UINT32_MAX;
    return sum;
}
