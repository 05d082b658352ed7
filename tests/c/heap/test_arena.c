/* test_arena.c: the arena's edges: exhaustion (ENOMEM, nothing changed,
 * recovery), tiny arenas (256 bytes and HEAP_MIN_ARENA, at align 8 and 16),
 * refused options, alignment 16, grow_step, and a free last block extended
 * instead of appending a new one.
 *
 * Expected offsets are worked out by hand from notes/allocator-semantics.md
 * (align 8: first payload at 8; a request of n bytes takes
 * max(16, round_up(n + 4, align)) bytes; the break starts at align).
 */
#include <stdint.h>
#include <stdio.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "../util.h"

static struct blocks bl;

/* Arena exhaustion (ENOMEM, state kept, recovery), tiny arenas. */
static void test_arena_limits(void)
{
    struct heap *h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 1024);
    int64_t p[9];
    alloc_n(h, 9, 100, p); /* 9 x 104 bytes: break 944 */
    CHECK("exhausted: nine fit", p[8] == 8 + 8 * 104);
    struct heap_stats before, after;
    heap_get_stats(h, &before);
    int64_t q = heap_malloc(h, 100);
    heap_get_stats(h, &after);
    struct log_event e;
    CHECK("exhausted: ENOMEM", q == HEAP_ENOMEM);
    CHECK("exhausted: fail event", last_op_events(h, EV_FAIL, LOG_OP_ALLOC, &e) == 1 && e.a == (uint32_t)HEAP_ENOMEM && e.b == 100);
    CHECK("exhausted: layout unchanged", stats_same_layout(&before, &after) && after.failures == before.failures + 1);
    CHECK("exhausted: checks", heap_ok(h));
    CHECK("exhausted: the last 80 bytes still fit", heap_malloc(h, 72) == 944);
    CHECK("exhausted: full", heap_malloc(h, 1) == HEAP_ENOMEM);
    heap_free(h, (uint64_t)p[3]); heap_free(h, (uint64_t)p[4]);
    CHECK("exhausted: recovery into a merged hole", heap_malloc(h, 204) == p[3]);
    CHECK("exhausted: recovered checks", heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1, 256);
    CHECK("tiny 256: largest request", heap_malloc(h, 244) == 8);
    CHECK("tiny 256: then full", heap_malloc(h, 1) == HEAP_ENOMEM);
    heap_free(h, 8);
    CHECK("tiny 256: one byte more is too big", heap_malloc(h, 245) == HEAP_ETOOBIG);
    CHECK("tiny 256: reuse", heap_malloc(h, 100) == 8 && heap_ok(h));
    heap_destroy(h);

    h = make_heap(HEAP_BEST_FIT, HEAP_ORDER_ADDR, 1, HEAP_MIN_ARENA);
    CHECK("min arena: created", h != NULL);
    CHECK("min arena: largest request", heap_malloc(h, HEAP_MIN_ARENA - 12) == 8);
    heap_free(h, 8);
    CHECK("min arena: too big", heap_malloc(h, HEAP_MIN_ARENA - 11) == HEAP_ETOOBIG);
    int64_t t[3];
    alloc_n(h, 3, 8, t);
    CHECK("min arena: three minimum blocks", t[0] == 8 && t[1] == 24 && t[2] == 40);
    CHECK("min arena: fourth fails", heap_malloc(h, 8) == HEAP_ENOMEM && heap_ok(h));
    heap_destroy(h);

    struct heap_options o = make_opts(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1);
    o.arena_size = HEAP_MIN_ARENA - 1;
    CHECK("arena below minimum refused", heap_create(&o) == NULL);
    o = make_opts(HEAP_POLICY_COUNT, HEAP_ORDER_LIFO, 1);
    CHECK("bad policy refused", heap_create(&o) == NULL);
    o = make_opts(HEAP_FIRST_FIT, 3, 1);
    CHECK("bad order refused", heap_create(&o) == NULL);
    o = make_opts(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1);
    o.align = 4;
    CHECK("align 4 refused", heap_create(&o) == NULL);
    o.align = 32;
    CHECK("align 32 refused", heap_create(&o) == NULL);
}

/* align 16: payloads and block sizes are multiples of 16. */
static void test_align16(void)
{
    struct heap_options o = make_opts(HEAP_BEST_FIT, HEAP_ORDER_ADDR, 1);
    o.align = 16;
    o.arena_size = HEAP_MIN_ARENA;
    struct heap *h = heap_create(&o);
    CHECK("align16 min arena: largest", h && heap_malloc(h, 44) == 16);
    CHECK("align16 min arena: too big", h && heap_malloc(h, 45) == HEAP_ETOOBIG);
    heap_destroy(h);
    o.arena_size = 1u << 20;
    h = heap_create(&o);
    CHECK("align16: options kept", heap_get_options(h).align == 16);
    int good = 1;
    int64_t p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = heap_malloc(h, (uint64_t)(i * 37 % 100 + 1));
        good &= p[i] > 0 && p[i] % 16 == 0;
        if (i % 3 == 2) heap_free(h, (uint64_t)p[i - 1]);
    }
    walk_all(h, &bl);
    for (uint32_t i = 0; i < bl.n; i++) good &= bl.b[i].size % 16 == 0 && bl.b[i].payload_off % 16 == 0;
    CHECK("align16: every payload and block aligned", good);
    CHECK("align16: checks", heap_ok(h));
    heap_destroy(h);
}

/* grow_step and extending a free last block instead of appending. */
static void test_growth(void)
{
    struct heap_options o = make_opts(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, 1);
    o.grow_step = 4096;
    struct heap *h = heap_create(&o);
    struct heap_stats s1, s2;
    heap_malloc(h, 1);
    heap_get_stats(h, &s1);
    CHECK("grow_step: break moved by at least the step", s1.heap_size >= 8 + 4096 && s1.free_blocks == 1);
    heap_malloc(h, 1);
    heap_get_stats(h, &s2);
    CHECK("grow_step: next request fits without extending", s2.heap_size == s1.heap_size &&
                                                               last_op_events(h, EV_EXTEND, -1, NULL) == 0);
    CHECK("grow_step: checks", heap_ok(h));
    heap_destroy(h);

    for (int coalesce = 1; coalesce >= 0; coalesce--) {
        h = make_heap(HEAP_FIRST_FIT, HEAP_ORDER_LIFO, coalesce, 1u << 20);
        heap_malloc(h, 24);
        int64_t b = heap_malloc(h, 24);
        heap_free(h, (uint64_t)b);
        int64_t c = heap_malloc(h, 100); /* 104 bytes: only 32 free at the end */
        struct log_event e;
        heap_get_stats(h, &s1);
        if (coalesce) {
            CHECK("extend last free block: placed there", c == b && s1.heap_size == 8 + 32 + 104);
            CHECK("extend last free block: event", last_op_events(h, EV_EXTEND, -1, &e) == 1 && e.a == 72 && e.b == 144);
        } else {
            CHECK("no-coalesce: appended after the free block", c == 72 && s1.heap_size == 72 + 104);
        }
        CHECK("extend: checks", heap_ok(h));
        heap_destroy(h);
    }
}

int main(void)
{
    test_arena_limits();
    test_align16();
    test_growth();
    return check_done("test_arena");
}
