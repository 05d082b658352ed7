/* event_log.h: the event log. Every heap operation appends one op record (the
 * row of the rich CSV) and the events that say what the algorithm did, in
 * the allocator's own vocabulary: request, scan, split, place, extend, free,
 * coalesce, realloc, fail. That vocabulary (op and event kinds, what a, b, c
 * hold, their names) is log/event_kinds.h, included here; this header adds
 * the storage. Storage grows as needed; nothing is dropped. The log formats
 * itself as CSV into memory; it never prints. An event is 16 bytes and does
 * not store its op's index: the op records' first events say it
 * (log_event_op), so an append is a bound test and four stores (callgrind,
 * logged replay, fast, instructions per op: gcc 451.8 -> 442.0, git_log
 * 529.7 -> 519.6, python_json 496.4 -> 485.7, sqlite3 454.3 -> 444.4; the
 * records and events read back identical). Events can be turned off
 * (log_set_events) for a stretch no one will read them from: each append
 * is then one flag test, tested first (callgrind, the page's logged
 * replay with every slice but the last without events, log-on minus
 * log-off per op: gcc 321.6 -> 285.2, git_log 361.5 -> 324.0, python_json
 * 320.9 -> 281.2, sqlite3 350.4 -> 313.6; with the flag tested on the
 * slow path after the bound test, 303.8/343.0/300.8/332.2; with events on
 * the first test cost nothing measurable); the log counts the records so
 * made (log_events_skipped). The open op's record is kept as a pointer
 * (log_current: one load, where testing a flag and indexing by nops - 1
 * had cost about 4 instructions per op).
 */
#ifndef HEAPLAB_EVENT_LOG_H
#define HEAPLAB_EVENT_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "log/event_kinds.h" /* the vocabulary: op and event kinds, their names */

/* One event. The op record it belongs to is not stored: it is the record
 * whose events [first_event, the next record's first_event) hold it
 * (log_event_op), as an event always belongs to the op begun last. */
struct log_event {
    uint8_t kind;    /* enum log_event_kind */
    uint8_t detail;
    uint16_t reserved;
    uint32_t a, b, c;
};
_Static_assert(sizeof(struct log_event) == 16, "16-byte events: an append is 4 stores at a shifted index");

/* One row of the rich CSV. */
struct log_op_record {
    uint32_t seq;
    uint32_t op;         /* enum log_op */
    int64_t id;          /* logical block id (-1 when unknown) */
    uint64_t size;       /* requested bytes (0 for free) */
    uint64_t offset;     /* payload offset returned or given (0 when none); a refused
                            call keeps the whole offset it was given, even >= 2^32 */
    uint32_t block_size; /* size of the block placed or freed */
    uint32_t scanned;    /* blocks examined by the search */
    uint32_t heap_size;  /* break after the op */
    uint64_t live_bytes; /* after the op */
    uint64_t free_bytes;
    uint32_t largest_free;
    uint32_t free_blocks; /* free blocks after the op (the free lists' count) */
    uint32_t first_event;/* index of its first event */
    int64_t result;      /* payload offset, 0 for a good free, or HEAP_E* */
};

/* The storage: two growable arrays. In the header only so the appends below
 * inline into the heap's hooks (a logging heap appends ~3 events per op);
 * everyone else goes through the functions. */
struct event_log {
    struct log_op_record *ops;
    uint32_t nops, cap_ops;
    struct log_event *events;
    uint32_t nevents, cap_events;
    /* an event's fast path reads events_off, this and nevents: the room
     * for events while an op is open (cap_events, else 0: every append
     * takes the slow path). (Testing open, then nevents against cap_events and recomputing
     * nops - 1 cost 20 instructions an event; storing the open op's index in
     * every event, 2 more: log_event_op finds it.) */
    uint32_t ev_room;
    int events_off;     /* 1: events are skipped (log_set_events): log_event tests it first */
    uint32_t off_from;  /* while off: the first op record made since */
    uint32_t skipped;   /* op records made while events were off, before off_from (since log_clear) */
    int error;
    uint32_t examine_cap; /* examine events per search */
    struct log_op_record *cur; /* the open op's record while the last log_begin_op succeeded (it may be completed), else NULL */
};

struct event_log *log_create(void);
void log_destroy(struct event_log *log);
void log_clear(struct event_log *log);
/* Makes room for at least `ops` op records and `events` events in all (a
 * caller about to log a known number of ops: one allocation instead of a
 * doubling's copies). Returns 0, or -1 when out of host memory (nothing
 * is lost: the appends grow the arrays as before). */
