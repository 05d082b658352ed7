/* predict_report.c: the evaluation pipeline of predict_report.h.
 * JSON keys: sizes, train, test, lags, features[], tree, tree_sklearn, last,
 * mode, markov1, ngram (each {mae, rmse, exact, size_class}), tree_info
 * {nodes, depth, leaf, random_state, importances[]}, best_mae, best_exact,
 * forecast[]; with detail also actual[], predicted[] (the test part) and
 * model (the tree's node arrays, tree_export.h).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "predict/baselines.h"
#include "predict/predict_report.h"
#include "predict/size_features.h"
#include "util/strbuf.h"
#include "tree/tree_export.h"

/* Fills o with the documented defaults. */
void predict_opts_default(struct predict_opts *o)
{
    o->lags = 4;
    o->train_frac = 0.7;
    o->extras = FEATURES_DEFAULT;
    o->ngram_order = 4;
    o->horizon = 10;
    o->detail = 0;
    o->sites = NULL;
    tree_params_default(&o->tree);
    o->tree.leaf_mode = TREE_LEAF_MODE;
    o->tree.min_samples_leaf = 3;
}

/* Releases the report's arrays; r becomes empty. */
void predict_report_free(struct predict_report *r)
{
    free(r->importances);
    free(r->forecast);
    free(r->actual);
    free(r->predicted);
    free(r->model_json);
    memset(r, 0, sizeof *r);
}

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

/* Fits a tree on rows [0, n_train) and predicts the test rows; 0 or a
 * TREE_E* code. keep != NULL receives the fitted tree. */
static int tree_eval(const double *s, const double *sites, int m, int lags, int extras, const struct tree_params *tp,
                     int n_train, double *pred, struct tree *keep)
{
    double *X, *y;
    int rows = features_build_sites(s, sites, m, lags, extras, &X, &y);
    if (rows < 0) return TREE_E_NOMEM;
    int nf = features_count(lags, extras);
    struct tree t;
    int rc = tree_fit(&t, X, y, n_train, nf, tp);
    if (!rc) {
        for (int i = n_train; i < rows; i++)
            pred[i - n_train] = tree_predict_row(&t, X + (size_t)i * nf);
        if (keep) *keep = t;
        else tree_free(&t);
    }
    free(X);
    free(y);
    return rc;
}

/* Forecast: feed all of s, then the tree's own predictions (whose sites are
 * unknown); 0 or -1. */
static int forecast(const struct tree *t, const double *s, const double *sites, int m, int lags, int extras,
                    int horizon, double *out)
{
    struct feat_state st;
    double row[FEATURES_MAX_LAGS + 16];
    if (feat_init(&st, lags, extras)) return -1;
    int rc = 0;
    for (int i = 0; i < m && !rc; i++) {
        feat_set_site(&st, sites ? sites[i] : -1.0);
        rc = feat_push(&st, s[i]);
    }
    for (int h = 0; h < horizon && !rc; h++) {
        feat_row(&st, row);
        out[h] = tree_predict_row(t, row);
        rc = feat_push(&st, out[h]);
    }
    feat_free(&st);
    return rc;
}

/* 0 with every predictor's metrics and the forecast in r, or -1 (err says why). */
int predict_run(const double *s, int m, const struct predict_opts *o, struct predict_report *r,
                char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (o->lags < 1 || o->lags > FEATURES_MAX_LAGS || !(o->train_frac > 0.0 && o->train_frac < 1.0) ||
        o->ngram_order < 1 || o->ngram_order > 8 || o->horizon < 0 ||
        o->horizon > PREDICT_MAX_HORIZON || o->extras < 0 || o->extras > (FEAT_ALL | FEAT_SITES)) {
        snprintf(err, errlen, "bad prediction options");
        return -1;
    }
    if ((o->extras & FEAT_SITES) && !o->sites) {
        snprintf(err, errlen, "the site features need a trace with a site column (heaplab record --sites)");
        return -1;
    }
    int rows = m - o->lags;
    int n_train = rows > 0 ? (int)(o->train_frac * rows) : 0;
    if (n_train < 1 || rows - n_train < 1) {
        snprintf(err, errlen, "%d allocation sizes: too few for %d lags and a %.2f/%.2f split", m,
                 o->lags, o->train_frac, 1.0 - o->train_frac);
        return -1;
    }
    int n_test = rows - n_train, t_split = o->lags + n_train;
    double *pred = malloc((size_t)n_test * PREDICT_N * sizeof *pred);
    double *uniq = malloc((size_t)t_split * sizeof *uniq);
    int nf = features_count(o->lags, o->extras);
    r->importances = malloc((size_t)nf * sizeof *r->importances);
    r->forecast = malloc(((size_t)o->horizon + 1) * sizeof *r->forecast);
    struct tree t = {0};
    struct tree_params plain; /* the original project's model: sklearn's defaults */
    tree_params_default(&plain);
    plain.random_state = o->tree.random_state;
    int rc = (pred && uniq && r->importances && r->forecast) ? 0 : -1, trc = 0;
    if (!rc) rc = trc = tree_eval(s, o->sites, m, o->lags, o->extras, &o->tree, n_train, pred, &t);
    if (!rc) rc = trc = tree_eval(s, NULL, m, o->lags, 0, &plain, n_train, pred + n_test, NULL);
    for (int k = 0; k < 4 && !rc; k++)
        rc = baseline_predict(k, s, m, t_split, o->ngram_order, pred + (size_t)(k + 2) * n_test);
    if (!rc) rc = forecast(&t, s, o->sites, m, o->lags, o->extras, o->horizon, r->forecast);
    if (!rc && o->detail) {
        r->actual = malloc((size_t)n_test * sizeof *r->actual);
        r->predicted = malloc((size_t)n_test * sizeof *r->predicted);
        r->model_json = tree_to_json(&t);
        rc = (r->actual && r->predicted && r->model_json) ? 0 : -1;
        if (!rc) {
            memcpy(r->actual, s + t_split, (size_t)n_test * sizeof *r->actual);
            memcpy(r->predicted, pred, (size_t)n_test * sizeof *r->predicted);
        }
    }
    if (rc) {
        if (trc) snprintf(err, errlen, "tree: %s", tree_strerror(trc));
        else snprintf(err, errlen, "out of memory");
        free(pred); free(uniq);
        tree_free(&t);
        predict_report_free(r);
        return -1;
    }
    static const char *const names[PREDICT_N] = {"tree", "tree_sklearn", "last", "mode", "markov1", "ngram"};
    int nu = metrics_unique_sorted(s, t_split, uniq);
    for (int k = 0; k < PREDICT_N; k++) {
        r->names[k] = names[k];
        metrics_compute(pred + (size_t)k * n_test, s + t_split, n_test, uniq, nu, &r->m[k]);
        if (r->m[k].mae < r->m[r->best_mae].mae) r->best_mae = k;
        if (r->m[k].exact > r->m[r->best_exact].exact) r->best_exact = k;
    }
    r->n_sizes = m;
    r->train = n_train;
    r->test = n_test;
    r->lags = o->lags;
    r->extras = o->extras;
    r->ngram_order = o->ngram_order;
    r->tree_nodes = t.node_count;
    r->tree_depth = tree_depth(&t);
    r->tree_leaf_mode = o->tree.leaf_mode;
    r->random_state = o->tree.random_state;
    r->n_features = nf;
    memcpy(r->importances, t.importances, (size_t)nf * sizeof *r->importances);
    r->horizon = o->horizon;
    tree_free(&t);
    free(pred);
    free(uniq);
    return 0;
}

