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
    REPLAY_EHOST = -204      /* out of host memory */
};

/* Name of a REPLAY_E* or HEAP_CHECK_* code (static string). */
const char *replay_strerror(int code);

/* Returns 0 when every check held, or the first error code (also in res). */
int replay_run(struct heap *h, const struct trace *t, const struct replay_options *opt, struct replay_result *res);

#endif
