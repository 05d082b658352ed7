/* heapinfo.h: what the heap keeps only for its observers (the event log,
 * the page, payload_info): the ids and requested sizes of live payloads
 * (live_table.c) and the multiset of free block sizes whose maximum the log
 * records after every op (size_index.c). The allocator's decisions never
 * read them; a heap without a log or payload_info keeps none of it.
 * Depends on nothing: the heap (c/heap) includes this, never the reverse.
 * What a logged replay spends here (callgrind, python_json under fast,
 * instructions per op): the inline probes and counter steps ~82, the size
 * index's out-of-line leaf work 31 (50 before leaves were parked: its
 * essay), the live table's growth and back-shifts 13. (Fibonacci hashing,
 * the product's top bits, left the live table's cost as it was: 485.7 ->
 * 486.7 per op in all.) The size index's top block (size_index.c) took
 * git_log's out-of-line size index work from 66 instructions per op to
 * 37, and counting a free merged into it as its growth (freelist.h's
 * listed_merged) to 27; the live table's probes and counter steps there
 * are ~40 per op (live_slot_of below).
 */
#ifndef HEAPLAB_HEAPINFO_H
#define HEAPLAB_HEAPINFO_H

#include <assert.h>
#include <stdint.h>

/* The heap's debug tier (heap/heap_debug.h, -DHEAP_DEBUG=N) at level 1 and up: an internal assumption. */
#if defined(HEAP_DEBUG) && HEAP_DEBUG >= 1
#define info_assert(cond) assert(cond)
#else
#define info_assert(cond) ((void)0)
#endif

/* The size index's add, remove and resize: forced inline into the logged
 * fast heap's bodies (SPEC_LOGGED, freelist.h), as calls everywhere else
 * (size_index_add_call ...: inline in every spec's bodies, the packed
 * wasm module grew 215 -> 230 KB, past the page's budget; left to the
 * compilers, gcc made add and remove calls in the logged bodies too: gcc
 * 320.4 -> 326.4 log-on minus log-off instructions per op, sqlite3 348.0
 * -> 354.2). */
#define INFO_INLINE static inline __attribute__((always_inline))

/* One live payload: what the user asked for, and the block's logical id. */
struct live_entry {
    uint32_t off;  /* payload offset; 0 = empty slot */
    uint32_t size; /* requested bytes */
    int64_t id;
};

/* Open-addressing table of live payloads (linear probing, backward-shift delete). */
struct live_table {
    struct live_entry *slots;
    uint32_t cap;   /* power of two, or 0 */
    uint32_t count;
};

/* live_table.c; the probes are inline here (one per op of a logging heap:
 * as calls they cost 67 instructions per op of the logged python_json
 * replay, inline 40, callgrind). */
int live_init(struct live_table *t);
void live_destroy(struct live_table *t);
void live_clear(struct live_table *t);
int live_grow(struct live_table *t);
void live_shift_back(struct live_table *t, uint32_t i);

/* Returns the home slot of off. */
static inline uint32_t live_hash(uint32_t off, uint32_t cap) {
    return (uint32_t)((off >> 3) * 2654435761u) & (cap - 1);
}

/* Returns the entry for off, or NULL. */
static inline struct live_entry *live_find(const struct live_table *t, uint32_t off) {
    if (off == 0 || t->cap == 0) return NULL;
    for (uint32_t i = live_hash(off, t->cap);; i = (i + 1) & (t->cap - 1)) {
        if (t->slots[i].off == off) return &t->slots[i];
        if (t->slots[i].off == 0) return NULL;
    }
}

/* Returns the slot of off, which is present (a live payload: the heap's
 * bitmap says so, and the checker that the two agree): no test for an
 * empty slot or an empty table, and the slot's index kept for the remove
 * (callgrind, the page's logged replay, log-on minus log-off per op: gcc
 * 280.8 -> 276.0, git_log 308.5 -> 303.6, python_json 270.4 -> 265.5,
 * sqlite3 309.0 -> 304.3, against live_find and live_remove_at). */
