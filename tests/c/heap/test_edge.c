/* test_edge.c: named edge cases of placement, splitting, coalescing, the
 * free-list orders, the next-fit rover, arena limits and alignment.
 *
 * (Arena limits, alignment 16 and growth are in test_arena.c.)
 * Each case builds a small heap whose layout can be worked out by hand from
 * notes/allocator-semantics.md (align 8: first payload at 8, a request of n
 * bytes takes a block of max(16, round_up(n + 4, align)) bytes, the break
 * starts at align) and then checks the result three ways: the returned
 * offsets, the block walk / free list, and the events in the heap's log.
 * heap_check() must pass after every call (heap_ok()).
 */
#include <stdint.h>
#include <stdio.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "../util.h"

static struct blocks bl;

/* The first payload, the first extend and place events, header size. */
static void test_layout(void)
{
    for (uint32_t align = 8; align <= 16; align += 8) {
        struct heap_options o = make_opts(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1);
        o.align = align;
        struct heap *h = heap_create(&o);
        struct heap_stats s;
        CHECK("layout: created", h != NULL);
        if (!h) return;
        heap_get_stats(h, &s);
        CHECK("layout: fresh break == align", s.heap_size == align);
        CHECK("layout: fresh heap has no blocks", walk_all(h, &bl) == 0);
        CHECK("layout: fresh free list empty", heap_free_head(h) == 0);
        CHECK("layout: fresh heap checks", heap_ok(h));
        CHECK("layout: header is 4 bytes", heap_header_size() == 4);
        int64_t p = heap_malloc(h, 1);
        CHECK("layout: first payload at align", p == align);
        heap_get_stats(h, &s);
        CHECK("layout: break grew by the minimum block", s.heap_size == align + 16);
        struct log_event e;
        CHECK("layout: request event", last_op_events(h, EV_REQUEST, -1, &e) == 1 && e.a == 1 && e.b == 16);
        CHECK("layout: extend event", last_op_events(h, EV_EXTEND, -1, &e) == 1 && e.a == align && e.b == align + 16);
        CHECK("layout: place event", last_op_events(h, EV_PLACE, -1, &e) == 1 && e.a == align - 4 && e.b == 16 && e.c == align);
        walk_all(h, &bl);
        CHECK("layout: one block", bl.n == 1 && bl.b[0].offset == align - 4 && bl.b[0].size == 16 &&
                                       bl.b[0].payload_off == align && !bl.b[0].is_free && bl.b[0].payload_size == 1);
        CHECK("layout: checks", heap_ok(h));
        heap_destroy(h);
    }
}

/* Exact fit reuses the freed block whole; each policy picks its block. */
static void test_exact_fit_and_policies(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    int64_t a = heap_malloc(h, 24), g = heap_malloc(h, 8);
    struct heap_stats before, after;
    CHECK("exact: guard placed", g > a);
    heap_free(h, (uint64_t)a);
    heap_get_stats(h, &before);
    int64_t b = heap_malloc(h, 28); /* 28 + 4 = 32 = the freed block */
    heap_get_stats(h, &after);
    const struct log_op_record *r = log_op_at(heap_log(h), (uint32_t)last_op(h));
    CHECK("exact: same block", b == a);
    CHECK("exact: no split", last_op_events(h, EV_SPLIT, -1, NULL) == 0);
    CHECK("exact: no extend", last_op_events(h, EV_EXTEND, -1, NULL) == 0 && after.heap_size == before.heap_size);
    CHECK("exact: record", r->block_size == 32 && r->scanned == 1 && r->result == a);
    CHECK("exact: no free block left", after.free_blocks == 0 && after.free_bytes == 0);
    CHECK("exact: checks", heap_ok(h));
    heap_destroy(h);

    /* Address-ordered free blocks of sizes 64, 32, 48, 32 (guards between):
     * first fit of 40 takes the 64; best fit of 28 stops at the first 32
     * after two entries, best fit of 36 scans all four for the 48; worst fit
     * of 28 scans all four and takes the 64. */
    static const uint64_t sizes[4] = {60, 28, 44, 28};
    struct { int policy; uint64_t req; int pick; uint32_t scanned; } cases[] = {
        {HEAP_FIRST_FIT, 40, 0, 1}, {HEAP_FIRST_FIT, 44, 0, 1},
        {HEAP_BEST_FIT, 28, 1, 2},  {HEAP_BEST_FIT, 36, 2, 4},
        {HEAP_WORST_FIT, 28, 0, 4}, {HEAP_NEXT_FIT, 40, 0, 1},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        h = make_heap(cases[c].policy, HEAP_ORDER_ADDR, 1, 1u << 20);
        int64_t p[4];
        for (int i = 0; i < 4; i++) { p[i] = heap_malloc(h, sizes[i]); heap_malloc(h, 8); }
        for (int i = 0; i < 4; i++) heap_free(h, (uint64_t)p[i]);
        int64_t q = heap_malloc(h, cases[c].req);
        r = log_op_at(heap_log(h), (uint32_t)last_op(h));
        char name[64];
        snprintf(name, sizeof name, "policy %d request %llu: block", cases[c].policy, (unsigned long long)cases[c].req);
        CHECK(name, q == p[cases[c].pick]);
        snprintf(name, sizeof name, "policy %d request %llu: scanned", cases[c].policy, (unsigned long long)cases[c].req);
        CHECK(name, r->scanned == cases[c].scanned);
        CHECK("policies: checks", heap_ok(h));
        heap_destroy(h);
    }
}