int log_reserve(struct event_log *log, uint32_t ops, uint32_t events);
/* Events per op to reserve for (the real traces log 2.6-3.0 per op without examine events). */
#define LOG_EVENTS_PER_OP_HINT 3u

/* The appends when an array is full (event_log.c): grow it, or mark the log incomplete. */
int64_t log_begin_op_grow(struct event_log *log, uint32_t op, int64_t id, uint64_t size, uint64_t offset);
void log_event_grow(struct event_log *log, uint8_t kind, uint8_t detail, uint32_t a, uint32_t b, uint32_t c);

/* Start an op record; returns its index, or -1 when out of host memory: then
 * no op is open (log_current is NULL, events are dropped) until the next
 * successful start, so no record ever holds another op's fields, and
 * log_error says the log is incomplete. */
static inline int64_t log_begin_op(struct event_log *log, uint32_t op, int64_t id, uint64_t size, uint64_t offset) {
    uint32_t n = log->nops;
    if (n >= log->cap_ops) return log_begin_op_grow(log, op, id, size, offset);
    log->ev_room = log->cap_events;
    /* the fields the op's start knows; the heap's op_end_record writes
     * every other one before the call returns (each op_begin has its op_end) */
    struct log_op_record *r = &log->ops[n];
    log->cur = r;
    r->seq = n;
    r->op = op;
    r->id = id;
    r->size = size;
    r->offset = offset;
    r->first_event = log->nevents;
    log->nops = n + 1;
    return n;
}
/* Append an event to the open op (none open: the log is marked incomplete). */
static inline void log_event(struct event_log *log, uint8_t kind, uint8_t detail, uint32_t a, uint32_t b, uint32_t c) {
    if (log->events_off) return; /* first: a skipped event is a load and a branch */
    uint32_t i = log->nevents;
    if (i >= log->ev_room) { /* no op open, or the array is full */
        log_event_grow(log, kind, detail, a, b, c);
        return;
    }
    log->events[i] = (struct log_event){ kind, detail, 0, a, b, c };
    log->nevents = i + 1;
}
/* Record of the open op, to be completed by the heap; NULL when none is open. */
static inline struct log_op_record *log_current(struct event_log *log) { return log->cur; }
/* The search walk: at most `cap` examine events per search (EV_EXAMINE, the
 * blocks examined in order and why each was passed over or taken); 0 records
 * none. A new log records LOG_EXAMINE_CAP; log_clear keeps the cap. A search
 * costs these events only in a heap that logs. */
#define LOG_EXAMINE_CAP 16u
void log_set_examine_cap(struct event_log *log, uint32_t cap);
/* (inline: a logging heap reads it at every search) */
static inline uint32_t log_examine_cap(const struct event_log *log) { return log->examine_cap; }
/* Events on (1, as a new log has them) or off (0): while off, op records
 * are made as before but no event is (log_event returns at its first
 * test), so each such record's events [first_event, the next record's
 * first_event) are empty. A caller that will not read a stretch's events
 * (the page's long runs but their last slice: hl_replay_more) skips their
 * stores. log_clear keeps the setting. */
void log_set_events(struct event_log *log, int on);
/* Returns the number of op records whose events were skipped (made while
 * events were off, since log_clear): 0 when every record has its events.
 * A reader of events must not take such a record's empty range for "no
 * events" (the wasm API's hl_log_events_skipped; the page's heap.js refuses
 * to read events from such a log). */
uint32_t log_events_skipped(const struct event_log *log);
/* 0 on success; -1 when an append failed for lack of host memory (the log
 * is incomplete: log_to_csv refuses it; log_clear starts afresh). */
int log_error(const struct event_log *log);

uint32_t log_op_count(const struct event_log *log);
const struct log_op_record *log_op_at(const struct event_log *log, uint32_t i);
uint32_t log_event_count(const struct event_log *log);
const struct log_event *log_event_at(const struct event_log *log, uint32_t i);
/* Returns the index of the op record event i belongs to (i < log_event_count): a binary search of the records' first events. */
uint32_t log_event_op(const struct event_log *log, uint32_t i);

enum log_format { LOG_FORMAT_RICH = 0, LOG_FORMAT_SEED = 1 };
/* The log as CSV text (NUL-terminated, malloc'd; *len excludes the NUL), or
 * NULL when out of host memory. Rich: header + one row per op. Seed:
 * ALLOC,n / FREE / REALLOC,n for successful ops in order. NULL as well when
 * the log is incomplete (log_error): an export never leaves out an op. */
char *log_to_csv(const struct event_log *log, int format, size_t *len);

#endif
