/* replay.h: apply a trace to a heap, the way Malloc Lab's driver does: ids
 * map to payloads, payloads get a pattern written into them and checked
 * before free and after realloc, and (optionally) the heap checker runs
 * after every op. Used by the native tool and the wasm batch entry point.
 */
#ifndef HEAPLAB_REPLAY_H
#define HEAPLAB_REPLAY_H

#include <stdint.h>
#include "heap/allocator.h"
#include "trace/trace.h"

struct replay_options {
    int verify;      /* write and check payload patterns, check alignment and bounds */
    int check_every; /* run heap_check after every op */
    /* called after every op when set (e.g. --show-every) */
    void (*after_op)(struct heap *h, size_t op_index, void *ctx);
    void *ctx;
    struct trace *rows;  /* when set, receives the ops that made an allocator
                            call, i.e. one log row each (skipped ops make none) */
};

struct replay_result {
    uint64_t ops, allocs, frees, reallocs;
    uint64_t failed;   /* ops the allocator refused (e.g. ENOMEM) */
    uint64_t skipped;  /* frees/reallocs of ids whose allocation failed */
    uint64_t peak_payload;
    uint32_t heap_bytes;
    double utilization;
    /* first problem found (0 = none): a HEAP_CHECK_* code, or REPLAY_E* */
    int error;
    uint32_t error_op;   /* index of the op after which it was found */
    uint32_t error_off;
};

enum replay_error {
    REPLAY_EPATTERN = -201,  /* payload contents changed behind the user's back */
    REPLAY_EALIGN = -202,    /* payload misaligned */
    REPLAY_EBOUNDS = -203,   /* payload outside the heap */
    REPLAY_EHOST = -204,     /* out of host memory */
    REPLAY_ELIVEBAD = -205,  /* a recorded bad free/realloc names a live payload here:
                                refused, never applied (the trace does not fit this heap) */
    REPLAY_EIDLIVE = -206    /* an alloc names an id still live here: its earlier,
                                recorded-as-failed allocation succeeded in this replay */
};

/* Name of a REPLAY_E* or HEAP_CHECK_* code (static string). */
const char *replay_strerror(int code);

/* The replay of one trace on one heap, an op at a time: which payload
 * each id holds now. A copy of it and of the heap is a checkpoint. */
struct replay_state {
    uint32_t *offs;  /* id -> payload offset while live, 0 when not (payloads are > 0) */
    uint64_t *sizes; /* id -> requested bytes, kept only when verifying */
    size_t nids;
    int verify;
    int64_t id_base; /* the heap's block id of trace id 0 (heap_next_id when
                        the replay began: ids stay unique on a used heap) */
};

/* Returns 0, or REPLAY_EHOST when out of host memory. */
int replay_state_init(struct replay_state *s, const struct trace *t, int verify);
void replay_state_free(struct replay_state *s);
/* Copies src into dst (dst initialised for the same trace). */
void replay_state_copy(struct replay_state *dst, const struct replay_state *src);
/* Applies op i of a trace (o = &t->ops[i]). Returns 0 when it made one
 * allocator call, REPLAY_SKIPPED when its id was not live (its allocation
 * failed: no call, no log row), or a negative REPLAY_E* code (recorded in
 * res). A recorded bad call (TRACE_BAD_*) whose offset is a live payload
 * now makes no call and returns REPLAY_ELIVEBAD; an alloc of an id still
 * live (a recorded failure that succeeded here) makes none and returns
 * REPLAY_EIDLIVE: a replay never holds two live blocks of one id. */
#define REPLAY_SKIPPED 1
int replay_op(struct replay_state *s, struct heap *h, const struct trace_op *o, size_t i, struct replay_result *res);

/* Returns 0 when every check held, or the first error code (also in res). */
int replay_run(struct heap *h, const struct trace *t, const struct replay_options *opt, struct replay_result *res);

#endif
