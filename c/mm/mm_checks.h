/* mm_checks.h: the vocabulary of a Malloc Lab run, shared by the driver
 * compiled with the student's code (the tool writes a copy next to it), the
 * tool, and the mm log's reader: what happened to a trace, which of
 * mdriver's checks broke, and how the header walk went. The names are in mm_log.c (mm_status_name,
 * mm_check_name, mm_decode_name), the one place the log format spells them. */
#ifndef HEAPLAB_MM_CHECKS_H
#define HEAPLAB_MM_CHECKS_H

/* How a trace's run ended. */
enum mm_status {
    MM_STATUS_OK = 0,      /* every op valid */
    MM_STATUS_INVALID = 1, /* a check broke (enum mm_check) */
    MM_STATUS_NOMEM = 2,   /* mm_malloc/mm_realloc returned NULL after mem_sbrk refused: the 20 MB limit */
    MM_STATUS_CRASH = 3,   /* the student's code died of a signal */
    MM_STATUS_TIMEOUT = 4, /* the time limit passed */
    MM_STATUS_EXIT = 5,    /* the student's code called exit() */
    MM_STATUS_ERROR = 6,   /* the driver itself failed (cannot run, cannot read) */
    MM_STATUS_COUNT = 7
};

/* Which validity check broke. */
enum mm_check {
    MM_CHECK_NONE = 0,
    MM_CHECK_INIT = 1,     /* mm_init returned -1 */
    MM_CHECK_NULL = 2,     /* mm_malloc / mm_realloc returned NULL */
    MM_CHECK_ALIGN = 3,    /* payload not aligned */
    MM_CHECK_OUTSIDE = 4,  /* payload not inside [mem_heap_lo, mem_heap_hi] */
    MM_CHECK_OVERLAP = 5,  /* payload overlaps a live payload */
    MM_CHECK_CHANGED = 6,  /* a live payload's bytes changed before its free */
    MM_CHECK_REALLOC = 7,  /* mm_realloc lost the old prefix */
    MM_CHECK_COUNT = 8
};

/* The textbook header walk (`heaplab mm --decode cs-app`). */
enum mm_decode {
    MM_DECODE_NONE = 0,    /* not asked for */
    MM_DECODE_OK = 1,      /* it agreed with the driver after every op */
    MM_DECODE_STOPPED = 2, /* it disagreed after an op: the outside view from there */
    MM_DECODE_COUNT = 3
};
#endif
