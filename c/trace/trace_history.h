/* trace_history.h: the heap over time at a glance (the page's history strip,
 * after villoc): a trace replayed once, and the heap after each of `rows`
 * evenly spaced steps drawn as one row of `cols` cells over the addresses
 * [0, span). A cell holds 0 when all its bytes lie beyond the break, else
 * 1 + the share of its bytes (below the break) that are free, scaled to
 * 0..254: so 1 is all allocated and 255 all free.
 */
#ifndef HEAPLAB_TRACE_HISTORY_H
#define HEAPLAB_TRACE_HISTORY_H

#include <stdint.h>
#include "heap/allocator.h"
#include "trace/trace.h"

/* Row r shows the heap after step (r + 1) * n / rows, rounded up (n = the
 * trace's ops; rows is cut to n). Returns the rows written, or -1 (bad
 * arguments, or out of host memory). Heap h (empty, no log needed) is
 * replayed into; out holds rows * cols cells, steps[r] the step of row r. */
int trace_history(struct heap *h, const struct trace *t, uint32_t rows, uint32_t cols, uint32_t span,
                  uint8_t *out, uint32_t *steps);

#endif
