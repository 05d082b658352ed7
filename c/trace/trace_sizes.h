/* trace_sizes.h: the sequence the predictors learn: the requested sizes of a
 * trace's alloc ops and (by default) realloc ops, in order. A realloc asks the
 * allocator for a block of n bytes just as an alloc does, and traces such as
 * Malloc Lab's realloc-bal are mostly reallocs. Frees carry no size and
 * recorded failing calls (TRACE_BAD_*) are skipped.
 */
#ifndef HEAPLAB_TRACE_SIZES_H
#define HEAPLAB_TRACE_SIZES_H

#include "trace/trace.h"

/* malloc'd sizes into *out; returns the count, or -1 out of memory. */
int trace_request_sizes(const struct trace *t, int with_realloc, double **out);
/* The call site number of each of those requests (trace_sites.h), -1 where
 * none, malloc'd into *out; the same count, or -1 out of memory. */
int trace_request_sites(const struct trace *t, int with_realloc, double **out);

#endif
