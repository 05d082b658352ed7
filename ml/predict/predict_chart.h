/* predict_chart.h: the predicted-vs-actual chart of a prediction report,
 * shaped in C to the chart's pixel columns, so the report carries a few
 * thousand points instead of the whole test part (495,000 requests on a
 * 3.3M-op trace) and the page neither copies nor draws more than it shows.
 *
 * The test part's n targets are cut into `columns` consecutive slices
 * (column c holds targets [floor(c n / columns), floor((c+1) n / columns)));
 * per column the predicted line keeps its lowest and highest point (a line
 * through them covers the same pixels) and the actual sizes their lowest,
 * highest and most frequent value (the dots a reader can tell apart in one
 * column). Extremes are the first index reaching them; "most frequent" is
 * the index at which a size's running count last took the lead (a tie goes
 * to the smaller size). Points keep their true x (x0 + index), ascending,
 * a column's duplicates once. A test part no longer than `columns` is kept
 * whole.
 */
#ifndef HEAPLAB_PREDICT_CHART_H
#define HEAPLAB_PREDICT_CHART_H

/* The columns a chart is shaped to: asked-for widths are clamped to
 * [MIN, MAX]; DEFAULT when the caller does not know its width. */
#define PREDICT_CHART_MIN 100
#define PREDICT_CHART_DEFAULT 1200
#define PREDICT_CHART_MAX 4096

struct predict_chart {
    int columns, n;             /* columns shaped to (0: no chart), test targets */
    double x0;                  /* x of target 0 */
    double *actual, *predicted; /* (x, y) pairs: n_actual and n_predicted of them */
    int n_actual, n_predicted;
};

/* The chart made in slices: begin (0, or -1 out of memory), more shapes
 * about `work` targets (at least one column) and returns 1 when done,
 * progress is the fraction done, take moves the chart out (the job then
 * holds nothing), free drops what the job holds. actual and predicted
 * must stay until done. */
struct chart_job {
    const double *actual, *predicted;
    int n, cols, c;             /* targets, columns, next column */
    struct predict_chart out;
    double *keys;               /* a column's sizes -> counts (open addressing, cap slots) */
    int *counts, *stamp, cap;
};
int chart_job_begin(struct chart_job *cj, const double *actual, const double *predicted, int n, double x0,
                    int columns);
int chart_job_more(struct chart_job *cj, double work);
double chart_job_progress(const struct chart_job *cj);
void chart_job_take(struct chart_job *cj, struct predict_chart *out);
void chart_job_free(struct chart_job *cj);

#endif
