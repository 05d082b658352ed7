/* trace_cursor.c: a trace replayed to any step from checkpoints (see
 * trace_cursor.h for the policy). A checkpoint is the heap's state after
 * `pos` ops, saved as a heap image (heap_image_save: block metadata, lists,
 * live payloads; tens of KB where the arena is MB). The replay state (which
 * payload each id holds) is not saved: it is the live payloads' ids, read
 * back from the restored heap. Checkpoints are kept sorted by pos.
 */
#include <stdlib.h>
#include <string.h>
#include "trace/replay.h"
#include "trace/trace_cursor.h"

#define SPARSE_TARGET 256u /* sparse checkpoints over the trace, to start (the budget may thin them) */

struct checkpoint {
    size_t pos;
    struct heap_image *img;
    size_t bytes;
    int dense;          /* 1: taken for a step asked for; 0: on the sparse grid */
    uint64_t used;      /* last seek that restored or took it (dense LRU) */
};

struct trace_cursor {
    const struct trace *t;
    struct heap *h;
    size_t n;               /* ops covered */
    uint32_t cuts;          /* the trace's cut count at creation: a cut invalidates the cursor */
    size_t nids;            /* ids the replay state holds */
    size_t pos;             /* the step h is at */
    struct replay_state st; /* of h */
    struct replay_result res;
    struct checkpoint *cp;
    size_t ncp, cap;
    size_t bytes, budget, spacing;
    uint64_t seeks, ops_applied, restores;
};

/* Returns the index of the last checkpoint with pos <= k, or -1. */
static long cp_before(const struct trace_cursor *c, size_t k) {
    long lo = 0, hi = (long)c->ncp - 1, best = -1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (c->cp[mid].pos <= k) { best = mid; lo = mid + 1; }
        else hi = mid - 1;
    }
    return best;
}

/* Frees checkpoint i and closes the gap. */
static void cp_drop(struct trace_cursor *c, size_t i) {
    struct checkpoint *p = &c->cp[i];
    heap_image_free(p->img);
    c->bytes -= p->bytes;
    memmove(p, p + 1, (c->ncp - i - 1) * sizeof *p);
    c->ncp--;
}

/* Keeps the checkpoints within budget: drops the least recently used dense
 * ones beyond CURSOR_DENSE_KEEP, then thins the sparse grid (doubling its
 * spacing) while over budget. `keep` (a pos) is never dropped. */
static void cp_trim(struct trace_cursor *c, size_t keep) {
    for (;;) {
        size_t dense = 0, lru = 0;
        uint64_t oldest = UINT64_MAX;
        for (size_t i = 0; i < c->ncp; i++) {
            if (!c->cp[i].dense) continue;
            dense++;
            if (c->cp[i].pos != keep && c->cp[i].used < oldest) { oldest = c->cp[i].used; lru = i; }
        }
        if (dense <= CURSOR_DENSE_KEEP || oldest == UINT64_MAX) break;
        cp_drop(c, lru);
    }
    while (c->bytes > c->budget && c->ncp > 1) {
        c->spacing *= 2;
        size_t before = c->ncp;
        for (size_t i = c->ncp; i-- > 0;)
            if (!c->cp[i].dense && c->cp[i].pos % c->spacing && c->cp[i].pos != keep) cp_drop(c, i);
        if (c->ncp == before && c->spacing > c->n) break; /* nothing left to thin */
    }
}

/* Takes a checkpoint of the cursor's state at c->pos (dense or sparse).
 * Returns 0, or -1 when host memory runs out (the cursor still works). */
static int cp_take(struct trace_cursor *c, int dense) {
    long at = cp_before(c, c->pos);
    if (at >= 0 && c->cp[at].pos == c->pos) { /* already there */
        c->cp[at].used = c->seeks;
        c->cp[at].dense |= dense;
        return 0;
    }
    if (c->ncp == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        struct checkpoint *a = realloc(c->cp, cap * sizeof *a);
        if (!a) return -1;
        c->cp = a;
        c->cap = cap;
    }
    struct checkpoint p = {.pos = c->pos, .dense = dense, .used = c->seeks};
    p.img = heap_image_save(c->h);
    if (!p.img) return -1;
    p.bytes = heap_image_bytes(p.img) + sizeof p;
    size_t i = (size_t)(at + 1);
    memmove(&c->cp[i + 1], &c->cp[i], (c->ncp - i) * sizeof p);
    c->cp[i] = p;
    c->ncp++;
    c->bytes += p.bytes;
    cp_trim(c, p.pos);
    return 0;
}

struct trace_cursor *cursor_create(const struct trace *t, struct heap *h, size_t budget) {
    if (!t || !h || heap_log(h)) return NULL;
    struct trace_cursor *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->t = t;
    c->h = h;
    c->n = t->n;
    c->cuts = t->cuts;
    c->budget = budget;
    if (replay_state_init(&c->st, t, 0)) {
        free(c);
        return NULL;
    }
    c->nids = c->st.nids;
    c->spacing = CURSOR_DENSE_STEP;
    while (c->spacing * SPARSE_TARGET < c->n) c->spacing *= 2;
    heap_reset(h);
    return c;
}

void cursor_destroy(struct trace_cursor *c) {
    if (!c) return;
    while (c->ncp) cp_drop(c, c->ncp - 1);
    free(c->cp);
    replay_state_free(&c->st);
    free(c);
}

/* Walker callback: id -> payload of one live block (the replay state). */
static int offs_fill(const struct heap_block_info *b, void *ctx) {
    struct replay_state *st = ctx;
    if (!b->is_free && b->id >= 0 && (size_t)b->id <= st->nids) st->offs[b->id] = b->payload_off;
    return 0;
}

/* Moves the heap to step 0 or to checkpoint i. */
static void restore(struct trace_cursor *c, long i) {
    memset(c->st.offs, 0, (c->nids + 1) * sizeof *c->st.offs);
    if (i < 0 || heap_image_restore(c->h, c->cp[i].img) != 0) {
        heap_reset(c->h);
        c->pos = 0;
        return;
    }
    heap_walk(c->h, offs_fill, &c->st);
    c->pos = c->cp[i].pos;
    c->cp[i].used = c->seeks;
    c->restores++;
}

int cursor_seek(struct trace_cursor *c, size_t k) {
    if (k > c->n) k = c->n;
    if (c->t->n < c->n || c->t->cuts != c->cuts) return HEAP_EINVAL;
    c->seeks++;
    if (k == c->pos) return 0;
    long at = cp_before(c, k);
    size_t from = at >= 0 ? c->cp[at].pos : 0;
    if (!(c->pos <= k && c->pos >= from)) restore(c, at);
    size_t dense_at = k / CURSOR_DENSE_STEP * CURSOR_DENSE_STEP;
    while (c->pos < k) {
        c->ops_applied++;
        replay_op(&c->st, c->h, &c->t->ops[c->pos], c->pos, &c->res);
        c->res.error = 0; /* no verification here: nothing to report */
        c->pos++;
        if (c->pos == dense_at) cp_take(c, 1);
        else if (c->pos % c->spacing == 0) cp_take(c, 0);
    }
    return 0;
}

void cursor_get_stats(const struct trace_cursor *c, struct cursor_stats *s) {
    s->pos = c->pos;
    s->ops = c->n;
    s->checkpoints = c->ncp;
    s->bytes = c->bytes;
    s->spacing = c->spacing;
    s->ops_applied = c->ops_applied;
    s->restores = c->restores;
}
