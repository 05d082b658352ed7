/* freelist.h: the free-list operations every allocation and free runs,
 * inline, so a malloc or free is one call deep (the hot path of every
 * policy; see the fast policy's essay in fit.c for what it bought). The lists, their orders, the size classes
 * and the invariants these functions keep are described in freelist.c,
 * which holds the rest (clearing, the largest-free walk, the public class
 * functions). Included by heap_internal.h only.
 */
#ifndef HEAPLAB_FREELIST_H
#define HEAPLAB_FREELIST_H

/* Class of a free block of `size` bytes under the fast policy (heap_size_class):
 *   s < 128:  s / 8 (2..15: exact sizes);  s >= 128: 16 + 4*(log2(s) - 7) + the next 2 bits of s */
/* Forced inline: every list call sits on the hot path of malloc or free
 * (measured with callgrind: 332 -> 307 instructions per op on python_json). */
#define LIST_INLINE static inline __attribute__((always_inline))

static inline uint32_t size_class_of(uint32_t size) {
    if (size < 128) return size >> 3;
    uint32_t fl = 31 ^ (uint32_t)__builtin_clz(size); /* = 31 - clz: gcc makes it one bsr */
    return 4 * fl + (size >> (fl - 2)) - 16; /* = 16 + 4*(fl - 7) + (s >> (fl-2)) - 4: the top 3 bits are 1xx */
}

/* What a caller of the list functions below knows at compile time (K, a
 * constant at every call: the compiler drops the tests it answers; the
 * malloc and free bodies in heap.c are instantiated once per spec):
 *   SPEC_ANY        nothing: the options and the log are read at run time
 *   SPEC_QUIET      the heap has neither log nor live table
 *   SPEC_FAST_LIFO  fast policy, LIFO order, coalescing, 8-byte alignment
 *                   (every default but the policy's; the rover is never
 *                   set; the request's rounding is a constant)
 * Each spec only skips tests whose answer it knows: every spec makes the
 * same decisions on the same heap. */
#define SPEC_ANY 0
#define SPEC_QUIET 1
#define SPEC_FAST_LIFO 2
/*   SPEC_LOGGED     the heap has a log and a live table (the page's logged
 *                   replay runs SPEC_LOGGED | SPEC_FAST_LIFO: no option
 *                   test, no log test at a hook) */
#define SPEC_LOGGED 4
/* Returns 1 when the heap logs (the log hooks run), 0 when it does not; a
 * constant for SPEC_QUIET and SPEC_LOGGED. */
#define SPEC_HAS_LOG(K, h) (((K) & SPEC_LOGGED) || (!((K) & SPEC_QUIET) && (h)->log))
/* The same for the live table (ids and requested sizes). */
#define SPEC_HAS_INFO(K, h) (((K) & SPEC_LOGGED) || (!((K) & SPEC_QUIET) && (h)->info))

/* Returns the list a free block of `size` bytes belongs to. */
static inline uint32_t spec_class(int K, const struct heap *h, uint32_t size) {
    return (K & SPEC_FAST_LIFO) || h->opt.policy == HEAP_FAST_FIT ? size_class_of(size) : 0;
}
static inline uint32_t list_class(const struct heap *h, uint32_t size) { return spec_class(SPEC_ANY, h, size); }


/* Returns the first non-empty class >= from_class, or HEAP_CLASS_COUNT. */
static inline uint32_t list_first_nonempty(const struct heap *h, uint32_t from_class) {
    if (from_class < 64) {
        uint64_t bits = h->class_map[0] & (~0ull << from_class);
        if (bits) return (uint32_t)__builtin_ctzll(bits);
        from_class = 64;
    }
    uint64_t bits = from_class < 128 ? h->class_map[1] & (~0ull << (from_class - 64)) : 0;
    return bits ? (uint32_t)(64 + __builtin_ctzll(bits)) : HEAP_CLASS_COUNT;
}

/* Entries of the request's own class the fast policy examines (fit.c's essay). */
#define FAST_SCAN 32

