/* trace.h: traces (what a program asked of its allocator) and the seeded
 * scenario generators. Three text formats are read, detected from content:
 *   rich CSV  header naming op,id,size (HeapLab's own log or a real-program
 *             capture); rows alloc|free|realloc. A free row with a negative
 *             result replays the recorded bad call at its raw offset.
 *             Optional columns (the one list: rich_columns in trace_read.c):
 *               offset, result  HeapLab's log: the payload offset, and the
 *                       result (offset, 0, or a negative HEAP_E* / -errno
 *                       for a recorded call that failed)
 *               site    the call site of an alloc or realloc, any text without
 *                       commas (`heaplab record --sites`: module!function+0xoff
 *                       or module+0xoff); empty for none. Kept per op
 *                       (trace_sites.h) for the predictor and the page.
 *               thread  the recording's thread number (0, 1, ...): an integer
 *               time    nanoseconds since the recording began: an integer
 *             (`heaplab record` writes op,id,size,result,thread,time[,site].)
 *   seed CSV  the original project's ALLOC,n / FREE / REALLOC,n lines. FREE
 *             frees, and REALLOC resizes, the most recently allocated block
 *             still live (a stack).
 *   .rep      CS:APP Malloc Lab: 4 header numbers, then a id n / f id / r id n.
 * A trace is validated completely before anything is applied.
 */
#ifndef HEAPLAB_TRACE_H
#define HEAPLAB_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct trace_sites;

enum trace_format { TRACE_RICH = 0, TRACE_SEED = 1, TRACE_REP = 2 };

enum trace_op_kind {
    TRACE_ALLOC = 'a',
    TRACE_FREE = 'f',
    TRACE_REALLOC = 'r',
    TRACE_BAD_FREE = 'x',   /* a recorded failing free: id holds the raw offset */
    TRACE_BAD_REALLOC = 'y' /* a recorded failing realloc: id holds the raw offset */
};

struct trace_op {
    uint8_t op;     /* enum trace_op_kind */
    uint32_t line;  /* 1-based line in the source text */
    int64_t id;
    uint64_t size;
};

struct trace {
    struct trace_op *ops;
    size_t n, cap;
    int64_t max_id;  /* largest id used, -1 when none */
    int format;      /* enum trace_format */
    uint32_t cuts;   /* times ops were cut off (trace_truncate): what replayed it may be stale */
    struct trace_sites *sites; /* the ops' call sites (trace_sites.h), NULL without a site column */
};

#define TRACE_ERR_LEN 256
#define TRACE_MAX_ID ((1 << 26) - 1) /* the largest block id a trace may name */

/* Parse `text` (len bytes). Returns 0, or -1 with err = "name:line: what". */
int trace_parse(const char *text, size_t len, const char *name, struct trace *out, char *err, size_t errlen);
/* The same parse fed in slices of any size (a line may span slices), so a
 * caller can show progress and stop between slices: begin (NULL when out
 * of memory), more (0, or -1 at the first error, after which more does
 * nothing and trace_parse_error gives "name:line: what"), then end, which
 * frees the parse and gives what trace_parse would have given for the
 * slices' concatenation (out NULL: stopped part-way, as on a cancel; the
 * ops are dropped and 0 returned).
 * Memory holds the ops and one partial line, never the text. */
struct trace_parse;
struct trace_parse *trace_parse_begin(const char *name);
int trace_parse_more(struct trace_parse *ps, const char *bytes, size_t len);
/* A hint before the first slice: room for `ops` ops made at once (the page
 * counts the text's lines), so a long trace's ops are never doubled and
 * copied as they arrive (a 3.3M-op trace's peak fell from 2.1x to 1x its
 * ops). Ignored when that much memory is not at hand; never an error. */
void trace_parse_reserve(struct trace_parse *ps, size_t ops);
const char *trace_parse_error(const struct trace_parse *ps); /* NULL while no error */
int trace_parse_end(struct trace_parse *ps, struct trace *out, char *err, size_t errlen);
/* Read and parse a file; same contract. The file is read in chunks and
 * validated as it is read (stopping at the first error); a file larger
 * than TRACE_MAX_FILE_BYTES, a line longer than 64 KiB, a directory and a
 * NUL byte are refused. */
#define TRACE_MAX_FILE_BYTES (1ull << 30)
int trace_load_file(const char *path, struct trace *out, char *err, size_t errlen);
void trace_free(struct trace *t);
/* Append one op; returns 0 or -1 when out of memory. */
int trace_push(struct trace *t, uint8_t op, int64_t id, uint64_t size, uint32_t line);

/* trace_edit.c: keep the first k ops (all when k >= n; max_id follows); a
 * copy of the first k ops into *out (0, or -1 out of memory); and 1 when id
 * is live after the last op (allocated and not freed since), else 0. */
void trace_truncate(struct trace *t, size_t k);
int trace_copy(const struct trace *src, size_t k, struct trace *out);
int trace_id_live(const struct trace *t, int64_t id);

/* Seeded generators: same seed, same ops, on every platform. */
enum trace_scenario {
    SCEN_RANDOM = 0,   /* uniform random allocs and frees */
    SCEN_STACK = 1,    /* LIFO: frees the most recent */
    SCEN_QUEUE = 2,    /* FIFO: frees the oldest */
    SCEN_PHASES = 3,   /* phases of one size each; a few blocks of each outlive it */
    SCEN_FRAGMENT = 4, /* a pool of small and large blocks freed at random */
    SCEN_REALLOC = 5,  /* blocks that grow by realloc */
    SCEN_BEST_WINS = 6,    /* best fit beats first fit */
    SCEN_WORST_WINS = 7,   /* worst fit beats best fit */
    SCEN_NEXT_SPREADS = 8, /* next fit spreads small blocks over every hole */
    SCEN_COUNT = 9
};
/* Scenario number for a name ("random", "stack", ...) or -1. */
int trace_scenario_by_name(const char *name);
const char *trace_scenario_name(int scenario);
/* One or two sentences: what the scenario exists to show (NULL out of range). */
const char *trace_scenario_about(int scenario);
/* Fill `out` with about `nops` ops. Returns 0 or -1. */
int trace_generate(int scenario, uint64_t seed, uint32_t nops, struct trace *out);

/* The trace as text in a format: rich (op,id,size) or rep. malloc'd, NUL-terminated. */
char *trace_to_text(const struct trace *t, int format, size_t *len);

#endif
