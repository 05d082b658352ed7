/* test_search.c: the search made visible (c/heap/fit_walk.c). The log's
 * examine events are checked against hand-worked searches, one or more per
 * policy, on small address-ordered heaps whose free lists are written out
 * below; then against the finder itself on seeded workloads (every search
 * of every policy: as many events as blocks scanned up to the cap, each
 * reason consistent with the sizes, the chosen block the one placed).
 */
#include <stdlib.h>
#include "../check.h"
#include "../util.h"

struct walk { uint32_t block[64], size[64], why[64], n, scanned, chosen, cls_a, cls_b, has_class; };

/* The last op's search as the log records it. */
static struct walk last_walk(struct heap *h) {
    struct walk w = { .n = 0 };
    struct event_log *log = heap_log(h);
    uint32_t op = (uint32_t)last_op(h), end = log_event_count(log);
    for (uint32_t i = log_op_at(log, op)->first_event; i < end; i++) {
        const struct log_event *e = log_event_at(log, i);
        if (e->kind == EV_EXAMINE && w.n < 64) {
            w.block[w.n] = e->a;
            w.size[w.n] = e->b;
            w.why[w.n++] = e->detail;
        } else if (e->kind == EV_SCAN) {
            w.scanned = e->a;
            w.chosen = e->b;
        } else if (e->kind == EV_CLASS) {
            w.has_class = 1;
            w.cls_a = e->a;
            w.cls_b = e->b;
        }
    }
    return w;
}

/* 1 when the walk is exactly these (block, reason) pairs. */
static int walk_is(const struct walk *w, uint32_t n, const uint32_t *blocks, const uint32_t *why) {
    if (w->n != n) return 0;
    for (uint32_t i = 0; i < n; i++)
        if (w->block[i] != blocks[i] || w->why[i] != why[i]) return 0;
    return 1;
}

/* Builds, address-ordered without coalescing surprises, blocks of these
 * request sizes with a 12-byte separator after each, then frees each
 * listed one (the separators stay). Returns the heap. */
static struct heap *holes(int policy, const uint64_t *sizes, int n) {
    struct heap_options o = make_opts(policy, HEAP_ORDER_ADDR, 1);
    o.arena_size = 1u << 16;
    struct heap *h = heap_create(&o);
    int64_t p[16];
    for (int i = 0; i < n; i++) {
        p[i] = heap_malloc(h, sizes[i]);
        heap_malloc(h, 12);
    }
    for (int i = 0; i < n; i++) heap_free(h, (uint64_t)p[i]);
    return h;
}

enum { TS = EXAMINE_TOO_SMALL, NB = EXAMINE_NOT_BEST, CH = EXAMINE_CHOSEN, NC = EXAMINE_NEXT_CLASS, TL = EXAMINE_TOP_LAST };

/* The free list A@4 (32 bytes), C@52 (64), E@132 (48), G@196 (24), each
 * followed by a 16-byte separator, and a search for a 40-byte block. */
static void teaching_policies(void) {
    static const uint64_t sizes[] = {28, 60, 44, 20};
    static const uint32_t list[] = {4, 52, 132, 196};
    struct heap *h;
    struct walk w;

    h = holes(HEAP_FIRST_FIT, sizes, 4);
    CHECK("first: the free list as drawn", heap_free_head(h) == 4);
    heap_malloc(h, 36);
    w = last_walk(h);
    CHECK("first: A too small, C taken", walk_is(&w, 2, list, (uint32_t[]){TS, CH}) && w.chosen == 52 && w.scanned == 2);
    heap_destroy(h);

    h = holes(HEAP_BEST_FIT, sizes, 4);
    heap_malloc(h, 36);
    w = last_walk(h);
    CHECK("best: the whole list; E is the smallest that fits",
          walk_is(&w, 4, list, (uint32_t[]){TS, NB, CH, TS}) && w.chosen == 132 && w.size[2] == 48);
    heap_destroy(h);

    h = holes(HEAP_WORST_FIT, sizes, 4);
    heap_malloc(h, 36);
    w = last_walk(h);
    CHECK("worst: the whole list; C is the largest", walk_is(&w, 4, list, (uint32_t[]){TS, CH, NB, TS}) && w.chosen == 52);
    heap_destroy(h);

    /* next fit: 48 from the head takes C (its 16-byte tail R@100 stays listed
     * and the rover stays on it); 40 starts at R and takes E whole (8 left is
     * no block), the rover moves on to G; 32 starts at G, wraps to A. */
    h = holes(HEAP_NEXT_FIT, sizes, 4);
    heap_malloc(h, 44);
    w = last_walk(h);
    CHECK("next: from the head, C", walk_is(&w, 2, list, (uint32_t[]){TS, CH}) && heap_rover(h) == 100);
    heap_malloc(h, 36);
    w = last_walk(h);
    CHECK("next: from the rover R, E", walk_is(&w, 2, (uint32_t[]){100, 132}, (uint32_t[]){TS, CH}) && heap_rover(h) == 196);
    heap_malloc(h, 26);
    w = last_walk(h);
    CHECK("next: from G, wrapping to A", walk_is(&w, 2, (uint32_t[]){196, 4}, (uint32_t[]){TS, CH}) && w.chosen == 4);
    heap_destroy(h);
}

