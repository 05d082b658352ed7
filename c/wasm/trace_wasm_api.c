/* trace_wasm_api.c: traces, replay and cursors as the wasm module exports
 * them to JS.
 *
 * A trace crosses the boundary once: JS writes its text into the input
 * buffer and C parses it into a trace handle (or generates one in place);
 * from then on JS names it by handle. C replays it onto a heap, keeps the
 * ops that made a log row (the page's steps), cuts it and appends ops to it
 * (manual edits), and moves a heap to any step of it through a cursor
 * (trace_cursor.h). Nothing is serialized back to text unless JS asks for
 * the text (hl_trace_text) or a log (log_wasm_api.c).
 *
 * Tables (fields read once by JS from hl_*_fields()):
 *   replay  double x REPLAY_COUNT: the summary of the last replay
 *   cursor  double x CURSOR_COUNT: struct cursor_stats of a cursor
 *   sizes   double per request size (hl_trace_sizes)
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
#include "trace/trace_sites.h"
#include "trace/trace.h"
#include "trace/trace_cursor.h"
#include "trace/trace_history.h"
#include "trace/trace_sizes.h"
#include "wasm/wasm_io.h"
#include "wasm/wasm_table.h"

/* The summary r of a replay (struct replay_result), its time and the rows trace. */
#define REPLAY_FIELDS(X)                                                                               \
    X(ops, (double)r->ops) X(allocs, (double)r->allocs) X(frees, (double)r->frees)                     \
    X(reallocs, (double)r->reallocs) X(failed, (double)r->failed) X(skipped, (double)r->skipped)       \
    X(peakPayload, (double)r->peak_payload) X(heapBytes, r->heap_bytes) X(utilization, r->utilization) \
    X(error, r->error) X(errorOp, r->error_op) X(errorOff, r->error_off) X(elapsedMs, ms) X(rows, rows_handle)
/* A cursor's statistics s (struct cursor_stats). */
#define CURSOR_FIELDS(X)                                                                               \
    X(pos, (double)s.pos) X(ops, (double)s.ops) X(checkpoints, (double)s.checkpoints)                  \
    X(bytes, (double)s.bytes) X(spacing, (double)s.spacing) X(opsApplied, (double)s.ops_applied)       \
    X(restores, (double)s.restores)

enum { REPLAY_COUNT = 0 REPLAY_FIELDS(TABLE_COUNT), CURSOR_COUNT = 0 CURSOR_FIELDS(TABLE_COUNT) };

/* A cursor and the handles it borrows (checked on every call: JS may destroy them first). */
struct cursor_entry {
    struct trace_cursor *c;
    int trace, heap;
};

static struct handle_table traces, cursors;
static double replay_table[REPLAY_COUNT];
static double cursor_table[CURSOR_COUNT];
static double *sizes_table;

struct trace *wasm_trace(int t) { return handle_get(&traces, t); }

/* Returns a handle for a trace moved into the table (t is emptied), or HEAP_ENOMEM. */
int trace_keep(struct trace *t) {
    struct trace *p = malloc(sizeof *p);
    int h = p ? handle_add(&traces, p) : 0;
    if (!h) {
        free(p);
        trace_free(t);
        return HEAP_ENOMEM;
    }
    *p = *t;
    memset(t, 0, sizeof *t);
    t->max_id = -1;
    return h;
}

