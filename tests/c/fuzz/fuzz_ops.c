/* fuzz_ops.c: libFuzzer target over heap operation sequences.
 *
 * Input bytes = 2 option bytes for each of NHEAPS heaps (policy, order,
 * coalescing, align, arena size, grow step, log on/off), then operations:
 * one byte picks the heap and the call (malloc, calloc, free / realloc of a
 * live block, free / realloc of a raw offset, malloc with an id, reset),
 * and the following bytes give sizes / offsets, with a bias towards the
 * interesting ones (0, UINT32_MAX, UINT64_MAX, n + 4 overflow, the arena
 * size). After every call heap_check() must pass and a small shadow must
 * agree: returned payloads aligned, inside the break and disjoint from the
 * live ones, contents of live payloads unchanged, bad offsets refused.
 * At the end of an input, each heap that logs exports its rich log, which
 * must parse, replay (verified) on a fresh heap with the same options and
 * give the same log byte for byte and the same blocks: the lossless-log
 * property (issue 16). A heap given an id that was live already (legal
 * for the heap, not a trace a log can state) is left out of that check.
 * Any disagreement aborts (libFuzzer records the input).
 *
 *   tests/c/fuzz/fuzz.sh SECONDS   builds it with clang -fsanitize=fuzzer,address,undefined and runs it
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"

#define NHEAPS 3
#define MAX_LIVE 256

struct shadow_block { uint32_t off, size; uint8_t tag; };

struct fheap {
    struct heap *h;
    struct shadow_block live[MAX_LIVE];
    int n;
    int untracked; /* live blocks the full shadow could not record */
    int dup_id;    /* an id was given while live: the log cannot be a trace */
};

struct input { const uint8_t *p; size_t n; };

/* The next input byte (0 when the input is used up). */
static uint8_t next_byte(struct input *in)
{
    if (in->n == 0) return 0;
    in->n--;
    return *in->p++;
}

/* The next k bytes as a little-endian number. */
static uint64_t next_raw(struct input *in, int k)
{
    uint64_t v = 0;
    for (int i = 0; i < k; i++) v |= (uint64_t)next_byte(in) << (8 * i);
    return v;
}

/* A request size, biased towards edge values. */
static uint64_t next_size(struct input *in, const struct heap *h)
{
    uint8_t sel = next_byte(in);
    switch (sel) {
    case 250: return 0;
    case 251: return UINT64_MAX;
    case 252: return UINT32_MAX;
    case 253: return UINT32_MAX - 3;
    case 254: return heap_get_options(h).arena_size - (next_byte(in) & 31);
    case 255: return next_raw(in, 8);
    default: return sel < 200 ? sel : next_raw(in, 2) * (sel - 199);
    }
}

/* Dies with a message: the fuzzer keeps the input. */
static void die(const char *what, uint64_t a)
{
    fprintf(stderr, "fuzz_ops: %s (%llu)\n", what, (unsigned long long)a);
    abort();
}

/* Index of the live block with payload off, or -1. */
static int find_live(const struct fheap *f, uint64_t off)
{
    for (int i = 0; i < f->n; i++)
        if (f->live[i].off == off) return i;
    return -1;
}

/* Checks a newly returned payload and records it with a fill tag. */
static void record(struct fheap *f, int64_t off, uint64_t size, uint8_t tag, int zeroed)
{
    struct heap_stats s;
    heap_get_stats(f->h, &s);
    uint32_t align = heap_get_options(f->h).align;
    if (off <= 0 || off % align || (uint64_t)off + size > s.heap_size) die("payload misaligned or beyond the break", (uint64_t)off);
    for (int i = 0; i < f->n; i++)
        if ((uint64_t)off < f->live[i].off + f->live[i].size + 4 && f->live[i].off < (uint64_t)off + size + 4)
            die("payload overlaps a live block", (uint64_t)off);
    uint8_t *p = heap_payload(f->h, (uint32_t)off);
    if (!p || heap_payload_size(f->h, (uint32_t)off) != size) die("live table disagrees", (uint64_t)off);
    for (uint64_t i = 0; zeroed && i < size; i++)
        if (p[i]) die("calloc not zeroed", (uint64_t)off);
    memset(p, tag, size);
    if (f->n < MAX_LIVE) f->live[f->n++] = (struct shadow_block){(uint32_t)off, (uint32_t)size, tag};
    else f->untracked = 1;
}