/* Fast: a 40-byte block is class 5, empty: the bitmap's next non-empty
 * class is 6 (E, 48 bytes), taken unseen. Then the class of 128..159-byte
 * blocks (16) holding 152, 136, 144 in address order, and a search for
 * 144: 152 fits but is not the best, 136 is too small, 144 is exact. */
static void fast_policy(void) {
    static const uint64_t sizes[] = {28, 60, 44, 20};
    struct heap *h = holes(HEAP_FAST_FIT, sizes, 4);
    heap_malloc(h, 36);
    struct walk w = last_walk(h);
    CHECK("fast: class 5 empty, class 6's head", w.has_class && w.cls_a == 5 && w.cls_b == 6 && w.n == 1 &&
                                                  w.block[0] == 132 && w.why[0] == NC && w.scanned == 1);
    heap_destroy(h);

    static const uint64_t big[] = {148, 132, 140};
    h = holes(HEAP_FAST_FIT, big, 3);
    struct blocks bl;
    walk_all(h, &bl);
    uint32_t at[3], k = 0;
    for (uint32_t i = 0; i < bl.n && k < 3; i++)
        if (bl.b[i].is_free && bl.b[i].size_class == 16) at[k++] = bl.b[i].offset;
    CHECK("fast: three free blocks in class 16", k == 3);
    heap_malloc(h, 140);
    w = last_walk(h);
    CHECK("fast: own class walked, exact fit last", k == 3 && w.has_class && w.cls_a == 16 && w.cls_b == 16 &&
                                                     walk_is(&w, 3, at, (uint32_t[]){NB, TS, CH}) &&
                                                     w.size[0] == 152 && w.size[1] == 136 && w.size[2] == 144);
    heap_destroy(h);
}

/* Makes a free block end at the break (the top block: a 1000-byte block
 * allocated there and freed), cuts it down to `left` bytes by a request
 * from its low end, and returns it; 0 if that went otherwise. */
static uint32_t top_cut_to(struct heap *h, uint32_t left) {
    struct blocks bl;
    heap_free(h, (uint64_t)heap_malloc(h, 1000));
    walk_all(h, &bl);
    const struct heap_block_info *t = &bl.b[bl.n - 1];
    if (!t->is_free || t->size < left + 128) return 0;
    heap_malloc(h, t->size - left - heap_header_size());
    walk_all(h, &bl);
    t = &bl.b[bl.n - 1];
    return t->is_free && t->size == left ? t->offset : 0;
}

/* Fast keeps the top block for last (dlmalloc's top chunk): a 96-byte top
 * block heads class 12, the first non-empty class above a 48-byte
 * request's, and is passed over for the next entry of its class, else for
 * the head of the next non-empty class; alone, it is taken. */
static void fast_top_last(void) {
    struct heap *h = make_heap(HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1, 1u << 16);
    int64_t a = heap_malloc(h, 200);
    heap_malloc(h, 12);
    heap_free(h, (uint64_t)a); /* A: 208 bytes at 4, class 18 */
    uint32_t top = top_cut_to(h, 96);
    CHECK("top: a 96-byte top block in class 12", top && heap_size_class(96) == 12 && heap_class_head(h, 12) == top);
    heap_malloc(h, 40);
    struct walk w = last_walk(h);
    CHECK("top: passed over for the next class's head", w.has_class && w.cls_a == 6 && w.cls_b == (uint32_t)heap_size_class(208) &&
                                                        walk_is(&w, 2, (uint32_t[]){top, 4}, (uint32_t[]){TL, NC}) &&
                                                        w.chosen == 4 && w.scanned == 2 && w.size[0] == 96);
    heap_destroy(h);

    h = make_heap(HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1, 1u << 16);
    a = heap_malloc(h, 88);
    heap_malloc(h, 12);
    heap_free(h, (uint64_t)a); /* A: 96 bytes at 4, class 12 */
    top = top_cut_to(h, 96); /* relisted in class 12, at its head (LIFO) */
    CHECK("top: heads class 12, A behind it", top && heap_class_head(h, 12) == top);
    heap_malloc(h, 40);
    w = last_walk(h);
    CHECK("top: passed over for the next entry of its class", w.cls_b == 12 && w.chosen == 4 && w.scanned == 2 &&
                                                              walk_is(&w, 2, (uint32_t[]){top, 4}, (uint32_t[]){TL, CH}));
    heap_malloc(h, 40); /* takes the 48-byte rest of A... */
    heap_malloc(h, 40); /* ...then the top block, the only one left */
    w = last_walk(h);
    CHECK("top: alone, taken", w.chosen == top && w.scanned == 1 && walk_is(&w, 1, (uint32_t[]){top}, (uint32_t[]){NC}));
    heap_destroy(h);
}

