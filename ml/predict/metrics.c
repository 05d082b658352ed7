/* metrics.c: MAE, RMSE, exact match after snapping, power-of-two size-class
 * accuracy (definitions in metrics.h). Pure functions; never print.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "predict/metrics.h"
#include "predict/tuple_sort.h"

/* qsort comparator, ascending doubles. */
static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Number of distinct values, written ascending to out. */
int metrics_unique_sorted(const double *v, int n, double *out)
{
    if (n <= 0) return 0;
    memcpy(out, v, (size_t)n * sizeof *out);
    if (tuple_sort(out, (size_t)n, 1)) qsort(out, (size_t)n, sizeof *out, cmp_d); /* no scratch memory: sort in place */
    int k = 1;
    for (int i = 1; i < n; i++)
        if (out[i] != out[k - 1]) out[k++] = out[i];
    return k;
}

/* Nearest training size to v (ties: the smaller). */
double metrics_snap(double v, const double *sorted, int nu)
{
    if (nu <= 0) return v;
    int lo = 0, hi = nu; /* first index with sorted[i] >= v */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return sorted[0];
    if (lo == nu) return sorted[nu - 1];
    double below = sorted[lo - 1], above = sorted[lo];
    return (v - below <= above - v) ? below : above;
}

/* Smallest k with 2^k >= v. */
int metrics_size_class(double v)
{
    int k = 0;
    double p = 1.0;
    while (p < v && k < 1100) {
        p *= 2.0;
        k++;
    }
    return k;
}

void metrics_add(struct metrics_acc *a, const double *pred, const double *truth, int from, int to,
                 const double *train_sizes, int nu)
{
    for (int i = from; i < to; i++) {
        double e = pred[i] - truth[i];
        a->abs_sum += fabs(e);
        a->sq_sum += e * e;
        if (metrics_snap(pred[i], train_sizes, nu) == truth[i]) a->exact++;
        if (metrics_size_class(pred[i]) == metrics_size_class(truth[i])) a->cls++;
    }
}

void metrics_of(const struct metrics_acc *a, int n, struct metrics *m)
{
    m->n = n;
    m->mae = n ? a->abs_sum / n : 0.0;
    m->rmse = n ? sqrt(a->sq_sum / n) : 0.0;
    m->exact = n ? (double)a->exact / n : 0.0;
    m->size_class = n ? (double)a->cls / n : 0.0;
}

/* Fills m with MAE, RMSE, exact-match and size-class rates (the sums in one piece). */
void metrics_compute(const double *pred, const double *truth, int n, const double *train_sizes, int nu,
                     struct metrics *m)
{
    struct metrics_acc a = {0.0, 0.0, 0, 0};
    metrics_add(&a, pred, truth, 0, n, train_sizes, nu);
    metrics_of(&a, n, m);
}
