/* tuple_sort.h: an ascending lexicographic sort of rows of doubles, for the
 * baselines' context tables and the metrics' sorted training sizes, in one
 * call or in slices. */
#ifndef HEAPLAB_TUPLE_SORT_H
#define HEAPLAB_TUPLE_SORT_H

#include <stddef.h>

/* Sorts n rows of w doubles (row-major in a) ascending, comparing values in
 * order with < and >; returns 0, or -1 out of memory (a unchanged). */
int tuple_sort(double *a, size_t n, int w);

/* The same sort in slices: begin (0, or -1 out of memory: nothing to end);
 * more places about `work` rows (a merge pass moves each row once; the
 * insertion runs count RUN/4 units a row) and returns 1 once a is sorted,
 * else 0; progress is the fraction done (0..1); end frees the scratch
 * (whether or not the sort finished: a stopped sort leaves a permuted). */
struct tuple_sort_job {
    double *a, *tmp, *src, *dst, *r;
    double row[64];
    size_t n, width, lo, mid, hi, i, jj, k;
    int w, runs_done;
};
int tuple_sort_begin(struct tuple_sort_job *j, double *a, size_t n, int w);
int tuple_sort_more(struct tuple_sort_job *j, double work);
double tuple_sort_progress(const struct tuple_sort_job *j);
void tuple_sort_end(struct tuple_sort_job *j);

#endif
