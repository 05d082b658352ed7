/* test_roundtrip.c: the lossless log as a property (issue 16). Thousands of
 * generated cases, each a heap (random policy, order, coalescing, alignment,
 * arena) driven by a random mix of what a user of the C or JS API can do:
 * good and failing mallocs and callocs (size 0, 2^32, 2^64 - 1, overflowing
 * products, more than the arena), frees and reallocs of live blocks, bad
 * frees and reallocs (interior, double, misaligned, beyond 2^32 and 2^64),
 * realloc(0, n), allocations naming an id again after it failed or was
 * freed, and replays of traces onto the used heap (generated scenarios, and
 * crafted ones with failed allocs, id reuse and recorded bad calls). Then:
 *   - the exported rich log parses, and replaying it (verified) on a fresh
 *     heap with the same options gives the same log byte for byte;
 *   - the replayed heap has the same blocks (so it freed no block the first
 *     run kept live).
 *   test_roundtrip [CASES [SEED]]   (default 3000 cases)
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "../check.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "../util.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(uint64_t n) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? rng % n : 0;
}

static struct blocks bl; /* scratch for walks */

/* A random live payload of h, or 0 when none. */
static uint64_t some_live(const struct heap *h) {
    walk_all(h, &bl);
    uint32_t n = 0;
    for (uint32_t i = 0; i < bl.n; i++) n += !bl.b[i].is_free;
    if (!n) return 0;
    uint32_t k = (uint32_t)rnd(n);
    for (uint32_t i = 0; i < bl.n; i++)
        if (!bl.b[i].is_free && k-- == 0) return bl.b[i].payload_off;
    return 0;
}

/* A free block's payload (a double free), or 0. */
static uint64_t some_free(const struct heap *h) {
    walk_all(h, &bl);
    for (uint32_t i = 0; i < bl.n; i++)
        if (bl.b[i].is_free && rnd(2)) return bl.b[i].payload_off;
    return 0;
}

/* 1 when id names a live block of h. */
static int id_live(const struct heap *h, int64_t id) {
    walk_all(h, &bl);
    for (uint32_t i = 0; i < bl.n; i++)
        if (!bl.b[i].is_free && bl.b[i].id == id) return 1;
    return 0;
}

/* A request size: mostly small, sometimes one every heap refuses. */
static uint64_t some_size(const struct heap *h) {
    switch (rnd(12)) {
    case 0: return 0;
    case 1: return UINT64_MAX;
    case 2: return 1ull << 32;
    case 3: return (uint64_t)heap_get_options(h).arena_size + rnd(64);
    case 4: return rnd(4000) + 1;
    default: return rnd(200) + 1;
    }
}

/* An offset that is not a live payload (or is: the heap must tell). */
static uint64_t some_bad_offset(const struct heap *h) {
    uint64_t live = some_live(h);
    switch (rnd(6)) {
    case 0: return live + 8;
    case 1: return some_free(h);
    case 2: return (1ull << 32) + live;
    case 3: return UINT64_MAX - 7;
    case 4: return live + 1;
    default: return rnd(600);
    }
}

/* Replays a small trace onto the used heap: a generated scenario, or a
 * crafted one with a failed alloc, id reuse and recorded bad calls. */
static void replay_some(struct heap *h) {
    struct trace t;
    char err[TRACE_ERR_LEN];
    if (rnd(2)) {
        if (trace_generate((int)rnd(SCEN_COUNT), rnd(1000), (uint32_t)(rnd(40) + 1), &t) != 0) return;
    } else {
        char text[1024];
        int n = snprintf(text, sizeof text,
                         "op,id,size,offset,result\nalloc,0,%" PRIu64 ",0,%d\nalloc,1,24,0,0\nfree,-1,0,%" PRIu64 ",-4\n"
                         "alloc,0,16,0,0\nrealloc,-1,40,%" PRIu64 ",-5\nrealloc,1,%" PRIu64 ",0,0\nfree,0,0,0,0\n",
                         some_size(h), rnd(2) ? -2 : 0, some_bad_offset(h), some_bad_offset(h), rnd(300) + 1);
        if (trace_parse(text, (size_t)n, "crafted", &t, err, sizeof err) != 0) return; /* e.g. offset 0, or alloc,0 that succeeded then alloc,0 again */
    }
    struct replay_options ro = {.verify = (int)rnd(2)};
    struct replay_result r;
    replay_run(h, &t, &ro, &r); /* may refuse a recorded bad call that names a live block here */
    trace_free(&t);
}

