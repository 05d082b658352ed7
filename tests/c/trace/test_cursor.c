/* test_cursor.c: a trace replayed to any step (c/trace/trace_cursor.c) is
 * the same heap as the first k ops replayed into a fresh one.
 *
 * For every policy x order and both coalescing settings, on generated
 * scenarios and a tiny arena (so some allocations fail and later frees are
 * skipped), a cursor jumps to seeded random steps (forward, back, far,
 * near, the ends) with a small checkpoint budget (so thinning happens),
 * and after each seek its heap must equal a fresh replay of ops [0, k):
 * the same blocks (offset, size, state, payload, id, next free link), the
 * same statistics, and heap_check() passing. Also: heap images restore
 * exactly, a trace cut and appended to keeps its cursor honest, and bad
 * uses are refused.
 */
#include <stdlib.h>
#include <string.h>
#include "../check.h"
#include "heap/allocator.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "trace/trace_cursor.h"
#include "../util.h"

/* Returns 1 when a and b have the same blocks, free-list links and statistics. */
static int same_heap(const struct heap *a, const struct heap *b) {
    static struct blocks ba, bb;
    walk_all(a, &ba);
    walk_all(b, &bb);
    if (ba.n != bb.n) return 0;
    for (uint32_t i = 0; i < ba.n; i++) {
        const struct heap_block_info *x = &ba.b[i], *y = &bb.b[i];
        if (x->offset != y->offset || x->size != y->size || x->is_free != y->is_free || x->id != y->id ||
            x->payload_size != y->payload_size || x->next_free != y->next_free || x->size_class != y->size_class)
            return 0;
    }
    struct heap_stats sa, sb;
    heap_get_stats(a, &sa);
    heap_get_stats(b, &sb);
    return memcmp(&sa, &sb, sizeof sa) == 0 && heap_free_head(a) == heap_free_head(b) &&
           heap_rover(a) == heap_rover(b);
}

