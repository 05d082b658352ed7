/* tuple_sort.c: rows of w doubles sorted lexicographically by a bottom-up
 * merge sort (runs of 16 rows made by insertion, then merged pairwise
 * between a and one scratch buffer of the same size), with the row
 * comparison inlined. It replaces qsort in the baselines and the metrics:
 * in wasm, qsort (musl's smoothsort calling a comparator through a function
 * pointer) made each n-gram table of a 3.3M-op trace take over a second.
 * Rows that compare equal hold equal values, so the result does not depend
 * on which sort ordered them: every table and metric is unchanged.
 *
 * The sort is resumable (tuple_sort_begin / _more / _end): its state is
 * where the runs or the current pass's merge stopped (the two read
 * positions and the write position), so a slice stops after about `work`
 * rows placed and the next resumes there; the moves are the same however
 * it is sliced. tuple_sort is the job in one slice.
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

int tuple_sort_begin(struct tuple_sort_job *j, double *a, size_t n, int w)
{
    memset(j, 0, sizeof *j);
    j->a = a;
    j->n = n;
    j->w = w;
    j->width = RUN;
    j->r = w > 64 ? malloc((size_t)w * sizeof *j->r) : j->row;
    j->tmp = n > RUN ? malloc(n * (size_t)w * sizeof *j->tmp) : NULL;
    if (!j->r || (n > RUN && !j->tmp)) {
        if (w > 64) free(j->r);
        free(j->tmp);
        j->r = NULL;
        j->tmp = NULL;
        return -1;
    }
    j->src = a;
    j->dst = j->tmp;
    j->i = j->mid = j->k = 0;
    j->jj = j->hi = 0;
    return 0;
}

/* Sets up the merge of the pair starting at row lo of the current pass. */
static void merge_start(struct tuple_sort_job *j, size_t lo)
{
    j->lo = lo;
    j->mid = lo + j->width < j->n ? lo + j->width : j->n;
    j->hi = lo + 2 * j->width < j->n ? lo + 2 * j->width : j->n;
    j->i = lo;
    j->jj = j->mid;
    j->k = lo;
}

int tuple_sort_more(struct tuple_sort_job *j, double work)
{
    const int w = j->w;
    const size_t n = j->n, rb = (size_t)w * sizeof *j->a;
    double budget = work;
    if (!j->runs_done) { /* insertion runs, RUN rows each (about RUN * RUN / 4 moves: RUN units a row) */
        while (j->lo < n && budget > 0) {
            size_t hi = j->lo + RUN < n ? j->lo + RUN : n;
            insertion(j->a, j->lo, hi, w, j->r);
            budget -= (double)(hi - j->lo) * RUN / 4;
            j->lo = hi;
        }
        if (j->lo < n) return 0;
        j->runs_done = 1;
        if (j->width >= n) return 1;
        merge_start(j, 0);
    }
    while (budget > 0) {
        double *src = j->src, *dst = j->dst;
        size_t i = j->i, jj = j->jj, k = j->k;
        const size_t mid = j->mid, hi = j->hi;
        size_t stop = k + (budget >= (double)(hi - k) ? hi - k : (size_t)budget + 1);
        while (i < mid && jj < hi && k < stop) {
            if (row_cmp(src + jj * w, src + i * w, w) < 0) memcpy(dst + (k++) * w, src + (jj++) * w, rb);
            else memcpy(dst + (k++) * w, src + (i++) * w, rb);
        }
        if (k < stop && (i >= mid || jj >= hi)) { /* one side is used up: copy the other's rest at once */
            if (i < mid) memcpy(dst + k * w, src + i * w, (mid - i) * rb);
            if (jj < hi) memcpy(dst + k * w, src + jj * w, (hi - jj) * rb);
            k = hi;
            i = mid;
            jj = hi;
        }
        budget -= (double)(k - j->k);
        j->i = i;
        j->jj = jj;
        j->k = k;
        if (k < hi) return 0;
        if (hi < n) { /* the next pair of this pass */
            merge_start(j, hi);
            continue;
        }
        double *t = j->src; /* the pass is done */
        j->src = j->dst;
        j->dst = t;
        j->width *= 2;
        if (j->width >= n) {
            if (j->src != j->a) memcpy(j->a, j->src, n * rb);
            return 1;
        }
        merge_start(j, 0);
    }
    return 0;
}

double tuple_sort_progress(const struct tuple_sort_job *j)
{
    if (j->n < 2) return 1.0;
    int passes = 1;
    for (size_t wd = RUN; wd < j->n; wd *= 2) passes++;
    if (!j->runs_done) return (double)j->lo / j->n / passes;
    int done = 1;
    for (size_t wd = RUN; wd < j->width; wd *= 2) done++;
    return (done + (double)j->k / j->n) / passes;
}

void tuple_sort_end(struct tuple_sort_job *j)
{
    if (j->w > 64) free(j->r);
    free(j->tmp);
    memset(j, 0, sizeof *j);
}

int tuple_sort(double *a, size_t n, int w)
{
    if (n < 2) return 0;
    struct tuple_sort_job j;
    if (tuple_sort_begin(&j, a, n, w)) return -1;
    while (tuple_sort_more(&j, 1e300) == 0) {}
    tuple_sort_end(&j);
    return 0;
}