/* The field names of the replay and cursor tables, comma-separated. */
EMSCRIPTEN_KEEPALIVE const char *hl_replay_fields(void) { return REPLAY_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_cursor_fields(void) { return CURSOR_FIELDS(TABLE_NAME); }

/* Parses the input buffer (text_len bytes of trace, then name_len bytes of
 * its name) into a trace handle (> 0); or -1 with "name:line: message" in
 * the text slot; or HEAP_EINVAL / HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_trace_parse(double text_len, double name_len) {
    char name[128];
    size_t tl;
    const char *in = input_named_text(text_len, name_len, &tl, name, sizeof name);
    if (!in) return HEAP_EINVAL;
    struct trace t = {0};
    char err[TRACE_ERR_LEN];
    if (trace_parse(in, tl, name, &t, err, sizeof err) != 0) {
        trace_free(&t);
        return text_error(err);
    }
    return trace_keep(&t);
}

/* Generates scenario `scenario` with seed (hi << 32 | lo) and about nops ops
 * into a trace handle; returns it, or HEAP_EINVAL / HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_trace_generate(int scenario, double seed_lo, double seed_hi, double nops) {
    if (scenario < 0 || scenario >= SCEN_COUNT || !(nops >= 0 && nops <= UINT32_MAX && nops == floor(nops)) ||
        !(seed_lo >= 0 && seed_lo <= UINT32_MAX) || !(seed_hi >= 0 && seed_hi <= UINT32_MAX))
        return HEAP_EINVAL;
    uint64_t seed = ((uint64_t)seed_hi << 32) | (uint64_t)seed_lo;
    struct trace t = {0};
    if (trace_generate(scenario, seed, (uint32_t)nops, &t) != 0) {
        trace_free(&t);
        return HEAP_ENOMEM;
    }
    return trace_keep(&t);
}

/* Frees trace t (cursors over it then refuse to move); returns 0 or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_trace_destroy(int t) {
    struct trace *p = wasm_trace(t);
    if (!p) return HEAP_EINVAL;
    trace_free(p);
    free(p);
    handle_release(&traces, t);
    return 0;
}

/* Ops in trace t and its largest id, or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE double hl_trace_length(int t) {
    struct trace *p = wasm_trace(t);
    return p ? (double)p->n : HEAP_EINVAL;
}

EMSCRIPTEN_KEEPALIVE double hl_trace_max_id(int t) {
    struct trace *p = wasm_trace(t);
    return p ? (double)p->max_id : HEAP_EINVAL;
}

/* Returns a new trace handle holding a copy of the first k ops of trace t,
 * or HEAP_EINVAL / HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_trace_copy(int t, double k) {
    struct trace *p = wasm_trace(t);
    if (!p || !(k >= 0)) return HEAP_EINVAL;
    struct trace c;
    if (trace_copy(p, k < (double)p->n ? (size_t)k : p->n, &c)) return HEAP_ENOMEM;
    return trace_keep(&c);
}

/* Keeps the first k ops of trace t (fewer: all); returns 0 or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_trace_truncate(int t, double k) {
    struct trace *p = wasm_trace(t);
    if (!p || !(k >= 0)) return HEAP_EINVAL;
    trace_truncate(p, k < (double)p->n ? (size_t)k : p->n);
    return 0;
}

/* Appends one op to trace t: op 0 alloc, 1 free, 2 realloc (enum log_op's
 * numbers) of id (0 .. 2^31) and size bytes. The trace stays valid: an
 * alloc's id must not be live, a free's or realloc's must be. Returns 0,
 * HEAP_EINVAL (bad op, id or size, or not valid there) or HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_trace_push(int t, int op, double id, double size) {
    static const uint8_t kinds[] = {TRACE_ALLOC, TRACE_FREE, TRACE_REALLOC};
    struct trace *p = wasm_trace(t);
    if (!p || op < 0 || op > 2 || !(id >= 0 && id < 2147483648.0 && id == floor(id)) ||
        !(size >= 0 && size <= 9007199254740992.0 && size == floor(size)))
        return HEAP_EINVAL;
    if (trace_id_live(p, (int64_t)id) != (op != 0)) return HEAP_EINVAL;
    return trace_push(p, kinds[op], (int64_t)id, (uint64_t)size, 0) ? HEAP_ENOMEM : 0;
}

/* Puts trace t as text (0 rich, 2 rep) in the text slot; returns its length or -1. */
EMSCRIPTEN_KEEPALIVE int hl_trace_text(int t, int format) {
    struct trace *p = wasm_trace(t);
    if (!p || (format != TRACE_RICH && format != TRACE_REP)) return text_set(NULL, 0);
    size_t len = 0;
    char *s = trace_to_text(p, format, &len);
    return text_set(s, len);
}

/* Fills the sizes table with the request sizes of the first `limit` ops of
 * trace t (alloc, and realloc when with_realloc); returns the count or a
 * negative code. The table's address: hl_sizes_ptr(). */
EMSCRIPTEN_KEEPALIVE int hl_trace_sizes(int t, double limit, int with_realloc) {
    struct trace *p = wasm_trace(t);
    if (!p || !(limit >= 0)) return HEAP_EINVAL;
    struct trace prefix = *p;
    if (limit < (double)prefix.n) prefix.n = (size_t)limit;
    free(sizes_table);
    sizes_table = NULL;
    int m = trace_request_sizes(&prefix, with_realloc != 0, &sizes_table);
    return m < 0 ? HEAP_ENOMEM : m;
}

EMSCRIPTEN_KEEPALIVE double *hl_sizes_ptr(void) { return sizes_table; }

/* Replays the first `limit` ops (all when limit >= its length) of trace t on heap h, as `heaplab
 * replay` does (payload patterns verified when `verify`, the checker after
 * every op when `check_every`). With `rows`, also keeps the ops that made a
 * log row as a new trace, whose handle is the summary's `rows` field.
 * Returns 0 with the summary in the replay table, or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_replay_trace(int h, int t, double limit, int verify, int check_every, int rows) {
    struct heap *hp = wasm_heap(h);
    struct trace *p = wasm_trace(t);
    if (!hp || !p || !(limit >= 0)) return HEAP_EINVAL;
    struct trace prefix = *p; /* a view of the first `limit` ops */
    if (limit < (double)p->n) prefix.n = (size_t)limit;
    struct trace kept = {.max_id = -1};
    struct replay_options ro = {.verify = verify != 0, .check_every = check_every != 0, .rows = rows ? &kept : NULL};
    struct replay_result res;
    const struct replay_result *r = &res;
    double t0 = emscripten_get_now();
    replay_run(hp, &prefix, &ro, &res);
    double ms = emscripten_get_now() - t0;
    double rows_handle = 0;
    if (rows) {
        int k = trace_keep(&kept);
        rows_handle = k > 0 ? k : 0;
    }
    const double v[REPLAY_COUNT] = {REPLAY_FIELDS(TABLE_VALUE)};
    memcpy(replay_table, v, sizeof v);
    return 0;
}

