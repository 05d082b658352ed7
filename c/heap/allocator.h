/* allocator.h: HeapLab's public allocator API.
 *
 * A heap is a handle on one contiguous arena. Addresses handed out are
 * arena-relative payload offsets (uint32, always > 0), so the same trace
 * gives the same numbers natively and in wasm, and the backing memory may
 * move as the break grows. Every call validates its arguments: a bad call
 * returns a negative HEAP_E* code, logs a `fail` event, and leaves the heap
 * passing heap_check().
 *
 * Size 0: heap_malloc(h, 0), heap_calloc with a zero factor and
 * heap_realloc(h, off, 0) return HEAP_EINVAL and change nothing (the block
 * given to realloc stays live). Free it with heap_free.
 *
 * The seed-compatible calls my_malloc/my_free/my_realloc/my_calloc work on a
 * default heap created on first use with default options.
 */
#ifndef HEAPLAB_ALLOCATOR_H
#define HEAPLAB_ALLOCATOR_H

#include <stddef.h>
#include <stdint.h>

/* Error codes: every public call returns one of these on failure. */
enum heap_error {
    HEAP_OK = 0,
    HEAP_ENOMEM = -1,     /* the arena cannot hold the request right now */
    HEAP_EINVAL = -2,     /* size 0, bad option, or non-number from JS */
    HEAP_ETOOBIG = -3,    /* request larger than the whole arena, or rounding overflows */
    HEAP_EBADPTR = -4,    /* offset out of range, misaligned, or inside a block */
    HEAP_EDOUBLEFREE = -5 /* offset is the payload of a block that is already free */
};

/* Placement policies. HEAP_POLICY_COUNT bounds the table in fit.c. */
enum heap_policy {
    HEAP_FIRST_FIT = 0,
    HEAP_NEXT_FIT = 1,
    HEAP_BEST_FIT = 2,
    HEAP_WORST_FIT = 3,
    HEAP_FAST_FIT = 4, /* segregated free lists by size class, near-constant time */
    HEAP_POLICY_COUNT = 5
};

/* Free-list orders (for the fast policy: the order inside each size class). */
enum heap_order { HEAP_ORDER_LIFO = 0, HEAP_ORDER_FIFO = 1, HEAP_ORDER_ADDR = 2, HEAP_ORDER_COUNT = 3 };

/* Names shared by every front end ("first", "next", "best", "worst", "fast";
 * "lifo", "fifo", "addr"): the name, or NULL when out of range; the number, or -1. */
const char *heap_policy_name(int policy);
int heap_policy_by_name(const char *name);
const char *heap_order_name(int order);
int heap_order_by_name(const char *name);

/* Size classes of the fast policy: sizes below 128 bytes have a class per
 * 8 bytes; above, each power of two is cut into 4 classes. */
#define HEAP_CLASS_COUNT 116
/* Class of a block of `size` bytes (whole block), and the smallest size in class c. */
int heap_size_class(uint32_t size);
uint32_t heap_class_min_size(int c);

#define HEAP_DEFAULT_ARENA (64u << 20)
#define HEAP_MIN_ARENA 64u

/* Options, read once at creation. Zero-initialised options are not valid:
 * start from heap_default_options(). */
struct heap_options {
    int policy;         /* enum heap_policy */
    int order;          /* enum heap_order */
    int coalesce;       /* 1: immediate coalescing with both neighbours */
    uint32_t align;     /* payload alignment: 8 or 16 */
    uint32_t arena_size; /* capacity in bytes, >= HEAP_MIN_ARENA */
    uint32_t grow_step; /* break grows by at least this many bytes (0: exactly what is needed) */
    int log;            /* 1: record events (the page, --log); 0: benchmarks */
    int reserve;        /* 1: back the whole arena at creation, so pointers
                           from heap_payload() never move (my_malloc uses it);
                           0: back it as the break grows (measured faster) */
    int payload_info;   /* 1 (default): keep each live payload's requested size and id
                           (heap_payload_size/_id, the walker, live_payload in the stats);
                           0: only the bitmap of live payload starts, which every mode
                           keeps for validation (benchmarks). The log implies 1. */
};

struct heap; /* opaque */

