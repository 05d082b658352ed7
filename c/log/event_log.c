/* event_log.c: event-log storage (two growable arrays: op records and
 * events; the appends' fast paths are inline in event_log.h, their growth
 * here), the op an event belongs to (log_event_op: events do not store
 * it, event_log.h says why) and the CSV writers. Appends never drop
 * anything: when host memory runs out the log remembers it (log_error)
 * instead.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include "log/event_log.h"
#include "util/strbuf.h"

struct event_log *log_create(void) {
    struct event_log *log = calloc(1, sizeof(struct event_log));
    if (log) log->examine_cap = LOG_EXAMINE_CAP;
    return log;
}

void log_set_examine_cap(struct event_log *log, uint32_t cap) { log->examine_cap = cap; }

void log_destroy(struct event_log *log) {
    if (!log) return;
    free(log->ops);
    free(log->events);
    free(log);
}

void log_clear(struct event_log *log) {
    log->nops = log->nevents = 0;
    log->error = 0;
    log->cur = NULL;
    log->ev_room = 0;
    log->off_from = log->skipped = 0;
}

void log_set_events(struct event_log *log, int on) {
    if ((on != 0) == !log->events_off) return; /* unchanged */
    if (on) log->skipped += log->nops - log->off_from;
    else log->off_from = log->nops;
    log->events_off = !on;
}

uint32_t log_events_skipped(const struct event_log *log) {
    return log->skipped + (log->events_off ? log->nops - log->off_from : 0);
}

/* Makes room for one more element of an array; returns 0 or -1. */
static int grow_array(void **arr, uint32_t *cap, uint32_t n, size_t elem) {
    if (n < *cap) return 0;
    uint32_t ncap = !*cap ? 256 : *cap > UINT32_MAX / 2 ? UINT32_MAX : *cap * 2;
    if (ncap <= n) return -1;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p) return -1;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* Makes an array hold at least n elements; returns 0 or -1. */
static int reserve_array(void **arr, uint32_t *cap, uint32_t n, size_t elem) {
    if (n <= *cap) return 0;
    void *p = realloc(*arr, (size_t)n * elem);
    if (!p) return -1;
    *arr = p;
    *cap = n;
    return 0;
}

int log_reserve(struct event_log *log, uint32_t ops, uint32_t events) {
    int a = reserve_array((void **)&log->ops, &log->cap_ops, ops, sizeof *log->ops);
    int b = reserve_array((void **)&log->events, &log->cap_events, events, sizeof *log->events);
    if (log->cur) { /* an open op: its record may have moved */
        log->cur = &log->ops[log->nops - 1];
        log->ev_room = log->cap_events;
    }
    return a || b ? -1 : 0;
}

int64_t log_begin_op_grow(struct event_log *log, uint32_t op, int64_t id, uint64_t size, uint64_t offset) {
    log->cur = NULL;
    log->ev_room = 0;
    if (log->nops == UINT32_MAX || grow_array((void **)&log->ops, &log->cap_ops, log->nops, sizeof *log->ops) != 0) {
        log->error = -1;
        return -1;
    }
    log->cur = &log->ops[log->nops];
    log->ev_room = log->cap_events;
    log->ops[log->nops] = (struct log_op_record){
        .seq = log->nops, .op = op, .id = id, .size = size, .offset = offset, .first_event = log->nevents,
    };
    return log->nops++;
}

void log_event_grow(struct event_log *log, uint8_t kind, uint8_t detail, uint32_t a, uint32_t b, uint32_t c) {
    if (!log->cur || grow_array((void **)&log->events, &log->cap_events, log->nevents, sizeof *log->events) != 0) {
        log->error = -1;
        return;
    }
    log->ev_room = log->cap_events;
    log->events[log->nevents++] = (struct log_event){ kind, detail, 0, a, b, c };
}

int log_error(const struct event_log *log) { return log->error; }
uint32_t log_op_count(const struct event_log *log) { return log->nops; }
const struct log_op_record *log_op_at(const struct event_log *log, uint32_t i) { return i < log->nops ? &log->ops[i] : NULL; }
uint32_t log_event_count(const struct event_log *log) { return log->nevents; }
const struct log_event *log_event_at(const struct event_log *log, uint32_t i) { return i < log->nevents ? &log->events[i] : NULL; }

uint32_t log_event_op(const struct event_log *log, uint32_t i) {
    uint32_t lo = 0, hi = log->nops; /* the last record whose first event is at or before i lies in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (log->ops[mid].first_event <= i) lo = mid;
        else hi = mid;
    }
    return lo;
}

char *log_to_csv(const struct event_log *log, int format, size_t *len) {
    if (log->error) return NULL; /* incomplete: an export must not leave ops out */
    struct strbuf t = { 0 };
    sb_printf(&t, "%s", ""); /* an empty log is "", not NULL */
    if (format == LOG_FORMAT_RICH)
        sb_printf(&t, "seq,op,id,size,offset,block_size,scanned,heap_size,live_bytes,free_bytes,largest_free,result\n");
    for (uint32_t i = 0; i < log->nops; i++) {
        const struct log_op_record *r = &log->ops[i];
        if (format == LOG_FORMAT_RICH) {
            sb_printf(&t, "%" PRIu32 ",%s,%" PRId64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%" PRId64 "\n",
                        r->seq, log_op_name(r->op), r->id, r->size, r->offset, r->block_size, r->scanned,
                        r->heap_size, r->live_bytes, r->free_bytes, r->largest_free, r->result);
        } else if (r->result >= 0) {
            if (r->op == LOG_OP_FREE) sb_printf(&t, "FREE\n");
            else sb_printf(&t, "%s,%" PRIu64 "\n", r->op == LOG_OP_REALLOC ? "REALLOC" : "ALLOC", r->size);
        }
    }
    size_t n = t.len;
    char *text = sb_take(&t);
    if (text && len) *len = n;
    return text;
}