/* A remainder under 16 bytes stays inside the block; 16 or more splits
 * off and keeps the chosen block's place in the free list. */
static void test_split(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    int64_t a = heap_malloc(h, 28); /* block of 32 */
    heap_malloc(h, 8);
    heap_free(h, (uint64_t)a);
    int64_t b = heap_malloc(h, 16); /* needs 24: remainder 8 < 16 */
    struct heap_stats s;
    heap_get_stats(h, &s);
    CHECK("split below minimum: same block", b == a);
    CHECK("split below minimum: no split event", last_op_events(h, EV_SPLIT, -1, NULL) == 0);
    CHECK("split below minimum: whole block", log_op_at(heap_log(h), (uint32_t)last_op(h))->block_size == 32);
    /* internal: (32 - 16) for b, (16 - 8) for the guard */
    CHECK("split below minimum: internal fragmentation", s.internal_frag == 16 + 8);
    heap_free(h, (uint64_t)b);
    int64_t c = heap_malloc(h, 8); /* needs 16: remainder 16 splits */
    struct log_event e;
    CHECK("split: same start", c == a);
    CHECK("split: event", last_op_events(h, EV_SPLIT, -1, &e) == 1 && e.a == (uint32_t)a - 4 && e.b == 16 && e.c == 16);
    walk_all(h, &bl);
    CHECK("split: remainder free at the high end", bl.n == 3 && bl.b[0].size == 16 && !bl.b[0].is_free &&
                                                       bl.b[1].offset == (uint32_t)a - 4 + 16 && bl.b[1].size == 16 && bl.b[1].is_free);
    CHECK("split: checks", heap_ok(h));
    heap_destroy(h);

    /* Free blocks of 32, 64, 32; a request for 48 only fits the 64 and its
     * 16-byte remainder takes the 64's place in the list, in every order. */
    for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
        h = make_heap(HEAP_FIRST_FIT, order, 1, 1u << 20);
        int64_t p[3];
        p[0] = heap_malloc(h, 28); heap_malloc(h, 8);
        p[1] = heap_malloc(h, 60); heap_malloc(h, 8);
        p[2] = heap_malloc(h, 28); heap_malloc(h, 8);
        heap_free(h, (uint64_t)p[2]); heap_free(h, (uint64_t)p[0]); heap_free(h, (uint64_t)p[1]);
        uint32_t before[8], after[8];
        int nb = free_list(h, before, 8);
        int64_t q = heap_malloc(h, 44); /* needs 48 */
        int na = free_list(h, after, 8);
        int same = nb == 3 && na == 3 && q == p[1];
        for (int i = 0; same && i < 3; i++)
            same = before[i] == (uint32_t)p[1] - 4 ? after[i] == (uint32_t)p[1] - 4 + 48 : after[i] == before[i];
        CHECK("split: remainder keeps the list position", same);
        CHECK("split: checks in every order", heap_ok(h));
        heap_destroy(h);
    }
}

