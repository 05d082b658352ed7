/* tuple_sort.c: rows of w doubles sorted lexicographically by a bottom-up
 * merge sort (runs of 16 rows made by insertion, then merged pairwise
 * between a and one scratch buffer of the same size), with the row
 * comparison inlined. It replaces qsort in the baselines and the metrics:
 * in wasm, qsort (musl's smoothsort calling a comparator through a function
 * pointer) made each n-gram table of a 3.3M-op trace take over a second.
 * Rows that compare equal hold equal values, so the result does not depend
 * on which sort ordered them: every table and metric is unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include "predict/tuple_sort.h"

enum { RUN = 16 };

/* -1, 0 or 1 as row x is before, equal to or after row y (w values each). */
static inline int row_cmp(const double *x, const double *y, int w)
{
    for (int i = 0; i < w; i++) {
        if (x[i] < y[i]) return -1;
        if (x[i] > y[i]) return 1;
    }
    return 0;
}

/* Insertion sort of rows [lo, hi) of a (row scratch `row`). */
static void insertion(double *a, size_t lo, size_t hi, int w, double *row)
{
    const size_t rb = (size_t)w * sizeof *a;
    for (size_t i = lo + 1; i < hi; i++) {
        if (row_cmp(a + (i - 1) * w, a + i * w, w) <= 0) continue;
        memcpy(row, a + i * w, rb);
        size_t j = i;
        while (j > lo && row_cmp(a + (j - 1) * w, row, w) > 0) {
            memcpy(a + j * w, a + (j - 1) * w, rb);
            j--;
        }
        memcpy(a + j * w, row, rb);
    }
}

int tuple_sort(double *a, size_t n, int w)
{
    if (n < 2) return 0;
    double row[64];
    double *heap_row = w > 64 ? malloc((size_t)w * sizeof *heap_row) : NULL;
    double *r = w > 64 ? heap_row : row;
    double *tmp = n > RUN ? malloc(n * (size_t)w * sizeof *tmp) : NULL;
    if ((w > 64 && !heap_row) || (n > RUN && !tmp)) {
        free(heap_row);
        free(tmp);
        return -1;
    }
    for (size_t lo = 0; lo < n; lo += RUN) insertion(a, lo, lo + RUN < n ? lo + RUN : n, w, r);
    double *src = a, *dst = tmp;
    const size_t rb = (size_t)w * sizeof *a;
    for (size_t width = RUN; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (row_cmp(src + j * w, src + i * w, w) < 0) memcpy(dst + (k++) * w, src + (j++) * w, rb);
                else memcpy(dst + (k++) * w, src + (i++) * w, rb);
            }
            if (i < mid) memcpy(dst + k * w, src + i * w, (mid - i) * rb);
            if (j < hi) memcpy(dst + (k + mid - i) * w, src + j * w, (hi - j) * rb);
        }
        double *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, n * rb);
    free(tmp);
    free(heap_row);
    return 0;
}
