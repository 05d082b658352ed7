/* test_stress.c: a deterministic seeded stress run against a shadow model.
 *
 *   test_stress [OPS_PER_COMBO [SEED]]     (default 200000, seed 1)
 *
 * For every policy x order x coalescing (24 combos) it runs OPS random
 * operations: mallocs, callocs, reallocs and frees with sizes from 1 byte to
 * ~200 KiB, plus about 2% misuse (size 0, too big, free/realloc of offsets
 * that are not live payloads, stale offsets, realloc to 0). The shadow model
 * is independent of the engine's checker:
 *   owner[]   who owns each arena byte (the 4 header bytes before a payload
 *             and the payload itself): an allocation that lands on a byte
 *             someone owns is a double allocation / overlap;
 *   patterns  every payload holds a pattern derived from its id, checked on
 *             free, around realloc (contents preserved) and in periodic
 *             sweeps of all live blocks;
 *   totals    the live byte total and block count must match heap_get_stats.
 * heap_check() runs after every op: called here in a release build; in a
 * HEAP_DEBUG=2 build the library already runs it at the end of every call,
 * so the trap is turned off and the first recorded failure is read instead
 * (one check per op either way). Bad calls must return the documented
 * code and leave the layout stats unchanged. One summary line per combo.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "../check.h"
#include "../util.h"

#define ARENA_MAX (1u << 20)
#define MAX_LIVE 4096
#define STALE 64
#define RESET_EVERY 5000

struct live { uint32_t off, size, id; };

struct model {
    struct heap *h;
    uint32_t align, arena;
    uint32_t *owner;      /* arena byte -> id + 1, 0 = nobody */
    uint32_t *slot;       /* payload offset / align -> live index + 1 */
    struct live live[MAX_LIVE];
    uint32_t n;
    uint64_t live_bytes;
    uint32_t stale[STALE]; /* recently freed offsets */
    uint32_t next_id;
    uint64_t rng;
    uint32_t heap_max;        /* largest break seen */
    uint64_t free_blocks_sum; /* over all verified ops, for the mean */
    uint64_t requests, scanned; /* accumulated over heap_reset */
    uint64_t count[9];     /* malloc calloc realloc free misuse enomem sweep peak-live resets */
    int bad;               /* first failure stops the combo */
};

enum { C_MALLOC, C_CALLOC, C_REALLOC, C_FREE, C_MISUSE, C_ENOMEM, C_SWEEP, C_PEAK, C_RESET };