/* Coalescing cases 1-4 for each order; no events and adjacent free
 * blocks with coalescing off. Layout: X S A B C G, each a 32-byte block;
 * X is freed first so the list position of the merged block shows. */
static void test_coalesce(void)
{
    static const int frees[4][3] = {{3, -1, -1}, {4, 3, -1}, {2, 3, -1}, {2, 4, 3}};
    static const int first[4] = {3, 3, 2, 2}, blocks[4] = {1, 2, 2, 3};
    for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
        for (int cs = 0; cs < 4; cs++) {
            struct heap *h = make_heap(HEAP_FIRST_FIT, order, 1, 1u << 20);
            int64_t p[6];
            alloc_n(h, 6, 24, p);
            heap_free(h, (uint64_t)p[0]);
            for (int i = 0; i < 3 && frees[cs][i] >= 0; i++) heap_free(h, (uint64_t)p[frees[cs][i]]);
            struct log_event e;
            uint32_t merged = (uint32_t)p[first[cs]] - 4, msize = 32u * (uint32_t)blocks[cs];
            char name[64];
            snprintf(name, sizeof name, "coalesce case %d order %d: event", cs + 1, order);
            if (cs == 0)
                CHECK(name, last_op_events(h, EV_COALESCE, 2, NULL) + last_op_events(h, EV_COALESCE, 3, NULL) +
                                last_op_events(h, EV_COALESCE, 4, NULL) == 0);
            else
                CHECK(name, last_op_events(h, EV_COALESCE, cs + 1, &e) == 1 && e.a == merged && e.b == msize);
            walk_all(h, &bl);
            const struct heap_block_info *m = block_at(&bl, merged);
            snprintf(name, sizeof name, "coalesce case %d order %d: walk", cs + 1, order);
            CHECK(name, m && m->is_free && m->size == msize && bl.n == 6u - (uint32_t)blocks[cs] + 1u);
            uint32_t list[8];
            int n = free_list(h, list, 8);
            uint32_t x = (uint32_t)p[0] - 4;
            int want = order == HEAP_ORDER_LIFO ? (list[0] == merged && list[1] == x) : (list[0] == x && list[1] == merged);
            snprintf(name, sizeof name, "coalesce case %d order %d: list", cs + 1, order);
            CHECK(name, n == 2 && want);
            CHECK("coalesce: checks", heap_ok(h));
            heap_destroy(h);
        }
    }
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_ADDR, 0, 1u << 20);
    int64_t p[6];
    alloc_n(h, 6, 24, p);
    heap_free(h, (uint64_t)p[2]); heap_free(h, (uint64_t)p[4]); heap_free(h, (uint64_t)p[3]);
    CHECK("no-coalesce: no event", last_op_events(h, EV_COALESCE, -1, NULL) == 0);
    walk_all(h, &bl);
    CHECK("no-coalesce: three adjacent free blocks", bl.n == 6 && bl.b[2].is_free && bl.b[3].is_free && bl.b[4].is_free &&
                                                         bl.b[3].size == 32);
    struct heap_stats s;
    heap_get_stats(h, &s);
    CHECK("no-coalesce: stats", s.free_blocks == 3 && s.free_bytes == 96 && s.largest_free == 32);
    CHECK("no-coalesce: checks", heap_ok(h));
    CHECK("no-coalesce: a 90-byte request does not fit the pieces", heap_malloc(h, 90) > p[5]);
    heap_destroy(h);
}

/* 1 when the rover is 0 or a block on the free list. */
static int rover_on_list(const struct heap *h)
{
    uint32_t list[64];
    int n = free_list(h, list, 64);
    uint32_t r = heap_rover(h);
    if (r == 0) return 1;
    for (int i = 0; i < n; i++)
        if (list[i] == r) return 1;
    return 0;
}

