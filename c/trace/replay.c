/* replay.c: applies a parsed trace to a heap and verifies, as Malloc Lab's
 * driver does, that every payload is aligned, lies inside the heap and
 * keeps its contents: each payload is filled with a pattern derived from
 * its id, checked before it is freed or resized, and realloc must carry
 * min(old, new) bytes over. Allocations the heap refuses (e.g. 4 GiB) are
 * counted as failed; later frees/reallocs of those ids are skipped. A
 * recorded bad call (a rich log's refused free/realloc) is made again at
 * its raw offset, unless that offset is a live payload here: then it is
 * refused (REPLAY_ELIVEBAD), never applied to a block it did not name.
 */
#include <stdlib.h>
#include <string.h>
#include "trace/replay.h"
#include "trace/trace_sites.h"

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
    case REPLAY_ELIVEBAD: return "a recorded bad call names a live block (refused, not applied)";
    case REPLAY_EIDLIVE: return "an alloc names an id still live (its recorded failure succeeded here; refused)";
    default: return heap_strerror(code);
    }
}

int replay_state_init(struct replay_state *s, const struct trace *t, int verify) {
    memset(s, 0, sizeof *s);
    s->nids = (size_t)(t->max_id + 1);
    s->verify = verify;
    s->offs = calloc(s->nids + 1, sizeof *s->offs);
    if (verify) s->sizes = calloc(s->nids + 1, sizeof *s->sizes);
    if (!s->offs || (verify && !s->sizes)) {
        replay_state_free(s);
        return REPLAY_EHOST;
    }
    return 0;
}

void replay_state_free(struct replay_state *s) {
    free(s->offs);
    free(s->sizes);
    s->offs = NULL;
    s->sizes = NULL;
}

void replay_state_copy(struct replay_state *dst, const struct replay_state *src) {
    memcpy(dst->offs, src->offs, (src->nids + 1) * sizeof *src->offs);
    if (src->sizes && dst->sizes) memcpy(dst->sizes, src->sizes, (src->nids + 1) * sizeof *src->sizes);
}

/* Returns 1 when raw offset off is a live payload of the heap. */
static int live_payload(const struct heap *h, uint64_t off) {
    return off > 0 && off <= UINT32_MAX && heap_payload_id(h, (uint32_t)off) >= 0;
}

int replay_op(struct replay_state *s, struct heap *h, const struct trace_op *o, size_t i, struct replay_result *res) {
    int64_t id = o->id, r;
    uint32_t *offs = s->offs;
    res->ops++;
    /* ids beyond the state (a trace changed under it) are never indexed */
    if (o->op != TRACE_BAD_FREE && o->op != TRACE_BAD_REALLOC && (id < 0 || (size_t)id > s->nids)) {
        res->skipped++;
        return REPLAY_SKIPPED;
    }
    switch (o->op) {
    case TRACE_ALLOC:
        if (offs[id]) return fail_at(res, REPLAY_EIDLIVE, i, offs[id]);
        res->allocs++;
        r = heap_malloc_id(h, o->size, s->id_base + id);
        if (r < 0) { res->failed++; offs[id] = 0; return 0; }
        offs[id] = (uint32_t)r;
        if (s->verify) {
            s->sizes[id] = o->size;
            int e = placement_ok(h, r, o->size);
            if (e) return fail_at(res, e, i, (uint32_t)r);
            pattern_write(heap_arena(h) + r, id, 0, o->size);
        }
        return 0;
    case TRACE_FREE:
        res->frees++;
        if (!offs[id]) { res->skipped++; return REPLAY_SKIPPED; }
        if (s->verify && !pattern_ok(heap_arena(h) + offs[id], id, s->sizes[id])) return fail_at(res, REPLAY_EPATTERN, i, offs[id]);
        heap_free(h, offs[id]);
        offs[id] = 0;
        return 0;
    case TRACE_REALLOC: {
        res->reallocs++;
        if (!offs[id]) { res->skipped++; return REPLAY_SKIPPED; }
        uint64_t old = s->verify ? s->sizes[id] : 0, keep = old < o->size ? old : o->size;
        if (s->verify && !pattern_ok(heap_arena(h) + offs[id], id, old)) return fail_at(res, REPLAY_EPATTERN, i, offs[id]);
        r = heap_realloc(h, offs[id], o->size);
        if (r < 0) { res->failed++; return 0; }
        offs[id] = (uint32_t)r;
        if (s->verify) {
            int e = placement_ok(h, r, o->size);
            if (e) return fail_at(res, e, i, (uint32_t)r);
            if (!pattern_ok(heap_arena(h) + r, id, keep)) return fail_at(res, REPLAY_EPATTERN, i, (uint32_t)r);
            pattern_write(heap_arena(h) + r, id, keep, o->size);
            s->sizes[id] = o->size;
        }
        return 0;
    }
    case TRACE_BAD_FREE:
    case TRACE_BAD_REALLOC:
        /* a recorded bad call replays at its raw offset (id) and must be
           refused again; on a live payload it would free or move a block
           the trace never named: refused here, never applied */
        if (id == 0 || live_payload(h, (uint64_t)id)) return fail_at(res, REPLAY_ELIVEBAD, i, (uint32_t)id);
        if (o->op == TRACE_BAD_FREE) {
            res->frees++;
            r = heap_free(h, (uint64_t)id);
        } else {
            res->reallocs++;
            r = heap_realloc(h, (uint64_t)id, o->size);
        }
        if (r < 0) res->failed++;
        return 0;
    }
    return 0;
}

int replay_run(struct heap *h, const struct trace *t, const struct replay_options *opt, struct replay_result *res) {
    memset(res, 0, sizeof *res);
    struct replay_state s;
    if (replay_state_init(&s, t, opt && opt->verify)) return fail_at(res, REPLAY_EHOST, 0, 0);
    s.id_base = heap_next_id(h);
    int check = opt && opt->check_every;
    size_t n = t->n;
    struct trace *rows = opt ? opt->rows : NULL;
    for (size_t i = 0; i < n && !res->error; i++) {
        const struct trace_op *o = &t->ops[i];
        int rc = replay_op(&s, h, o, i, res);
        if (rc == 0 && rows && (trace_push(rows, o->op, o->id, o->size, o->line) || trace_site_copy_op(rows, rows->n - 1, t, i)))
            fail_at(res, REPLAY_EHOST, i, 0);
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
    replay_state_free(&s);
    return res->error;
}