/* splitmix64: the next pseudo-random number. */
static uint64_t rnd(struct model *m)
{
    uint64_t z = (m->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A request size: mostly small, some medium, a few up to 1/64 of the
 * arena and up to 1/8 of it. */
static uint32_t rnd_size(struct model *m)
{
    uint64_t r = rnd(m) % 1000;
    if (r < 600) return 1 + (uint32_t)(rnd(m) % 64);
    if (r < 900) return 65 + (uint32_t)(rnd(m) % 960);
    if (r < 990) return 1 + (uint32_t)(rnd(m) % (m->arena / 64));
    return 1 + (uint32_t)(rnd(m) % (m->arena / 8));
}

/* Records a failure (message with the op number) and stops the combo. */
static void fail(struct model *m, uint64_t op, const char *what)
{
    if (!m->bad) fprintf(stderr, "  op %" PRIu64 ": %s\n", op, what);
    m->bad = 1;
    CHECK(what, 0);
}

/* Claims [off - 4, off + size) for id in the owner map; 0 on overlap. */
static int claim(struct model *m, uint32_t off, uint32_t size, uint32_t id)
{
    for (uint32_t i = off - 4; i < off + size; i++)
        if (m->owner[i]) return 0;
    for (uint32_t i = off - 4; i < off + size; i++) m->owner[i] = id + 1;
    return 1;
}

static void release(struct model *m, const struct live *l)
{
    memset(m->owner + l->off - 4, 0, (size_t)(l->size + 4) * sizeof m->owner[0]);
}

/* 0: the combo runs with payload_info off (only the live bitmap: no sizes, ids or live bytes to compare) */
static int g_info = 1;

/* Checks a fresh payload (alignment, bounds, ownership) and records it. */
static void add_live(struct model *m, uint64_t op, int64_t off, uint32_t size, uint32_t id, int zeroed)
{
    struct heap_stats s;
    heap_get_stats(m->h, &s);
    if (off <= 0 || off % m->align || (uint64_t)off + size > s.heap_size - 4) { fail(m, op, "payload misaligned or out of the heap"); return; }
    if (!claim(m, (uint32_t)off, size, id)) { fail(m, op, "payload overlaps a live block (shadow owner map)"); return; }
    if (g_info ? heap_payload_size(m->h, (uint32_t)off) != size || heap_payload_id(m->h, (uint32_t)off) != id
               : heap_payload_size(m->h, (uint32_t)off) != 0 || heap_payload_id(m->h, (uint32_t)off) != -1) { fail(m, op, "live table disagrees"); return; }
    uint8_t *p = heap_payload(m->h, (uint32_t)off);
    if (zeroed && !bytes_all(p, size, 0)) { fail(m, op, "calloc memory not zeroed"); return; }
    pattern_fill(p, size, id);
    m->live[m->n] = (struct live){(uint32_t)off, size, id};
    m->slot[off / m->align] = ++m->n;
    m->live_bytes += size;
    if (m->n > m->count[C_PEAK]) m->count[C_PEAK] = m->n;
}

/* Forgets live entry i (swap with the last). */
static void drop_live(struct model *m, uint32_t i)
{
    release(m, &m->live[i]);
    m->live_bytes -= m->live[i].size;
    m->slot[m->live[i].off / m->align] = 0;
    m->stale[rnd(m) % STALE] = m->live[i].off;
    m->live[i] = m->live[--m->n];
    if (i < m->n) m->slot[m->live[i].off / m->align] = i + 1;
}

static void do_alloc(struct model *m, uint64_t op)
{
    uint32_t size = rnd_size(m), id = m->next_id;
    int is_calloc = rnd(m) % 16 == 0;
    if (m->n == MAX_LIVE) return;
    int64_t off;
    if (is_calloc) {
        uint32_t k = 1 + (uint32_t)(rnd(m) % 8);
        size = size / k + 1;
        off = heap_calloc(m->h, k, size);
        size *= k;
    } else {
        off = heap_malloc_id(m->h, size, id);
    }
    if (off == HEAP_ENOMEM) { m->count[C_ENOMEM]++; return; }
    if (is_calloc) id = (uint32_t)heap_payload_id(m->h, (uint32_t)(off > 0 ? off : 0));
    m->next_id = id + 1;
    m->count[is_calloc ? C_CALLOC : C_MALLOC]++;
    add_live(m, op, off, size, id, is_calloc);
}

static void do_free(struct model *m, uint64_t op)
{
    uint32_t i = (uint32_t)(rnd(m) % m->n);
    struct live l = m->live[i];
    if (!pattern_ok(heap_payload(m->h, l.off), l.size, l.id)) { fail(m, op, "payload changed before free"); return; }
    if (heap_free(m->h, l.off) != 0) { fail(m, op, "free of a live payload failed"); return; }
    if (heap_payload(m->h, l.off) != NULL) { fail(m, op, "freed payload still live"); return; }
    drop_live(m, i);
    m->count[C_FREE]++;
}

static void do_realloc(struct model *m, uint64_t op)
{
    uint32_t i = (uint32_t)(rnd(m) % m->n), size = rnd(m) % 4 ? rnd_size(m) : m->live[i].size / 2 + 1;
    struct live l = m->live[i];
    if (!pattern_ok(heap_payload(m->h, l.off), l.size, l.id)) { fail(m, op, "payload changed before realloc"); return; }
    int64_t off = heap_realloc(m->h, l.off, size);
    if (off == HEAP_ENOMEM) {
        m->count[C_ENOMEM]++;
        if (!pattern_ok(heap_payload(m->h, l.off), l.size, l.id)) fail(m, op, "failed realloc changed the block");
        return;
    }
    uint32_t keep = l.size < size ? l.size : size;
    if (off <= 0 || !pattern_ok(heap_payload(m->h, (uint32_t)off), keep, l.id)) { fail(m, op, "realloc lost the contents"); return; }
    drop_live(m, i);
    add_live(m, op, off, size, l.id, 0);
    m->count[C_REALLOC]++;
}

/* Walker callback: finds the block whose payload is *ctx and reports
 * whether it is free (stored back into *ctx as 1/0, or 2 when none). */
static int find_payload(const struct heap_block_info *b, void *ctx)
{
    uint32_t *q = ctx;
    if (b->payload_off != q[0]) return 0;
    q[1] = b->is_free ? 1 : 0;
    return 1;
}

/* One bad call: documented code, layout unchanged, one failure counted. */
static void do_misuse(struct model *m, uint64_t op)
{
    struct heap_stats before, after;
    heap_get_stats(m->h, &before);
    int kind = (int)(rnd(m) % 5);
    int64_t got, want;
    uint32_t off = rnd(m) % 2 ? m->stale[rnd(m) % STALE] : (uint32_t)(rnd(m) % (before.heap_size + 64));
    if (kind >= 2 && (off == 0 || (off % m->align == 0 && off < m->arena && m->slot[off / m->align])))
        kind = (int)(rnd(m) % 2); /* a live payload or 0: not misuse */
    if (kind == 0) {
        got = heap_malloc(m->h, 0), want = HEAP_EINVAL;
    } else if (kind == 1) {
        uint64_t big = rnd(m) % 2 ? UINT64_MAX - rnd(m) % 1000 : m->arena + rnd(m) % 100000;
        got = heap_malloc(m->h, big), want = HEAP_ETOOBIG;
    } else if (kind == 4 && m->n) {
        got = heap_realloc(m->h, m->live[rnd(m) % m->n].off, 0), want = HEAP_EINVAL;
    } else {
        uint32_t q[2] = {off, 2};
        heap_walk(m->h, find_payload, q);
        want = q[1] == 1 ? HEAP_EDOUBLEFREE : HEAP_EBADPTR;
        got = kind == 3 ? heap_realloc(m->h, off, 1 + rnd(m) % 100) : heap_free(m->h, off);
    }
    heap_get_stats(m->h, &after);
    if (got != want) {
        char msg[96];
        snprintf(msg, sizeof msg, "misuse kind %d at %u returned %lld, expected %lld", kind, off, (long long)got, (long long)want);
        fail(m, op, msg);
    } else if (!stats_same_layout(&before, &after) || after.failures != before.failures + 1) {
        fail(m, op, "misuse changed the heap");
    }
    m->count[C_MISUSE]++;
}

/* Every live payload still holds its pattern. */
static void sweep(struct model *m, uint64_t op)
{
    for (uint32_t i = 0; i < m->n; i++)
        if (!pattern_ok(heap_payload(m->h, m->live[i].off), m->live[i].size, m->live[i].id)) { fail(m, op, "a live payload was overwritten"); return; }
    m->count[C_SWEEP]++;
}

/* After each op: the checker and the shadow totals. */
static void verify(struct model *m, uint64_t op)
{
    uint32_t bad = 0;
    int rc;
    if (heap_debug_level() >= 2) {
        struct heap_debug_report r;
        rc = heap_debug_first_failure(m->h, &r);
        bad = r.off;
    } else {
        rc = heap_check(m->h, &bad);
    }
    if (rc != 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "heap_check: %s at %u", heap_strerror(rc), bad);
        fail(m, op, msg);
        return;
    }
    struct heap_stats s;
    heap_get_stats(m->h, &s);
    if (s.live_payload != (g_info ? m->live_bytes : 0) || s.alloc_blocks != m->n) fail(m, op, "live bytes / block count differ from the shadow");
    if (s.heap_size > m->heap_max) m->heap_max = s.heap_size;
    m->free_blocks_sum += s.free_blocks;
}

/* Frees every live block (checking each), then heap_reset: the heap must
 * be empty again. */
static void drain_and_reset(struct model *m, uint64_t op)
{
    while (m->n && !m->bad) { do_free(m, op); if (!m->bad) verify(m, op); }
    if (m->bad) return;
    struct heap_stats s;
    heap_get_stats(m->h, &s);
    m->requests += s.requests, m->scanned += s.scanned_total;
    heap_reset(m->h);
    heap_get_stats(m->h, &s);
    if (s.heap_size != m->align || s.free_blocks || s.alloc_blocks || heap_check(m->h, NULL)) fail(m, op, "heap_reset did not empty the heap");
    m->count[C_RESET]++;
}

/* Runs one combo; prints its summary line; returns 0 when it held. */
static int run_combo(int policy, int order, int coalesce, uint64_t ops, uint64_t seed)
{
    static const char *pn[] = {"first", "next", "best", "worst", "fast", "?"}, *on[3] = {"lifo", "fifo", "addr"};
    static struct model m;
    memset(&m, 0, sizeof m);
    struct heap_options o = heap_default_options();
    /* Without coalescing the arena ends up cut into thousands of small free
     * blocks, and heap_check after every op walks them all: a smaller arena
     * and a drain + heap_reset every RESET_EVERY ops keep that affordable. */
    o.policy = policy, o.order = order, o.coalesce = coalesce, o.log = 0, o.payload_info = g_info;
    o.arena_size = coalesce ? ARENA_MAX : ARENA_MAX / 32;
    o.align = (policy + order) % 2 ? 16 : 8;
    o.grow_step = order == HEAP_ORDER_FIFO ? 1024 : 0;
    m.h = heap_create(&o);
    if (m.h) heap_debug_set_trap(m.h, 0); /* level 2: verify() reads the recorded failure */
    m.align = o.align;
    m.arena = o.arena_size;
    m.owner = calloc(m.arena, sizeof *m.owner);
    m.slot = calloc(m.arena / 8, sizeof *m.slot);
    m.rng = seed * 1000003u + (uint64_t)(policy * 6 + order * 2 + coalesce);
    if (!m.h || !m.owner || !m.slot) { fprintf(stderr, "setup failed\n"); exit(2); }
    uint64_t op;
    for (op = 0; op < ops && !m.bad; op++) {
        /* phases of fewer / more live blocks (fewer in the small arena) */
        uint32_t target = (32 + (uint32_t)((op / 10000) % 4) * 75) / (coalesce ? 1 : 4);
        uint64_t r = rnd(&m) % 100;
        if (r < 2) do_misuse(&m, op);
        else if (m.n == 0 || r < (m.n < target ? 50u : 30u)) do_alloc(&m, op);
        else if (r < 80) do_free(&m, op);
        else do_realloc(&m, op);
        if (!m.bad) verify(&m, op);
        if (!m.bad && op % 4096 == 0) sweep(&m, op);
        if (!m.bad && !coalesce && op % RESET_EVERY == RESET_EVERY - 1) drain_and_reset(&m, op);
    }
    while (m.n && !m.bad) { do_free(&m, op); if (!m.bad) verify(&m, op); }
    struct heap_stats s;
    heap_get_stats(m.h, &s);
    m.requests += s.requests, m.scanned += s.scanned_total;
    if (!m.bad && coalesce && s.free_blocks > 1) fail(&m, op, "coalescing left several free blocks in an empty heap");
    printf("stress %-5s %-4s %-11s%s align %2u arena %7u: %s %" PRIu64 " ops (malloc %" PRIu64 " calloc %" PRIu64
           " realloc %" PRIu64 " free %" PRIu64 " misuse %" PRIu64 " enomem %" PRIu64 " resets %" PRIu64 "), peak %" PRIu64
           " live blocks, max break %u, mean free blocks %.0f, scanned/request %.1f\n",
           pn[policy < 5 ? policy : 5], on[order], coalesce ? "coalesce" : "no-coalesce", g_info ? "" : " (bitmap only)", o.align, o.arena_size,
           m.bad ? "FAILED after" : "ok", op, m.count[C_MALLOC], m.count[C_CALLOC], m.count[C_REALLOC], m.count[C_FREE],
           m.count[C_MISUSE], m.count[C_ENOMEM], m.count[C_RESET], m.count[C_PEAK], m.heap_max,
           op ? (double)m.free_blocks_sum / (double)op : 0.0, m.requests ? (double)m.scanned / (double)m.requests : 0.0);
    CHECK("stress combo held", !m.bad);
    heap_destroy(m.h);
    free(m.owner);
    free(m.slot);
    return m.bad;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    uint64_t ops = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    for (int policy = 0; policy < HEAP_POLICY_COUNT; policy++)
        for (int order = HEAP_ORDER_LIFO; order <= HEAP_ORDER_ADDR; order++)
            for (int coalesce = 1; coalesce >= 0; coalesce--) run_combo(policy, order, coalesce, ops, seed);
    /* payload_info off (what the benchmark runs): the bitmap alone refuses every misuse */
    g_info = 0;
    run_combo(HEAP_FAST_FIT, HEAP_ORDER_LIFO, 1, ops, seed);
    run_combo(HEAP_FIRST_FIT, HEAP_ORDER_ADDR, 0, ops, seed);
    return check_done("test_stress");
}
