/* heap_wasm_api.c: the heap as the WebAssembly module exports it to JS.
 *
 * Integers and doubles only cross the boundary. Heaps are named by handles
 * (wasm_io.h). Sizes and offsets arrive as doubles and are validated here:
 * anything that is not a non-negative integer becomes a value the allocator
 * itself rejects (size 0 -> EINVAL, offset 0xFFFFFFFF -> EBADPTR), so every
 * bad call is refused, counted and logged by the engine exactly like a bad
 * native call.
 *
 * Snapshots go through tables in linear memory that C fills and JS reads
 * with typed-array views (re-taken after every call, since memory may grow):
 *   blocks  uint32 x BLOCK_STRIDE per block (fields: hl_block_fields())
 *   stats   double x STATS_COUNT, struct heap_stats (fields: hl_stats_fields())
 * The event log's tables are in log_wasm_api.c, traces in trace_wasm_api.c.
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "trace/replay.h" /* replay_strerror: names replay codes too */
#include "wasm/wasm_io.h"

#include "wasm/wasm_table.h"

/* One block b (struct heap_block_info) as a row of uint32; the id in two halves. */
#define BLOCK_FIELDS(X)                                                                          \
    X(offset, b->offset) X(size, b->size) X(payloadOffset, b->payload_off)                       \
    X(payloadSize, b->payload_size) X(nextFree, b->next_free) X(free, (uint32_t)b->is_free)      \
    X(idLo, (uint32_t)((uint64_t)b->id & 0xFFFFFFFFu)) X(idHi, (uint32_t)((uint64_t)b->id >> 32)) \
    X(sizeClass, (uint32_t)b->size_class)
/* The statistics s (struct heap_stats) as a row of doubles. */
#define STATS_FIELDS(X)                                                                                    \
    X(livePayload, (double)s.live_payload) X(peakPayload, (double)s.peak_payload) X(heapSize, s.heap_size) \
    X(heapPeak, s.heap_peak) X(arenaSize, s.arena_size) X(utilization, s.utilization)                      \
    X(internalFrag, (double)s.internal_frag) X(externalFrag, s.external_frag) X(freeBlocks, s.free_blocks) \
    X(allocBlocks, s.alloc_blocks) X(freeBytes, (double)s.free_bytes) X(largestFree, s.largest_free)       \
    X(requests, (double)s.requests) X(scannedTotal, (double)s.scanned_total) X(scannedMean, s.scanned_mean) \
    X(failures, (double)s.failures)

enum { BLOCK_STRIDE = 0 BLOCK_FIELDS(TABLE_COUNT), STATS_COUNT = 0 STATS_FIELDS(TABLE_COUNT) };

static struct handle_table heaps;
static uint32_t *block_table;
static uint32_t block_cap;
static double stats_table[STATS_COUNT];
static uint32_t check_off;       /* bad offset of the last hl_check */

struct heap *wasm_heap(int h) { return handle_get(&heaps, h); }
#define heap_of wasm_heap

/* Returns the heap_default_options() field i (0 policy, 1 order, 2 coalesce,
 * 3 align, 4 arena_size, 5 grow_step, 6 log), or -1. */
EMSCRIPTEN_KEEPALIVE double hl_default_option(int i) {
    struct heap_options o = heap_default_options();
    const double v[] = {o.policy, o.order, o.coalesce, o.align, o.arena_size, o.grow_step, o.log};
    return i >= 0 && i < (int)(sizeof v / sizeof v[0]) ? v[i] : -1;
}

/* Policy and order names by number (NULL past the end), as the CLI flags spell them. */
EMSCRIPTEN_KEEPALIVE const char *hl_policy_name(int i) { return heap_policy_name(i); }
EMSCRIPTEN_KEEPALIVE const char *hl_order_name(int i) { return heap_order_name(i); }

/* Returns 1 when policy i keeps segregated lists by size class (fast), 0 when it
 * searches the one free list (first, next, best, worst: the textbook's policies,
 * which the page compares side by side), -1 past the end. */
EMSCRIPTEN_KEEPALIVE int hl_policy_segregated(int i) {
    return i >= 0 && i < HEAP_POLICY_COUNT ? i == HEAP_FAST_FIT : -1;
}

/* The payload alignments heap_create accepts (allocator.h: 8 or 16), in order. */
static const uint32_t ALIGNS[] = {8, 16};
enum { ALIGN_COUNT = sizeof ALIGNS / sizeof ALIGNS[0] };

/* Returns 1 when align is one of ALIGNS. */
static int align_ok(int align) {
    for (int i = 0; i < ALIGN_COUNT; i++)
        if ((uint32_t)align == ALIGNS[i]) return 1;
    return 0;
}