/* The fast policy's search (fit.c's essay): the best fit among the first
 * FAST_SCAN entries of the request's class, else the head of the next
 * non-empty class; but the top block (the free block that ends at the
 * epilogue, which the break grows into) is taken last: when it heads that
 * class, the next entry of the class is taken, else the head of the next
 * non-empty class after it, and the top block only when neither exists.
 * Returns the block (0 = none) and counts the entries examined in
 * *scanned (the top block passed over is one); *found_class is the
 * block's list (HEAP_CLASS_COUNT for none: the quick bodies test it, as
 * gcc knows it on each path, where it cannot know that a class's bit
 * means a head). Inline here, beside the lists it reads, so a malloc is
 * one call deep (heap.c). */
LIST_INLINE uint32_t fast_search(const struct heap *h, uint32_t need, uint32_t *scanned, uint32_t *found_class) {
    uint32_t c = size_class_of(need);
    uint32_t best = 0, best_size = UINT32_MAX, k = 0;
    if (need < 128) { /* a class of one size: its head fits exactly (the scan below would stop there) */
        if ((best = h->head[c])) {
            *scanned = 1;
            *found_class = c;
            return best;
        }
    } else {
        for (uint32_t b = h->head[c]; b && k < FAST_SCAN; b = block_next_free(h->mem, b), k++) {
            uint32_t s = block_size(h->mem, b);
            if (s >= need && s < best_size) {
                best = b;
                best_size = s;
                if (s == need) { k++; break; }
            }
        }
    }
    *scanned = k;
    *found_class = c;
    if (best) return best;
    uint32_t nc = list_first_nonempty(h, c + 1);
    *found_class = nc;
    if (nc == HEAP_CLASS_COUNT) return 0;
    ++*scanned;
    uint32_t b = h->head[nc];
    if (__builtin_expect(b + block_size(h->mem, b) == h->brk - BLOCK_HEADER_SIZE, 0)) { /* the top block */
        uint32_t other = block_next_free(h->mem, b);
        if (!other) {
            uint32_t after = list_first_nonempty(h, nc + 1);
            if (after == HEAP_CLASS_COUNT) return b;
            *found_class = after;
            other = h->head[after];
        }
        ++*scanned;
        return other;
    }
    return b;
}

/* What a heap that logs keeps about the listed blocks (its op records read
 * them after every op): their count and bytes and the size index. Without
 * a log nothing is kept, and heap_stats.c walks the lists when asked.
 * (Forced inline: with the size index's top block, size_index.c, gcc made
 * listed_joins a call: git_log's logged replay 373.5 -> 362.6 instructions
 * per op forced.) The size index inline in the logged fast bodies only
 * (heapinfo.h says why). */

/* The size index's add, remove and resize: inline in the logged fast
 * bodies, calls in every other spec's (heapinfo.h). */
LIST_INLINE int sizes_add(int K, struct size_index *x, uint32_t size) {
    return (K & SPEC_LOGGED) ? size_index_add(x, size) : size_index_add_call(x, size);
}
LIST_INLINE void sizes_remove(int K, struct size_index *x, uint32_t size) {
    if (K & SPEC_LOGGED) size_index_remove(x, size);
    else size_index_remove_call(x, size);
}
LIST_INLINE int sizes_resize(int K, struct size_index *x, uint32_t old_size, uint32_t new_size) {
    return (K & SPEC_LOGGED) ? size_index_resize(x, old_size, new_size) : size_index_resize_call(x, old_size, new_size);
}

/* A block of `size` bytes joined a list. */
LIST_INLINE void listed_joins(int K, struct heap *h, uint32_t size) {
    if (!SPEC_HAS_LOG(K, h)) return;
    h->free_count++;
    h->free_bytes += size;
    if (h->sizes && sizes_add(K, h->sizes, size) != 0) size_index_lost(h);
}

/* A block of `size` bytes left a list. */
LIST_INLINE void listed_leaves(int K, struct heap *h, uint32_t size) {
    if (!SPEC_HAS_LOG(K, h)) return;
    h->free_count--;
    h->free_bytes -= size;
    if (h->sizes) sizes_remove(K, h->sizes, size);
}

/* A listed block changed from old_size to new_size bytes. */
LIST_INLINE void listed_resized(int K, struct heap *h, uint32_t old_size, uint32_t new_size) {
    if (!SPEC_HAS_LOG(K, h)) return;
    h->free_bytes = h->free_bytes + new_size - old_size;
    if (h->sizes && sizes_resize(K, h->sizes, old_size, new_size) != 0) size_index_lost(h);
}