/* A search with no fit: every block too small, and the break moves. */
static void none_fits(void) {
    static const uint64_t sizes[] = {28, 60, 44, 20};
    struct heap *h = holes(HEAP_FIRST_FIT, sizes, 4);
    heap_malloc(h, 100);
    struct walk w = last_walk(h);
    CHECK("none fits: all four too small", walk_is(&w, 4, (uint32_t[]){4, 52, 132, 196}, (uint32_t[]){TS, TS, TS, TS}) && w.chosen == 0);
    heap_destroy(h);
}

/* The cap: a long list records the first cap blocks; the scan count says how many in all. */
static void capped(void) {
    struct heap *h = make_heap(HEAP_WORST_FIT, HEAP_ORDER_ADDR, 1, 1u << 20);
    int64_t p[40];
    for (int i = 0; i < 40; i++) { p[i] = heap_malloc(h, 24); heap_malloc(h, 8); }
    for (int i = 0; i < 40; i++) heap_free(h, (uint64_t)p[i]);
    heap_malloc(h, 16);
    struct walk w = last_walk(h);
    CHECK("cap: 40 examined, 16 recorded", w.scanned == 40 && w.n == LOG_EXAMINE_CAP);
    log_set_examine_cap(heap_log(h), 0);
    heap_malloc(h, 16);
    w = last_walk(h);
    CHECK("cap 0: none recorded", w.n == 0 && w.scanned > 0);
    heap_destroy(h);
}

/* Every search of a seeded workload agrees with the finder, each policy and order. */
static void agrees_with_finder(void) {
    for (int p = 0; p < HEAP_POLICY_COUNT; p++)
        for (int o = 0; o < HEAP_ORDER_COUNT; o++) {
            struct heap *h = make_heap(p, o, 1, 1u << 22);
            log_set_examine_cap(heap_log(h), 1000000);
            int64_t live[256] = {0};
            uint64_t x = 12345 + (uint64_t)p * 7 + (uint64_t)o;
            int good = 1;
            for (int i = 0; i < 4000 && good; i++) {
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                int slot = (int)((x >> 33) % 256);
                if (live[slot]) {
                    heap_free(h, (uint64_t)live[slot]);
                    live[slot] = 0;
                    continue;
                }
                uint64_t size = 8 + (x >> 45) % 300;
                live[slot] = heap_malloc(h, size);
                struct walk w = last_walk(h);
                uint32_t need = (uint32_t)((size + 4 + 7) / 8 * 8), chosen_seen = 0;
                if (need < 16) need = 16;
                if (w.n != w.scanned && w.n != 64) good = 0;
                for (uint32_t k = 0; k < w.n; k++) {
                    if ((w.why[k] == TS) != (w.size[k] < need)) good = 0;
                    if (w.why[k] == CH || w.why[k] == NC) chosen_seen += w.block[k] == w.chosen;
                    if (w.why[k] == TL && w.block[k] + w.size[k] != heap_break(h) - heap_header_size()) good = 0;
                }
                if (w.chosen && w.n == w.scanned && chosen_seen != 1) good = 0;
                if (!w.chosen && chosen_seen) good = 0;
                if (p == HEAP_FAST_FIT && !w.has_class) good = 0;
                if (!good) fprintf(stderr, "policy %d order %d op %d: walk disagrees\n", p, o, i);
            }
            CHECK("every search: the walk is the finder's", good);
            heap_destroy(h);
        }
}

int main(void) {
    teaching_policies();
    fast_top_last();
    fast_policy();
    none_fits();
    capped();
    agrees_with_finder();
    return check_done("test_search");
}
