/* log_wasm_api.c: a heap's event log as the wasm module exports it to JS.
 *
 * JS reads the log a chunk at a time through two tables in linear memory
 * (re-taking its views after every call, since memory may grow):
 *   ops     double x OP_STRIDE per op record (fields: hl_op_fields())
 *   events  uint32 x EVENT_STRIDE per event (fields: hl_event_fields())
 * the same records as columns for the drain into JS columns (one typed-array
 * copy per field and chunk: hl_log_op_columns, hl_log_event_columns),
 * and the log as CSV through the text slot (wasm_io.h). An event's op
 * (the row table's op field) is not stored with it: the first one's is
 * found by log_event_op, the others' by walking the op records along.
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "log/event_log.h"
#include "wasm/wasm_io.h"
#include "wasm/wasm_table.h"

/* One op record r (struct log_op_record) as a row of doubles. */
#define OP_FIELDS(X)                                                                                        \
    X(seq, r->seq) X(op, r->op) X(id, (double)r->id) X(size, (double)r->size) X(offset, r->offset)          \
    X(blockSize, r->block_size) X(scanned, r->scanned) X(heapSize, r->heap_size)                            \
    X(liveBytes, (double)r->live_bytes) X(freeBytes, (double)r->free_bytes) X(largestFree, r->largest_free) \
    X(freeBlocks, r->free_blocks) X(firstEvent, r->first_event) X(result, (double)r->result)
/* One event e (struct log_event) as a row of uint32. */
#define EVENT_FIELDS(X) X(op, op) X(kind, e->kind) X(detail, e->detail) X(a, e->a) X(b, e->b) X(c, e->c)

enum { OP_STRIDE = 0 OP_FIELDS(TABLE_COUNT), EVENT_STRIDE = 0 EVENT_FIELDS(TABLE_COUNT) };

static double *op_table;
static uint32_t *event_table;
static uint32_t table_chunk; /* capacity (records) of op_table and event_table */

/* Returns heap h's event log, or NULL (bad handle, or created without a log). */
static struct event_log *log_of(int h) {
    struct heap *hp = wasm_heap(h);
    return hp ? heap_log(hp) : NULL;
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

/* The field names of the op and event tables, comma-separated. */
EMSCRIPTEN_KEEPALIVE const char *hl_op_fields(void) { return OP_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_event_fields(void) { return EVENT_FIELDS(TABLE_NAME); }

/* Empties heap h's log (its records were read: a long run is read a slice at a
 * time, so the log never holds the whole run); returns 0, or HEAP_EINVAL without a log. */
EMSCRIPTEN_KEEPALIVE int hl_log_clear(int h) {
    struct event_log *lg = log_of(h);
    if (!lg) return HEAP_EINVAL;
    log_clear(lg);
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
        const double v[OP_STRIDE] = {OP_FIELDS(TABLE_VALUE)};
        memcpy(op_table + (size_t)k * OP_STRIDE, v, sizeof v);
    }
    return (int)k;
}

/* Fills the event table with up to max events from index `first`; returns how many. */
EMSCRIPTEN_KEEPALIVE int hl_log_events(int h, double first, int max) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0) return HEAP_EINVAL;
    if (tables_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_event_count(lg), k = 0, nops = log_op_count(lg);
    uint32_t op = first < n ? log_event_op(lg, (uint32_t)first) : 0; /* then the records' first events, walked along */
    for (double i = first; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_event *e = log_event_at(lg, (uint32_t)i);
        while (op + 1 < nops && log_op_at(lg, op + 1)->first_event <= (uint32_t)i) op++;
        const uint32_t v[EVENT_STRIDE] = {EVENT_FIELDS(TABLE_VALUE)};
        memcpy(event_table + (size_t)k * EVENT_STRIDE, v, sizeof v);
    }
    return (int)k;
}

EMSCRIPTEN_KEEPALIVE double *hl_ops_ptr(void) { return op_table; }

EMSCRIPTEN_KEEPALIVE uint32_t *hl_events_ptr(void) { return event_table; }