/* Checks that live block i still holds its tag, then forgets it. */
static void verify_live(struct fheap *f, int i)
{
    const uint8_t *p = heap_payload(f->h, f->live[i].off);
    if (!p) die("live payload lost", f->live[i].off);
    for (uint32_t k = 0; k < f->live[i].size; k++)
        if (p[k] != f->live[i].tag) die("live payload changed", f->live[i].off);
}

static void forget(struct fheap *f, int i) { f->live[i] = f->live[--f->n]; }

/* Free of off: live -> must succeed; otherwise must be refused. */
static void do_free(struct fheap *f, uint64_t off)
{
    int i = find_live(f, off);
    if (i >= 0) verify_live(f, i);
    int rc = heap_free(f->h, off);
    if (i >= 0 || off == 0) {
        if (rc != 0) die("free of a live payload failed", off);
        if (i >= 0) forget(f, i);
    } else if (rc >= 0 && !f->untracked) {
        die("bad free accepted", off);
    }
}

static void do_realloc(struct fheap *f, uint64_t off, uint64_t size, uint8_t tag)
{
    int i = find_live(f, off);
    if (i >= 0) verify_live(f, i);
    uint32_t old = i >= 0 ? f->live[i].size : 0;
    int64_t r = heap_realloc(f->h, off, size);
    if (r < 0) {
        if (i >= 0) verify_live(f, i);
        return;
    }
    if (i < 0 && off != 0) {
        if (!f->untracked) die("realloc of a bad offset accepted", off);
        return;
    }
    const uint8_t *p = heap_payload(f->h, (uint32_t)r);
    uint32_t keep = old < size ? old : (uint32_t)size;
    for (uint32_t k = 0; p && k < keep; k++)
        if (p[k] != f->live[i].tag) die("realloc lost contents", (uint64_t)r);
    if (i >= 0) forget(f, i);
    record(f, r, size, tag, 0);
}

struct id_search { int64_t id; int found; };

/* Walker callback: stops at the live block whose id is the one searched for. */
static int id_is(const struct heap_block_info *b, void *ctx)
{
    struct id_search *q = ctx;
    return q->found = !b->is_free && b->id == q->id;
}

/* 1 when id names a live block of h. */
static int id_live(const struct heap *h, int64_t id)
{
    struct id_search q = {id, 0};
    heap_walk(h, id_is, &q);
    return q.found;
}

/* Walker callback: appends "offset:size:free:id:payload," to the strbuf-like buffer ctx. */
struct layout { char *p; size_t n, cap; };
static int layout_add(const struct heap_block_info *b, void *ctx)
{
    struct layout *l = ctx;
    if (l->n + 80 > l->cap) {
        l->cap = l->cap * 2 + 4096;
        l->p = realloc(l->p, l->cap);
        if (!l->p) die("out of memory", 0);
    }
    l->n += (size_t)snprintf(l->p + l->n, l->cap - l->n, "%u:%u:%d:%lld:%u,", b->offset, b->size, b->is_free, (long long)b->id, b->payload_size);
    return 0;
}

/* The block layout of h as text (malloc'd). */
static char *layout_of(const struct heap *h)
{
    struct layout l = {malloc(4096), 0, 4096};
    if (!l.p) die("out of memory", 0);
    l.p[0] = 0;
    heap_walk(h, layout_add, &l);
    return l.p;
}

