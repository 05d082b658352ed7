/* series_wasm_api.c: the charts' series of a run (log/log_series.h) as the
 * wasm module exports them. The page's engine makes one per replay, folds
 * each slice's log into it before the drain, and reads its points at the
 * end as (x, y) pairs of doubles: a few thousand a series whatever the
 * run's length. Handles as everywhere (wasm_io.h: never reused).
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include "heap/allocator.h"
#include "log/log_series.h"
#include "wasm/wasm_io.h"

static struct handle_table series_table;

static struct log_series *series_of(int s) { return handle_get(&series_table, s); }

/* Series id's name ("live", ...; NULL past the last). */
EMSCRIPTEN_KEEPALIVE const char *hl_series_name(int id) { return id >= 0 ? log_series_name((uint32_t)id) : NULL; }

/* A new series for a run of n ops, at most max_points points a series; its handle, or HEAP_EINVAL / HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_series_create(double n, int max_points) {
    if (!(n >= 0 && n <= (double)UINT32_MAX * 4) || max_points < 2) return HEAP_EINVAL;
    struct log_series *s = log_series_create((uint64_t)n, (uint32_t)max_points);
    if (!s) return HEAP_ENOMEM;
    int h = handle_add(&series_table, s);
    if (!h) log_series_destroy(s);
    return h ? h : HEAP_ENOMEM;
}

EMSCRIPTEN_KEEPALIVE void hl_series_destroy(int s) {
    struct log_series *p = series_of(s);
    if (!p) return;
    handle_release(&series_table, s);
    log_series_destroy(p);
}

/* Folds every op record heap h's log holds into series s (call it before
 * the log is drained or cleared). Returns 0, HEAP_EINVAL (bad handles, no
 * log) or HEAP_ENOMEM. */
EMSCRIPTEN_KEEPALIVE int hl_series_fold(int s, int h) {
    struct log_series *p = series_of(s);
    struct heap *hp = wasm_heap(h);
    struct event_log *lg = hp ? heap_log(hp) : NULL;
    if (!p || !lg) return HEAP_EINVAL;
    return log_series_fold(p, lg) ? HEAP_ENOMEM : 0;
}

/* Closes the open buckets; returns 0, HEAP_EINVAL or HEAP_ENOMEM (the series is incomplete). */
EMSCRIPTEN_KEEPALIVE int hl_series_end(int s) {
    struct log_series *p = series_of(s);
    if (!p) return HEAP_EINVAL;
    log_series_end(p);
    return log_series_error(p) ? HEAP_ENOMEM : 0;
}

/* Series id's points: their count, and where they lie as (x, y) double pairs (-1 / NULL for a bad handle or id). */
EMSCRIPTEN_KEEPALIVE int hl_series_count(int s, int id) {
    struct log_series *p = series_of(s);
    return p && id >= 0 && id < SERIES_COUNT ? (int)log_series_count(p, (uint32_t)id) : -1;
}
EMSCRIPTEN_KEEPALIVE const struct series_point *hl_series_points(int s, int id) {
    struct log_series *p = series_of(s);
    return p && id >= 0 && id < SERIES_COUNT ? log_series_points(p, (uint32_t)id) : NULL;
}

/* Steps a bucket, where fragmentation starts (0: not yet), the largest break and id (-1: none). */
EMSCRIPTEN_KEEPALIVE double hl_series_bucket(int s) { return series_of(s) ? log_series_bucket(series_of(s)) : -1; }
EMSCRIPTEN_KEEPALIVE double hl_series_frag_start(int s) { return series_of(s) ? (double)log_series_frag_start(series_of(s)) : -1; }
EMSCRIPTEN_KEEPALIVE double hl_series_max_heap(int s) { return series_of(s) ? (double)log_series_max_heap(series_of(s)) : -1; }
EMSCRIPTEN_KEEPALIVE double hl_series_max_id(int s) { return series_of(s) ? (double)log_series_max_id(series_of(s)) : -1; }
#endif
