/* log_wasm_api.c: a heap's event log as the wasm module exports it to JS.
 *
 * JS reads the log a chunk at a time through two tables in linear memory
 * (re-taking its views after every call, since memory may grow):
 *   ops     double x OP_STRIDE per op record (fields: hl_op_fields())
 *   events  uint32 x EVENT_STRIDE per event (fields: hl_event_fields())
 * the same records as columns for the drain into JS columns (one typed-array
 * copy per field and chunk: hl_log_op_columns, hl_log_event_columns),
 * and the log as CSV through the text slot (wasm_io.h).
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
#define EVENT_FIELDS(X) X(op, e->op) X(kind, e->kind) X(detail, e->detail) X(a, e->a) X(b, e->b) X(c, e->c)

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
    uint32_t n = log_event_count(lg), k = 0;
    for (double i = first; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_event *e = log_event_at(lg, (uint32_t)i);
        const uint32_t v[EVENT_STRIDE] = {EVENT_FIELDS(TABLE_VALUE)};
        memcpy(event_table + (size_t)k * EVENT_STRIDE, v, sizeof v);
    }
    return (int)k;
}

EMSCRIPTEN_KEEPALIVE double *hl_ops_ptr(void) { return op_table; }

/* ---- the drain's columns (web/js/lab/log.js LogDrain, logTableSteps) ----
 * The same records as columns, one region per field, so JS appends a whole
 * chunk of a field with one typed-array copy instead of a loop over rows.
 * Each column is X(name, type, value): type u32 (a uint32 per record) or f64
 * (a double, for the 64-bit fields and the signed ones). For each f64
 * column C also says which typed array holds the chunk's values exactly
 * (enum column_kind), so JS keeps each column in the narrowest array
 * without reading a value, and writes the chunk as that array's words
 * (doubles only for KIND_F64: columns_narrow). Layout: column c of a table of capacity `cap`
 * records starts at byte c * cap * 8 of hl_columns_ptr(). */
#define OP_COLUMNS(X)                                                                                          \
    X(op, u32, r->op) X(id, f64, (double)r->id) X(size, f64, (double)r->size) X(offset, f64, (double)r->offset) \
    X(blockSize, u32, r->block_size) X(scanned, u32, r->scanned) X(heapSize, u32, r->heap_size)                \
    X(liveBytes, f64, (double)r->live_bytes) X(freeBytes, f64, (double)r->free_bytes)                          \
    X(largestFree, u32, r->largest_free) X(freeBlocks, u32, r->free_blocks)                                    \
    X(firstEvent, u32, r->first_event + event_base) X(result, f64, (double)r->result)
/* an event's a is signed for a fail event (its error code), as JS shows it */
#define EVENT_COLUMNS(X)                                                                        \
    X(kind, u32, e->kind) X(detail, u32, e->detail)                                            \
    X(a, f64, e->kind == EV_FAIL ? (double)(int32_t)e->a : (double)e->a) X(b, u32, e->b) X(c, u32, e->c)

/* Which typed array holds every value of an f64 column's chunk exactly. */
enum column_kind { KIND_U31 = 0, KIND_U32 = 1, KIND_I32 = 2, KIND_F64 = 3 };
#define COLUMN_NAME(name, type, value) #name ":" #type ","
#define COLUMN_COUNT(name, type, value) +1
enum { OP_COLUMN_COUNT = 0 OP_COLUMNS(COLUMN_COUNT), EVENT_COLUMN_COUNT = 0 EVENT_COLUMNS(COLUMN_COUNT) };
enum { MAX_COLUMNS = OP_COLUMN_COUNT > EVENT_COLUMN_COUNT ? OP_COLUMN_COUNT : EVENT_COLUMN_COUNT };

static uint8_t *column_table;   /* MAX_COLUMNS regions of column_cap 8-byte slots */
static uint32_t column_cap;
static uint32_t column_kinds[MAX_COLUMNS];
/* per f64 column and chunk: 1 some value < 0, 2 some value >= 2^31, 4 some value outside int32 and uint32 */
static uint32_t column_seen[MAX_COLUMNS];
static uint8_t column_f64[MAX_COLUMNS]; /* 1: column c of the chunk was written as doubles */

/* Makes the column table hold at least n records per column; returns 0 or -1. */
static int columns_reserve(uint32_t n) {
    if (n <= column_cap) return 0;
    uint8_t *t = realloc(column_table, (size_t)n * MAX_COLUMNS * 8);
    if (!t) return -1;
    column_table = t;
    column_cap = n;
    return 0;
}

/* Notes value v of an f64 column in *seen (see column_seen). */
static inline void column_note(uint32_t *seen, double v) {
    if (v < 0) *seen |= 1;
    if (v >= 2147483648.0) *seen |= 2;
    if (v < -2147483648.0 || v >= 4294967296.0) *seen |= 4;
}