static inline uint32_t live_slot_of(const struct live_table *t, uint32_t off) {
    info_assert(live_find(t, off) && "live_slot_of: not a live payload");
    uint32_t i = live_hash(off, t->cap);
    while (t->slots[i].off != off) i = (i + 1) & (t->cap - 1);
    return i;
}

/* Makes room for one more entry. Returns 0, or -1 when out of host memory. */
static inline int live_reserve(struct live_table *t) {
    return (uint64_t)(t->count + 1) * 2 > t->cap ? live_grow(t) : 0;
}

/* Adds off (not present yet; live_reserve succeeded before). */
static inline void live_insert(struct live_table *t, uint32_t off, uint32_t size, int64_t id) {
    info_assert(t->count + 1 <= t->cap / 2 && "live_reserve must run first");
    uint32_t i = live_hash(off, t->cap);
    while (t->slots[i].off) i = (i + 1) & (t->cap - 1);
    t->slots[i] = (struct live_entry){ off, size, id };
    t->count++;
}

/* Empties slot i (an entry's: live_slot_of). */
static inline void live_remove_slot(struct live_table *t, uint32_t i) {
    t->count--;
    if (t->slots[(i + 1) & (t->cap - 1)].off) live_shift_back(t, i); /* a probe run goes on past it */
    else t->slots[i].off = 0;
}

/* Removes entry e (found by live_find). */
static inline void live_remove_at(struct live_table *t, struct live_entry *e) { live_remove_slot(t, (uint32_t)(e - t->slots)); }

/* Removes off if present. */
static inline void live_remove(struct live_table *t, uint32_t off) {
    struct live_entry *e = live_find(t, off);
    if (e) live_remove_at(t, e);
}

/* size_index.c: the multiset of free block sizes (the log's largest free
 * block in O(1); its design is at the top of size_index.c). The layout is
 * here so that add and remove, run at every list change of a logging heap,
 * inline to a load and a counter step; what is rarer (a new leaf, a leaf
 * emptied, the maximum's last block gone) is in size_index.c. A leaf in
 * the directory may be empty (parked: one of the last SIZE_PARK to empty),
 * so an add into it is the same load and counter step. */
#define SIZE_LEVELS 4 /* summary levels: 6 bits of hi each, and hi has 29 - 6 = 23 bits */
#define FREE_LEAF UINT32_MAX
#define SIZE_PARK 16 /* emptied leaves kept in the directory (size_index.c's essay) */
_Static_assert((SIZE_PARK & (SIZE_PARK - 1)) == 0, "the park is a ring indexed with a mask");
_Static_assert(6 * SIZE_LEVELS >= 23, "the summary covers every hi");

struct size_leaf {
    uint64_t mask;
    uint32_t hi;   /* its place in the directory (the checker's way back); FREE_LEAF when unused */
    uint32_t next; /* an unused leaf: the next unused one (0 = none) */
    uint32_t count[64];
};

struct size_index {
    uint32_t *dir;          /* leaf index per hi (0 = none) */
    uint32_t dir_cap;       /* entries of dir: a power of two >= 64, or 0 */
    struct size_leaf *leaf; /* leaf[0] unused */
    uint32_t nleaf, leaf_cap, free_leaf; /* free_leaf: the first unused leaf below nleaf (0 = none) */
    uint64_t *sum[SIZE_LEVELS]; /* sum[k] has dir_cap >> (6 * (k + 1)) words, at least 1 */
    uint32_t top_key;       /* the largest key held (0 when empty): one block of it is held here, outside the leaves */
    uint32_t max_key;       /* the largest key in the leaves (0 when they are empty): read after a top block leaves, so kept */
    uint32_t park[SIZE_PARK]; /* the his of the last leaves that emptied (a ring): each may still be in the directory, empty */
    uint32_t park_at;       /* the ring's next slot (its oldest entry) */
};