/* One random call (or a replay) on h. */
static void one_call(struct heap *h, int64_t *ids, int *nids) {
    switch (rnd(14)) {
    case 0: case 1: case 2: heap_malloc(h, some_size(h)); break;
    case 3: heap_calloc(h, rnd(3) ? rnd(8) : UINT64_MAX / 2, some_size(h)); break;
    case 4: case 5: heap_free(h, some_live(h)); break;
    case 6: heap_realloc(h, some_live(h), some_size(h)); break;
    case 7: heap_free(h, some_bad_offset(h)); break;
    case 8: heap_realloc(h, some_bad_offset(h), some_size(h)); break;
    case 9: heap_realloc(h, 0, some_size(h)); break;
    case 10: { /* an id used before (failed or freed), or a new one, never a live one */
        int64_t id = *nids && rnd(3) ? ids[rnd((uint64_t)*nids)] : heap_next_id(h) + (int64_t)rnd(3);
        if (!id_live(h, id)) {
            heap_malloc_id(h, some_size(h), id);
            if (*nids < 64) ids[(*nids)++] = id;
        }
        break;
    }
    case 11: if (rnd(3) == 0) replay_some(h); break;
    default: heap_malloc(h, rnd(100) + 1); break;
    }
}

/* 1 when a and b have the same blocks (offset, size, free, id, payload size). */
static int same_blocks(const struct heap *a, const struct heap *b) {
    static struct blocks x, y;
    walk_all(a, &x);
    walk_all(b, &y);
    if (x.n != y.n) return 0;
    for (uint32_t i = 0; i < x.n; i++)
        if (x.b[i].offset != y.b[i].offset || x.b[i].size != y.b[i].size || x.b[i].is_free != y.b[i].is_free ||
            x.b[i].id != y.b[i].id || x.b[i].payload_size != y.b[i].payload_size)
            return 0;
    return 1;
}

/* One case; returns 1 when the property held (reports the first failures). */
static int one_case(int k) {
    static const uint32_t arenas[] = {256, 4096, 65536, 1u << 20};
    struct heap_options o = make_opts((int)rnd(HEAP_POLICY_COUNT), (int)rnd(HEAP_ORDER_COUNT), (int)rnd(4) != 0);
    o.align = rnd(2) ? 8 : 16;
    o.arena_size = arenas[rnd(4)];
    struct heap *h = heap_create(&o);
    int64_t ids[64];
    int nids = 0, calls = (int)rnd(50) + 5;
    for (int i = 0; i < calls; i++) one_call(h, ids, &nids);
    size_t len;
    char *a = log_to_csv(heap_log(h), LOG_FORMAT_RICH, &len), err[TRACE_ERR_LEN] = "";
    struct trace t;
    int parsed = a && trace_parse(a, len, "log.csv", &t, err, sizeof err) == 0;
    struct heap *g = heap_create(&o);
    struct replay_options ro = {.verify = 1};
    struct replay_result r = {0};
    int rc = parsed ? replay_run(g, &t, &ro, &r) : -1;
    char *b = parsed ? log_to_csv(heap_log(g), LOG_FORMAT_RICH, &len) : NULL;
    int ok = parsed && rc == 0 && b && strcmp(a, b) == 0 && same_blocks(h, g) && heap_check(g, NULL) == 0;
    static int reported;
    if (!ok && reported++ < 3)
        fprintf(stderr, "case %d: parsed %d (%s), replay %d (%s) after op %" PRIu32 "\n--- log:\n%s--- replayed:\n%s", k, parsed, err, rc,
                replay_strerror(rc), r.error_op, a ? a : "(none)", b ? b : "(none)");
    if (parsed) trace_free(&t);
    free(a);
    free(b);
    heap_destroy(g);
    heap_destroy(h);
    return ok;
}

int main(int argc, char **argv) {
    int cases = argc > 1 ? atoi(argv[1]) : 3000;
    if (argc > 2) rng = strtoull(argv[2], NULL, 10) | 1;
    int good = 0;
    for (int k = 0; k < cases; k++) good += one_case(k);
    char msg[96];
    snprintf(msg, sizeof msg, "%d generated cases: every exported log replays to itself", cases);
    CHECK(msg, good == cases);
    if (good != cases) fprintf(stderr, "  %d of %d cases failed\n", cases - good, cases);
    return check_done("test_roundtrip");
}
