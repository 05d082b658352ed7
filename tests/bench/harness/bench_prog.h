/* bench_prog.h: the benchmark's replay program, and the replay loops.
 *
 * A trace is parsed once, natively, by the engine's trace_parse(); its ops
 * are then packed into a flat "program" (a header and 12-byte ops) that is
 * written to a file. Every measurement, native or wasm, loads that program
 * and its id -> block table into harness memory outside the allocator under
 * test (mmap natively, sbrk below the heap in wasm), so the allocator starts
 * from an empty heap, as under Malloc Lab's mem_init(), with nothing left
 * over from parsing.
 *
 *   header (32 bytes, little-endian u32s)
 *   +-------+---------+-------+-------+---------+---------+---------+------+
 *   | magic | version | n_ops | n_ids | peak lo | peak hi | dropped | zero |
 *   +-------+---------+-------+-------+---------+---------+---------+------+
 *   ops: n_ops x { id, size, op }   op is 'a', 'f' or 'r'; id < n_ids
 *
 * peak = the trace's peak live payload (sum of requested sizes), the
 * numerator of Malloc Lab's utilization for allocators that do not count it
 * themselves. Requests of 0 bytes are replayed as 1 byte (C's malloc(0)
 * returns a unique block; HeapLab refuses size 0). Recorded bad calls of a
 * rich trace are dropped (counted in `dropped`): a C library would crash.
 *
 * The replay loops are the same for every allocator: ids index a table of
 * live blocks, a failed request leaves the id dead (later ops on it are
 * skipped and counted), and no payload bytes are touched (as Malloc Lab's
 * throughput run). Only the loop is timed, by two clocks: the CPU time of
 * the process (user + system, so page faults and syscalls count but time
 * spent preempted by other load on a shared machine does not) is the
 * measurement; wall time is kept beside it.
 */
#ifndef HEAPLAB_BENCH_PROG_H
#define HEAPLAB_BENCH_PROG_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_MAGIC 0x50424c48u /* "HLBP" */
#define BENCH_VERSION 1u

enum bench_op_kind { BENCH_ALLOC = 'a', BENCH_FREE = 'f', BENCH_REALLOC = 'r' };

struct bench_header {
    uint32_t magic, version, n_ops, n_ids;
    uint32_t peak_lo, peak_hi, dropped, zero;
};

struct bench_op {
    uint32_t id;
    uint32_t size;
    uint32_t op;
};

_Static_assert(sizeof(struct bench_header) == 32, "program header is 8 u32s");
_Static_assert(sizeof(struct bench_op) == 12, "ops are packed u32 triples");

/* A validated view of a program held in memory (not copied). */
struct bench_prog {
    const struct bench_op *ops;
    uint32_t n_ops, n_ids, dropped;
    uint64_t peak_payload;
};

enum bench_error {
    BENCH_EFORMAT = -301, /* not a program, wrong version, or truncated */
    BENCH_EOP = -302,     /* an op code or id out of range */
    BENCH_EHOST = -303,   /* the harness could not get its own memory */
    BENCH_EPOLICY = -304  /* no such HeapLab policy (heap_create refused it) */
};

/* Returns 0 and fills *out, or BENCH_EFORMAT / BENCH_EOP. */
int bench_prog_view(const void *buf, size_t len, struct bench_prog *out);

/* What one replay measured. */
struct bench_run {
    double us;             /* CPU time of the op loop, microseconds */
    double wall_us;        /* wall time of the op loop, microseconds */
    uint64_t failures;     /* requests the allocator refused */
    uint64_t skipped;      /* frees/reallocs of ids whose request failed */
    uint64_t peak_payload; /* HeapLab: heap_get_stats' peak_payload; else the program's */
    uint64_t heap_peak;    /* HeapLab: heap_peak; bump: bytes bumped; libc: 0 (see bench_sample_libc) */
    uint64_t side_bytes;   /* HeapLab: host bytes kept outside the arena (heap_stats.side_peak); else 0 */
};

/* Microseconds from a monotonic wall clock, and of CPU time used. */
double bench_now_us(void);
double bench_cpu_us(void);

/* warm = 0: the cold benchmark (the replay on a fresh heap is timed).
 * warm = 1: the trace is replayed once untimed, every block it left live is
 * freed (untimed), and the second replay on that same heap is timed: the
 * allocator's own work, without first-touch page faults or arena growth.
 * The untimed pass writes every payload it is handed, as the program
 * would: the timed replay makes no payload writes, so without them a
 * second pass that lays its blocks out differently from the first wrote
 * its headers into memory never touched before (random2-bal, fast: 2,299
 * first-touch cache lines in the timed pass, dlmalloc's repeated layout 1;
 * callgrind's cache simulation), paying the page faults warm is meant to
 * leave out. The bump allocator's second pass repeats its first byte for
 * byte, so it needs none. */

/* Timed replay through malloc/free/realloc. tab has n_ids entries, all NULL.
 * Returns 0. */
int bench_replay_libc(const struct bench_prog *p, void **tab, int warm, struct bench_run *out);
/* Timed replay through a bump allocator (free does nothing; realloc bumps
 * and copies): the physical limit of the harness. Its memory comes from
 * bump_region (natively an mmap reservation, in wasm sbrk). Returns 0. */
int bench_replay_bump(const struct bench_prog *p, void **tab, int warm, struct bench_run *out);

/* Called after every op of a sampling run: returns the allocator's current
 * heap extent in bytes. `big` is the largest block size the op touched. */
typedef uint64_t (*bench_extent_fn)(void *ctx, uint32_t big);

/* Untimed replay through malloc/free/realloc that calls extent() after every
 * op; returns the high-water mark of the extent (0 on host failure). tab and
 * sizes have n_ids zeroed entries. */
uint64_t bench_sample_libc(const struct bench_prog *p, void **tab, uint32_t *sizes, bench_extent_fn extent,
                           void *ctx, struct bench_run *out);

/* Timed replay through a fresh HeapLab heap of `policy`, logging off, arena
 * capacity `arena`. tab has n_ids zeroed entries. Returns 0 or
 * BENCH_EPOLICY / BENCH_EHOST. Only built when HeapLab is linked in. */
int bench_replay_heaplab(const struct bench_prog *p, int policy, uint32_t arena, uint32_t *tab, int warm,
                         struct bench_run *out);

#endif