EMSCRIPTEN_KEEPALIVE double *hl_replay_ptr(void) { return replay_table; }

static uint8_t *history_cells;
static uint32_t *history_steps;

/* The heap over time (trace_history.h): replays trace t into heap h (reset
 * first) and fills the history tables with up to `rows` rows of `cols` cells
 * over the addresses [0, span). Returns the rows written, or HEAP_EINVAL /
 * HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_history(int t, int h, int rows, int cols, double span) {
    struct trace *p = wasm_trace(t);
    struct heap *hp = wasm_heap(h);
    if (!p || !hp || rows <= 0 || rows > 4096 || cols <= 0 || cols > 4096 || !(span >= 1 && span <= UINT32_MAX))
        return HEAP_EINVAL;
    uint8_t *c = realloc(history_cells, (size_t)rows * (size_t)cols);
    if (!c) return HEAP_ENOMEM;
    history_cells = c;
    uint32_t *st = realloc(history_steps, (size_t)rows * sizeof *st);
    if (!st) return HEAP_ENOMEM;
    history_steps = st;
    heap_reset(hp);
    int n = trace_history(hp, p, (uint32_t)rows, (uint32_t)cols, (uint32_t)span, c, st);
    heap_reset(hp);
    return n < 0 ? HEAP_ENOMEM : n;
}

EMSCRIPTEN_KEEPALIVE uint8_t *hl_history_cells_ptr(void) { return history_cells; }
EMSCRIPTEN_KEEPALIVE uint32_t *hl_history_steps_ptr(void) { return history_steps; }

/* Generates a scenario as text (0 rich, 2 rep) in the text slot; returns its length or -1. */
EMSCRIPTEN_KEEPALIVE int hl_generate(int scenario, double seed_lo, double seed_hi, double nops, int format) {
    int t = hl_trace_generate(scenario, seed_lo, seed_hi, nops);
    if (t <= 0) return text_set(NULL, 0);
    int len = hl_trace_text(t, format);
    hl_trace_destroy(t);
    return len;
}