struct size_index *size_index_create(void);
void size_index_destroy(struct size_index *x);
void size_index_clear(struct size_index *x);
int size_index_add_leaf(struct size_index *x, uint32_t key);
void size_index_emptied(struct size_index *x, uint32_t key, struct size_leaf *l);
uint64_t size_index_count(const struct size_index *x); /* UINT32_MAX when malformed (the checker) */

/* The leaves' add of one block of key `key` (the top block is not theirs). Returns 0 or -1. */
INFO_INLINE int size_leaves_add(struct size_index *x, uint32_t key) {
    uint32_t hi = key >> 6, li = hi < x->dir_cap ? x->dir[hi] : 0;
    if (!li) return size_index_add_leaf(x, key);
    struct size_leaf *l = &x->leaf[li]; /* in the directory (maybe parked, empty): the summary has its bit */
    if (l->count[key & 63]++ == 0) {
        l->mask |= 1ull << (key & 63);
        if (key > x->max_key) x->max_key = key;
    }
    return 0;
}

/* The leaves' remove of one block of key `key` (present in them). */
INFO_INLINE void size_leaves_remove(struct size_index *x, uint32_t key) {
    uint32_t hi = key >> 6;
    info_assert(hi < x->dir_cap && x->dir[hi] && x->leaf[x->dir[hi]].count[key & 63] && "removing a size the index does not hold");
    struct size_leaf *l = &x->leaf[x->dir[hi]];
    if (--l->count[key & 63]) return;
    l->mask &= ~(1ull << (key & 63));
    if (!l->mask || key == x->max_key) size_index_emptied(x, key, l);
}

/* Adds one block of `size` bytes. Returns 0 or -1 (out of host memory: the index is unchanged). */
INFO_INLINE int size_index_add(struct size_index *x, uint32_t size) {
    info_assert(size % 8 == 0 && size >= 8 && "block sizes are multiples of 8");
    uint32_t key = size >> 3, top = x->top_key;
    if (key <= top) return size_leaves_add(x, key);
    x->top_key = key; /* the new top block: the old one goes to the leaves */
    if (top && size_leaves_add(x, top) != 0) {
        x->top_key = top;
        return -1;
    }
    return 0;
}

/* Removes one block of `size` bytes (present). */
INFO_INLINE void size_index_remove(struct size_index *x, uint32_t size) {
    uint32_t key = size >> 3;
    if (key != x->top_key) {
        size_leaves_remove(x, key);
        return;
    }
    uint32_t next = x->max_key; /* the leaves' largest block becomes the top one */
    x->top_key = next;
    if (next) size_leaves_remove(x, next);
}

/* One block changes from old_size to new_size bytes. The top block that
 * stays the largest (a heap's top block cut or grown) changes only the
 * top key; otherwise the new size is added first, so a leaf both share
 * does not empty and refill, and a maximum that shrinks is found again in
 * its own leaf. Returns 0 or -1 (out of host memory: the index is
 * unchanged). */
INFO_INLINE int size_index_resize(struct size_index *x, uint32_t old_size, uint32_t new_size) {
    uint32_t new_key = new_size >> 3;
    if (old_size >> 3 == x->top_key && new_key >= x->max_key) {
        x->top_key = new_key;
        return 0;
    }
    if (size_index_add(x, new_size) != 0) return -1;
    size_index_remove(x, old_size);
    return 0;
}

/* The same three as calls (size_index.c). */
int size_index_add_call(struct size_index *x, uint32_t size);
void size_index_remove_call(struct size_index *x, uint32_t size);
int size_index_resize_call(struct size_index *x, uint32_t old_size, uint32_t new_size);

/* Returns the largest size held (0 when empty). */
static inline uint32_t size_index_max(const struct size_index *x) { return x->top_key << 3; }

#endif