/* Returns alignment i of ALIGNS, or 0 past the end. */
EMSCRIPTEN_KEEPALIVE int hl_align(int i) { return i >= 0 && i < ALIGN_COUNT ? (int)ALIGNS[i] : 0; }

/* Returns a new heap handle (> 0), HEAP_EINVAL for bad options, HEAP_ENOMEM
 * when host memory runs out. */
EMSCRIPTEN_KEEPALIVE int hl_heap_create(int policy, int order, int coalesce, int align, double arena, double grow, int log) {
    struct heap_options o = heap_default_options();
    if (!(arena >= 0 && arena <= UINT32_MAX && arena == floor(arena))) return HEAP_EINVAL;
    if (!(grow >= 0 && grow <= UINT32_MAX && grow == floor(grow))) return HEAP_EINVAL;
    o.policy = policy;
    o.order = order;
    o.coalesce = coalesce;
    o.align = (uint32_t)align;
    o.arena_size = (uint32_t)arena;
    o.grow_step = (uint32_t)grow;
    o.log = log;
    if (policy < 0 || policy >= HEAP_POLICY_COUNT || order < 0 || order >= HEAP_ORDER_COUNT ||
        (coalesce != 0 && coalesce != 1) || !align_ok(align) || o.arena_size < HEAP_MIN_ARENA ||
        o.grow_step > o.arena_size || (log != 0 && log != 1))
        return HEAP_EINVAL;
    struct heap *hp = heap_create(&o);
    if (!hp) return HEAP_ENOMEM;
    int handle = handle_add(&heaps, hp);
    if (!handle) heap_destroy(hp);
    return handle ? handle : HEAP_ENOMEM;
}

/* Destroys heap h; returns 0, or HEAP_EINVAL for a bad handle. */
EMSCRIPTEN_KEEPALIVE int hl_heap_destroy(int h) {
    struct heap *hp = heap_of(h);
    if (!hp) return HEAP_EINVAL;
    heap_destroy(hp);
    handle_release(&heaps, h);
    return 0;
}

/* Empties heap h (arena and log, same options); returns 0 or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_heap_reset(int h) {
    struct heap *hp = heap_of(h);
    if (!hp) return HEAP_EINVAL;
    heap_reset(hp);
    return 0;
}

/* The four calls: a payload offset, 0 (good free), or a negative HEAP_E* code. */
EMSCRIPTEN_KEEPALIVE double hl_malloc(int h, double size) {
    struct heap *hp = heap_of(h);
    return hp ? (double)heap_malloc(hp, size_arg(size)) : HEAP_EINVAL;
}

EMSCRIPTEN_KEEPALIVE double hl_calloc(int h, double n, double size) {
    struct heap *hp = heap_of(h);
    return hp ? (double)heap_calloc(hp, size_arg(n), size_arg(size)) : HEAP_EINVAL;
}

EMSCRIPTEN_KEEPALIVE int hl_free(int h, double off) {
    struct heap *hp = heap_of(h);
    return hp ? heap_free(hp, offset_arg(off)) : HEAP_EINVAL;
}

EMSCRIPTEN_KEEPALIVE double hl_realloc(int h, double off, double size) {
    struct heap *hp = heap_of(h);
    return hp ? (double)heap_realloc(hp, offset_arg(off), size_arg(size)) : HEAP_EINVAL;
}

/* Returns heap_check()'s code (its bad offset in hl_check_offset), or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_check(int h) {
    struct heap *hp = heap_of(h);
    check_off = 0;
    return hp ? heap_check(hp, &check_off) : HEAP_EINVAL;
}

EMSCRIPTEN_KEEPALIVE double hl_check_offset(void) { return check_off; }

/* Fills the stats table in struct heap_stats order; returns its address or 0. */
EMSCRIPTEN_KEEPALIVE double *hl_stats(int h) {
    struct heap *hp = heap_of(h);
    if (!hp) return NULL;
    struct heap_stats s;
    heap_get_stats(hp, &s);
    const double v[STATS_COUNT] = {STATS_FIELDS(TABLE_VALUE)};
    memcpy(stats_table, v, sizeof v);
    return stats_table;
}

struct block_fill { uint32_t n; };

/* Walker callback: appends one block row (the table was sized beforehand). */
static int block_row(const struct heap_block_info *b, void *ctx) {
    struct block_fill *f = ctx;
    if (f->n >= block_cap) return 1;
    const uint32_t v[BLOCK_STRIDE] = {BLOCK_FIELDS(TABLE_VALUE)};
    memcpy(block_table + (size_t)f->n * BLOCK_STRIDE, v, sizeof v);
    f->n++;
    return 0;
}

