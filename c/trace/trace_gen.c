/* trace_gen.c: seeded scenario generators and trace writers.
 *
 * The generator is splitmix64 (integer-only, so the same seed gives the
 * same ops natively and in wasm). Sizes come from a mix that looks like
 * real programs: mostly small (8..128 bytes), sometimes medium (up to 1 KiB),
 * rarely large (up to 8 KiB). Each scenario writes exactly `nops` ops and
 * says what it exists to show (scenario_about; tests/c/trace/test_scenarios.c
 * checks each claim). The last three are classic constructions, each one
 * where one policy wins.
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

static const char *scenario_names[SCEN_COUNT] = { "random", "stack", "queue", "phases", "fragment", "realloc",
                                                   "best-wins", "worst-wins", "next-spreads" };

/* What each scenario exists to show (tests/c/trace/test_scenarios.c checks each claim). */
static const char *scenario_about[SCEN_COUNT] = {
    "Random allocations and frees of mixed sizes: a baseline where each policy has choices to make, and they differ.",
    "Frees always the newest block (LIFO): freed space is at the top and merges back, so first, next, best and worst fit "
    "give the same heap. Here the policy does not matter.",
    "Frees the oldest block first (FIFO): a window slides up the heap, holes open below the live blocks, and the "
    "policies fill them differently.",
    "Phases of one size each; every 4th block of a phase outlives it. The survivors pin the heap: the free space between "
    "them is reused only by blocks that fit, so holes stay and the policies part ways.",
    "A pool of small and large blocks freed at random: holes of every size, and first, next, best and worst fit fill "
    "them differently. The heaps and their utilization end several points apart.",
    "Buffers that grow by half with realloc, small blocks between: some grow in place into a free neighbour or the break, "
    "others must move.",
    "Best fit beats first fit: first fit cuts small requests out of the big holes, so later big requests find none and "
    "the heap grows; best fit puts each block in a hole of its own size.",
    "Worst fit beats best fit: best fit puts each request in the tightest hole and leaves slivers nothing fits; worst fit "
    "cuts the largest hole and leaves a remainder the next request fits exactly.",
    "Next fit spreads fragmentation: it goes on from where the last search stopped, so small blocks land one in every "
    "hole and no hole is left whole for a large request (first fit packs them into the first holes).",
};

const char *trace_scenario_about(int scenario) {
    return scenario >= 0 && scenario < SCEN_COUNT ? scenario_about[scenario] : NULL;
}

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
struct gen { struct trace *t; struct rng r; struct live_ids live; int64_t next_id; int err; uint64_t *sizes; size_t nsizes; uint32_t nops; };

