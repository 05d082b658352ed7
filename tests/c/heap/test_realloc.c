/* test_realloc.c: named cases of heap_realloc (shrink, same, grow into the
 * next block, grow into the break, move, failed move, the 0 cases) and of
 * heap_calloc (zeroing recycled memory, overflow and zero factors).
 *
 * Layouts are worked out by hand at align 8 (first payload at 8, a request
 * of n bytes takes max(16, round_up(n + 4, 8)) bytes). Every case checks the
 * returned offset, the realloc event's "how", the block walk, that the
 * payload contents survived, and heap_check().
 */
#include <stdint.h>
#include <stdio.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "../util.h"

static struct blocks bl;

/* 1 when the last op logged a realloc event of this kind from old to new. */
static int realloc_event(struct heap *h, int how, uint32_t old_off, uint32_t new_off, uint32_t block_size)
{
    struct log_event e;
    return last_op_events(h, EV_REALLOC, how, &e) == 1 && e.a == old_off && e.b == new_off && e.c == block_size;
}

/* Allocates n bytes and fills them with the pattern for `seed`. */
static int64_t filled(struct heap *h, uint64_t n, uint32_t seed)
{
    int64_t p = heap_malloc(h, n);
    if (p > 0) pattern_fill(heap_payload(h, (uint32_t)p), n, seed);
    return p;
}

