/* predict_job.c: the evaluation of predict_report.h as a job done in
 * slices (predict_begin / _more / _end), so the page can show how far
 * training has come and stop it; predict_run is the job in one slice.
 *
 * Stages, in the order the one-call evaluation always ran them:
 *   FIT_TREE     the tuned tree's feature rows (FEAT_CHUNK work units per
 *                row, rows built in pieces), its fit on the training rows
 *                (tree_fit_begin/more: node by node), then its predictions
 *                for the test rows (in pieces); the feature state that built
 *                the rows has seen every size, so the forecast starts from it
 *   FIT_SKLEARN  the same for the original project's model (lags only,
 *                scikit-learn's defaults)
 *   BASELINES    one n-gram model (baselines.h) trained a step per slice (the
 *                mode, then each context length), which gives all four
 *                baselines' predictions (each in pieces of test targets)
 *   FINISH       the forecast and the detail, the sorted training sizes, and
 *                each predictor's metrics (a slice each)
 * Every loop over rows or targets stops after about `work` units and resumes
 * where it stopped, so no slice does much more than it was given (the units:
 * a value of a feature row or a tree prediction, a context step of a
 * baseline). Every number is computed by the same code in the same order
 * whatever the slicing, so the report is identical (tests/ml checks it bit for bit
 * against scikit-learn and against the one-call report).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "predict/baselines.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "predict/tuple_sort.h"
#include "tree/tree_export.h"

enum { FIT_TREE = 0, FIT_SKLEARN = 1, BASELINES = 2, FINISH = 3, DONE = 4 };

/* Each stage's share of the progress bar, from the CPU time of each in wasm
 * with the page's options (gcc 300k ops / the generated 3.3M-op trace):
 * tuned fit 35% / 17%, sklearn fit 15% / 25%, baselines 32% / 40%, the
 * report 18% / 14%. */
static const double STAGE_START[] = {0.0, 0.25, 0.45, 0.85, 1.0};

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
    double pred_cost;          /* FIT_*: work units of one test prediction (the fitted tree's depth + 1) */
    int base_t;                /* BASELINES: the next test target of the baseline being predicted */
    double *tup;               /* BASELINES: the rows of the table being sorted; FINISH: uniq */
    int tup_n, sorting;        /* their count; 1 while the sort job sj runs */
    struct tuple_sort_job sj;
    struct tree_fit_job *fit;
    struct tree t;             /* the tuned tree, once fitted */
    struct tree_params plain;  /* the original project's model: sklearn's defaults */
    struct ngram_model g;      /* the baselines' model, while trained */
    int base_step;             /* BASELINES: 0 the mode, then context length j, then each baseline */
    int fin_step;              /* FINISH: forecast, sorted sizes, each predictor's metrics, summary */
    double *uniq;              /* FINISH: the distinct training sizes, ascending */
    int nu;
    int stage, failed;
    char err[256];
    struct predict_report r;
};

/* Depth of the deepest leaf (root = 0). */
static int tree_depth(const struct tree *t)
{
    int best = 0;
    int *depth = malloc((size_t)t->node_count * sizeof *depth);
    if (!depth) return -1;
    depth[0] = 0;
    for (int i = 0; i < t->node_count; i++) { /* preorder: parents come first */
        if (depth[i] > best) best = depth[i];
        if (t->left[i] != TREE_LEAF) {
            depth[t->left[i]] = depth[i] + 1;
            depth[t->right[i]] = depth[i] + 1;
        }
    }
    free(depth);
    return best;
}

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

/* Work units of one baseline target per context length it may look up (a binary search). */
#define BASE_COST 16.0

/* How many items of `cost` units fit in `work` (at least one). */
static int items_for(double work, double cost, int left)
{
    double k = work / (cost > 1.0 ? cost : 1.0);
    return k >= left ? left : k < 1.0 ? 1 : (int)k;
}

/* Marks the job failed with a message; returns -1. */
static int job_fail(struct predict_job *j, const char *msg)
{
    j->failed = 1;
    snprintf(j->err, sizeof j->err, "%s", msg);
    return -1;
}

/* A tree error as the report words it. */
static int job_tree_fail(struct predict_job *j, int trc)
{
    char msg[128];
    snprintf(msg, sizeof msg, "tree: %s", tree_strerror(trc));
    return job_fail(j, msg);
}

