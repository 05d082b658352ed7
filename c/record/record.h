/* record.h: what `heaplab record` (c/cli/record_cli.c) and the LD_PRELOAD
 * recorder (build/libheaplab-record.so, c/record/record_*.c) agree on.
 *
 * The command runs the program with LD_PRELOAD and these variables set:
 *   HEAPLAB_RECORD_DIR      a fresh directory: every process image writes
 *                           two files there, <pid>-<image>.csv and .stat
 *   HEAPLAB_RECORD_SITES    "N" (1-8): add the site column, N frames per site; "0" none
 *   HEAPLAB_RECORD_THREADS  "main" or "all"
 *   HEAPLAB_RECORD_MAX_OPS  stop recording (not the program) after N rows
 * A process image is a process from its start or its fork until its exec or
 * exit: a forked child and an exec'd program each get their own pair of
 * files (the image number is the first free one for that pid, taken with
 * O_EXCL, so it counts the pid's images that recorded a call), and no two
 * writers ever share a file. Files are made at an image's first recorded call.
 *
 * The CSV is written straight into a shared file mapping, so every row is
 * in the file the moment it is written, whether the image then exits,
 * calls _exit, execs or dies of a signal; the mapping is grown a window at
 * a time, so the file may end in zero bytes past the last row. The .stat
 * file is one struct record_stat, also mapped shared and updated as rows
 * are written: its `bytes` says where the CSV ends. The command trims each
 * CSV to that length (the recorder never shrinks a file the program might
 * still write rows into), moves the files to their final names and reads the
 * counters for its summary.
 */
#ifndef HEAPLAB_RECORD_H
#define HEAPLAB_RECORD_H

#include <stdint.h>

#define RECORD_ENV_DIR "HEAPLAB_RECORD_DIR"
#define RECORD_ENV_SITES "HEAPLAB_RECORD_SITES"
#define RECORD_ENV_THREADS "HEAPLAB_RECORD_THREADS"
#define RECORD_ENV_MAX_OPS "HEAPLAB_RECORD_MAX_OPS"

/* Why an image stopped recording (struct record_stat.stopped). */
enum record_stop { RECORD_RUNNING = 0, RECORD_STOP_SPACE = 1 /* the CSV could not grow */,
                   RECORD_STOP_IDS = 2 /* TRACE_MAX_ID blocks: a trace names no more */,
                   RECORD_STOP_MEMORY = 3 /* the live-pointer table could not grow */ };

#define RECORD_STAT_MAGIC 0x48505243u /* "CRPH" */
#define RECORD_STAT_VERSION 1u

/* The CSV header the recorder writes; `site` is added with --sites. The
 * columns are documented in c/trace/trace.h (the rich CSV). */
#define RECORD_CSV_HEADER "op,id,size,result,thread,time"

/* One process image's counters (the .stat file). Rows are the CSV lines
 * after the header; a call that is not recorded is counted once, in the
 * first of the skipped_* fields that applies. */
struct record_stat {
    uint32_t magic, version;
    int32_t pid, ppid;      /* the image's pid and its parent's */
    uint32_t image;         /* 0 for a pid's first image, then 1, 2, ... after execs */
    uint32_t forked;        /* 1: the image began as a fork of its parent (no exec yet) */
    uint32_t stopped;       /* later calls were not recorded: RECORD_STOP_* */
    uint32_t threads;       /* threads that made a recorded call */
    uint64_t bytes;         /* length of the CSV, header included */
    uint64_t rows, allocs, frees, reallocs;
    uint64_t failed;        /* rows whose call failed (result < 0) */
    uint64_t skipped_unknown;    /* free/realloc of a pointer the recorder never saw */
    uint64_t skipped_null_free;  /* free(NULL): no heap call to record */
    uint64_t skipped_thread;     /* --threads main: a call by another thread */
    uint64_t skipped_max_ops;    /* calls after --max-ops rows */
    uint64_t implicit_frees;     /* a pointer returned again while still live: freed behind the
                                    recorder's back (a free row was written for it) */
    uint64_t sites;              /* distinct call sites (--sites) */
    char exe[256];               /* the image's program (/proc/self/exe), NUL-terminated */
};

#endif