/* Counts blocks (walker callback). */
static int block_count_fn(const struct heap_block_info *b, void *ctx) {
    (void)b;
    ++*(uint32_t *)ctx;
    return 0;
}

/* Fills the block table in address order; returns the block count, or a
 * negative code (HEAP_EINVAL bad handle, HEAP_ENOMEM no host memory). */
EMSCRIPTEN_KEEPALIVE int hl_blocks(int h) {
    struct heap *hp = heap_of(h);
    if (!hp) return HEAP_EINVAL;
    uint32_t n = 0;
    heap_walk(hp, block_count_fn, &n);
    if (n > block_cap) {
        uint32_t *t = realloc(block_table, (size_t)n * BLOCK_STRIDE * sizeof *t);
        if (!t) return HEAP_ENOMEM;
        block_table = t;
        block_cap = n;
    }
    struct block_fill f = {0};
    heap_walk(hp, block_row, &f);
    return (int)f.n;
}

EMSCRIPTEN_KEEPALIVE uint32_t *hl_blocks_ptr(void) { return block_table; }

/* Returns the address of payload `off`'s bytes (valid until memory grows), or 0. */
EMSCRIPTEN_KEEPALIVE void *hl_payload(int h, double off) {
    struct heap *hp = heap_of(h);
    uint64_t o = offset_arg(off);
    return hp && o <= UINT32_MAX ? heap_payload(hp, (uint32_t)o) : NULL;
}

/* Returns the requested size of live payload `off`, or 0. */
EMSCRIPTEN_KEEPALIVE double hl_payload_size(int h, double off) {
    struct heap *hp = heap_of(h);
    uint64_t o = offset_arg(off);
    return hp && o <= UINT32_MAX ? heap_payload_size(hp, (uint32_t)o) : 0;
}

/* Returns the address of arena offset 0 of heap h, or 0. */
EMSCRIPTEN_KEEPALIVE uint8_t *hl_arena(int h) {
    struct heap *hp = heap_of(h);
    return hp ? heap_arena(hp) : NULL;
}

/* The field names of the block and stats tables, comma-separated. */
EMSCRIPTEN_KEEPALIVE const char *hl_block_fields(void) { return BLOCK_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_stats_fields(void) { return STATS_FIELDS(TABLE_NAME); }

/* The engine's name for an error, check or replay code (a static string). */
EMSCRIPTEN_KEEPALIVE const char *hl_strerror(int c) { return replay_strerror(c); }

/* The error codes of enum heap_error, by name without the HEAP_ prefix:
 * JS's HeapLab.ENOMEM ... are checked against this list at load(). */
#define ERROR_CODES(X)                                                                          \
    X(ENOMEM, HEAP_ENOMEM) X(EINVAL, HEAP_EINVAL) X(ETOOBIG, HEAP_ETOOBIG) X(EBADPTR, HEAP_EBADPTR) \
    X(EDOUBLEFREE, HEAP_EDOUBLEFREE)
enum { ERROR_COUNT = 0 ERROR_CODES(TABLE_COUNT) };
_Static_assert(HEAP_ENOMEM == -1 && HEAP_EDOUBLEFREE == -ERROR_COUNT,
               "enum heap_error is -1..-ERROR_COUNT, each code named in ERROR_CODES");

/* The error names ("ENOMEM,EINVAL,...") and code i of that list (0 past the end). */
EMSCRIPTEN_KEEPALIVE const char *hl_error_fields(void) { return ERROR_CODES(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE int hl_error_code(int i) {
    const int v[ERROR_COUNT] = {ERROR_CODES(TABLE_VALUE)};
    return i >= 0 && i < ERROR_COUNT ? v[i] : 0;
}

/* The block header's size in bytes (block.h), the offset of a payload in its block. */
EMSCRIPTEN_KEEPALIVE double hl_header_size(void) { return heap_header_size(); }

/* The fast policy's size classes (allocator.h): how many, the smallest
 * block size of class c (0 past the end), and the class of a block size
 * (-1 when it is not a 32-bit size). */
EMSCRIPTEN_KEEPALIVE int hl_class_count(void) { return HEAP_CLASS_COUNT; }
EMSCRIPTEN_KEEPALIVE double hl_class_min_size(int c) { return c >= 0 && c < HEAP_CLASS_COUNT ? heap_class_min_size(c) : 0; }
EMSCRIPTEN_KEEPALIVE int hl_size_class(double size) {
    return size >= 0 && size <= UINT32_MAX && size == floor(size) ? heap_size_class((uint32_t)size) : -1;
}

/* The smallest arena heap_create accepts. */
EMSCRIPTEN_KEEPALIVE double hl_min_arena(void) { return HEAP_MIN_ARENA; }

#endif /* __EMSCRIPTEN__ */
