/* bench_heaplab.c: the replay loop through HeapLab's heap_* API. Same shape
 * as bench_replay_libc (bench_replay.c): ids index a table of live payload
 * offsets (0 = dead), only the loop is timed
 * (CPU and wall time, see bench_prog.h). The heap is created fresh
 * with logging off before the clock starts and destroyed after it stops;
 * utilization comes from the heap's own counters (peak live payload /
 * high-water mark of the break), as Malloc Lab defines it.
 */
#include "allocator.h"
#include "bench_prog.h"

/* Returns 0 or BENCH_EPOLICY / BENCH_EHOST; fills *out. */
int bench_replay_heaplab(const struct bench_prog *p, int policy, uint32_t arena, uint32_t *tab, struct bench_run *out) {
    struct heap_options o = heap_default_options();
    o.policy = policy;
    o.log = 0;
    o.arena_size = arena;
    if (policy < 0 || policy >= HEAP_POLICY_COUNT) return BENCH_EPOLICY;
    struct heap *h = heap_create(&o);
    if (!h) return BENCH_EHOST;
    const struct bench_op *op = p->ops, *end = p->ops + p->n_ops;
    uint64_t failures = 0, skipped = 0;
    double w0 = bench_now_us(), c0 = bench_cpu_us();
    for (; op < end; op++) {
        uint32_t *slot = &tab[op->id];
        if (op->op == BENCH_ALLOC) {
            int64_t r = heap_malloc(h, op->size);
            *slot = r > 0 ? (uint32_t)r : 0;
            if (r <= 0) failures++;
        } else if (op->op == BENCH_FREE) {
            if (!*slot) skipped++;
            else heap_free(h, *slot);
            *slot = 0;
        } else if (!*slot) {
            skipped++;
        } else {
            int64_t r = heap_realloc(h, *slot, op->size);
            if (r > 0) *slot = (uint32_t)r;
            else failures++;
        }
    }
    out->us = bench_cpu_us() - c0;
    out->wall_us = bench_now_us() - w0;
    struct heap_stats st;
    heap_get_stats(h, &st);
    heap_destroy(h);
    out->failures = failures;
    out->skipped = skipped;
    out->peak_payload = st.peak_payload;
    out->heap_peak = st.heap_peak;
    return 0;
}
