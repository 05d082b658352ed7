/* test_scenarios.c: every generated scenario says what it shows
 * (trace_scenario_about, `heaplab gen --list`); this checks each claim on
 * the seeds and lengths the page and the README use (seeds 1-8; 300 ops,
 * the page's default, and 200, the README's iframe), with the page's
 * default options (LIFO order, coalescing, 8-byte alignment). Utilization
 * is Malloc Lab's: peak payload / final heap size.
 */
#include <stdlib.h>
#include <string.h>
#include "../check.h"
#include "trace/replay.h"
#include "trace/trace.h"
#include "heap/allocator.h"
#include "log/event_log.h"

enum { TEACHING = 4 }; /* first, next, best, worst: HEAP_FIRST_FIT .. HEAP_WORST_FIT */

struct outcome { double util; uint32_t heap; uint32_t free_blocks; uint64_t grow_in_place, moves; };

/* Replays the first k ops (all when k = 0) of a scenario under a policy. */
static struct outcome run(int scen, uint64_t seed, uint32_t nops, int policy, size_t k) {
    struct trace t, cut;
    struct outcome o = { 0 };
    if (trace_generate(scen, seed, nops, &t) != 0) return o;
    if (k && trace_copy(&t, k, &cut) == 0) {
        trace_free(&t);
        t = cut;
    }
    struct heap_options opt = heap_default_options();
    opt.policy = policy;
    struct heap *h = heap_create(&opt);
    struct replay_result r;
    replay_run(h, &t, &(struct replay_options){ .verify = 1 }, &r);
    struct heap_stats st;
    heap_get_stats(h, &st);
    o.util = r.utilization;
    o.heap = st.heap_size;
    o.free_blocks = st.free_blocks;
    struct event_log *log = heap_log(h);
    for (uint32_t i = 0; i < log_event_count(log); i++) {
        const struct log_event *e = log_event_at(log, i);
        if (e->kind != EV_REALLOC) continue;
        o.grow_in_place += e->detail == REALLOC_GROW_NEXT || e->detail == REALLOC_GROW_BRK;
        o.moves += e->detail == REALLOC_MOVE;
    }
    heap_destroy(h);
    trace_free(&t);
    return o;
}

/* The four teaching policies' outcomes. */
static void run4(int scen, uint64_t seed, uint32_t nops, size_t k, struct outcome *o) {
    for (int p = 0; p < TEACHING; p++) o[p] = run(scen, seed, nops, p, k);
}

static double spread(const struct outcome *o) {
    double lo = 1, hi = 0;
    for (int p = 0; p < TEACHING; p++) {
        if (o[p].util < lo) lo = o[p].util;
        if (o[p].util > hi) hi = o[p].util;
    }
    return hi - lo;
}

/* 1 when no two teaching policies end with the same heap (size and free blocks). */
static int all_distinct(const struct outcome *o) {
    for (int a = 0; a < TEACHING; a++)
        for (int b = a + 1; b < TEACHING; b++)
            if (o[a].heap == o[b].heap && o[a].free_blocks == o[b].free_blocks) return 0;
    return 1;
}

static int all_same(const struct outcome *o) {
    for (int p = 1; p < TEACHING; p++)
        if (o[p].heap != o[0].heap || o[p].util != o[0].util) return 0;
    return 1;
}

int main(void) {
    for (int s = 0; s < SCEN_COUNT; s++) {
        const char *about = trace_scenario_about(s);
        CHECK("every scenario says what it shows", about && strlen(about) > 40);
    }
    static const uint32_t lengths[] = {300, 200};
    for (int li = 0; li < 2; li++)
        for (uint64_t seed = 1; seed <= 8; seed++) {
            uint32_t n = lengths[li];
            struct outcome o[TEACHING];
            char msg[128];
#define CLAIM(what, expr)                                                                 \
    do {                                                                                  \
        snprintf(msg, sizeof msg, "%s (seed %d, %u ops)", what, (int)seed, (unsigned)n); \
        CHECK(msg, expr);                                                                 \
    } while (0)
            run4(SCEN_STACK, seed, n, 0, o);
            CLAIM("stack: the policy does not matter", all_same(o));
            run4(SCEN_RANDOM, seed, n, 0, o);
            CLAIM("random: the policies differ", !all_same(o) && spread(o) >= 0.02);
            run4(SCEN_QUEUE, seed, n, 0, o);
            CLAIM("queue: the policies differ", !all_same(o));
            run4(SCEN_PHASES, seed, n, 0, o);
            CLAIM("phases: survivors leave holes under every policy",
                  o[0].free_blocks >= 2 && o[1].free_blocks >= 2 && o[2].free_blocks >= 2 && o[3].free_blocks >= 2);
            if (seed <= 4) CLAIM("phases: the policies part ways", !all_same(o));
            run4(SCEN_FRAGMENT, seed, n, 0, o);
            CLAIM("fragment: four different heaps", all_distinct(o));
            CLAIM("fragment: utilization at least 7 points apart", spread(o) >= 0.07);
            struct outcome r = run(SCEN_REALLOC, seed, n, HEAP_FIRST_FIT, 0);
            CLAIM("realloc: some grow in place, some move", r.grow_in_place > 0 && r.moves > 0);
            run4(SCEN_BEST_WINS, seed, n, 0, o);
            CLAIM("best-wins: best fit beats first fit by 6 points", o[HEAP_BEST_FIT].util >= o[HEAP_FIRST_FIT].util + 0.06);
            run4(SCEN_WORST_WINS, seed, n, 0, o);
            CLAIM("worst-wins: worst fit beats best fit by 4 points", o[HEAP_WORST_FIT].util >= o[HEAP_BEST_FIT].util + 0.04);
            run4(SCEN_NEXT_SPREADS, seed, n, 0, o);
            CLAIM("next-spreads: first fit beats next fit by 20 points", o[HEAP_FIRST_FIT].util >= o[HEAP_NEXT_FIT].util + 0.20);
            CLAIM("next-spreads: next fit leaves more holes", o[HEAP_NEXT_FIT].free_blocks > o[HEAP_FIRST_FIT].free_blocks);
        }
    /* the README's iframe: fragment, seed 3, 200 ops, at step 120 */
    struct outcome o[TEACHING];
    run4(SCEN_FRAGMENT, 3, 200, 120, o);
    CHECK("README iframe (fragment seed 3, step 120): four different heaps", all_distinct(o));
    return check_done("test_scenarios");
}
