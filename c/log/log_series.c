/* log_series.c: the charts' series folded from op records (log_series.h).
 * One pass over the records a fold is given, a bucket at a time; points
 * are appended only when a bucket closes. */
#include <stdlib.h>

#include "log/log_series.h"

struct series {
    struct series_point *pts;
    uint32_t n, cap;
};

/* A series' open bucket: its lowest and highest points (the first of equal
 * ones). Integer series compare their values as integers (y), the fraction
 * series as doubles (f); either is made a point only when the bucket closes. */
struct acc {
    uint64_t lo_x, hi_x;
    uint64_t lo_y, hi_y;
    double lo_f, hi_f;
    int open;
};

struct log_series {
    uint32_t bucket;
    uint64_t steps;
    struct series s[SERIES_COUNT];
    struct acc a[SERIES_COUNT]; /* the open buckets between folds */
    uint64_t frag_start;
    int64_t max_heap, max_id;
    int error;
};

static const char *const NAMES[SERIES_COUNT] = {"live", "heap", "frag", "freeBlocks", "scanned"};

const char *log_series_name(uint32_t id) { return id < SERIES_COUNT ? NAMES[id] : NULL; }

struct log_series *log_series_create(uint64_t n, uint32_t max_points) {
    if (max_points < 2) return NULL;
    struct log_series *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    uint64_t per = max_points / 2 < 2 ? 2 : max_points / 2; /* buckets a series */
    uint64_t bucket = (n + per - 1) / per;
    s->bucket = bucket < 1 ? 1 : bucket > UINT32_MAX ? UINT32_MAX : (uint32_t)bucket;
    s->max_heap = s->max_id = -1;
    /* room for every point the run makes (two a bucket, one more bucket for a
     * run longer than its n), so no fold reallocates */
    uint64_t cap = 2 * ((n + s->bucket - 1) / s->bucket + 1);
    for (int i = 0; i < SERIES_COUNT && cap <= UINT32_MAX / 2; i++) {
        s->s[i].pts = malloc((size_t)cap * sizeof *s->s[i].pts);
        if (s->s[i].pts) s->s[i].cap = (uint32_t)cap;
    }
    return s;
}

void log_series_destroy(struct log_series *s) {
    if (!s) return;
    for (int i = 0; i < SERIES_COUNT; i++) free(s->s[i].pts);
    free(s);
}

/* Appends point p to series t; returns 0 or -1 (out of host memory). */
static int push_grow(struct series *t, struct series_point p) {
    uint32_t cap = t->cap ? t->cap * 2 : 256;
    struct series_point *q = realloc(t->pts, (size_t)cap * sizeof *q);
    if (!q) return -1;
    t->pts = q;
    t->cap = cap;
    t->pts[t->n++] = p;
    return 0;
}
static inline int push(struct series *t, double x, double y) {
    if (t->n == t->cap) return push_grow(t, (struct series_point){x, y});
    t->pts[t->n++] = (struct series_point){x, y};
    return 0;
}

/* Closes a's open bucket into t: its lowest and highest points, in step
 * order, one when they are the same step; f: a fraction series. */
static inline int close_acc(struct series *t, struct acc *a, int f) {
    if (!a->open) return 0;
    a->open = 0;
    double lo = f ? a->lo_f : (double)a->lo_y, hi = f ? a->hi_f : (double)a->hi_y;
    if (a->lo_x == a->hi_x) return push(t, (double)a->lo_x, lo);
    if (a->lo_x < a->hi_x) return push(t, (double)a->lo_x, lo) | push(t, (double)a->hi_x, hi);
    return push(t, (double)a->hi_x, hi) | push(t, (double)a->lo_x, lo);
}

/* Folds point (x, y) into the open bucket a (integer, fraction). */
static inline void widen(struct acc *a, uint64_t x, uint64_t y) {
    if (y < a->lo_y) {
        a->lo_x = x;
        a->lo_y = y;
    } else if (y > a->hi_y) {
        a->hi_x = x;
        a->hi_y = y;
    }
}
static inline void widen_f(struct acc *a, uint64_t x, double y) {
    if (y < a->lo_f) {
        a->lo_x = x;
        a->lo_f = y;
    } else if (y > a->hi_f) {
        a->hi_x = x;
        a->hi_f = y;
    }
}

/* Opens a's bucket with point (x, y). */
static inline void open_at(struct acc *a, uint64_t x, uint64_t y) { *a = (struct acc){x, x, y, y, 0, 0, 1}; }
static inline void open_at_f(struct acc *a, uint64_t x, double y) { *a = (struct acc){x, x, 0, 0, y, y, 1}; }

/* A record's fragmentation: 1 - largest free / free bytes (0 with none free). */
#define FRAG(r) ((r)->free_bytes > 0 ? 1 - (r)->largest_free / (double)(r)->free_bytes : 0)