/* A freed block of `size` bytes merged with listed neighbours of next and
 * prev bytes (0: none) into one listed block of `merged` bytes: as the size
 * index sees it, a neighbour resized (a top block grown by a free beside
 * it changes one word: size_index.c) or a block added. (Counted as the
 * neighbours' removal and the merged block's add, a free beside the top
 * block took the top out, the leaves' largest up, then sent it back:
 * callgrind, the page's logged replay, log-on minus log-off per op, gcc
 * 285.2 -> 280.8, git_log 324.0 -> 308.5, python_json 281.2 -> 270.4,
 * sqlite3 313.6 -> 309.0; a block moved to another class's list is one
 * resize too.) */
LIST_INLINE void listed_merged(int K, struct heap *h, uint32_t size, uint32_t next, uint32_t prev, uint32_t merged) {
    if (!SPEC_HAS_LOG(K, h)) return;
    h->free_count = h->free_count + 1 - (next != 0) - (prev != 0);
    h->free_bytes += size;
    if (!h->sizes) return;
    int rc;
    if (next) {
        rc = sizes_resize(K, h->sizes, next, merged);
        if (prev) sizes_remove(K, h->sizes, prev);
    } else if (prev) {
        rc = sizes_resize(K, h->sizes, prev, merged);
    } else {
        rc = sizes_add(K, h->sizes, merged);
    }
    if (rc != 0) size_index_lost(h);
}

/* Returns 1 when the lists keep their tails: only FIFO and address order
 * insert at the tail, so a LIFO heap never writes or reads them (callgrind:
 * about 1 instruction per op). */
static inline int keeps_tail(int K, const struct heap *h) {
    return !(K & SPEC_FAST_LIFO) && h->opt.order != HEAP_ORDER_LIFO;
}

/* Links b into list c between p and n (either may be 0). mem: h->mem, read
 * once by the caller (here and below): an arena store may alias the
 * handle, so gcc reloaded h->mem after every link store. */
LIST_INLINE void list_link(int K, struct heap *h, uint8_t *mem, uint32_t c, uint32_t b, uint32_t p, uint32_t n) {
    block_set_prev_free(mem, b, p);
    block_set_next_free(mem, b, n);
    if (p) block_set_next_free(mem, p, b); else h->head[c] = b;
    /* whether n exists (was the list empty?) is data, which a branch
     * mispredicts: the link goes to n, else to the tail (a word nobody
     * reads when the list keeps none), through a conditional move, and the
     * class's bit is set either way (fit.c's essay: 4 instructions more
     * per op, 3-9% less time) */
    uint8_t *end = keeps_tail(K, h) ? (uint8_t *)&h->tail[c] : (uint8_t *)&h->tail_sink;
    uint8_t *ns = n ? mem + 8 + n : end;
    word_put(ns, 0, b);
    h->class_map[c >> 6] |= 1ull << (c & 63); /* set again when it was: no branch on an empty list */
}

/* Inserts free block b (header written) where list c's order puts it, uncounted (the caller counts). */
LIST_INLINE void list_insert_link(int K, struct heap *h, uint8_t *mem, uint32_t b, uint32_t c) {
    switch ((K & SPEC_FAST_LIFO) ? HEAP_ORDER_LIFO : h->opt.order) {
    case HEAP_ORDER_LIFO:
        list_link(K, h, mem, c, b, 0, h->head[c]);
        break;
    case HEAP_ORDER_FIFO:
        list_link(K, h, mem, c, b, h->tail[c], 0);
        break;
    default: { /* address order: before the first entry above b */
        uint32_t n = h->head[c];
        while (n && n < b) n = block_next_free(mem, n);
        list_link(K, h, mem, c, b, n ? block_prev_free(mem, n) : h->tail[c], n);
        break;
    }
    }
}

/* Inserts free block b (size bytes, header written) where list c's order puts it, and counts it. */
LIST_INLINE void list_insert_at(int K, struct heap *h, uint8_t *mem, uint32_t b, uint32_t size, uint32_t c) {
    listed_joins(K, h, size);
    list_insert_link(K, h, mem, b, c);
}

/* Inserts free block b (header written) where its class list's order puts it, and counts it. */
LIST_INLINE void list_insert(struct heap *h, uint32_t b) {
    uint32_t size = block_size(h->mem, b);
    list_insert_at(SPEC_ANY, h, h->mem, b, size, list_class(h, size));
}