/* Returns a cursor (> 0) over trace t moving heap h (created without a log;
 * emptied now) with `budget` bytes for checkpoints, or HEAP_EINVAL / HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_cursor_create(int t, int h, double budget) {
    struct trace *p = wasm_trace(t);
    struct heap *hp = wasm_heap(h);
    if (!p || !hp || heap_log(hp) || !(budget >= 0)) return HEAP_EINVAL;
    struct cursor_entry *e = malloc(sizeof *e);
    if (!e) return HEAP_ENOMEM;
    *e = (struct cursor_entry){cursor_create(p, hp, budget < 4294967295.0 ? (size_t)budget : SIZE_MAX), t, h};
    int c = e->c ? handle_add(&cursors, e) : 0;
    if (!c) {
        cursor_destroy(e->c);
        free(e);
        return HEAP_ENOMEM;
    }
    return c;
}

/* Returns cursor c when it and what it borrows still exist, else NULL. */
static struct cursor_entry *cursor_of(int c) {
    struct cursor_entry *e = handle_get(&cursors, c);
    return e && wasm_trace(e->trace) && wasm_heap(e->heap) ? e : NULL;
}

/* Moves cursor c's heap to step k; returns 0 or a negative code. */
EMSCRIPTEN_KEEPALIVE int hl_cursor_seek(int c, double k) {
    struct cursor_entry *e = cursor_of(c);
    if (!e || !(k >= 0)) return HEAP_EINVAL;
    return cursor_seek(e->c, k < 4294967295.0 ? (size_t)k : SIZE_MAX);
}

/* Fills the cursor table; returns its address, or 0 for a bad cursor. */
EMSCRIPTEN_KEEPALIVE double *hl_cursor_stats(int c) {
    struct cursor_entry *e = cursor_of(c);
    if (!e) return NULL;
    struct cursor_stats s;
    cursor_get_stats(e->c, &s);
    const double v[CURSOR_COUNT] = {CURSOR_FIELDS(TABLE_VALUE)};
    memcpy(cursor_table, v, sizeof v);
    return cursor_table;
}

/* Frees cursor c (not its trace or heap); returns 0 or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_cursor_destroy(int c) {
    struct cursor_entry *e = handle_get(&cursors, c);
    if (!e) return HEAP_EINVAL;
    cursor_destroy(e->c);
    free(e);
    handle_release(&cursors, c);
    return 0;
}

/* A replay in slices, so the page's engine worker can report progress and
 * take a cancel between them: begin, then more(count) until it returns the
 * trace's length, then end (the summary in the replay table, as
 * hl_replay_trace leaves it) or abort. The steps are replay_run's (replay_op,
 * the rows kept, the heap's statistics at the end), without the checker.
 * One session at a time; the heap and trace are named again on every call
 * and checked, since JS may destroy them meanwhile. */
static struct {
    int active, h, t, rows;
    size_t i;
    struct replay_state s;
    struct replay_result res;
    struct trace kept;
    double ms;
} session;

/* Ends the session (if any) and frees what it holds. */
EMSCRIPTEN_KEEPALIVE void hl_replay_abort(void) {
    if (!session.active) return;
    replay_state_free(&session.s);
    trace_free(&session.kept);
    session.active = 0;
}

