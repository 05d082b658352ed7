/* log_series.c: the charts' series folded from op records (log_series.h).
 * One pass over the records a fold is given, a bucket at a time; points
 * are appended only when a bucket closes. */
#include <stdlib.h>

#include "log/log_series.h"

struct series {
    struct series_point *pts;
    uint32_t n, cap;
    int open;
    struct series_point lo, hi; /* the open bucket's lowest and highest points */
};

struct log_series {
    uint32_t bucket;
    uint64_t steps;
    struct series s[SERIES_COUNT];
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
    return s;
}

void log_series_destroy(struct log_series *s) {
    if (!s) return;
    for (int i = 0; i < SERIES_COUNT; i++) free(s->s[i].pts);
    free(s);
}

/* Appends point p to series t; returns 0 or -1 (out of host memory). */
static int push(struct series *t, struct series_point p) {
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 256;
        struct series_point *q = realloc(t->pts, (size_t)cap * sizeof *q);
        if (!q) return -1;
        t->pts = q;
        t->cap = cap;
    }
    t->pts[t->n++] = p;
    return 0;
}

/* Closes t's open bucket: its lowest and highest points, in step order. */
static int close_bucket(struct series *t) {
    if (!t->open) return 0;
    t->open = 0;
    if (t->lo.x == t->hi.x) return push(t, t->lo);
    struct series_point a = t->lo.x < t->hi.x ? t->lo : t->hi, b = t->lo.x < t->hi.x ? t->hi : t->lo;
    return push(t, a) | push(t, b);
}

/* A series' open bucket while a fold walks it: in locals, so the compiler
 * keeps it in registers (callgrind, instructions per op of the fold,
 * python_json: each point folded into the series' struct, its bucket's end
 * tested for each, 100; a bucket at a time in locals 83; the series with a
 * point every step opened once a bucket, not tested at each point, 71). */
struct acc {
    uint64_t lo_x, hi_x;
    double lo_y, hi_y;
    int open;
};

/* Folds point (x, y) into the open bucket a. */
static inline void widen(struct acc *a, uint64_t x, double y) {
    if (y < a->lo_y) {
        a->lo_x = x;
        a->lo_y = y;
    } else if (y > a->hi_y) {
        a->hi_x = x;
        a->hi_y = y;
    }
}

/* Folds point (x, y) into a's bucket, opening it with the point when none is open. */
static inline void take(struct acc *a, uint64_t x, double y) {
    if (a->open) {
        widen(a, x, y);
        return;
    }
    *a = (struct acc){x, x, y, y, 1};
}

static inline struct acc acc_of(const struct series *t) {
    return (struct acc){(uint64_t)t->lo.x, (uint64_t)t->hi.x, t->lo.y, t->hi.y, t->open};
}

static inline void acc_keep(struct series *t, const struct acc *a) {
    t->open = a->open;
    t->lo = (struct series_point){(double)a->lo_x, a->lo_y};
    t->hi = (struct series_point){(double)a->hi_x, a->hi_y};
}

/* A record's fragmentation: 1 - largest free / free bytes (0 with none free). */
#define FRAG(r) ((r)->free_bytes > 0 ? 1 - (r)->largest_free / (double)(r)->free_bytes : 0)

/* The records are walked a bucket at a time (the buckets are the same
 * steps for every series: a series' bucket is the one its first point
 * falls in), each series' open bucket folded in locals and closed at the
 * bucket's last step; a fold that ends inside a bucket leaves it open. */
int log_series_fold(struct log_series *s, const struct event_log *log) {
    uint32_t n = log_op_count(log), bucket = s->bucket;
    const struct log_op_record *r = n ? log_op_at(log, 0) : NULL;
    uint64_t x = s->steps; /* the step of the record before r */
    int rc = 0;
    for (uint32_t i = 0; i < n;) {
        uint64_t end = (x / bucket + 1) * bucket; /* the last step of the bucket of step x + 1 */
        uint32_t m = end - x < n - i ? (uint32_t)(end - x) : n - i;
        struct acc live = acc_of(&s->s[SERIES_LIVE]), heap = acc_of(&s->s[SERIES_HEAP]), frag = acc_of(&s->s[SERIES_FRAG]);
        struct acc fb = acc_of(&s->s[SERIES_FREE_BLOCKS]), sc = acc_of(&s->s[SERIES_SCANNED]);
        int64_t max_heap = s->max_heap, max_id = s->max_id;
        uint64_t frag_start = s->frag_start;
        if (!live.open) { /* a new bucket: its first record opens the series with a point every step */
            take(&live, x + 1, (double)r->live_bytes);
            take(&heap, x + 1, r->heap_size);
            take(&frag, x + 1, FRAG(r));
            take(&fb, x + 1, r->free_blocks);
        }
        for (uint32_t k = 0; k < m; k++, r++) {
            x++;
            widen(&live, x, (double)r->live_bytes);
            widen(&heap, x, r->heap_size);
            widen(&frag, x, FRAG(r));
            widen(&fb, x, r->free_blocks);
            if (r->op != LOG_OP_FREE) take(&sc, x, r->scanned);
            if (!frag_start && r->free_blocks >= 2) frag_start = x;
            if ((int64_t)r->heap_size > max_heap) max_heap = r->heap_size;
            if (r->id > max_id) max_id = r->id;
        }
        i += m;
        s->max_heap = max_heap;
        s->frag_start = frag_start;
        s->max_id = max_id;
        acc_keep(&s->s[SERIES_LIVE], &live);
        acc_keep(&s->s[SERIES_HEAP], &heap);
        acc_keep(&s->s[SERIES_FRAG], &frag);
        acc_keep(&s->s[SERIES_FREE_BLOCKS], &fb);
        acc_keep(&s->s[SERIES_SCANNED], &sc);
        if (x == end)
            for (int k = 0; k < SERIES_COUNT; k++) rc |= close_bucket(&s->s[k]);
    }
    s->steps = x;
    if (rc) s->error = 1;
    return rc ? -1 : 0;
}

void log_series_end(struct log_series *s) {
    for (int i = 0; i < SERIES_COUNT; i++)
        if (close_bucket(&s->s[i])) s->error = 1;
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
