/* metrics.h: how good a size prediction is, on a chronological test split.
 *   mae, rmse    on the raw predictions, in bytes
 *   exact        share of predictions that, snapped to the nearest size seen
 *                in training (ties: the smaller), equal the true size
 *   size_class   share whose power-of-two class equals the truth's, where the
 *                class of v is the smallest k with 2^k >= v (0 for v <= 1)
 */
#ifndef HEAPLAB_METRICS_H
#define HEAPLAB_METRICS_H

struct metrics {
    double mae, rmse, exact, size_class;
    int n;
};

/* The distinct values of v[0..n), ascending, into out (n slots); returns count. */
int metrics_unique_sorted(const double *v, int n, double *out);
/* The element of sorted[0..nu) nearest to v (ties: the smaller); v if nu == 0. */
double metrics_snap(double v, const double *sorted, int nu);
/* Power-of-two size class of a byte count. */
int metrics_size_class(double v);
/* The sums behind the metrics, added to item by item in order (so the
 * metrics can be computed in pieces, with the same sums). */
struct metrics_acc {
    double abs_sum, sq_sum;
    int exact, cls;
};
/* Adds items [from, to) of pred vs truth to a (zeroed at the start). */
void metrics_add(struct metrics_acc *a, const double *pred, const double *truth, int from, int to,
                 const double *train_sizes, int nu);
/* The metrics of n items from their sums. */
void metrics_of(const struct metrics_acc *a, int n, struct metrics *m);
/* Fills m for pred vs truth over n >= 1 items; train_sizes as from metrics_unique_sorted. */
void metrics_compute(const double *pred, const double *truth, int n, const double *train_sizes, int nu,
                     struct metrics *m);

#endif
