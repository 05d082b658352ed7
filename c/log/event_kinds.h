/* event_kinds.h: the event vocabulary, shared by the real engine's event log
 * (log/event_log.h) and the OSTEP model (ostep/), which records what
 * malloc.py's algorithm did in the same words. Only kinds, what their
 * fields hold, and names: no storage, so including this header links
 * nothing of the log (event_kinds.c holds the name tables alone).
 *
 * a, b, c below are the real engine's (uint32_t arena offsets and sizes);
 * the OSTEP model fills them with malloc.py's int64 addresses and sizes as
 * ostep/ostep.h says beside struct ostep_event.
 */
#ifndef HEAPLAB_EVENT_KINDS_H
#define HEAPLAB_EVENT_KINDS_H

#include <stdint.h>

/* What an op record (a row of the rich CSV) asked for. */
enum log_op {
    LOG_OP_ALLOC = 0, LOG_OP_FREE = 1, LOG_OP_REALLOC = 2, LOG_OP_CALLOC = 3,
    LOG_OP_COUNT = 4
};

/* Event kinds and what a, b, c hold. */
enum log_event_kind {
    EV_REQUEST = 0,  /* a = requested bytes, b = adjusted block size */
    EV_SCAN = 1,     /* a = blocks examined, b = chosen block (0 = none) */
    EV_SPLIT = 2,    /* a = block split, b = size of its low part, c = of its high part; detail = 0 when the low part is the one allocated, 1 when the high part is */
    EV_PLACE = 3,    /* a = block, b = block size, c = payload offset */
    EV_EXTEND = 4,   /* a = old break, b = new break */
    EV_FREE = 5,     /* a = block, b = block size, c = payload offset */
    EV_COALESCE = 6, /* detail = CS:APP case 2 (next), 3 (prev), 4 (both); a = merged block, b = merged size */
    EV_REALLOC = 7,  /* detail = enum log_realloc_how; a = old payload, b = new payload, c = new block size */
    EV_FAIL = 8,     /* detail = enum log_op; a = (uint32_t) error code, b = argument (size or offset, low 32 bits) */
    EV_EXAMINE = 9,  /* one block the search looked at, in walk order, before its scan event:
                        detail = enum log_examine_why; a = block, b = block size, c = its size class
                        (fast) or 0. At most the log's examine cap per search (event_log.h):
                        the scan event's a minus the examine events = how many more were looked at */
    EV_CLASS = 10,   /* fast policy, before the scan event: a = the request's size class, b = the
                        class the block came from (a: its own list; larger: the first non-empty
                        larger class, found in the bitmap; HEAP_CLASS_COUNT: none) */
    EV_KIND_COUNT = 11
};

/* Why a search passed over a block it examined, or took it: EV_EXAMINE's detail. */
enum log_examine_why {
    EXAMINE_TOO_SMALL = 0,  /* smaller than the block needed */
    EXAMINE_NOT_BEST = 1,   /* fits, but the policy took a better one (best: smaller; worst: larger) */
    EXAMINE_CHOSEN = 2,     /* fits and was taken */
    EXAMINE_NEXT_CLASS = 3, /* fast: taken unseen from a larger class (every block there fits) */
    EXAMINE_TOP_LAST = 4,   /* fast: fits, but it is the top block (it ends at the break), taken only
                               when no other block of a larger class is free */
    EXAMINE_WHY_COUNT = 5
};

/* How a realloc was done: EV_REALLOC's detail. */
enum log_realloc_how {
    REALLOC_SHRINK = 0,   /* in place, tail split off or kept */
    REALLOC_SAME = 1,     /* in place, block already big enough */
    REALLOC_GROW_NEXT = 2,/* in place, absorbed the free neighbour */
    REALLOC_GROW_BRK = 3, /* in place, moved the break */
    REALLOC_MOVE = 4,     /* malloc + copy + free */
    REALLOC_HOW_COUNT = 5
};

/* ---- event_kinds.c: names used in CSV and JSON ("?" when out of range) */
/* The CSV op name; calloc is written as alloc (traces know alloc/free/realloc). */
const char *log_op_name(uint32_t op);
/* "request", "scan", ... "fail". */
const char *log_event_name(uint32_t kind);
/* "shrink", "same", "grow_next", "grow_brk", "move". */
const char *log_realloc_how_name(uint32_t how);
/* "too_small", "not_best", "chosen", "next_class". */
const char *log_examine_why_name(uint32_t why);

#endif
