/* tuple_sort.h: an ascending lexicographic sort of rows of doubles, for the
 * baselines' context tables and the metrics' sorted training sizes. */
#ifndef HEAPLAB_TUPLE_SORT_H
#define HEAPLAB_TUPLE_SORT_H

#include <stddef.h>

/* Sorts n rows of w doubles (row-major in a) ascending, comparing values in
 * order with < and >; returns 0, or -1 out of memory (a unchanged). */
int tuple_sort(double *a, size_t n, int w);

#endif
