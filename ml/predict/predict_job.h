/* predict_job.h: the state of the prediction job (predict_report.h's
 * predict_begin / _more / _end), shared by the files that each run one part
 * of it. Not part of the public API.
 *
 *   predict_job.c     the state machine: begin (checks, copies), more (the
 *                     stage dispatch), progress, end, run; failure and release
 *   predict_fit.c     FIT_TREE and FIT_SKLEARN: a tree's feature rows, its fit,
 *                     its test predictions
 *   predict_base.c    BASELINES: the n-gram model trained a step at a time and
 *                     the four baselines' predictions
 *   predict_finish.c  FINISH: the forecast, the metrics and the report's summary
 *   predict_chart.c   the predicted-vs-actual chart's points (part of FINISH; what
 *                     it keeps: predict_report.h)
 *
 * The slicing rule every stage keeps: a call does about `work` units and
 * stops; what it has not done is in the state below, and the next call
 * resumes there in the same order, so the report does not depend on the
 * slicing. No loop over rows, targets, columns or table entries runs to its
 * end in one call unless it fits in `work`.
 */
#ifndef HEAPLAB_PREDICT_JOB_H
#define HEAPLAB_PREDICT_JOB_H

#include <stdio.h>

#include "predict/baselines.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "predict/tuple_sort.h"
#include "tree/tree.h"

/* predict_chart.c */
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


enum predict_stage { FIT_TREE = 0, FIT_SKLEARN = 1, BASELINES = 2, FINISH = 3, DONE = 4 };

struct predict_job {
    struct predict_opts o;
    double *s, *sites;         /* copies of the sizes and their sites (the caller's may go) */
    int m, n_train, n_test, t_split, nf;
    double *pred;              /* n_test per predictor, in report order */
    double *X, *y;             /* the feature rows of the tree being fitted */
    int nfx;                   /* its feature count */
    struct feat_state fs;      /* the feature state building X */
    int fs_live;               /* fs holds tables to free */
    struct feat_state kept;    /* the tuned tree's feature state, fed every size: the forecast's start */
    int kept_live;
    int feat_t;                /* FIT_*: the next size fed to fs (m: the rows are built) */
    int pred_i;                /* FIT_*: the next test row predicted once the fit is done */
    struct tree fitted;        /* FIT_*: the tree being asked for the test predictions */
    int fitted_live;
    double pred_cost;          /* FIT_*: work units of a node visited by a test prediction (predict_fit.c) */
    int tree_depth;            /* the tuned tree's depth (-1 out of memory), for the report */
    int base_t;                /* BASELINES: the next test target of the baseline being predicted */
    double *tup;               /* BASELINES: the rows of the table being sorted */
    int tup_n, tup_i, sorting; /* their count, rows made so far; 1 while the sort job sj runs */
    int base_phase;            /* BASELINES: the step's rows being made, sorted, or read (predict_base.c) */
    struct ngram_level_job lj; /* BASELINES: the table being made from the sorted rows */
    struct tuple_sort_job sj;
    struct tree_fit_job *fit;
    struct tree t;             /* the tuned tree, once fitted */
    struct tree_params plain;  /* the original project's model: sklearn's defaults */
    struct ngram_model g;      /* the baselines' model, while trained */
    int base_step;             /* BASELINES: 0 the mode, then context length j, then each baseline */
    int fin_step;              /* FINISH: forecast, sorted sizes, each predictor's metrics, summary */
    int fin_phase, fin_i;      /* FINISH: the distinct sizes sorted (0) or made unique (1), rows done */
    struct metrics_acc macc;   /* FINISH: the sums of the predictor whose metrics are being made (fin_i: targets done) */
    double *uniq;              /* FINISH: the distinct training sizes, ascending */
    int nu;
    struct chart_job chart;    /* FINISH: the chart's points, made in pieces */
    int chart_live;            /* chart holds a job */
    int stage, failed;
    char err[256];
    struct predict_report r;
};

/* How many items of `cost` units fit in `work` (at least one, at most left). */
static inline int items_for(double work, double cost, int left)
{
    double k = work / (cost > 1.0 ? cost : 1.0);
    return k >= left ? left : k < 1.0 ? 1 : (int)k;
}

/* The helpers every stage uses, inline here so that no two files call each
 * other (predict_job.c calls the stages, the stages call nothing back). */

/* Marks the job failed with a message; returns -1. */
static inline int job_fail(struct predict_job *j, const char *msg)
{
    j->failed = 1;
    snprintf(j->err, sizeof j->err, "%s", msg);
    return -1;
}

/* A tree error (TREE_E*) as the report words it; returns -1. */
static inline int job_tree_fail(struct predict_job *j, int trc)
{
    char msg[128];
    snprintf(msg, sizeof msg, "tree: %s", tree_strerror(trc));
    return job_fail(j, msg);
}

/* Sorts the n rows of w values at tup in pieces of about `work` rows
 * (starting the sort on the first call); 1 once sorted, 0 when there is
 * more, -1 out of memory. */
static inline int job_sort_step(struct predict_job *j, double *tup, int n, int w, double work)
{
    if (!j->sorting) {
        if (tuple_sort_begin(&j->sj, tup, (size_t)n, w)) return job_fail(j, "out of memory");
        j->sorting = 1;
    }
    if (!tuple_sort_more(&j->sj, work)) return 0;
    tuple_sort_end(&j->sj);
    j->sorting = 0;
    return 1;
}

/* predict_fit.c */
/* Starts the current fit stage's feature rows; 0 or -1. */
int fit_start(struct predict_job *j);
/* One slice of a fit stage: rows, the fit, or the test predictions; 0 or -1. */
int fit_step(struct predict_job *j, double work);
/* The fit stage's progress (0..1). */
double fit_progress(const struct predict_job *j);

/* predict_base.c */
/* One slice of the baselines; 0 or -1. */
int baselines_step(struct predict_job *j, double work);
/* The baselines' progress (0..1). */
double baselines_progress(const struct predict_job *j);

/* predict_finish.c */
/* One slice of the report; 0 or -1. */
int finish_step(struct predict_job *j, double work);
/* The report's progress (0..1). */
double finish_progress(const struct predict_job *j);

#endif
