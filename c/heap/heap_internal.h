/* heap_internal.h: the heap handle's layout and the internal functions,
 * grouped by the file that defines them. Only the engine's own .c files
 * include this; everyone else uses allocator.h.
 */
#ifndef HEAPLAB_HEAP_INTERNAL_H
#define HEAPLAB_HEAP_INTERNAL_H

#include "heap/allocator.h"
#include "heap/block.h"
#include "heap/heap_debug.h"
#include "heapinfo/heapinfo.h"
#include "log/event_log.h"

struct heap {
    struct heap_options opt;
    uint8_t *mem;        /* arena backing; may move when it grows (unless opt.reserve) */
    uint32_t mem_cap;    /* bytes backed */
    uint32_t bits_cap;   /* arena bytes live_bits covers (>= brk; grown apart from mem_cap: heap.c) */
    uint32_t brk;        /* the break: end of the epilogue header */
    uint32_t brk_peak;
    uint32_t first;      /* block offset of the first block (align - 4) */
    uint32_t head[HEAP_CLASS_COUNT], tail[HEAP_CLASS_COUNT]; /* free-list ends per class (one list, class 0, unless fast) */
    uint64_t class_map[2];  /* fast policy: bit c set when class c's list is not empty */
    uint32_t tail_sink;     /* where a list that keeps no tail stores it (freelist.h list_link): never read */
    uint32_t rover;      /* next fit: where the next search starts (0 = head) */
    /* with a log only: the free lists' count and bytes, changed only by
     * list_insert, list_remove, list_replace and list_resize (freelist.c);
     * without a log listed_totals walks the lists. The allocated blocks'
     * count and bytes are derived from them (heap_stats.c). heap_check
     * verifies both. */
    uint64_t free_bytes;
    uint32_t free_count;
    /* the listed blocks' sizes, with a log only (heapinfo/size_index.c), kept by the
     * same four functions: the log's largest free block per op in O(log n);
     * without a log the statistics walk the lists when asked */
    struct size_index *sizes;
    uint64_t live_payload, peak_payload; /* requested bytes of live payloads (each op body) */
    uint64_t requests, scanned_total, failures;
    int64_t next_id;
    uint64_t *live_bits; /* bit p/8 set when p is a live payload (live_bits.c); covers [0, bits_cap) */
    size_t bits_room;    /* words allocated for live_bits (>= those covering bits_cap) */
    int info;            /* 1: the live table keeps each payload's requested size and id (log or payload_info) */
    int spec;            /* what the public calls' bodies may assume (SPEC_*, freelist.h): spec_refresh */
    uint32_t usual_max;  /* opt.arena_size / 2: the largest usual request (request_usual, heap_ops.h) */
    uint32_t quick_max;  /* usual_max when the quick bodies apply (IS_QUICK), else 0 (request_quick); both: spec_refresh */
    struct live_table live; /* empty (cap 0) unless info */
    struct event_log *log;
#if HEAP_DEBUG >= 2
    uint64_t dbg_calls;                 /* mutating public calls so far */
    struct heap_debug_report dbg_first; /* the first failed check (code 0: none yet) */
    int dbg_trap;                       /* 1: abort at the first failure (the default) */
#endif
};

/* freelist.c */
void list_clear(struct heap *h);
/* list_insert, list_remove, list_replace, list_resize, list_class,
 * list_first_nonempty: inline, in freelist.h (included at the end) */
uint32_t largest_free_walk(const struct heap *h);
uint32_t largest_free(const struct heap *h);
void listed_totals(const struct heap *h, uint32_t *count, uint64_t *bytes);

/* heap_stats.c */
uint64_t alloc_block_bytes(const struct heap *h);

/* check.c: debug_ensures (level 2) is declared in heap_debug.h */

/* fit.c */
uint32_t fit_find(struct heap *h, uint32_t need, uint32_t *scanned);

/* freelist.c: the index could not grow (host memory): drop it, walk instead */
void size_index_lost(struct heap *h);

/* live_bits.c: the bitmap of live payload starts, outside the arena */
int live_bits_fit(struct heap *h, uint32_t old_cap, uint32_t new_cap, uint32_t room);
uint32_t live_bits_count(const struct heap *h);

/* Returns 1 when off is the payload of an allocated block: one bit test, no arena byte read. */
static inline int live_bit(const struct heap *h, uint64_t off) {
    return off < h->brk && (off & 7) == 0 && ((h->live_bits[off >> 9] >> ((off >> 3) & 63)) & 1);
}
static inline void live_bit_set(struct heap *h, uint32_t off) { h->live_bits[off >> 9] |= 1ull << ((off >> 3) & 63); }
static inline void live_bit_clear(struct heap *h, uint32_t off) { h->live_bits[off >> 9] &= ~(1ull << ((off >> 3) & 63)); }

/* fit_walk.c (only in a heap that logs) */
void fit_walk_log(struct heap *h, uint32_t need, uint32_t chosen, uint32_t scanned, uint32_t rover);

/* heap.c: the logging helpers. Each is an inline test of h->log, so a heap
 * without a log pays one predictable branch and no call per hook. */
void op_end_record(struct heap *h, int64_t result, uint64_t off, uint32_t block_size, uint32_t scanned);
static inline void op_begin(struct heap *h, uint32_t op, int64_t id, uint64_t size, uint64_t off) {
    if (h->log) log_begin_op(h->log, op, id, size, off);
}
static inline void op_event(struct heap *h, uint8_t kind, uint8_t detail, uint32_t a, uint32_t b, uint32_t c) {
    if (h->log) log_event(h->log, kind, detail, a, b, c);
}
static inline void op_end(struct heap *h, int64_t result, uint64_t off, uint32_t block_size, uint32_t scanned) {
    if (h->log) op_end_record(h, result, off, block_size, scanned);
}
int64_t op_fail(struct heap *h, uint32_t op, int code, uint64_t arg);
uint32_t adjust_size(const struct heap *h, uint64_t size, int *err);
uint32_t block_acquire(struct heap *h, uint32_t need, uint32_t *scanned, int *err);
void block_release(struct heap *h, uint32_t b);
int extend_break(struct heap *h, uint32_t new_brk);
int live_or_refuse(struct heap *h, uint32_t op, uint64_t off, uint64_t size, int64_t *code);
int classify_bad_payload(const struct heap *h, uint64_t off); /* heap_stats.c: EDOUBLEFREE or EBADPTR (walks) */
int64_t alloc_op(struct heap *h, uint32_t op, uint64_t size, int64_t id, int zero);
void spec_refresh(struct heap *h); /* after the options, log or live table are set (creation, restore) */

#include "heap/freelist.h"

#endif
