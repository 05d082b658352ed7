/* predict_report.h: "how predictable is the next allocation size", the whole
 * evaluation behind `heaplab predict`, lab.predict() and the page:
 *   sizes s[0..m) -> feature rows (size_features.h) -> chronological split
 *   (first floor(train_frac * rows) rows train, the rest test, never
 *   shuffled) -> the tree and every baseline (baselines.h) on the same test
 *   targets -> metrics (metrics.h) -> a forecast of the next `horizon` sizes
 *   by feeding the tree's predictions back as history.
 * Predictors, in report order:
 *   tree          the tuned tree: lags + FEATURES_DEFAULT extras (or the options'
 *                 extras, which may add the call-site features), mode leaves,
 *                 min_samples_leaf 3 (the options' tree params)
 *   tree_sklearn  the original project's model: lag features only, mean
 *                 leaves, scikit-learn's DecisionTreeRegressor defaults with
 *                 the same random_state (exactly what analyze_allocations.py fits)
 *   last, mode, markov1, ngram   the baselines
 * Library code: fills buffers, never prints.
 */
#ifndef HEAPLAB_PREDICT_REPORT_H
#define HEAPLAB_PREDICT_REPORT_H

#include <stddef.h>
#include "predict/metrics.h"
#include "tree/tree.h"

#define PREDICT_N 6

/* The predicted-vs-actual chart of a report (predict_chart.c makes it),
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

#define PREDICT_MAX_HORIZON 10000

struct predict_opts {
    int lags;                 /* 1..64, default 4 */
    double train_frac;        /* (0, 1), default 0.7 */
    int extras;               /* enum feature_extra bits, default FEATURES_DEFAULT */
    int ngram_order;          /* 1..8, default 4 */
    int horizon;              /* 0..PREDICT_MAX_HORIZON, default 10 */
    struct tree_params tree;  /* default: sklearn's, except leaf MODE, min_samples_leaf 3 */
    int detail;               /* 1: also keep the test series and the tree (JSON keys
                                 actual, predicted, model); default 0 */
    int chart_columns;        /* 0 (default): no chart; else the test series shaped to
                                 that many pixel columns (below; < 0: its
                                 default width), JSON key chart, and with detail the
                                 series themselves are left out */
    const double *sites;      /* per size: its call site number, -1 none (trace_request_sites);
                                 needed by the FEAT_SITES extras; default NULL */
};

struct predict_report {
    int n_sizes, train, test, lags, extras, ngram_order;
    const char *names[PREDICT_N];
    struct metrics m[PREDICT_N];
    int tree_nodes, tree_depth, tree_leaf_mode;
    uint32_t random_state;
    double *importances;      /* features_count(lags, extras) */
    int n_features;
    double *forecast;         /* horizon values */
    int horizon;
    int best_mae, best_exact; /* indexes into names */
    double *actual, *predicted; /* detail: test truths and the tree's predictions (test) */
    char *model_json;         /* detail: tree_to_json of the tree */
    struct predict_chart chart; /* chart_columns: the chart's points (columns 0: none) */
};

void predict_opts_default(struct predict_opts *o);
/* Runs the evaluation. Returns 0, or -1 with a message in err (too few
 * sizes for the split, bad options, out of memory); r is then empty. */
int predict_run(const double *sizes, int m, const struct predict_opts *o, struct predict_report *r,
                char *err, size_t errlen);
/* The same evaluation done in slices (predict_job.c), so a caller can show
 * progress and stop it: begin checks the options and copies the sizes
 * (NULL with err set); more does about `work` units of it (tree_fit_more's
 * units) and returns 1 when done, 0 when there is more, -1 on failure
 * (predict_error says why); progress is the fraction done (0..1); end frees
 * the job and, with r, gives what predict_run would have (0, or -1 with
 * err); r NULL drops it (a cancel). */
struct predict_job;
struct predict_job *predict_begin(const double *sizes, int m, const struct predict_opts *o, char *err, size_t errlen);
/* The same for malloc'd sizes the job then owns (and frees, whatever the
 * outcome): no copy, for a caller whose sizes are made for the job. */
struct predict_job *predict_begin_owned(double *sizes, int m, const struct predict_opts *o, char *err, size_t errlen);
int predict_more(struct predict_job *j, double work);
double predict_progress(const struct predict_job *j);
const char *predict_error(const struct predict_job *j);
int predict_end(struct predict_job *j, struct predict_report *r, char *err, size_t errlen);
void predict_report_free(struct predict_report *r);
/* One JSON object (keys in predict_report.c's header comment); malloc'd. */
char *predict_report_json(const struct predict_report *r);
/* A readable table; malloc'd. */
char *predict_report_text(const struct predict_report *r);

#endif