/* Starts the current stage's feature rows (built by fit_step); 0 or -1. */
static int fit_start(struct predict_job *j)
{
    int tuned = j->stage == FIT_TREE;
    int extras = tuned ? j->o.extras : 0;
    j->nfx = features_count(j->o.lags, extras);
    int rows = j->m - j->o.lags;
    j->X = malloc(((size_t)rows * j->nfx + 1) * sizeof *j->X);
    j->y = malloc(((size_t)rows + 1) * sizeof *j->y);
    if (!j->X || !j->y || feat_init(&j->fs, j->o.lags, extras)) return job_tree_fail(j, TREE_E_NOMEM);
    j->fs_live = 1;
    j->feat_t = 0;
    j->pred_i = 0;
    return 0;
}

/* Feeds about `work` units of sizes to the feature state, writing their rows
 * (what features_build_sites does, in pieces); at the last, begins the fit
 * (the sklearn tree's state is then freed); 0 or -1. */
static int features_step(struct predict_job *j, double work)
{
    const int lags = j->o.lags, nf = j->nfx;
    const double *sites = j->stage == FIT_TREE ? j->sites : NULL;
    int t = j->feat_t, end = t + items_for(work, nf, j->m - t);
    for (; t < end; t++) {
        feat_set_site(&j->fs, sites ? sites[t] : -1.0);
        if (t >= lags) {
            feat_row(&j->fs, j->X + (size_t)(t - lags) * nf);
            j->y[t - lags] = j->s[t];
        }
        if (feat_push(&j->fs, j->s[t])) return job_tree_fail(j, TREE_E_NOMEM);
    }
    j->feat_t = t;
    if (t < j->m) return 0;
    if (j->stage == FIT_TREE) {
        j->kept = j->fs;
        j->kept_live = 1;
    } else {
        feat_free(&j->fs);
    }
    memset(&j->fs, 0, sizeof j->fs);
    j->fs_live = 0;
    int trc;
    j->fit = tree_fit_begin(j->X, j->y, j->n_train, nf, j->stage == FIT_TREE ? &j->o.tree : &j->plain, &trc);
    return j->fit ? 0 : job_tree_fail(j, trc);
}

/* Predicts about `work` units of test rows with the fitted tree; after the
 * last, keeps the tuned tree (or frees sklearn's) and moves to the next stage;
 * 0 or -1. */
static int predict_step(struct predict_job *j, double work)
{
    double *pred = j->pred + (size_t)j->stage * j->n_test;
    int i = j->pred_i, end = i + items_for(work, j->pred_cost, j->n_test - i);
    for (; i < end; i++) pred[i] = tree_predict_row(&j->fitted, j->X + (size_t)(j->n_train + i) * j->nfx);
    j->pred_i = i;
    if (i < j->n_test) return 0;
    if (j->stage == FIT_TREE) j->t = j->fitted;
    else tree_free(&j->fitted);
    memset(&j->fitted, 0, sizeof j->fitted);
    j->fitted_live = 0;
    free(j->X);
    free(j->y);
    j->X = j->y = NULL;
    return ++j->stage == FIT_SKLEARN ? fit_start(j) : 0;
}

/* One slice of a fit stage: the feature rows, the fit, or the test predictions; 0 or -1. */
static int fit_step(struct predict_job *j, double work)
{
    if (j->feat_t < j->m) return features_step(j, work);
    if (j->fit) {
        int rc = tree_fit_more(j->fit, work);
        if (rc < 0) return job_tree_fail(j, rc);
        if (rc == 0) return 0;
        rc = tree_fit_end(j->fit, &j->fitted);
        j->fit = NULL;
        if (rc) return job_tree_fail(j, rc);
        j->fitted_live = 1;
        int depth = tree_depth(&j->fitted);
        j->pred_cost = depth < 0 ? 64.0 : depth + 1.0;
        return 0;
    }
    return predict_step(j, work);
}

/* Sorts the n rows of w values at tup in pieces of about `work` rows
 * (starting the sort on the first call); 1 once sorted (the sort job ended),
 * 0 when there is more, -1 out of memory. */
static int sort_step(struct predict_job *j, double *tup, int n, int w, double work)
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

/* One step of the baselines: the model's mode, then each context length
 * (each a sort of its rows, in pieces of about `work` rows, then one pass),
 * then each baseline's predictions in pieces of about `work` units (a target
 * costs BASE_COST per context length it may look up); the model is then
 * freed; 0 or -1. */
