/* heap_wasm_api.c: the functions the WebAssembly module exports to JavaScript.
 *
 * Integers and doubles only cross the boundary. Heaps are named by small
 * integer handles (index + 1 into a table that never reuses a slot, so a
 * stale handle from JS is refused, never aliased). Sizes and offsets arrive
 * as doubles and are validated here: anything that is not a non-negative
 * integer becomes a value the allocator itself rejects (size 0 -> EINVAL,
 * offset 0xFFFFFFFF -> EBADPTR), so every bad call is refused, counted and
 * logged by the engine exactly like a bad native call.
 *
 * Bulk data goes through tables in linear memory that C fills and JS reads
 * with typed-array views (re-taken after every call, since memory may grow):
 *   blocks  uint32 x BLOCK_STRIDE per block (see hl_blocks)
 *   ops     double x OP_STRIDE per op record, filled a chunk at a time
 *   events  uint32 x EVENT_STRIDE per event, filled a chunk at a time
 *   stats   double x STATS_COUNT; replay summary double x REPLAY_COUNT
 *   text    one malloc'd NUL-terminated string (CSV export, generated trace,
 *           error message); its length is returned, its pointer in hl_text_ptr
 *   input   a growable byte buffer JS writes trace text (and a name) into
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "log/event_log.h"
#include "trace/replay.h"
#include "trace/trace.h"

_Static_assert(sizeof(void *) == 4, "the wasm build is wasm32");

#define BLOCK_STRIDE 8  /* offset size payload_off payload_size next_free is_free id_lo id_hi */
#define OP_STRIDE 13    /* seq op id size offset block_size scanned heap_size live free largest first_event result */
#define EVENT_STRIDE 6  /* op kind detail a b c */
#define STATS_COUNT 16
#define REPLAY_COUNT 13
#define BAD_OFFSET 0xFFFFFFFFu /* odd and beyond every arena: never a payload */

static struct heap **heaps;     /* handle h names heaps[h - 1]; NULL once destroyed */
static uint32_t heap_count, heap_cap;
static uint32_t *block_table;
static uint32_t block_cap;
static double *op_table;
static uint32_t *event_table;
static uint32_t table_chunk;     /* capacity (records) of op_table and event_table */
static double stats_table[STATS_COUNT];
static double replay_table[REPLAY_COUNT];
static char *text_out;           /* last text handed to JS */
static size_t text_len;
static char *input_buf;
static uint32_t input_cap;
static uint32_t check_off;       /* bad offset of the last hl_check */

/* Returns the heap named by handle h, or NULL for a bad or destroyed handle. */
static struct heap *heap_of(int h) {
    if (h <= 0 || (uint32_t)h > heap_count) return NULL;
    return heaps[h - 1];
}

/* Returns heap h's event log, or NULL (bad handle, or created without a log). */
static struct event_log *log_of(int h) {
    struct heap *hp = heap_of(h);
    return hp ? heap_log(hp) : NULL;
}

/* Returns d as a uint64 argument for the engine: `bad` when d is not a
 * non-negative integer (0 for sizes -> EINVAL, BAD_OFFSET for offsets ->
 * EBADPTR), UINT64_MAX when it is beyond uint64. */
static uint64_t u64_arg(double d, uint64_t bad) {
    if (!(d >= 0) || isinf(d) || d != floor(d)) return bad;
    return d >= 18446744073709551616.0 ? UINT64_MAX : (uint64_t)d;
}
#define size_arg(d) u64_arg((d), 0)
#define offset_arg(d) u64_arg((d), BAD_OFFSET)

/* Replaces the text handed to JS; returns its length, or -1 when s is NULL. */
static int text_set(char *s, size_t len) {
    free(text_out);
    text_out = s;
    text_len = s ? len : 0;
    return s ? (int)len : -1;
}

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
        (coalesce != 0 && coalesce != 1) || (align != 8 && align != 16) || o.arena_size < HEAP_MIN_ARENA ||
        o.grow_step > o.arena_size || (log != 0 && log != 1))
        return HEAP_EINVAL;
    if (heap_count == heap_cap) {
        uint32_t cap = heap_cap ? heap_cap * 2 : 16;
        struct heap **t = realloc(heaps, cap * sizeof *t);
        if (!t) return HEAP_ENOMEM;
        heaps = t;
        heap_cap = cap;
    }
    struct heap *hp = heap_create(&o);
    if (!hp) return HEAP_ENOMEM;
    heaps[heap_count++] = hp;
    return (int)heap_count;
}

