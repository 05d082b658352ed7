/* mm_runner.h: running a student's Malloc Lab allocator (native only; the
 * command's face is c/cli/mm_cli.c).
 *   mm_build   writes the driver and memlib (c/mmlab/student/, embedded in the
 *              tool by mm_embed.c) into a fresh temporary folder and compiles
 *              them with the student's files, with the compiler named at run
 *              time (--cc, else $CC, else cc, found on PATH);
 *   mm_run     replays one trace in a child process (the driver), under a
 *              time limit and an address-space limit, and says how it went:
 *              a crash, a hang or an exit inside the student's code ends
 *              the child, never the tool, and is reported with its op.
 */
#ifndef HEAPLAB_MM_RUNNER_H
#define HEAPLAB_MM_RUNNER_H
#include <stddef.h>
#include <stdint.h>
#include "mm/mm_log.h"
#include "trace/trace.h"

struct mm_config {
    const char *cc;          /* the compiler command */
    unsigned align;          /* 8 or 16: ALIGNMENT for the driver's check */
    unsigned time_limit_s;   /* per trace, checked pass and timing together */
    unsigned speed_runs;     /* timed passes (the best counts); 0: no timing */
    uint64_t mem_limit;      /* the child's address-space limit in bytes */
    int decode;              /* 1: walk the headers in the textbook's format (--decode cs-app) */
};

struct mm_build {
    char dir[256];     /* the temporary folder */
    char driver[300];  /* the compiled program */
};

struct mm_result {
    struct mm_log_trace end;  /* status, check, op, fail offset, message, the walk's verdict (mm_log.h) */
    uint64_t ops;
    uint64_t peak_payload, heap_size;
    double util;
    double secs, libc_secs;   /* best unchecked pass; < 0 when not measured */
    int phase;                /* enum mm_phase where it ended */
    struct mm_log_row *rows;  /* the checked pass, op by op (malloc'd) */
    size_t n_rows;
    struct mm_log_block *blocks; /* the decoded block list's changes (malloc'd; --decode) */
    size_t n_blocks;
};

/* Compiles srcs with the driver; 0, or -1 with err (the compiler's own
 * messages went to stderr). */
int mm_build(const struct mm_config *c, char *const *srcs, int n_srcs, struct mm_build *b, char *err, size_t errlen);
/* Removes the temporary folder. */
void mm_build_remove(struct mm_build *b);
/* Runs trace t (recorded bad calls are skipped) with log rows when want_rows;
 * 0 with *r filled (whatever the student's code did), -1 with err when the tool
 * itself could not (ids too large, no memory, cannot fork). */
int mm_run(const struct mm_config *c, const struct mm_build *b, const struct trace *t, int want_rows,
           struct mm_result *r, char *err, size_t errlen);
void mm_result_free(struct mm_result *r);

/* mm_embed.c: the driver's sources, as the tool was built with them. */
struct mm_embedded_file { const char *name; const char *data; /* NUL-terminated */ };
extern const struct mm_embedded_file mm_embedded_files[];
extern const size_t mm_embedded_count;
#endif