/* Next fit: the rover follows placements and survives merges. */
static void test_rover(void)
{
    for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
        struct heap *h = make_heap(HEAP_NEXT_FIT, order, 1, 1u << 20);
        int64_t p[8];
        alloc_n(h, 8, 24, p);
        heap_free(h, (uint64_t)p[1]); heap_free(h, (uint64_t)p[3]); heap_free(h, (uint64_t)p[5]);
        uint32_t list[8];
        free_list(h, list, 8);
        int64_t q = heap_malloc(h, 24);
        CHECK("rover: first placement from the head", q == (int64_t)list[0] + 4);
        CHECK("rover: after the placement", heap_rover(h) == list[1]);
        uint32_t at = heap_rover(h);
        /* free the neighbour just below the rover's block: case 2 or 4 */
        heap_free(h, (uint64_t)at + 4 - 32);
        CHECK("rover: on the list (or 0 = the head) after a merge", rover_on_list(h));
        CHECK("rover: merge checks", heap_ok(h));
        uint32_t r = heap_rover(h) ? heap_rover(h) : heap_free_head(h);
        q = heap_malloc(h, 24);
        CHECK("rover: next placement starts at the rover", q == (int64_t)r + 4 &&
                                                               log_op_at(heap_log(h), (uint32_t)last_op(h))->scanned == 1);
        CHECK("rover: on the list after placement", rover_on_list(h));
        /* drain: every remaining 32-byte hole is found by wrapping */
        struct heap_stats s0, s1;
        heap_get_stats(h, &s0);
        uint32_t holes = s0.free_bytes / 32;
        for (uint32_t i = 0; i < holes; i++) heap_malloc(h, 24);
        heap_get_stats(h, &s1);
        CHECK("rover: wrapping reuses every hole", s1.free_blocks == 0 && s1.heap_size == s0.heap_size);
        CHECK("rover: drained checks", heap_ok(h) && heap_rover(h) == 0);
        heap_destroy(h);
    }
}

/* Next fit wraps: a request that only fits a block listed before the
 * rover is found there, without moving the break. */
static void test_rover_wraps(void)
{
    for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
        struct heap *h = make_heap(HEAP_NEXT_FIT, order, 1, 1u << 20);
        int64_t p0 = heap_malloc(h, 60); /* 64-byte block */
        heap_malloc(h, 8);
        int64_t p1 = heap_malloc(h, 24);
        heap_malloc(h, 8);
        int64_t p2 = heap_malloc(h, 24);
        heap_malloc(h, 8);
        heap_free(h, (uint64_t)p1);
        heap_free(h, (uint64_t)p2);
        heap_malloc(h, 24); /* takes the list head; the rover moves past it */
        heap_free(h, (uint64_t)p0);
        struct heap_stats s0, s1;
        heap_get_stats(h, &s0);
        int64_t q = heap_malloc(h, 40); /* needs 48: only p0's block fits */
        heap_get_stats(h, &s1);
        char name[64];
        snprintf(name, sizeof name, "next fit order %d: found before the rover", order);
        CHECK(name, q == p0 && s1.heap_size == s0.heap_size);
        CHECK("next fit wrap: checks", heap_ok(h));
        heap_destroy(h);
    }
}

/* LIFO, FIFO and address order of the free list, and first fit's pick. */
static void test_orders(void)
{
    for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++) {
        struct heap *h = make_heap(HEAP_FIRST_FIT, order, 1, 1u << 20);
        int64_t p[7];
        alloc_n(h, 7, 24, p);
        heap_free(h, (uint64_t)p[3]); heap_free(h, (uint64_t)p[1]); heap_free(h, (uint64_t)p[5]);
        uint32_t list[8], want[3];
        int idx[3][3] = {{5, 1, 3}, {3, 1, 5}, {1, 3, 5}};
        for (int i = 0; i < 3; i++) want[i] = (uint32_t)p[idx[order][i]] - 4;
        int n = free_list(h, list, 8);
        char name[48];
        snprintf(name, sizeof name, "order %d: list", order);
        CHECK(name, n == 3 && list[0] == want[0] && list[1] == want[1] && list[2] == want[2]);
        snprintf(name, sizeof name, "order %d: first fit takes the head", order);
        CHECK(name, heap_malloc(h, 24) == (int64_t)want[0] + 4);
        CHECK("orders: checks", heap_ok(h));
        heap_destroy(h);
    }
}

int main(void)
{
    test_layout();
    test_exact_fit_and_policies();
    test_split();
    test_coalesce();
    test_rover();
    test_rover_wraps();
    test_orders();
    return check_done("test_edge");
}