static int baselines_step(struct predict_job *j, double work)
{
    const int order = j->o.ngram_order, step = j->base_step;
    if (step > order) { /* the predictions of baseline kind step - order - 1 */
        int k = step - order - 1, from = j->t_split + j->base_t;
        int to = from + items_for(work, BASE_COST * (k == BASE_NGRAM ? order : 1), j->m - from);
        baseline_from_model_range(k, &j->g, j->s, j->t_split, from, to, j->pred + (size_t)(k + 2) * j->n_test);
        j->base_t = to - j->t_split;
        if (to < j->m) return 0;
        j->base_t = 0;
        j->base_step++;
        if (k == 3) {
            ngram_free(&j->g);
            j->stage = FINISH;
        }
        return 0;
    }
    if (!j->tup) { /* the step's rows: the sizes (the mode), or the contexts of length step */
        if (step == 0 && ngram_start(&j->g, j->t_split, order)) return job_fail(j, "bad n-gram order");
        j->tup = ngram_tuples(j->s, j->t_split, step, &j->tup_n);
        if (!j->tup && j->tup_n > 0) return job_fail(j, "out of memory");
        if (!j->tup) { /* no rows: an empty table */
            j->base_step++;
            return ngram_level_from_sorted(&j->g, NULL, 0, step);
        }
        return 0;
    }
    int rc = sort_step(j, j->tup, j->tup_n, step + 1, work);
    if (rc <= 0) return rc;
    if (step == 0) {
        ngram_mode_from_sorted(&j->g, j->tup, j->tup_n);
        free(j->tup);
    } else if (ngram_level_from_sorted(&j->g, j->tup, j->tup_n, step)) {
        j->tup = NULL;
        return job_fail(j, "out of memory");
    }
    j->tup = NULL;
    j->base_step++;
    return 0;
}

/* One step of the report: the forecast and detail, the sorted training
 * sizes, each predictor's metrics, then the summary; 0 or -1. */
static int finish_step(struct predict_job *j, double work)
{
    const struct predict_opts *o = &j->o;
    struct predict_report *r = &j->r;
    const int n_test = j->n_test, t_split = j->t_split, m = j->m, step = j->fin_step++;
    const double *s = j->s;
    if (step == 0) {
        r->importances = malloc((size_t)j->nf * sizeof *r->importances);
        r->forecast = malloc(((size_t)o->horizon + 1) * sizeof *r->forecast);
        j->uniq = malloc((size_t)t_split * sizeof *j->uniq);
        int rc = (r->importances && r->forecast && j->uniq) ? 0 : -1;
        if (!rc) rc = forecast(&j->t, &j->kept, o->horizon, r->forecast);
        feat_free(&j->kept);
        j->kept_live = 0;
        if (!rc && o->detail) {
            r->actual = malloc((size_t)n_test * sizeof *r->actual);
            r->predicted = malloc((size_t)n_test * sizeof *r->predicted);
            r->model_json = tree_to_json(&j->t);
            rc = (r->actual && r->predicted && r->model_json) ? 0 : -1;
            if (!rc) {
                memcpy(r->actual, s + t_split, (size_t)n_test * sizeof *r->actual);
                memcpy(r->predicted, j->pred, (size_t)n_test * sizeof *r->predicted);
            }
        }
        return rc ? job_fail(j, "out of memory") : 0;
    }
    if (step == 1) { /* the distinct training sizes: sorted in pieces, then made unique (metrics_unique_sorted) */
        if (!j->sorting) memcpy(j->uniq, s, (size_t)t_split * sizeof *j->uniq);
        int rc = sort_step(j, j->uniq, t_split, 1, work);
        if (rc <= 0) {
            j->fin_step = 1;
            return rc;
        }
        int k = 1;
        for (int i = 1; i < t_split; i++)
            if (j->uniq[i] != j->uniq[k - 1]) j->uniq[k++] = j->uniq[i];
        j->nu = k;
        return 0;
    }
    static const char *const names[PREDICT_N] = {"tree", "tree_sklearn", "last", "mode", "markov1", "ngram"};
    if (step < 2 + PREDICT_N) { /* predictor k, in report order (the first best wins ties) */
        int k = step - 2;
        r->names[k] = names[k];
        metrics_compute(j->pred + (size_t)k * n_test, s + t_split, n_test, j->uniq, j->nu, &r->m[k]);
        if (r->m[k].mae < r->m[r->best_mae].mae) r->best_mae = k;
        if (r->m[k].exact > r->m[r->best_exact].exact) r->best_exact = k;
        return 0;
    }
    free(j->uniq);
    j->uniq = NULL;
    r->n_sizes = m;
    r->train = j->n_train;
    r->test = n_test;
    r->lags = o->lags;
    r->extras = o->extras;
    r->ngram_order = o->ngram_order;
    r->tree_nodes = j->t.node_count;
    r->tree_depth = tree_depth(&j->t);
    r->tree_leaf_mode = o->tree.leaf_mode;
    r->random_state = o->tree.random_state;
    r->n_features = j->nf;
    memcpy(r->importances, j->t.importances, (size_t)j->nf * sizeof *r->importances);
    r->horizon = o->horizon;
    j->stage = DONE;
    return 0;
}

