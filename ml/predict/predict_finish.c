/* predict_finish.c: the FINISH stage of the prediction job (predict_job.h),
 * the report itself, in steps:
 *   0            the forecast (the tuned tree's predictions fed back from the
 *                feature state that saw every size) and the detail (the tree
 *                as JSON; the test series unless a chart replaces them)
 *   1            the distinct training sizes: copied and sorted in pieces, then
 *                made unique in pieces (what metrics_unique_sorted gives)
 *   2..          each predictor's metrics, in report order (the first best
 *                wins ties), in pieces of targets (metrics_add)
 *   then         the chart's points in pieces of columns (predict_chart.c),
 *                when asked for
 *   last         the summary (counts, options, the tree's shape)
 */
#include <stdlib.h>
#include <string.h>
#include "predict/predict_job.h"
#include "tree/tree_export.h"

enum { FORECAST = 0, UNIQUE = 1, METRICS = 2, CHART = METRICS + PREDICT_N, SUMMARY = CHART + 1 };

/* Forecast from st, which has been fed all of s (the tuned tree's feature
 * state): the tree's own predictions fed back (their sites unknown); 0 or -1. */
static int forecast(const struct tree *t, struct feat_state *st, int horizon, double *out)
{
    double row[FEATURES_MAX_LAGS + 16];
    int rc = 0;
    for (int h = 0; h < horizon && !rc; h++) {
        feat_row(st, row);
        out[h] = tree_predict_row(t, row);
        rc = feat_push(st, out[h]);
    }
    return rc;
}

/* Step FORECAST; 0 or -1. */
static int forecast_step(struct predict_job *j)
{
    const struct predict_opts *o = &j->o;
    struct predict_report *r = &j->r;
    r->importances = malloc((size_t)j->nf * sizeof *r->importances);
    r->forecast = malloc(((size_t)o->horizon + 1) * sizeof *r->forecast);
    j->uniq = malloc((size_t)j->t_split * sizeof *j->uniq);
    int rc = (r->importances && r->forecast && j->uniq) ? 0 : -1;
    if (!rc) rc = forecast(&j->t, &j->kept, o->horizon, r->forecast);
    feat_free(&j->kept);
    j->kept_live = 0;
    if (!rc && o->detail) {
        r->model_json = tree_to_json(&j->t);
        rc = r->model_json ? 0 : -1;
        if (!rc && !o->chart_columns) {
            r->actual = malloc((size_t)j->n_test * sizeof *r->actual);
            r->predicted = malloc((size_t)j->n_test * sizeof *r->predicted);
            rc = (r->actual && r->predicted) ? 0 : -1;
            if (!rc) {
                memcpy(r->actual, j->s + j->t_split, (size_t)j->n_test * sizeof *r->actual);
                memcpy(r->predicted, j->pred, (size_t)j->n_test * sizeof *r->predicted);
            }
        }
    }
    j->fin_step++;
    return rc ? job_fail(j, "out of memory") : 0;
}

/* Step UNIQUE in pieces: the copy (with the sort's first slice), the sort, then the unique pass; 0 or -1. */
static int unique_step(struct predict_job *j, double work)
{
    const int t_split = j->t_split;
    if (j->fin_phase == 0) {
        if (!j->sorting) memcpy(j->uniq, j->s, (size_t)t_split * sizeof *j->uniq);
        int rc = job_sort_step(j, j->uniq, t_split, 1, work);
        if (rc <= 0) return rc;
        j->fin_phase = 1;
        j->nu = 1;
        j->fin_i = 1;
        return 0;
    }
    int i = j->fin_i, end = i + items_for(work, 1.0, t_split - i), k = j->nu;
    for (; i < end; i++)
        if (j->uniq[i] != j->uniq[k - 1]) j->uniq[k++] = j->uniq[i];
    j->fin_i = i;
    j->nu = k;
    if (i == t_split) {
        j->fin_step++;
        j->fin_i = 0; /* the metrics' next target */
    }
    return 0;
}