/* Destroys heap h; returns 0, or HEAP_EINVAL for a bad handle. */
EMSCRIPTEN_KEEPALIVE int hl_heap_destroy(int h) {
    struct heap *hp = heap_of(h);
    if (!hp) return HEAP_EINVAL;
    heap_destroy(hp);
    heaps[h - 1] = NULL;
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
    const double v[STATS_COUNT] = {
        (double)s.live_payload, (double)s.peak_payload, s.heap_size, s.heap_peak, s.arena_size, s.utilization,
        (double)s.internal_frag, s.external_frag, s.free_blocks, s.alloc_blocks, (double)s.free_bytes,
        s.largest_free, (double)s.requests, (double)s.scanned_total, s.scanned_mean, (double)s.failures};
    memcpy(stats_table, v, sizeof v);
    return stats_table;
}

struct block_fill { uint32_t n; };

/* Walker callback: appends one block row (the table was sized beforehand). */
static int block_row(const struct heap_block_info *b, void *ctx) {
    struct block_fill *f = ctx;
    if (f->n >= block_cap) return 1;
    uint32_t *r = block_table + (size_t)f->n * BLOCK_STRIDE;
    r[0] = b->offset;
    r[1] = b->size;
    r[2] = b->payload_off;
    r[3] = b->payload_size;
    r[4] = b->next_free;
    r[5] = (uint32_t)b->is_free;
    r[6] = (uint32_t)((uint64_t)b->id & 0xFFFFFFFFu);
    r[7] = (uint32_t)((uint64_t)b->id >> 32);
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

/* Makes the op and event tables hold at least n records; returns 0 or -1. */
static int tables_reserve(uint32_t n) {
    if (n <= table_chunk) return 0;
    double *o = realloc(op_table, (size_t)n * OP_STRIDE * sizeof *o);
    if (!o) return -1;
    op_table = o;
    uint32_t *e = realloc(event_table, (size_t)n * EVENT_STRIDE * sizeof *e);
    if (!e) return -1;
    event_table = e;
    table_chunk = n;
    return 0;
}

/* Returns the number of op records (or events) in heap h's log; 0 without a log. */
EMSCRIPTEN_KEEPALIVE double hl_log_op_count(int h) {
    struct event_log *lg = log_of(h);
    return lg ? log_op_count(lg) : 0;
}

EMSCRIPTEN_KEEPALIVE double hl_log_event_count(int h) {
    struct event_log *lg = log_of(h);
    return lg ? log_event_count(lg) : 0;
}

/* Fills the op table with up to max records from index `first`; returns how
 * many, or a negative code. */
EMSCRIPTEN_KEEPALIVE int hl_log_ops(int h, double first, int max) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0) return HEAP_EINVAL;
    if (tables_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_op_count(lg), k = 0;
    for (double i = first; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_op_record *r = log_op_at(lg, (uint32_t)i);
        const double v[OP_STRIDE] = {r->seq, r->op, (double)r->id, (double)r->size, r->offset, r->block_size,
                                     r->scanned, r->heap_size, (double)r->live_bytes, (double)r->free_bytes,
                                     r->largest_free, r->first_event, (double)r->result};
        memcpy(op_table + (size_t)k * OP_STRIDE, v, sizeof v);
    }
    return (int)k;
}

/* Fills the event table with up to max events from index `first`; returns how many. */
EMSCRIPTEN_KEEPALIVE int hl_log_events(int h, double first, int max) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0) return HEAP_EINVAL;
    if (tables_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_event_count(lg), k = 0;
    for (double i = first; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_event *e = log_event_at(lg, (uint32_t)i);
        uint32_t *r = event_table + (size_t)k * EVENT_STRIDE;
        r[0] = e->op;
        r[1] = e->kind;
        r[2] = e->detail;
        r[3] = e->a;
        r[4] = e->b;
        r[5] = e->c;
    }
    return (int)k;
}

EMSCRIPTEN_KEEPALIVE double *hl_ops_ptr(void) { return op_table; }
EMSCRIPTEN_KEEPALIVE uint32_t *hl_events_ptr(void) { return event_table; }

/* Puts heap h's log as CSV (0 rich, 1 seed) in the text slot; returns its
 * length, or -1 (no log, bad handle or format, out of memory). */
EMSCRIPTEN_KEEPALIVE int hl_export_log(int h, int format) {
    struct event_log *lg = log_of(h);
    if (!lg || (format != LOG_FORMAT_RICH && format != LOG_FORMAT_SEED)) return text_set(NULL, 0);
    size_t len = 0;
    char *s = log_to_csv(lg, format, &len);
    return text_set(s, len);
}