/* Starts replaying trace t on heap h (an earlier session is aborted); returns 0, HEAP_EINVAL or HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_replay_begin(int h, int t, int verify, int rows) {
    hl_replay_abort();
    struct trace *p = wasm_trace(t);
    if (!wasm_heap(h) || !p) return HEAP_EINVAL;
    memset(&session.res, 0, sizeof session.res);
    if (replay_state_init(&session.s, p, verify != 0)) return HEAP_ENOMEM;
    session.kept = (struct trace){.max_id = -1};
    session.h = h;
    session.t = t;
    session.rows = rows != 0;
    session.i = 0;
    session.ms = 0;
    session.active = 1;
    return 0;
}

/* Applies up to `count` more ops; returns how many are done (the trace's length when all
 * are), or HEAP_EINVAL when there is no session or its heap or trace is gone. events 0:
 * the slice's op records are logged without their events (log_set_events, measured in
 * event_log.h: the page's long runs, whose slices but the last are drained without
 * events); the log records events again after it. */
EMSCRIPTEN_KEEPALIVE double hl_replay_more(double count, int events) {
    struct heap *hp = session.active ? wasm_heap(session.h) : NULL;
    struct trace *p = session.active ? wasm_trace(session.t) : NULL;
    if (!hp || !p || !(count >= 0)) return HEAP_EINVAL;
    if (session.i > p->n) session.i = p->n; /* the trace was cut meanwhile */
    double t0 = emscripten_get_now();
    size_t end = count < (double)(p->n - session.i) ? session.i + (size_t)count : p->n;
    struct event_log *lg = heap_log(hp);
    if (lg && end - session.i <= UINT32_MAX / 8) { /* room for the slice's log at once (a hint: the log grows past it) */
        uint64_t ops = (uint64_t)log_op_count(lg) + (end - session.i);
        uint64_t evs = log_event_count(lg) + (events ? LOG_EVENTS_PER_OP_HINT * (end - session.i) : 0);
        if (ops <= UINT32_MAX && evs <= UINT32_MAX) log_reserve(lg, (uint32_t)ops, (uint32_t)evs);
    }
    if (lg) log_set_events(lg, events != 0);
    for (size_t i = session.i; i < end && !session.res.error; i++) {
        const struct trace_op *o = &p->ops[i];
        int rc = replay_op(&session.s, hp, o, i, &session.res);
        if (rc == 0 && session.rows && (trace_push(&session.kept, o->op, o->id, o->size, o->line) ||
                                         trace_site_copy_op(&session.kept, session.kept.n - 1, p, i))) {
            session.res.error = REPLAY_EHOST;
            session.res.error_op = (uint32_t)i;
        }
    }
    if (lg) log_set_events(lg, 1);
    session.i = session.res.error ? p->n : end;
    session.ms += emscripten_get_now() - t0;
    return (double)session.i;
}

/* Finishes the session: the summary goes to the replay table (rows: a new trace handle of
 * the ops that made a log row, when asked); returns 0, or HEAP_EINVAL without a session. */
EMSCRIPTEN_KEEPALIVE int hl_replay_end(void) {
    struct heap *hp = session.active ? wasm_heap(session.h) : NULL;
    if (!hp) {
        hl_replay_abort();
        return HEAP_EINVAL;
    }
    struct replay_result *r = &session.res;
    struct heap_stats st;
    heap_get_stats(hp, &st);
    r->peak_payload = st.peak_payload;
    r->heap_bytes = st.heap_size;
    r->utilization = st.utilization;
    double rows_handle = 0;
    if (session.rows) {
        int k = trace_keep(&session.kept);
        rows_handle = k > 0 ? k : 0;
    }
    double ms = session.ms;
    const double v[REPLAY_COUNT] = {REPLAY_FIELDS(TABLE_VALUE)};
    memcpy(replay_table, v, sizeof v);
    hl_replay_abort();
    return 0;
}

/* Scenario names for JS: how many, and name i (NULL past the end). */
EMSCRIPTEN_KEEPALIVE int hl_scenario_count(void) { return SCEN_COUNT; }
EMSCRIPTEN_KEEPALIVE const char *hl_scenario_name(int i) { return trace_scenario_name(i); }
/* What scenario i exists to show (NULL past the end). */
EMSCRIPTEN_KEEPALIVE const char *hl_scenario_about(int i) { return trace_scenario_about(i); }

#else
typedef int trace_wasm_api_native_build; /* ISO C wants a non-empty unit */
#endif
