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
 *   sum[0]   bit hi set <=> dir[hi] is a leaf (maybe parked: empty)
 *   sum[k]   bit j set  <=> word j of sum[k-1] is not 0 (k = 1..3)
 *
 * for every free block but one of the largest (the top block, below).
 * The directory is indexed directly, so an add or a remove is one load of
 * dir[hi] and a counter step: O(1) whatever the number of free blocks, no
 * search, no hash. The summary bits change only when a leaf joins or
 * leaves the directory. The maximum is kept; when its last block leaves,
 * the new maximum is the highest key below it: in its own leaf, else the
 * nearest leaf below in the summary (up to the first word with a bit below
 * the path's, then down: one word for a neighbour, four levels at most).
 * A leaf that empties is parked: it stays in the directory, its summary
 * bit set, so an add into it is the inline counter step, and it leaves
 * for a list of unused leaves (its counts are all 0 already, so taking it
 * again writes two words) when SIZE_PARK more leaves have emptied after it
 * (a ring of their his) or when a search for the maximum passes over it
 * (so no search passes more than SIZE_PARK, and none passes one twice). A
 * heap's top block cut by small requests empties a leaf every 512 bytes
 * and often comes back: python_json's logged replay emptied and re-made a
 * leaf 61,600 times in 227,000 ops (68% of them the leaf emptied last, 80%
 * one of the last 8); parked, 15,400 leave the directory. Measured
 * (callgrind, logged replay, fast, instructions per op of the whole
 * replay): gcc 455.7 -> 451.8, git_log 530.3 -> 529.7, python_json 512.5
 * -> 496.4, sqlite3 456.4 -> 454.3. (Summary bits cleared while parked, so
 * the search never passes a parked leaf, cost more: the refill's mark
 * outweighed the leaves kept: 461/537/516/461; a park of 64 whose leaves
 * the search passed over and kept: git_log 571.) Memory: the directory and summary grow to
 * the largest size added (4 bytes + 1/8 per 512 bytes of size: below 1% of
 * a heap whose largest free block is its whole break), the leaves (264
 * bytes) to the most 512-byte size ranges that held free blocks at once,
 * plus SIZE_PARK.
 * The top block. The largest block is held outside the leaves (top_key;
 * max_key is then the leaves' largest, the second largest block): a top
 * block that is cut or grown and stays at least the leaves' largest, as a
 * heap's top block cut by small requests or grown by a free beside it,
 * changes one word and no leaf (a free merged into it counts as its growth:
 * listed_merged, freelist.h); a larger block added sends the old top to
 * the leaves, and a top that leaves (or falls below) takes the leaves'
 * largest out (the search above, as before). git_log's large blocks lie
 * far apart, one to a leaf, so its top block's cuts had made and emptied
 * a leaf every 512 bytes and parking did not help (SIZE_PARK 16 -> 64 ->
 * 256: git_log 387.0 -> 384.6 -> 385.2 log-on minus log-off instructions
 * per op). Measured (callgrind, logged replay, fast, every slice's events
 * logged, log-on minus log-off instructions per op): gcc 316.2 -> 326.4,
 * git_log 387.0 -> 363.9, python_json 352.8 -> 322.3, sqlite3 343.7 ->
 * 354.2 (gcc and sqlite3 pay its tests and rarely cut their top block;
 * the add_leaf, emptied and leaf_drop calls per op on git_log: 0.29, 0.44,
 * 0.29 -> 0.04, 0.16, 0.14).
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
    x->top_key = x->max_key = 0;
    memset(x->park, 0, sizeof x->park);
    x->park_at = 0;
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

/* Returns the highest hi below `hi` whose leaf is in the directory (maybe
 * parked, empty), or FREE_LEAF when there is none: up the summary to the
 * first word with a set bit below the path's, then down its highest bits
 * (a neighbour: one word). */
static uint32_t leaf_below(const struct size_index *x, uint32_t hi) {
    uint32_t j = hi;
    int k = 0;
    for (;; j >>= 6, k++) {
        if (k == SIZE_LEVELS) return FREE_LEAF;
        uint64_t w = x->sum[k][j >> 6] & ((1ull << (j & 63)) - 1);
        if (w) {
            j = (j & ~63u) | (63 - (uint32_t)__builtin_clzll(w));
            break;
        }
    }
    while (k-- > 0) j = j << 6 | (63 - (uint32_t)__builtin_clzll(x->sum[k][j]));
    return j;
}

static void leaf_drop(struct size_index *x, uint32_t hi);

/* Returns the largest key below leaf hi's range (0 when none). A parked
 * leaf passed over leaves the directory, so no search passes it twice. */
static uint32_t max_below(struct size_index *x, uint32_t hi) {
    for (uint32_t j = hi; (j = leaf_below(x, j)) != FREE_LEAF;) {
        uint64_t m = x->leaf[x->dir[j]].mask;
        if (m) return j << 6 | (63 - (uint32_t)__builtin_clzll(m));
        leaf_drop(x, j);
    }
    return 0;
}

/* size_index_add when hi has no leaf (or lies past the directory): a leaf
 * is made, the directory grown. Returns 0 or -1 (out of host memory: the
 * index is unchanged). */
int size_index_add_leaf(struct size_index *x, uint32_t key) {
    uint32_t hi = key >> 6, lo = key & 63;
    if (hi >= x->dir_cap && dir_grow(x, hi) != 0) return -1;
    uint32_t li = x->dir[hi];
    if (!li) {
        if (!(li = leaf_new(x, hi))) return -1;
        x->dir[hi] = li;
        sum_mark(x, hi, 1);
    }
    struct size_leaf *l = &x->leaf[li];
    if (l->count[lo]++) return 0;
    l->mask |= 1ull << lo;
    if (key > x->max_key) x->max_key = key;
    return 0;
}

/* Takes parked leaf hi out of the directory: unused until a size of its range comes back. */
static void leaf_drop(struct size_index *x, uint32_t hi) {
    uint32_t li = x->dir[hi];
    sum_mark(x, hi, 0);
    x->leaf[li].hi = FREE_LEAF;
    x->leaf[li].next = x->free_leaf;
    x->free_leaf = li;
    x->dir[hi] = 0;
}

/* size_index_remove after the last block of key left leaf l: the leaf
 * emptied (it is parked: it stays in the directory, and the leaf that
 * emptied SIZE_PARK empties ago leaves it if still empty), or the key was
 * the maximum. */
void size_index_emptied(struct size_index *x, uint32_t key, struct size_leaf *l) {
    uint32_t hi = key >> 6;
    if (!l->mask) {
        uint32_t old = x->park[x->park_at];
        x->park[x->park_at] = hi;
        x->park_at = (x->park_at + 1) & (SIZE_PARK - 1);
        if (old != hi && old < x->dir_cap && x->dir[old] && !x->leaf[x->dir[old]].mask) leaf_drop(x, old);
    }
    if (key != x->max_key) return;
    if (l->mask) x->max_key = hi << 6 | (63 - (uint32_t)__builtin_clzll(l->mask)); /* the next one down is in its leaf */
    else x->max_key = max_below(x, hi);
}

int size_index_add_call(struct size_index *x, uint32_t size) { return size_index_add(x, size); }
void size_index_remove_call(struct size_index *x, uint32_t size) { size_index_remove(x, size); }
int size_index_resize_call(struct size_index *x, uint32_t old_size, uint32_t new_size) {
    return size_index_resize(x, old_size, new_size);
}

/* Returns 1 when every set bit under word j of summary level k names a
 * non-empty word below (at level 0: a leaf in the directory). */
static int bits_ok(const struct size_index *x, int k, uint32_t j) {
    for (uint64_t m = x->sum[k][j]; m; m &= m - 1) {
        uint32_t c = j << 6 | (uint32_t)__builtin_ctzll(m);
        if (k == 0 ? c >= x->dir_cap || !x->dir[c]
                   : c >= sum_words(x->dir_cap, k - 1) || !x->sum[k - 1][c] || !bits_ok(x, k - 1, c))
            return 0;
    }
    return 1;
}

/* Returns 1 when hi is in the park's ring. */
static int parked(const struct size_index *x, uint32_t hi) {
    for (uint32_t i = 0; i < SIZE_PARK; i++)
        if (x->park[i] == hi) return 1;
    return 0;
}

/* Returns the number of blocks held, or UINT32_MAX when a leaf's mask and
 * counts, the summary and the leaves, the park or the kept maximum
 * disagree. Visits the leaves and the summary's set bits, not the whole
 * directory. */
uint64_t size_index_count(const struct size_index *x) {
    if (x->top_key < x->max_key || (!x->top_key && x->max_key)) return UINT32_MAX; /* the top block is the largest */
    if (!x->dir_cap) return x->max_key == 0 && x->nleaf == 1 ? (x->top_key != 0) : UINT32_MAX;
    uint64_t sum = 0;
    uint32_t top = 0, empty = 0;
    for (uint32_t li = 1; li < x->nleaf; li++) {
        const struct size_leaf *l = &x->leaf[li];
        if (l->hi == FREE_LEAF) continue; /* unused (its counts are 0: it emptied) */
        if (l->hi >= x->dir_cap || x->dir[l->hi] != li) return UINT32_MAX;
        for (uint32_t i = 0; i < 64; i++) {
            if ((l->count[i] != 0) != ((l->mask >> i) & 1)) return UINT32_MAX;
            sum += l->count[i];
        }
        for (uint32_t k = 0, j = l->hi; k < SIZE_LEVELS; k++, j >>= 6) /* its bit is set at every level of the summary */
            if (!((x->sum[k][j >> 6] >> (j & 63)) & 1)) return UINT32_MAX;
        if (!l->mask) { /* parked: one of the last SIZE_PARK leaves to empty */
            if (++empty > SIZE_PARK || !parked(x, l->hi)) return UINT32_MAX;
            continue;
        }
        uint32_t t = l->hi << 6 | (63 - (uint32_t)__builtin_clzll(l->mask));
        if (t > top) top = t;
    }
    if (!bits_ok(x, SIZE_LEVELS - 1, 0) || x->max_key != top || (!x->top_key && sum)) return UINT32_MAX;
    return sum + (x->top_key != 0);
}