static void test_shrink(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    int64_t a = filled(h, 100, 1); /* block 4..108 */
    heap_malloc(h, 8);
    int64_t r = heap_realloc(h, (uint64_t)a, 40);
    CHECK("shrink: in place", r == a);
    CHECK("shrink: event", realloc_event(h, REALLOC_SHRINK, 8, 8, 48));
    walk_all(h, &bl);
    CHECK("shrink: tail split off", bl.n == 3 && bl.b[0].size == 48 && bl.b[0].payload_size == 40 &&
                                        bl.b[1].offset == 52 && bl.b[1].size == 56 && bl.b[1].is_free);
    CHECK("shrink: contents kept", pattern_ok(heap_payload(h, 8), 40, 1));
    CHECK("shrink: requested size", heap_payload_size(h, 8) == 40);
    CHECK("shrink: checks", heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_ADDR, 1, 1u << 20);
    a = filled(h, 100, 2);
    int64_t b = heap_malloc(h, 24); /* block 108..140 */
    heap_malloc(h, 8);
    heap_free(h, (uint64_t)b);
    r = heap_realloc(h, (uint64_t)a, 40);
    walk_all(h, &bl);
    CHECK("shrink into a free neighbour: merged tail", r == a && bl.n == 3 && bl.b[1].offset == 52 &&
                                                           bl.b[1].size == 88 && bl.b[1].is_free);
    CHECK("shrink into a free neighbour: contents", pattern_ok(heap_payload(h, 8), 40, 2));
    CHECK("shrink into a free neighbour: checks", heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    a = filled(h, 97, 3); /* block 104 */
    r = heap_realloc(h, (uint64_t)a, 100);
    CHECK("same block: in place", r == a && realloc_event(h, REALLOC_SAME, 8, 8, 104));
    CHECK("same block: requested size updated", heap_payload_size(h, 8) == 100);
    CHECK("same block: contents", pattern_ok(heap_payload(h, 8), 97, 3) && heap_ok(h));
    heap_destroy(h);
}

static void test_grow(void)
{
    struct heap *h = make_heap(HEAP_BEST_FIT, HEAP_ORDER_FIFO, 1, 1u << 20);
    int64_t a = filled(h, 24, 4);        /* 4..36 */
    int64_t b = heap_malloc(h, 24);      /* 36..68 */
    heap_malloc(h, 8);                   /* 68..84 */
    heap_free(h, (uint64_t)b);
    int64_t r = heap_realloc(h, (uint64_t)a, 40);
    CHECK("grow into next: in place", r == a && realloc_event(h, REALLOC_GROW_NEXT, 8, 8, 48));
    walk_all(h, &bl);
    CHECK("grow into next: 16-byte remainder stays free", bl.n == 3 && bl.b[0].size == 48 &&
                                                               bl.b[1].offset == 52 && bl.b[1].size == 16 && bl.b[1].is_free);
    CHECK("grow into next: contents", pattern_ok(heap_payload(h, 8), 24, 4) && heap_ok(h));
    r = heap_realloc(h, (uint64_t)a, 56);
    walk_all(h, &bl);
    CHECK("grow into next: absorbs the rest", r == a && bl.n == 2 && bl.b[0].size == 64 &&
                                                  realloc_event(h, REALLOC_GROW_NEXT, 8, 8, 64));
    CHECK("grow into next: no free block left", heap_free_head(h) == 0 && heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_WORST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    a = filled(h, 24, 5);
    r = heap_realloc(h, (uint64_t)a, 200);
    struct heap_stats s;
    heap_get_stats(h, &s);
    CHECK("grow into break: in place", r == a && realloc_event(h, REALLOC_GROW_BRK, 8, 8, 208));
    CHECK("grow into break: break moved by the difference", s.heap_size == 8 + 208 &&
                                                                last_op_events(h, EV_EXTEND, -1, NULL) == 1);
    CHECK("grow into break: contents", pattern_ok(heap_payload(h, 8), 24, 5) && heap_ok(h));
    heap_destroy(h);
}

static void test_move(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    int64_t a = filled(h, 24, 6);
    heap_malloc(h, 24);
    int64_t r = heap_realloc(h, (uint64_t)a, 200);
    CHECK("move: new place after the guard", r == 72 && realloc_event(h, REALLOC_MOVE, 8, 72, 208));
    CHECK("move: contents copied", pattern_ok(heap_payload(h, 72), 24, 6));
    CHECK("move: old block freed", heap_payload(h, 8) == NULL && heap_payload_size(h, 8) == 0);
    walk_all(h, &bl);
    CHECK("move: old block in the walk", bl.b[0].is_free && bl.b[0].size == 32 && heap_ok(h));
    CHECK("move: id kept", heap_payload_id(h, 72) == 0);
    heap_destroy(h);

    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 256);
    a = filled(h, 24, 7);
    heap_malloc(h, 24);
    struct heap_stats before, after;
    heap_get_stats(h, &before);
    r = heap_realloc(h, (uint64_t)a, 200);
    heap_get_stats(h, &after);
    struct log_event e;
    CHECK("failed move: ENOMEM", r == HEAP_ENOMEM);
    CHECK("failed move: fail event", last_op_events(h, EV_FAIL, LOG_OP_REALLOC, &e) == 1 && e.a == (uint32_t)HEAP_ENOMEM);
    CHECK("failed move: old block untouched", heap_payload_size(h, 8) == 24 && pattern_ok(heap_payload(h, 8), 24, 7));
    CHECK("failed move: layout unchanged", stats_same_layout(&before, &after) && after.failures == before.failures + 1);
    CHECK("failed move: checks", heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_NEXT_FIT, HEAP_ORDER_ADDR, 1, 1u << 20);
    r = heap_realloc(h, 0, 24);
    CHECK("realloc(0, n) acts as malloc", r == 8 && heap_payload_size(h, 8) == 24 && heap_ok(h));
    pattern_fill(heap_payload(h, 8), 24, 8);
    heap_get_stats(h, &before);
    r = heap_realloc(h, 8, 0);
    heap_get_stats(h, &after);
    CHECK("realloc(p, 0): EINVAL", r == HEAP_EINVAL);
    CHECK("realloc(p, 0): block stays live", heap_payload_size(h, 8) == 24 && pattern_ok(heap_payload(h, 8), 24, 8));
    CHECK("realloc(p, 0): fail event", last_op_events(h, EV_FAIL, LOG_OP_REALLOC, &e) == 1 && e.a == (uint32_t)HEAP_EINVAL);
    CHECK("realloc(p, 0): unchanged", stats_same_layout(&before, &after) && heap_ok(h));
    heap_destroy(h);
}

static void test_calloc(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    int64_t a = heap_malloc(h, 64);
    memset(heap_payload(h, (uint32_t)a), 0xAA, 64);
    heap_malloc(h, 8);
    heap_free(h, (uint64_t)a);
    int64_t c = heap_calloc(h, 8, 8);
    CHECK("calloc: reuses the freed block", c == a);
    CHECK("calloc: zeroed", bytes_all(heap_payload(h, (uint32_t)c), 64, 0));
    CHECK("calloc: logged as calloc", log_op_at(heap_log(h), (uint32_t)last_op(h))->op == LOG_OP_CALLOC);
    CHECK("calloc: requested size", heap_payload_size(h, (uint32_t)c) == 64 && heap_ok(h));
    heap_destroy(h);

    /* a tail split off by a shrink held old data (and free-list links) */
    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    a = heap_malloc(h, 100);
    memset(heap_payload(h, (uint32_t)a), 0xFF, 100);
    heap_malloc(h, 8);
    heap_realloc(h, (uint64_t)a, 40); /* tail 52..108 free */
    c = heap_calloc(h, 1, 48);
    CHECK("calloc in a split tail: placed there", c == 56);
    CHECK("calloc in a split tail: zeroed", c > 0 && bytes_all(heap_payload(h, (uint32_t)c), 48, 0) && heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1u << 20);
    heap_malloc(h, 8);
    struct { uint64_t n, size; int want; const char *name; } bad[] = {
        {1ull << 32, 1ull << 32, HEAP_ETOOBIG, "calloc: product overflows"},
        {UINT64_MAX, 2, HEAP_ETOOBIG, "calloc: UINT64_MAX x 2"},
        {1u << 20, 1u << 20, HEAP_ETOOBIG, "calloc: 1 TiB"},
        {1, 1u << 20, HEAP_ETOOBIG, "calloc: the whole arena"},
        {0, 8, HEAP_EINVAL, "calloc: zero count"},
        {8, 0, HEAP_EINVAL, "calloc: zero size"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct heap_stats before, after;
        struct log_event e;
        heap_get_stats(h, &before);
        int64_t r = heap_calloc(h, bad[i].n, bad[i].size);
        heap_get_stats(h, &after);
        CHECK(bad[i].name, r == bad[i].want);
        CHECK(bad[i].name, last_op_events(h, EV_FAIL, LOG_OP_CALLOC, &e) == 1 && e.a == (uint32_t)bad[i].want);
        CHECK(bad[i].name, stats_same_layout(&before, &after) && after.failures == before.failures + 1);
        CHECK(bad[i].name, heap_ok(h));
    }
    heap_destroy(h);
}

int main(void)
{
    test_shrink();
    test_grow();
    test_move();
    test_calloc();
    return check_done("test_realloc");
}
