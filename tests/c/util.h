/* util.h: helpers shared by the native test programs (header-only, one
 * translation unit per program).
 *
 * They look at a heap only through the public API: heap_walk for the block
 * layout, heap_free_head + next_free for the free list, heap_log for the
 * events of the last operation, heap_get_stats for the counters. Nothing
 * here decodes header bits, so a test that uses them checks the engine
 * rather than restating it.
 */
#ifndef HEAPLAB_TESTS_UTIL_H
#define HEAPLAB_TESTS_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "heap/allocator.h"
#include "log/event_log.h"

#define UTIL_MAX_BLOCKS 4096

struct blocks {
    struct heap_block_info b[UTIL_MAX_BLOCKS];
    uint32_t n;
};

/* Walker callback: appends the block (stops when the table is full). */
static inline int util_collect(const struct heap_block_info *b, void *ctx)
{
    struct blocks *bl = ctx;
    if (bl->n >= UTIL_MAX_BLOCKS) return 1;
    bl->b[bl->n++] = *b;
    return 0;
}

/* Fills bl with every block in address order; returns the walker's count. */
static inline uint32_t walk_all(const struct heap *h, struct blocks *bl)
{
    bl->n = 0;
    return heap_walk(h, util_collect, bl);
}

/* The block whose header is at block_off, or NULL. */
static inline const struct heap_block_info *block_at(const struct blocks *bl, uint32_t block_off)
{
    for (uint32_t i = 0; i < bl->n; i++)
        if (bl->b[i].offset == block_off) return &bl->b[i];
    return NULL;
}

/* The block whose payload is at payload_off, or NULL. */
static inline const struct heap_block_info *block_of_payload(const struct blocks *bl, uint32_t payload_off)
{
    for (uint32_t i = 0; i < bl->n; i++)
        if (bl->b[i].payload_off == payload_off) return &bl->b[i];
    return NULL;
}

/* Follows the free list from its head; returns its length (at most max,
 * -1 when an entry is not a block of the walk). out gets block offsets. */
static inline int free_list(const struct heap *h, uint32_t *out, int max)
{
    static struct blocks bl;
    walk_all(h, &bl);
    int n = 0;
    for (uint32_t off = heap_free_head(h); off != 0 && n < max; n++) {
        const struct heap_block_info *b = block_at(&bl, off);
        if (!b) return -1;
        out[n] = off;
        off = b->next_free;
    }
    return n;
}

/* 1 when the heap passes its checker (prints the code and offset otherwise). */
static inline int heap_ok(const struct heap *h)
{
    uint32_t bad = 0;
    int rc = heap_check(h, &bad);
    if (rc != 0) fprintf(stderr, "  heap_check: %s at %u\n", heap_strerror(rc), bad);
    return rc == 0;
}

/* Options from the defaults with the given policy/order/coalescing. */
static inline struct heap_options make_opts(int policy, int order, int coalesce)
{
    struct heap_options o = heap_default_options();
    o.policy = policy;
    o.order = order;
    o.coalesce = coalesce;
    o.log = 1;
    return o;
}

/* A heap with those options (log on) in an arena of arena_size bytes. */
static inline struct heap *make_heap(int policy, int order, int coalesce, uint32_t arena_size)
{
    struct heap_options o = make_opts(policy, order, coalesce);
    o.arena_size = arena_size;
    return heap_create(&o);
}

/* Allocates n blocks of `size` bytes into out (payload offsets or codes). */
static inline void alloc_n(struct heap *h, int n, uint64_t size, int64_t *out)
{
    for (int i = 0; i < n; i++) out[i] = heap_malloc(h, size);
}

/* Index of the last op record of h's log, or -1 when the log is empty. */
static inline int64_t last_op(struct heap *h)
{
    struct event_log *log = heap_log(h);
    uint32_t n = log ? log_op_count(log) : 0;
    return n ? (int64_t)n - 1 : -1;
}

/* Number of events of the last op with this kind (and detail when
 * detail >= 0); *out (if not NULL) receives the first such event. */
static inline int last_op_events(struct heap *h, int kind, int detail, struct log_event *out)
{
    struct event_log *log = heap_log(h);
    int64_t op = last_op(h);
    if (op < 0) return 0;
    int count = 0;
    uint32_t first = log_op_at(log, (uint32_t)op)->first_event;
    for (uint32_t i = first; i < log_event_count(log); i++) {
        const struct log_event *e = log_event_at(log, i);
        if (log_event_op(log, i) != (uint32_t)op) continue;
        if (e->kind != kind || (detail >= 0 && e->detail != detail)) continue;
        if (count++ == 0 && out) *out = *e;
    }
    return count;
}

/* 1 when two stats snapshots agree on everything a failed call must not
 * change (the heap layout and payload accounting). */
static inline int stats_same_layout(const struct heap_stats *a, const struct heap_stats *b)
{
    return a->live_payload == b->live_payload && a->peak_payload == b->peak_payload &&
           a->heap_size == b->heap_size && a->heap_peak == b->heap_peak &&
           a->arena_size == b->arena_size && a->internal_frag == b->internal_frag &&
           a->free_blocks == b->free_blocks && a->alloc_blocks == b->alloc_blocks &&
           a->free_bytes == b->free_bytes && a->largest_free == b->largest_free &&
           a->utilization == b->utilization && a->external_frag == b->external_frag;
}

/* 1 when every byte of the n bytes at p equals v. */
static inline int bytes_all(const void *p, size_t n, uint8_t v)
{
    const uint8_t *q = p;
    for (size_t i = 0; i < n; i++)
        if (q[i] != v) return 0;
    return 1;
}

/* Fills n bytes at p with a pattern that depends on seed. */
static inline void pattern_fill(void *p, size_t n, uint32_t seed)
{
    uint8_t *q = p;
    for (size_t i = 0; i < n; i++) q[i] = (uint8_t)(seed * 131u + i * 7u + (i >> 8));
}

/* 1 when the n bytes at p still hold pattern_fill(.., seed). */
static inline int pattern_ok(const void *p, size_t n, uint32_t seed)
{
    const uint8_t *q = p;
    for (size_t i = 0; i < n; i++)
        if (q[i] != (uint8_t)(seed * 131u + i * 7u + (i >> 8))) return 0;
    return 1;
}

#endif