/* The report as one JSON object (malloc'd), NULL when out of memory. */
char *predict_report_json(const struct predict_report *r)
{
    struct strbuf b = {0};
    char nb[32];
    sb_printf(&b, "{\"sizes\":%d,\"train\":%d,\"test\":%d,\"lags\":%d,\"features\":[", r->n_sizes,
              r->train, r->test, r->lags);
    for (int i = 0; i < r->n_features; i++)
        sb_printf(&b, "%s\"%s\"", i ? "," : "", features_name(r->lags, r->extras, i, nb, sizeof nb));
    sb_printf(&b, "]");
    for (int k = 0; k < PREDICT_N; k++) {
        sb_printf(&b, ",\"%s\":{\"mae\":", r->names[k]);
        sb_num(&b, r->m[k].mae);
        sb_printf(&b, ",\"rmse\":");
        sb_num(&b, r->m[k].rmse);
        sb_printf(&b, ",\"exact\":");
        sb_num(&b, r->m[k].exact);
        sb_printf(&b, ",\"size_class\":");
        sb_num(&b, r->m[k].size_class);
        sb_printf(&b, "}");
    }
    sb_printf(&b, ",\"tree_info\":{\"nodes\":%d,\"depth\":%d,\"leaf\":\"%s\",\"random_state\":%u,"
                  "\"ngram_order\":%d,\"importances\":",
              r->tree_nodes, r->tree_depth, r->tree_leaf_mode == TREE_LEAF_MODE ? "mode" : "mean",
              (unsigned)r->random_state, r->ngram_order);
    sb_num_array(&b, r->importances, r->n_features);
    sb_printf(&b, "},\"best_mae\":\"%s\",\"best_exact\":\"%s\",\"forecast\":", r->names[r->best_mae],
              r->names[r->best_exact]);
    sb_num_array(&b, r->forecast, r->horizon);
    if (r->model_json) {
        sb_printf(&b, ",\"actual\":");
        sb_num_array(&b, r->actual, r->test);
        sb_printf(&b, ",\"predicted\":");
        sb_num_array(&b, r->predicted, r->test);
        sb_printf(&b, ",\"model\":%s", r->model_json);
    }
    sb_printf(&b, "}");
    return sb_take(&b);
}

/* The report as a readable table (malloc'd), NULL when out of memory. */
char *predict_report_text(const struct predict_report *r)
{
    struct strbuf b = {0};
    char nb[32];
    sb_printf(&b, "allocation sizes: %d  train rows: %d  test rows: %d (chronological)\nfeatures:",
              r->n_sizes, r->train, r->test);
    for (int i = 0; i < r->n_features; i++)
        sb_printf(&b, " %s", features_name(r->lags, r->extras, i, nb, sizeof nb));
    sb_printf(&b, "\ntree: %d nodes, depth %d, %s leaves, random_state %u\n\n", r->tree_nodes,
              r->tree_depth, r->tree_leaf_mode == TREE_LEAF_MODE ? "mode" : "mean",
              (unsigned)r->random_state);
    sb_printf(&b, "%-13s %14s %14s %8s %11s\n", "predictor", "MAE (bytes)", "RMSE (bytes)", "exact",
              "size-class");
    for (int k = 0; k < PREDICT_N; k++)
        sb_printf(&b, "%-13s %14.2f %14.2f %8.4f %11.4f\n", r->names[k], r->m[k].mae, r->m[k].rmse,
                  r->m[k].exact, r->m[k].size_class);
    sb_printf(&b, "\nbest MAE: %s   best exact match: %s\n", r->names[r->best_mae],
              r->names[r->best_exact]);
    if (r->horizon > 0) {
        sb_printf(&b, "forecast (next %d):", r->horizon);
        for (int h = 0; h < r->horizon; h++) sb_printf(&b, " %.6g", r->forecast[h]);
        sb_printf(&b, "\n");
    }
    return sb_take(&b);
}
