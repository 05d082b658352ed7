/* predict_fit.c: the two fit stages of the prediction job (predict_job.h):
 * FIT_TREE (the tuned tree: lags + extras, the options' tree params) and
 * FIT_SKLEARN (the original project's model: lags only, scikit-learn's
 * defaults). Each runs, a slice at a time:
 *   start        the feature rows' buffers (a slice of its own: on a 3.3M-op
 *                trace they are 119 MB)
 *   rows         sizes fed to a feature state in pieces of about `work`
 *                values, each writing the row that predicts it (what
 *                features_build_sites does in one call)
 *   fit          tree_fit_begin / _more (node by node) / _end
 *   predictions  the test rows through the fitted tree, in pieces
 * The tuned tree's feature state has then seen every size and is kept: the
 * forecast starts from it (predict_finish.c).
 */
#include <stdlib.h>
#include <string.h>
#include "predict/predict_job.h"

/* Depth of the deepest leaf of t (root = 0), -1 out of memory. */
static int tree_depth_of(const struct tree *t)
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

int fit_start(struct predict_job *j)
{
    int tuned = j->stage == FIT_TREE;
    int extras = tuned ? j->o.extras : 0;
    j->nfx = features_count(j->o.lags, extras);
    int rows = j->m - j->o.lags;
    if (!j->pred && !(j->pred = malloc((size_t)j->n_test * PREDICT_N * sizeof *j->pred)))
        return job_tree_fail(j, TREE_E_NOMEM);
    j->X = malloc(((size_t)rows * j->nfx + 1) * sizeof *j->X);
    j->y = malloc(((size_t)rows + 1) * sizeof *j->y);
    if (!j->X || !j->y || feat_init(&j->fs, j->o.lags, extras)) return job_tree_fail(j, TREE_E_NOMEM);
    j->fs_live = 1;
    j->feat_t = 0;
    j->pred_i = 0;
    return 0;
}

/* Work units of one feature row: one per value, and MAP_COST per feature
 * kept in a hash map (size_features.c: a lookup for the row, an update for
 * the push, each likely a cache miss once a map holds a million contexts;
 * an MF feature counts three maps). Measured natively on the 3.3M-op trace:
 * a row with next1-3 costs ~1.3 us, 9 units before (55,000 rows, 70-160 ms
 * a slice), ~70 units now. */
#define MAP_COST 20.0
/* ... plus PUSH_COST for the push itself (the history's shift, the run):
 * lag-only rows (the sklearn tree's) cost 4 units without it, and their
 * slices took 26 ms in wasm. */
#define PUSH_COST 8.0
static double row_cost(int nf, int extras)
{
    int maps = !!(extras & FEAT_NEXT1) + !!(extras & FEAT_NEXT2) + !!(extras & FEAT_NEXT3) +
               3 * (!!(extras & FEAT_MF1) + !!(extras & FEAT_MF2)) + !!(extras & FEAT_SITE_LAST);
    return PUSH_COST + nf + MAP_COST * maps;
}

/* Work units a row adds per map whose growth is still being moved
 * (size_features.c: each put then moves 8 old slots into the new table,
 * whose memory is touched for the first time): on the 3.3M-op trace the
 * slices after next3's doublings took 22-31 ms natively, 7 otherwise. */
#define MOVE_COST 80.0
static double moving_cost(const struct feat_state *st)
{
    int n = 0;
    for (int k = 0; k < 3; k++) n += st->succ[k].old_cap != 0;
    for (int k = 0; k < 2; k++) n += (st->pair_count[k].old_cap != 0) + (st->best[k].old_cap != 0) + (st->best_count[k].old_cap != 0);
    n += st->site_last.old_cap != 0;
    return MOVE_COST * n;
}

/* Feeds about `work` units of sizes to the feature state, writing their rows
 * (what features_build_sites does, in pieces); at the last, begins the fit
 * (the sklearn tree's state is then freed); 0 or -1. */
static int features_step(struct predict_job *j, double work)
{
    const int lags = j->o.lags, nf = j->nfx;
    const double *sites = j->stage == FIT_TREE ? j->sites : NULL;
    int t = j->feat_t, end = t + items_for(work, row_cost(nf, j->fs.extras) + moving_cost(&j->fs), j->m - t);
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

/* Predicts test rows with the fitted tree until about `work` units are
 * spent, counting the nodes each walk visits (pred_cost units a node): a
 * deep tree's walks are much shorter than its depth on average, and much
 * longer than a shallow tree's; after the last row, keeps the tuned tree
 * (or frees sklearn's) and moves to the next stage; 0 or -1. */
static int predict_step(struct predict_job *j, double work)
{
    double *pred = j->pred + (size_t)j->stage * j->n_test;
    double visits = 0.0, budget = work / j->pred_cost;
    int i = j->pred_i;
    for (; i < j->n_test && visits < budget; i++)
        pred[i] = tree_predict_row_visits(&j->fitted, j->X + (size_t)(j->n_train + i) * j->nfx, &visits);
    j->pred_i = i;
    if (i < j->n_test) return 0;
    if (j->stage == FIT_TREE) j->t = j->fitted;
    else tree_free(&j->fitted);
    memset(&j->fitted, 0, sizeof j->fitted);
    j->fitted_live = 0;
    free(j->X);
    free(j->y);
    j->X = j->y = NULL;
    j->stage++;
    return 0;
}

/* Work units of one node visited by a test prediction (a unit is ~19 ns
 * natively: a feature row of ~70 units takes ~1.3 us): 1 while the tree's
 * arrays stay in cache (up to VISIT_CACHED nodes, ~3 MB), VISIT_COST_BIG
 * beyond, where most visits miss it. Measured natively on the 3.3M-op
 * trace: the unlimited tree (2.2M nodes, walks of up to ~60 nodes) ~48 ns
 * a visit, the tuned tree (depth 8) ~4 ns. Its slices were 23-75 ms when
 * a row cost the tree's depth + 1 units. */
#define VISIT_CACHED 65536
#define VISIT_COST_BIG 3.0

int fit_step(struct predict_job *j, double work)
{
    if (!j->X) return fit_start(j);
    if (j->feat_t < j->m) return features_step(j, work);
    if (j->fit) {
        int rc = tree_fit_more(j->fit, work);
        if (rc < 0) return job_tree_fail(j, rc);
        if (rc == 0) return 0;
        rc = tree_fit_end(j->fit, &j->fitted);
        j->fit = NULL;
        if (rc) return job_tree_fail(j, rc);
        j->fitted_live = 1;
        if (j->stage == FIT_TREE) j->tree_depth = tree_depth_of(&j->fitted);
        j->pred_cost = j->fitted.node_count > VISIT_CACHED ? VISIT_COST_BIG : 1.0;
        return 0;
    }
    return predict_step(j, work);
}

double fit_progress(const struct predict_job *j)
{
    /* rows 10%, the fit 80%, the test predictions 10% */
    if (!j->X) return 0.0;
    return j->feat_t < j->m ? 0.1 * j->feat_t / j->m
         : j->fit ? 0.1 + 0.8 * tree_fit_progress(j->fit)
         : 0.9 + 0.1 * j->pred_i / (j->n_test ? j->n_test : 1);
}
