/* mm_log.h: the mm log, what `heaplab mm --log FILE` writes about a student's
 * Malloc Lab allocator, op by op, and what the page and the node API import.
 * A text file, one record a line, fields separated by commas:
 *
 *   # heaplab mm log 1                              the first line, exactly
 *   trace,INDEX,OPS,ALIGN,NAME                      a trace's run begins
 *   OP,KIND,ID,SIZE,OFFSET,HEAP                     one op the allocator did
 *   b,OP,+|-,OFFSET,SIZE,ALLOC                      a decoded block appears/goes after OP
 *   decode,INDEX,cs-app,STATE,OP,MESSAGE            how the header walk went
 *   end,INDEX,STATUS,OP,CHECK,FAIL_OFFSET,MESSAGE   how the run ended
 *
 * OP is the op's index in the trace (0-based, increasing); KIND a (mm_malloc),
 * r (mm_realloc) or f (mm_free); ID the trace's block id; SIZE the bytes
 * asked for (0 for f); OFFSET the payload returned (for f: the payload freed)
 * as bytes from mem_heap_lo(), or - for NULL; HEAP mem_heapsize() after the
 * op. STATUS is ok, invalid, out-of-memory, crash, timeout, exit or error;
 * for every status but ok, OP is the op where it happened (-1 when no op was
 * running, e.g. in mm_init); CHECK names the broken check (none, init, null,
 * align, outside, overlap, changed, realloc) and FAIL_OFFSET its payload (-1
 * none). NAME and MESSAGE run to the end of the line. Rows stop at the op that
 * broke (a crash inside an op leaves no row for it). With --decode cs-app,
 * b records follow an op's record: the changes of the block list read from
 * the student's headers (OFFSET of the header from mem_heap_lo(), SIZE and
 * ALLOC as the header says); the decode record (STATE ok, or stopped at OP
 * with the reason, after which the trace has no b records) precedes end.
 * Lines starting with # are comments. The format's names are spelled here and
 * in mm_log.c only.
 */
#ifndef HEAPLAB_MM_LOG_H
#define HEAPLAB_MM_LOG_H
#include <stddef.h>
#include <stdint.h>
#include "mm/mm_checks.h"
#include "util/strbuf.h"

#define MM_LOG_MAGIC "# heaplab mm log 1"
#define MM_LOG_TEXT_LEN 448
#define MM_LOG_NULL UINT64_MAX /* offset of a NULL payload */

struct mm_log_row {
    uint64_t op;        /* index in the trace */
    uint8_t kind;       /* 'a', 'r', 'f' */
    uint32_t id;
    uint64_t size;
    uint64_t offset;    /* from mem_heap_lo(), MM_LOG_NULL for NULL */
    uint64_t heap_size; /* after the op */
};

struct mm_log_block {
    uint64_t op;      /* the op after which it changed */
    uint8_t add;      /* 1: appears, 0: goes */
    uint8_t alloc;    /* its header's allocated bit */
    uint64_t offset;  /* its header's offset from mem_heap_lo() */
    uint64_t size;    /* the size in its header */
};

struct mm_log_trace {
    char name[MM_LOG_TEXT_LEN];
    uint64_t ops;         /* the trace's length */
    uint32_t align;
    int status;           /* enum mm_status */
    int check;            /* enum mm_check */
    int64_t op;           /* where it happened, -1 none */
    int64_t fail_offset;  /* -1 none */
    char message[MM_LOG_TEXT_LEN];
    size_t first_row, n_rows; /* its rows in mm_log.rows */
    int decode;               /* enum mm_decode */
    int64_t decode_op;        /* where the walk stopped, -1 none */
    char decode_message[MM_LOG_TEXT_LEN];
    size_t first_block, n_blocks; /* its block changes in mm_log.blocks */
};

struct mm_log {
    struct mm_log_row *rows;
    size_t n_rows, cap_rows;
    struct mm_log_trace *traces;
    size_t n_traces, cap_traces;
    struct mm_log_block *blocks;
    size_t n_blocks, cap_blocks;
};

const char *mm_status_name(int status);
const char *mm_check_name(int check);
const char *mm_decode_name(int decode);

/* 1 when text begins with the mm log's first line. */
int mm_log_detect(const char *text, size_t len);
/* Parses a whole log; 0, or -1 with err = "name:line: what" and *out empty. */
int mm_log_parse(const char *text, size_t len, const char *name, struct mm_log *out, char *err, size_t errlen);
void mm_log_free(struct mm_log *log);

/* The writers (one record each; newlines and commas are kept out of the fields that end a line). */
void mm_log_write_magic(struct strbuf *b);
void mm_log_write_trace(struct strbuf *b, unsigned index, uint64_t ops, unsigned align, const char *name);
void mm_log_write_row(struct strbuf *b, const struct mm_log_row *r);
void mm_log_write_block(struct strbuf *b, const struct mm_log_block *blk);
void mm_log_write_decode(struct strbuf *b, unsigned index, const struct mm_log_trace *t);
void mm_log_write_end(struct strbuf *b, unsigned index, const struct mm_log_trace *t);
#endif