/* Work units of one target's metrics (its snap is a binary search over the
 * distinct training sizes): ~60 ns natively, ~180 in wasm; a predictor's
 * metrics over the 3.3M-op trace's 495,000 targets took 30 ms in one call
 * (72 in wasm), and slices of 3 units a target 30 ms in wasm. */
#define METRIC_COST 6.0

/* Step METRICS + k: predictor k's metrics, about `work` units a call
 * (fin_i the next target, macc the sums so far); 0. */
static int metrics_step(struct predict_job *j, int k, double work)
{
    static const char *const names[PREDICT_N] = {"tree", "tree_sklearn", "last", "mode", "markov1", "ngram"};
    struct predict_report *r = &j->r;
    const double *pred = j->pred + (size_t)k * j->n_test, *truth = j->s + j->t_split;
    int i = j->fin_i, end = i + items_for(work, METRIC_COST, j->n_test - i);
    if (i == 0) memset(&j->macc, 0, sizeof j->macc);
    metrics_add(&j->macc, pred, truth, i, end, j->uniq, j->nu);
    j->fin_i = end;
    if (end < j->n_test) return 0;
    j->fin_i = 0;
    r->names[k] = names[k];
    metrics_of(&j->macc, j->n_test, &r->m[k]);
    if (r->m[k].mae < r->m[r->best_mae].mae) r->best_mae = k;
    if (r->m[k].exact > r->m[r->best_exact].exact) r->best_exact = k;
    j->fin_step++;
    return 0;
}

/* Step CHART in pieces of columns (nothing without chart_columns); 0 or -1. */
static int chart_step(struct predict_job *j, double work)
{
    if (!j->o.chart_columns) {
        j->fin_step++;
        return 0;
    }
    if (!j->chart_live) {
        if (chart_job_begin(&j->chart, j->s + j->t_split, j->pred, j->n_test, j->n_train + 1.0, j->o.chart_columns))
            return job_fail(j, "out of memory");
        j->chart_live = 1;
    }
    if (!chart_job_more(&j->chart, work)) return 0;
    chart_job_take(&j->chart, &j->r.chart);
    j->chart_live = 0;
    j->fin_step++;
    return 0;
}

/* Step SUMMARY: the counts, the options and the tree's shape; the job is DONE. */
static int summary_step(struct predict_job *j)
{
    const struct predict_opts *o = &j->o;
    struct predict_report *r = &j->r;
    free(j->uniq);
    j->uniq = NULL;
    r->n_sizes = j->m;
    r->train = j->n_train;
    r->test = j->n_test;
    r->lags = o->lags;
    r->extras = o->extras;
    r->ngram_order = o->ngram_order;
    r->tree_nodes = j->t.node_count;
    r->tree_depth = j->tree_depth;
    r->tree_leaf_mode = o->tree.leaf_mode;
    r->random_state = o->tree.random_state;
    r->n_features = j->nf;
    memcpy(r->importances, j->t.importances, (size_t)j->nf * sizeof *r->importances);
    r->horizon = o->horizon;
    j->stage = DONE;
    return 0;
}

int finish_step(struct predict_job *j, double work)
{
    const int step = j->fin_step;
    if (step == FORECAST) return forecast_step(j);
    if (step == UNIQUE) return unique_step(j, work);
    if (step < CHART) return metrics_step(j, step - METRICS, work);
    if (step == CHART) return chart_step(j, work);
    return summary_step(j);
}

double finish_progress(const struct predict_job *j)
{
    double in = j->fin_step == CHART && j->chart_live ? chart_job_progress(&j->chart)
              : j->fin_step >= METRICS && j->fin_step < CHART ? (double)j->fin_i / j->n_test : 0.0;
    return (j->fin_step + in) / (SUMMARY + 1);
}