/* Unlinks b from list c; a rover on b moves to the entry after it. */
LIST_INLINE void list_unlink(int K, struct heap *h, uint8_t *mem, uint32_t c, uint32_t b) {
    dbg_assert(h->head[c] != 0 && "unlinking from an empty list");
    uint32_t p = block_prev_free(mem, b), n = block_next_free(mem, b);
    if (p) block_set_next_free(mem, p, n); else h->head[c] = n;
    if (n) block_set_prev_free(mem, n, p); else if (keeps_tail(K, h)) h->tail[c] = p;
    if (!(p | n)) h->class_map[c >> 6] &= ~(1ull << (c & 63)); /* b was the only entry */
    if (!(K & SPEC_FAST_LIFO) && h->rover == b) h->rover = n;
}

/* Unlinks b (size bytes) from list c and uncounts it. */
LIST_INLINE void list_take(int K, struct heap *h, uint8_t *mem, uint32_t c, uint32_t b, uint32_t size) {
    list_unlink(K, h, mem, c, b);
    listed_leaves(K, h, size);
}

/* Unlinks free block b (its header still holds the size it was listed with) and uncounts it. */
LIST_INLINE void list_remove(struct heap *h, uint32_t b) {
    uint32_t size = block_size(h->mem, b);
    list_take(SPEC_ANY, h, h->mem, list_class(h, size), b, size);
}

/* Writes free block new_b (new_size bytes) and lets it take old_b's place
 * in the list (split remainders, merges). Under the fast policy a block
 * whose class changes moves to its new class list instead. c: old_b's
 * list (the caller knows it: fast_search found it there). */
LIST_INLINE void list_replace_in(int K, struct heap *h, uint32_t c, uint32_t old_b, uint32_t new_b, uint32_t new_size,
                                 int prev_alloc) {
    uint8_t *mem = h->mem; /* once (list_link's mem) */
    uint32_t old_size = block_size(mem, old_b);
    uint32_t nc = spec_class(K, h, new_size);
    if (c != nc) { /* to its new class's list: one block resized, as the size index counts it */
        list_unlink(K, h, mem, c, old_b);
        block_set_free(mem, new_b, new_size, prev_alloc);
        list_insert_link(K, h, mem, new_b, nc);
        listed_resized(K, h, old_size, new_size);
        return;
    }
    uint32_t p = block_prev_free(mem, old_b), n = block_next_free(mem, old_b);
    listed_resized(K, h, old_size, new_size);
    block_set_free(mem, new_b, new_size, prev_alloc);
    list_link(K, h, mem, c, new_b, p, n);
    if (!(K & SPEC_FAST_LIFO) && h->rover == old_b) h->rover = new_b;
}

/* list_replace_in for a block whose class is not known yet. */
LIST_INLINE void list_replace(struct heap *h, uint32_t old_b, uint32_t new_b, uint32_t new_size, int prev_alloc) {
    list_replace_in(SPEC_ANY, h, list_class(h, block_size(h->mem, old_b)), old_b, new_b, new_size, prev_alloc);
}

/* Changes the size of listed free block b in place, keeping its list position
 * (moving it to its new class list under the fast policy). In its own class
 * only the header, the footer and the counters change: its links stay.
 * c: b's list. */
LIST_INLINE void list_resize_in(int K, struct heap *h, uint32_t c, uint32_t b, uint32_t new_size) {
    uint8_t *mem = h->mem; /* once (list_link's mem) */
    uint32_t w = word_get(mem, b), old_size = w & ~BLOCK_FLAGS;
    int prev_alloc = (w & BLOCK_PREV_ALLOC) != 0;
    uint32_t nc = spec_class(K, h, new_size);
    if (c != nc) { /* (as in list_replace_in) */
        list_unlink(K, h, mem, c, b);
        block_set_free(mem, b, new_size, prev_alloc);
        list_insert_link(K, h, mem, b, nc);
        listed_resized(K, h, old_size, new_size);
        return;
    }
    listed_resized(K, h, old_size, new_size);
    block_set_free(mem, b, new_size, prev_alloc);
}

/* list_resize_in for a block whose class is not known yet. */
LIST_INLINE void list_resize(struct heap *h, uint32_t b, uint32_t new_size) {
    list_resize_in(SPEC_ANY, h, list_class(h, block_size(h->mem, b)), b, new_size);
}

#endif