/* The text slot: its address (0 when empty) and length in bytes. */
EMSCRIPTEN_KEEPALIVE char *hl_text_ptr(void) { return text_out; }
EMSCRIPTEN_KEEPALIVE double hl_text_length(void) { return text_out ? (double)text_len : -1; }

/* Returns a buffer of at least n + 1 bytes for JS to write input into, or 0. */
EMSCRIPTEN_KEEPALIVE char *hl_input(double n) {
    if (!(n >= 0 && n < UINT32_MAX)) return NULL;
    uint32_t need = (uint32_t)n + 1;
    if (need > input_cap) {
        char *b = realloc(input_buf, need);
        if (!b) return NULL;
        input_buf = b;
        input_cap = need;
    }
    return input_buf;
}

/* Parses the input buffer (text_len bytes of trace, then name_len bytes of
 * its name) and replays it on heap h. Returns 0 with the summary in the
 * replay table (error field set when a check failed); or -1 with
 * "name:line: message" in the text slot when the trace is bad (nothing
 * applied); or HEAP_EINVAL / REPLAY_EHOST. */
EMSCRIPTEN_KEEPALIVE int hl_replay(int h, double text_len, double name_len, int verify, int check_every) {
    struct heap *hp = heap_of(h);
    if (!hp || !input_buf || !(text_len >= 0 && name_len >= 0 && text_len + name_len < input_cap)) return HEAP_EINVAL;
    size_t tl = (size_t)text_len, nl = (size_t)name_len;
    char name[128];
    if (nl >= sizeof name) nl = sizeof name - 1;
    memcpy(name, input_buf + tl, nl);
    name[nl] = '\0';
    struct trace t = {0};
    char err[TRACE_ERR_LEN];
    if (trace_parse(input_buf, tl, name, &t, err, sizeof err) != 0) {
        trace_free(&t);
        size_t n = strlen(err);
        char *msg = malloc(n + 1);
        if (msg) memcpy(msg, err, n + 1);
        text_set(msg, n);
        return -1;
    }
    struct replay_options ro = {.verify = verify != 0, .check_every = check_every != 0};
    struct replay_result r;
    memset(&r, 0, sizeof r);
    double t0 = emscripten_get_now();
    replay_run(hp, &t, &ro, &r);
    double ms = emscripten_get_now() - t0;
    const double v[REPLAY_COUNT] = {(double)r.ops, (double)r.allocs, (double)r.frees, (double)r.reallocs,
                                    (double)r.failed, (double)r.skipped, (double)r.peak_payload, r.heap_bytes,
                                    r.utilization, r.error, r.error_op, r.error_off, ms};
    memcpy(replay_table, v, sizeof v);
    trace_free(&t);
    return 0;
}

EMSCRIPTEN_KEEPALIVE double *hl_replay_ptr(void) { return replay_table; }

/* Generates scenario `scenario` with seed (hi << 32 | lo) and about nops ops,
 * as text (0 rich, 2 rep) in the text slot; returns its length or -1. */
EMSCRIPTEN_KEEPALIVE int hl_generate(int scenario, double seed_lo, double seed_hi, double nops, int format) {
    if (scenario < 0 || scenario >= SCEN_COUNT || !(nops >= 0 && nops <= UINT32_MAX && nops == floor(nops)) ||
        !(seed_lo >= 0 && seed_lo <= UINT32_MAX) || !(seed_hi >= 0 && seed_hi <= UINT32_MAX) ||
        (format != TRACE_RICH && format != TRACE_REP))
        return text_set(NULL, 0);
    uint64_t seed = ((uint64_t)seed_hi << 32) | (uint64_t)seed_lo;
    struct trace t = {0};
    if (trace_generate(scenario, seed, (uint32_t)nops, &t) != 0) {
        trace_free(&t);
        return text_set(NULL, 0);
    }
    size_t len = 0;
    char *s = trace_to_text(&t, format, &len);
    trace_free(&t);
    return text_set(s, len);
}

/* Static name strings for JS: scenario i, event kind k, op o, error code c (0 when none). */
EMSCRIPTEN_KEEPALIVE int hl_scenario_count(void) { return SCEN_COUNT; }
EMSCRIPTEN_KEEPALIVE const char *hl_scenario_name(int i) { return trace_scenario_name(i); }
EMSCRIPTEN_KEEPALIVE const char *hl_event_name(int k) { return log_event_name((uint32_t)k); }
EMSCRIPTEN_KEEPALIVE const char *hl_op_name(int o) { return log_op_name((uint32_t)o); }
EMSCRIPTEN_KEEPALIVE const char *hl_strerror(int c) { return heap_strerror(c); }

#endif /* __EMSCRIPTEN__ */
