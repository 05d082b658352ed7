/* trace_gen.c: seeded scenario generators and trace writers.
 *
 * The generator is splitmix64 (integer-only, so the same seed gives the
 * same ops natively and in wasm). Sizes come from a mix that looks like
 * real programs: mostly small (8..128 bytes), sometimes medium (up to 1 KiB),
 * rarely large (up to 8 KiB). Each scenario writes exactly `nops` ops.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace/trace.h"

struct rng { uint64_t s; };

/* Returns the next 64 random bits (splitmix64). */
static uint64_t rng_next(struct rng *r) {
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Returns a uniform integer in [lo, hi]. */
static uint64_t rng_range(struct rng *r, uint64_t lo, uint64_t hi) { return lo + rng_next(r) % (hi - lo + 1); }

/* Returns a request size from the small/medium/large mix. */
static uint64_t rng_size(struct rng *r) {
    uint64_t k = rng_next(r) % 100;
    if (k < 75) return rng_range(r, 8, 128);
    if (k < 95) return rng_range(r, 129, 1024);
    return rng_range(r, 1025, 8192);
}

static const char *scenario_names[SCEN_COUNT] = { "random", "stack", "queue", "phases", "fragment", "realloc" };

int trace_scenario_by_name(const char *name) {
    for (int i = 0; i < SCEN_COUNT; i++)
        if (strcmp(name, scenario_names[i]) == 0) return i;
    return -1;
}

const char *trace_scenario_name(int scenario) {
    return scenario >= 0 && scenario < SCEN_COUNT ? scenario_names[scenario] : NULL;
}

/* Live ids in allocation order (a deque: the queue frees from the front). */
struct live_ids { int64_t *a; size_t head, n, cap; };

static int ids_push(struct live_ids *l, int64_t id) {
    if (l->head + l->n == l->cap) {
        if (l->head > l->cap / 2) { /* slide down instead of growing */
            memmove(l->a, l->a + l->head, l->n * sizeof *l->a);
            l->head = 0;
        } else {
            size_t cap = l->cap ? l->cap * 2 : 256;
            int64_t *a = realloc(l->a, cap * sizeof *a);
            if (!a) return -1;
            l->a = a;
            l->cap = cap;
        }
    }
    l->a[l->head + l->n++] = id;
    return 0;
}

/* Removes and returns the live id at position i (0 = oldest), keeping the order of the rest. */
static int64_t ids_take(struct live_ids *l, size_t i) {
    int64_t id = l->a[l->head + i];
    if (i == 0) l->head++;
    else memmove(l->a + l->head + i, l->a + l->head + i + 1, (l->n - i - 1) * sizeof *l->a);
    l->n--;
    return id;
}

/* Generator state. */
struct gen { struct trace *t; struct rng r; struct live_ids live; int64_t next_id; int err; uint64_t *sizes; size_t nsizes; };

static void g_alloc(struct gen *g, uint64_t size) {
    if ((size_t)g->next_id == g->nsizes) {
        size_t n = g->nsizes ? g->nsizes * 2 : 256;
        uint64_t *a = realloc(g->sizes, n * sizeof *a);
        if (!a) { g->err = 1; return; }
        g->sizes = a;
        g->nsizes = n;
    }
    g->sizes[g->next_id] = size;
    if (trace_push(g->t, TRACE_ALLOC, g->next_id, size, 0) || ids_push(&g->live, g->next_id)) g->err = 1;
    g->next_id++;
}

static void g_free_at(struct gen *g, size_t i) {
    if (trace_push(g->t, TRACE_FREE, ids_take(&g->live, i), 0, 0)) g->err = 1;
}

int trace_generate(int scenario, uint64_t seed, uint32_t nops, struct trace *out) {
    memset(out, 0, sizeof *out);
    out->max_id = -1;
    out->format = TRACE_RICH;
    if (scenario < 0 || scenario >= SCEN_COUNT) return -1;
    struct gen g = { out, { seed * 0x2545F4914F6CDD1Dull + (uint64_t)scenario }, { 0 }, 0, 0, NULL, 0 };
    uint32_t phase_len = 64, cycle = 0;
    uint64_t phase_size = 0;
    while (out->n < nops && !g.err) {
        size_t n = g.live.n;
        switch (scenario) {
        case SCEN_RANDOM:
            if (n == 0 || rng_next(&g.r) % 100 < 55) g_alloc(&g, rng_size(&g.r));
            else g_free_at(&g, (size_t)(rng_next(&g.r) % n));
            break;
        case SCEN_STACK: /* bursts of pushes, then pops of the most recent */
            if (n == 0 || (rng_next(&g.r) % 100 < 50)) g_alloc(&g, rng_size(&g.r));
            else g_free_at(&g, n - 1);
            break;
        case SCEN_QUEUE: /* a window of live blocks; the oldest leaves first */
            if (n < 8 || (n < 200 && rng_next(&g.r) % 100 < 52)) g_alloc(&g, rng_size(&g.r));
            else g_free_at(&g, 0);
            break;
        case SCEN_PHASES: /* grow to phase_len blocks of one size class, then shrink to none */
            if (cycle % 2 == 0) {
                if (n == 0) phase_size = rng_size(&g.r);
                g_alloc(&g, phase_size + rng_range(&g.r, 0, phase_size / 4));
                if (g.live.n >= phase_len) cycle++;
            } else {
                g_free_at(&g, (size_t)(rng_next(&g.r) % n));
                if (g.live.n == 0) { cycle++; phase_len = (uint32_t)rng_range(&g.r, 16, 256); }
            }
            break;
        case SCEN_FRAGMENT: /* many small blocks, every other freed, then larger requests */
            if (cycle % 3 == 0) {
                g_alloc(&g, rng_range(&g.r, 16, 48));
                if (g.live.n >= 64) cycle++;
            } else if (cycle % 3 == 1) {
                for (size_t i = 0; i < g.live.n && out->n < nops; i++) g_free_at(&g, i); /* every other: the shift skips one */
                cycle++;
            } else {
                g_alloc(&g, rng_range(&g.r, 64, 160));
                if (g.live.n >= 64) {
                    while (g.live.n && out->n < nops) g_free_at(&g, g.live.n - 1);
                    cycle++;
                }
            }
            break;
        default: { /* SCEN_REALLOC: a few buffers that grow by half, with small allocations between */
            uint64_t k = rng_next(&g.r) % 100;
            if (n < 4 || k < 30) {
                g_alloc(&g, rng_range(&g.r, 8, 96));
            } else if (k < 75) {
                size_t i = (size_t)(rng_next(&g.r) % n);
                int64_t id = g.live.a[g.live.head + i];
                uint64_t size = g.sizes[id] > 65536 ? 64 : g.sizes[id];
                g.sizes[id] = size + size / 2 + 8;
                if (trace_push(out, TRACE_REALLOC, id, g.sizes[id], 0)) g.err = 1;
            } else {
                g_free_at(&g, (size_t)(rng_next(&g.r) % n));
            }
            break;
        }
        }
    }
    free(g.live.a);
    free(g.sizes);
    if (g.err) {
        trace_free(out);
        return -1;
    }
    return 0;
}

char *trace_to_text(const struct trace *t, int format, size_t *len) {
    size_t cap = 64 + t->n * 40;
    char *s = malloc(cap), *p = s;
    if (!s) return NULL;
    if (format == TRACE_REP) {
        uint64_t live = 0, peak = 0;
        uint64_t *sizes = calloc((size_t)(t->max_id + 1), sizeof *sizes);
        if (!sizes) { free(s); return NULL; }
        for (size_t i = 0; i < t->n; i++) {
            const struct trace_op *o = &t->ops[i];
            if (o->op == TRACE_ALLOC || o->op == TRACE_REALLOC) { live += o->size - sizes[o->id]; sizes[o->id] = o->size; }
            else if (o->op == TRACE_FREE) { live -= sizes[o->id]; sizes[o->id] = 0; }
            if (live > peak) peak = live;
        }
        free(sizes);
        size_t real_ops = 0;
        for (size_t i = 0; i < t->n; i++) real_ops += t->ops[i].op != TRACE_BAD_FREE && t->ops[i].op != TRACE_BAD_REALLOC;
        p += sprintf(p, "%" PRIu64 "\n%" PRId64 "\n%zu\n1\n", peak, t->max_id + 1, real_ops);
    } else {
        p += sprintf(p, "op,id,size\n");
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct trace_op *o = &t->ops[i];
        if (format == TRACE_REP) {
            if (o->op == TRACE_FREE) p += sprintf(p, "f %" PRId64 "\n", o->id);
            else if (o->op == TRACE_ALLOC || o->op == TRACE_REALLOC) p += sprintf(p, "%c %" PRId64 " %" PRIu64 "\n", o->op, o->id, o->size);
        } else {
            if (o->op == TRACE_FREE) p += sprintf(p, "free,%" PRId64 ",0\n", o->id);
            else if (o->op == TRACE_ALLOC) p += sprintf(p, "alloc,%" PRId64 ",%" PRIu64 "\n", o->id, o->size);
            else if (o->op == TRACE_REALLOC) p += sprintf(p, "realloc,%" PRId64 ",%" PRIu64 "\n", o->id, o->size);
        }
    }
    if (len) *len = (size_t)(p - s);
    return s;
}