/* Returns a fresh heap after the first k ops of t. */
static struct heap *replayed(const struct heap_options *o, const struct trace *t, size_t k) {
    struct heap *h = heap_create(o);
    struct trace prefix = *t;
    prefix.n = k < t->n ? k : t->n;
    struct replay_result r;
    replay_run(h, &prefix, NULL, &r);
    return h;
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(uint64_t n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state % n;
}

/* One cursor over t under o, checked after `seeks` seeks. */
static void cursor_matches(const char *what, const struct heap_options *o, const struct trace *t, int seeks) {
    struct heap *h = heap_create(o);
    struct trace_cursor *c = cursor_create(t, h, 64 << 10);
    CHECK(what, c != NULL);
    if (!c) { heap_destroy(h); return; }
    int bad = 0;
    size_t last = 0;
    for (int i = 0; i < seeks && !bad; i++) {
        size_t k;
        switch (rnd(6)) {
        case 0: k = last + 1; break;                     /* step forward */
        case 1: k = last ? last - 1 : 0; break;          /* step back */
        case 2: k = t->n; break;                         /* the end */
        case 3: k = last > 3000 ? last - rnd(3000) : 0; break; /* a little back */
        default: k = rnd(t->n + 1); break;               /* anywhere */
        }
        if (cursor_seek(c, k) != 0) { bad = 1; break; }
        struct heap *ref = replayed(o, t, k);
        uint32_t off = 0;
        if (!same_heap(h, ref) || heap_check(h, &off) != 0) {
            fprintf(stderr, "  %s: step %zu differs (check %d at %u)\n", what, k, heap_check(h, &off), off);
            bad = 1;
        }
        heap_destroy(ref);
        last = k < t->n ? k : t->n;
    }
    struct cursor_stats st;
    cursor_get_stats(c, &st);
    CHECK(what, !bad);
    CHECK(what, st.bytes <= (64 << 10) + 64 * 1024 || st.checkpoints <= 1 + CURSOR_DENSE_KEEP);
    cursor_destroy(c);
    heap_destroy(h);
}

static void test_matches_replay(uint32_t ops, int seeks) {
    char what[128];
    /* the six general scenarios (the three one-policy-wins constructions add no new
     * kind of op; tests/c/run.sh replays them with --check under every combo) */
    for (int s = 0; s <= SCEN_REALLOC; s++) {
        struct trace t = {0};
        CHECK("generate", trace_generate(s, 5 + (uint64_t)s, ops, &t) == 0);
        for (int p = 0; p < HEAP_POLICY_COUNT; p++)
            for (int ord = 0; ord < HEAP_ORDER_COUNT; ord++)
                for (int co = 0; co <= 1; co++) {
                    struct heap_options o = heap_default_options();
                    o.policy = p;
                    o.order = ord;
                    o.coalesce = co;
                    o.log = 0;
                    snprintf(what, sizeof what, "%s %s %s coalesce=%d", trace_scenario_name(s), heap_policy_name(p), heap_order_name(ord), co);
                    cursor_matches(what, &o, &t, seeks);
                }
        trace_free(&t);
    }
}

/* A tiny arena: allocations fail, their frees are skipped; the cursor agrees. */
static void test_tiny_arena(void) {
    struct trace t = {0};
    CHECK("generate", trace_generate(SCEN_RANDOM, 3, 5000, &t) == 0);
    struct heap_options o = heap_default_options();
    o.arena_size = 4096;
    o.log = 0;
    struct heap *ref = replayed(&o, &t, t.n);
    struct heap_stats s;
    heap_get_stats(ref, &s);
    CHECK("tiny arena: some allocations fail", s.failures > 0);
    heap_destroy(ref);
    cursor_matches("tiny arena", &o, &t, 60);
    trace_free(&t);
}

/* An image restores the exact heap, into a heap that was elsewhere. */
static void test_images(void) {
    struct trace t = {0};
    trace_generate(SCEN_FRAGMENT, 9, 4000, &t);
    struct heap_options o = heap_default_options();
    o.policy = HEAP_FAST_FIT;
    o.log = 0;
    struct heap *a = replayed(&o, &t, 2500), *b = replayed(&o, &t, 4000);
    struct heap_image *img = heap_image_save(a);
    CHECK("image saved", img != NULL);
    CHECK("image restores", img && heap_image_restore(b, img) == 0);
    CHECK("restored heap is the saved one", same_heap(a, b));
    uint32_t off;
    CHECK("restored heap checks", heap_check(b, &off) == 0);
    CHECK("image is smaller than the arena", img && heap_image_bytes(img) < heap_break(a) + 64 * 1024u);
    struct heap_options other = o;
    other.policy = HEAP_BEST_FIT;
    struct heap *c = heap_create(&other);
    CHECK("other options refused", img && heap_image_restore(c, img) == HEAP_EINVAL);
    heap_image_free(img);
    heap_destroy(a);
    heap_destroy(b);
    heap_destroy(c);
    trace_free(&t);
}

/* A cut trace with ops appended: a new cursor over it matches a replay; the
 * old one refuses to move past what the trace lost. A logging heap is refused. */
static void test_edits(void) {
    struct trace t = {0};
    trace_generate(SCEN_RANDOM, 4, 3000, &t);
    struct heap_options o = heap_default_options();
    o.log = 0;
    struct heap *h = heap_create(&o);
    struct trace_cursor *c = cursor_create(&t, h, 1 << 20);
    CHECK("seek", cursor_seek(c, 2999) == 0);
    trace_truncate(&t, 1000);
    CHECK("cut trace: old cursor refuses", cursor_seek(c, 10) == HEAP_EINVAL);
    cursor_destroy(c);
    int64_t id = t.max_id + 1;
    CHECK("new id is not live", !trace_id_live(&t, id));
    trace_push(&t, TRACE_ALLOC, id, 40, 0);
    CHECK("pushed id is live", trace_id_live(&t, id));
    trace_push(&t, TRACE_REALLOC, id, 400, 0);
    trace_push(&t, TRACE_FREE, id, 0, 0);
    CHECK("freed id is not live", !trace_id_live(&t, id));
    cursor_matches("cut and appended", &o, &t, 30);
    /* cut and grown back to its length with other ops (and a far larger id): refused, never replayed */
    struct heap *h2 = heap_create(&o);
    struct trace_cursor *c2 = cursor_create(&t, h2, 1 << 20);
    size_t n = t.n;
    trace_truncate(&t, n - 3);
    for (int i = 0; i < 3; i++) trace_push(&t, i == 1 ? TRACE_FREE : TRACE_ALLOC, 2147483000 + (i == 2), 16, 0);
    CHECK("cut then regrown: the old cursor refuses", t.n == n && cursor_seek(c2, n) == HEAP_EINVAL);
    cursor_destroy(c2);
    heap_destroy(h2);
    struct heap_options lo = heap_default_options();
    struct heap *logged = heap_create(&lo);
    CHECK("a heap that logs is refused", cursor_create(&t, logged, 1 << 20) == NULL);
    heap_destroy(logged);
    heap_destroy(h);
    trace_free(&t);
}

/* The first k ops of t applied one by one as a cursor does (an op the
 * replay refuses is left out, and the next ones still apply). */
static struct heap *applied(const struct heap_options *o, const struct trace *t, size_t k) {
    struct heap *h = heap_create(o);
    struct replay_state st;
    struct replay_result r = {0};
    replay_state_init(&st, t, 0);
    for (size_t i = 0; i < k && i < t->n; i++) replay_op(&st, h, &t->ops[i], i, &r);
    replay_state_free(&st);
    return h;
}

/* A recorded bad free that names a live payload: refused, never applied
 * (issue 16), so the block stays live, and a seek that restores a
 * checkpoint past it gives the heap the ops applied one by one give (found
 * in review: the restored cursor once skipped a later free). A replay
 * stops there with REPLAY_ELIVEBAD. */
static void test_bad_call_on_live_block(void) {
    static char text[64 * 1024];
    size_t len = (size_t)snprintf(text, sizeof text, "op,id,size,offset,result\nalloc,0,16,8,8\nfree,-1,0,8,-1\n");
    for (int k = 2; k < 552; k++) len += (size_t)snprintf(text + len, sizeof text - len, "alloc,%d,16,0,0\nfree,%d,0,0,0\n", k, k);
    len += (size_t)snprintf(text + len, sizeof text - len, "alloc,1,16,0,0\nfree,0,0,0,0\n");
    struct trace t;
    char err[TRACE_ERR_LEN];
    CHECK("bad-call trace parses", trace_parse(text, len, "bad", &t, err, sizeof err) == 0);
    struct heap_options o = heap_default_options();
    o.log = 0;
    struct heap *h = heap_create(&o);
    struct trace_cursor *c = cursor_create(&t, h, 1 << 20);
    static const size_t steps[] = {1104, 1100, 1104, 3, 2, 1104, 1030, 1104};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        CHECK("seek", cursor_seek(c, steps[i]) == 0);
        struct heap *ref = applied(&o, &t, steps[i]);
        CHECK("bad call on a live block: cursor == ops applied", same_heap(h, ref));
        CHECK("the block it names stays live", steps[i] == 1104 || heap_payload_id(h, 8) == 0);
        heap_destroy(ref);
    }
    struct heap *ref = replayed(&o, &t, 1104);
    CHECK("a replay stops at the refused call", heap_payload_id(ref, 8) == 0 && heap_break(ref) < 64);
    heap_destroy(ref);
    cursor_destroy(c);
    heap_destroy(h);
    trace_free(&t);
}

/* test_cursor [OPS [SEEKS]]: OPS ops per generated scenario (default 9000),
 * SEEKS random seeks per policy x order x coalescing (default 12). */
int main(int argc, char **argv) {
    uint32_t ops = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 9000;
    int seeks = argc > 2 ? atoi(argv[2]) : 12;
    test_images();
    test_edits();
    test_bad_call_on_live_block();
    test_tiny_arena();
    test_matches_replay(ops, seeks);
    return check_done("test_cursor");
}