/* Frees everything but the report. */
static void job_release(struct predict_job *j)
{
    if (j->fit) tree_fit_end(j->fit, NULL);
    if (j->sorting) tuple_sort_end(&j->sj);
    free(j->tup);
    if (j->fs_live) feat_free(&j->fs);
    if (j->kept_live) feat_free(&j->kept);
    if (j->fitted_live) tree_free(&j->fitted);
    ngram_free(&j->g);
    free(j->uniq);
    tree_free(&j->t);
    free(j->X); free(j->y); free(j->pred); free(j->s); free(j->sites);
}

struct predict_job *predict_begin(const double *s, int m, const struct predict_opts *o, char *err, size_t errlen)
{
    if (o->lags < 1 || o->lags > FEATURES_MAX_LAGS || !(o->train_frac > 0.0 && o->train_frac < 1.0) ||
        o->ngram_order < 1 || o->ngram_order > 8 || o->horizon < 0 ||
        o->horizon > PREDICT_MAX_HORIZON || o->extras < 0 || o->extras > (FEAT_ALL | FEAT_SITES)) {
        snprintf(err, errlen, "bad prediction options");
        return NULL;
    }
    if ((o->extras & FEAT_SITES) && !o->sites) {
        snprintf(err, errlen, "the site features need a trace with a site column (heaplab record --sites)");
        return NULL;
    }
    int rows = m - o->lags;
    int n_train = rows > 0 ? (int)(o->train_frac * rows) : 0;
    if (n_train < 1 || rows - n_train < 1) {
        snprintf(err, errlen, "%d allocation sizes: too few for %d lags and a %.2f/%.2f split", m,
                 o->lags, o->train_frac, 1.0 - o->train_frac);
        return NULL;
    }
    struct predict_job *j = calloc(1, sizeof *j);
    if (!j) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    j->o = *o;
    j->m = m;
    j->n_train = n_train;
    j->n_test = rows - n_train;
    j->t_split = o->lags + n_train;
    j->nf = features_count(o->lags, o->extras);
    tree_params_default(&j->plain);
    j->plain.random_state = o->tree.random_state;
    j->s = malloc((size_t)m * sizeof *j->s);
    j->sites = o->sites ? malloc((size_t)m * sizeof *j->sites) : NULL;
    j->pred = malloc((size_t)j->n_test * PREDICT_N * sizeof *j->pred);
    if (!j->s || (o->sites && !j->sites) || !j->pred) {
        job_fail(j, "out of memory");
    } else {
        memcpy(j->s, s, (size_t)m * sizeof *s);
        if (o->sites) memcpy(j->sites, o->sites, (size_t)m * sizeof *j->sites);
        j->o.sites = j->sites;
        fit_start(j);
    }
    if (j->failed) {
        snprintf(err, errlen, "%s", j->err);
        job_release(j);
        predict_report_free(&j->r);
        free(j);
        return NULL;
    }
    return j;
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
    double in = 0.0;
    if (j->stage == FIT_TREE || j->stage == FIT_SKLEARN) { /* rows 10%, the fit 80%, the test predictions 10% */
        in = j->feat_t < j->m ? 0.1 * j->feat_t / j->m
           : j->fit ? 0.1 + 0.8 * tree_fit_progress(j->fit)
           : 0.9 + 0.1 * j->pred_i / (j->n_test ? j->n_test : 1);
    } else if (j->stage == BASELINES) {
        in = (j->base_step + (double)j->base_t / j->n_test) / (j->o.ngram_order + 5);
    } else if (j->stage == FINISH) {
        in = (double)j->fin_step / (PREDICT_N + 3);
    }
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
