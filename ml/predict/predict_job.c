/* predict_job.c: the evaluation of predict_report.h as a job done in
 * slices (predict_begin / _more / _end), so the page can show how far
 * training has come and stop it; predict_run is the job in one slice.
 * This file is the state machine: what begin checks and sets up, which
 * stage each call of more runs, progress, and the end (the report, or
 * nothing on a cancel). The stages live in their own files
 * (predict_job.h lists them), in the order the one-call evaluation always
 * ran them:
 *   FIT_TREE     the tuned tree's feature rows, its fit (tree_fit_begin/more:
 *                node by node), then its predictions for the test rows; the
 *                feature state that built the rows has seen every size, so
 *                the forecast starts from it                 (predict_fit.c)
 *   FIT_SKLEARN  the same for the original project's model (lags only,
 *                scikit-learn's defaults)                    (predict_fit.c)
 *   BASELINES    one n-gram model trained a step at a time, which gives all
 *                four baselines' predictions                 (predict_base.c)
 *   FINISH       the forecast and the detail, the sorted training sizes, each
 *                predictor's metrics, the chart's points      (predict_finish.c)
 * begin does no work beyond one copy of the sizes (none with
 * predict_begin_owned): the first slice allocates the feature rows. Every number is
 * computed by the same code in the same order whatever the slicing, so the
 * report is identical (tests/ml checks it bit for bit against scikit-learn
 * and against the one-call report).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict/predict_job.h"

/* Each stage's share of the progress bar, from the CPU time of each in wasm
 * with the page's options (gcc 300k ops / the generated 3.3M-op trace):
 * tuned fit 35% / 17%, sklearn fit 15% / 25%, baselines 32% / 40%, the
 * report 18% / 14%. */
static const double STAGE_START[] = {0.0, 0.25, 0.45, 0.85, 1.0};

/* Frees everything but the report. */
static void job_release(struct predict_job *j)
{
    if (j->fit) tree_fit_end(j->fit, NULL);
    if (j->sorting) tuple_sort_end(&j->sj);
    free(j->tup);
    ngram_level_abort(&j->lj);
    chart_job_free(&j->chart);
    if (j->fs_live) feat_free(&j->fs);
    if (j->kept_live) feat_free(&j->kept);
    if (j->fitted_live) tree_free(&j->fitted);
    ngram_free(&j->g);
    free(j->uniq);
    tree_free(&j->t);
    free(j->X); free(j->y); free(j->pred); free(j->s); free(j->sites);
}

/* The job for sizes s[0..m) (and o->sites) that it owns from now on (it
 * frees them), or NULL with err set (s and the sites are then freed). */
static struct predict_job *begin_owned(double *s, double *sites, int m, const struct predict_opts *o, char *err,
                                       size_t errlen)
{
    const char *why = NULL;
    if (o->lags < 1 || o->lags > FEATURES_MAX_LAGS || !(o->train_frac > 0.0 && o->train_frac < 1.0) ||
        o->ngram_order < 1 || o->ngram_order > 8 || o->horizon < 0 ||
        o->horizon > PREDICT_MAX_HORIZON || o->extras < 0 || o->extras > (FEAT_ALL | FEAT_SITES))
        why = "bad prediction options";
    else if ((o->extras & FEAT_SITES) && !sites)
        why = "the site features need a trace with a site column (heaplab record --sites)";
    else if (!s)
        why = "out of memory";
    int rows = m - o->lags;
    int n_train = rows > 0 ? (int)(o->train_frac * rows) : 0;
    if (!why && (n_train < 1 || rows - n_train < 1)) {
        snprintf(err, errlen, "%d allocation sizes: too few for %d lags and a %.2f/%.2f split", m,
                 o->lags, o->train_frac, 1.0 - o->train_frac);
        why = err;
    }
    struct predict_job *j = why ? NULL : calloc(1, sizeof *j);
    if (!j) {
        if (why != err) snprintf(err, errlen, "%s", why ? why : "out of memory");
        free(s);
        free(sites);
        return NULL;
    }
    j->o = *o;
    j->s = s;
    j->sites = sites;
    j->o.sites = sites;
    j->m = m;
    j->n_train = n_train;
    j->n_test = rows - n_train;
    j->t_split = o->lags + n_train;
    j->nf = features_count(o->lags, o->extras);
    tree_params_default(&j->plain);
    j->plain.random_state = o->tree.random_state;
    return j; /* the first slice allocates the predictions and starts the fit (fit_step: fit_start) */
}

struct predict_job *predict_begin_owned(double *s, int m, const struct predict_opts *o, char *err, size_t errlen)
{
    double *sites = o->sites && m > 0 ? malloc((size_t)m * sizeof *sites) : NULL;
    if (sites) memcpy(sites, o->sites, (size_t)m * sizeof *sites);
    if (o->sites && m > 0 && !sites) {
        free(s);
        s = NULL; /* out of memory */
    }
    return begin_owned(s, sites, m, o, err, errlen);
}

struct predict_job *predict_begin(const double *s, int m, const struct predict_opts *o, char *err, size_t errlen)
{
    size_t bytes = (size_t)(m > 0 ? m : 0) * sizeof *s;
    double *sc = malloc(bytes + 1), *sites = o->sites ? malloc(bytes + 1) : NULL;
    if (sc) memcpy(sc, s, bytes);
    if (sites) memcpy(sites, o->sites, bytes);
    if (o->sites && !sites) {
        free(sc);
        sc = NULL; /* out of memory */
    }
    return begin_owned(sc, sites, m, o, err, errlen);
}

int predict_more(struct predict_job *j, double work)
{
    if (j->failed) return -1;
    if (j->stage == FIT_TREE || j->stage == FIT_SKLEARN) return fit_step(j, work) ? -1 : 0;
    if (j->stage == BASELINES) return baselines_step(j, work) ? -1 : 0;
    if (j->stage == FINISH && finish_step(j, work)) return -1;
    return j->stage == DONE ? 1 : 0;
}

double predict_progress(const struct predict_job *j)
{
    double in = j->stage <= FIT_SKLEARN ? fit_progress(j)
              : j->stage == BASELINES ? baselines_progress(j)
              : j->stage == FINISH ? finish_progress(j) : 0.0;
    return STAGE_START[j->stage] + (STAGE_START[j->stage + (j->stage < DONE)] - STAGE_START[j->stage]) * in;
}

const char *predict_error(const struct predict_job *j) { return j->failed ? j->err : NULL; }

int predict_end(struct predict_job *j, struct predict_report *r, char *err, size_t errlen)
{
    int rc = 0;
    if (r) memset(r, 0, sizeof *r);
    if (r && !j->failed && j->stage != DONE) job_fail(j, "the prediction was ended before it was done");
    if (r && j->failed) {
        snprintf(err, errlen, "%s", j->err);
        rc = -1;
    }
    job_release(j);
    if (r && !rc) *r = j->r;
    else predict_report_free(&j->r);
    free(j);
    return rc;
}

/* 0 with every predictor's metrics and the forecast in r, or -1 (err says why). */
int predict_run(const double *s, int m, const struct predict_opts *o, struct predict_report *r,
                char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    struct predict_job *j = predict_begin(s, m, o, err, errlen);
    if (!j) return -1;
    while (predict_more(j, INFINITY) == 0) {}
    return predict_end(j, r, err, errlen);
}
