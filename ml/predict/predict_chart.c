/* predict_chart.c: the chart of a report (what it keeps: predict_report.h), a column per step. A
 * column's "most frequent" size is counted in a small open-addressing map
 * (sized for the longest column, cleared per column by a stamp), following
 * the running count exactly as it goes: the same points whatever the
 * slicing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "predict/predict_job.h"

/* Slot of size v in the column's map (stamp c + 1 marks this column's slots). */
static int count_slot(struct chart_job *cj, double v)
{
    uint64_t h;
    memcpy(&h, &v, sizeof h);
    h *= 0x9E3779B97F4A7C15ull;
    int i = (int)(h >> 40) & (cj->cap - 1);
    while (cj->stamp[i] == cj->c + 1 && cj->keys[i] != v) i = (i + 1) & (cj->cap - 1);
    return i;
}

int chart_job_begin(struct chart_job *cj, const double *actual, const double *predicted, int n, double x0,
                    int columns)
{
    memset(cj, 0, sizeof *cj);
    int cols = columns < 0 ? PREDICT_CHART_DEFAULT
             : columns < PREDICT_CHART_MIN ? PREDICT_CHART_MIN
             : columns > PREDICT_CHART_MAX ? PREDICT_CHART_MAX : columns;
    cj->actual = actual;
    cj->predicted = predicted;
    cj->n = n > 0 ? n : 0;
    cj->cols = cj->n <= cols ? cj->n : cols; /* short: a column per target, so every point */
    cj->out.columns = cols;
    cj->out.n = cj->n;
    cj->out.x0 = x0;
    int longest = cj->cols ? (cj->n + cj->cols - 1) / cj->cols : 0;
    cj->cap = 16;
    while (cj->cap < 2 * longest) cj->cap *= 2;
    cj->out.actual = malloc((size_t)(6 * cj->cols + 1) * sizeof *cj->out.actual);
    cj->out.predicted = malloc((size_t)(4 * cj->cols + 1) * sizeof *cj->out.predicted);
    cj->keys = malloc((size_t)cj->cap * sizeof *cj->keys);
    cj->counts = malloc((size_t)cj->cap * sizeof *cj->counts);
    cj->stamp = calloc((size_t)cj->cap, sizeof *cj->stamp);
    if (!cj->out.actual || !cj->out.predicted || !cj->keys || !cj->counts || !cj->stamp) {
        chart_job_free(cj);
        return -1;
    }
    return 0;
}

/* Appends the points of indices idx[0..k) (sorted, duplicates once) of series v to pts. */
static void push_points(double *pts, int *np, const double *v, double x0, int *idx, int k)
{
    for (int a = 1; a < k; a++) /* insertion sort of at most 3 */
        for (int b = a; b > 0 && idx[b] < idx[b - 1]; b--) {
            int t = idx[b]; idx[b] = idx[b - 1]; idx[b - 1] = t;
        }
    for (int a = 0; a < k; a++) {
        if (a && idx[a] == idx[a - 1]) continue;
        pts[2 * *np] = x0 + idx[a];
        pts[2 * *np + 1] = v[idx[a]];
        ++*np;
    }
}

/* Shapes column cj->c. */
static void chart_column(struct chart_job *cj)
{
    const double *actual = cj->actual, *predicted = cj->predicted;
    int lo = (int)((int64_t)cj->c * cj->n / cj->cols), hi = (int)((int64_t)(cj->c + 1) * cj->n / cj->cols);
    if (hi <= lo) return;
    int a_min = lo, a_max = lo, p_min = lo, p_max = lo, best = lo, best_count = 0;
    for (int i = lo; i < hi; i++) {
        double a = actual[i], p = predicted[i];
        if (a < actual[a_min]) a_min = i;
        if (a > actual[a_max]) a_max = i;
        if (p < predicted[p_min]) p_min = i;
        if (p > predicted[p_max]) p_max = i;
        int s = count_slot(cj, a);
        if (cj->stamp[s] != cj->c + 1) {
            cj->stamp[s] = cj->c + 1;
            cj->keys[s] = a;
            cj->counts[s] = 0;
        }
        int k = ++cj->counts[s];
        if (k > best_count || (k == best_count && a < actual[best])) {
            best = i;
            best_count = k;
        }
    }
    int ia[3] = {a_min, a_max, best}, ip[2] = {p_min, p_max};
    push_points(cj->out.actual, &cj->out.n_actual, actual, cj->out.x0, ia, 3);
    push_points(cj->out.predicted, &cj->out.n_predicted, predicted, cj->out.x0, ip, 2);
}

int chart_job_more(struct chart_job *cj, double work)
{
    double done = 0.0;
    while (cj->c < cj->cols && (done == 0.0 || done < work)) {
        int lo = (int)((int64_t)cj->c * cj->n / cj->cols), hi = (int)((int64_t)(cj->c + 1) * cj->n / cj->cols);
        chart_column(cj);
        cj->c++;
        done += hi - lo + 1;
    }
    return cj->c >= cj->cols;
}

double chart_job_progress(const struct chart_job *cj) { return cj->cols ? (double)cj->c / cj->cols : 1.0; }

void chart_job_take(struct chart_job *cj, struct predict_chart *out)
{
    *out = cj->out;
    memset(&cj->out, 0, sizeof cj->out);
    chart_job_free(cj);
}

void chart_job_free(struct chart_job *cj)
{
    free(cj->out.actual);
    free(cj->out.predicted);
    free(cj->keys);
    free(cj->counts);
    free(cj->stamp);
    memset(cj, 0, sizeof *cj);
}
