/* log_series.c: the charts' series folded from op records (log_series.h).
 * One pass over the records a fold is given, each series' open bucket kept
 * in a small struct; points are appended only when a bucket closes. */
#include <stdlib.h>

#include "log/log_series.h"

struct series {
    struct series_point *pts;
    uint32_t n, cap;
    int open;
    struct series_point lo, hi;
    uint64_t end; /* the open bucket's last step */
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

/* Folds point (x, y) into t's buckets of `bucket` steps. */
static inline int fold(struct series *t, uint32_t bucket, uint64_t x, double y) {
    int rc = 0;
    if (t->open && x > t->end) rc = close_bucket(t);
    if (!t->open) {
        t->open = 1;
        t->lo = t->hi = (struct series_point){(double)x, y};
        t->end = ((x - 1) / bucket + 1) * bucket;
    } else if (y < t->lo.y) {
        t->lo = (struct series_point){(double)x, y};
    } else if (y > t->hi.y) {
        t->hi = (struct series_point){(double)x, y};
    }
    return rc;
}

int log_series_fold(struct log_series *s, const struct event_log *log) {
    uint32_t n = log_op_count(log), bucket = s->bucket;
    int rc = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct log_op_record *r = log_op_at(log, i);
        uint64_t x = s->steps + i + 1;
        double fb = (double)r->free_bytes;
        rc |= fold(&s->s[SERIES_LIVE], bucket, x, (double)r->live_bytes);
        rc |= fold(&s->s[SERIES_HEAP], bucket, x, r->heap_size);
        rc |= fold(&s->s[SERIES_FRAG], bucket, x, r->free_bytes > 0 ? 1 - r->largest_free / fb : 0);
        rc |= fold(&s->s[SERIES_FREE_BLOCKS], bucket, x, r->free_blocks);
        if (r->op != LOG_OP_FREE) rc |= fold(&s->s[SERIES_SCANNED], bucket, x, r->scanned);
        if (!s->frag_start && r->free_blocks >= 2) s->frag_start = x;
        if ((int64_t)r->heap_size > s->max_heap) s->max_heap = r->heap_size;
        if (r->id > s->max_id) s->max_id = r->id;
    }
    s->steps += n;
    if (rc) s->error = 1;
    return rc ? -1 : 0;
}

void log_series_end(struct log_series *s) {
    for (int i = 0; i < SERIES_COUNT; i++)
        if (close_bucket(&s->s[i])) s->error = 1;
}

uint32_t log_series_bucket(const struct log_series *s) { return s->bucket; }
uint64_t log_series_steps(const struct log_series *s) { return s->steps; }
uint32_t log_series_count(const struct log_series *s, uint32_t id) { return id < SERIES_COUNT ? s->s[id].n : 0; }
const struct series_point *log_series_points(const struct log_series *s, uint32_t id) {
    return id < SERIES_COUNT ? s->s[id].pts : NULL;
}
uint64_t log_series_frag_start(const struct log_series *s) { return s->frag_start; }
int64_t log_series_max_heap(const struct log_series *s) { return s->max_heap; }
int64_t log_series_max_id(const struct log_series *s) { return s->max_id; }
int log_series_error(const struct log_series *s) { return s->error; }
