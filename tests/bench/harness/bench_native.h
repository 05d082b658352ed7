/* bench_native.h: pieces of the native harness shared between its files. */
#ifndef HEAPLAB_BENCH_NATIVE_H
#define HEAPLAB_BENCH_NATIVE_H

#include <stddef.h>
#include "trace/trace.h"

/* Returns a malloc'd program for t (length in *len), or NULL with err set. */
void *bench_prog_build(const struct trace *t, size_t *len, double *lb, char *err, size_t errlen);

#endif
