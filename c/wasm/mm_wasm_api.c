/* mm_wasm_api.c: the mm log (c/mm/mm_log.h, what `heaplab mm --log` writes)
 * as the wasm module exports it to JS. JS writes the log's text into the
 * input buffer, C parses it once into the module's one current log, JS
 * copies the traces and their rows out of two tables and releases it.
 *
 * Tables (fields read once by JS from hl_mm_*_fields()):
 *   trace  double x MM_TRACE_COUNT: one trace's run (hl_mm_trace)
 *   row    double x MM_ROW_COUNT per op record of one trace (hl_mm_rows);
 *          offset -1 stands for a NULL payload, kind is the letter's code
 *   block  double x MM_BLOCK_COUNT per decoded block change (hl_mm_blocks)
 * The names of the statuses, checks and decode states come from mm_log.c (hl_mm_names).
 * The whole file is wasm-only; the native build compiles it to nothing.
 */
#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <stdlib.h>
#include <string.h>
#include "heap/allocator.h"
#include "mm/mm_log.h"
#include "wasm/wasm_io.h"
#include "wasm/wasm_table.h"

#define MM_TRACE_FIELDS(X)                                                                     \
    X(ops, (double)t->ops) X(align, (double)t->align) X(status, (double)t->status)             \
    X(check, (double)t->check) X(op, (double)t->op) X(failOffset, (double)t->fail_offset)       \
    X(rows, (double)t->n_rows) X(decode, (double)t->decode) X(decodeOp, (double)t->decode_op)          \
    X(blocks, (double)t->n_blocks)
#define MM_ROW_FIELDS(X)                                                                       \
    X(op, (double)r->op) X(kind, (double)r->kind) X(id, (double)r->id) X(size, (double)r->size) \
    X(offset, r->offset == MM_LOG_NULL ? -1.0 : (double)r->offset) X(heapSize, (double)r->heap_size)

#define MM_BLOCK_FIELDS(X)                                                                     \
    X(op, (double)k->op) X(add, (double)k->add) X(alloc, (double)k->alloc) X(offset, (double)k->offset) \
    X(size, (double)k->size)

enum { MM_TRACE_COUNT = 0 MM_TRACE_FIELDS(TABLE_COUNT), MM_ROW_COUNT = 0 MM_ROW_FIELDS(TABLE_COUNT),
       MM_BLOCK_COUNT = 0 MM_BLOCK_FIELDS(TABLE_COUNT) };

static struct mm_log current;
static double trace_table[MM_TRACE_COUNT];
static double *row_table, *block_table;

EMSCRIPTEN_KEEPALIVE const char *hl_mm_trace_fields(void) { return MM_TRACE_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_mm_row_fields(void) { return MM_ROW_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_mm_block_fields(void) { return MM_BLOCK_FIELDS(TABLE_NAME); }
EMSCRIPTEN_KEEPALIVE const char *hl_mm_magic(void) { return MM_LOG_MAGIC; }

/* The names of enum mm_status (which 0), enum mm_check (1) or enum mm_decode (2), comma-separated. */
EMSCRIPTEN_KEEPALIVE const char *hl_mm_names(int which) {
    static char buf[3][256];
    if (which < 0 || which > 2) return "";
    int n = which == 0 ? MM_STATUS_COUNT : which == 1 ? MM_CHECK_COUNT : MM_DECODE_COUNT;
    char *b = buf[which];
    b[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(b, which == 0 ? mm_status_name(i) : which == 1 ? mm_check_name(i) : mm_decode_name(i));
        strcat(b, ",");
    }
    return b;
}

EMSCRIPTEN_KEEPALIVE void hl_mm_release(void) {
    mm_log_free(&current);
    free(row_table);
    free(block_table);
    row_table = block_table = NULL;
}

/* Parses the input buffer (text_len bytes of log, then name_len bytes of its
 * name) as the current log: the number of traces, or -1 with "name:line:
 * message" in the text slot, or HEAP_EINVAL. */
EMSCRIPTEN_KEEPALIVE int hl_mm_parse(double text_len, double name_len) {
    char name[128];
    size_t tl;
    const char *in = input_named_text(text_len, name_len, &tl, name, sizeof name);
    if (!in) return HEAP_EINVAL;
    hl_mm_release();
    char err[MM_LOG_TEXT_LEN];
    if (mm_log_parse(in, tl, name, &current, err, sizeof err) != 0) return text_error(err);
    return (int)current.n_traces;
}

static const struct mm_log_trace *trace_at(double i) {
    return i >= 0 && i < (double)current.n_traces ? &current.traces[(size_t)i] : NULL;
}

/* Trace i's table row, or 0 for a bad index. */
EMSCRIPTEN_KEEPALIVE double *hl_mm_trace(double i) {
    const struct mm_log_trace *t = trace_at(i);
    if (!t) return NULL;
    double row[] = { MM_TRACE_FIELDS(TABLE_VALUE) };
    memcpy(trace_table, row, sizeof row);
    return trace_table;
}

/* Trace i's name (which 0), end message (1) or decode message (2), NUL-terminated; 0 for a bad index. */
EMSCRIPTEN_KEEPALIVE const char *hl_mm_trace_text(double i, int which) {
    const struct mm_log_trace *t = trace_at(i);
    return t ? (which == 0 ? t->name : which == 1 ? t->message : t->decode_message) : NULL;
}

/* Trace i's op records as a table (rows x MM_ROW_COUNT doubles), or 0 for a
 * bad index or no memory (an empty trace gives a valid pointer). */
EMSCRIPTEN_KEEPALIVE double *hl_mm_rows(double i) {
    const struct mm_log_trace *t = trace_at(i);
    if (!t) return NULL;
    free(row_table);
    row_table = malloc((t->n_rows ? t->n_rows : 1) * MM_ROW_COUNT * sizeof *row_table);
    if (!row_table) return NULL;
    for (size_t k = 0; k < t->n_rows; k++) {
        const struct mm_log_row *r = &current.rows[t->first_row + k];
        double row[] = { MM_ROW_FIELDS(TABLE_VALUE) };
        memcpy(row_table + k * MM_ROW_COUNT, row, sizeof row);
    }
    return row_table;
}

/* Trace i's decoded block changes as a table (blocks x MM_BLOCK_COUNT doubles), or 0. */
EMSCRIPTEN_KEEPALIVE double *hl_mm_blocks(double i) {
    const struct mm_log_trace *t = trace_at(i);
    if (!t) return NULL;
    free(block_table);
    block_table = malloc((t->n_blocks ? t->n_blocks : 1) * MM_BLOCK_COUNT * sizeof *block_table);
    if (!block_table) return NULL;
    for (size_t j = 0; j < t->n_blocks; j++) {
        const struct mm_log_block *k = &current.blocks[t->first_block + j];
        double row[] = { MM_BLOCK_FIELDS(TABLE_VALUE) };
        memcpy(block_table + j * MM_BLOCK_COUNT, row, sizeof row);
    }
    return block_table;
}
#endif

