/* replay.c: applies a parsed trace to a heap and verifies, as Malloc Lab's
 * driver does, that every payload is aligned, lies inside the heap and
 * keeps its contents: each payload is filled with a pattern derived from
 * its id, checked before it is freed or resized, and realloc must carry
 * min(old, new) bytes over. Allocations the heap refuses (e.g. 4 GiB) are
 * counted as failed; later frees/reallocs of those ids are skipped.
 */
#include <stdlib.h>
#include <string.h>
#include "trace/replay.h"

enum id_state { ID_DEAD = 0, ID_LIVE = 1, ID_FAILED = 2 };

/* Byte j of the pattern of block id. */
static inline uint8_t pattern(int64_t id, uint64_t j) { return (uint8_t)((uint64_t)id * 131u + j * 7u + (j >> 8)); }

static void pattern_write(uint8_t *p, int64_t id, uint64_t from, uint64_t to) {
    for (uint64_t j = from; j < to; j++) p[j] = pattern(id, j);
}

/* Returns 1 when bytes [0, n) still hold the pattern. */
static int pattern_ok(const uint8_t *p, int64_t id, uint64_t n) {
    for (uint64_t j = 0; j < n; j++)
        if (p[j] != pattern(id, j)) return 0;
    return 1;
}

/* Records the first error; returns it. */
static int fail_at(struct replay_result *res, int code, size_t op, uint32_t off) {
    if (!res->error) {
        res->error = code;
        res->error_op = (uint32_t)op;
        res->error_off = off;
    }
    return code;
}

/* Checks a fresh payload's placement. Returns 0 or an error code. */
static int placement_ok(struct heap *h, int64_t off, uint64_t size) {
    if (off % heap_get_options(h).align) return REPLAY_EALIGN;
    if ((uint64_t)off + size > heap_break(h)) return REPLAY_EBOUNDS;
    return 0;
}

const char *replay_strerror(int code) {
    switch (code) {
    case REPLAY_EPATTERN: return "payload contents changed";
    case REPLAY_EALIGN: return "payload misaligned";
    case REPLAY_EBOUNDS: return "payload outside the heap";
    case REPLAY_EHOST: return "out of host memory";
    default: return heap_strerror(code);
    }
}

int replay_run(struct heap *h, const struct trace *t, const struct replay_options *opt, struct replay_result *res) {
    memset(res, 0, sizeof *res);
    size_t nids = (size_t)(t->max_id + 1);
    uint32_t *offs = calloc(nids + 1, sizeof *offs);
    uint64_t *sizes = calloc(nids + 1, sizeof *sizes);
    uint8_t *state = calloc(nids + 1, 1);
    if (!offs || !sizes || !state) {
        free(offs); free(sizes); free(state);
        return fail_at(res, REPLAY_EHOST, 0, 0);
    }
    int verify = opt && opt->verify, check = opt && opt->check_every;
    for (size_t i = 0; i < t->n && !res->error; i++) {
        const struct trace_op *o = &t->ops[i];
        int64_t id = o->id, r;
        res->ops++;
        switch (o->op) {
        case TRACE_ALLOC:
            res->allocs++;
            r = heap_malloc_id(h, o->size, id);
            if (r < 0) { res->failed++; state[id] = ID_FAILED; break; }
            state[id] = ID_LIVE; offs[id] = (uint32_t)r; sizes[id] = o->size;
            if (verify) {
                int e = placement_ok(h, r, o->size);
                if (e) { fail_at(res, e, i, (uint32_t)r); break; }
                pattern_write(heap_arena(h) + r, id, 0, o->size);
            }
            break;
        case TRACE_FREE:
            res->frees++;
            if (state[id] != ID_LIVE) { res->skipped++; state[id] = ID_DEAD; break; }
            if (verify && !pattern_ok(heap_arena(h) + offs[id], id, sizes[id])) { fail_at(res, REPLAY_EPATTERN, i, offs[id]); break; }
            heap_free(h, offs[id]);
            state[id] = ID_DEAD;
            break;
        case TRACE_REALLOC: {
            res->reallocs++;
            if (state[id] != ID_LIVE) { res->skipped++; break; }
            uint64_t keep = sizes[id] < o->size ? sizes[id] : o->size;
            if (verify && !pattern_ok(heap_arena(h) + offs[id], id, sizes[id])) { fail_at(res, REPLAY_EPATTERN, i, offs[id]); break; }
            r = heap_realloc(h, offs[id], o->size);
            if (r < 0) { res->failed++; break; }
            offs[id] = (uint32_t)r;
            if (verify) {
                int e = placement_ok(h, r, o->size);
                if (e) { fail_at(res, e, i, (uint32_t)r); break; }
                if (!pattern_ok(heap_arena(h) + r, id, keep)) { fail_at(res, REPLAY_EPATTERN, i, (uint32_t)r); break; }
                pattern_write(heap_arena(h) + r, id, keep, o->size);
            }
            sizes[id] = o->size;
            break;
        }
        case TRACE_BAD_FREE:
            res->frees++;
            if (heap_free(h, (uint64_t)id) < 0) res->failed++;
            break;
        case TRACE_BAD_REALLOC:
            res->reallocs++;
            if (heap_realloc(h, (uint64_t)id, o->size) < 0) res->failed++;
            break;
        }
        if (opt && opt->after_op) opt->after_op(h, i, opt->ctx);
        if (check && !res->error) {
            uint32_t bad = 0;
            int c = heap_check(h, &bad);
            if (c) fail_at(res, c, i, bad);
        }
    }
    struct heap_stats st;
    heap_get_stats(h, &st);
    res->peak_payload = st.peak_payload;
    res->heap_bytes = st.heap_size;
    res->utilization = st.utilization;
    free(offs); free(sizes); free(state);
    return res->error;
}
