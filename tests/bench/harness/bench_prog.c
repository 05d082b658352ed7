/* bench_prog.c: validating a replay program (see bench_prog.h for the
 * layout). Validation bounds every id and op code, so the replay loops can
 * index their tables without checks; liveness needs no check, because a
 * free or realloc of a dead id hands NULL / offset 0 to the allocator,
 * which every allocator here treats as a no-op or as malloc.
 */
#include <string.h>
#include "bench_prog.h"

/* Returns 0 and fills *out, or BENCH_EFORMAT / BENCH_EOP. */
int bench_prog_view(const void *buf, size_t len, struct bench_prog *out) {
    struct bench_header h;
    if (!buf || len < sizeof h) return BENCH_EFORMAT;
    memcpy(&h, buf, sizeof h);
    if (h.magic != BENCH_MAGIC || h.version != BENCH_VERSION || h.zero != 0) return BENCH_EFORMAT;
    if ((len - sizeof h) / sizeof(struct bench_op) != h.n_ops || (len - sizeof h) % sizeof(struct bench_op))
        return BENCH_EFORMAT;
    const struct bench_op *ops = (const struct bench_op *)((const char *)buf + sizeof h);
    for (uint32_t i = 0; i < h.n_ops; i++) {
        uint32_t op = ops[i].op;
        if (ops[i].id >= h.n_ids || (op != BENCH_ALLOC && op != BENCH_FREE && op != BENCH_REALLOC) ||
            (op != BENCH_FREE && ops[i].size == 0))
            return BENCH_EOP;
    }
    out->ops = ops;
    out->n_ops = h.n_ops;
    out->n_ids = h.n_ids;
    out->dropped = h.dropped;
    out->peak_payload = (uint64_t)h.peak_hi << 32 | h.peak_lo;
    return 0;
}