/* ---- the drain's columns (web/js/lab/log-columns.js: LogDrain, logTable) ----
 * The same records as columns, one region per field, so JS appends a whole
 * chunk of a field with one typed-array copy instead of a loop over rows.
 * Each column is X(name, type, value): type u32 (a uint32 per record), or
 * u64 / i64 for the fields a uint32 may not hold (the 64-bit ones, and the
 * signed ones: ids, results, a fail event's code). For each u64 / i64
 * column C also says which typed array holds the chunk's values exactly
 * (enum column_kind), so JS keeps each column in the narrowest array
 * without reading a value, and writes the chunk as that array's words:
 * 32-bit words, or doubles only for KIND_F64 (V8 copies doubles into
 * integer arrays 30-50x slower than integers: 9-14 against 0.1-0.3 ns per
 * value in node 20). Layout: column c starts at byte c * hl_columns_stride()
 * of hl_columns_ptr() (8-byte slots, 8-aligned). */
#define OP_COLUMNS(X)                                                                             \
    X(op, u32, r->op) X(id, i64, r->id) X(size, u64, r->size) X(offset, u64, r->offset)          \
    X(blockSize, u32, r->block_size) X(scanned, u32, r->scanned) X(heapSize, u32, r->heap_size)   \
    X(liveBytes, u64, r->live_bytes) X(freeBytes, u64, r->free_bytes)                             \
    X(largestFree, u32, r->largest_free) X(freeBlocks, u32, r->free_blocks)                       \
    X(firstEvent, u32, r->first_event + event_base) X(result, i64, r->result)
/* an event's a is signed for a fail event (its error code), as JS shows it */
#define EVENT_COLUMNS(X)                                                               \
    X(kind, u32, e->kind) X(detail, u32, e->detail)                                   \
    X(a, i64, e->kind == EV_FAIL ? (int64_t)(int32_t)e->a : (int64_t)e->a) X(b, u32, e->b) X(c, u32, e->c)

/* Which typed array holds every value of a u64 / i64 column's chunk exactly. */
enum column_kind { KIND_U31 = 0, KIND_U32 = 1, KIND_I32 = 2, KIND_F64 = 3 };
#define COLUMN_NAME(name, type, value) #name ":" #type ","
#define COLUMN_COUNT(name, type, value) +1
enum { OP_COLUMN_COUNT = 0 OP_COLUMNS(COLUMN_COUNT), EVENT_COLUMN_COUNT = 0 EVENT_COLUMNS(COLUMN_COUNT) };
enum { MAX_COLUMNS = OP_COLUMN_COUNT > EVENT_COLUMN_COUNT ? OP_COLUMN_COUNT : EVENT_COLUMN_COUNT };

static uint8_t *column_table; /* MAX_COLUMNS regions of column_cap 8-byte slots, COLUMN_STRIDE bytes apart */
static uint32_t column_cap;
/* Bytes from one region to the next: the slots plus 320, so the regions'
 * writes (13 streams for an op chunk) do not all fall into the same cache
 * sets, as they would 2^k bytes apart (measured: the fill cost 33 ns per op
 * in wasm with regions 512 KiB apart, against 12 for one row stream). */
#define COLUMN_STRIDE ((size_t)column_cap * 8 + 320)
static uint32_t column_kinds[MAX_COLUMNS];
/* Makes the column table hold at least n records per column; returns 0 or -1. */
static int columns_reserve(uint32_t n) {
    if (n <= column_cap) return 0;
    uint8_t *t = realloc(column_table, ((size_t)n * 8 + 320) * MAX_COLUMNS);
    if (!t) return -1;
    column_table = t;
    column_cap = n;
    return 0;
}

/* One chunk being written: each column's words, and per wide column the OR
 * of its values (as uint64), whether one is negative, and the OR of
 * (v + 2^31) >> 32 (0 when every value is an int32). Locals of the fill
 * functions, so the compiler knows the column stores cannot change them. */
struct chunk {
    uint32_t *w[MAX_COLUMNS];
    uint64_t or[MAX_COLUMNS], off32[MAX_COLUMNS];
    uint8_t neg[MAX_COLUMNS];
};

static void chunk_begin(struct chunk *q) {
    memset(q, 0, sizeof *q);
    for (int c = 0; c < MAX_COLUMNS; c++) q->w[c] = (uint32_t *)(column_table + (size_t)c * COLUMN_STRIDE);
}

