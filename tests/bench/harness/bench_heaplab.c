/* bench_heaplab.c: the replay loop through HeapLab's heap_* API. Same shape
 * as bench_replay_libc (bench_replay.c): ids index a table of live payload
 * offsets (0 = dead), only the loop is timed
 * (CPU and wall time, see bench_prog.h). The heap is created fresh
 * with logging off before the clock starts and destroyed after it stops;
 * utilization is the trace's peak live payload (from the program) over
 * the heap's high-water mark of the break, as Malloc Lab defines it.
 */
#include <string.h>
#include "heap/allocator.h"
#include "bench_prog.h"

/* The timed part, kept out of line so an instruction counter can collect
 * exactly it (valgrind --toggle-collect=bench_loop_heaplab). Adds to
 * counts[0] the refused requests, to counts[1] the skipped ops. */
__attribute__((noinline)) static void bench_loop_heaplab(struct heap *h, const struct bench_prog *p, uint32_t *tab,
                                                         uint64_t counts[2]) {
    const struct bench_op *op = p->ops, *end = p->ops + p->n_ops;
    for (; op < end; op++) {
        uint32_t *slot = &tab[op->id];
        if (op->op == BENCH_ALLOC) {
            int64_t r = heap_malloc(h, op->size);
            *slot = r > 0 ? (uint32_t)r : 0;
            if (r <= 0) counts[0]++;
        } else if (op->op == BENCH_FREE) {
            if (!*slot) counts[1]++;
            else heap_free(h, *slot);
            *slot = 0;
        } else if (!*slot) {
            counts[1]++;
        } else {
            int64_t r = heap_realloc(h, *slot, op->size);
            if (r > 0) *slot = (uint32_t)r;
            else counts[0]++;
        }
    }
}

/* The untimed first pass of a warm run: the same replay, writing every
 * payload it is handed (bench_prog.h says why). */
static void warm_up_heaplab(struct heap *h, const struct bench_prog *p, uint32_t *tab) {
    for (const struct bench_op *op = p->ops, *end = p->ops + p->n_ops; op < end; op++) {
        uint32_t *slot = &tab[op->id];
        int64_t r = 0;
        if (op->op == BENCH_ALLOC) {
            r = heap_malloc(h, op->size);
            *slot = r > 0 ? (uint32_t)r : 0;
        } else if (op->op == BENCH_FREE) {
            if (*slot) heap_free(h, *slot);
            *slot = 0;
        } else if (*slot && (r = heap_realloc(h, *slot, op->size)) > 0) {
            *slot = (uint32_t)r;
        }
        if (r > 0) memset(heap_arena(h) + r, 0xa5, op->size);
    }
}

/* Returns 0 or BENCH_EPOLICY / BENCH_EHOST; fills *out. */
int bench_replay_heaplab(const struct bench_prog *p, int policy, uint32_t arena, uint32_t *tab, int warm,
                         struct bench_run *out) {
    struct heap_options o = heap_default_options();
    o.policy = policy;
    o.log = 0;
    o.payload_info = 0; /* only the allocator's work: no requested sizes or ids (the program has the peak payload) */
    o.arena_size = arena;
    if (policy < 0 || policy >= HEAP_POLICY_COUNT) return BENCH_EPOLICY;
    struct heap *h = heap_create(&o);
    if (!h) return BENCH_EHOST;
    uint64_t counts[2] = { 0, 0 };
    if (warm) { /* the same heap, emptied by freeing what the first pass left live */
        warm_up_heaplab(h, p, tab);
        for (uint32_t i = 0; i < p->n_ids; i++)
            if (tab[i]) heap_free(h, tab[i]), tab[i] = 0;
        counts[0] = counts[1] = 0;
    }
    double w0 = bench_now_us(), c0 = bench_cpu_us();
    bench_loop_heaplab(h, p, tab, counts);
    out->us = bench_cpu_us() - c0;
    out->wall_us = bench_now_us() - w0;
    struct heap_stats st;
    heap_get_stats(h, &st);
    heap_destroy(h);
    out->failures = counts[0];
    out->skipped = counts[1];
    out->peak_payload = p->peak_payload;
    out->heap_peak = st.heap_peak;
    out->side_bytes = st.side_peak;
    return 0;
}