/* Appends an alloc of `size` bytes (nothing once the trace has its nops ops). */
static void g_alloc(struct gen *g, uint64_t size) {
    if (g->t->n >= g->nops) return;
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

/* Appends a free of the live id at position i (nothing once the trace has its nops ops). */
static void g_free_at(struct gen *g, size_t i) {
    if (g->t->n >= g->nops) return;
    if (trace_push(g->t, TRACE_FREE, ids_take(&g->live, i), 0, 0)) g->err = 1;
}

/* Allocates a block of exactly `block` bytes (header included: the payload is 4 less). */
static void g_block(struct gen *g, uint64_t block) { g_alloc(g, block - 4); }

/* Frees the live block that was allocated as id `id` (searching from the newest). */
static void g_free_id(struct gen *g, int64_t id) {
    for (size_t i = g->live.n; i-- > 0;)
        if (g->live.a[g->live.head + i] == id) { g_free_at(g, i); return; }
}

/* Best fit beats first fit. Each round makes 8 large holes of 16u bytes
 * and 8 small ones of 9u (live separators between, too large for any hole
 * left over), frees the small ones first so the large ones head the LIFO
 * list; then asks for 8 blocks of 9u and 8 of 16u. First fit cuts each small
 * block out of a large hole (7u left over, too small for anything), so
 * every large request finds no hole and moves the break, and the small
 * holes stay empty. Best fit puts every block in a hole of its own size.
 * u is drawn per round. */
static void gen_best_wins(struct gen *g, uint32_t nops) {
    while (g->t->n < nops && !g->err) {
        uint64_t u = 16 * rng_range(&g->r, 1, 3), sep = 9 * 48 + 8;
        int64_t first = g->next_id;
        for (int i = 0; i < 8; i++) {
            g_block(g, 16 * u); g_block(g, sep);
            g_block(g, 9 * u); g_block(g, sep);
        }
        for (int i = 0; i < 8; i++) g_free_id(g, first + 4 * i + 2);
        for (int i = 0; i < 8; i++) g_free_id(g, first + 4 * i);
        for (int i = 0; i < 8; i++) g_block(g, 9 * u);
        for (int i = 0; i < 8; i++) g_block(g, 16 * u);
    }
}

/* Worst fit beats best fit: holes of 10u and 6u bytes, then requests of
 * 5u, 6u, 5u. Best fit puts the first 5u in the 6u hole (a u-byte sliver
 * left), the 6u in the 10u hole (4u left) and has no room for the last 5u:
 * the break moves, and the slivers stay (the separators are larger than
 * any; only a later round with a smaller u reuses some). Worst fit takes
 * the first 5u from the 10u hole, leaving 5u, which the last one fits
 * exactly; the 6u fits the 6u hole. u is drawn per round. */
static void gen_worst_wins(struct gen *g, uint32_t nops) {
    while (g->t->n < nops && !g->err) {
        uint64_t u = 16 * rng_range(&g->r, 1, 3);
        int64_t big = g->next_id, mid = g->next_id + 2;
        g_block(g, 10 * u); g_block(g, 4 * 48 + 8);
        g_block(g, 6 * u); g_block(g, 4 * 48 + 8);
        g_free_id(g, big);
        g_free_id(g, mid);
        g_block(g, 5 * u);
        g_block(g, 6 * u);
        g_block(g, 5 * u);
    }
}

/* Next fit spreads fragmentation, in one pass sized to the trace: a row
 * of K equal holes of H bytes (live separators between), then K long-lived
 * small blocks, each followed by a short-lived one of H/2 freed at once,
 * then K/2 blocks of H. First fit packs the small blocks into the first
 * holes (the freed short-lived block merges back and is reused at once)
 * and the large ones fit the holes left untouched. Next fit goes on from
 * where it stopped, so each small block lands in the next hole: every hole
 * holds one, and every large request moves the break. */
static void gen_next_spreads(struct gen *g, uint32_t nops) {
    uint64_t hole = 32 * rng_range(&g->r, 4, 10), small = 8 * rng_range(&g->r, 2, 4);
    int64_t holes = nops / 7 > 1 ? nops / 7 : 1, first = g->next_id;
    for (int64_t i = 0; i < holes && g->t->n < nops; i++) { g_block(g, hole); g_block(g, 16); }
    for (int64_t i = 0; i < holes && g->t->n < nops; i++) g_free_id(g, first + 2 * i);
    for (int64_t i = 0; i < holes && g->t->n < nops; i++) {
        g_block(g, small);
        int64_t tmp = g->next_id;
        g_block(g, hole / 2);
        g_free_id(g, tmp);
    }
    while (g->t->n < nops && !g->err) g_block(g, hole);
}

int trace_generate(int scenario, uint64_t seed, uint32_t nops, struct trace *out) {
    memset(out, 0, sizeof *out);
    out->max_id = -1;
    out->format = TRACE_RICH;
    if (scenario < 0 || scenario >= SCEN_COUNT) return -1;
    struct gen g = { out, { seed * 0x2545F4914F6CDD1Dull + (uint64_t)scenario }, { 0 }, 0, 0, NULL, 0, nops };
    uint32_t phase_len = 48, cycle = 0;
    size_t survivors = 0;
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
        case SCEN_PHASES: /* phases of one size each; a few blocks of every phase outlive it */
            if (cycle % 2 == 0) {
                if (g.live.n <= survivors) phase_size = rng_next(&g.r) % 2 ? rng_range(&g.r, 16, 48) : rng_range(&g.r, 96, 256);
                g_alloc(&g, phase_size + rng_range(&g.r, 0, phase_size));
                if (g.live.n >= survivors + phase_len) cycle++;
            } else {
                /* free the phase's blocks except every 4th; the oldest survivors go when there are too many */
                size_t keep = 0;
                for (size_t i = survivors; i < g.live.n && out->n < nops;) {
                    if (keep++ % 4 == 3) { i++; continue; }
                    g_free_at(&g, i);
                }
                while (g.live.n > 24 && out->n < nops) g_free_at(&g, (size_t)(rng_next(&g.r) % 8));
                survivors = g.live.n;
                phase_len = (uint32_t)rng_range(&g.r, 24, 64);
                cycle++;
            }
            break;
        case SCEN_FRAGMENT: /* a pool of small and large blocks, freed at random: holes of every size */
            if (n < 12 || (n < 48 && rng_next(&g.r) % 100 < 55))
                g_alloc(&g, rng_next(&g.r) % 100 < 60 ? rng_range(&g.r, 8, 64) : rng_range(&g.r, 96, 480));
            else
                g_free_at(&g, (size_t)(rng_next(&g.r) % n));
            break;
        case SCEN_BEST_WINS: gen_best_wins(&g, nops); break;
        case SCEN_WORST_WINS: gen_worst_wins(&g, nops); break;
        case SCEN_NEXT_SPREADS: gen_next_spreads(&g, nops); break;
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