/* Writes value v of record k into column c as a 32-bit word, noting a wide value's range. */
#define COLUMN_PUT_u32(c, k, v) (q.w[c][k] = (uint32_t)(v))
#define COLUMN_PUT_u64(c, k, v) column_put_wide(&q, c, k, (int64_t)(v), 0)
#define COLUMN_PUT_i64(c, k, v) column_put_wide(&q, c, k, (int64_t)(v), 1)
#define COLUMN_PUT(name, type, value) (void)((mask >> c & 1) && (COLUMN_PUT_##type(c, k, value), 1)), c++;
static inline void column_put_wide(struct chunk *q, int c, uint32_t k, int64_t v, int is_signed) {
    q->w[c][k] = (uint32_t)v;
    q->or[c] |= (uint64_t)v;
    if (is_signed) {
        q->neg[c] |= v < 0;
        q->off32[c] |= ((uint64_t)v + 0x80000000u) >> 32;
    }
}

/* Rewrites record k of column c as a double (a chunk of KIND_F64). */
#define COLUMN_F64_u32(c, k, v) ((void)0)
#define COLUMN_F64_u64(c, k, v) (column_kinds[c] == KIND_F64 ? (void)(((double *)q.w[c])[k] = (double)(uint64_t)(v)) : (void)0)
#define COLUMN_F64_i64(c, k, v) (column_kinds[c] == KIND_F64 ? (void)(((double *)q.w[c])[k] = (double)(int64_t)(v)) : (void)0)
#define COLUMN_F64(name, type, value) (void)((mask >> c & 1) && (COLUMN_F64_##type(c, k, value), 1)), c++;

/* Sets each column's kind from what its chunk held; returns 1 when one is KIND_F64 (rewritten as doubles then). */
static int columns_kinds(const struct chunk *q) {
    int any_f64 = 0;
    for (int c = 0; c < MAX_COLUMNS; c++) {
        uint64_t o = q->or[c];
        column_kinds[c] = q->neg[c] ? (q->off32[c] ? KIND_F64 : KIND_I32) : o >> 32 ? KIND_F64 : o >> 31 ? KIND_U32 : KIND_U31;
        any_f64 |= column_kinds[c] == KIND_F64;
    }
    return any_f64;
}

