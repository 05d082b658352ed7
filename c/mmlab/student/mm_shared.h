/* mm_shared.h: what `heaplab mm` and the driver it compiles with a student's
 * mm.c exchange. Both sides include this file (the tool directly, the driver
 * from the copy the tool writes next to it), so the layouts cannot drift.
 *   ops file   struct mm_ops_header, then n struct mm_op (the trace, ids dense)
 *   shared     one struct mm_shared in a file the driver maps MAP_SHARED and
 *              updates before every op: it survives the driver's death, so a
 *              crash or a hang is reported with the op that was running
 *   log file   struct mm_rec, one per op of the validity pass, written in
 *              blocks with write(2) and flushed by the fatal-signal handler
 *   blocks     struct mm_blk, the changes of the decoded block list after
 *              each op of the validity pass (--decode cs-app, mm_decode.c)
 */
#ifndef HEAPLAB_MM_SHARED_H
#define HEAPLAB_MM_SHARED_H
#include <stdint.h>
#if __has_include("mm_checks.h")
#include "mm_checks.h" /* the copy next to the driver */
#else
#include "mm/mm_checks.h"
#endif

#define MM_OPS_MAGIC 0x4d4f4c48u    /* "HLOM" */
#define MM_SHARED_MAGIC 0x534d4c48u /* "HLMS" */

/* Where the driver is. */
enum mm_phase {
    MM_PHASE_START = 0, /* reading the ops */
    MM_PHASE_INIT = 1,  /* inside mm_init */
    MM_PHASE_VALID = 2, /* the checked pass (validity, utilization, the log) */
    MM_PHASE_SPEED = 3, /* timing the student's allocator */
    MM_PHASE_LIBC = 4,  /* timing libc malloc on the same ops */
    MM_PHASE_DONE = 5
};

/* What the driver concluded (a crash leaves MM_RUNNING: the tool sees the signal). */
enum mm_verdict { MM_RUNNING = 0, MM_OK = 1, MM_INVALID = 2, MM_TIMEOUT = 3, MM_NOMEM = 4, MM_DRIVER_ERROR = 5 };

enum mm_op_kind { MM_OP_ALLOC = 'a', MM_OP_FREE = 'f', MM_OP_REALLOC = 'r' };

struct mm_ops_header {
    uint32_t magic;
    uint32_t n_ids;
    uint64_t n_ops;
};

struct mm_op {
    uint32_t kind; /* enum mm_op_kind */
    uint32_t id;   /* 0 .. n_ids-1 */
    uint64_t size;
};

struct mm_shared {
    uint32_t magic;
    uint32_t phase;   /* enum mm_phase */
    int32_t verdict;  /* enum mm_verdict */
    int32_t check;    /* enum mm_check */
    int64_t op;       /* the op running (or that broke), -1 none */
    uint64_t n_ops;
    uint64_t peak_payload; /* mdriver's max_total_size */
    uint64_t heap_size;    /* mem_heapsize() after the checked pass */
    double util;           /* peak_payload / heap_size */
    double secs, libc_secs;     /* best time of one pass over the ops */
    int64_t fail_offset;        /* heap offset of the payload that broke, -1 none */
    int64_t sbrk_refused;       /* the mem_sbrk increment refused, 0 none */
    char what[320];             /* the broken check in words */
    int32_t decode_state;       /* enum mm_decode (--decode cs-app) */
    int32_t pad;
    int64_t decode_op;          /* the op after which the walk disagreed, -1 none */
    char decode_what[256];      /* why, in words */
};

/* One change of the decoded block list after an op (--decode cs-app). */
struct mm_blk {
    uint32_t op;
    uint32_t flags;  /* MM_BLK_ADD: the block appears (else it goes); MM_BLK_ALLOC: its allocated bit */
    uint64_t offset; /* its header's offset from mem_heap_lo() */
    uint64_t size;   /* the size in its header */
};
#define MM_BLK_ADD 1u
#define MM_BLK_ALLOC 2u

struct mm_rec {
    uint32_t op;    /* index in the trace */
    uint32_t kind;  /* enum mm_op_kind */
    uint32_t id;
    uint32_t flags; /* 1: the payload returned is NULL */
    uint64_t size;  /* bytes asked for (0 for a free) */
    uint64_t offset;    /* payload - mem_heap_lo() (the freed payload for a free) */
    uint64_t heap_size; /* mem_heapsize() after the op */
};
#define MM_REC_NULL 1u

_Static_assert(sizeof(struct mm_op) == 16, "mm_op is 16 bytes on both sides");
_Static_assert(sizeof(struct mm_rec) == 40, "mm_rec is 40 bytes on both sides");
_Static_assert(sizeof(struct mm_blk) == 24, "mm_blk is 24 bytes on both sides");
#endif