struct heap_options heap_default_options(void);
/* Returns a new heap or NULL (bad options or out of host memory). */
struct heap *heap_create(const struct heap_options *opt);
void heap_destroy(struct heap *h);
/* Returns the options the heap was created with. */
struct heap_options heap_get_options(const struct heap *h);
/* Back to an empty arena and an empty log, same options. */
void heap_reset(struct heap *h);

/* Payload offset (> 0) or a negative HEAP_E* code. `id` names the logical
 * block in the event log; pass -1 to let the heap number blocks itself. */
int64_t heap_malloc(struct heap *h, uint64_t size);
int64_t heap_malloc_id(struct heap *h, uint64_t size, int64_t id);
int64_t heap_calloc(struct heap *h, uint64_t n, uint64_t size);
int heap_free(struct heap *h, uint64_t off);
int64_t heap_realloc(struct heap *h, uint64_t off, uint64_t size);

/* Pointer to the payload at `off` (valid until the next call that may grow
 * the arena), or NULL when off is not a live payload. */
void *heap_payload(struct heap *h, uint32_t off);
/* Requested size of the live payload at off, or 0 (always 0 without payload_info). */
uint32_t heap_payload_size(const struct heap *h, uint32_t off);
/* Logical block id of the live payload at off, or -1 (always -1 without payload_info). */
int64_t heap_payload_id(const struct heap *h, uint32_t off);
/* The break: bytes of arena in use (the heap size). */
uint32_t heap_break(const struct heap *h);
/* The id heap_malloc gives next: one past the largest id used since the
 * last reset (a replay onto a used heap numbers its blocks from here). */
int64_t heap_next_id(const struct heap *h);
/* Base of the arena memory (moves when the break grows). */
uint8_t *heap_arena(struct heap *h);

/* Checker: 0 when every invariant holds, else a negative HEAP_CHECK_* code;
 * *bad_off (if not NULL) receives the offset where the first violation was
 * found. */
enum heap_check_code {
    HEAP_CHECK_OK = 0,
    HEAP_CHECK_TILING = -101,      /* blocks do not tile [start, break) */
    HEAP_CHECK_SIZE = -102,        /* block size not a multiple of align or below minimum */
    HEAP_CHECK_ALIGN = -103,       /* payload misaligned */
    HEAP_CHECK_FOOTER = -104,      /* free block footer != header */
    HEAP_CHECK_ADJACENT_FREE = -105, /* two free neighbours with coalescing on */
    HEAP_CHECK_LIST_NOT_FREE = -106, /* free-list entry is not a free block */
    HEAP_CHECK_FREE_NOT_LISTED = -107, /* free block missing from the list */
    HEAP_CHECK_CYCLE = -108,       /* free list loops or its back links disagree */
    HEAP_CHECK_ROVER = -109,       /* next-fit rover not on a listed free block */
    HEAP_CHECK_PREV_BIT = -110,    /* prev-allocated bit disagrees with the previous block */
    HEAP_CHECK_EPILOGUE = -111,    /* epilogue missing or break out of range */
    HEAP_CHECK_COUNTERS = -112,    /* cached counters disagree with a walk */
    HEAP_CHECK_ORDER = -113,       /* address-ordered list out of order */
    HEAP_CHECK_LIVE_TABLE = -114   /* live-payload table disagrees with the blocks */
};
int heap_check(const struct heap *h, uint32_t *bad_off);
/* Human-readable name of an error or check code (static string). */
const char *heap_strerror(int code);

/* Debug tier (heap_debug.h), fixed when the library is compiled: 0 release,
 * 1 internal asserts, 2 heap_check() after every mutating call. At level 2
 * the first failed check is recorded; below it nothing is ever recorded. */
int heap_debug_level(void);
struct heap_debug_report {
    int code;          /* HEAP_CHECK_* code; 0 = no failure recorded */
    uint32_t off;      /* the offset heap_check named */
    uint64_t call;     /* index of the failing call among the heap's mutating calls (0 = the first) */
    const char *where; /* the entry point that ran the check, e.g. "heap_malloc" (static string) */
    int line;          /* its source line */
};
/* Returns the first recorded failure's code (0 = none) and fills *out (if not NULL). */
int heap_debug_first_failure(const struct heap *h, struct heap_debug_report *out);
/* Level 2: trap = 1 (the default) aborts at the first failure, 0 only records it. No-op below. */
void heap_debug_set_trap(struct heap *h, int trap);