/* The column names and types ("name:u32,name:i64,..."), in the order of the regions. */
EMSCRIPTEN_KEEPALIVE const char *hl_op_columns(void) { return OP_COLUMNS(COLUMN_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_event_columns(void) { return EVENT_COLUMNS(COLUMN_NAME); }
EMSCRIPTEN_KEEPALIVE uint8_t *hl_columns_ptr(void) { return column_table; }
/* The kinds (enum column_kind) of the last filled chunk's columns, one uint32 per column (u32 columns: 0). */
EMSCRIPTEN_KEEPALIVE uint32_t *hl_column_kinds_ptr(void) { return column_kinds; }
/* The bytes from one column's region to the next: column c starts at c * stride bytes. */
EMSCRIPTEN_KEEPALIVE double hl_columns_stride(void) { return (double)COLUMN_STRIDE; }

/* Fills the op columns with up to max records from index `first` (firstEvent
 * plus event_base, the events drained before); returns how many, or a negative code.
 * mask: bit c set fills column c (the others are left as they were: a
 * reader that will not look at them, as the page's engine for a long run's
 * parts but the last, skips their fill and copy). */
EMSCRIPTEN_KEEPALIVE int hl_log_op_columns(int h, double first, int max, double event_base_d, int mask_i) {
    struct event_log *lg = log_of(h);
    uint32_t mask = (uint32_t)mask_i;
    if (!lg || !(first >= 0) || max <= 0 || !(event_base_d >= 0 && event_base_d <= UINT32_MAX)) return HEAP_EINVAL;
    if (columns_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_op_count(lg), from = first < n ? (uint32_t)first : n, event_base = (uint32_t)event_base_d;
    uint32_t m = n - from < (uint32_t)max ? n - from : (uint32_t)max;
    const struct log_op_record *r = m ? log_op_at(lg, from) : NULL, *r0 = r;
    struct chunk q;
    chunk_begin(&q);
    for (uint32_t k = 0; k < m; k++, r++) {
        int c = 0;
        OP_COLUMNS(COLUMN_PUT)
    }
    if (columns_kinds(&q)) {
        r = r0;
        for (uint32_t k = 0; k < m; k++, r++) {
            int c = 0;
            OP_COLUMNS(COLUMN_F64)
        }
    }
    return (int)m;
}

/* Fills the event columns with up to max events from index `first`; returns how many, or a negative code. */
EMSCRIPTEN_KEEPALIVE int hl_log_event_columns(int h, double first, int max) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0) return HEAP_EINVAL;
    if (columns_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_event_count(lg), from = first < n ? (uint32_t)first : n, mask = UINT32_MAX;
    uint32_t m = n - from < (uint32_t)max ? n - from : (uint32_t)max;
    const struct log_event *e = m ? log_event_at(lg, from) : NULL, *e0 = e;
    struct chunk q;
    chunk_begin(&q);
    for (uint32_t k = 0; k < m; k++, e++) {
        int c = 0;
        EVENT_COLUMNS(COLUMN_PUT)
    }
    if (columns_kinds(&q)) {
        e = e0;
        for (uint32_t k = 0; k < m; k++, e++) {
            int c = 0;
            EVENT_COLUMNS(COLUMN_F64)
        }
    }
    return (int)m;
}

/* Puts heap h's log as CSV (0 rich, 1 seed) in the text slot; returns its
 * length, -1 (no log, bad handle or format), or HEAP_ENOMEM - 100 (-101)
 * when host memory ran out: the log is incomplete (log_error) or could not
 * be formatted, and no text is given, so an export never leaves ops out. */
#define EXPORT_ENOMEM (-101)
EMSCRIPTEN_KEEPALIVE int hl_export_log(int h, int format) {
    struct event_log *lg = log_of(h);
    if (!lg || (format != LOG_FORMAT_RICH && format != LOG_FORMAT_SEED)) return text_set(NULL, 0);
    size_t len = 0;
    char *s = log_to_csv(lg, format, &len);
    if (s && len > INT32_MAX) { free(s); s = NULL; }
    if (!s) {
        text_set(NULL, 0);
        return EXPORT_ENOMEM;
    }
    return text_set(s, len);
}

/* The search walk's cap (examine events per search, event_log.h): a new
 * log's, heap h's (-1 without a log), and setting h's (0, or HEAP_EINVAL
 * without a log or for a cap that is not a count). */
EMSCRIPTEN_KEEPALIVE double hl_default_examine_cap(void) { return LOG_EXAMINE_CAP; }
EMSCRIPTEN_KEEPALIVE double hl_log_examine_cap(int h) {
    struct event_log *lg = log_of(h);
    return lg ? log_examine_cap(lg) : -1;
}
EMSCRIPTEN_KEEPALIVE int hl_log_set_examine_cap(int h, double cap) {
    struct event_log *lg = log_of(h);
    if (!lg || !(cap >= 0 && cap <= UINT32_MAX && cap == (uint32_t)cap)) return HEAP_EINVAL;
    log_set_examine_cap(lg, (uint32_t)cap);
    return 0;
}

/* An examine event's reason (its detail) by number: "too_small", ... (NULL past the end). */
EMSCRIPTEN_KEEPALIVE const char *hl_examine_why_name(int i) {
    return i >= 0 && i < EXAMINE_WHY_COUNT ? log_examine_why_name((uint32_t)i) : NULL;
}

/* The number of heap h's op records whose events were skipped (log_events_skipped: a
 * slice replayed with events off); 0 without a log. Their event ranges are empty, which
 * a reader must not take for "no events". */
EMSCRIPTEN_KEEPALIVE double hl_log_events_skipped(int h) {
    struct event_log *lg = log_of(h);
    return lg ? log_events_skipped(lg) : 0;
}

/* 1 when heap h's log is incomplete (an append ran out of host memory), else 0. */
EMSCRIPTEN_KEEPALIVE int hl_log_incomplete(int h) {
    struct event_log *lg = log_of(h);
    return lg && log_error(lg) ? 1 : 0;
}

/* Event kind k's and op o's names (NULL past the end). */
EMSCRIPTEN_KEEPALIVE const char *hl_event_name(int k) { return k >= 0 && k < EV_KIND_COUNT ? log_event_name((uint32_t)k) : NULL; }
EMSCRIPTEN_KEEPALIVE const char *hl_op_name(int o) { return o >= 0 && o < LOG_OP_COUNT ? log_op_name((uint32_t)o) : NULL; }

#else
typedef int log_wasm_api_native_build; /* ISO C wants a non-empty unit */
#endif