/* The kind of a chunk whose values were noted in seen. */
static uint32_t column_kind_of(uint32_t seen) {
    return (seen & 4) || (seen & 3) == 3 ? KIND_F64 : (seen & 1) ? KIND_I32 : (seen & 2) ? KIND_U32 : KIND_U31;
}

/* Writes double v as record k of column c, noting its kind. */
static inline void column_put_f64(int c, uint32_t k, double v) {
    ((double *)(column_table + (size_t)c * column_cap * 8))[k] = v;
    column_note(&column_seen[c], v);
    column_f64[c] = 1;
}

/* Writes value v of record k into column c (u32 or f64). */
#define COLUMN_PUT_u32(c, k, v) (((uint32_t *)(column_table + (size_t)(c) * column_cap * 8))[k] = (uint32_t)(v))
#define COLUMN_PUT_f64(c, k, v) column_put_f64(c, k, v)
#define COLUMN_PUT(name, type, value) COLUMN_PUT_##type(c, k, value), c++;

/* Sets each column's kind for the chunk of k records just written, and
 * rewrites each f64 column whose values all fit 32 bits as uint32 (or int32)
 * words at the start of its region: JS copies integer arrays into its
 * columns many times faster than doubles into integer arrays (measured in
 * node 20: 0.1-0.3 against 9-14 ns per value). In place is safe: word j is
 * written after double j and those before it were read. */
static void columns_narrow(uint32_t k) {
    for (int c = 0; c < MAX_COLUMNS; c++) {
        uint32_t kind = column_kinds[c] = column_kind_of(column_seen[c]);
        if (!column_f64[c] || kind == KIND_F64) continue; /* a u32 column, or doubles kept */
        double *d = (double *)(column_table + (size_t)c * column_cap * 8);
        if (kind == KIND_I32) {
            int32_t *w = (int32_t *)d;
            for (uint32_t j = 0; j < k; j++) w[j] = (int32_t)d[j];
        } else {
            uint32_t *w = (uint32_t *)d;
            for (uint32_t j = 0; j < k; j++) w[j] = (uint32_t)d[j];
        }
    }
}

/* The column names and types ("name:u32,name:f64,..."), in the order of the regions. */
EMSCRIPTEN_KEEPALIVE const char *hl_op_columns(void) { return OP_COLUMNS(COLUMN_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_event_columns(void) { return EVENT_COLUMNS(COLUMN_NAME); }
EMSCRIPTEN_KEEPALIVE uint8_t *hl_columns_ptr(void) { return column_table; }
/* The kinds (enum column_kind) of the last filled chunk's columns, one uint32 per column (u32 columns: 0). */
EMSCRIPTEN_KEEPALIVE uint32_t *hl_column_kinds_ptr(void) { return column_kinds; }
/* The capacity (records per column) of the column table: column c starts at c * cap * 8 bytes. */
EMSCRIPTEN_KEEPALIVE double hl_columns_cap(void) { return column_cap; }

/* Fills the op columns with up to max records from index `first` (firstEvent
 * plus event_base, the events drained before); returns how many, or a negative code. */
EMSCRIPTEN_KEEPALIVE int hl_log_op_columns(int h, double first, int max, double event_base_d) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0 || !(event_base_d >= 0 && event_base_d <= UINT32_MAX)) return HEAP_EINVAL;
    if (columns_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_op_count(lg), k = 0, event_base = (uint32_t)event_base_d;
    memset(column_seen, 0, sizeof column_seen);
    memset(column_f64, 0, sizeof column_f64);
    for (uint32_t i = first < n ? (uint32_t)first : n; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_op_record *r = log_op_at(lg, i);
        int c = 0;
        OP_COLUMNS(COLUMN_PUT)
    }
    columns_narrow(k);
    return (int)k;
}

/* Fills the event columns with up to max events from index `first`; returns how many, or a negative code. */
EMSCRIPTEN_KEEPALIVE int hl_log_event_columns(int h, double first, int max) {
    struct event_log *lg = log_of(h);
    if (!lg || !(first >= 0) || max <= 0) return HEAP_EINVAL;
    if (columns_reserve((uint32_t)max)) return HEAP_ENOMEM;
    uint32_t n = log_event_count(lg), k = 0;
    memset(column_seen, 0, sizeof column_seen);
    memset(column_f64, 0, sizeof column_f64);
    for (uint32_t i = first < n ? (uint32_t)first : n; i < n && k < (uint32_t)max; i++, k++) {
        const struct log_event *e = log_event_at(lg, i);
        int c = 0;
        EVENT_COLUMNS(COLUMN_PUT)
    }
    columns_narrow(k);
    return (int)k;
}
EMSCRIPTEN_KEEPALIVE uint32_t *hl_events_ptr(void) { return event_table; }

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