/* Statistics, derived on demand. */
struct heap_stats {
    uint64_t live_payload;   /* sum of requested sizes of live blocks (0 without payload_info) */
    uint64_t peak_payload;   /* max of live_payload so far (0 without payload_info) */
    uint32_t heap_size;      /* the break: bytes of arena in use */
    uint32_t heap_peak;      /* high-water mark of the break */
    uint32_t arena_size;     /* capacity */
    double utilization;      /* peak_payload / heap_size (Malloc Lab); 0 when empty */
    uint64_t internal_frag;  /* header + padding bytes of allocated blocks */
    double external_frag;    /* 1 - largest_free / free_bytes; 0 with no free bytes */
    uint32_t free_blocks;
    uint32_t alloc_blocks;
    uint64_t free_bytes;
    uint32_t largest_free;
    uint64_t requests;       /* malloc/calloc/realloc requests that searched */
    uint64_t scanned_total;  /* blocks examined by all searches */
    double scanned_mean;     /* scanned_total / requests */
    uint64_t failures;       /* calls that returned an error */
    uint64_t side_peak;      /* host bytes kept outside the arena for the live payloads at the
                                break's high-water mark: the live bitmap's words covering it, plus
                                the live table (with payload_info); what a fair utilization charges */
};
void heap_get_stats(const struct heap *h, struct heap_stats *out);

/* Block walker: one walker serves the dump, the checker and the JS
 * snapshot. The callback sees each block in address order; return nonzero
 * from it to stop. */
struct heap_block_info {
    uint32_t offset;       /* block start (header) */
    uint32_t size;         /* whole block, header included */
    uint32_t payload_off;  /* offset handed to the user */
    uint32_t payload_size; /* requested bytes when allocated, 0 when free */
    uint32_t next_free;    /* block offset of the next free-list entry, 0 = none */
    int is_free;
    int64_t id;            /* logical id when allocated, -1 when free */
    int size_class;        /* fast policy: the free list (size class) holding it; else 0 */
};
typedef int (*heap_block_fn)(const struct heap_block_info *b, void *ctx);
/* Returns the number of blocks visited. */
uint32_t heap_walk(const struct heap *h, heap_block_fn fn, void *ctx);
/* Header bytes before each payload (4) and of a free-block footer (4). */
uint32_t heap_header_size(void);
/* Block offset of the free-list head (the fast policy: of size class c;
 * other policies have one list, class 0), and the next-fit rover (0 = none). */
uint32_t heap_free_head(const struct heap *h);
uint32_t heap_class_head(const struct heap *h, int c);
uint32_t heap_rover(const struct heap *h);

/* A heap's allocator state (block metadata, free lists, live payloads,
 * counters; not payload bytes), saved compactly: checkpoints for replaying
 * a trace to any step. Save returns NULL when out of host memory. Restore
 * makes dst, a heap created with the same options, behave exactly as the
 * saved heap did; dst keeps its own event log. It returns 0, HEAP_EINVAL
 * (other options, or dst keeps payload_info and the saved heap did not:
 * it has no sizes or ids to give) or HEAP_ENOMEM (dst unchanged). */
struct heap_image;
struct heap_image *heap_image_save(const struct heap *h);
int heap_image_restore(struct heap *dst, const struct heap_image *img);
void heap_image_free(struct heap_image *img);
/* Bytes of host memory an image holds. */
size_t heap_image_bytes(const struct heap_image *img);

/* The event log of this heap (see log/event_log.h), or NULL when logging is off. */
struct event_log *heap_log(struct heap *h);

/* Seed-compatible API on a default heap (created on first call). Returns a
 * pointer into the default heap's arena or NULL. */
void *my_malloc(size_t size);
void my_free(void *ptr);
void *my_realloc(void *ptr, size_t size);
void *my_calloc(size_t n, size_t size);
/* The default heap (created on demand), and its teardown. */
struct heap *my_default_heap(void);
void my_reset_default_heap(void);

#endif
