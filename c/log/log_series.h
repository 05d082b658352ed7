/* log_series.h: the charts' series of a run, folded from its op records as
 * the log is read a slice at a time, so neither the page nor its worker ever
 * walks a long run's log to draw a chart.
 *
 * Five series, each a list of points (x = the step after the op, y):
 *   live        live payload bytes after the op
 *   heap        the break after the op
 *   frag        external fragmentation: 1 - largest free / free bytes (0 with none free)
 *   freeBlocks  free blocks after the op
 *   scanned     blocks the op's search examined (no point for a free)
 * Steps are cut into buckets of `bucket` steps, enough for at most
 * max_points points a series (two a bucket); a bucket keeps its lowest and
 * its highest point (the first of equal ones), in step order, one point
 * when they are the same step, so every spike still shows and a 3,300,000-
 * op trace gives a few thousand points. With one step a bucket every point
 * is kept. Also kept: the largest break and id, and where fragmentation
 * starts (the first step after which two or more blocks are free).
 *
 * This replaced the page worker's JS fold of the same points over the
 * drained columns (40-130 ns per op on the real traces in node, against a
 * few for this loop in wasm), and the log's drain of the seven columns it
 * alone read.
 */
#ifndef HEAPLAB_LOG_SERIES_H
#define HEAPLAB_LOG_SERIES_H

#include <stdint.h>

#include "log/event_log.h"

/* The series, in the order of their names (log_series_name). */
enum log_series_id { SERIES_LIVE, SERIES_HEAP, SERIES_FRAG, SERIES_FREE_BLOCKS, SERIES_SCANNED, SERIES_COUNT };

struct series_point {
    double x, y;
};

struct log_series;

/* A fold for a run of n ops drawn with at most max_points points a series
 * (at least 2); NULL when out of host memory or max_points < 2. */
struct log_series *log_series_create(uint64_t n, uint32_t max_points);
void log_series_destroy(struct log_series *s);
/* Folds every op record `log` holds, as the steps after those folded
 * before. Returns 0, or -1 when out of host memory (the series is then
 * incomplete: log_series_error). */
int log_series_fold(struct log_series *s, const struct event_log *log);
/* Closes the open buckets (the run ended); folding more starts new ones. */
void log_series_end(struct log_series *s);

const char *log_series_name(uint32_t id); /* "live", ... (NULL past SERIES_COUNT) */
uint32_t log_series_bucket(const struct log_series *s);
uint32_t log_series_count(const struct log_series *s, uint32_t id);
const struct series_point *log_series_points(const struct log_series *s, uint32_t id);
uint64_t log_series_frag_start(const struct log_series *s); /* 0: not yet */
int64_t log_series_max_heap(const struct log_series *s);    /* -1: no op yet */
int64_t log_series_max_id(const struct log_series *s);      /* -1: none */
int log_series_error(const struct log_series *s);

#endif
