/* trace_cursor.h: a parsed trace replayed to any step, forward or back, at
 * a cost independent of the trace's length.
 *
 * The heap at step k is, by definition, ops [0, k) of the trace replayed
 * into an empty heap with replay_op() (replay.h): the same semantics as
 * `heaplab replay`, so a step means the same thing everywhere. A cursor
 * moves one heap (the caller's, created without a log) to step k by
 * restoring the nearest checkpoint at or before k (a heap image) and applying
 * the ops in between, or by applying ops from where the heap already is
 * when that is nearer. Checkpoints are taken while replaying:
 *   sparse  at every multiple of `spacing` ops (at least CURSOR_DENSE_STEP,
 *           about n/256 to start); when their bytes pass the budget, the
 *           spacing doubles and every other one is dropped;
 *   dense   at the multiple of CURSOR_DENSE_STEP just before each step
 *           asked for, the CURSOR_DENSE_KEEP most recently used kept, so a
 *           step back from anywhere costs at most CURSOR_DENSE_STEP ops.
 * Forward steps cost the ops stepped over; a jump costs at most one
 * spacing's worth of ops once, then steps around it are cheap.
 *
 * The cursor borrows the trace and the heap: both must outlive it. Appending
 * to the trace is fine (the cursor sees the first n ops it had at creation);
 * once ops are cut off (trace_truncate) the cursor refuses to move.
 */
#ifndef HEAPLAB_TRACE_CURSOR_H
#define HEAPLAB_TRACE_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include "heap/allocator.h"
#include "trace/trace.h"

#define CURSOR_DENSE_STEP 1024u
#define CURSOR_DENSE_KEEP 4u

struct trace_cursor;

/* Returns a cursor over the first t->n ops moving heap h (empty it first:
 * the cursor starts at step 0), or NULL when h logs (a log would record the
 * replays) or host memory runs out. budget: bytes the checkpoints may hold. */
struct trace_cursor *cursor_create(const struct trace *t, struct heap *h, size_t budget);
void cursor_destroy(struct trace_cursor *c);

/* Moves the heap to step k (clamped to the cursor's op count). Returns 0,
 * HEAP_EINVAL when ops were cut off the trace since the cursor was made. */
int cursor_seek(struct trace_cursor *c, size_t k);

struct cursor_stats {
    size_t pos;              /* the step the heap is at */
    size_t ops;              /* ops the cursor covers */
    size_t checkpoints;      /* held now */
    size_t bytes;            /* host memory they hold */
    size_t spacing;          /* ops between sparse checkpoints */
    uint64_t ops_applied;    /* ops replayed by all seeks so far */
    uint64_t restores;       /* checkpoints restored so far */
};
void cursor_get_stats(const struct trace_cursor *c, struct cursor_stats *out);

#endif
