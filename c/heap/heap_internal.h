/* heap_internal.h: the heap handle's layout and the internal functions,
 * grouped by the file that defines them. Only the engine's own .c files
 * include this; everyone else uses allocator.h.
 */
#ifndef HEAPLAB_HEAP_INTERNAL_H
#define HEAPLAB_HEAP_INTERNAL_H

#include "heap/allocator.h"
#include "heap/block.h"
#include "heap/heap_debug.h"
#include "log/event_log.h"

/* One live payload: what the user asked for, and the block's logical id. */
struct live_entry {
    uint32_t off;  /* payload offset; 0 = empty slot */
    uint32_t size; /* requested bytes */
    int64_t id;
};

/* Open-addressing table of live payloads (linear probing, backward-shift delete). */
struct live_table {
    struct live_entry *slots;
    uint32_t cap;   /* power of two, or 0 */
    uint32_t count;
};

struct heap {
    struct heap_options opt;
    uint8_t *mem;        /* arena backing; may move when it grows (unless opt.reserve) */
    uint32_t mem_cap;    /* bytes backed */
    uint32_t brk;        /* the break: end of the epilogue header */
    uint32_t brk_peak;
    uint32_t first;      /* block offset of the first block (align - 4) */
    uint32_t head[HEAP_CLASS_COUNT], tail[HEAP_CLASS_COUNT]; /* free-list ends per class (one list, class 0, unless fast) */
    uint64_t class_map[2];  /* fast policy: bit c set when class c's list is not empty */
    uint32_t rover;      /* next fit: where the next search starts (0 = head) */
    /* the free lists' count and bytes: changed only by list_insert, list_remove,
     * list_replace and list_resize (freelist.c); the allocated blocks' count
     * and bytes are derived from them (heap_stats.c). heap_check verifies both. */
    uint64_t free_bytes;
    uint32_t free_count;
    /* the largest listed block, cached for the log (one row per op): exact
     * unless largest_stale, when it is an upper bound (the block that had
     * that size left a list); kept by the same four functions */
    uint32_t largest;
    int largest_stale;
    uint64_t live_payload, peak_payload; /* requested bytes of live payloads (each op body) */
    uint64_t requests, scanned_total, failures;
    int64_t next_id;
    struct live_table live;
    struct event_log *log;
#if HEAP_DEBUG >= 2
    uint64_t dbg_calls;                 /* mutating public calls so far */
    struct heap_debug_report dbg_first; /* the first failed check (code 0: none yet) */
    int dbg_trap;                       /* 1: abort at the first failure (the default) */
#endif
};

/* freelist.c */
void list_clear(struct heap *h);
void list_insert(struct heap *h, uint32_t b);
void list_remove(struct heap *h, uint32_t b);
void list_replace(struct heap *h, uint32_t old_b, uint32_t new_b, uint32_t new_size, int prev_alloc);
void list_resize(struct heap *h, uint32_t b, uint32_t new_size);
int list_class(const struct heap *h, uint32_t size);
uint32_t list_first_nonempty(const struct heap *h, int from_class);
uint32_t largest_free_walk(const struct heap *h);
uint32_t largest_free(const struct heap *h);
uint32_t largest_free_fresh(struct heap *h);

/* heap_stats.c */
uint64_t alloc_block_bytes(const struct heap *h);

/* check.c: debug_ensures (level 2) is declared in heap_debug.h */

/* fit.c */
uint32_t fit_find(struct heap *h, uint32_t need, uint32_t *scanned);

/* live_table.c */
int live_init(struct live_table *t);
void live_destroy(struct live_table *t);
void live_clear(struct live_table *t);
struct live_entry *live_find(const struct live_table *t, uint32_t off);
int live_reserve(struct live_table *t);
void live_insert(struct live_table *t, uint32_t off, uint32_t size, int64_t id);
void live_remove(struct live_table *t, uint32_t off);

/* heap.c: logging helpers used by heap_realloc.c */
void op_begin(struct heap *h, uint32_t op, int64_t id, uint64_t size, uint64_t off);
void op_event(struct heap *h, uint8_t kind, uint8_t detail, uint32_t a, uint32_t b, uint32_t c);
void op_end(struct heap *h, int64_t result, uint64_t off, uint32_t block_size, uint32_t scanned);
int64_t op_fail(struct heap *h, uint32_t op, int code, uint64_t arg);
uint32_t adjust_size(const struct heap *h, uint64_t size, int *err);
uint32_t block_acquire(struct heap *h, uint32_t need, uint32_t *scanned, int *err);
void block_release(struct heap *h, uint32_t b);
int extend_break(struct heap *h, uint32_t new_brk);
struct live_entry *live_or_refuse(struct heap *h, uint32_t op, uint64_t off, uint64_t size, int64_t *code);
int64_t alloc_op(struct heap *h, uint32_t op, uint64_t size, int64_t id, int zero);

#endif
