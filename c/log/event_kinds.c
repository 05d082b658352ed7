/* event_kinds.c: the names of the event vocabulary (event_kinds.h), one
 * table per enum, each pinned to its enum's count so a kind added without
 * its name does not compile. Depends on nothing but the header.
 */
#include "log/event_kinds.h"

static const char *const OP_NAMES[] = { "alloc", "free", "realloc", "alloc" };
static const char *const EVENT_NAMES[] = { "request", "scan", "split", "place", "extend",
                                           "free", "coalesce", "realloc", "fail", "examine", "class" };
static const char *const REALLOC_HOW_NAMES[] = { "shrink", "same", "grow_next", "grow_brk", "move" };
static const char *const EXAMINE_WHY_NAMES[] = { "too_small", "not_best", "chosen", "next_class", "top_last" };

_Static_assert(sizeof OP_NAMES / sizeof OP_NAMES[0] == LOG_OP_COUNT, "one name per enum log_op");
_Static_assert(sizeof EVENT_NAMES / sizeof EVENT_NAMES[0] == EV_KIND_COUNT, "one name per enum log_event_kind");
_Static_assert(sizeof REALLOC_HOW_NAMES / sizeof REALLOC_HOW_NAMES[0] == REALLOC_HOW_COUNT,
               "one name per enum log_realloc_how");
_Static_assert(sizeof EXAMINE_WHY_NAMES / sizeof EXAMINE_WHY_NAMES[0] == EXAMINE_WHY_COUNT,
               "one name per enum log_examine_why");

/* Returns the CSV op name (calloc as alloc), or "?". */
const char *log_op_name(uint32_t op) { return op < LOG_OP_COUNT ? OP_NAMES[op] : "?"; }

/* Returns the event kind's name, or "?". */
const char *log_event_name(uint32_t kind) { return kind < EV_KIND_COUNT ? EVENT_NAMES[kind] : "?"; }

/* Returns the realloc-how code's name, or "?". */
const char *log_realloc_how_name(uint32_t how) { return how < REALLOC_HOW_COUNT ? REALLOC_HOW_NAMES[how] : "?"; }

/* Returns the examine reason's name, or "?". */
const char *log_examine_why_name(uint32_t why) { return why < EXAMINE_WHY_COUNT ? EXAMINE_WHY_NAMES[why] : "?"; }