/* The records are walked a bucket at a time (the buckets are the same
 * steps for every series: a series' bucket is the one its first point
 * falls in), the open buckets in locals for the whole fold (so the compiler
 * keeps them in registers) and closed at each bucket's last step; a fold
 * that ends inside a bucket leaves them open in s. Measured (ns per record
 * in wasm, node, one 50,000-op slice folded 40 times, the fastest; gcc /
 * git_log / python_json / sqlite3): the buckets' state loaded from and
 * stored to s as doubles at each bucket, every value compared as a double,
 * the points grown by doubling: 6.79 10.38 8.29 10.53; the state in locals
 * across buckets, integer series compared as integers, every point
 * reserved at creation: 6.00 9.11 7.39 9.09 (callgrind, git_log natively:
 * 76 -> 64 instructions per op). (Before that, callgrind, instructions
 * per op, python_json: each point folded into the series' struct, its
 * bucket's end tested for each, 100; a bucket at a time in locals 83; the
 * series with a point every step opened once a bucket, 71.) */
int log_series_fold(struct log_series *s, const struct event_log *log) {
    uint32_t n = log_op_count(log), bucket = s->bucket;
    const struct log_op_record *r = n ? log_op_at(log, 0) : NULL;
    uint64_t x = s->steps; /* the step of the record before r */
    int rc = 0;
    struct acc live = s->a[SERIES_LIVE], heap = s->a[SERIES_HEAP], frag = s->a[SERIES_FRAG];
    struct acc fb = s->a[SERIES_FREE_BLOCKS], sc = s->a[SERIES_SCANNED];
    int64_t max_heap = s->max_heap, max_id = s->max_id;
    uint64_t frag_start = s->frag_start;
    for (uint32_t i = 0; i < n;) {
        uint64_t end = (x / bucket + 1) * bucket; /* the last step of the bucket of step x + 1 */
        uint32_t m = end - x < n - i ? (uint32_t)(end - x) : n - i;
        if (!live.open) { /* a new bucket: its first record opens the series with a point every step */
            open_at(&live, x + 1, r->live_bytes);
            open_at(&heap, x + 1, r->heap_size);
            open_at_f(&frag, x + 1, FRAG(r));
            open_at(&fb, x + 1, r->free_blocks);
        }
        for (uint32_t k = 0; k < m; k++, r++) {
            x++;
            widen(&live, x, r->live_bytes);
            widen(&heap, x, r->heap_size);
            widen_f(&frag, x, FRAG(r));
            widen(&fb, x, r->free_blocks);
            if (r->op != LOG_OP_FREE) {
                if (sc.open) widen(&sc, x, r->scanned);
                else open_at(&sc, x, r->scanned);
            }
            if (!frag_start && r->free_blocks >= 2) frag_start = x;
            if ((int64_t)r->heap_size > max_heap) max_heap = r->heap_size;
            if (r->id > max_id) max_id = r->id;
        }
        i += m;
        if (x == end) {
            rc |= close_acc(&s->s[SERIES_LIVE], &live, 0) | close_acc(&s->s[SERIES_HEAP], &heap, 0);
            rc |= close_acc(&s->s[SERIES_FRAG], &frag, 1) | close_acc(&s->s[SERIES_FREE_BLOCKS], &fb, 0);
            rc |= close_acc(&s->s[SERIES_SCANNED], &sc, 0);
        }
    }
    s->a[SERIES_LIVE] = live;
    s->a[SERIES_HEAP] = heap;
    s->a[SERIES_FRAG] = frag;
    s->a[SERIES_FREE_BLOCKS] = fb;
    s->a[SERIES_SCANNED] = sc;
    s->max_heap = max_heap;
    s->frag_start = frag_start;
    s->max_id = max_id;
    s->steps = x;
    if (rc) s->error = 1;
    return rc ? -1 : 0;
}

void log_series_end(struct log_series *s) {
    for (int i = 0; i < SERIES_COUNT; i++)
        if (close_acc(&s->s[i], &s->a[i], i == SERIES_FRAG)) s->error = 1;
}

uint32_t log_series_bucket(const struct log_series *s) { return s->bucket; }
uint32_t log_series_count(const struct log_series *s, uint32_t id) { return id < SERIES_COUNT ? s->s[id].n : 0; }
const struct series_point *log_series_points(const struct log_series *s, uint32_t id) {
    return id < SERIES_COUNT ? s->s[id].pts : NULL;
}
uint64_t log_series_frag_start(const struct log_series *s) { return s->frag_start; }
int64_t log_series_max_heap(const struct log_series *s) { return s->max_heap; }
int64_t log_series_max_id(const struct log_series *s) { return s->max_id; }
int log_series_error(const struct log_series *s) { return s->error; }
