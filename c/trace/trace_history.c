/* trace_history.c: the heap over time at a glance (trace_history.h). One
 * replay with replay_op (the cursor's semantics: a step means the same thing
 * everywhere), and after each sampled step one walk of the blocks that adds
 * every free block's bytes to the cells it covers.
 */
#include <stdlib.h>
#include <string.h>
#include "trace/replay.h"
#include "trace/trace_history.h"

struct raster { uint64_t *free_bytes; uint32_t cols, span; };

/* Walker callback: adds a free block's bytes to the cells it covers. */
static int add_free(const struct heap_block_info *b, void *ctx) {
    struct raster *r = ctx;
    if (!b->is_free) return 0;
    uint64_t s = b->offset, e = (uint64_t)b->offset + b->size;
    if (e > r->span) e = r->span;
    while (s < e) {
        uint64_t c = s * r->cols / r->span, cell_end = ((c + 1) * r->span + r->cols - 1) / r->cols;
        if (cell_end <= s) cell_end = s + 1;
        uint64_t stop = cell_end < e ? cell_end : e;
        r->free_bytes[c] += stop - s;
        s = stop;
    }
    return 0;
}

/* Writes one row: each cell's free share of its bytes below the break. */
static void row_fill(struct heap *h, struct raster *r, uint8_t *row) {
    memset(r->free_bytes, 0, r->cols * sizeof *r->free_bytes);
    heap_walk(h, add_free, r);
    uint64_t brk = heap_break(h);
    for (uint32_t c = 0; c < r->cols; c++) {
        uint64_t lo = (uint64_t)c * r->span / r->cols, hi = (uint64_t)(c + 1) * r->span / r->cols;
        if (hi <= lo) hi = lo + 1;
        uint64_t in = brk <= lo ? 0 : (brk < hi ? brk : hi) - lo;
        row[c] = in == 0 ? 0 : (uint8_t)(1 + (r->free_bytes[c] * 254 + in / 2) / in);
    }
}

int trace_history(struct heap *h, const struct trace *t, uint32_t rows, uint32_t cols, uint32_t span,
                  uint8_t *out, uint32_t *steps) {
    if (!h || !t || !out || !steps || !rows || !cols || !span) return -1;
    if (rows > t->n) rows = (uint32_t)t->n;
    struct replay_state st;
    struct raster r = { calloc(cols, sizeof(uint64_t)), cols, span };
    if (!r.free_bytes || replay_state_init(&st, t, 0) != 0) {
        free(r.free_bytes);
        return -1;
    }
    struct replay_result res;
    memset(&res, 0, sizeof res);
    uint32_t row = 0;
    for (size_t i = 0; i < t->n && row < rows; i++) {
        replay_op(&st, h, &t->ops[i], i, &res);
        uint64_t want = ((uint64_t)(row + 1) * t->n + rows - 1) / rows;
        if (i + 1 < want) continue;
        steps[row] = (uint32_t)(i + 1);
        row_fill(h, &r, out + (size_t)row * cols);
        row++;
    }
    replay_state_free(&st);
    free(r.free_bytes);
    return (int)row;
}
