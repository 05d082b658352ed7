/* bench_compile.c: engine trace -> replay program (native only). The trace
 * is parsed and validated by the engine's trace_load_file(); this file only
 * packs its ops into the program layout of bench_prog.h and computes the
 * trace's peak live payload (after mapping 0-byte requests to 1 byte).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "bench_prog.h"
#include "bench_native.h"
#include "trace/trace.h"

/* LB, the bound no placement of HeapLab's block format beats: peak live
 * payload / (LB_FIXED + peak live block bytes), a block being the request
 * plus its 4-byte header rounded to 8, at least 16 bytes, and LB_FIXED the
 * arena's padding and epilogue (4 + 4). Measured alone: any heap must hold
 * every block live at the peak at once. */
#define LB_FIXED 8u
static uint64_t lb_block(uint32_t size) {
    uint64_t b = ((uint64_t)size + 4 + 7) & ~(uint64_t)7;
    return b < 16 ? 16 : b;
}

/* Returns a malloc'd program for t (length in *len), or NULL with err set. */
void *bench_prog_build(const struct trace *t, size_t *len, double *lb, char *err, size_t errlen) {
    if (t->max_id >= (int64_t)UINT32_MAX || t->n > (UINT32_MAX - 32) / sizeof(struct bench_op)) {
        snprintf(err, errlen, "trace too large for the benchmark (ids or ops beyond 2^32)");
        return NULL;
    }
    uint32_t n_ids = (uint32_t)(t->max_id + 1);
    struct bench_header h = { BENCH_MAGIC, BENCH_VERSION, 0, n_ids, 0, 0, 0, 0 };
    char *buf = malloc(sizeof h + t->n * sizeof(struct bench_op));
    uint32_t *live = calloc(n_ids ? n_ids : 1, sizeof *live);
    if (!buf || !live) {
        free(buf);
        free(live);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    struct bench_op *ops = (struct bench_op *)(buf + sizeof h);
    uint64_t payload = 0, peak = 0, blocks = 0, peak_blocks = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (o->op != TRACE_ALLOC && o->op != TRACE_FREE && o->op != TRACE_REALLOC) {
            h.dropped++;
            continue;
        }
        if (o->size > UINT32_MAX) {
            free(buf);
            free(live);
            snprintf(err, errlen, "line %u: request of %llu bytes is beyond 32 bits", o->line,
                     (unsigned long long)o->size);
            return NULL;
        }
        uint32_t id = (uint32_t)o->id, size = o->op == TRACE_FREE ? 0 : (o->size ? (uint32_t)o->size : 1);
        payload -= live[id];
        blocks -= live[id] ? lb_block(live[id]) : 0;
        live[id] = size;
        payload += size;
        blocks += size ? lb_block(size) : 0;
        if (payload > peak) peak = payload;
        if (blocks > peak_blocks) peak_blocks = blocks;
        ops[h.n_ops++] = (struct bench_op){ id, size, o->op };
    }
    free(live);
    *lb = peak ? (double)peak / (double)(LB_FIXED + peak_blocks) : 0;
    h.peak_lo = (uint32_t)peak;
    h.peak_hi = (uint32_t)(peak >> 32);
    memcpy(buf, &h, sizeof h);
    *len = sizeof h + (size_t)h.n_ops * sizeof(struct bench_op);
    return buf;
}