/* The lossless-log property: h's exported log replays to itself on a fresh heap. */
static void log_round_trip(struct heap *h)
{
    struct event_log *lg = heap_log(h);
    if (!lg) return;
    size_t len, len2;
    char *a = log_to_csv(lg, LOG_FORMAT_RICH, &len), err[TRACE_ERR_LEN];
    if (!a) die("log not exported", 0);
    struct trace t;
    if (trace_parse(a, len, "log", &t, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_ops: %s\n%s", err, a);
        die("exported log does not parse", 0);
    }
    struct heap_options o = heap_get_options(h);
    struct heap *g = heap_create(&o);
    struct replay_options ro = {.verify = 1};
    struct replay_result r;
    int rc = replay_run(g, &t, &ro, &r);
    if (rc) {
        fprintf(stderr, "fuzz_ops: replay: %s after op %u\n", replay_strerror(rc), r.error_op);
        die("exported log does not replay", (uint64_t)-rc);
    }
    char *b = log_to_csv(heap_log(g), LOG_FORMAT_RICH, &len2), *la = layout_of(h), *lb = layout_of(g);
    if (!b || len != len2 || memcmp(a, b, len) != 0) {
        fprintf(stderr, "fuzz_ops: log:\n%s--- replayed:\n%s", a, b ? b : "(none)");
        die("replayed log differs", 0);
    }
    if (strcmp(la, lb) != 0) die("replayed heap has other blocks", 0);
    free(a), free(b), free(la), free(lb);
    trace_free(&t);
    heap_destroy(g);
}

static void setup(struct fheap *f, uint8_t a, uint8_t b)
{
    static const uint32_t arenas[8] = {64, 100, 256, 1000, 4096, 1u << 14, 1u << 16, 1u << 20};
    static const uint32_t steps[4] = {0, 0, 64, 1000};
    struct heap_options o = heap_default_options();
    o.policy = a & 3;
    o.order = (a >> 2) % 3;
    o.coalesce = (a >> 4) & 1;
    o.align = (a >> 5) & 1 ? 16 : 8;
    o.arena_size = arenas[b & 7];
    o.grow_step = steps[(b >> 3) & 3];
    o.log = (b >> 5) & 1;
    memset(f, 0, sizeof *f);
    f->h = heap_create(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fheap heaps[NHEAPS];
    struct input in = {data, size};
    for (int k = 0; k < NHEAPS; k++) {
        uint8_t a = next_byte(&in), b = next_byte(&in);
        setup(&heaps[k], a, b);
    }
    while (in.n > 0) {
        uint8_t op = next_byte(&in);
        struct fheap *f = &heaps[op % NHEAPS];
        if (!f->h) continue;
        uint8_t tag = (uint8_t)(op ^ in.n);
        int64_t r;
        switch ((op / NHEAPS) % 8) {
        case 0: {
            uint64_t n = next_size(&in, f->h);
            if ((r = heap_malloc(f->h, n)) > 0) record(f, r, n, tag, 0);
            break;
        }
        case 1: {
            uint64_t k = next_byte(&in), n = next_size(&in, f->h);
            if ((r = heap_calloc(f->h, k, n)) > 0) record(f, r, k * n, tag, 1);
            break;
        }
        case 2: if (f->n) do_free(f, f->live[next_byte(&in) % f->n].off); break;
        case 3: if (f->n) do_realloc(f, f->live[next_byte(&in) % f->n].off, next_size(&in, f->h), tag); break;
        case 4: do_free(f, next_byte(&in) & 1 ? next_raw(&in, 8) : next_raw(&in, 2)); break;
        case 5: { uint64_t off = next_raw(&in, 2); do_realloc(f, off, next_size(&in, f->h), tag); break; }
        case 6: {
            int64_t id = (int64_t)next_raw(&in, 2) - 1;
            uint64_t n = next_size(&in, f->h);
            if (id >= 0 && id_live(f->h, id)) f->dup_id = 1;
            if ((r = heap_malloc_id(f->h, n, id)) > 0) {
                if (id >= 0 && heap_payload_id(f->h, (uint32_t)r) != id) die("id not kept", (uint64_t)r);
                record(f, r, n, tag, 0);
            }
            break;
        }
        default:
            if (next_byte(&in) < 16) { heap_reset(f->h); f->n = 0; f->untracked = 0; f->dup_id = 0; }
            break;
        }
        uint32_t bad = 0;
        int rc = heap_check(f->h, &bad);
        if (rc != 0) {
            fprintf(stderr, "fuzz_ops: heap_check: %s at %u\n", heap_strerror(rc), bad);
            abort();
        }
    }
    for (int k = 0; k < NHEAPS; k++) {
        for (int i = 0; i < heaps[k].n; i++) verify_live(&heaps[k], i);
        if (heaps[k].h && !heaps[k].dup_id) log_round_trip(heaps[k].h);
        heap_destroy(heaps[k].h);
        heaps[k].h = NULL;
    }
    return 0;
}
